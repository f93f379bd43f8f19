/* Kernel time: the monotonic nanosecond clock. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/types.h>
#include <asm/tsc.h>

#define NSEC_PER_USEC	1000ull
#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull

/* Nanoseconds since boot, from the calibrated TSC. */
static inline u64 ktime_get_ns(void) { return tsc_clock_ns(); }

#endif
