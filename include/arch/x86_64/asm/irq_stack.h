/*
 * The per-CPU IRQ stack (arch/x86_64/irq/vector.c gives each CPU one):
 * how deep this CPU is in hard IRQs and softirqs (the first level
 * switches to the IRQ stack, deeper ones are on it already), and the
 * inline switch onto it.
 */
#ifndef ASM_IRQ_STACK_H
#define ASM_IRQ_STACK_H

#include <asm/percpu.h>

/* Hard IRQs entered and not left, plus softirq runs from task context (this CPU). */
DECLARE_PER_CPU(unsigned int, irq_nest);
/* The top of this CPU's IRQ stack; 0 before it has one. */
DECLARE_PER_CPU(unsigned long, irq_stack_top);

/*
 * Call fn(arg) on the stack whose top is top, and come back (Linux's
 * call_on_stack(), inline so that fn is a direct call and no helper's
 * call and return are added). The old stack pointer is kept in the top
 * 16 bytes of the new stack (the call then finds the stack 16-byte
 * aligned, as the ABI wants), and popped back afterwards. rbp is left
 * alone: it still points at our frame record on the old stack, so a
 * backtrace taken on the IRQ stack walks on into the interrupted code.
 */
#define call_on_irq_stack(fn, arg, top) do {					\
	register unsigned long __tos asm("r11") = (top) - 16;			\
	register void *__arg asm("rdi") = (arg);				\
	__asm__ __volatile__("movq %%rsp, (%[tos])\n\t"			\
			     "movq %[tos], %%rsp\n\t"				\
			     "call %P[func]\n\t"				\
			     "popq %%rsp"					\
			     : [tos] "+r"(__tos), "+r"(__arg)			\
			     : [func] "i"(fn)					\
			     : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10",	\
			       "memory", "cc");				\
} while (0)

#endif
