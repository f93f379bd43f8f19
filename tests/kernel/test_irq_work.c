/*
 * irq_work (kernel/irq_work.c, arch/x86_64/irq_work.c): the callback runs
 * in hard-IRQ context on the CPU it was queued for, queuing a pending
 * work is refused, a callback may queue itself again, work can be sent
 * to another CPU, irq_work_sync() waits for a running callback, lazy work
 * runs from the tick, and the IRQ_WORK_VECTOR interrupts are counted in
 * the IWI row. In PIC mode (noapic) the local APIC still raises the
 * vector; without a local APIC every list runs from the tick.
 */
#include <kernel/ktest.h>
#include <kernel/irq_work.h>
#include <kernel/irq.h>
#include <kernel/clockchips.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <asm/hw_irq.h>
#include <asm/irq.h>
#include "sched_test.h"
#include "smp_test.h"

/* What one run of a callback saw. */
struct iw_probe {
	struct irq_work work;
	int runs;
	int cpu;
	bool hardirq, irqs_off;
	unsigned long tick;		/* the CPU's tick count when it ran */
	int requeue;			/* queue itself again this many more times */
	int requeue_refused;		/* irq_work_queue() said false from inside */
	unsigned int spin_ms;		/* busy this long in the callback */
	volatile int done;		/* set at the very end of the callback */
};

static void iw_record(struct irq_work *work)
{
	struct iw_probe *p = container_of(work, struct iw_probe, work);

	p->cpu = smp_processor_id();
	p->hardirq = in_hardirq();
	p->irqs_off = irqs_disabled();
	p->tick = tick_count_cpu(p->cpu);
	if (p->spin_ms)
		smp_spin_ms(p->spin_ms);
	if (p->requeue > 0) {
		p->requeue--;
		if (!irq_work_queue(work))
			p->requeue_refused++;
	}
	WRITE_ONCE(p->runs, p->runs + 1);
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
}

static struct iw_probe probe;

static int irq_work_suite_init(struct ktest *t)
{
	memset(&probe, 0, sizeof(probe));
	init_irq_work(&probe.work, iw_record);
	probe.cpu = -1;
	return 0;
}

static void irq_work_suite_exit(struct ktest *t)
{
	/* a failed case may leave it queued: the probe is reused by the next case */
	irq_work_sync(&probe.work);
}

static unsigned int iwi_count(int cpu)
{
	return READ_ONCE(per_cpu(irq_stat.apic_irq_work_irqs, cpu));
}

/* Runs once, in hard-IRQ context with interrupts off, on the CPU that queued it. */
static void runs_in_hardirq_here(struct ktest *t)
{
	int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	EXPECT_TRUE(t, irq_work_queue(&probe.work));
	preempt_enable();
	ASSERT_TRUE(t, wait_until(READ_ONCE(probe.done), 5000));
	irq_work_sync(&probe.work);
	EXPECT_EQ(t, probe.runs, 1);
	EXPECT_EQ(t, probe.cpu, cpu);
	EXPECT_TRUE(t, probe.hardirq);
	EXPECT_TRUE(t, probe.irqs_off);
	EXPECT_FALSE(t, irq_work_is_busy(&probe.work));
	EXPECT_FALSE(t, irq_work_is_pending(&probe.work));
}

/* While pending, queuing again is refused and the work runs once for both calls. */
static void queue_refused_while_pending(struct ktest *t)
{
	unsigned long flags;
	bool first, second;

	local_irq_save(flags);
	first = irq_work_queue(&probe.work);
	second = irq_work_queue(&probe.work);
	EXPECT_TRUE(t, irq_work_is_pending(&probe.work));
	EXPECT_TRUE(t, irq_work_is_busy(&probe.work));
	local_irq_restore(flags);
	EXPECT_TRUE(t, first);
	EXPECT_FALSE(t, second);
	ASSERT_TRUE(t, wait_until(READ_ONCE(probe.done), 5000));
	irq_work_sync(&probe.work);
	EXPECT_EQ(t, probe.runs, 1);
	/* free again: the next queue is accepted */
	EXPECT_TRUE(t, irq_work_queue(&probe.work));
	ASSERT_TRUE(t, wait_until(READ_ONCE(probe.runs) == 2, 5000));
}

/* A callback may queue its own work again (PENDING is clear while it runs): it runs once more each time. */
static void requeue_from_own_callback(struct ktest *t)
{
	probe.requeue = 3;
	EXPECT_TRUE(t, irq_work_queue(&probe.work));
	ASSERT_TRUE(t, wait_until(READ_ONCE(probe.runs) >= 4, 5000));
	irq_work_sync(&probe.work);
	msleep(20);	/* a fifth run would have come by now */
	EXPECT_EQ(t, probe.runs, 4);
	EXPECT_EQ(t, probe.requeue_refused, 0);
	EXPECT_FALSE(t, irq_work_is_busy(&probe.work));
}

