/* Where softirqs run: on the IRQ stack (asm/irq_stack.h). */
#ifndef ASM_SOFTIRQ_STACK_H
#define ASM_SOFTIRQ_STACK_H

#include <asm/irq_stack.h>

/* The softirq loop itself (kernel/softirq.c); interrupts off on entry and exit. */
void __do_softirq(void);

/*
 * Run __do_softirq() on this CPU's IRQ stack; interrupts off. Counted as
 * one more nesting level, so a hard IRQ arriving meanwhile stays on the
 * IRQ stack below it; already on it (from irq_exit(), or nested), it
 * just runs. Inline, as Linux's: local_bh_enable() and irq_exit() would
 * otherwise pay one more call to get here.
 */
static inline void do_softirq_own_stack(void)
{
	this_cpu_inc(irq_nest);
	if (this_cpu_read(irq_nest) == 1 && this_cpu_read(irq_stack_top))
		call_on_irq_stack(__do_softirq, NULL, this_cpu_read(irq_stack_top));
	else
		__do_softirq();
	this_cpu_dec(irq_nest);
}

#endif
