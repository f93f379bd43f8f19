/*
 * Delayed work: an item fires on the tick its delay ends (never before),
 * mod_delayed_work moves the time, cancelling stops it (and the _sync
 * form waits for a running one), flush_delayed_work runs it at once, and
 * an item that requeues itself can be stopped reliably.
 */
#include "workqueue_test.h"
#include <kernel/atomic.h>

static struct wq_rec rec;

/*
 * The item runs in a kworker after the timer softirq queued it: it may
 * see jiffies at most SLACK ticks after the due one (the tick in
 * progress, and a worker that could not run before the next one).
 * Early is never allowed. Late is retried: a host stall can make any
 * single try late, a wrong expiry misses every time.
 */
#define DELAY_SLACK	2
#define DELAY_TRIES	3

static void fires_after_its_delay(struct ktest *t)
{
	const unsigned long delay = 10;
	unsigned long j0 = 0, late = ~0ul;

	for (int i = 0; i < DELAY_TRIES && late > DELAY_SLACK; i++) {
		wq_rec_init(&rec, 0);
		j0 = jiffies;
		ASSERT_TRUE(t, queue_delayed_work(system_highpri_wq, &rec.dwork, delay));
		EXPECT_TRUE(t, delayed_work_pending(&rec.dwork));
		ASSERT_TRUE(t, wq_rec_wait(&rec));
		/* jiffies start 5 minutes before wrapping, as Linux's: compare as time_* do */
		ASSERT_TRUE(t, time_after_eq(rec.jiffies_run, j0 + delay));
		late = rec.jiffies_run - (j0 + delay);
		ktest_info(t, "delay %lu: ran %ld jiffies after queueing, %lu late, in %s", delay,
			   (long)(rec.jiffies_run - j0), late, rec.comm);
	}
	EXPECT_LE(t, late, DELAY_SLACK);
	EXPECT_TRUE(t, str_starts(rec.comm, "kworker/0:"));
	EXPECT_FALSE(t, delayed_work_pending(&rec.dwork));
}

static void double_queue_returns_false(struct ktest *t)
{
	wq_rec_init(&rec, 0);
	EXPECT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 5));
	EXPECT_FALSE(t, queue_delayed_work(system_wq, &rec.dwork, 1));
	EXPECT_FALSE(t, queue_work(system_wq, &rec.dwork.work));
	ASSERT_TRUE(t, wq_rec_wait(&rec));
	msleep(40);
	EXPECT_EQ(t, rec.runs, 1);
	/* delay 0 queues at once */
	EXPECT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 0));
	ASSERT_TRUE(t, wq_rec_wait(&rec));
	EXPECT_EQ(t, rec.runs, 2);
}

static void mod_delayed_work_moves_the_time(struct ktest *t)
{
	unsigned long j0, late = ~0ul;

	for (int i = 0; i < DELAY_TRIES && late > DELAY_SLACK; i++) {
		wq_rec_init(&rec, 0);
		/* 20 s away ... */
		ASSERT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 20 * HZ));
		j0 = jiffies;
		/* ... brought in to 5 ticks: returns true, it was pending */
		EXPECT_TRUE(t, mod_delayed_work(system_wq, &rec.dwork, 5));
		ASSERT_TRUE(t, wq_rec_wait(&rec));
		ASSERT_TRUE(t, time_after_eq(rec.jiffies_run, j0 + 5));
		late = rec.jiffies_run - (j0 + 5);
	}
	EXPECT_LE(t, late, DELAY_SLACK);

	/* pushed out: it does not run at the first time */
	wq_rec_init(&rec, 0);
	ASSERT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 2));
	EXPECT_TRUE(t, mod_delayed_work(system_wq, &rec.dwork, 20 * HZ));
	msleep(100);
	EXPECT_EQ(t, rec.runs, 0);
	EXPECT_TRUE(t, cancel_delayed_work_sync(&rec.dwork));

	/* on an idle item it just queues, and returns false */
	EXPECT_FALSE(t, mod_delayed_work(system_wq, &rec.dwork, 1));
	ASSERT_TRUE(t, wq_rec_wait(&rec));
	EXPECT_EQ(t, rec.runs, 1);
}

static void cancel_prevents_it(struct ktest *t)
{
	wq_rec_init(&rec, 0);
	ASSERT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 10));
	EXPECT_TRUE(t, cancel_delayed_work(&rec.dwork));
	EXPECT_FALSE(t, delayed_work_pending(&rec.dwork));
	msleep(100);
	EXPECT_EQ(t, rec.runs, 0);
	EXPECT_FALSE(t, cancel_delayed_work(&rec.dwork));
	EXPECT_FALSE(t, flush_delayed_work(&rec.dwork));
}

