/*
 * Preemption and atomic context: the tick preempts a task that never
 * gives up the CPU; nothing preempts inside preempt_disable(), and a
 * task woken there runs exactly at preempt_enable(); a FIFO task woken
 * by an interrupt runs on that interrupt's return, and one woken from
 * task context at wake_up_process()'s return. spin_lock_bh() holds off
 * softirqs until the unlock runs them, spin_lock_irqsave() holds off
 * interrupts, and might_sleep() reports every atomic context (with a
 * backtrace) and nothing in plain task context.
 */
#include "sched_test.h"
#include <kernel/interrupt.h>
#include <kernel/spinlock.h>
#include <kernel/wait.h>
#include <kernel/jiffies.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>

static struct st_threads threads;
static volatile int stop;

static void preempt_suite_exit(struct ktest *t)
{
	WRITE_ONCE(stop, 1);
	st_stop_all(&threads);
	WRITE_ONCE(stop, 0);
}

static volatile unsigned long hog_loops;

static int hog_fn(void *data)
{
	while (!READ_ONCE(stop) && !kthread_should_stop())
		hog_loops++;
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* Two tasks that never sleep or yield both progress: the tick takes the CPU from each in turn. */
static void tick_preempts_hog(struct ktest *t)
{
	struct task_struct *p;
	unsigned long a0, a1, s0, s1;
	u64 t0;

	hog_loops = 0;
	p = st_track(&threads, st_kthread_run(hog_fn, NULL, "hog"));
	ASSERT_FALSE(t, IS_ERR(p));
	ASSERT_TRUE(t, wait_until(hog_loops, 2000));
	a0 = hog_loops;
	s0 = current->nr_switches;
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < 300 * NSEC_PER_MSEC)
		cpu_relax();
	a1 = hog_loops;
	s1 = current->nr_switches;
	WRITE_ONCE(stop, 1);
	st_stop(&threads, p);
	WRITE_ONCE(stop, 0);
	ktest_info(t, "the hog looped %lu times while we spun; we were switched in %lu times", a1 - a0,
		   s1 - s0);
	EXPECT_GT(t, a1 - a0, 0);
	EXPECT_GE(t, s1 - s0, 3);
}

static volatile int seq, seen_seq, fifo_ran;
static volatile unsigned long spin, spin_at_wake, spin_at_run;

static int fifo_record_fn(void *data)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
		if (kthread_should_stop())
			break;
		seen_seq = seq;
		spin_at_run = spin;
		fifo_ran++;
	}
	return 0;
}

static struct task_struct *start_fifo(struct ktest *t)
{
	struct task_struct *p = st_track(&threads, st_kthread_run(fifo_record_fn, NULL, "fifo-rec"));

	if (IS_ERR(p))
		return NULL;
	sched_set_fifo(p);
	if (!wait_until(task_sleeping(p), 2000))
		return NULL;
	fifo_ran = 0;
	return p;
}

/* Woken inside preempt_disable(): runs at the preempt_enable() and not a moment before. */
static void woken_inside_preempt_disable(struct ktest *t)
{
	struct task_struct *p = start_fifo(t);
	bool resched;

	ASSERT_NOT_NULL(t, p);
	seq = 0;
	preempt_disable();
	seq = 1;
	EXPECT_EQ(t, wake_up_process(p), 1);
	/* several ticks pass with a reschedule due: none may switch */
	udelay(20000);
	resched = need_resched();
	seq = 2;
	preempt_enable();
	seq = 3;
	EXPECT_TRUE(t, resched);
	EXPECT_EQ(t, fifo_ran, 1);
	EXPECT_EQ(t, seen_seq, 2);
	st_stop(&threads, p);
}

/* Woken from task context: a FIFO task runs before wake_up_process() returns (Linux's preemption point). */
static void task_wakeup_preempts_at_once(struct ktest *t)
{
	struct task_struct *p = start_fifo(t);

	ASSERT_NOT_NULL(t, p);
	seq = 5;
	EXPECT_EQ(t, wake_up_process(p), 1);
	seq = 6;
	EXPECT_EQ(t, fifo_ran, 1);
	EXPECT_EQ(t, seen_seq, 5);
	st_stop(&threads, p);
}

