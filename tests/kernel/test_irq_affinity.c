/*
 * IRQ affinity and cross-CPU IRQ correctness: the cpulist parser behind
 * `irqaffinity=`; irq_set_affinity() moving an edu MSI and the edu's
 * IOAPIC line to each online CPU in turn (counted and handled there, the
 * hardware reprogrammed, the old vectors freed later); its errors; the
 * least-loaded placement of new lines; and synchronize_irq(),
 * disable_irq() and free_irq() waiting for a handler that runs on
 * another CPU. Cases that need two CPUs skip with one.
 */
#include <kernel/ktest.h>
#include <kernel/edu.h>
#include <kernel/irqdesc.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/errno.h>
#include <asm/irq.h>
#include <asm/io_apic.h>
#include <asm/hw_irq.h>
#include <asm/smp.h>
#include <asm/tsc.h>
#include <asm/special_insns.h>
#include "sched_test.h"

#define RAISES		4

static struct edu_dev *edu0;
static struct cpumask saved_default;

/* What the edu handler saw: the CPUs it ran on, and the slow handler's progress. */
static struct {
	struct cpumask cpus;		/* CPUs the handler ran on */
	unsigned int slow_ms;		/* > 0: spin that long in the handler */
	volatile bool started, done;
} seen;

static void record_irq(struct edu_dev *edu, u32 status)
{
	cpumask_set_cpu((unsigned int)smp_processor_id(), &seen.cpus);
	if (seen.slow_ms) {
		WRITE_ONCE(seen.started, true);
		udelay(seen.slow_ms * 1000ul);
		WRITE_ONCE(seen.done, true);
	}
}

static int affinity_init(struct ktest *t)
{
	saved_default = irq_default_affinity;
	memset(&seen, 0, sizeof(seen));
	edu0 = edu_get(0);
	for (int i = 0; i < edu_count(); i++) {
		struct edu_dev *e = edu_get(i);

		e->irqs_handled = e->irqs_none = 0;
		e->ack = true;
		e->on_irq = record_irq;
	}
	return 0;
}

static void affinity_exit(struct ktest *t)
{
	irq_default_affinity = saved_default;
	seen.slow_ms = 0;
	for (int i = 0; i < edu_count(); i++) {
		edu_free_irq(edu_get(i));
		edu_ack(edu_get(i), edu_status(edu_get(i)));
		edu_get(i)->on_irq = NULL;
	}
}

static bool wait_handled(struct edu_dev *edu, unsigned long want)
{
	return wait_until(READ_ONCE(edu->irqs_handled) >= want, 2000);
}

/* Before placement is checked: released vectors freed, so the counts are what placement sees. */
static bool wait_vectors_settled(void)
{
	return wait_until(!irq_vectors_pending_cleanup(), 2000);
}

static void need_edu(struct ktest *t)
{
	if (!edu0)
		ktest_skip(t, "no edu device (tools/qemu.sh adds them unless EDU=0)");
}

static void request_msi(struct ktest *t, struct edu_dev *edu)
{
	int ret = edu_request_irq(edu, true);

	if (ret == -ENODEV || (!ret && !edu->msi))
		ktest_skip(t, "no MSI here (no local APIC)");
	ASSERT_EQ(t, ret, 0);
}

