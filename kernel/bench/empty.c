/* empty: two timestamps back to back, interrupts off around them: what a timestamp pair costs. */
#include <kernel/bench.h>
#include <asm/irqflags.h>

static int empty_iter(struct bench *b, u64 *a, u64 *c)
{
	unsigned long flags;
	u64 t0, t1;

	local_irq_save(flags);
	t0 = bench_ts();
	t1 = bench_ts();
	local_irq_restore(flags);
	*a = t1 - t0;
	return 0;
}

static void empty_run(struct bench *b)
{
	bench_latency(b, "empty", NULL, empty_iter);
}
BENCH_DEFINE(00, empty, empty_run, "empty");
