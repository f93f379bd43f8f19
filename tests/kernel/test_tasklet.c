/*
 * Tasklets as Linux defines them: scheduled twice before it runs, one
 * run; rescheduled from itself, another run later, never recursively;
 * never two runs at once, even when a hard IRQ schedules it while it
 * runs; a disabled one stays queued and runs after enable; HI before
 * normal; callback and func+data forms; softirq context; tasklet_kill()
 * refused in interrupt context and otherwise waiting for a queued run.
 * One CPU: a task can never see a tasklet running (softirqs are not
 * preempted by tasks), so tasklet_disable()'s wait for a running
 * instance is checked only as far as a hard IRQ on top of the tasklet
 * sees the RUN bit; the waiting itself needs a second CPU (SMP tests).
 */
#include <kernel/ktest.h>
#include <kernel/interrupt.h>
#include <kernel/bottom_half.h>
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <kernel/string.h>
#include <kernel/bitops.h>
#include <asm/processor.h>
#include "bh_irq_source.h"

struct tl_test {
	struct tasklet_struct t;
	volatile unsigned long runs;
	volatile unsigned long depth, max_depth;
	unsigned long max_runs;		/* reschedule itself until it ran this often */
	bool serving, task, hardirq, irqs_off;
	enum stack_type stack;
	struct task_struct *who;
	unsigned long state_in_run;	/* t.state as the function saw it */
};

static struct tl_test a, b;
static struct task_struct *test_task;

static void enter(struct tl_test *x)
{
	struct stack_info info;

	x->runs++;
	if (++x->depth > x->max_depth)
		x->max_depth = x->depth;
	x->serving = in_serving_softirq();
	x->task = in_task();
	x->hardirq = in_hardirq();
	x->irqs_off = irqs_disabled();
	x->stack = get_stack_info((unsigned long)&info, &info) ? info.type : STACK_TYPE_UNKNOWN;
	x->who = current;
	x->state_in_run = x->t.state;
}

static void leave(struct tl_test *x)
{
	if (x->runs < x->max_runs)
		tasklet_schedule(&x->t);
	x->depth--;
}

static void plain_cb(struct tasklet_struct *t)
{
	struct tl_test *x = from_tasklet(x, t, t);

	enter(x);
	leave(x);
}

static int tasklet_suite_init(struct ktest *t)
{
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	tasklet_setup(&a.t, plain_cb);
	tasklet_setup(&b.t, plain_cb);
	test_task = current;
	if (!bh_wait_ksoftirqd_idle(2000))
		ktest_info(t, "ksoftirqd/0 still runnable");
	return 0;
}

static void tasklet_suite_exit(struct ktest *t)
{
	bh_src_teardown();
	a.max_runs = b.max_runs = 0;
	/* nothing of ours may stay queued after the case */
	while (atomic_read(&a.t.count) > 0)
		tasklet_enable(&a.t);
	while (atomic_read(&b.t.count) > 0)
		tasklet_enable(&b.t);
	tasklet_kill(&a.t);
	tasklet_kill(&b.t);
}

static void scheduled_twice_runs_once(struct ktest *t)
{
	local_bh_disable();
	tasklet_schedule(&a.t);
	EXPECT_TRUE(t, test_bit(TASKLET_STATE_SCHED, &a.t.state));
	tasklet_schedule(&a.t);
	tasklet_hi_schedule(&a.t);		/* queued already: not even on the other list */
	local_bh_enable();
	EXPECT_EQ(t, a.runs, 1);
	bh_spin_ms(10);
	EXPECT_EQ(t, a.runs, 1);
	EXPECT_EQ(t, a.t.state, 0);
	EXPECT_EQ(t, a.state_in_run, 1ul << TASKLET_STATE_RUN);	/* SCHED cleared before it runs */
}

static void schedule_twice_from_hardirq(void)
{
	tasklet_schedule(&a.t);
	tasklet_schedule(&a.t);
}

static void scheduled_twice_in_hardirq_runs_once(struct ktest *t)
{
	bh_src_setup(t, schedule_twice_from_hardirq);
	bh_src_fire();
	ASSERT_TRUE(t, bh_wait_for(&a.runs, 1, 2000));
	bh_spin_ms(10);
	EXPECT_EQ(t, bh_src.fired, 1);
	EXPECT_EQ(t, a.runs, 1);
	/* softirq context, right at the interrupt's irq_exit(), on the IRQ stack */
	EXPECT_TRUE(t, a.serving);
	EXPECT_FALSE(t, a.task);
	EXPECT_FALSE(t, a.hardirq);
	EXPECT_FALSE(t, a.irqs_off);
	EXPECT_TRUE(t, a.who == test_task || a.who == ksoftirqd_task(0));
	if (a.who == test_task)
		EXPECT_EQ(t, a.stack, STACK_TYPE_IRQ);
}

