/* Per-CPU processor state: descriptor tables, TSS and the stacks. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <kernel/types.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/page.h>

/*
 * Stack sizes. Kernel (task) stacks are 16 KiB as in Linux x86-64. The
 * IST stacks are 8 KiB: an oops printed from them (the #DF report of a
 * stack overflow) needs more than Linux's 4 KiB with our printk's
 * on-stack line buffer. Every stack allocated after paging_init() has an
 * unmapped guard page below it (vmap_stack_alloc()).
 */
#define THREAD_SIZE		(16 * 1024)
#define EXCEPTION_STKSZ		(8 * 1024)

enum stack_type {
	STACK_TYPE_UNKNOWN,
	STACK_TYPE_TASK,
	STACK_TYPE_IRQ,
	STACK_TYPE_EXCEPTION,		/* + IST index - 1 */
	STACK_TYPE_EXCEPTION_LAST = STACK_TYPE_EXCEPTION + N_EXCEPTION_STACKS - 1,
};

struct stack_info {
	enum stack_type type;
	unsigned long begin, end;	/* [begin, end) */
};

DECLARE_PER_CPU(u64, gdt_page[GDT_ENTRIES]);
DECLARE_PER_CPU(struct tss_struct, cpu_tss);
/* The stack the current code runs on outside exceptions (the boot stack, later the task's). */
DECLARE_PER_CPU(struct stack_info, cpu_task_stack);
/* The hard-IRQ stack (asm/hw_irq.h). */
DECLARE_PER_CPU(struct stack_info, cpu_irq_stack);
/* IST stacks: ist_stacks[i] is IST slot i + 1. */
DECLARE_PER_CPU(struct stack_info, cpu_ist_stacks[N_EXCEPTION_STACKS]);

/* Find which of this CPU's stacks holds addr. */
bool get_stack_info(unsigned long addr, struct stack_info *info);
const char *stack_type_name(enum stack_type type);

/* Load this CPU's GDT and TSS (GS base must already be set). */
void gdt_init_cpu(void);
/* Build the IDT (once) and load it on this CPU. */
void idt_setup(void);
void idt_load(void);
/*
 * Point the gate of an interrupt vector (32-255) at addr, a kernel-only
 * interrupt gate on the current stack, bypassing entry.asm; addr NULL
 * puts its entry.asm stub back. For the benchmarks' bare handlers.
 */
void idt_set_handler(unsigned int vector, const void *addr);
/* Give this CPU guarded, vmap-allocated IST stacks (after paging_init). */
int ist_stacks_alloc_cpu(void);

/* Enable the CR0/CR4 features the kernel relies on, on this CPU. */
void cpu_init_features(void);

/* Run fn(arg) on a new stack (top of stack: stack_top), as the task stack. */
void call_on_stack(void (*fn)(void *), void *arg, unsigned long stack_top);

#endif
