/*
 * A hard interrupt on demand for the bottom-half tests: an IPI-SIM line
 * (a self-IPI, asm/irq_sim.h) when there is a local APIC, else the edu
 * device's INTx line (through the 8259A in noapic mode). Either way the
 * callback runs in a real hard-IRQ handler, entered through the IDT, so
 * irq_exit() and its softirq processing follow as for any device.
 */
#ifndef TESTS_BH_IRQ_SOURCE_H
#define TESTS_BH_IRQ_SOURCE_H

#include <kernel/ktest.h>
#include <kernel/interrupt.h>
#include <kernel/edu.h>
#include <kernel/irqdesc.h>
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <asm/irq_sim.h>
#include <asm/special_insns.h>

struct bh_irq_source {
	int sim_irq;			/* the IPI-SIM line, or -1 */
	struct edu_dev *edu;		/* or the edu device (when sim_irq < 0) */
	void (*fn)(void);		/* what the hard-IRQ handler calls */
	unsigned long fired;		/* handler runs so far */
};

/* One source at a time: the edu callback has no cookie of its own. */
static struct bh_irq_source bh_src = { .sim_irq = -1 };

static inline void bh_src_call(void)
{
	bh_src.fired++;
	if (bh_src.fn)
		bh_src.fn();
}

static inline irqreturn_t bh_src_sim_handler(int irq, void *dev_id)
{
	bh_src_call();
	return IRQ_HANDLED;
}

static inline void bh_src_edu_handler(struct edu_dev *edu, u32 status)
{
	bh_src_call();
}

/* Set up a source whose handler calls fn; skips the case when there is none. */
static inline void bh_src_setup(struct ktest *t, void (*fn)(void))
{
	bh_src.fn = fn;
	bh_src.fired = 0;
	bh_src.edu = NULL;
	bh_src.sim_irq = irq_sim_create(NULL, NULL);
	if (bh_src.sim_irq >= 0) {
		if (request_irq(bh_src.sim_irq, bh_src_sim_handler, 0, "bhtest", &bh_src)) {
			irq_sim_destroy(bh_src.sim_irq);
			bh_src.sim_irq = -1;
			ktest_skip(t, "cannot request the IPI-SIM line");
		}
		return;
	}
	bh_src.sim_irq = -1;
	bh_src.edu = edu_get(0);
	if (!bh_src.edu)
		ktest_skip(t, "neither a local APIC (IPI-SIM) nor an edu device for hard IRQs");
	bh_src.edu->ack = true;
	bh_src.edu->on_irq = bh_src_edu_handler;
	if (edu_request_irq(bh_src.edu, false)) {
		bh_src.edu->on_irq = NULL;
		bh_src.edu = NULL;
		ktest_skip(t, "cannot request the edu interrupt");
	}
}

static inline void bh_src_teardown(void)
{
	if (bh_src.sim_irq >= 0) {
		free_irq(bh_src.sim_irq, &bh_src);
		irq_sim_destroy(bh_src.sim_irq);
		bh_src.sim_irq = -1;
	}
	if (bh_src.edu) {
		edu_free_irq(bh_src.edu);
		edu_ack(bh_src.edu, edu_status(bh_src.edu));
		bh_src.edu->on_irq = NULL;
		bh_src.edu = NULL;
	}
	bh_src.fn = NULL;
}

/* Raise the interrupt; it arrives once interrupts are on. */
static inline void bh_src_fire(void)
{
	if (bh_src.sim_irq >= 0)
		irq_sim_fire(bh_src.sim_irq);
	else if (bh_src.edu)
		edu_raise(bh_src.edu, 0x1);
}

/*
 * Wait until *v reaches want, for up to ms milliseconds, sleeping a
 * tick at a time. Sleeping, not spinning: ksoftirqd may be owed less CPU
 * than this task by the fair class (after a flood it ran, on a host that
 * stalled it), and a busy waiter would hold it off for a long slice.
 */
static inline bool bh_wait_for(volatile unsigned long *v, unsigned long want, unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (READ_ONCE(*v) < want && ktime_get_ns() < end)
		schedule_timeout_uninterruptible(1);
	return READ_ONCE(*v) >= want;
}

/*
 * Wait until ksoftirqd/0 sleeps. While it is runnable, irq_exit() and
 * local_bh_enable() leave softirqs other than HI and TASKLET to it
 * (Linux 4.9 to 6.2, "let ksoftirqd do its job"): tests that want them
 * run right there start from here. Nothing in a test wakes it again
 * except a raise from plain task context or a pass over its limits.
 */
static inline bool bh_wait_ksoftirqd_idle(unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (task_is_running(ksoftirqd_task(0)) && ktime_get_ns() < end)
		schedule_timeout_uninterruptible(1);
	return !task_is_running(ksoftirqd_task(0));
}

/* The same for a softirq's pending bit to clear on this CPU. */
static inline bool bh_wait_not_pending(unsigned int nr, unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while ((local_softirq_pending() & (1u << nr)) && ktime_get_ns() < end)
		schedule_timeout_uninterruptible(1);
	return !(local_softirq_pending() & (1u << nr));
}

/* Busy for ms milliseconds with interrupts as they are. */
static inline void bh_spin_ms(unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

#endif
