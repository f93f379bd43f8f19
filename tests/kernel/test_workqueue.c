/*
 * Workqueues: where items run (kworker, H worker, unbound worker,
 * softirq), return values, concurrency management (a sleeping item lets
 * the next one start; max_active limits it; CPU-intensive items leave
 * it), ordered workqueues, non-reentrancy, and the flush checks.
 */
#include "workqueue_test.h"
#include <kernel/atomic.h>
#include <kernel/printk.h>

static struct wq_rec rec_a, rec_b;

static DECLARE_WORK(static_work, wq_rec_fn);	/* only to prove DECLARE_WORK builds a usable item */

static void basic_queue_flush(struct ktest *t)
{
	bool q1, q2, pending;

	/* it sleeps, so it is still running (or queued) when flush_work() looks */
	wq_rec_init(&rec_a, 50);
	/* nothing else runs on this CPU in between: the item cannot start before the second try */
	preempt_disable();
	q1 = queue_work(system_wq, &rec_a.work);
	q2 = queue_work(system_wq, &rec_a.work);
	pending = work_pending(&rec_a.work);
	preempt_enable();
	EXPECT_TRUE(t, q1);
	EXPECT_FALSE(t, q2);
	EXPECT_TRUE(t, pending);
	EXPECT_TRUE(t, flush_work(&rec_a.work));
	EXPECT_EQ(t, rec_a.runs, 1);
	EXPECT_FALSE(t, work_pending(&rec_a.work));
	/* idle now: nothing to wait for */
	EXPECT_FALSE(t, flush_work(&rec_a.work));
	EXPECT_EQ(t, rec_a.runs, 1);
	EXPECT_FALSE(t, work_pending(&static_work));
	EXPECT_TRUE(t, static_work.func == wq_rec_fn);
}

static void runs_in_kworker(struct ktest *t)
{
	wq_rec_init(&rec_a, 0);
	ASSERT_TRUE(t, schedule_work(&rec_a.work));
	ASSERT_TRUE(t, wq_rec_wait(&rec_a));
	ktest_info(t, "ran in %s, preempt_count %#x", rec_a.comm, rec_a.preempt);
	EXPECT_TRUE(t, str_starts(rec_a.comm, "kworker/0:"));
	EXPECT_FALSE(t, str_ends_with(rec_a.comm, 'H'));
	EXPECT_TRUE(t, rec_a.in_task);
	EXPECT_EQ(t, rec_a.preempt, 0u);
	EXPECT_EQ(t, rec_a.cpu, 0);
	EXPECT_EQ(t, rec_a.nice, 0);
	EXPECT_TRUE(t, rec_a.cur == &rec_a.work);
	EXPECT_NULL(t, current_work());
}

static void highpri_runs_in_h_worker(struct ktest *t)
{
	wq_rec_init(&rec_a, 0);
	ASSERT_TRUE(t, queue_work(system_highpri_wq, &rec_a.work));
	ASSERT_TRUE(t, wq_rec_wait(&rec_a));
	ktest_info(t, "ran in %s, nice %d", rec_a.comm, rec_a.nice);
	EXPECT_TRUE(t, str_starts(rec_a.comm, "kworker/0:"));
	EXPECT_TRUE(t, str_ends_with(rec_a.comm, 'H'));
	EXPECT_EQ(t, rec_a.nice, -20);
	EXPECT_TRUE(t, rec_a.in_task);
}

static void unbound_runs_in_u_worker(struct ktest *t)
{
	wq_rec_init(&rec_a, 0);
	ASSERT_TRUE(t, queue_work(system_unbound_wq, &rec_a.work));
	ASSERT_TRUE(t, wq_rec_wait(&rec_a));
	ktest_info(t, "ran in %s", rec_a.comm);
	EXPECT_TRUE(t, str_starts(rec_a.comm, "kworker/u"));
	EXPECT_TRUE(t, rec_a.in_task);
	EXPECT_EQ(t, rec_a.preempt, 0u);
}

/* BH items run from the tasklet softirqs: softirq context, never a task of their own. They must not sleep. */
static void bh_runs_in_softirq(struct ktest *t)
{
	struct workqueue_struct *wqs[] = { system_bh_wq, system_bh_highpri_wq };

	for (int i = 0; i < 2; i++) {
		wq_rec_init(&rec_a, 0);
		ASSERT_TRUE(t, queue_work(wqs[i], &rec_a.work));
		ASSERT_TRUE(t, wq_rec_wait(&rec_a));
		EXPECT_FALSE(t, rec_a.in_task);
		EXPECT_TRUE(t, rec_a.serving_softirq);
		EXPECT_TRUE(t, rec_a.cur == &rec_a.work);
		/* and flush_work() of a BH item from a task waits for it */
		ASSERT_TRUE(t, queue_work(wqs[i], &rec_a.work));
		flush_work(&rec_a.work);
		EXPECT_EQ(t, rec_a.runs, 2);
	}
}

