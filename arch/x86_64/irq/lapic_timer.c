/*
 * The LAPIC timer as a clock-event device (Intel SDM vol. 3A, 11.5.4):
 * periodic and one-shot from the initial-count register, or one-shot
 * through IA32_TSC_DEADLINE when the CPU has TSC-deadline mode. Its rate
 * (after the divide-by-16) comes from CPUID 0x15 (the core crystal) or
 * 0x16 (the bus clock) when the CPU reports them, else from counting it
 * over 10 ms of PIT channel 2. Each CPU has its own device, which only
 * that CPU programs and whose interrupt only it takes.
 * `lapic_timer=periodic|oneshot|deadline` picks how it drives the tick.
 */
#define pr_fmt(fmt) "apic: " fmt
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/i8253.h>
#include <asm/msr.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>
#include <kernel/clockchips.h>
#include <kernel/cmdline.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/smp.h>

#define CAL_MS		10
#define CAL_TRIES	3

unsigned long lapic_timer_hz;
static enum lapic_timer_mode wanted_mode = LAPIC_TIMER_PERIODIC;
static DEFINE_PER_CPU(struct clock_event_device, lapic_events);
static DEFINE_PER_CPU(bool, lapic_deadline);	/* one-shot events through IA32_TSC_DEADLINE */
#define use_deadline	this_cpu_read(lapic_deadline)

static int lapic_timer_setup(const char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "periodic"))
		wanted_mode = LAPIC_TIMER_PERIODIC;
	else if (!strcmp(val, "oneshot"))
		wanted_mode = LAPIC_TIMER_ONESHOT;
	else if (!strcmp(val, "deadline"))
		wanted_mode = LAPIC_TIMER_DEADLINE;
	else
		return -EINVAL;
	return 0;
}
early_param("lapic_timer", lapic_timer_setup);

static int lapic_set_periodic(struct clock_event_device *dev)
{
	u64 count = clockevent_delta2ticks(dev->period_ns, dev);

	if (use_deadline)
		return -EINVAL;		/* a device in deadline mode is one-shot only */
	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, APIC_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, (u32)count);
	return 0;
}

static int lapic_set_oneshot(struct clock_event_device *dev)
{
	apic_write(APIC_TMICT, 0);
	if (use_deadline) {
		apic_write(APIC_LVTT, APIC_TIMER_TSC_DEADLINE | LOCAL_TIMER_VECTOR);
		/* the SDM asks for a fence between the mode switch and the first deadline */
		__asm__ __volatile__("mfence" ::: "memory");
	} else {
		apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
		apic_write(APIC_LVTT, APIC_TIMER_ONESHOT | LOCAL_TIMER_VECTOR);
	}
	return 0;
}

static int lapic_next_event(unsigned long delta, struct clock_event_device *dev)
{
	if (use_deadline)
		wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + delta);
	else
		apic_write(APIC_TMICT, delta ? (u32)delta : 1);
	return 0;
}

static int lapic_shutdown(struct clock_event_device *dev)
{
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0);
	if (use_deadline)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	return 0;
}

static const struct clock_event_device lapic_ce_template = {
	.name = "lapic",
	.features = CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT,
	.set_state_periodic = lapic_set_periodic,
	.set_state_oneshot = lapic_set_oneshot,
	.set_state_shutdown = lapic_shutdown,
	.set_next_event = lapic_next_event,
	.rating = 100,
	.irq = -1,
};

static void apic_timer_interrupt(struct pt_regs *regs)
{
	struct clock_event_device *dev = this_cpu_ptr(&lapic_events);

	apic_eoi();
	this_cpu_inc(irq_stat.apic_timer_irqs);
	dev->events++;
	if (dev->event_handler)
		dev->event_handler(dev);
}

/* LAPIC timer ticks (after the divider) per second. */
static unsigned long calibrate(const char **how)
{
	u32 a, b, c, d, best = ~0u;

	/* the timer counts the core crystal clock (0x15 ECX), or the bus clock (0x16 ECX, MHz) */
	if (boot_cpu_data.max_leaf >= 0x15) {
		cpuid(0x15, &a, &b, &c, &d);
		if (c) {
			*how = "CPUID 0x15 crystal";
			return c / 16;
		}
	}
	if (boot_cpu_data.max_leaf >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if (c) {
			*how = "CPUID 0x16 bus clock";
			return c * 1000000ul / 16;
		}
	}
	*how = "PIT";
	for (int i = 0; i < CAL_TRIES; i++) {
		u32 left;

		apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
		apic_write(APIC_LVTT, APIC_LVT_MASKED | APIC_TIMER_ONESHOT | LOCAL_TIMER_VECTOR);
		pit_gate_start(PIT_TICK_RATE * CAL_MS / 1000);
		apic_write(APIC_TMICT, 0xffffffff);
		while (!pit_gate_expired())
			;
		left = apic_read(APIC_TMCCT);
		pit_gate_stop();
		apic_write(APIC_TMICT, 0);
		/* the shortest count is the least disturbed one */
		if (0xffffffff - left < best)
			best = 0xffffffff - left;
	}
	return (unsigned long)best * (1000 / CAL_MS);
}