static void cpulist_parser(struct ktest *t)
{
	struct cpumask m, want;
	char buf[64];

	ASSERT_EQ(t, cpulist_parse("0-2,5", &m), 0);
	cpumask_clear(&want);
	cpumask_set_cpu(0, &want);
	cpumask_set_cpu(1, &want);
	cpumask_set_cpu(2, &want);
	cpumask_set_cpu(5, &want);
	EXPECT_TRUE(t, cpumask_equal(&m, &want));
	cpumap_print_list(buf, sizeof(buf), &m);
	EXPECT_STREQ(t, buf, "0-2,5");
	/* overlapping and unordered pieces merge */
	ASSERT_EQ(t, cpulist_parse("3,0-2,1", &m), 0);
	cpumap_print_list(buf, sizeof(buf), &m);
	EXPECT_STREQ(t, buf, "0-3");
	ASSERT_EQ(t, cpulist_parse("7", &m), 0);
	EXPECT_EQ(t, cpumask_weight(&m), 1);
	EXPECT_TRUE(t, cpumask_test_cpu(7, &m));
	/* CPUs beyond NR_CPUS are dropped, not an error */
	ASSERT_EQ(t, cpulist_parse("1,1000", &m), 0);
	cpumap_print_list(buf, sizeof(buf), &m);
	EXPECT_STREQ(t, buf, "1");
	ASSERT_EQ(t, cpulist_parse("", &m), 0);
	EXPECT_TRUE(t, cpumask_empty(&m));
	/* not a cpulist: -EINVAL, and the mask is left alone */
	cpumask_copy(&want, &m);
	cpumask_set_cpu(4, &want);
	m = want;
	EXPECT_EQ(t, cpulist_parse("1-", &m), -EINVAL);
	EXPECT_EQ(t, cpulist_parse("3-1", &m), -EINVAL);
	EXPECT_EQ(t, cpulist_parse("a", &m), -EINVAL);
	EXPECT_EQ(t, cpulist_parse("1;2", &m), -EINVAL);
	EXPECT_TRUE(t, cpumask_equal(&m, &want));
}

static void set_affinity_errors(struct ktest *t)
{
	struct cpumask empty, offline;
	struct irq_desc *desc;
	int irq;

	cpumask_clear(&empty);
	cpumask_clear(&offline);
	for (unsigned int cpu = num_online_cpus(); cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, &offline);
	EXPECT_EQ(t, irq_set_affinity(NR_IRQS, &offline), -EINVAL);
	/* an ISA line: the XT-PIC cannot route (everything goes to CPU 0), the IOAPIC can */
	irq = 1;
	if (irq_mode == IRQ_MODE_PIC) {
		EXPECT_STREQ(t, irq_to_desc(irq)->irq_data.chip->name, "XT-PIC");
		EXPECT_EQ(t, irq_set_affinity(irq, &(struct cpumask){ { 1 } }), -EINVAL);
		EXPECT_EQ(t, irq_effective_cpu(irq), 0);
	} else {
		EXPECT_EQ(t, irq_set_affinity(irq, &empty), -EINVAL);
		if (!cpumask_empty(&offline))
			EXPECT_EQ(t, irq_set_affinity(irq, &offline), -EINVAL);
	}
	need_edu(t);
	request_msi(t, edu0);
	desc = irq_to_desc(edu0->irq);
	EXPECT_EQ(t, irq_set_affinity(edu0->irq, &empty), -EINVAL);
	if (!cpumask_empty(&offline))
		EXPECT_EQ(t, irq_set_affinity(edu0->irq, &offline), -EINVAL);
	/* refused requests change nothing */
	EXPECT_FALSE(t, desc->irq_data.state & IRQD_AFFINITY_SET);
	/* a mask with an offline CPU in it is fine: the online part counts */
	cpumask_set_cpu(0, &offline);
	EXPECT_EQ(t, irq_set_affinity(edu0->irq, &offline), 0);
	EXPECT_EQ(t, irq_effective_cpu(edu0->irq), 0);
	/* a per-CPU line cannot be moved */
	irq_set_percpu(edu0->irq);
	EXPECT_EQ(t, irq_set_affinity(edu0->irq, &(struct cpumask){ { 1 } }), -EINVAL);
	desc->irq_data.state &= ~IRQD_PER_CPU;
}