/* Two sleeping items: start/end times tell whether they overlapped. */
static void two_sleepers(struct ktest *t, struct workqueue_struct *wq, unsigned int ms)
{
	wq_rec_init(&rec_a, ms);
	wq_rec_init(&rec_b, ms);
	ASSERT_TRUE(t, queue_work(wq, &rec_a.work));
	ASSERT_TRUE(t, queue_work(wq, &rec_b.work));
	flush_workqueue(wq);
	EXPECT_EQ(t, rec_a.runs, 1);
	EXPECT_EQ(t, rec_b.runs, 1);
	ktest_info(t, "from a's start: a ends at %lld us, b runs %lld..%lld us",
		   (long long)(rec_a.end_ns - rec_a.start_ns) / 1000,
		   (long long)(rec_b.start_ns - rec_a.start_ns) / 1000,
		   (long long)(rec_b.end_ns - rec_a.start_ns) / 1000);
}

static void max_active_1_serializes(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("wqt_ma1", 0, 1);

	ASSERT_NOT_NULL(t, wq);
	two_sleepers(t, wq, 50);
	EXPECT_GE(t, rec_b.start_ns, rec_a.end_ns);
	destroy_workqueue(wq);
}

/* Needs concurrency management: a sleeps, the pool starts b in another worker. */
static void max_active_2_overlaps(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("wqt_ma2", 0, 2);

	ASSERT_NOT_NULL(t, wq);
	two_sleepers(t, wq, 100);
	EXPECT_LT(t, rec_b.start_ns, rec_a.end_ns);
	/* two workers at once */
	EXPECT_NE(t, strcmp(rec_a.comm, rec_b.comm), 0);
	destroy_workqueue(wq);
}

static void sleeping_item_does_not_stall_pool(struct ktest *t)
{
	wq_rec_init(&rec_a, 100);
	wq_rec_init(&rec_b, 0);
	ASSERT_TRUE(t, queue_work(system_wq, &rec_a.work));
	ASSERT_TRUE(t, queue_work(system_wq, &rec_b.work));
	ASSERT_TRUE(t, wq_rec_wait(&rec_b));
	ASSERT_TRUE(t, wq_rec_wait(&rec_a));
	EXPECT_LT(t, rec_b.end_ns, rec_a.end_ns);
}

/* ---- CPU-intensive items leave concurrency management ---- */

static atomic_t spin_started;

static void spin_fn(struct work_struct *w)
{
	struct wq_rec *r = container_of(w, struct wq_rec, work);
	u64 end;

	r->start_ns = ktime_get_ns();
	atomic_inc(&spin_started);
	end = r->start_ns + 200 * NSEC_PER_MSEC;
	while (ktime_get_ns() < end)
		cpu_relax();
	r->end_ns = ktime_get_ns();
	complete(&r->done);
}

static void cpu_intensive_lets_others_start(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("wqt_int", WQ_CPU_INTENSIVE, 0);

	ASSERT_NOT_NULL(t, wq);
	wq_rec_init(&rec_a, 0);
	wq_rec_init(&rec_b, 0);
	INIT_WORK(&rec_a.work, spin_fn);
	atomic_set(&spin_started, 0);
	ASSERT_TRUE(t, queue_work(wq, &rec_a.work));
	ASSERT_TRUE(t, wqt_wait_atomic(&spin_started, 1));
	/* same per-CPU pool, ordinary workqueue: without WQ_CPU_INTENSIVE it would wait for the spinner */
	ASSERT_TRUE(t, queue_work(system_wq, &rec_b.work));
	ASSERT_TRUE(t, wq_rec_wait(&rec_b));
	ASSERT_TRUE(t, wq_rec_wait(&rec_a));
	EXPECT_LT(t, rec_b.end_ns, rec_a.end_ns);
	destroy_workqueue(wq);
}

/* ---- ordered ---- */

#define NR_ORDERED 8
static struct ordered_item {
	struct work_struct work;
	int idx;
} ordered_items[NR_ORDERED];
static atomic_t ord_running, ord_next;
static int ord_seen[NR_ORDERED];
static int ord_max_running;

