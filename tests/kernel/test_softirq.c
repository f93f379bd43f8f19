/*
 * Softirqs as Linux defines them: the ten numbers and names; a softirq
 * raised in a hard IRQ runs at its irq_exit(), before the interrupted
 * code resumes, on the IRQ stack with interrupts on and SOFTIRQ_OFFSET
 * in preempt_count; raised from a task it runs in ksoftirqd/0; never
 * nested; lowest number first; held off by local_bh_disable() and run
 * by local_bh_enable(); __do_softirq() gives up after 10 passes or 2 ms
 * and a flood moves to ksoftirqd while tasks and the tick keep going;
 * the per-CPU counts and their /proc/softirqs-style table.
 * The tests borrow the unused numbers (NET_TX, NET_RX, BLOCK, IRQ_POLL,
 * HRTIMER) and give them back as they were.
 */
#include <kernel/ktest.h>
#include <kernel/interrupt.h>
#include <kernel/bottom_half.h>
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <asm/processor.h>
#include <asm/hw_irq.h>
#include "bh_irq_source.h"

static const unsigned int borrowed[] = {
	NET_TX_SOFTIRQ, NET_RX_SOFTIRQ, BLOCK_SOFTIRQ, IRQ_POLL_SOFTIRQ, HRTIMER_SOFTIRQ
};
static void (*saved_action[NR_SOFTIRQS])(struct softirq_action *);

#define SIRQ_A		NET_RX_SOFTIRQ
#define BORROWED_MASK	(1u << NET_TX_SOFTIRQ | 1u << NET_RX_SOFTIRQ | 1u << BLOCK_SOFTIRQ | \
			 1u << IRQ_POLL_SOFTIRQ | 1u << HRTIMER_SOFTIRQ)

/* What one softirq run saw of its context. */
struct sirq_ctx {
	unsigned int softirq_cnt, hardirq_cnt;
	bool irqs_off;
	enum stack_type stack;
	struct task_struct *task;
	unsigned long task_loops;	/* the interrupted loop's iterations when it ran */
};

static volatile unsigned long runs;
static struct sirq_ctx seen;
static volatile unsigned long task_loops;	/* iterations of the test's own loop */
static struct task_struct *test_task;

static void record_ctx(struct sirq_ctx *c)
{
	struct stack_info info;
	unsigned long here = (unsigned long)&info;

	c->softirq_cnt = softirq_count();
	c->hardirq_cnt = hardirq_count();
	c->irqs_off = irqs_disabled();
	c->stack = get_stack_info(here, &info) ? info.type : STACK_TYPE_UNKNOWN;
	c->task = current;
	c->task_loops = task_loops;
}

static int softirq_suite_init(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(borrowed); i++) {
		saved_action[borrowed[i]] = softirq_action_of(borrowed[i]);
		if (saved_action[borrowed[i]])
			ktest_skip(t, "softirq %s is in use", softirq_to_name[borrowed[i]]);
	}
	runs = 0;
	task_loops = 0;
	memset(&seen, 0, sizeof(seen));
	test_task = current;
	if (!bh_wait_ksoftirqd_idle(2000))
		ktest_info(t, "ksoftirqd/0 still runnable");
	return 0;
}

static void softirq_suite_exit(struct ktest *t)
{
	u64 end = ktime_get_ns() + 2000 * NSEC_PER_MSEC;

	bh_src_teardown();
	/* nothing borrowed may still be pending when its handler goes */
	while ((local_softirq_pending() & BORROWED_MASK) && ktime_get_ns() < end)
		schedule_timeout_uninterruptible(1);
	if (local_softirq_pending() & BORROWED_MASK)
		ktest_info(t, "borrowed softirqs still pending: %#x", local_softirq_pending());
	for (unsigned int i = 0; i < ARRAY_SIZE(borrowed); i++)
		open_softirq(borrowed[i], saved_action[borrowed[i]]);
}

static void names_and_numbers(struct ktest *t)
{
	static const char *const want[] = {
		"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"
	};

	EXPECT_EQ(t, NR_SOFTIRQS, 10);
	EXPECT_EQ(t, HI_SOFTIRQ, 0);
	EXPECT_EQ(t, TIMER_SOFTIRQ, 1);
	EXPECT_EQ(t, TASKLET_SOFTIRQ, 6);
	EXPECT_EQ(t, RCU_SOFTIRQ, 9);
	for (int i = 0; i < NR_SOFTIRQS; i++)
		EXPECT_STREQ(t, softirq_to_name[i], want[i]);
	/* the kernel's own users are in place */
	EXPECT_NOT_NULL(t, softirq_action_of(HI_SOFTIRQ));
	EXPECT_NOT_NULL(t, softirq_action_of(TIMER_SOFTIRQ));
	EXPECT_NOT_NULL(t, softirq_action_of(TASKLET_SOFTIRQ));
	EXPECT_NOT_NULL(t, ksoftirqd_task(0));
	EXPECT_STREQ(t, ksoftirqd_task(0)->comm, "ksoftirqd/0");
}

