/*
 * selfipi_bare: a fixed self-IPI on BENCH_EOI_VECTOR, sent the way
 * irq_work raises IRQ_WORK_VECTOR (apic_send_self_ipi()), to a gate whose
 * handler only takes the stop timestamp, writes the EOI and returns
 * (stubs.asm). From the timestamp before the send to the handler's
 * first instructions: the floor under irq_work_selfipi, with the same
 * start and stop points. Spin wait. Needs a local APIC.
 */
#include <kernel/bench.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include "stubs.h"

static int selfipi_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0, stamp;

	WRITE_ONCE(bench_eoi_stamp, 0);
	t0 = bench_ts();
	apic_send_self_ipi(BENCH_EOI_VECTOR);
	while (!(stamp = READ_ONCE(bench_eoi_stamp))) {
		cpu_relax();
		if (bench_ts() - t0 > b->spin_limit)
			return -ETIMEDOUT;
	}
	*a = stamp - t0;
	return 0;
}

static void selfipi_run(struct bench *b)
{
	if (!lapic_is_enabled()) {
		bench_err(b, "selfipi_bare", "no local APIC");
		return;
	}
	idt_set_handler(BENCH_EOI_VECTOR, x2apic_mode() ? bench_eoi_stub_x2apic :
							   bench_eoi_stub_xapic);
	bench_latency(b, "selfipi_bare", NULL, selfipi_iter);
	idt_set_handler(BENCH_EOI_VECTOR, NULL);
}
BENCH_DEFINE(62, selfipi_bare, selfipi_run, "selfipi_bare");
