/*
 * Guarded stacks for a CPU, once the vmap area exists: the IST stacks
 * (#DF, NMI, #DB/#BP, #MC) and the kernel stack the boot code continues
 * on. Each has an unmapped guard page below it, so an overflow faults
 * (and, on the task stack, ends in the #DF report) instead of silently
 * overwriting whatever lies below.
 */
#define pr_fmt(fmt) "stacks: " fmt
#include <asm/processor.h>
#include <kernel/vmalloc.h>
#include <kernel/printk.h>
#include <kernel/bug.h>

int ist_stacks_alloc_cpu(void)
{
	struct stack_info *ist = this_cpu_ptr(&cpu_ist_stacks[0]);
	struct tss_struct *tss = this_cpu_ptr(&cpu_tss);

	for (int i = 0; i < N_EXCEPTION_STACKS; i++) {
		void *s = vmalloc_stack(EXCEPTION_STKSZ);

		if (!s)
			return -1;
		/* switch the TSS first: the old stack must stay valid until then */
		tss->ist[i] = (unsigned long)s + EXCEPTION_STKSZ;
		ist[i] = (struct stack_info){ STACK_TYPE_EXCEPTION + i, (unsigned long)s,
					      (unsigned long)s + EXCEPTION_STKSZ };
	}
	return 0;
}

/* Continue in fn on a new guarded kernel stack; does not return. */
void arch_switch_to_task_stack(void (*fn)(void *), void *arg)
{
	struct stack_info *task = this_cpu_ptr(&cpu_task_stack);
	void *s = vmalloc_stack(THREAD_SIZE);

	if (!s)
		panic("no memory for the kernel stack");
	*task = (struct stack_info){ STACK_TYPE_TASK, (unsigned long)s, (unsigned long)s + THREAD_SIZE };
	this_cpu_ptr(&cpu_tss)->sp0 = task->end;
	call_on_stack(fn, arg, task->end);
	panic("the boot thread returned");
}
