/*
 * The tick: its period against the TSC (within 2 % of 1/HZ) for each way a
 * timer can drive it -- the LAPIC timer periodic, one-shot reprogrammed
 * every tick, and TSC-deadline where the CPU has it; the PIT in PIC mode,
 * periodic and one-shot.
 */
#include <kernel/ktest.h>
#include <kernel/clockchips.h>
#include <kernel/jiffies.h>
#include <kernel/time.h>
#include <kernel/string.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/cpufeature.h>
#include <asm/special_insns.h>
#include <kernel/errno.h>
#include "rate_measure.h"

static unsigned long read_jiffies(void)
{
	return jiffies;
}

/*
 * The tick period is the median interval between jiffies steps, within
 * 2 % of 1/HZ (rate_measure.h: a host stall lengthens a few intervals,
 * a wrong programming all of them); and there are never more ticks than
 * HZ allows (+2 %), which no host stall can cause. Up to three tries.
 */
static void expect_hz(struct ktest *t, const char *what)
{
	u64 want = NSEC_PER_SEC / HZ, err = ~0ull;
	struct rate_sample r = { 0 };

	for (int i = 0; i < 3 && err * 100 > want * 2; i++) {
		r = rate_measure(read_jiffies, (HZ >= 250 ? 500 : 1000) * NSEC_PER_MSEC, false);
		err = r.median_ns > want ? r.median_ns - want : want - r.median_ns;
		ktest_info(t, "%s: median tick %llu us over %u intervals, %lu ticks in %llu ms (HZ %d), %s",
			   what, (unsigned long long)r.median_ns / 1000, r.intervals, r.steps,
			   (unsigned long long)r.span_ns / NSEC_PER_MSEC, HZ,
			   tick_get_device() ? tick_get_device()->name : "no device");
	}
	EXPECT_GT(t, r.intervals, 10);
	EXPECT_LE(t, err * 100, want * 2);
	/* steps/span <= HZ * 1.02 */
	EXPECT_LE(t, (u64)r.steps * NSEC_PER_SEC * 100, (u64)HZ * 102 * (r.span_ns + want));
}

static struct clock_event_device *saved_dev;
static enum clock_event_state saved_state;

static int tick_init(struct ktest *t)
{
	saved_dev = tick_get_device();
	if (!saved_dev)
		ktest_skip(t, "no tick device");
	saved_state = saved_dev->state;
	return 0;
}

static void tick_exit(struct ktest *t)
{
	if (saved_dev && saved_dev == lapic_clockevent())
		lapic_timer_set_mode(saved_state == CLOCK_EVT_STATE_PERIODIC ? LAPIC_TIMER_PERIODIC :
								       LAPIC_TIMER_ONESHOT);
	else if (saved_dev && tick_get_device() != saved_dev)
		tick_switch_device(saved_dev, saved_state);
	else if (saved_dev && saved_dev->state != saved_state)
		tick_switch_device(saved_dev, saved_state);
}

static void default_tick(struct ktest *t)
{
	struct clock_event_device *dev = tick_get_device();

	if (irq_mode == IRQ_MODE_APIC)
		EXPECT_TRUE(t, dev == lapic_clockevent());
	else
		EXPECT_STREQ(t, dev->name, "pit");
	expect_hz(t, "default");
	EXPECT_GT(t, dev->events, 0);
}

static void lapic_periodic(struct ktest *t)
{
	if (tick_get_device() != lapic_clockevent())
		ktest_skip(t, "the LAPIC timer does not drive the tick (PIC mode: the PIT does)");
	ASSERT_EQ(t, lapic_timer_set_mode(LAPIC_TIMER_PERIODIC), 0);
	EXPECT_EQ(t, lapic_clockevent()->state, CLOCK_EVT_STATE_PERIODIC);
	EXPECT_EQ(t, apic_read(APIC_LVTT) & (3u << 17), APIC_TIMER_PERIODIC);
	expect_hz(t, "LAPIC periodic");
}

static void lapic_oneshot(struct ktest *t)
{
	if (tick_get_device() != lapic_clockevent())
		ktest_skip(t, "the LAPIC timer does not drive the tick (PIC mode: the PIT does)");
	ASSERT_EQ(t, lapic_timer_set_mode(LAPIC_TIMER_ONESHOT), 0);
	EXPECT_EQ(t, lapic_clockevent()->state, CLOCK_EVT_STATE_ONESHOT);
	EXPECT_EQ(t, apic_read(APIC_LVTT) & (3u << 17), APIC_TIMER_ONESHOT);
	expect_hz(t, "LAPIC one-shot");
}

static void lapic_tsc_deadline(struct ktest *t)
{
	if (tick_get_device() != lapic_clockevent())
		ktest_skip(t, "the LAPIC timer does not drive the tick (PIC mode: the PIT does)");
	if (!boot_cpu_has(X86_FEATURE_TSC_DEADLINE)) {
		EXPECT_EQ(t, lapic_timer_set_mode(LAPIC_TIMER_DEADLINE), -ENODEV);
		ktest_skip(t, "this CPU model has no TSC-deadline mode (try CPU=max)");
	}
	ASSERT_EQ(t, lapic_timer_set_mode(LAPIC_TIMER_DEADLINE), 0);
	EXPECT_EQ(t, apic_read(APIC_LVTT) & (3u << 17), APIC_TIMER_TSC_DEADLINE);
	EXPECT_STREQ(t, lapic_clockevent()->name, "lapic-deadline");
	expect_hz(t, "LAPIC TSC-deadline");
}

static void pit_oneshot(struct ktest *t)
{
	struct clock_event_device *dev = tick_get_device();

	if (strcmp(dev->name, "pit"))
		ktest_skip(t, "the PIT does not drive the tick (APIC mode: the LAPIC timer does)");
	ASSERT_EQ(t, tick_switch_device(dev, CLOCK_EVT_STATE_ONESHOT), 0);
	expect_hz(t, "PIT one-shot");
	ASSERT_EQ(t, tick_switch_device(dev, CLOCK_EVT_STATE_PERIODIC), 0);
	expect_hz(t, "PIT periodic");
}

static struct ktest_case tick_cases[] = {
	KTEST_CASE(default_tick),
	KTEST_CASE(lapic_periodic),
	KTEST_CASE(lapic_oneshot),
	KTEST_CASE(lapic_tsc_deadline),
	KTEST_CASE(pit_oneshot),
	{},
};
KTEST_SUITE(tick, tick_cases, .init = tick_init, .exit = tick_exit);
