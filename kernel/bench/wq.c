/*
 * Workqueue latency: from just before queueing to the first statement of
 * the work function, which signals a completion (sleep wait: a kworker
 * cannot run on CPU 0 until this thread blocks or is pre-empted).
 *   wq_latency_bound: queue_work_on(0, system_highpri_wq): an idle kworker
 *     of CPU 0's nice -20 pool.
 *   wq_latency_unbound: queue_work(system_unbound_wq): an unbound-pool
 *     kworker, on whichever CPU it runs (samples across CPUs rely on
 *     synchronised TSCs). A BENCHINFO line says how many ran on CPU 0.
 */
#include <kernel/bench.h>
#include <kernel/workqueue.h>
#include <kernel/atomic.h>
#include <kernel/smp.h>

static struct bench_stop wq_stop;
static atomic_t wq_on_cpu0;

static void wq_lat_fn(struct work_struct *w)
{
	bench_stop_sleep(&wq_stop);
	if (smp_processor_id() == 0)
		atomic_inc(&wq_on_cpu0);
}
static DECLARE_WORK(wk_bound, wq_lat_fn);
static DECLARE_WORK(wk_unbound, wq_lat_fn);

static int wq_bound_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&wq_stop);
	t0 = bench_ts();
	queue_work_on(0, system_highpri_wq, &wk_bound);
	if (bench_sleep_wait(b, &wq_stop))
		return -ETIMEDOUT;
	*a = wq_stop.t - t0;
	return 0;
}

static int wq_unbound_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&wq_stop);
	t0 = bench_ts();
	queue_work(system_unbound_wq, &wk_unbound);
	if (bench_sleep_wait(b, &wq_stop))
		return -ETIMEDOUT;
	*a = wq_stop.t - t0;
	return 0;
}

static void wq_lat_run(struct bench *b, const char *name, bench_iter_fn iter,
		       struct work_struct *work)
{
	bench_stop_init(&wq_stop);
	atomic_set(&wq_on_cpu0, 0);
	bench_latency(b, name, NULL, iter);
	/* the function signals before it counts: let the last one finish */
	flush_work(work);
	bench_info(b, "%s ran_on_cpu0=%d/%u", name, atomic_read(&wq_on_cpu0),
		   b->p.warmup + b->p.iters);
}

static void wq_bound_run(struct bench *b)
{
	wq_lat_run(b, "wq_latency_bound", wq_bound_iter, &wk_bound);
}
BENCH_DEFINE(40, wq_latency_bound, wq_bound_run, "wq_latency_bound");

static void wq_unbound_run(struct bench *b)
{
	wq_lat_run(b, "wq_latency_unbound", wq_unbound_iter, &wk_unbound);
}
BENCH_DEFINE(41, wq_latency_unbound, wq_unbound_run, "wq_latency_unbound");