/* This CPU's device's features, name and rate for a mode: deadline events count in TSC cycles. */
static void configure(struct clock_event_device *dev, enum lapic_timer_mode mode)
{
	this_cpu_write(lapic_deadline, mode == LAPIC_TIMER_DEADLINE);
	if (use_deadline) {
		dev->name = "lapic-deadline";
		dev->features = CLOCK_EVT_FEAT_ONESHOT;
		/* at least 1 us ahead: a deadline already passed fires at once, which is fine */
		clockevents_config(dev, tsc_khz * 1000, tsc_khz, ~0ul >> 1);
	} else {
		dev->name = "lapic";
		dev->features = CLOCK_EVT_FEAT_ONESHOT |
				(mode == LAPIC_TIMER_PERIODIC ? CLOCK_EVT_FEAT_PERIODIC : 0);
		clockevents_config(dev, lapic_timer_hz, 2, 0x7fffffff);
	}
}

int lapic_timer_set_mode(enum lapic_timer_mode mode)
{
	struct clock_event_device *dev = this_cpu_ptr(&lapic_events);
	bool had_tick = tick_get_device() == dev;

	if (mode == LAPIC_TIMER_DEADLINE && !boot_cpu_has(X86_FEATURE_TSC_DEADLINE))
		return -ENODEV;
	if (dev->state != CLOCK_EVT_STATE_DETACHED)
		clockevents_switch_state(dev, CLOCK_EVT_STATE_SHUTDOWN);
	configure(dev, mode);
	if (!had_tick)
		return 0;
	return tick_switch_device(dev, mode == LAPIC_TIMER_PERIODIC ? CLOCK_EVT_STATE_PERIODIC :
							   CLOCK_EVT_STATE_ONESHOT);
}

/* Measure the timer's rate once, on the boot CPU (every CPU's timer runs from the same clock). */
int lapic_timer_calibrate(void)
{
	const char *how;

	if (lapic_timer_hz)
		return 0;
	if (!lapic_is_enabled())
		return -ENODEV;
	lapic_timer_hz = calibrate(&how);
	if (!lapic_timer_hz) {
		pr_err("the LAPIC timer does not count\n");
		return -ENODEV;
	}
	pr_info("LAPIC timer %lu.%06lu MHz (bus clock / 16, calibrated with %s)%s\n",
		lapic_timer_hz / 1000000, lapic_timer_hz % 1000000, how,
		boot_cpu_has(X86_FEATURE_TSC_DEADLINE) ? "; TSC-deadline mode available" : "");
	sysvec_register(LOCAL_TIMER_VECTOR, apic_timer_interrupt, "Local timer interrupts");
	return 0;
}

/* Register this CPU's LAPIC timer as a clock-event device; the tick takes it if it is the best here. */
int lapic_timer_setup_cpu(void)
{
	struct clock_event_device *dev = this_cpu_ptr(&lapic_events);
	enum lapic_timer_mode mode = wanted_mode;

	if (!lapic_timer_hz)
		return -ENODEV;
	if (mode == LAPIC_TIMER_DEADLINE && !boot_cpu_has(X86_FEATURE_TSC_DEADLINE)) {
		if (smp_processor_id() == 0)
			pr_warn("lapic_timer=deadline: this CPU has no TSC-deadline mode; using one-shot\n");
		mode = LAPIC_TIMER_ONESHOT;
	}
	*dev = lapic_ce_template;
	dev->cpu = (unsigned int)smp_processor_id();
	configure(dev, mode);
	if (use_deadline)
		clockevents_config_and_register(dev, tsc_khz * 1000, tsc_khz, ~0ul >> 1);
	else
		clockevents_config_and_register(dev, lapic_timer_hz, 2, 0x7fffffff);
	return 0;
}

int lapic_timer_init(void)
{
	int ret = lapic_timer_calibrate();

	return ret ? ret : lapic_timer_setup_cpu();
}

struct clock_event_device *lapic_clockevent(void)
{
	return this_cpu_ptr(&lapic_events);
}