/* Raise RAISES interrupts; each must be counted on cpu and run there, and nowhere else. */
static void check_lands_on(struct ktest *t, struct edu_dev *edu, int cpu)
{
	unsigned int before[NR_CPUS];
	unsigned long handled = edu->irqs_handled;
	int c;

	for_each_online_cpu(c)
		before[c] = kstat_irqs_cpu(edu->irq, c);
	cpumask_clear(&seen.cpus);
	for (int i = 1; i <= RAISES; i++) {
		edu_raise(edu, 0x1);
		ASSERT_TRUE(t, wait_handled(edu, handled + i));
	}
	for_each_online_cpu(c)
		EXPECT_EQ(t, kstat_irqs_cpu(edu->irq, c) - before[c], c == cpu ? RAISES : 0);
	EXPECT_TRUE(t, cpumask_equal(&seen.cpus, &(struct cpumask){ { 1ull << cpu } }));
}

static void msi_follows_affinity(struct ktest *t)
{
	struct irq_desc *desc;
	int cap, cpu;
	u16 ctrl;

	need_edu(t);
	request_msi(t, edu0);
	desc = irq_to_desc(edu0->irq);
	cap = pci_find_capability(edu0->pdev, PCI_CAP_ID_MSI);
	ASSERT_GT(t, cap, 0);
	pci_read_config_word(edu0->pdev, cap + PCI_MSI_FLAGS, &ctrl);
	for_each_online_cpu(cpu) {
		u32 addr;
		u16 data;

		ASSERT_EQ(t, irq_set_affinity(edu0->irq, &(struct cpumask){ { 1ull << cpu } }), 0);
		/* MSI moves at once: the message now names the CPU's APIC ID and a vector bound there */
		EXPECT_EQ(t, irq_effective_cpu(edu0->irq), cpu);
		pci_read_config_dword(edu0->pdev, cap + PCI_MSI_ADDRESS_LO, &addr);
		pci_read_config_word(edu0->pdev, cap + ((ctrl & PCI_MSI_FLAGS_64BIT) ? PCI_MSI_DATA_64 :
											   PCI_MSI_DATA_32), &data);
		EXPECT_EQ(t, (addr >> 12) & 0xff, x86_cpu_to_apicid[cpu]);
		EXPECT_EQ(t, per_cpu_ptr(&vector_irq[0], cpu)[data & 0xff], desc);
		check_lands_on(t, edu0, cpu);
	}
	/* the vectors left behind are freed once their CPUs hold nothing for them */
	EXPECT_TRUE(t, wait_vectors_settled());
	for_each_online_cpu(cpu) {
		struct irq_desc **table = per_cpu_ptr(&vector_irq[0], cpu);
		int bound = 0;

		for (unsigned int v = 0; v < NR_VECTORS; v++)
			bound += table[v] == desc;
		EXPECT_EQ(t, bound, cpu == irq_effective_cpu(edu0->irq) ? 1 : 0);
	}
}

static void ioapic_line_follows_affinity(struct ktest *t)
{
	struct irq_desc *desc;
	int cpu;

	need_edu(t);
	if (irq_mode != IRQ_MODE_APIC)
		ktest_skip(t, "PIC mode: the edu INTx is an XT-PIC line, fixed on CPU 0");
	ASSERT_EQ(t, edu_request_irq(edu0, false), 0);
	desc = irq_to_desc(edu0->irq);
	EXPECT_STREQ(t, desc->irq_data.chip->name, "IO-APIC");
	for_each_online_cpu(cpu) {
		struct ioapic_line_info info;

		ASSERT_EQ(t, irq_set_affinity(edu0->irq, &(struct cpumask){ { 1ull << cpu } }), 0);
		if (irq_effective_cpu(edu0->irq) != cpu) {
			/* a live IOAPIC line moves at its next interrupt (taken on the old CPU), in its EOI */
			unsigned long handled = edu0->irqs_handled;
			int old = irq_effective_cpu(edu0->irq);

			EXPECT_TRUE(t, irqd_is_setaffinity_pending(&desc->irq_data));
			cpumask_clear(&seen.cpus);
			edu_raise(edu0, 0x1);
			ASSERT_TRUE(t, wait_handled(edu0, handled + 1));
			EXPECT_TRUE(t, cpumask_equal(&seen.cpus, &(struct cpumask){ { 1ull << old } }));
			/* the handler ran on the old CPU; the move follows in that CPU's EOI, a moment later */
			for (u64 end = ktime_get_ns() + 5 * NSEC_PER_SEC;
			     irqd_is_setaffinity_pending(&desc->irq_data) && ktime_get_ns() < end;)
				cpu_relax();
		}
		EXPECT_FALSE(t, irqd_is_setaffinity_pending(&desc->irq_data));
		EXPECT_EQ(t, irq_effective_cpu(edu0->irq), cpu);
		ASSERT_TRUE(t, ioapic_line_info(edu0->irq, &info));
		EXPECT_EQ(t, info.dest, x86_cpu_to_apicid[cpu]);
		EXPECT_FALSE(t, info.masked);
		EXPECT_FALSE(t, info.remote_irr);
		EXPECT_EQ(t, per_cpu_ptr(&vector_irq[0], cpu)[info.vector], desc);
		check_lands_on(t, edu0, cpu);
	}
	EXPECT_TRUE(t, wait_vectors_settled());
}