static void reschedules_itself_not_recursively(struct ktest *t)
{
	a.max_runs = 3;
	tasklet_schedule(&a.t);			/* from a task: ksoftirqd runs it */
	ASSERT_TRUE(t, bh_wait_for(&a.runs, 3, 2000));
	bh_spin_ms(10);
	EXPECT_EQ(t, a.runs, 3);
	EXPECT_EQ(t, a.max_depth, 1);
	EXPECT_TRUE(t, a.who == ksoftirqd_task(0));
	EXPECT_TRUE(t, a.serving);
	EXPECT_FALSE(t, a.task);
}

/* ---- a hard IRQ schedules it while it runs: the second run waits for the first ---- */

static void schedule_a_from_hardirq(void)
{
	tasklet_schedule(&a.t);
}

static unsigned long state_after_irq;

static void long_cb(struct tasklet_struct *t)
{
	struct tl_test *x = from_tasklet(x, t, t);

	enter(x);
	if (x->runs == 1) {
		u64 end = ktime_get_ns() + 1000 * NSEC_PER_MSEC;

		bh_src_fire();
		while (!bh_src.fired && ktime_get_ns() < end)
			cpu_relax();
		ndelay(5 * NSEC_PER_MSEC);	/* a long run: plenty of time to go wrong */
		state_after_irq = x->t.state;
	}
	leave(x);
}

static void never_concurrent_with_itself(struct ktest *t)
{
	tasklet_setup(&a.t, long_cb);
	bh_src_setup(t, schedule_a_from_hardirq);
	local_bh_disable();
	tasklet_schedule(&a.t);
	local_bh_enable();
	ASSERT_TRUE(t, bh_wait_for(&a.runs, 2, 2000));
	EXPECT_EQ(t, bh_src.fired, 1);
	EXPECT_EQ(t, a.max_depth, 1);
	/* while it ran, the interrupt queued it again: both bits set */
	EXPECT_EQ(t, state_after_irq, 1ul << TASKLET_STATE_SCHED | 1ul << TASKLET_STATE_RUN);
	bh_spin_ms(10);
	EXPECT_EQ(t, a.runs, 2);
}

/* ---- disabled: stays queued, runs after enable ---- */

static void disabled_stays_queued(struct ktest *t)
{
	tasklet_disable(&a.t);			/* not running: returns at once */
	tasklet_disable_nosync(&a.t);		/* nested */
	tasklet_schedule(&a.t);
	bh_spin_ms(30);
	EXPECT_EQ(t, a.runs, 0);
	EXPECT_TRUE(t, test_bit(TASKLET_STATE_SCHED, &a.t.state));
	tasklet_enable(&a.t);			/* still disabled once */
	bh_spin_ms(30);
	EXPECT_EQ(t, a.runs, 0);
	tasklet_enable(&a.t);
	EXPECT_TRUE(t, bh_wait_for(&a.runs, 1, 2000));
	bh_spin_ms(10);
	EXPECT_EQ(t, a.runs, 1);
	EXPECT_EQ(t, a.t.state, 0);
}

static void disabled_cb(struct tasklet_struct *t)
{
	a.runs++;
}

static void declare_tasklet_disabled(struct ktest *t)
{
	DECLARE_TASKLET_DISABLED(d, disabled_cb);

	EXPECT_EQ(t, atomic_read(&d.count), 1);
	tasklet_schedule(&d);
	bh_spin_ms(30);
	EXPECT_EQ(t, a.runs, 0);
	tasklet_enable(&d);
	EXPECT_TRUE(t, bh_wait_for(&a.runs, 1, 2000));
	tasklet_kill(&d);
	EXPECT_EQ(t, d.state, 0);
}

/* A hard IRQ disables it while it runs: that run finishes, the next waits for the enable. */
static volatile bool irq_saw_run_bit;

static void disable_from_hardirq(void)
{
	irq_saw_run_bit = test_bit(TASKLET_STATE_RUN, &a.t.state);
	tasklet_disable_nosync(&a.t);
	tasklet_schedule(&a.t);
}