static void ordered_fn(struct work_struct *w)
{
	struct ordered_item *it = container_of(w, struct ordered_item, work);
	int r = atomic_inc_return(&ord_running);

	if (r > ord_max_running)
		ord_max_running = r;
	ord_seen[atomic_inc_return(&ord_next) - 1] = it->idx;
	if (it->idx % 2 == 0)
		msleep(10);	/* a sleeping item must not let the next one start */
	atomic_dec(&ord_running);
}

static void ordered_strict_order(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("wqt_ordered", 0);

	ASSERT_NOT_NULL(t, wq);
	atomic_set(&ord_running, 0);
	atomic_set(&ord_next, 0);
	ord_max_running = 0;
	for (int i = 0; i < NR_ORDERED; i++) {
		INIT_WORK(&ordered_items[i].work, ordered_fn);
		ordered_items[i].idx = i;
		ord_seen[i] = -1;
		EXPECT_TRUE(t, queue_work(wq, &ordered_items[i].work));
	}
	flush_workqueue(wq);
	EXPECT_EQ(t, atomic_read(&ord_next), NR_ORDERED);
	EXPECT_EQ(t, ord_max_running, 1);
	for (int i = 0; i < NR_ORDERED; i++)
		EXPECT_EQ(t, ord_seen[i], i);
	destroy_workqueue(wq);
}

/* ---- non-reentrancy ---- */

static atomic_t nr_running_now, nr_runs;
static int nr_max_running;
static u64 reent_start[2], reent_end[2];

static void reentrant_fn(struct work_struct *w)
{
	int r = atomic_inc_return(&nr_running_now);
	int n = atomic_read(&nr_runs);

	if (r > nr_max_running)
		nr_max_running = r;
	if (n < 2)
		reent_start[n] = ktime_get_ns();
	msleep(50);
	if (n < 2)
		reent_end[n] = ktime_get_ns();
	atomic_dec(&nr_running_now);
	atomic_inc(&nr_runs);
}

static void requeued_while_running_runs_after(struct ktest *t)
{
	static struct work_struct w;

	INIT_WORK(&w, reentrant_fn);
	atomic_set(&nr_running_now, 0);
	atomic_set(&nr_runs, 0);
	nr_max_running = 0;
	ASSERT_TRUE(t, queue_work(system_wq, &w));
	ASSERT_TRUE(t, wqt_wait_atomic(&nr_running_now, 1));
	/* running and asleep: PENDING is clear, so it queues; an idle worker of the pool would take it */
	EXPECT_TRUE(t, queue_work(system_wq, &w));
	ASSERT_TRUE(t, wqt_wait_atomic(&nr_runs, 2));
	flush_work(&w);
	EXPECT_EQ(t, atomic_read(&nr_runs), 2);
	EXPECT_EQ(t, nr_max_running, 1);
	EXPECT_GE(t, reent_start[1], reent_end[0]);
}

/* ---- cancel and disable ---- */

static void cancel_pending_never_runs(struct ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("wqt_cancel", 0, 0);
	bool queued, cancelled;

	ASSERT_NOT_NULL(t, wq);
	wq_rec_init(&rec_a, 0);
	preempt_disable();
	queued = queue_work(wq, &rec_a.work);
	cancelled = cancel_work(&rec_a.work);
	preempt_enable();
	EXPECT_TRUE(t, queued);
	EXPECT_TRUE(t, cancelled);
	EXPECT_FALSE(t, work_pending(&rec_a.work));
	EXPECT_FALSE(t, flush_work(&rec_a.work));
	flush_workqueue(wq);
	msleep(20);
	EXPECT_EQ(t, rec_a.runs, 0);
	/* not pending any more: a second cancel finds nothing; the item can be queued again */
	EXPECT_FALSE(t, cancel_work(&rec_a.work));
	EXPECT_TRUE(t, queue_work(wq, &rec_a.work));
	flush_workqueue(wq);
	EXPECT_EQ(t, rec_a.runs, 1);
	destroy_workqueue(wq);
}

static atomic_t slow_started;
static bool slow_finished;

static void slow_fn(struct work_struct *w)
{
	atomic_inc(&slow_started);
	msleep(100);
	WRITE_ONCE(slow_finished, true);
}

