/*
 * int_dispatch: `int $BENCH_DISPATCH_VECTOR` through the kernel's whole
 * interrupt path: the entry.asm stub and register save, irq_enter(), the
 * switch to the IRQ stack, CPU 0's vector table, an irq_desc with the
 * simple flow on the dummy chip (a software-raised line: nothing to
 * acknowledge), one handler that only returns IRQ_HANDLED, the spurious
 * accounting, irq_exit() and the preemption check, and iretq. Timed as
 * int_roundtrip_bare, from the timestamp before the int to the one after.
 *
 * trace_on_cost: how much int_dispatch grows with tracing on (each
 * interrupt then writes four records: vector entry, handler entry and
 * exit, vector exit). The same loop runs once with tracing off and once
 * on; the reported median, p99 and min are those of the run with tracing
 * on less those of the run with it off.
 */
#include <kernel/bench.h>
#include <kernel/interrupt.h>
#include <kernel/irq.h>
#include <kernel/irqdesc.h>
#include <asm/hw_irq.h>
#include <asm/irq_vectors.h>
#include <kernel/trace.h>
#include <kernel/sort.h>
#include <kernel/sched.h>

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

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* warmup + iters interrupts; the timed ones into s, sorted. */
static void dispatch_series(struct bench *b, u64 *s)
{
	unsigned int total = b->p.warmup + b->p.iters;

	for (unsigned int i = 0; i < total; i++) {
		u64 a, unused;

		int_dispatch_iter(b, &a, &unused);
		if (i >= b->p.warmup)
			s[i - b->p.warmup] = a;
		if ((i & 255) == 255)
			cond_resched();
	}
	sort(s, b->p.iters, sizeof(*s), cmp_u64, NULL);
}

static u64 minus(u64 on, u64 off)
{
	return on > off ? on - off : 0;
}

static void trace_on_cost(struct bench *b)
{
	u64 *off = b->samples[0], *on = b->samples[1];
	unsigned int n = b->p.iters;
	struct bench_result r = { .name = "trace_on_cost", .n = n };

	if (trace_is_on()) {
		bench_err(b, "trace_on_cost", "tracing is already on (trace=1?)");
		return;
	}
	dispatch_series(b, off);
	if (trace_start()) {
		bench_err(b, "trace_on_cost", "trace_start() failed (no memory for the buffers)");
		return;
	}
	dispatch_series(b, on);
	trace_stop();
	trace_clear();
	bench_info(b, "trace_on_cost int_dispatch_off median=%llu int_dispatch_on median=%llu",
		   (unsigned long long)bench_quantile(off, n, 50, 100),
		   (unsigned long long)bench_quantile(on, n, 50, 100));
	r.median = minus(bench_quantile(on, n, 50, 100), bench_quantile(off, n, 50, 100));
	r.p99 = minus(bench_quantile(on, n, 99, 100), bench_quantile(off, n, 99, 100));
	r.min = minus(on[0], off[0]);
	b->sink->result(b->sink, &r);
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
	if (bench_selected(b, "trace_on_cost"))
		trace_on_cost(b);
	free_irq(irq, &dispatch_cookie);
free_vector:
	irq_free_vector(0, BENCH_DISPATCH_VECTOR);
free_desc:
	irq_free_desc(irq);
}
BENCH_DEFINE(61, int_dispatch, int_dispatch_run, "int_dispatch", "trace_on_cost");
