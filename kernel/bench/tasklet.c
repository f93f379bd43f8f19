/*
 * The tasklet paths from process context:
 *   tasklet_latency, tasklet_hi_latency: from just before tasklet_schedule()
 *     (tasklet_hi_schedule()) in plain task context to the first statement
 *     of the tasklet function. Raising the softirq outside interrupt
 *     context wakes ksoftirqd/0, which runs it once this thread blocks:
 *     sleep wait.
 *   tasklet_bh_latency: local_bh_disable(); start; tasklet_schedule();
 *     local_bh_enable(), which runs the softirq at once, with no context
 *     switch: spin wait.
 */
#include <kernel/bench.h>
#include <kernel/interrupt.h>

static struct bench_stop tl_stop;

static void tl_sleep_fn(struct tasklet_struct *t)
{
	bench_stop_sleep(&tl_stop);
}
static DECLARE_TASKLET(tl_lo, tl_sleep_fn);
static DECLARE_TASKLET(tl_hi, tl_sleep_fn);

static void tl_spin_fn(struct tasklet_struct *t)
{
	bench_stop_spin(&tl_stop);
}
static DECLARE_TASKLET(tl_bh, tl_spin_fn);

static int tasklet_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&tl_stop);
	t0 = bench_ts();
	tasklet_schedule(&tl_lo);
	if (bench_sleep_wait(b, &tl_stop))
		return -ETIMEDOUT;
	*a = tl_stop.t - t0;
	return 0;
}

static int tasklet_hi_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&tl_stop);
	t0 = bench_ts();
	tasklet_hi_schedule(&tl_hi);
	if (bench_sleep_wait(b, &tl_stop))
		return -ETIMEDOUT;
	*a = tl_stop.t - t0;
	return 0;
}

static int tasklet_bh_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&tl_stop);
	local_bh_disable();
	t0 = bench_ts();
	tasklet_schedule(&tl_bh);
	local_bh_enable();
	if (bench_spin_wait(b, &tl_stop))
		return -ETIMEDOUT;
	*a = tl_stop.t - t0;
	return 0;
}

static void tasklet_run(struct bench *b)
{
	bench_stop_init(&tl_stop);
	bench_latency(b, "tasklet_latency", NULL, tasklet_iter);
	tasklet_kill(&tl_lo);
}
BENCH_DEFINE(20, tasklet_latency, tasklet_run, "tasklet_latency");

static void tasklet_hi_run(struct bench *b)
{
	bench_stop_init(&tl_stop);
	bench_latency(b, "tasklet_hi_latency", NULL, tasklet_hi_iter);
	tasklet_kill(&tl_hi);
}
BENCH_DEFINE(21, tasklet_hi_latency, tasklet_hi_run, "tasklet_hi_latency");

static void tasklet_bh_run(struct bench *b)
{
	bench_stop_init(&tl_stop);
	bench_latency(b, "tasklet_bh_latency", NULL, tasklet_bh_iter);
	tasklet_kill(&tl_bh);
}
BENCH_DEFINE(22, tasklet_bh_latency, tasklet_bh_run, "tasklet_bh_latency");
