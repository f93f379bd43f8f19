/*
 * Kernel code is built without x87/SSE (-mgeneral-regs-only). Code that
 * must use them anyway (tests of #MF/#XM/#NM) brackets that use with
 * kernel_fpu_begin()/kernel_fpu_end(), which save and restore this CPU's
 * FPU/SSE state (FXSAVE) and keep preemption off in between.
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

void kernel_fpu_begin(void);
void kernel_fpu_end(void);

#endif
