/*
 * struct pt_regs: the register frame the entry code saves on every
 * exception and interrupt, laid out as Linux's (see the seeds): the
 * general registers pushed by entry.asm, then orig_rax, then the frame
 * the CPU pushed. entry.asm takes every offset from asm-offsets.c, and
 * the asserts below pin the layout to the hardware frame.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct pt_regs {
	/* callee-saved registers */
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long rbp;
	unsigned long rbx;
	/* caller-saved registers */
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long rax;
	unsigned long rcx;
	unsigned long rdx;
	unsigned long rsi;
	unsigned long rdi;
	/*
	 * Exceptions: the error code, or -1 when the CPU pushes none.
	 * Interrupts (vectors 32-255): the vector number.
	 */
	unsigned long orig_rax;
	/* pushed by the CPU: the iretq frame */
	unsigned long rip;
	unsigned long cs;
	unsigned long rflags;
	unsigned long rsp;
	unsigned long ss;
};

_Static_assert(sizeof(struct pt_regs) == 21 * 8, "pt_regs size");
_Static_assert(offsetof(struct pt_regs, orig_rax) == 15 * 8, "orig_rax sits below the iret frame");
_Static_assert(offsetof(struct pt_regs, rip) == 16 * 8, "iret frame starts at rip");
_Static_assert(offsetof(struct pt_regs, ss) == 20 * 8, "iret frame ends at ss");

static inline bool user_mode(const struct pt_regs *regs) { return (regs->cs & 3) != 0; }

#endif
