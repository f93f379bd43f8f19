/* The calibrated TSC: delays and the nanosecond clock agree with each other and move forward. */
#include <kernel/ktest.h>
#include <asm/tsc.h>
#include <asm/msr.h>

static void calibrated(struct ktest *t)
{
	/*
	 * QEMU's CPUs run their TSC between 100 MHz and 10 GHz; Bochs counts
	 * its ips setting (50 MHz in tools/bochsrc.in): 10 MHz is the floor.
	 */
	EXPECT_GT(t, tsc_khz, 10000);
	EXPECT_LT(t, tsc_khz, 10000000);
	ktest_info(t, "TSC %lu kHz", tsc_khz);
	EXPECT_EQ(t, cycles_to_ns(tsc_khz), 1000000);			/* 1 ms of cycles */
	EXPECT_EQ(t, cycles_to_ns(tsc_khz * 1000) / 1000, 1000000);	/* 1 s, to the microsecond */
}

static void clock_is_monotonic(struct ktest *t)
{
	u64 prev = tsc_clock_ns(), now;
	int backwards = 0;

	EXPECT_GT(t, prev, 0);
	for (int i = 0; i < 10000; i++) {
		now = tsc_clock_ns();
		backwards += now < prev;
		prev = now;
	}
	EXPECT_EQ(t, backwards, 0);
}

/* udelay waits at least as long as asked, by the TSC clock, and not wildly longer. */
static void udelay_waits(struct ktest *t)
{
	static const unsigned long us[] = { 1, 50, 1000, 20000 };

	for (unsigned int i = 0; i < ARRAY_SIZE(us); i++) {
		u64 t0 = tsc_clock_ns(), elapsed;

		udelay(us[i]);
		elapsed = tsc_clock_ns() - t0;
		EXPECT_GE(t, elapsed, us[i] * 1000);
		/* generous: TCG runs on a shared host; an order of magnitude would be a bug */
		if (us[i] >= 1000)
			EXPECT_LT(t, elapsed, us[i] * 1000 * 10);
	}
}

static void ndelay_waits(struct ktest *t)
{
	u64 t0 = tsc_clock_ns();

	ndelay(200000);
	EXPECT_GE(t, tsc_clock_ns() - t0, 200000);
}

static struct ktest_case tsc_cases[] = {
	KTEST_CASE(calibrated),
	KTEST_CASE(clock_is_monotonic),
	KTEST_CASE(udelay_waits),
	KTEST_CASE(ndelay_waits),
	{},
};
KTEST_SUITE(tsc, tsc_cases);
