/*
 * Worker pools: workers are created when items block the ones there
 * are, idle ones are reaped after wq_idle_timeout_ms (shortened here),
 * and a WQ_MEM_RECLAIM workqueue's rescuer runs its items when no worker
 * can be created (kmalloc failures injected).
 */
#include "workqueue_test.h"
#include "sched_test.h"
#include <kernel/atomic.h>
#include <kernel/slab.h>

#define NR_BLOCKERS	6
#define MAX_BLOCKERS	16

static struct work_struct blockers[MAX_BLOCKERS];
static DECLARE_COMPLETION(release);
static atomic_t blockers_started;

/* Sleeps until the test releases it: its worker is busy, and not running. */
static void blocker_fn(struct work_struct *w)
{
	atomic_inc(&blockers_started);
	wait_for_completion(&release);
}

static void workers_created_on_demand_and_reaped(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("wqt_demand", 0, 0);
	unsigned int saved = wq_idle_timeout_ms;
	int before, peak, after = 0;

	ASSERT_NOT_NULL(t, wq);
	/* short enough for a test; set before the workers go idle, as the idle timer reads it then */
	wq_idle_timeout_ms = 300;
	reinit_completion(&release);
	atomic_set(&blockers_started, 0);
	before = count_kworkers("kworker/0:", false);
	for (int i = 0; i < NR_BLOCKERS; i++) {
		INIT_WORK(&blockers[i], blocker_fn);
		EXPECT_TRUE(t, queue_work(wq, &blockers[i]));
	}
	/* all asleep at once: each sleep let the pool start the next item, in a new worker if need be */
	ASSERT_TRUE(t, wqt_wait_atomic(&blockers_started, NR_BLOCKERS));
	peak = count_kworkers("kworker/0:", false);
	ktest_info(t, "kworker/0:N threads: %d before, %d with %d items asleep", before, peak,
		   NR_BLOCKERS);
	/* one per sleeping item, and an idle one kept ready */
	EXPECT_GE(t, peak, NR_BLOCKERS + 1);
	complete_all(&release);
	flush_workqueue(wq);

	/* all idle now: the pool keeps two idle workers (three if someone else's item is busy) */
	for (int i = 0; i < WQT_TIMEOUT_MS / 20; i++) {
		after = count_kworkers("kworker/0:", false);
		if (after <= 3)
			break;
		msleep(20);
	}
	ktest_info(t, "%d kworker/0:N threads after %u ms idle timeout", after, wq_idle_timeout_ms);
	EXPECT_LE(t, after, 3);
	EXPECT_GE(t, after, 2);
	wq_idle_timeout_ms = saved;
	destroy_workqueue(wq);
}

/* ---- the rescuer ---- */

static struct wq_rec rescued;
static bool rescued_by_rescuer;

static void rescued_fn(struct work_struct *w)
{
	rescued_by_rescuer = current_is_workqueue_rescuer();
	wq_rec_fn(w);
}

/*
 * Use up the pool's idle workers with blockers while every worker
 * creation fails. The last idle worker, seeing none left behind it,
 * becomes the manager and keeps failing to create one; the item of the
 * WQ_MEM_RECLAIM workqueue can then only run in its rescuer, called by
 * the pool's mayday timer. Only worker creation allocates meanwhile: the
 * test thread queues and waits, which allocate nothing.
 */
static void rescuer_runs_items_when_creation_fails(struct ktest *t)
{
	struct workqueue_struct *blk = alloc_workqueue("wqt_blk", 0, 0);
	struct workqueue_struct *rsc = alloc_workqueue("wqt_rsc", WQ_MEM_RECLAIM, 0);
	struct kmalloc_stats st0, st1;
	int queued = 0;
	bool stuck = false;

	ASSERT_NOT_NULL(t, blk);
	ASSERT_NOT_NULL(t, rsc);
	EXPECT_TRUE(t, task_named_exists("kworker/R-wqt_rsc"));
	EXPECT_FALSE(t, task_named_exists("kworker/R-wqt_blk"));
	wq_rec_init(&rescued, 0);
	INIT_WORK(&rescued.work, rescued_fn);
	rescued_by_rescuer = false;
	reinit_completion(&release);
	atomic_set(&blockers_started, 0);

	kmalloc_get_stats(&st0);
	kmalloc_inject_failures(1000);
	while (queued < MAX_BLOCKERS && !stuck) {
		INIT_WORK(&blockers[queued], blocker_fn);
		queue_work(blk, &blockers[queued]);
		queued++;
		/* started within 300 ms: there was an idle worker for it; else the pool is stuck */
		stuck = true;
		for (int i = 0; i < 60 && stuck; i++) {
			if (atomic_read(&blockers_started) == queued)
				stuck = false;
			else
				msleep(5);
		}
	}
	if (stuck) {
		EXPECT_TRUE(t, queue_work(rsc, &rescued.work));
		EXPECT_TRUE(t, wq_rec_wait(&rescued));
	}
	kmalloc_inject_failures(0);
	kmalloc_get_stats(&st1);
	complete_all(&release);

	ktest_info(t, "%d blockers queued, %d started; rescued item ran in %s; %lu kmalloc failures",
		   queued, atomic_read(&blockers_started), rescued.comm, st1.failed - st0.failed);
	EXPECT_TRUE(t, stuck);
	EXPECT_GE(t, st1.failed - st0.failed, 1ul);
	EXPECT_EQ(t, rescued.runs, 1);
	EXPECT_STREQ(t, rescued.comm, "kworker/R-wqt_rsc");
	EXPECT_TRUE(t, rescued_by_rescuer);
	EXPECT_TRUE(t, rescued.in_task);

	/* creation works again: the stuck blocker gets a worker at the manager's next try */
	flush_workqueue(blk);
	EXPECT_EQ(t, atomic_read(&blockers_started), queued);
	destroy_workqueue(rsc);
	destroy_workqueue(blk);
	/* gone: reaped a moment after it exits, once its CPU has switched away from it */
	EXPECT_TRUE(t, wait_until(!task_named_exists("kworker/R-wqt_rsc"), 2000));
}

static struct ktest_case workqueue_pool_cases[] = {
	KTEST_CASE(workers_created_on_demand_and_reaped),
	KTEST_CASE(rescuer_runs_items_when_creation_fails),
	{}
};

KTEST_SUITE(workqueue_pool, workqueue_pool_cases);