/* The online CPU of mask with the fewest vectors (the lowest on a tie): where a new line must go. */
static int expected_cpu(const struct cpumask *mask)
{
	int best = -1, cpu;

	for_each_online_cpu(cpu)
		if (cpumask_test_cpu((unsigned int)cpu, mask) &&
		    (best < 0 || irq_vectors_used(cpu) < irq_vectors_used(best)))
			best = cpu;
	return best;
}

static void spread_least_loaded(struct ktest *t)
{
	struct cpumask used;
	int n = 0;

	need_edu(t);
	cpumask_clear(&used);
	for (int i = 0; i < edu_count(); i++) {
		struct edu_dev *e = edu_get(i);
		int want;

		ASSERT_TRUE(t, wait_vectors_settled());
		want = expected_cpu(&irq_default_affinity);
		request_msi(t, e);
		EXPECT_EQ(t, irq_effective_cpu(e->irq), want);
		ktest_info(t, "%s: IRQ %d on CPU %d", e->name, e->irq, irq_effective_cpu(e->irq));
		cpumask_set_cpu((unsigned int)irq_effective_cpu(e->irq), &used);
		check_lands_on(t, e, irq_effective_cpu(e->irq));
		n++;
	}
	/* several CPUs: the boot CPU already has the boot-time lines, so some line went elsewhere */
	if (num_online_cpus() > 1 && n)
		EXPECT_FALSE(t, cpumask_equal(&used, &(struct cpumask){ { 1 } }));
}

/* irq_default_affinity (what irqaffinity= sets) decides where new lines go. */
static void default_affinity_respected(struct ktest *t)
{
	unsigned int last = num_online_cpus() - 1;

	need_edu(t);
	if (num_online_cpus() < 2)
		ktest_skip(t, "one CPU: every line is on CPU 0 whatever the default");
	irq_default_affinity = cpumask_of(last);
	request_msi(t, edu0);
	EXPECT_EQ(t, irq_effective_cpu(edu0->irq), (int)last);
	EXPECT_TRUE(t, cpumask_equal(&irq_to_desc(edu0->irq)->irq_data.affinity,
				     &irq_default_affinity));
	check_lands_on(t, edu0, (int)last);
	edu_free_irq(edu0);
	/* a default with no online CPU in it: any online CPU, as if there were none */
	irq_default_affinity = cpumask_of(NR_CPUS - 1);
	request_msi(t, edu0);
	EXPECT_TRUE(t, cpu_online(irq_effective_cpu(edu0->irq)));
	check_lands_on(t, edu0, irq_effective_cpu(edu0->irq));
}