struct irq_waker {
	struct timer_list timer;
	struct task_struct *task;
	volatile int in_softirq;
};

static void wake_fifo_timer(struct timer_list *tl)
{
	struct irq_waker *w = from_timer(w, tl, timer);

	w->in_softirq = current != ksoftirqd_task(0) && in_serving_softirq();
	spin_at_wake = spin;
	wake_up_process(w->task);
}

/*
 * Woken by an interrupt (a timer, run in the softirq at the end of the
 * tick interrupt) while we spin: the FIFO task runs on that interrupt's
 * return, before we get back to count even once more.
 */
static void irq_wakeup_preempts_on_return(struct ktest *t)
{
	struct task_struct *p = start_fifo(t);
	struct irq_waker w = { .task = p };
	bool ok = false;

	ASSERT_NOT_NULL(t, p);
	timer_setup(&w.timer, wake_fifo_timer, 0);
	/* a softirq deferred to ksoftirqd is not an interrupt return: try again then */
	for (int tries = 0; tries < 3 && !ok; tries++) {
		u64 t0 = ktime_get_ns();

		fifo_ran = 0;
		spin = 1;
		mod_timer(&w.timer, jiffies + 2);
		while (!READ_ONCE(fifo_ran) && ktime_get_ns() - t0 < 2000 * NSEC_PER_MSEC)
			WRITE_ONCE(spin, spin + 1);
		del_timer_sync(&w.timer);
		ok = w.in_softirq;
		ktest_info(t, "try %d: woken at count %lu, ran at count %lu, from %s", tries, spin_at_wake,
			   spin_at_run, w.in_softirq ? "the tick's softirq" : "elsewhere");
	}
	EXPECT_TRUE(t, ok);
	EXPECT_EQ(t, fifo_ran, 1);
	EXPECT_EQ(t, spin_at_run, spin_at_wake);
	st_stop(&threads, p);
}

/* ---- spinlock variants ---- */

static DEFINE_SPINLOCK(test_lock);
static volatile int tasklet_runs, tasklet_in_softirq;
static volatile int timer_runs;

static void bh_tasklet_fn(struct tasklet_struct *tl)
{
	tasklet_in_softirq = !!in_serving_softirq();
	tasklet_runs++;
}

static void bh_timer_fn(struct timer_list *tl)
{
	timer_runs++;
}

static void spin_lock_bh_blocks_softirqs(struct ktest *t)
{
	struct tasklet_struct tl;
	struct timer_list tm;
	unsigned long j0;
	int ran_inside_tasklet, ran_inside_timer;

	tasklet_setup(&tl, bh_tasklet_fn);
	timer_setup(&tm, bh_timer_fn, 0);
	tasklet_runs = timer_runs = 0;
	spin_lock_bh(&test_lock);
	EXPECT_TRUE(t, in_softirq());
	EXPECT_FALSE(t, in_serving_softirq());
	tasklet_schedule(&tl);
	mod_timer(&tm, jiffies + 1);
	j0 = jiffies;
	/*
	 * Two ticks or more (the timer is then due): their irq_exit() must
	 * leave both softirqs pending. Counted in ticks, not a fixed delay,
	 * so a host that stalls the virtual CPU cannot cut it short.
	 */
	for (u64 end = ktime_get_ns() + 2 * NSEC_PER_SEC; jiffies - j0 < 3 && ktime_get_ns() < end;)
		cpu_relax();
	ran_inside_tasklet = tasklet_runs;
	ran_inside_timer = timer_runs;
	EXPECT_GE(t, jiffies - j0, 2);
	EXPECT_TRUE(t, local_softirq_pending() & (1u << TASKLET_SOFTIRQ));
	EXPECT_TRUE(t, local_softirq_pending() & (1u << TIMER_SOFTIRQ));
	spin_unlock_bh(&test_lock);
	/* and the unlock ran them, right there */
	EXPECT_EQ(t, ran_inside_tasklet, 0);
	EXPECT_EQ(t, ran_inside_timer, 0);
	EXPECT_EQ(t, tasklet_runs, 1);
	EXPECT_EQ(t, tasklet_in_softirq, 1);
	EXPECT_EQ(t, timer_runs, 1);
	EXPECT_FALSE(t, in_softirq());
	del_timer_sync(&tm);
	tasklet_kill(&tl);
}

