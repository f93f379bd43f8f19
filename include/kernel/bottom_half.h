/*
 * Disabling softirqs on this CPU (Linux's bottom_half.h). While the
 * softirq part of preempt_count is nonzero, no softirq (and so no
 * tasklet or timer) runs here; local_bh_enable() at the outermost level
 * runs what became pending meanwhile.
 */
#ifndef KERNEL_BOTTOM_HALF_H
#define KERNEL_BOTTOM_HALF_H

#include <kernel/preempt.h>

static inline void local_bh_disable(void)
{
	preempt_count_add(SOFTIRQ_DISABLE_OFFSET);
	barrier();
}

/* Runs pending softirqs when this was the outermost disable (not in hard-IRQ context). */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt);
static inline void local_bh_enable(void)
{
	__local_bh_enable_ip((unsigned long)__builtin_return_address(0), SOFTIRQ_DISABLE_OFFSET);
}

#endif
