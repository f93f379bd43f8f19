/*
 * NMI backtraces (kernel/nmi_backtrace.c, arch/x86_64/hw_nmi.c): each
 * CPU asked prints "NMI backtrace for cpu N" and its own registers and
 * stack, a CPU spinning with interrupts off answers too, CPUs not asked
 * stay quiet, an NMI nobody asked for still goes to the other handlers,
 * and panic() prints the other CPUs' backtraces. Read back from the log.
 */
#include <kernel/ktest.h>
#include <kernel/nmi.h>
#include <kernel/smp.h>
#include <kernel/panic.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <asm/traps.h>
#include <asm/special_insns.h>
#include "sched_test.h"

static void need_cpus(struct ktest *t, unsigned int n)
{
	if (num_online_cpus() < n)
		ktest_skip(t, "needs %u CPUs, %u online", n, num_online_cpus());
}

static int this_cpu(void)
{
	int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	preempt_enable();
	return cpu;
}

/* The report of cpu in log: its header, followed by the "CPU: N" line of its registers or stack dump. */
static const char *report_of(const char *log, int cpu)
{
	char head[40], cpu_line[16];
	const char *h;

	snprintf(head, sizeof(head), "NMI backtrace for cpu %d\n", cpu);
	snprintf(cpu_line, sizeof(cpu_line), "CPU: %d\n", cpu);
	h = strstr(log, head);
	if (!h || !strstr(h, cpu_line))
		return NULL;
	return h;
}

/* Nothing asked: the handler's check says so, and prints nothing. */
static void not_asked_is_not_handled(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	const char *log;

	EXPECT_FALSE(t, nmi_cpu_backtrace(NULL));
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NULL(t, strstr(log, "NMI backtrace for cpu"));
}

/* One CPU at a time (this one directly, the others by NMI): exactly that CPU reports. */
static void each_cpu_reports_alone(struct ktest *t)
{
	int cpu, other;

	for_each_online_cpu(cpu) {
		unsigned long nmis = READ_ONCE(per_cpu(nmi_count, cpu)), mark = ktest_log_mark();
		const char *log;

		EXPECT_EQ(t, trigger_single_cpu_backtrace(cpu), 0);
		log = ktest_log_since(mark);
		ASSERT_NOT_NULL(t, log);
		EXPECT_NOT_NULL(t, report_of(log, cpu));
		for_each_online_cpu(other)
			if (other != cpu)
				EXPECT_NULL(t, report_of(log, other));
		if (cpu != this_cpu()) {
			unsigned long now = READ_ONCE(per_cpu(nmi_count, cpu));

			EXPECT_GT(t, now, nmis);
		}
	}
}

/* trigger_all_cpu_backtrace(): every online CPU reports, all within the timeout. */
static void all_cpus_report(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	const char *log;
	int cpu;

	EXPECT_EQ(t, trigger_all_cpu_backtrace(), 0);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	for_each_online_cpu(cpu)
		EXPECT_NOT_NULL(t, report_of(log, cpu));
	if (num_online_cpus() > 1)
		EXPECT_NOT_NULL(t, strstr(log, "Sending NMI from CPU"));
	EXPECT_NULL(t, strstr(log, "no answer within the timeout"));
}

/* A mask: only its CPUs report; the caller is not in it and stays quiet. */
static void mask_selects_cpus(struct ktest *t)
{
	struct cpumask mask;
	unsigned long mark;
	const char *log;
	int cpu, self = this_cpu(), last = (int)num_online_cpus() - 1;

	need_cpus(t, 2);
	if (last == self)
		last = 0;
	cpumask_clear(&mask);
	cpumask_set_cpu(last, &mask);
	mark = ktest_log_mark();
	EXPECT_EQ(t, trigger_cpumask_backtrace(&mask), 0);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	for_each_online_cpu(cpu) {
		if (cpu == last)
			EXPECT_NOT_NULL(t, report_of(log, cpu));
		else
			EXPECT_NULL(t, report_of(log, cpu));
	}
}

/*
 * The point of an NMI: a CPU spinning with interrupts off (which no
 * IPI reaches) still reports, and its backtrace shows where it spins.
 */
