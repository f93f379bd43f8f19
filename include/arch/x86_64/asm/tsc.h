/* The time-stamp counter: calibration, delays and the nanosecond clock. */
#ifndef ASM_TSC_H
#define ASM_TSC_H

#include <kernel/types.h>
#include <asm/msr.h>

/* TSC frequency in kHz; 0 until tsc_init(). */
extern unsigned long tsc_khz;
/* The clock's zero (the TSC at tsc_init()) and its scale: ns = cycles * tsc_ns_mult >> 32. */
extern u64 tsc_base;
extern u64 tsc_ns_mult;

/* Measure the TSC rate (CPUID 0x15/0x16 when they give it, else against PIT channel 2). */
void tsc_init(void);
/* Convert TSC cycles to nanoseconds, rounded to the nearest. */
static inline u64 cycles_to_ns(u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * tsc_ns_mult + (1u << 31)) >> 32);
}

/*
 * Nanoseconds since tsc_init() (0 before). Inline: the scheduler reads
 * it on every switch and wake-up, softirq processing once per run.
 */
static inline u64 tsc_clock_ns(void)
{
	if (!tsc_khz)
		return 0;
	return cycles_to_ns(rdtsc() - tsc_base);
}

/* The tsc_clock_ns() (printk clock) reading that TSC value tsc stands for; 0 before tsc_init(). */
u64 tsc_to_clock_ns(u64 tsc);

/* Busy-wait; before calibration these assume a 1 GHz TSC. */
void udelay(unsigned long usecs);
void ndelay(unsigned long nsecs);

#endif