/* ---- raised in a hard IRQ: runs at its irq_exit() ---- */

static struct sirq_ctx hard_seen;
static bool hard_saw_ksoftirqd_running;

static void record_action(struct softirq_action *a)
{
	record_ctx(&seen);
	runs++;
}

static void raise_a_from_hardirq(void)
{
	record_ctx(&hard_seen);
	hard_saw_ksoftirqd_running = task_is_running(ksoftirqd_task(0));
	raise_softirq_irqoff(SIRQ_A);
}

static void hardirq_raise_runs_at_irq_exit(struct ktest *t)
{
	int attempt;

	open_softirq(SIRQ_A, record_action);
	bh_src_setup(t, raise_a_from_hardirq);
	for (attempt = 0; attempt < 10; attempt++) {
		unsigned long fired = bh_src.fired;
		u64 end = ktime_get_ns() + 1000 * NSEC_PER_MSEC;

		runs = 0;
		task_loops = 0;
		bh_src_fire();
		/* the interrupted code: count iterations until the softirq has run */
		while (!runs && ktime_get_ns() < end)
			task_loops++;
		ASSERT_EQ(t, bh_src.fired, fired + 1);
		ASSERT_EQ(t, runs, 1);
		/* irq_exit() leaves them to ksoftirqd when it is already busy: try again */
		if (!hard_saw_ksoftirqd_running)
			break;
		ktest_info(t, "ksoftirqd was runnable at the interrupt; again");
	}
	ASSERT_LT(t, attempt, 10);
	EXPECT_TRUE(t, hard_seen.hardirq_cnt);
	EXPECT_TRUE(t, hard_seen.irqs_off);
	EXPECT_EQ(t, hard_seen.stack, STACK_TYPE_IRQ);
	/* the softirq: right after the handler, before the loop went on */
	EXPECT_EQ(t, seen.task_loops, hard_seen.task_loops);
	EXPECT_EQ(t, seen.softirq_cnt, SOFTIRQ_OFFSET);
	EXPECT_EQ(t, seen.hardirq_cnt, 0);
	EXPECT_FALSE(t, seen.irqs_off);
	EXPECT_EQ(t, seen.stack, STACK_TYPE_IRQ);
	EXPECT_TRUE(t, seen.task == test_task);
}

/* ---- raised in a task: ksoftirqd/0 runs it ---- */

static char seen_comm[TASK_COMM_LEN];

static void record_comm_action(struct softirq_action *a)
{
	record_ctx(&seen);
	strlcpy(seen_comm, current->comm, sizeof(seen_comm));
	runs++;
}

static void task_raise_runs_in_ksoftirqd(struct ktest *t)
{
	open_softirq(SIRQ_A, record_comm_action);
	raise_softirq(SIRQ_A);
	/* woken by the raise (or, preempted by it already, done) */
	EXPECT_TRUE(t, task_is_running(ksoftirqd_task(0)) || runs == 1);
	ASSERT_TRUE(t, bh_wait_for(&runs, 1, 2000));
	EXPECT_STREQ(t, seen_comm, "ksoftirqd/0");
	EXPECT_TRUE(t, seen.task == ksoftirqd_task(0));
	EXPECT_EQ(t, seen.softirq_cnt, SOFTIRQ_OFFSET);
	EXPECT_EQ(t, seen.hardirq_cnt, 0);
	EXPECT_FALSE(t, seen.irqs_off);
	EXPECT_EQ(t, seen.stack, STACK_TYPE_TASK);	/* the thread's own stack, as Linux */
	bh_spin_ms(5);
	EXPECT_EQ(t, runs, 1);
}

/* ---- never nested: raised while it runs, it runs again after it returns ---- */

static volatile unsigned long depth, max_depth, runs_when_irq_done;

static void raise_a_irqoff(void)
{
	raise_softirq_irqoff(SIRQ_A);
}