static void disable_nosync_while_running(struct ktest *t)
{
	tasklet_setup(&a.t, long_cb);
	bh_src_setup(t, disable_from_hardirq);
	local_bh_disable();
	tasklet_schedule(&a.t);
	local_bh_enable();
	EXPECT_EQ(t, a.runs, 1);		/* the first run finished */
	EXPECT_EQ(t, a.depth, 0);
	EXPECT_TRUE(t, irq_saw_run_bit);	/* what tasklet_disable() would wait for */
	bh_spin_ms(30);
	EXPECT_EQ(t, a.runs, 1);		/* queued again, but disabled */
	EXPECT_TRUE(t, test_bit(TASKLET_STATE_SCHED, &a.t.state));
	tasklet_enable(&a.t);
	EXPECT_TRUE(t, bh_wait_for(&a.runs, 2, 2000));
}

/* ---- HI before normal ---- */

#define MAX_ORDER 8
static char order[MAX_ORDER + 1];
static volatile unsigned long n_order;

static void order_fn(unsigned long c)
{
	if (n_order < MAX_ORDER)
		order[n_order] = (char)c;
	n_order++;
}

static struct tasklet_struct lo1, lo2, hi1, hi2;

static void schedule_lo_then_hi(void)
{
	tasklet_schedule(&lo1);
	tasklet_schedule(&lo2);
	tasklet_hi_schedule(&hi1);
	tasklet_hi_schedule(&hi2);
}

static void hi_before_normal(struct ktest *t)
{
	tasklet_init(&lo1, order_fn, 'a');
	tasklet_init(&lo2, order_fn, 'b');
	tasklet_init(&hi1, order_fn, 'A');
	tasklet_init(&hi2, order_fn, 'B');

	/* from a task, interrupts off: ksoftirqd or the next irq_exit() runs them in one pass */
	memset(order, 0, sizeof(order));
	n_order = 0;
	local_irq_disable();
	schedule_lo_then_hi();
	local_irq_enable();
	ASSERT_TRUE(t, bh_wait_for(&n_order, 4, 2000));
	EXPECT_STREQ(t, order, "ABab");		/* HI first, each list in the order queued */

	/* from a hard IRQ */
	memset(order, 0, sizeof(order));
	n_order = 0;
	bh_src_setup(t, schedule_lo_then_hi);
	bh_src_fire();
	ASSERT_TRUE(t, bh_wait_for(&n_order, 4, 2000));
	EXPECT_STREQ(t, order, "ABab");
	tasklet_kill(&lo1);
	tasklet_kill(&lo2);
	tasklet_kill(&hi1);
	tasklet_kill(&hi2);
}

/* ---- callback and func+data ---- */

static struct tasklet_struct *cb_arg;
static unsigned long func_arg;
static volatile unsigned long forms_ran;

static void form_cb(struct tasklet_struct *t)
{
	cb_arg = t;
	forms_ran++;
}

static void form_func(unsigned long data)
{
	func_arg = data;
	forms_ran++;
}

static DECLARE_TASKLET(declared_cb, form_cb);
static DECLARE_TASKLET_OLD(declared_old, form_func);

static void callback_and_func_data(struct ktest *t)
{
	struct tasklet_struct init_t, setup_t;

	tasklet_init(&init_t, form_func, 0x5a5a);
	tasklet_setup(&setup_t, form_cb);
	EXPECT_FALSE(t, init_t.use_callback);
	EXPECT_TRUE(t, setup_t.use_callback);

	forms_ran = 0;
	local_bh_disable();
	tasklet_schedule(&init_t);
	local_bh_enable();
	EXPECT_EQ(t, forms_ran, 1);
	EXPECT_EQ(t, func_arg, 0x5a5a);

	local_bh_disable();
	tasklet_schedule(&setup_t);
	local_bh_enable();
	EXPECT_EQ(t, forms_ran, 2);
	EXPECT_TRUE(t, cb_arg == &setup_t);

	local_bh_disable();
	tasklet_hi_schedule(&declared_cb);
	local_bh_enable();
	EXPECT_EQ(t, forms_ran, 3);
	EXPECT_TRUE(t, cb_arg == &declared_cb);

	local_bh_disable();
	tasklet_schedule(&declared_old);
	local_bh_enable();
	EXPECT_EQ(t, forms_ran, 4);
	EXPECT_EQ(t, func_arg, 0);
}

/* ---- tasklet_kill() ---- */

static volatile unsigned long kill_attempts;

static void kill_b(void)
{
	tasklet_kill(&b.t);
	kill_attempts++;
}

static void kill_b_cb(struct tasklet_struct *t)
{
	struct tl_test *x = from_tasklet(x, t, t);

	enter(x);
	kill_b();
	leave(x);
}

