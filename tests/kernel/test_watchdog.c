/*
 * The lockup detectors (kernel/watchdog.c), with the threshold cut to
 * 300 ms so a case takes about a second: a CPU kept with preemption off
 * is reported as a soft lockup with the interrupted registers, touching
 * the watchdog or a threshold of 0 keeps it quiet, and a CPU with
 * interrupts off is reported by its buddy as a hard lockup with an NMI
 * backtrace that shows where it spins. Read back from the log.
 */
#include <kernel/ktest.h>
#include <kernel/nmi.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include "smp_test.h"

#define TEST_THRESH_MS	300

static unsigned int saved_thresh_ms;

static int watchdog_init(struct ktest *t)
{
	saved_thresh_ms = watchdog_set_thresh_ms(TEST_THRESH_MS);
	return 0;
}

static void watchdog_exit(struct ktest *t)
{
	watchdog_set_thresh_ms(saved_thresh_ms);
}

/* A FIFO 99 watchdog/N thread, bound to N, for every online CPU. */
static void one_thread_per_cpu(struct ktest *t)
{
	struct task_struct *p;
	unsigned long flags;
	int found[NR_CPUS] = { 0 }, cpu;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks) {
		char want[16];
		int c = p->cpu;

		if (strncmp(p->comm, "watchdog/", 9))
			continue;
		snprintf(want, sizeof(want), "watchdog/%d", c);
		if (!strcmp(p->comm, want) && p->policy == SCHED_FIFO &&
		    p->rt_priority == MAX_RT_PRIO - 1 && (p->flags & PF_NO_SETAFFINITY))
			found[c]++;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	for_each_online_cpu(cpu)
		EXPECT_EQ(t, found[cpu], 1);
}

/* Preemption off for 1 s on this CPU; touch the watchdog every 50 ms if asked. */
static noinline void hog_this_cpu(bool touch)
{
	preempt_disable();
	for (int i = 0; i < 20; i++) {
		smp_spin_ms(50);
		if (touch)
			touch_softlockup_watchdog();
	}
	preempt_enable();
}

static void soft_lockup_reported(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	char head[64], who[48];
	const char *log, *h;
	int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	preempt_enable();
	hog_this_cpu(false);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	snprintf(head, sizeof(head), "BUG: soft lockup - CPU#%d stuck for ", cpu);
	snprintf(who, sizeof(who), "s! [%s:%d]", current->comm, current->pid);
	h = strstr(log, head);
	ASSERT_NOT_NULL(t, h);
	EXPECT_NOT_NULL(t, strstr(h, who));
	/* the registers it interrupted: the hog (or the spin helper inlined into it) */
	EXPECT_NOT_NULL(t, strstr(h, "RIP"));
	EXPECT_NOT_NULL(t, strstr(h, "hog_this_cpu"));
}

static void touched_is_not_a_lockup(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	const char *log;

	hog_this_cpu(true);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NULL(t, strstr(log, "soft lockup"));
}

static void thresh_zero_turns_it_off(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	const char *log;

	watchdog_set_thresh_ms(0);
	hog_this_cpu(false);
	watchdog_set_thresh_ms(TEST_THRESH_MS);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NULL(t, strstr(log, "soft lockup"));
}

/* Interrupts off for 1 s: no tick, no IPI; only an NMI gets through. */
static noinline void spin_irqs_off_1s(void *unused)
{
	unsigned long flags;

	local_irq_save(flags);
	smp_spin_ms(1000);
	local_irq_restore(flags);
}

static void hard_lockup_nmi_backtrace(struct ktest *t)
{
	struct st_threads s = { 0 };
	struct smp_job job;
	unsigned long mark;
	const char *log, *h;
	char head[64], nmi[40];
	int victim;

	smp_require(t, 2);
	victim = (int)num_online_cpus() - 1;	/* never this CPU (the runner stays on CPU 0) */
	mark = ktest_log_mark();
	ASSERT_TRUE(t, smp_job_start(&s, &job, victim, spin_irqs_off_1s, NULL, NULL));
	EXPECT_TRUE(t, smp_jobs_wait(&job, 1, 10000));
	st_stop_all(&s);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	snprintf(head, sizeof(head), "Watchdog detected hard LOCKUP on cpu %d", victim);
	snprintf(nmi, sizeof(nmi), "NMI backtrace for cpu %d", victim);
	h = strstr(log, head);
	ASSERT_NOT_NULL(t, h);
	h = strstr(h, nmi);
	ASSERT_NOT_NULL(t, h);
	EXPECT_NOT_NULL(t, strstr(h, "spin_irqs_off_1s"));
}

static struct ktest_case watchdog_cases[] = {
	KTEST_CASE(one_thread_per_cpu),
	KTEST_CASE(soft_lockup_reported),
	KTEST_CASE(touched_is_not_a_lockup),
	KTEST_CASE(thresh_zero_turns_it_off),
	KTEST_CASE(hard_lockup_nmi_backtrace),
	{},
};
KTEST_SUITE(watchdog, watchdog_cases, .init = watchdog_init, .exit = watchdog_exit);
