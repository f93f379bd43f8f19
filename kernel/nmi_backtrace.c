/*
 * NMI backtraces of other CPUs (Linux's lib/nmi_backtrace.c). The
 * request is a CPU mask: each marked CPU prints its backtrace from its
 * NMI handler and clears its bit; the requester waits, with a bound,
 * for the mask to empty. Printing is serialized by a lock a CPU may
 * take again (the requester's own backtrace may be interrupted by an
 * NMI on the same CPU), so the reports do not interleave.
 */
#include <kernel/nmi.h>
#include <kernel/smp.h>
#include <kernel/printk.h>
#include <kernel/preempt.h>
#include <kernel/time.h>
#include <kernel/kernel.h>
#include <asm/traps.h>
#include <asm/tsc.h>
#include <asm/special_insns.h>

static struct cpumask backtrace_mask;	/* bits set by the requester, cleared by each CPU (atomic) */
static int backtrace_busy;		/* a request is in progress */
static int backtrace_owner = -1;	/* the CPU printing a backtrace now */

static void mask_clear_cpu_atomic(unsigned int cpu)
{
	__atomic_and_fetch(&backtrace_mask.bits[cpu / 64], ~(1ull << (cpu % 64)), __ATOMIC_RELEASE);
}

static bool mask_test_cpu_atomic(unsigned int cpu)
{
	return (__atomic_load_n(&backtrace_mask.bits[cpu / 64], __ATOMIC_ACQUIRE) >> (cpu % 64)) & 1;
}

static bool mask_empty_atomic(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(backtrace_mask.bits); i++)
		if (__atomic_load_n(&backtrace_mask.bits[i], __ATOMIC_ACQUIRE))
			return false;
	return true;
}

bool nmi_cpu_backtrace(struct pt_regs *regs)
{
	int cpu = smp_processor_id(), unowned = -1;
	bool nested;

	if (!mask_test_cpu_atomic(cpu))
		return false;
	nested = __atomic_load_n(&backtrace_owner, __ATOMIC_RELAXED) == cpu;
	if (!nested) {
		while (!__atomic_compare_exchange_n(&backtrace_owner, &unowned, cpu, false,
						    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			unowned = -1;
			cpu_relax();
		}
	}
	pr_warn("NMI backtrace for cpu %d\n", cpu);
	if (regs)
		show_regs(regs);
	else
		dump_stack();
	if (!nested)
		__atomic_store_n(&backtrace_owner, -1, __ATOMIC_RELEASE);
	mask_clear_cpu_atomic(cpu);
	return true;
}

/* "0,2-3" for the report lines. */
static void print_cpu_list(const char *prefix, const struct cpumask *m, const char *suffix)
{
	char buf[3 * NR_CPUS + 8];
	size_t n = 0;
	int cpu;

	buf[0] = 0;
	for_each_cpu(cpu, m)
		n += scnprintf(buf + n, sizeof(buf) - n, "%s%d", n ? "," : "", cpu);
	pr_info("%s%s%s\n", prefix, buf, suffix);
}

int nmi_trigger_cpumask_backtrace(const struct cpumask *mask, int exclude_cpu,
				  void (*raise)(const struct cpumask *mask))
{
	struct cpumask others, missing;
	int this_cpu, nr_missing;
	u64 deadline;

	if (__atomic_exchange_n(&backtrace_busy, 1, __ATOMIC_ACQUIRE))
		return -1;
	preempt_disable();
	this_cpu = smp_processor_id();
	cpumask_and(&others, mask, cpu_online_mask);
	if (exclude_cpu >= 0)
		cpumask_clear_cpu(exclude_cpu, &others);
	for (unsigned int i = 0; i < ARRAY_SIZE(others.bits); i++)
		__atomic_store_n(&backtrace_mask.bits[i], others.bits[i], __ATOMIC_RELEASE);

	/* our own, directly: an NMI to ourselves would only interrupt this */
	if (cpumask_test_cpu(this_cpu, &others)) {
		nmi_cpu_backtrace(NULL);
		cpumask_clear_cpu(this_cpu, &others);
	}
	if (!cpumask_empty(&others)) {
		char prefix[40];

		scnprintf(prefix, sizeof(prefix), "Sending NMI from CPU %d to CPUs ", this_cpu);
		print_cpu_list(prefix, &others, ":");
		raise(&others);
	}

	deadline = ktime_get_ns() + (u64)NMI_BACKTRACE_TIMEOUT_MS * NSEC_PER_MSEC;
	while (!mask_empty_atomic() && ktime_get_ns() < deadline) {
		touch_nmi_watchdog();	/* waiting here is not a lockup */
		udelay(100);
	}

	for (unsigned int i = 0; i < ARRAY_SIZE(missing.bits); i++)
		missing.bits[i] = __atomic_exchange_n(&backtrace_mask.bits[i], 0, __ATOMIC_ACQ_REL);
	nr_missing = (int)cpumask_weight(&missing);
	if (nr_missing)
		print_cpu_list("NMI backtrace: no answer within the timeout from CPUs ", &missing, "");
	preempt_enable();
	__atomic_store_n(&backtrace_busy, 0, __ATOMIC_RELEASE);
	return nr_missing;
}

int trigger_all_cpu_backtrace(void)
{
	return arch_trigger_cpumask_backtrace(cpu_online_mask, -1);
}

int trigger_allbutself_cpu_backtrace(void)
{
	int ret;

	preempt_disable();
	ret = arch_trigger_cpumask_backtrace(cpu_online_mask, smp_processor_id());
	preempt_enable();
	return ret;
}

int trigger_cpumask_backtrace(const struct cpumask *mask)
{
	return arch_trigger_cpumask_backtrace(mask, -1);
}

int trigger_single_cpu_backtrace(int cpu)
{
	struct cpumask m = cpumask_of(cpu);

	return arch_trigger_cpumask_backtrace(&m, -1);
}
