/*
 * An oops in a kernel thread ends that thread, not the kernel (Linux's
 * make_task_dead()): the report is printed, kthread_stop() returns the
 * signal number, the thread's memory is freed, and the system goes on.
 */
#include <kernel/ktest.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/string.h>
#include <kernel/spinlock.h>
#include <kernel/timer.h>
#include <kernel/printk.h>
#include "sched_test.h"

static volatile bool reached_after;

/* Up to 5 s (the oops report over serial is slow under TCG) for k to be dead. */
static bool wait_dead(struct task_struct *k)
{
	for (int i = 0; i < 500 && READ_ONCE(k->__state) != TASK_DEAD; i++)
		msleep(10);
	return READ_ONCE(k->__state) == TASK_DEAD;
}

static int oops_fn(void *arg)
{
	volatile unsigned long *bad = (unsigned long *)arg;

	*bad = 1;		/* a kernel NULL-page write: #PF, oops */
	reached_after = true;
	return 0;
}

static int oops_locked_fn(void *arg)
{
	spinlock_t *l = arg;

	spin_lock(l);
	__asm__ __volatile__("ud2");	/* an invalid opcode with preemption off */
	spin_unlock(l);
	return 0;
}

static void kthread_oops_ends_thread(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	struct task_struct *k;
	int pid, ret;

	reached_after = false;
	k = kthread_create(oops_fn, (void *)0x10, "oopser");
	ASSERT_FALSE(t, IS_ERR(k));
	/*
	 * It ends by itself: hold a reference so that kthread_stop() may
	 * still look at it, taken before it runs (woken, it may run, die and
	 * be freed before kthread_run() even returns).
	 */
	get_task_struct(k);
	pid = k->pid;
	wake_up_process(k);
	EXPECT_TRUE(t, wait_dead(k));
	ret = kthread_stop(k);
	put_task_struct(k);
	EXPECT_EQ(t, ret, SIGSEGV);
	EXPECT_FALSE(t, reached_after);
	/* reaped once its CPU (maybe another) has switched away from it */
	EXPECT_TRUE(t, wait_until(!find_task_by_pid(pid), 2000));
	const char *log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "Oops"));
	EXPECT_NOT_NULL(t, strstr(log, "oopser["));
	/* the kernel goes on: sleeping still works */
	msleep(10);
}

static void kthread_oops_with_preemption_off(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	DEFINE_SPINLOCK(lock);
	struct task_struct *k = kthread_create(oops_locked_fn, &lock, "oopser-locked");
	int ret;

	ASSERT_FALSE(t, IS_ERR(k));
	get_task_struct(k);	/* before it runs, as above */
	wake_up_process(k);
	EXPECT_TRUE(t, wait_dead(k));
	ret = kthread_stop(k);
	put_task_struct(k);
	EXPECT_EQ(t, ret, SIGSEGV);
	const char *log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "exited with irqs enabled and preempt_count 1"));
	EXPECT_EQ(t, preempt_count(), 0u);
	msleep(10);
}

static struct ktest_case exit_cases[] = {
	KTEST_CASE(kthread_oops_ends_thread),
	KTEST_CASE(kthread_oops_with_preemption_off),
	{}
};
KTEST_SUITE(exit, exit_cases);
