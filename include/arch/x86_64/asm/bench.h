/*
 * The benchmarks' clock (include/kernel/bench.h): the TSC read as the
 * Linux peer reads it, "lfence; rdtsc" (Linux's rdtsc_ordered() on CPUs
 * with LFENCE_RDTSC), so that earlier instructions have finished first.
 */
#ifndef ASM_BENCH_H
#define ASM_BENCH_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/tsc.h>

static __always_inline u64 bench_ts(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((u64)hi << 32) | lo;
}

/* Cycles per millisecond of bench_ts() (0 if the TSC was not calibrated). */
static inline unsigned long bench_cycles_per_ms(void)
{
	return tsc_khz;
}

#endif