/* irq_show_affinity() prints the requested and effective affinity and the counts. */
static void affinity_shown(struct ktest *t)
{
	char want[32];
	int cpu;

	need_edu(t);
	request_msi(t, edu0);
	cpu = (int)num_online_cpus() - 1;
	ASSERT_EQ(t, irq_set_affinity(edu0->irq, &(struct cpumask){ { 1ull << cpu } }), 0);
	ktest_capture_start();
	irq_show_affinity(edu0->irq, ktest_capture_print);
	ktest_info(t, "%s", ktest_captured());
	snprintf(want, sizeof(want), "affinity %d, effective %d;", cpu, cpu);
	EXPECT_NOT_NULL(t, strstr(ktest_captured(), want));
	EXPECT_NOT_NULL(t, strstr(ktest_captured(), "PCI-MSI"));
}

/*
 * A handler spinning for 50 ms on another CPU: fn (synchronize_irq,
 * disable_irq, free_irq) called meanwhile from here must return only
 * after it finished. An attempt where the handler had finished before fn
 * was called proves nothing and is tried again.
 */
static void waits_for_remote_handler(struct ktest *t, void (*fn)(struct edu_dev *edu), bool frees)
{
	int target, proved = 0;

	need_edu(t);
	if (num_online_cpus() < 2)
		ktest_skip(t, "one CPU: no handler can run elsewhere");
	for (int attempt = 0; attempt < 5 && !proved; attempt++) {
		bool done_before;

		request_msi(t, edu0);
		target = smp_processor_id() == 1 ? 0 : 1;
		ASSERT_EQ(t, irq_set_affinity(edu0->irq, &(struct cpumask){ { 1ull << target } }), 0);
		seen.started = seen.done = false;
		cpumask_clear(&seen.cpus);
		seen.slow_ms = 50;
		edu_raise(edu0, 0x1);
		ASSERT_TRUE(t, wait_until(READ_ONCE(seen.started), 2000));
		done_before = READ_ONCE(seen.done);
		fn(edu0);
		EXPECT_TRUE(t, READ_ONCE(seen.done));
		EXPECT_TRUE(t, cpumask_equal(&seen.cpus, &(struct cpumask){ { 1ull << target } }));
		if (!done_before)
			proved++;
		else
			ktest_info(t, "attempt %d: the handler was done before the call; again", attempt);
		seen.slow_ms = 0;
		/* let a handler still running (the check failed) end before the edu goes */
		wait_until(READ_ONCE(seen.done), 2000);
		if (!frees)
			edu_free_irq(edu0);
	}
	EXPECT_EQ(t, proved, 1);
}

static void call_synchronize_irq(struct edu_dev *edu)
{
	synchronize_irq(edu->irq);
}

static void call_disable_irq(struct edu_dev *edu)
{
	disable_irq(edu->irq);
	enable_irq(edu->irq);
}

static void call_free_irq(struct edu_dev *edu)
{
	edu_free_irq(edu);
}

static void synchronize_irq_waits_for_other_cpu(struct ktest *t)
{
	waits_for_remote_handler(t, call_synchronize_irq, false);
}

static void disable_irq_waits_for_other_cpu(struct ktest *t)
{
	waits_for_remote_handler(t, call_disable_irq, false);
}

static void free_irq_waits_for_other_cpu(struct ktest *t)
{
	waits_for_remote_handler(t, call_free_irq, true);
}

static struct ktest_case irq_affinity_cases[] = {
	KTEST_CASE(cpulist_parser),
	KTEST_CASE(set_affinity_errors),
	KTEST_CASE(msi_follows_affinity),
	KTEST_CASE(ioapic_line_follows_affinity),
	KTEST_CASE(spread_least_loaded),
	KTEST_CASE(default_affinity_respected),
	KTEST_CASE(affinity_shown),
	KTEST_CASE(synchronize_irq_waits_for_other_cpu),
	KTEST_CASE(disable_irq_waits_for_other_cpu),
	KTEST_CASE(free_irq_waits_for_other_cpu),
	{}
};
KTEST_SUITE(irq_affinity, irq_affinity_cases, .init = affinity_init, .exit = affinity_exit);

/* irqaffinity= is read at boot; the CPU it names need not exist (SMP=1): it is reported as given. */
KTEST_BOOT(irqaffinity_param, "irqaffinity=1", "irq: default affinity 1 (irqaffinity=1)");