static void cancel_sync_waits_for_running(struct ktest *t)
{
	wq_rec_init(&rec, 100);
	ASSERT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 1));
	/* wait until it runs (current_work is recorded before its sleep) */
	for (int i = 0; i < WQT_TIMEOUT_MS / 5 && !READ_ONCE(rec.cur); i++)
		msleep(5);
	ASSERT_TRUE(t, READ_ONCE(rec.cur) != NULL);
	EXPECT_EQ(t, READ_ONCE(rec.runs), 0);
	EXPECT_FALSE(t, cancel_delayed_work_sync(&rec.dwork));
	EXPECT_EQ(t, READ_ONCE(rec.runs), 1);
}

static void flush_delayed_runs_it_now(struct ktest *t)
{
	unsigned long j0 = jiffies;

	wq_rec_init(&rec, 0);
	ASSERT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 20 * HZ));
	/*
	 * true if it had to wait for the item; false is right too if the
	 * kworker it woke preempted us and ran the item before the flush
	 * looked (Linux: "false if it was already idle"). Either way the item
	 * has run when it returns, 20 s early.
	 */
	flush_delayed_work(&rec.dwork);
	EXPECT_EQ(t, rec.runs, 1);
	EXPECT_TRUE(t, time_before(rec.jiffies_run, j0 + 20 * HZ));
}

/* ---- periodic ---- */

#define NR_PERIODS 5
static DECLARE_DELAYED_WORK(periodic, NULL);
static atomic_t periods;
static int period_limit;		/* 0: forever */
static unsigned long period_jiffies[NR_PERIODS];

static void periodic_fn(struct work_struct *w)
{
	int n = atomic_inc_return(&periods);

	if (n <= NR_PERIODS)
		period_jiffies[n - 1] = jiffies;
	if (!period_limit || n < period_limit)
		queue_delayed_work(system_wq, to_delayed_work(w), 2);
}

static void periodic_self_requeue(struct ktest *t)
{
	int n;

	periodic.work.func = periodic_fn;
	atomic_set(&periods, 0);
	period_limit = NR_PERIODS;
	ASSERT_TRUE(t, schedule_delayed_work(&periodic, 2));
	ASSERT_TRUE(t, wqt_wait_atomic(&periods, NR_PERIODS));
	msleep(100);
	EXPECT_EQ(t, atomic_read(&periods), NR_PERIODS);
	EXPECT_FALSE(t, delayed_work_pending(&periodic));
	for (int i = 1; i < NR_PERIODS; i++)
		EXPECT_GE(t, (long)(period_jiffies[i] - period_jiffies[i - 1]), 2L);

	/* forever, until cancel_delayed_work_sync(): it must stop for good, whatever state it is in */
	atomic_set(&periods, 0);
	period_limit = 0;
	ASSERT_TRUE(t, schedule_delayed_work(&periodic, 1));
	ASSERT_TRUE(t, wqt_wait_atomic(&periods, 3));
	cancel_delayed_work_sync(&periodic);
	n = atomic_read(&periods);
	EXPECT_FALSE(t, delayed_work_pending(&periodic));
	msleep(100);
	EXPECT_EQ(t, atomic_read(&periods), n);
	EXPECT_FALSE(t, delayed_work_pending(&periodic));
}

static void disabled_delayed_work_is_refused(struct ktest *t)
{
	wq_rec_init(&rec, 0);
	ASSERT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 10));
	EXPECT_TRUE(t, disable_delayed_work(&rec.dwork));
	EXPECT_FALSE(t, queue_delayed_work(system_wq, &rec.dwork, 1));
	EXPECT_FALSE(t, mod_delayed_work(system_wq, &rec.dwork, 1));
	msleep(80);
	EXPECT_EQ(t, rec.runs, 0);
	EXPECT_TRUE(t, enable_delayed_work(&rec.dwork));
	EXPECT_TRUE(t, queue_delayed_work(system_wq, &rec.dwork, 1));
	ASSERT_TRUE(t, wq_rec_wait(&rec));
	EXPECT_EQ(t, rec.runs, 1);
}

static struct ktest_case workqueue_delayed_cases[] = {
	KTEST_CASE(fires_after_its_delay),
	KTEST_CASE(double_queue_returns_false),
	KTEST_CASE(mod_delayed_work_moves_the_time),
	KTEST_CASE(cancel_prevents_it),
	KTEST_CASE(cancel_sync_waits_for_running),
	KTEST_CASE(flush_delayed_runs_it_now),
	KTEST_CASE(periodic_self_requeue),
	KTEST_CASE(disabled_delayed_work_is_refused),
	{}
};

KTEST_SUITE(workqueue_delayed, workqueue_delayed_cases);
