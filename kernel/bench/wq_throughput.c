/*
 * wq_throughput: cycles per work item through a bound (per-CPU)
 * workqueue with max_active 1. One repetition: INIT_WORK on wq_items
 * distinct items (untimed), then from a timestamp: queue them all, then
 * flush_workqueue(), to a second timestamp; sample = the span / wq_items.
 * The item function is one atomic increment, and the count is checked.
 * wq_warmup_reps discarded repetitions, then wq_reps timed ones.
 */
#include <kernel/bench.h>
#include <kernel/workqueue.h>
#include <kernel/atomic.h>
#include <kernel/vmalloc.h>
#include <kernel/sched.h>

static atomic_t wq_count;

static void wq_noop_fn(struct work_struct *w)
{
	atomic_inc(&wq_count);
}

static void wq_throughput_run(struct bench *b)
{
	unsigned int total = b->p.wq_warmup_reps + b->p.wq_reps;
	struct workqueue_struct *wq;
	struct work_struct *works;

	works = vmalloc((size_t)b->p.wq_items * sizeof(*works));
	wq = alloc_workqueue("bench", 0, 1);
	if (!works || !wq) {
		bench_err(b, "wq_throughput", "out of memory");
		goto out;
	}
	for (unsigned int rep = 0; rep < total; rep++) {
		u64 t0, t1;

		for (unsigned int i = 0; i < b->p.wq_items; i++)
			INIT_WORK(&works[i], wq_noop_fn);
		atomic_set(&wq_count, 0);
		t0 = bench_ts();
		for (unsigned int i = 0; i < b->p.wq_items; i++)
			queue_work(wq, &works[i]);
		flush_workqueue(wq);
		t1 = bench_ts();
		if ((unsigned int)atomic_read(&wq_count) != b->p.wq_items) {
			bench_err(b, "wq_throughput", "ran %d of %u items", atomic_read(&wq_count),
				  b->p.wq_items);
			goto out;
		}
		if (rep >= b->p.wq_warmup_reps)
			b->samples[0][rep - b->p.wq_warmup_reps] = (t1 - t0) / b->p.wq_items;
		cond_resched();
	}
	bench_report(b, "wq_throughput", b->samples[0], b->p.wq_reps);
out:
	if (wq)
		destroy_workqueue(wq);
	vfree(works);
}
BENCH_DEFINE(42, wq_throughput, wq_throughput_run, "wq_throughput");
