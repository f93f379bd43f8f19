/*
 * jiffies: ticks since boot, HZ per second (CONFIG_HZ from the Makefile's
 * HZ knob: 100, 250 or 1000). Compare with time_after() and friends,
 * which stay right when the counter wraps.
 */
#ifndef KERNEL_JIFFIES_H
#define KERNEL_JIFFIES_H

#include <kernel/types.h>

#ifndef CONFIG_HZ
#define CONFIG_HZ 250
#endif
#define HZ CONFIG_HZ
_Static_assert(HZ == 100 || HZ == 250 || HZ == 1000, "HZ must be 100, 250 or 1000");

/* Written only by the tick on the CPU that keeps time. */
extern volatile unsigned long jiffies;

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

static inline unsigned long msecs_to_jiffies(unsigned long ms)
{
	return (ms * HZ + 999) / 1000;
}

static inline unsigned long jiffies_to_msecs(unsigned long j)
{
	return j * 1000 / HZ;
}

#endif
