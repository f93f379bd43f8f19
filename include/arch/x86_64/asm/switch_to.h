/* The architecture's half of a context switch (arch/x86_64/process.c, lib/switch_to.asm). */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

struct task_struct;

/* Save prev's callee-saved registers and stack pointer, resume next; returns the task switched from. */
struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next);

/*
 * Lay out a new task's stack so that its first switch-in calls
 * schedule_tail() and then fn(arg), which must not return.
 */
void arch_setup_new_thread(struct task_struct *p, void (*fn)(void *), void *arg);

/* Before switching to next: make its stack this CPU's task stack (TSS sp0, stack walks). */
void arch_prepare_switch(struct task_struct *next);

/* The boot code's stack becomes the idle task's: the stack it runs on now. */
void *arch_boot_stack(void);

#endif