static int spinner_state;	/* 1: spinning, 2: told to stop */

static noinline void spin_with_irqs_off(void)
{
	unsigned long flags;

	local_irq_save(flags);
	__atomic_store_n(&spinner_state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&spinner_state, __ATOMIC_ACQUIRE) == 1)
		cpu_relax();
	local_irq_restore(flags);
}

static int spinner(void *unused)
{
	spin_with_irqs_off();
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static struct st_threads spinners;

static void cpu_with_irqs_off_reports(struct ktest *t)
{
	struct task_struct *k;
	unsigned long mark;
	const char *log, *rep;
	int target = (int)num_online_cpus() - 1;

	need_cpus(t, 2);
	if (target == this_cpu())
		target = 0;
	spinner_state = 0;
	k = kthread_create(spinner, NULL, "nmi_spinner");
	ASSERT_FALSE(t, IS_ERR(k));
	kthread_bind(k, target);
	st_track(&spinners, k);
	wake_up_process(k);
	ASSERT_TRUE(t, wait_until(__atomic_load_n(&spinner_state, __ATOMIC_ACQUIRE) == 1, 10000));
	mark = ktest_log_mark();
	EXPECT_EQ(t, trigger_single_cpu_backtrace(target), 0);
	__atomic_store_n(&spinner_state, 2, __ATOMIC_RELEASE);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	rep = report_of(log, target);
	ASSERT_NOT_NULL(t, rep);
	EXPECT_NOT_NULL(t, strstr(rep, "spin_with_irqs_off+"));
	st_stop_all(&spinners);
}

/* An NMI nobody asked for still reaches the other handlers, and no backtrace is printed. */
static int probe_hits;

static int probe_handler(unsigned int type, struct pt_regs *regs)
{
	probe_hits++;
	return NMI_HANDLED;
}

static struct nmiaction probe_action = { .handler = probe_handler, .name = "ktest-probe" };

static void unrelated_nmi_goes_elsewhere(struct ktest *t)
{
	unsigned long mark;
	const char *log;

	probe_hits = 0;
	ASSERT_EQ(t, register_nmi_handler(NMI_LOCAL, &probe_action), 0);
	mark = ktest_log_mark();
	__asm__ __volatile__("int $2" ::: "memory");
	unregister_nmi_handler(NMI_LOCAL, &probe_action);
	EXPECT_EQ(t, probe_hits, 1);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NULL(t, strstr(log, "NMI backtrace for cpu"));
}

/* panic() prints the other CPUs' backtraces after its own report. */
static void do_panic(void *unused)
{
	panic("ktest: panic with other CPUs running");
}

static void panic_reports_other_cpus(struct ktest *t)
{
	struct ktest_catch c;
	unsigned long mark;
	const char *log, *after;
	int cpu, self;

	need_cpus(t, 2);
	mark = ktest_log_mark();
	ASSERT_EQ(t, ktest_try(do_panic, NULL, &c), KTEST_CAUGHT_PANIC);
	self = this_cpu();
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	after = strstr(log, "Kernel panic - not syncing: ktest: panic with other CPUs running");
	ASSERT_NOT_NULL(t, after);
	for_each_online_cpu(cpu) {
		if (cpu == self)
			EXPECT_NULL(t, report_of(after, cpu));
		else
			EXPECT_NOT_NULL(t, report_of(after, cpu));
	}
}

static void nmi_bt_exit(struct ktest *t)
{
	__atomic_store_n(&spinner_state, 2, __ATOMIC_RELEASE);
	st_stop_all(&spinners);
}

static struct ktest_case nmi_bt_cases[] = {
	KTEST_CASE(not_asked_is_not_handled),
	KTEST_CASE(each_cpu_reports_alone),
	KTEST_CASE(all_cpus_report),
	KTEST_CASE(mask_selects_cpus),
	KTEST_CASE(cpu_with_irqs_off_reports),
	KTEST_CASE(unrelated_nmi_goes_elsewhere),
	KTEST_CASE(panic_reports_other_cpus),
	{}
};
KTEST_SUITE(nmi_backtrace, nmi_bt_cases, .exit = nmi_bt_exit);
