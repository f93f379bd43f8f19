/* Where softirqs run: on the IRQ stack (arch/x86_64/irq/vector.c). */
#ifndef ASM_SOFTIRQ_STACK_H
#define ASM_SOFTIRQ_STACK_H

/* Run __do_softirq() on this CPU's IRQ stack; interrupts off. */
void do_softirq_own_stack(void);
/* The softirq loop itself (kernel/softirq.c); interrupts off on entry and exit. */
void __do_softirq(void);

#endif