/* irq_work_queue_on() runs the callback on each other CPU, in hard-IRQ context, counted in its IWI. */
static void queue_on_other_cpus(struct ktest *t)
{
	int self, cpu;

	smp_require(t, 2);
	preempt_disable();
	self = smp_processor_id();
	preempt_enable();
	for_each_online_cpu(cpu) {
		unsigned int iwi = iwi_count(cpu);

		if (cpu == self)
			continue;
		probe.done = 0;
		probe.cpu = -1;
		EXPECT_TRUE(t, irq_work_queue_on(&probe.work, cpu));
		ASSERT_TRUE(t, wait_until(__atomic_load_n(&probe.done, __ATOMIC_ACQUIRE), 5000));
		irq_work_sync(&probe.work);
		EXPECT_EQ(t, probe.cpu, cpu);
		EXPECT_TRUE(t, probe.hardirq);
		EXPECT_TRUE(t, probe.irqs_off);
		EXPECT_GT(t, iwi_count(cpu), iwi);
	}
	EXPECT_EQ(t, probe.runs, (int)num_online_cpus() - 1);
}

/* irq_work_sync() returns only once a callback running on another CPU has finished. */
static void sync_waits_for_running_callback(struct ktest *t)
{
	int self, other;

	smp_require(t, 2);
	preempt_disable();
	self = smp_processor_id();
	preempt_enable();
	other = self == 0 ? 1 : 0;
	probe.spin_ms = 50;
	EXPECT_TRUE(t, irq_work_queue_on(&probe.work, other));
	/* wait until it runs (the flags say busy but no longer pending), then sync */
	ASSERT_TRUE(t, wait_until(!irq_work_is_pending(&probe.work), 5000));
	irq_work_sync(&probe.work);
	EXPECT_EQ(t, __atomic_load_n(&probe.done, __ATOMIC_ACQUIRE), 1);
	EXPECT_EQ(t, probe.runs, 1);
	EXPECT_EQ(t, probe.cpu, other);
}

/*
 * Lazy work raises nothing: the next tick of the CPU runs it (its tick
 * count moved on), and irq_work_sync() waits for that, on one CPU too.
 */
static void lazy_runs_from_tick(struct ktest *t)
{
	unsigned long ticks, flags;
	int cpu;

	probe.work = (struct irq_work)IRQ_WORK_INIT_LAZY(iw_record);
	/* interrupts off: no tick can run it before it is checked as queued */
	local_irq_save(flags);
	cpu = smp_processor_id();
	ticks = tick_count_cpu(cpu);
	EXPECT_TRUE(t, irq_work_queue(&probe.work));
	EXPECT_TRUE(t, irq_work_is_busy(&probe.work));
	EXPECT_EQ(t, probe.runs, 0);
	local_irq_restore(flags);
	irq_work_sync(&probe.work);
	EXPECT_EQ(t, __atomic_load_n(&probe.done, __ATOMIC_ACQUIRE), 1);
	EXPECT_EQ(t, probe.runs, 1);
	EXPECT_EQ(t, probe.cpu, cpu);
	EXPECT_TRUE(t, probe.hardirq);
	EXPECT_GT(t, probe.tick, ticks);
}

/*
 * With a local APIC (also in PIC mode: noapic keeps it) each raise is an
 * IRQ_WORK_VECTOR interrupt counted in this CPU's IWI row; without one
 * the tick runs the work and IWI stays 0.
 */
static void counted_in_iwi_row(struct ktest *t)
{
	unsigned int before;
	const char *out, *row;
	int cpu;

	ktest_info(t, "%s mode (%s), %s", irq_mode == IRQ_MODE_APIC ? "APIC" : "PIC",
		   irq_mode_reason, arch_irq_work_has_interrupt() ?
		   "raised by self-IPI" : "no local APIC: run from the tick");
	preempt_disable();
	cpu = smp_processor_id();
	before = iwi_count(cpu);
	EXPECT_TRUE(t, irq_work_queue(&probe.work));
	preempt_enable();
	ASSERT_TRUE(t, wait_until(READ_ONCE(probe.done), 5000));
	irq_work_sync(&probe.work);
	EXPECT_EQ(t, probe.cpu, cpu);
	if (arch_irq_work_has_interrupt())
		EXPECT_GT(t, iwi_count(cpu), before);
	else
		EXPECT_EQ(t, iwi_count(cpu), 0);
	ktest_capture_start();
	show_interrupts(ktest_capture_print);
	out = ktest_captured();
	row = strstr(out, " IWI:");
	ASSERT_NOT_NULL(t, row);
	EXPECT_NOT_NULL(t, strstr(row, "IRQ work interrupts\n"));
}

static struct ktest_case irq_work_cases[] = {
	KTEST_CASE(runs_in_hardirq_here),
	KTEST_CASE(queue_refused_while_pending),
	KTEST_CASE(requeue_from_own_callback),
	KTEST_CASE(queue_on_other_cpus),
	KTEST_CASE(sync_waits_for_running_callback),
	KTEST_CASE(lazy_runs_from_tick),
	KTEST_CASE(counted_in_iwi_row),
	{}
};

KTEST_SUITE(irq_work, irq_work_cases, .init = irq_work_suite_init, .exit = irq_work_suite_exit);