static void nesting_action(struct softirq_action *a)
{
	unsigned long n = ++runs;

	if (++depth > max_depth)
		max_depth = depth;
	if (n == 1) {
		u64 end = ktime_get_ns() + 1000 * NSEC_PER_MSEC;

		raise_softirq(SIRQ_A);		/* from the handler itself */
		bh_src_fire();			/* and from a hard IRQ on top of it */
		while (!bh_src.fired && ktime_get_ns() < end)
			cpu_relax();
		runs_when_irq_done = runs;
	}
	depth--;
}

static void not_nested(struct ktest *t)
{
	open_softirq(SIRQ_A, nesting_action);
	bh_src_setup(t, raise_a_irqoff);
	depth = max_depth = 0;
	local_bh_disable();
	raise_softirq(SIRQ_A);
	local_bh_enable();
	ASSERT_TRUE(t, bh_wait_for(&runs, 2, 2000));
	EXPECT_EQ(t, bh_src.fired, 1);
	EXPECT_EQ(t, runs_when_irq_done, 1);	/* the hard IRQ's irq_exit() did not run it inside itself */
	EXPECT_EQ(t, max_depth, 1);
	bh_spin_ms(5);
	EXPECT_EQ(t, runs, 2);			/* raised twice while running: one more run */
}

/* ---- one pass runs them lowest number first ---- */

#define MAX_ORDER 16
static unsigned int order[MAX_ORDER];
static volatile unsigned long n_order;

/* Each borrowed number gets its own function so it can tell which ran. */
#define ORDER_FN(nr)								\
	static void order_##nr(struct softirq_action *a)			\
	{									\
		if (n_order < MAX_ORDER)					\
			order[n_order] = nr;					\
		n_order++;							\
	}
ORDER_FN(2)
ORDER_FN(3)
ORDER_FN(4)
ORDER_FN(5)
ORDER_FN(8)

static void order_tasklet_fn(unsigned long nr)
{
	if (n_order < MAX_ORDER)
		order[n_order] = (unsigned int)nr;
	n_order++;
}

static struct tasklet_struct order_hi, order_lo;

static void raise_all_reversed(void)
{
	raise_softirq_irqoff(HRTIMER_SOFTIRQ);
	tasklet_schedule(&order_lo);
	raise_softirq_irqoff(IRQ_POLL_SOFTIRQ);
	raise_softirq_irqoff(BLOCK_SOFTIRQ);
	raise_softirq_irqoff(NET_RX_SOFTIRQ);
	raise_softirq_irqoff(NET_TX_SOFTIRQ);
	tasklet_hi_schedule(&order_hi);
}

static void check_order(struct ktest *t, const char *how)
{
	static const unsigned int want[] = {
		HI_SOFTIRQ, NET_TX_SOFTIRQ, NET_RX_SOFTIRQ, BLOCK_SOFTIRQ, IRQ_POLL_SOFTIRQ,
		TASKLET_SOFTIRQ, HRTIMER_SOFTIRQ
	};

	EXPECT_EQ(t, n_order, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want) && i < n_order; i++)
		if (order[i] != want[i]) {
			ktest_fail(t, __FILE__, __LINE__, "%s: run %u was %s, expected %s", how, i,
				   softirq_to_name[order[i]], softirq_to_name[want[i]]);
			break;
		}
}

static void lowest_number_first(struct ktest *t)
{
	open_softirq(NET_TX_SOFTIRQ, order_2);
	open_softirq(NET_RX_SOFTIRQ, order_3);
	open_softirq(BLOCK_SOFTIRQ, order_4);
	open_softirq(IRQ_POLL_SOFTIRQ, order_5);
	open_softirq(HRTIMER_SOFTIRQ, order_8);
	tasklet_init(&order_hi, order_tasklet_fn, HI_SOFTIRQ);
	tasklet_init(&order_lo, order_tasklet_fn, TASKLET_SOFTIRQ);

	/* raised in a bh-disabled section: local_bh_enable() runs them in one pass */
	n_order = 0;
	local_bh_disable();
	local_irq_disable();
	raise_all_reversed();
	local_irq_enable();
	local_bh_enable();
	check_order(t, "local_bh_enable");

	/* raised in a hard IRQ: its irq_exit() (or ksoftirqd) runs them in one pass */
	n_order = 0;
	bh_src_setup(t, raise_all_reversed);
	bh_src_fire();
	ASSERT_TRUE(t, bh_wait_for(&n_order, 7, 2000));
	check_order(t, "hard IRQ");
}