static void kill_refused_in_interrupt(struct ktest *t)
{
	unsigned long mark;
	const char *log;

	tasklet_setup(&a.t, kill_b_cb);
	bh_src_setup(t, kill_b);
	/* b queued but held off (bh disabled) while a softirq and a hard IRQ try to kill it */
	mark = ktest_log_mark();
	local_bh_disable();
	tasklet_disable_nosync(&b.t);
	tasklet_schedule(&b.t);
	tasklet_schedule(&a.t);
	local_bh_enable();			/* a runs: tasklet_kill(b) in softirq context */
	EXPECT_EQ(t, a.runs, 1);
	EXPECT_EQ(t, kill_attempts, 1);
	bh_src_fire();				/* tasklet_kill(b) in hard-IRQ context */
	ASSERT_TRUE(t, bh_wait_for(&kill_attempts, 2, 2000));
	/* refused: b is still queued, and runs once enabled */
	EXPECT_TRUE(t, test_bit(TASKLET_STATE_SCHED, &b.t.state));
	EXPECT_EQ(t, b.runs, 0);
	tasklet_enable(&b.t);
	EXPECT_TRUE(t, bh_wait_for(&b.runs, 1, 2000));
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "attempt to kill tasklet plain_cb from interrupt"));
	log = strstr(log, "attempt to kill tasklet");
	EXPECT_NOT_NULL(t, log ? strstr(log + 1, "attempt to kill tasklet") : NULL);	/* twice */
}

static void kill_waits_for_queued(struct ktest *t)
{
	tasklet_schedule(&a.t);			/* ksoftirqd will run it */
	EXPECT_TRUE(t, test_bit(TASKLET_STATE_SCHED, &a.t.state));
	tasklet_kill(&a.t);
	EXPECT_EQ(t, a.runs, 1);		/* it ran before kill returned */
	EXPECT_EQ(t, a.t.state, 0);
	tasklet_kill(&a.t);			/* idle: returns at once */
	EXPECT_EQ(t, a.runs, 1);
	/* usable again afterwards */
	tasklet_schedule(&a.t);
	EXPECT_TRUE(t, bh_wait_for(&a.runs, 2, 2000));
	tasklet_kill(&a.t);
	EXPECT_EQ(t, a.t.state, 0);
}

/* Killing from the tasklet's own rescheduling loop: kill waits for it to stop queueing itself. */
static void kill_self_rescheduling(struct ktest *t)
{
	a.max_runs = 5;
	tasklet_schedule(&a.t);
	tasklet_kill(&a.t);
	EXPECT_EQ(t, a.runs, 5);		/* one CPU: kill sees SCHED clear only after the last run */
	EXPECT_EQ(t, a.t.state, 0);
	bh_spin_ms(20);
	EXPECT_FALSE(t, test_bit(TASKLET_STATE_SCHED, &a.t.state));
}

/*
 * A SCHED_FIFO task killing a tasklet it queued: ksoftirqd (a normal
 * task) cannot run under it, so the kill must not rely on it; the
 * tick's irq_exit() runs TASKLET_SOFTIRQ even while ksoftirqd is runnable.
 */
static volatile unsigned long fifo_done;
static unsigned long fifo_runs_seen;

static int fifo_killer(void *unused)
{
	tasklet_schedule(&a.t);
	tasklet_kill(&a.t);
	fifo_runs_seen = a.runs;
	fifo_done = 1;
	/* stay until kthread_stop(): a thread that exits on its own frees its task_struct */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void kill_from_fifo_task(struct ktest *t)
{
	struct task_struct *k = kthread_create(fifo_killer, NULL, "tl_fifo_killer");

	ASSERT_FALSE(t, IS_ERR(k));
	fifo_done = 0;
	sched_set_fifo(k);
	wake_up_process(k);
	EXPECT_TRUE(t, bh_wait_for(&fifo_done, 1, 3000));
	EXPECT_EQ(t, fifo_runs_seen, 1);
	kthread_stop(k);
}

static struct ktest_case tasklet_cases[] = {
	KTEST_CASE(scheduled_twice_runs_once),
	KTEST_CASE(scheduled_twice_in_hardirq_runs_once),
	KTEST_CASE(reschedules_itself_not_recursively),
	KTEST_CASE(never_concurrent_with_itself),
	KTEST_CASE(disabled_stays_queued),
	KTEST_CASE(declare_tasklet_disabled),
	KTEST_CASE(disable_nosync_while_running),
	KTEST_CASE(hi_before_normal),
	KTEST_CASE(callback_and_func_data),
	KTEST_CASE(kill_refused_in_interrupt),
	KTEST_CASE(kill_waits_for_queued),
	KTEST_CASE(kill_self_rescheduling),
	KTEST_CASE(kill_from_fifo_task),
	{}
};

KTEST_SUITE(tasklet, tasklet_cases, .init = tasklet_suite_init, .exit = tasklet_suite_exit);
