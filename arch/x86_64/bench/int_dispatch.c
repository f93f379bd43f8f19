/*
 * int_dispatch: `int $BENCH_DISPATCH_VECTOR` through the kernel's whole
 * interrupt path: the entry.asm stub and register save, irq_enter(), the
 * switch to the IRQ stack, CPU 0's vector table, an irq_desc with the
 * simple flow on the dummy chip (a software-raised line: nothing to
 * acknowledge), one handler that only returns IRQ_HANDLED, the spurious
 * accounting, irq_exit() and the preemption check, and iretq. Timed as
 * int_roundtrip_bare, from the timestamp before the int to the one after.
 */
#include <kernel/bench.h>
#include <kernel/interrupt.h>
#include <kernel/irq.h>
#include <kernel/irqdesc.h>
#include <asm/hw_irq.h>
#include <asm/irq_vectors.h>

static int dispatch_cookie;

static irqreturn_t dispatch_noop(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static int int_dispatch_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0, t1;

	t0 = bench_ts();
	__asm__ __volatile__("int %0" :: "i"(BENCH_DISPATCH_VECTOR) : "memory");
	t1 = bench_ts();
	*a = t1 - t0;
	return 0;
}

static void int_dispatch_run(struct bench *b)
{
	int irq, ret;

	irq = irq_alloc_desc_from(NR_IRQS_LEGACY);
	if (irq < 0) {
		bench_err(b, "int_dispatch", "no free irq_desc: %d", irq);
		return;
	}
	irq_set_chip_and_handler_name(irq, &dummy_irq_chip, handle_simple_irq, "simple");
	/* CPU 0's table only: bench/0 raises it there */
	ret = irq_bind_vector(irq_to_desc(irq), 0, BENCH_DISPATCH_VECTOR);
	if (ret) {
		bench_err(b, "int_dispatch", "vector %#x busy: %d", BENCH_DISPATCH_VECTOR, ret);
		goto free_desc;
	}
	ret = request_irq(irq, dispatch_noop, IRQF_NO_THREAD, "bench-dispatch", &dispatch_cookie);
	if (ret) {
		bench_err(b, "int_dispatch", "request_irq(%d): %d", irq, ret);
		goto free_vector;
	}
	bench_latency(b, "int_dispatch", NULL, int_dispatch_iter);
	free_irq(irq, &dispatch_cookie);
free_vector:
	irq_free_vector(0, BENCH_DISPATCH_VECTOR);
free_desc:
	irq_free_desc(irq);
}
BENCH_DEFINE(61, int_dispatch, int_dispatch_run, "int_dispatch");