/* ---- local_bh_disable() holds them off; local_bh_enable() runs them ---- */

static void bh_disable_holds_off(struct ktest *t)
{
	unsigned int in_sirq, serving;

	open_softirq(SIRQ_A, record_comm_action);
	bh_src_setup(t, raise_a_irqoff);
	local_bh_disable();
	in_sirq = in_softirq();
	serving = in_serving_softirq();
	raise_softirq(SIRQ_A);
	bh_src_fire();				/* a hard IRQ raising it too */
	bh_spin_ms(20);				/* ticks and their irq_exit() come and go */
	EXPECT_EQ(t, bh_src.fired, 1);
	EXPECT_EQ(t, runs, 0);
	EXPECT_TRUE(t, local_softirq_pending() & (1u << SIRQ_A));
	local_bh_enable();
	EXPECT_EQ(t, runs, 1);			/* run inside local_bh_enable() */
	EXPECT_TRUE(t, in_sirq);
	EXPECT_FALSE(t, serving);
	EXPECT_TRUE(t, seen.task == test_task);	/* in the caller's context */
	EXPECT_STREQ(t, seen_comm, test_task->comm);
	EXPECT_EQ(t, seen.softirq_cnt, SOFTIRQ_OFFSET);
	EXPECT_FALSE(t, seen.irqs_off);
	EXPECT_EQ(t, seen.stack, STACK_TYPE_IRQ);
	EXPECT_EQ(t, softirq_count(), 0);
}

static void nested_bh_disable(struct ktest *t)
{
	open_softirq(SIRQ_A, record_action);
	local_bh_disable();
	local_bh_disable();
	EXPECT_EQ(t, softirq_count(), 2 * SOFTIRQ_DISABLE_OFFSET);
	raise_softirq(SIRQ_A);
	local_bh_enable();			/* not the outermost: nothing runs */
	EXPECT_EQ(t, runs, 0);
	EXPECT_EQ(t, softirq_count(), SOFTIRQ_DISABLE_OFFSET);
	local_bh_enable();
	EXPECT_EQ(t, runs, 1);
	EXPECT_EQ(t, softirq_count(), 0);
}

/* ---- in_softirq() and in_serving_softirq() ---- */

static struct {
	unsigned int in_sirq, serving, in_sirq_bh, serving_bh, task;
} sem;

static void semantics_action(struct softirq_action *a)
{
	sem.in_sirq = in_softirq();
	sem.serving = in_serving_softirq();
	sem.task = in_task();
	local_bh_disable();
	sem.in_sirq_bh = in_softirq();
	sem.serving_bh = in_serving_softirq();
	local_bh_enable();
	runs++;
}

static void in_softirq_vs_serving(struct ktest *t)
{
	EXPECT_FALSE(t, in_softirq());
	EXPECT_FALSE(t, in_serving_softirq());
	EXPECT_TRUE(t, in_task());
	local_bh_disable();
	EXPECT_TRUE(t, in_softirq());		/* bh disabled counts as softirq context... */
	EXPECT_FALSE(t, in_serving_softirq());	/* ...but no softirq is being served */
	EXPECT_TRUE(t, in_interrupt());
	EXPECT_FALSE(t, in_task());
	local_bh_enable();

	open_softirq(SIRQ_A, semantics_action);
	local_bh_disable();
	raise_softirq(SIRQ_A);
	local_bh_enable();
	ASSERT_EQ(t, runs, 1);
	EXPECT_TRUE(t, sem.in_sirq);
	EXPECT_TRUE(t, sem.serving);
	EXPECT_FALSE(t, sem.task);
	EXPECT_EQ(t, sem.in_sirq_bh, SOFTIRQ_OFFSET + SOFTIRQ_DISABLE_OFFSET);
	EXPECT_TRUE(t, sem.serving_bh);
}

/* ---- __do_softirq() gives up after 10 passes or 2 ms ---- */

static volatile bool stop_flood;
static volatile unsigned long runs_ksoftirqd, runs_elsewhere;
static unsigned long flood_spin_ns;

static void self_raising_action(struct softirq_action *a)
{
	if (current == ksoftirqd_task(0))
		runs_ksoftirqd++;
	else
		runs_elsewhere++;
	if (flood_spin_ns)
		ndelay(flood_spin_ns);
	if (!stop_flood)
		raise_softirq(SIRQ_A);
}

