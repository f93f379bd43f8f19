/*
 * int_roundtrip_bare: `int $BENCH_IRET_VECTOR` to a gate whose handler is
 * a lone iretq, timed from the timestamp before the int to the one after
 * it: what the CPU (or the emulator) charges for entering and leaving an
 * interrupt gate, the floor under int_dispatch.
 */
#include <kernel/bench.h>
#include <asm/irq_vectors.h>
#include <asm/processor.h>
#include "stubs.h"

static int int_bare_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0, t1;

	t0 = bench_ts();
	__asm__ __volatile__("int %0" :: "i"(BENCH_IRET_VECTOR) : "memory");
	t1 = bench_ts();
	*a = t1 - t0;
	return 0;
}

static void int_bare_run(struct bench *b)
{
	idt_set_handler(BENCH_IRET_VECTOR, bench_iret_stub);
	bench_latency(b, "int_roundtrip_bare", NULL, int_bare_iter);
	idt_set_handler(BENCH_IRET_VECTOR, NULL);
}
BENCH_DEFINE(60, int_roundtrip_bare, int_bare_run, "int_roundtrip_bare");
