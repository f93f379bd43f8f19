/* Waiting for a counter moved by interrupt handlers (tests of device and IRQ-thread paths). */
#ifndef TESTS_KERNEL_SPIN_WAIT_H
#define TESTS_KERNEL_SPIN_WAIT_H

#include <kernel/time.h>
#include <kernel/compiler.h>
#include <asm/special_insns.h>

/* Spin (interrupts on, the caller stays runnable) until *counter reaches want, for up to ms milliseconds. */
static inline bool wait_for(volatile unsigned long *counter, unsigned long want, unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (READ_ONCE(*counter) < want && ktime_get_ns() < end)
		cpu_relax();
	return READ_ONCE(*counter) >= want;
}

#endif