static void cancel_sync_waits_for_running(struct ktest *t)
{
	static DECLARE_WORK(w, slow_fn);

	atomic_set(&slow_started, 0);
	slow_finished = false;
	ASSERT_TRUE(t, schedule_work(&w));
	ASSERT_TRUE(t, wqt_wait_atomic(&slow_started, 1));
	EXPECT_FALSE(t, READ_ONCE(slow_finished));
	/* running, not pending: returns false, but only once the run is over */
	EXPECT_FALSE(t, cancel_work_sync(&w));
	EXPECT_TRUE(t, READ_ONCE(slow_finished));
	EXPECT_FALSE(t, work_pending(&w));
	/* usable afterwards */
	EXPECT_TRUE(t, schedule_work(&w));
	flush_work(&w);
	EXPECT_EQ(t, atomic_read(&slow_started), 2);
}

static void disable_enable_nests(struct ktest *t)
{
	bool pending_disabled;

	wq_rec_init(&rec_a, 0);
	EXPECT_FALSE(t, disable_work(&rec_a.work));
	EXPECT_FALSE(t, queue_work(system_wq, &rec_a.work));
	EXPECT_FALSE(t, work_pending(&rec_a.work));
	EXPECT_FALSE(t, disable_work(&rec_a.work));	/* count 2 */
	EXPECT_FALSE(t, enable_work(&rec_a.work));	/* count 1: still disabled */
	EXPECT_FALSE(t, queue_work(system_wq, &rec_a.work));
	EXPECT_TRUE(t, enable_work(&rec_a.work));	/* count 0 */
	EXPECT_TRUE(t, queue_work(system_wq, &rec_a.work));
	flush_work(&rec_a.work);
	EXPECT_EQ(t, rec_a.runs, 1);

	/* disabling a pending item takes it off its queue: it never runs */
	preempt_disable();
	EXPECT_TRUE(t, queue_work(system_wq, &rec_a.work));
	pending_disabled = disable_work(&rec_a.work);
	preempt_enable();
	EXPECT_TRUE(t, pending_disabled);
	msleep(20);
	EXPECT_EQ(t, rec_a.runs, 1);
	EXPECT_TRUE(t, enable_work(&rec_a.work));

	/* disable_work_sync waits for a running instance, as cancel_work_sync */
	atomic_set(&slow_started, 0);
	slow_finished = false;
	{
		static DECLARE_WORK(w, slow_fn);

		ASSERT_TRUE(t, schedule_work(&w));
		ASSERT_TRUE(t, wqt_wait_atomic(&slow_started, 1));
		EXPECT_FALSE(t, disable_work_sync(&w));
		EXPECT_TRUE(t, READ_ONCE(slow_finished));
		EXPECT_FALSE(t, schedule_work(&w));
		EXPECT_TRUE(t, enable_work(&w));
	}
}

/* ---- flush, drain, destroy ---- */

static atomic_t flush_count;

static void counted_fn(struct work_struct *w)
{
	msleep(20);
	atomic_inc(&flush_count);
}

static void flush_workqueue_waits_all(struct ktest *t)
{
	static struct work_struct items[5];
	struct workqueue_struct *wq = alloc_workqueue("wqt_flush", 0, 2);

	ASSERT_NOT_NULL(t, wq);
	atomic_set(&flush_count, 0);
	for (int i = 0; i < 5; i++) {
		INIT_WORK(&items[i], counted_fn);
		EXPECT_TRUE(t, queue_work(wq, &items[i]));
	}
	flush_workqueue(wq);
	EXPECT_EQ(t, atomic_read(&flush_count), 5);
	/* an empty workqueue flushes at once */
	flush_workqueue(wq);
	destroy_workqueue(wq);
}

static struct workqueue_struct *chain_wq;
static atomic_t chain_count;
#define CHAIN_LEN 6

static void chain_fn(struct work_struct *w)
{
	msleep(5);
	/* queueing on a draining workqueue is allowed from its own items */
	if (atomic_inc_return(&chain_count) < CHAIN_LEN)
		queue_work(chain_wq, w);
}

static void drain_waits_for_chains(struct ktest *t)
{
	static struct work_struct w;

	chain_wq = alloc_workqueue("wqt_chain", 0, 0);
	ASSERT_NOT_NULL(t, chain_wq);
	atomic_set(&chain_count, 0);
	INIT_WORK(&w, chain_fn);
	EXPECT_TRUE(t, queue_work(chain_wq, &w));
	drain_workqueue(chain_wq);
	EXPECT_EQ(t, atomic_read(&chain_count), CHAIN_LEN);
	/* drained, and usable again */
	EXPECT_TRUE(t, queue_work(chain_wq, &w));
	drain_workqueue(chain_wq);
	EXPECT_EQ(t, atomic_read(&chain_count), CHAIN_LEN + 1);
	destroy_workqueue(chain_wq);
}

