/*
 * Sleeping primitives: wait queues (wait_event, the timeout forms'
 * return values, exclusive waiters woken one per wake_up(), wake_up_all),
 * completions (complete wakes one, complete_all every present and later
 * waiter, timeouts, try_wait, reinit) and mutexes (exclusion among
 * threads that sleep holding it, FIFO hand-off, trylock, a warning on
 * recursive locking).
 */
#include "sched_test.h"
#include <kernel/wait.h>
#include <kernel/completion.h>
#include <kernel/mutex.h>
#include <kernel/jiffies.h>

static struct st_threads threads;
static DECLARE_WAIT_QUEUE_HEAD(wq);
static volatile int cond, woken;

static void wait_suite_exit(struct ktest *t)
{
	/* every waiter's condition also ends on kthread_should_stop(); kthread_stop() wakes it */
	st_stop_all(&threads);
}

/* ---- wait queues ---- */

static int waiter_fn(void *data)
{
	bool exclusive = data != NULL;

	if (exclusive)
		wait_event_exclusive(wq, READ_ONCE(cond) || kthread_should_stop());
	else
		wait_event(wq, READ_ONCE(cond) || kthread_should_stop());
	if (!kthread_should_stop())
		__atomic_add_fetch(&woken, 1, __ATOMIC_SEQ_CST);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static bool start_waiters(struct ktest *t, struct task_struct **p, int n, bool exclusive)
{
	for (int i = 0; i < n; i++) {
		p[i] = st_track(&threads, kthread_run(waiter_fn, exclusive ? (void *)1 : NULL,
						      "waiter%d", i));
		if (IS_ERR(p[i]))
			return false;
	}
	for (int i = 0; i < n; i++)
		if (!wait_until(task_sleeping(p[i]), 2000))
			return false;
	return true;
}

static void wait_event_wakes(struct ktest *t)
{
	struct task_struct *p[1];

	cond = woken = 0;
	ASSERT_TRUE(t, start_waiters(t, p, 1, false));
	EXPECT_TRUE(t, waitqueue_active(&wq));
	/* a wake-up without the condition: it checks and sleeps again */
	wake_up(&wq);
	msleep(20);
	EXPECT_EQ(t, woken, 0);
	EXPECT_TRUE(t, wait_until(task_sleeping(p[0]), 2000));
	cond = 1;
	wake_up(&wq);
	EXPECT_TRUE(t, wait_until(woken == 1, 2000));
	EXPECT_FALSE(t, waitqueue_active(&wq));
	st_stop(&threads, p[0]);
}

/* Stop n waiters started by start_waiters(). */
static void stop_waiters(struct task_struct **p, int n)
{
	for (int i = 0; i < n; i++)
		st_stop(&threads, p[i]);
}

static void wake_up_exclusive_one_at_a_time(struct ktest *t)
{
	struct task_struct *p[3];

	cond = woken = 0;
	ASSERT_TRUE(t, start_waiters(t, p, 3, true));
	/* the condition holds for all of them, but each wake_up() wakes one */
	cond = 1;
	for (int n = 1; n <= 3; n++) {
		wake_up(&wq);
		EXPECT_TRUE(t, wait_until(woken >= n, 2000));
		msleep(30);
		EXPECT_EQ(t, woken, n);
	}
	stop_waiters(p, 3);
}

static void wake_up_all_wakes_all(struct ktest *t)
{
	struct task_struct *p[4], *x[2];

	cond = woken = 0;
	ASSERT_TRUE(t, start_waiters(t, p, 4, false));
	ASSERT_TRUE(t, start_waiters(t, x, 2, true));
	cond = 1;
	wake_up_all(&wq);
	EXPECT_TRUE(t, wait_until(woken == 6, 2000));
	stop_waiters(p, 4);
	stop_waiters(x, 2);
}

/* Non-exclusive waiters are all woken by wake_up(), plus one exclusive one. */
static void wake_up_mixed(struct ktest *t)
{
	struct task_struct *p[2], *x[2];

	cond = woken = 0;
	ASSERT_TRUE(t, start_waiters(t, x, 2, true));
	ASSERT_TRUE(t, start_waiters(t, p, 2, false));
	cond = 1;
	wake_up(&wq);
	EXPECT_TRUE(t, wait_until(woken >= 3, 2000));
	msleep(30);
	EXPECT_EQ(t, woken, 3);
	wake_up(&wq);
	EXPECT_TRUE(t, wait_until(woken == 4, 2000));
	stop_waiters(p, 2);
	stop_waiters(x, 2);
}

static struct timer_list cond_timer;

static void set_cond_fn(struct timer_list *tl)
{
	cond = 1;
	wake_up(&wq);
}

static void wait_event_timeout_returns(struct ktest *t)
{
	unsigned long j0;
	long ret;

	/* timeout, condition false: 0, after at least the timeout */
	cond = 0;
	j0 = jiffies;
	ret = wait_event_timeout(wq, cond, 5);
	EXPECT_EQ(t, ret, 0);
	EXPECT_GE(t, jiffies - j0, 5);
	/* condition true at once: the whole timeout left */
	cond = 1;
	EXPECT_EQ(t, wait_event_timeout(wq, cond, 7), 7);
	/* woken in time by an interrupt (a timer): what is left, at least 1 */
	cond = 0;
	timer_setup(&cond_timer, set_cond_fn, 0);
	mod_timer(&cond_timer, jiffies + 3);
	ret = wait_event_timeout(wq, cond, HZ);
	del_timer_sync(&cond_timer);
	ktest_info(t, "woken by a timer 3 jiffies away: %ld of %d left", ret, HZ);
	EXPECT_GE(t, ret, 1);
	EXPECT_GT(t, ret, HZ / 2);
	EXPECT_LE(t, ret, HZ - 3);
	/* true only once the timeout has run out: that still counts as true, so 1, not 0 */
	j0 = jiffies;
	ret = wait_event_timeout(wq, time_after_eq(jiffies, j0 + 2), 2);
	EXPECT_EQ(t, ret, 1);
	cond = 0;
}

/* ---- completions ---- */

static DECLARE_COMPLETION(done);

static int completion_waiter(void *data)
{
	wait_for_completion(&done);
	if (!kthread_should_stop())
		__atomic_add_fetch(&woken, 1, __ATOMIC_SEQ_CST);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static bool start_completion_waiters(struct task_struct **p, int n)
{
	for (int i = 0; i < n; i++) {
		p[i] = st_track(&threads, kthread_run(completion_waiter, NULL, "cwait%d", i));
		if (IS_ERR(p[i]))
			return false;
	}
	for (int i = 0; i < n; i++)
		if (!wait_until(task_sleeping(p[i]), 2000))
			return false;
	return true;
}

static void completion_exit(struct ktest *t)
{
	/* waiters blocked in wait_for_completion() only leave through a completion */
	complete_all(&done);
	wait_suite_exit(t);
}

static void complete_wakes_one_all_wakes_rest(struct ktest *t)
{
	struct task_struct *p[3], *late[1];

	reinit_completion(&done);
	woken = 0;
	ASSERT_TRUE(t, start_completion_waiters(p, 3));
	complete(&done);
	EXPECT_TRUE(t, wait_until(woken == 1, 2000));
	msleep(30);
	EXPECT_EQ(t, woken, 1);
	EXPECT_FALSE(t, completion_done(&done));	/* the one event was taken */
	complete_all(&done);
	EXPECT_TRUE(t, wait_until(woken == 3, 2000));
	/* and a later waiter passes straight through */
	EXPECT_TRUE(t, completion_done(&done));
	late[0] = st_track(&threads, kthread_run(completion_waiter, NULL, "cwait-late"));
	ASSERT_FALSE(t, IS_ERR(late[0]));
	EXPECT_TRUE(t, wait_until(woken == 4, 2000));
	wait_for_completion(&done);
	EXPECT_TRUE(t, try_wait_for_completion(&done));
	stop_waiters(p, 3);
	st_stop(&threads, late[0]);
	reinit_completion(&done);
}

static void completion_counts_and_reinit(struct ktest *t)
{
	struct completion c;

	init_completion(&c);
	EXPECT_FALSE(t, completion_done(&c));
	EXPECT_FALSE(t, try_wait_for_completion(&c));
	/* events before the waits are kept, one per wait */
	complete(&c);
	complete(&c);
	EXPECT_TRUE(t, completion_done(&c));
	wait_for_completion(&c);
	EXPECT_TRUE(t, try_wait_for_completion(&c));
	EXPECT_FALSE(t, try_wait_for_completion(&c));
	complete_all(&c);
	for (int i = 0; i < 5; i++)
		EXPECT_TRUE(t, try_wait_for_completion(&c));
	reinit_completion(&c);
	EXPECT_FALSE(t, completion_done(&c));
	EXPECT_FALSE(t, try_wait_for_completion(&c));
}

static struct completion tc;
static struct timer_list complete_timer;

static void complete_fn(struct timer_list *tl)
{
	complete(&tc);
}

static void wait_for_completion_timeout_returns(struct ktest *t)
{
	unsigned long j0 = jiffies, ret;

	init_completion(&tc);
	EXPECT_EQ(t, wait_for_completion_timeout(&tc, 5), 0);
	EXPECT_GE(t, jiffies - j0, 5);
	EXPECT_EQ(t, wait_for_completion_timeout(&tc, 0), 0);
	/* completed from an interrupt in time: jiffies left, at least 1 */
	timer_setup(&complete_timer, complete_fn, 0);
	mod_timer(&complete_timer, jiffies + 3);
	ret = wait_for_completion_timeout(&tc, HZ);
	del_timer_sync(&complete_timer);
	EXPECT_GT(t, ret, HZ / 2);
	EXPECT_LE(t, ret, HZ - 3);
	/* already completed: at least 1, even with timeout 0 */
	complete(&tc);
	EXPECT_GE(t, wait_for_completion_timeout(&tc, 0), 1);
}

/* ---- mutexes ---- */

static DEFINE_MUTEX(test_mutex);
static volatile int inside, max_inside, total;
static volatile int hand_order[4], hand_n;

static int mutex_worker(void *data)
{
	for (int i = 0; i < 5 && !kthread_should_stop(); i++) {
		mutex_lock(&test_mutex);
		inside++;
		if (inside > max_inside)
			max_inside = inside;
		msleep(2);	/* sleep holding it: the others must block, not enter */
		total++;
		inside--;
		mutex_unlock(&test_mutex);
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void mutex_exclusion(struct ktest *t)
{
	struct task_struct *p[4];

	inside = max_inside = total = 0;
	for (int i = 0; i < 4; i++) {
		p[i] = st_track(&threads, kthread_run(mutex_worker, NULL, "mutex%d", i));
		ASSERT_FALSE(t, IS_ERR(p[i]));
	}
	EXPECT_TRUE(t, wait_until(total == 20, 5000));
	EXPECT_EQ(t, max_inside, 1);
	EXPECT_FALSE(t, mutex_is_locked(&test_mutex));
	for (int i = 0; i < 4; i++)
		st_stop(&threads, p[i]);
}

static int mutex_order_fn(void *data)
{
	mutex_lock(&test_mutex);
	hand_order[hand_n++] = (int)(long)data;
	mutex_unlock(&test_mutex);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void mutex_exit(struct ktest *t)
{
	if (test_mutex.owner == current)
		mutex_unlock(&test_mutex);
	wait_suite_exit(t);
}

static void mutex_fifo_handoff(struct ktest *t)
{
	struct task_struct *p[3];

	hand_n = 0;
	mutex_lock(&test_mutex);
	/* queue them one after the other, each asleep before the next starts */
	for (long i = 0; i < 3; i++) {
		p[i] = st_track(&threads, kthread_run(mutex_order_fn, (void *)(i + 1), "handoff%ld", i));
		ASSERT_FALSE(t, IS_ERR(p[i]));
		ASSERT_TRUE(t, wait_until(task_sleeping(p[i]), 2000));
	}
	/* unlock hands it straight to the first waiter, before that one even runs */
	preempt_disable();
	mutex_unlock(&test_mutex);
	EXPECT_TRUE(t, test_mutex.owner == p[0]);
	EXPECT_EQ(t, mutex_trylock(&test_mutex), 0);
	preempt_enable();
	EXPECT_TRUE(t, wait_until(hand_n == 3, 2000));
	EXPECT_EQ(t, hand_order[0], 1);
	EXPECT_EQ(t, hand_order[1], 2);
	EXPECT_EQ(t, hand_order[2], 3);
	EXPECT_FALSE(t, mutex_is_locked(&test_mutex));
	stop_waiters(p, 3);
}

static void mutex_trylock_and_recursion(struct ktest *t)
{
	struct mutex m;
	unsigned long warns;
	unsigned long mark;
	const char *log;

	mutex_init(&m);
	EXPECT_FALSE(t, mutex_is_locked(&m));
	EXPECT_EQ(t, mutex_trylock(&m), 1);
	EXPECT_TRUE(t, mutex_is_locked(&m));
	EXPECT_TRUE(t, m.owner == current);
	EXPECT_EQ(t, mutex_trylock(&m), 0);
	/* locking it again would deadlock: a warning instead */
	st_rearm_warn_once("kernel/locking/mutex.c");
	warns = warn_count;
	mark = ktest_log_mark();
	mutex_lock(&m);
	EXPECT_EQ(t, warn_count, warns + 1);
	log = ktest_log_since(mark);
	EXPECT_TRUE(t, log && strstr(log, "mutex.c"));
	mutex_unlock(&m);
	EXPECT_FALSE(t, mutex_is_locked(&m));
	EXPECT_EQ(t, warn_count, warns + 1);
}

static struct ktest_case waitq_cases[] = {
	KTEST_CASE(wait_event_wakes),
	KTEST_CASE(wake_up_exclusive_one_at_a_time),
	KTEST_CASE(wake_up_all_wakes_all),
	KTEST_CASE(wake_up_mixed),
	KTEST_CASE(wait_event_timeout_returns),
	{},
};
KTEST_SUITE(waitqueue, waitq_cases, .exit = wait_suite_exit);

static struct ktest_case completion_cases[] = {
	KTEST_CASE(complete_wakes_one_all_wakes_rest),
	KTEST_CASE(completion_counts_and_reinit),
	KTEST_CASE(wait_for_completion_timeout_returns),
	{},
};
KTEST_SUITE(completion, completion_cases, .exit = completion_exit);

static struct ktest_case mutex_cases[] = {
	KTEST_CASE(mutex_exclusion),
	KTEST_CASE(mutex_fifo_handoff),
	KTEST_CASE(mutex_trylock_and_recursion),
	{},
};
KTEST_SUITE(mutex, mutex_cases, .exit = mutex_exit);