static void spin_lock_irqsave_blocks_irqs(struct ktest *t)
{
	unsigned long flags, flags2, j0, j1, j2;

	EXPECT_FALSE(t, irqs_disabled());
	spin_lock_irqsave(&test_lock, flags);
	EXPECT_TRUE(t, irqs_disabled());
	EXPECT_EQ(t, preempt_count() & PREEMPT_MASK, 1);
	j0 = jiffies;
	udelay(20000);		/* five ticks at HZ=250: none can come in */
	j1 = jiffies;
	/* nested: the inner restore keeps them off */
	local_irq_save(flags2);
	local_irq_restore(flags2);
	EXPECT_TRUE(t, irqs_disabled());
	spin_unlock_irqrestore(&test_lock, flags);
	EXPECT_FALSE(t, irqs_disabled());
	EXPECT_EQ(t, j1, j0);
	/* the held-off tick arrives now */
	j2 = jiffies;
	EXPECT_TRUE(t, wait_until(jiffies != j2, 1000));

	spin_lock_irq(&test_lock);
	EXPECT_TRUE(t, irqs_disabled());
	spin_unlock_irq(&test_lock);
	EXPECT_FALSE(t, irqs_disabled());
	EXPECT_EQ(t, preempt_count(), 0);
}

/* ---- might_sleep ---- */

static const char msg_bug[] = "BUG: sleeping function called from invalid context";

/* Whether the log since mark has the report and a backtrace after it. */
static bool reported_since(unsigned long mark)
{
	const char *log = ktest_log_since(mark);
	const char *b = log ? strstr(log, msg_bug) : NULL;

	return b && strstr(b, "Call Trace");
}

static volatile int softirq_might_sleep_done;

static void might_sleep_timer(struct timer_list *tl)
{
	might_sleep();
	softirq_might_sleep_done = 1;
}

static void might_sleep_reports_atomic(struct ktest *t)
{
	unsigned long mark, flags;
	const char *log;
	struct timer_list tm;

	mark = ktest_log_mark();
	might_sleep();
	log = ktest_log_since(mark);
	EXPECT_TRUE(t, log && !strstr(log, msg_bug));

	mark = ktest_log_mark();
	preempt_disable();
	might_sleep();
	preempt_enable();
	EXPECT_TRUE(t, reported_since(mark));

	mark = ktest_log_mark();
	spin_lock(&test_lock);
	might_sleep();
	spin_unlock(&test_lock);
	EXPECT_TRUE(t, reported_since(mark));

	mark = ktest_log_mark();
	local_irq_save(flags);
	might_sleep();
	local_irq_restore(flags);
	EXPECT_TRUE(t, reported_since(mark));
	log = ktest_log_since(mark);
	EXPECT_TRUE(t, log && strstr(log, "irqs_disabled(): 1"));

	mark = ktest_log_mark();
	local_bh_disable();
	might_sleep();
	local_bh_enable();
	EXPECT_TRUE(t, reported_since(mark));

	/* in a softirq (a timer function) */
	softirq_might_sleep_done = 0;
	timer_setup(&tm, might_sleep_timer, 0);
	mark = ktest_log_mark();
	mod_timer(&tm, jiffies + 1);
	EXPECT_TRUE(t, wait_until(softirq_might_sleep_done, 2000));
	del_timer_sync(&tm);
	EXPECT_TRUE(t, reported_since(mark));

	/* and back in plain task context, quiet again */
	mark = ktest_log_mark();
	might_sleep();
	msleep(1);
	log = ktest_log_since(mark);
	EXPECT_TRUE(t, log && !strstr(log, msg_bug));
}

static struct ktest_case preempt_cases[] = {
	KTEST_CASE(tick_preempts_hog),
	KTEST_CASE(woken_inside_preempt_disable),
	KTEST_CASE(task_wakeup_preempts_at_once),
	KTEST_CASE(irq_wakeup_preempts_on_return),
	KTEST_CASE(spin_lock_bh_blocks_softirqs),
	KTEST_CASE(spin_lock_irqsave_blocks_irqs),
	KTEST_CASE(might_sleep_reports_atomic),
	{},
};
KTEST_SUITE(preempt, preempt_cases, .exit = preempt_suite_exit);
