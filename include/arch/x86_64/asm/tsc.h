/* The time-stamp counter: calibration, delays and the nanosecond clock. */
#ifndef ASM_TSC_H
#define ASM_TSC_H

#include <kernel/types.h>

/* TSC frequency in kHz; 0 until tsc_init(). */
extern unsigned long tsc_khz;

/* Measure the TSC rate (CPUID 0x15/0x16 when they give it, else against PIT channel 2). */
void tsc_init(void);
/* Nanoseconds since tsc_init(). */
u64 tsc_clock_ns(void);
/* Convert TSC cycles to nanoseconds. */
u64 cycles_to_ns(u64 cycles);
/* The tsc_clock_ns() (printk clock) reading that TSC value tsc stands for; 0 before tsc_init(). */
u64 tsc_to_clock_ns(u64 tsc);

/* Busy-wait; before calibration these assume a 1 GHz TSC. */
void udelay(unsigned long usecs);
void ndelay(unsigned long nsecs);

#endif