static void destroy_drains_first(struct ktest *t)
{
	static struct work_struct items[4];
	struct workqueue_struct *wq = alloc_workqueue("wqt_destroy", 0, 1);

	ASSERT_NOT_NULL(t, wq);
	atomic_set(&flush_count, 0);
	for (int i = 0; i < 4; i++) {
		INIT_WORK(&items[i], counted_fn);
		EXPECT_TRUE(t, queue_work(wq, &items[i]));
	}
	destroy_workqueue(wq);
	EXPECT_EQ(t, atomic_read(&flush_count), 4);
}

/* ---- flushing from the inside is caught ---- */

static struct workqueue_struct *self_wq;
static atomic_t self_done;

static void flush_own_wq_fn(struct work_struct *w)
{
	flush_workqueue(self_wq);
	atomic_inc(&self_done);
}

static void flush_self_fn(struct work_struct *w)
{
	atomic_add(flush_work(w) ? 100 : 1, &self_done);
}

static void flush_from_own_item_warns(struct ktest *t)
{
	static struct work_struct w1, w2;
	unsigned long mark;
	const char *log;

	self_wq = alloc_workqueue("wqt_self", 0, 0);
	ASSERT_NOT_NULL(t, self_wq);
	atomic_set(&self_done, 0);
	INIT_WORK(&w1, flush_own_wq_fn);
	INIT_WORK(&w2, flush_self_fn);
	mark = ktest_log_mark();
	EXPECT_TRUE(t, queue_work(self_wq, &w1));
	ASSERT_TRUE(t, wqt_wait_atomic(&self_done, 1));
	EXPECT_TRUE(t, queue_work(self_wq, &w2));
	ASSERT_TRUE(t, wqt_wait_atomic(&self_done, 2));
	/* flush_work() of itself returned false (did not wait) */
	EXPECT_EQ(t, atomic_read(&self_done), 2);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "flushes its own workqueue wqt_self"));
	EXPECT_NOT_NULL(t, strstr(log, "flushing itself"));
	destroy_workqueue(self_wq);
}

/* ---- introspection ---- */

static DECLARE_COMPLETION(show_release);
static atomic_t show_started;

static void wqt_show_blocker(struct work_struct *w)
{
	atomic_inc(&show_started);
	wait_for_completion(&show_release);
}

static void show_lists_workers_and_items(struct ktest *t)
{
	static DECLARE_WORK(w, wqt_show_blocker);
	unsigned long mark;
	const char *log;

	reinit_completion(&show_release);
	atomic_set(&show_started, 0);
	ASSERT_TRUE(t, schedule_work(&w));
	ASSERT_TRUE(t, wqt_wait_atomic(&show_started, 1));
	mark = ktest_log_mark();
	show_all_workqueues(printk);
	log = ktest_log_since(mark);
	complete(&show_release);
	flush_work(&w);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "workqueue events: flags=0x0 max_active=256"));
	EXPECT_NOT_NULL(t, strstr(log, "workqueue events_bh"));
	EXPECT_NOT_NULL(t, strstr(log, "kworker/0:"));
	EXPECT_NOT_NULL(t, strstr(log, "unbound"));
	/* the busy worker and the item it runs */
	EXPECT_NOT_NULL(t, strstr(log, "wqt_show_blocker"));
}

static struct ktest_case workqueue_cases[] = {
	KTEST_CASE(basic_queue_flush),
	KTEST_CASE(runs_in_kworker),
	KTEST_CASE(highpri_runs_in_h_worker),
	KTEST_CASE(unbound_runs_in_u_worker),
	KTEST_CASE(bh_runs_in_softirq),
	KTEST_CASE(max_active_1_serializes),
	KTEST_CASE(max_active_2_overlaps),
	KTEST_CASE(sleeping_item_does_not_stall_pool),
	KTEST_CASE(cpu_intensive_lets_others_start),
	KTEST_CASE(ordered_strict_order),
	KTEST_CASE(requeued_while_running_runs_after),
	KTEST_CASE(cancel_pending_never_runs),
	KTEST_CASE(cancel_sync_waits_for_running),
	KTEST_CASE(disable_enable_nests),
	KTEST_CASE(flush_workqueue_waits_all),
	KTEST_CASE(drain_waits_for_chains),
	KTEST_CASE(destroy_drains_first),
	KTEST_CASE(flush_from_own_item_warns),
	KTEST_CASE(show_lists_workers_and_items),
	{}
};

KTEST_SUITE(workqueue, workqueue_cases);
