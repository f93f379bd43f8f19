/*
 * setjmp/longjmp for the kernel: the test framework's try-catch (an
 * ASSERT that fails, or an oops inside a test case, ends the case and
 * returns to the runner) is built on them.
 */
#ifndef KERNEL_SETJMP_H
#define KERNEL_SETJMP_H

#include <kernel/compiler.h>

struct jmp_buf_regs {
	unsigned long rbx, rbp, r12, r13, r14, r15;
	unsigned long rsp, rip, rflags;
};
typedef struct jmp_buf_regs jmp_buf[1];

/* Save the callee-saved registers, stack and flags; returns 0, or longjmp's value. */
int setjmp(jmp_buf env) __attribute__((returns_twice));
/* Resume at env's setjmp, which returns val (1 if val is 0), with env's saved flags. */
void longjmp(jmp_buf env, int val) __noreturn;

#endif
