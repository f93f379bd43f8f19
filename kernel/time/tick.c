/*
 * The periodic tick (Linux's kernel/time/tick-common.c, reduced): each
 * CPU takes the best clock-event device offered to it and runs it
 * periodically at HZ, or in one-shot mode reprogrammed every tick when
 * it cannot do periodic. The boot CPU's tick advances jiffies and polls
 * lines disabled as spurious (kernel/irq/spurious.c); every CPU's tick
 * runs its timers, its lazy irq_work and its scheduler.
 */
#define pr_fmt(fmt) "tick: " fmt
#include <kernel/nmi.h>
#include <kernel/clockchips.h>
#include <kernel/jiffies.h>
#include <kernel/time.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/timer.h>
#include <kernel/sched.h>
#include <kernel/irq_work.h>
#include <asm/percpu.h>

/* Start 5 minutes before the wrap, as Linux, so wrap bugs show up early. */
#define INITIAL_JIFFIES		((unsigned long)(-300 * HZ))
#define TICK_NSEC		(NSEC_PER_SEC / HZ)

volatile unsigned long jiffies = INITIAL_JIFFIES;
static int tick_do_timer_cpu;		/* the CPU whose tick advances jiffies */

static DEFINE_PER_CPU(struct clock_event_device *, tick_dev);
static DEFINE_PER_CPU(unsigned long, ticks);

struct clock_event_device *tick_get_device(void)
{
	return this_cpu_read(tick_dev);
}

unsigned long tick_count_cpu(int cpu)
{
	return per_cpu(ticks, cpu);
}

static void tick_periodic(int cpu)
{
	if (cpu == tick_do_timer_cpu) {
		WRITE_ONCE(jiffies, jiffies + 1);
		irq_spurious_tick();
	}
	this_cpu_inc(ticks);
	watchdog_tick();
	run_local_timers();
	irq_work_tick();
	scheduler_tick();
}

void tick_handle_periodic(struct clock_event_device *dev)
{
	tick_periodic(smp_processor_id());
	if (dev->state != CLOCK_EVT_STATE_ONESHOT)
		return;
	/* one-shot: the next tick one period after this one was due; ticks missed while late still count */
	u64 next = dev->next_event + TICK_NSEC;

	while (next <= ktime_get_ns()) {
		tick_periodic(smp_processor_id());
		next += TICK_NSEC;
	}
	clockevents_program_event(dev, next);
}

int tick_switch_device(struct clock_event_device *dev, enum clock_event_state mode)
{
	struct clock_event_device *old;
	unsigned long flags;
	int ret;

	/*
	 * With this CPU's interrupts off: the device's hardware is set to the
	 * new mode before dev->state says so, and a tick taken in between
	 * would still see one-shot and program a single event over the new
	 * periodic mode, after which the tick stops for good.
	 */
	local_irq_save(flags);
	old = this_cpu_read(tick_dev);
	if (old && old != dev)
		clockevents_switch_state(old, CLOCK_EVT_STATE_SHUTDOWN);
	dev->event_handler = tick_handle_periodic;
	dev->period_ns = TICK_NSEC;
	ret = clockevents_switch_state(dev, mode);
	if (!ret) {
		if (mode == CLOCK_EVT_STATE_ONESHOT)
			clockevents_program_event(dev, ktime_get_ns() + TICK_NSEC);
		this_cpu_write(tick_dev, dev);
	}
	local_irq_restore(flags);
	return ret;
}

void tick_check_new_device(struct clock_event_device *dev)
{
	struct clock_event_device *cur = this_cpu_read(tick_dev);
	enum clock_event_state mode;

	if (cur && cur->rating >= dev->rating)
		return;
	mode = (dev->features & CLOCK_EVT_FEAT_PERIODIC) ? CLOCK_EVT_STATE_PERIODIC :
							    CLOCK_EVT_STATE_ONESHOT;
	if (tick_switch_device(dev, mode)) {
		pr_err("%s cannot drive the tick\n", dev->name);
		return;
	}
	pr_info("CPU%d: %s drives the tick at %d Hz (%s)\n", smp_processor_id(), dev->name, HZ,
		mode == CLOCK_EVT_STATE_PERIODIC ? "periodic" : "one-shot");
}
