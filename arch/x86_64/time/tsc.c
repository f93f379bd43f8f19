/*
 * TSC calibration and the clock built on it. CPUID leaf 0x15 (TSC/crystal
 * ratio) with 0x16 (base frequency) gives the rate directly on recent
 * Intel CPUs; elsewhere the TSC is timed against the 8254 PIT's channel 2
 * over 10 ms (the PIT counts at 1.193182 MHz), taking the fastest of
 * several tries so that an interruption only ever lengthens a try.
 */
#define pr_fmt(fmt) "tsc: " fmt
#include <asm/tsc.h>
#include <asm/msr.h>
#include <asm/i8253.h>
#include <asm/cpufeature.h>
#include <kernel/printk.h>

#define CAL_MS		10

unsigned long tsc_khz;
u64 tsc_base;
u64 tsc_ns_mult;

u64 local_clock(void)
{
	return tsc_clock_ns();
}

u64 tsc_to_clock_ns(u64 tsc)
{
	/* a TSC from before tsc_init() (or another CPU a little behind) is time 0 */
	return tsc_khz && tsc > tsc_base ? cycles_to_ns(tsc - tsc_base) : 0;
}

static unsigned long tsc_khz_from_cpuid(void)
{
	u32 a, b, c, d;

	if (boot_cpu_data.max_leaf < 0x15)
		return 0;
	cpuid(0x15, &a, &b, &c, &d);	/* a: denominator, b: numerator, c: crystal Hz */
	if (!a || !b)
		return 0;
	if (c)
		return (unsigned long)((u64)c * b / a / 1000);
	if (boot_cpu_data.max_leaf >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);	/* a: base MHz */
		if (a)
			return a * 1000ul;
	}
	return 0;
}

/* One PIT-timed measurement: TSC cycles over CAL_MS milliseconds. */
static u64 pit_measure(void)
{
	u64 t0, t1;

	pit_gate_start(PIT_TICK_RATE * CAL_MS / 1000);
	t0 = rdtsc();
	while (!pit_gate_expired())
		;
	t1 = rdtsc();
	pit_gate_stop();
	return t1 - t0;
}

void tsc_init(void)
{
	const char *how = "CPUID 0x15/0x16";
	unsigned long khz = tsc_khz_from_cpuid();

	if (!khz) {
		u64 best = ~0ull;
		for (int i = 0; i < 5; i++) {
			u64 c = pit_measure();
			if (c < best)
				best = c;
		}
		khz = best / CAL_MS;
		how = "PIT";
	}
	if (!khz)
		khz = 1000000;		/* should not happen; keep delays sane */
	tsc_base = rdtsc();
	tsc_ns_mult = ((1000000ull << 32) + khz / 2) / khz;
	tsc_khz = khz;
	pr_info("%lu.%03lu MHz TSC (calibrated with %s)\n", khz / 1000, khz % 1000, how);
}

void ndelay(unsigned long nsecs)
{
	unsigned long khz = tsc_khz ? tsc_khz : 1000000;
	u64 cycles = (u64)nsecs * khz / 1000000 + 1, t0 = rdtsc();

	while (rdtsc() - t0 < cycles)
		__asm__ __volatile__("pause");
}

void udelay(unsigned long usecs)
{
	while (usecs > 1000000) {
		ndelay(1000000000);
		usecs -= 1000000;
	}
	ndelay(usecs * 1000);
}
