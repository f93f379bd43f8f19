/*
 * Thread stacks for the scheduler: the initial frame of a new kernel
 * thread (the layout lib/switch_to.asm documents), and the per-CPU state
 * that follows the running task (TSS.RSP0 and the task-stack bounds the
 * stack walker uses).
 */
#include <kernel/sched.h>
#include <asm/switch_to.h>
#include <asm/processor.h>

extern char ret_from_fork[];

struct fork_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret;
};

void arch_setup_new_thread(struct task_struct *p, void (*fn)(void *), void *arg)
{
	unsigned long top = (unsigned long)p->stack + THREAD_SIZE;
	/* once the frame is popped RSP = top - 16: each call from ret_from_fork enters with RSP = 8 mod 16, as the ABI wants */
	struct fork_frame *f = (struct fork_frame *)(top - 16 - sizeof(*f));

	*f = (struct fork_frame){ .rbx = (unsigned long)fn, .r12 = (unsigned long)arg,
				  .rbp = 0, .ret = (unsigned long)ret_from_fork };
	p->sp = (unsigned long)f;
}

void arch_prepare_switch(struct task_struct *next)
{
	unsigned long base = (unsigned long)next->stack;

	*this_cpu_ptr(&cpu_task_stack) = (struct stack_info){ STACK_TYPE_TASK, base, base + THREAD_SIZE };
	this_cpu_ptr(&cpu_tss)->sp0 = base + THREAD_SIZE;
}

void *arch_boot_stack(void)
{
	return (void *)this_cpu_ptr(&cpu_task_stack)->begin;
}
