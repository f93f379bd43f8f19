/*
 * The tick: its rate against the TSC (within 2 % of HZ) for each way a
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

/* The tick rate in mHz, measured between two tick edges about ms apart. */
static unsigned long measure_mhz(unsigned int ms)
{
	unsigned long j0 = jiffies, j1, j2;
	u64 t0, t1;

	while (jiffies == j0)
		cpu_relax();
	t0 = ktime_get_ns();
	j1 = jiffies;
	while (ktime_get_ns() - t0 < ms * NSEC_PER_MSEC)
		cpu_relax();
	j0 = jiffies;
	while (jiffies == j0)
		cpu_relax();
	t1 = ktime_get_ns();
	j2 = jiffies;
	return (unsigned long)((j2 - j1) * NSEC_PER_SEC * 1000 / (t1 - t0));
}

/*
 * Within 2 % of HZ, over long enough that one tick is well under 2 %. Up
 * to three tries: the host under TCG sometimes stalls the virtual CPU and
 * ticks coalesce; a wrong rate (bad calibration or programming) misses
 * every time.
 */
static void expect_hz(struct ktest *t, const char *what)
{
	unsigned long want = HZ * 1000ul, err = ~0ul;

	for (int i = 0; i < 3 && err * 100 > want * 2; i++) {
		unsigned long mhz = measure_mhz(HZ >= 250 ? 500 : 1000);

		err = mhz > want ? mhz - want : want - mhz;
		ktest_info(t, "%s: %lu.%03lu Hz (HZ %d), %s", what, mhz / 1000, mhz % 1000, HZ,
			   tick_get_device() ? tick_get_device()->name : "no device");
	}
	EXPECT_LE(t, err * 100, want * 2);
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