/* Start a self-raising softirq with local_bh_enable(), stop it; how many runs did the call do? */
static unsigned long flood_once(struct ktest *t)
{
	unsigned long in_call;

	EXPECT_TRUE(t, bh_wait_ksoftirqd_idle(2000));
	stop_flood = false;
	runs_ksoftirqd = runs_elsewhere = 0;
	local_bh_disable();
	raise_softirq(SIRQ_A);
	local_bh_enable();
	in_call = runs_elsewhere;
	stop_flood = true;
	/* the rest went to ksoftirqd: wait until it saw the stop */
	bh_wait_for(&runs_ksoftirqd, 1, 2000);
	EXPECT_TRUE(t, bh_wait_not_pending(SIRQ_A, 2000));
	EXPECT_GE(t, runs_ksoftirqd, 1);
	EXPECT_EQ(t, runs_elsewhere, in_call);	/* after the hand-over only ksoftirqd ran it */
	return in_call;
}

static void restart_at_most_10(struct ktest *t)
{
	unsigned long in_call, best = 0;

	open_softirq(SIRQ_A, self_raising_action);
	flood_spin_ns = 0;
	/* a tick asking for a reschedule or a host stall past 2 ms cuts a call short: try a few */
	for (int i = 0; i < 5 && best != 10; i++) {
		in_call = flood_once(t);
		EXPECT_GE(t, in_call, 1);
		EXPECT_LE(t, in_call, 10);
		if (in_call > best)
			best = in_call;
	}
	EXPECT_EQ(t, best, 10);
}

static void time_limit_2ms(struct ktest *t)
{
	unsigned long in_call;

	open_softirq(SIRQ_A, self_raising_action);
	/* every run takes 0.5 ms: after the fourth, 2 ms have passed for sure */
	flood_spin_ns = 500 * NSEC_PER_USEC;
	in_call = flood_once(t);
	flood_spin_ns = 0;
	ktest_info(t, "%lu runs in the call", in_call);
	EXPECT_GE(t, in_call, 1);
	EXPECT_LE(t, in_call, 4);
}

/* ---- a flood does not starve tasks or the tick ---- */

static volatile unsigned long counter;
static volatile unsigned long flood_timer_fired;
static volatile unsigned long streak, max_streak;
static unsigned int streak_key;

static int counting_thread(void *unused)
{
	while (!kthread_should_stop()) {
		counter++;
		cpu_relax();
	}
	return 0;
}

static void flood_timer_fn(struct timer_list *tm)
{
	flood_timer_fired++;
}

static void flood_action(struct softirq_action *a)
{
	if (current == ksoftirqd_task(0)) {
		runs_ksoftirqd++;
	} else {
		/* consecutive runs in one irq_exit(): no new first-level interrupt in between */
		unsigned int key = this_cpu_read(irq_stat.irq_stack_switches);

		runs_elsewhere++;
		streak = key == streak_key ? streak + 1 : 1;
		streak_key = key;
		if (streak > max_streak)
			max_streak = streak;
	}
	if (!stop_flood)
		raise_softirq(SIRQ_A);
}

static bool kick_saw_ksoftirqd_running;

static void raise_a_once(void)
{
	if (bh_src.fired == 1) {
		kick_saw_ksoftirqd_running = task_is_running(ksoftirqd_task(0));
		raise_softirq_irqoff(SIRQ_A);
	}
}

