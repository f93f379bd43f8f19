/*
 * How a task ends: do_exit() after its function returned (or
 * kthread_exit()), and make_task_dead() after an oops in task context,
 * which ends the task and lets the kernel go on, as Linux does.
 */
#define pr_fmt(fmt) "exit: " fmt
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <asm/irqflags.h>

void __noreturn do_exit(long code)
{
	struct task_struct *tsk = current;

	if (tsk->flags & PF_IDLE)
		panic("Attempted to kill the idle task!");
	WARN_ON_ONCE(preempt_count() || irqs_disabled());
	tsk->exit_code = (int)code;
	tsk->flags |= PF_EXITING;
	if ((tsk->flags & PF_KTHREAD) && tsk->kthread)
		kthread_exit_notify(tsk, code);
	do_task_dead();
}

void __noreturn make_task_dead(int signr)
{
	struct task_struct *tsk = current;

	if (in_interrupt())
		panic("Fatal exception in interrupt");
	if (tsk->flags & PF_IDLE)
		panic("Attempted to kill the idle task!");
	if (tsk->pid == 1)
		panic("Attempted to kill init!");
	/* whatever it held stays held; what it disabled is enabled again, as Linux does */
	if (preempt_count() || irqs_disabled())
		pr_alert("note: %s[%d] exited with irqs %s and preempt_count %u\n", tsk->comm, tsk->pid,
			 irqs_disabled() ? "disabled" : "enabled", preempt_count());
	this_cpu_write(__preempt_count, 0);
	local_irq_enable();
	pr_alert("note: %s[%d] ended by the oops (signal %d)\n", tsk->comm, tsk->pid, signr);
	do_exit(signr);
}
