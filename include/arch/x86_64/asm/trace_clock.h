/*
 * The tracer's clock: the raw TSC (a few cycles to read, in step across
 * CPUs under QEMU and on CPUs with an invariant TSC), converted to the
 * printk clock's nanoseconds only when records are printed.
 */
#ifndef ASM_TRACE_CLOCK_H
#define ASM_TRACE_CLOCK_H

#include <kernel/types.h>
#include <asm/msr.h>
#include <asm/tsc.h>

static inline u64 trace_clock_raw(void)
{
	return rdtsc();
}

static inline u64 trace_clock_to_ns(u64 raw)
{
	return tsc_to_clock_ns(raw);
}

/* Its rate in kHz (0 before calibration). */
static inline unsigned long trace_clock_khz(void)
{
	return tsc_khz;
}

#endif