static void flood_stays_responsive(struct ktest *t)
{
	struct task_struct *k;
	struct timer_list tm;
	unsigned long c0, c1, j0, j1;

	open_softirq(SIRQ_A, flood_action);
	bh_src_setup(t, raise_a_once);
	timer_setup(&tm, flood_timer_fn, 0);
	flood_timer_fired = 0;
	stop_flood = false;
	runs_ksoftirqd = runs_elsewhere = 0;
	streak = max_streak = 0;
	streak_key = ~0u;
	counter = 0;
	k = kthread_run(counting_thread, NULL, "sirq_counter");
	ASSERT_FALSE(t, IS_ERR(k));
	ASSERT_TRUE(t, bh_wait_for(&counter, 1, 2000));

	EXPECT_TRUE(t, bh_wait_ksoftirqd_idle(2000));
	bh_src_fire();				/* the flood starts in a hard IRQ's irq_exit() */
	ASSERT_TRUE(t, bh_wait_for(&runs_ksoftirqd, 1, 2000));
	mod_timer(&tm, jiffies + msecs_to_jiffies(20));
	c0 = counter;
	j0 = jiffies;
	bh_spin_ms(300);
	c1 = counter;
	j1 = jiffies;
	stop_flood = true;
	kthread_stop(k);
	EXPECT_TRUE(t, bh_wait_not_pending(SIRQ_A, 2000));	/* the flood ended */
	del_timer_sync(&tm);

	ktest_info(t, "%lu runs in ksoftirqd, %lu elsewhere (longest irq_exit streak %lu); counter +%lu; jiffies +%lu",
		   runs_ksoftirqd, runs_elsewhere, max_streak, c1 - c0, j1 - j0);
	/* unless ksoftirqd was up already (then irq_exit() left it all to the thread) */
	if (kick_saw_ksoftirqd_running)
		ktest_info(t, "ksoftirqd was runnable at the kick");
	else
		EXPECT_GE(t, runs_elsewhere, 1);
	EXPECT_LE(t, max_streak, 10);
	EXPECT_GT(t, runs_ksoftirqd, runs_elsewhere);
	EXPECT_GT(t, c1, c0);			/* the normal thread kept running */
	EXPECT_GE(t, j1 - j0, msecs_to_jiffies(100));	/* the tick kept coming (300 ms, generous) */
	EXPECT_EQ(t, flood_timer_fired, 1);	/* and so did TIMER_SOFTIRQ */
}

/* ---- counts and the /proc/softirqs table ---- */

static void counts_and_table(struct ktest *t)
{
	unsigned long before, after;
	unsigned long mark;
	const char *log, *p;
	char want[48];

	open_softirq(SIRQ_A, record_action);
	before = kstat_softirqs_cpu(SIRQ_A, 0);
	for (int i = 0; i < 5; i++) {
		local_bh_disable();
		raise_softirq(SIRQ_A);
		raise_softirq(SIRQ_A);		/* twice while pending: one run */
		local_bh_enable();
	}
	after = kstat_softirqs_cpu(SIRQ_A, 0);
	EXPECT_EQ(t, runs, 5);
	EXPECT_EQ(t, after - before, 5);

	mark = ktest_log_mark();
	show_softirqs(printk_pieces);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "CPU0"));
	for (int i = 0; i < NR_SOFTIRQS; i++) {
		snprintf(want, sizeof(want), "%9s: ", softirq_to_name[i]);
		p = strstr(log, want);
		if (!p) {
			ktest_fail(t, __FILE__, __LINE__, "no line \"%s\" in the table", want);
			continue;
		}
		/* the value column: right-aligned under "CPU0", as /proc/softirqs */
		if (i == (int)SIRQ_A) {
			/* CPU 0's column; the other CPUs' follow */
			snprintf(want, sizeof(want), "%12s: %10lu", softirq_to_name[i], after);
			EXPECT_NOT_NULL(t, strstr(log, want));
		}
	}
	/* rows come in number order */
	EXPECT_TRUE(t, strstr(log, "       HI:") < strstr(log, "    TIMER:"));
	EXPECT_TRUE(t, strstr(log, "  HRTIMER:") < strstr(log, "      RCU:"));
}

/* ---- a handler that leaks a preempt_count level is reported and repaired ---- */

static void leaky_action(struct softirq_action *a)
{
	runs++;
	preempt_count_add(1);			/* "forgets" a preempt_enable() */
}

static void unbalanced_handler_repaired(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	const char *log;

	open_softirq(SIRQ_A, leaky_action);
	local_bh_disable();
	raise_softirq(SIRQ_A);
	local_bh_enable();
	EXPECT_EQ(t, runs, 1);
	EXPECT_EQ(t, preempt_count(), 0);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "huh, entered softirq 3 NET_RX leaky_action"));
}

static struct ktest_case softirq_cases[] = {
	KTEST_CASE(names_and_numbers),
	KTEST_CASE(hardirq_raise_runs_at_irq_exit),
	KTEST_CASE(task_raise_runs_in_ksoftirqd),
	KTEST_CASE(not_nested),
	KTEST_CASE(lowest_number_first),
	KTEST_CASE(bh_disable_holds_off),
	KTEST_CASE(nested_bh_disable),
	KTEST_CASE(in_softirq_vs_serving),
	KTEST_CASE(restart_at_most_10),
	KTEST_CASE(time_limit_2ms),
	KTEST_CASE(flood_stays_responsive),
	KTEST_CASE(counts_and_table),
	KTEST_CASE(unbalanced_handler_repaired),
	{}
};

KTEST_SUITE(softirq, softirq_cases, .init = softirq_suite_init, .exit = softirq_suite_exit);
