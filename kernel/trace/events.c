/*
 * The recorders behind the tracepoints of <kernel/trace_events.h>: each
 * reserves a record on this CPU, copies the event's arguments into it
 * (names copied, pointers as numbers) and commits it.
 */
#include "internals.h"
#include <kernel/interrupt.h>
#include <kernel/workqueue.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>
#include <kernel/sched.h>
#include <kernel/cpumask.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <stdarg.h>

void __trace_irq_handler_entry(unsigned int irq, const struct irqaction *action)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_IRQ_HANDLER_ENTRY);

	if (!e)
		return;
	e->irq_entry.irq = irq;
	e->irq_entry.action = (unsigned long)action;
	trace_copy_name(e->irq_entry.name, sizeof(e->irq_entry.name), action->name);
	trace_commit(&s);
}

void __trace_irq_handler_exit(unsigned int irq, const struct irqaction *action, int ret)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_IRQ_HANDLER_EXIT);

	if (!e)
		return;
	e->irq_exit.irq = irq;
	e->irq_exit.action = (unsigned long)action;
	e->irq_exit.ret = (u32)ret;
	trace_commit(&s);
}

void __trace_irq_thread_wake(unsigned int irq, const struct irqaction *action)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_IRQ_THREAD_WAKE);

	if (!e)
		return;
	e->irq_thread.irq = irq;
	e->irq_thread.pid = action->thread ? action->thread->pid : -1;
	trace_copy_name(e->irq_thread.name, sizeof(e->irq_thread.name), action->name);
	if (action->thread)
		trace_save_comm(action->thread);
	trace_commit(&s);
}

void __trace_softirq(unsigned int id, unsigned int vec)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, id);

	if (!e)
		return;
	e->softirq.vec = vec;
	trace_commit(&s);
}

void __trace_tasklet(unsigned int id, const struct tasklet_struct *t)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, id);

	if (!e)
		return;
	e->tasklet.tasklet = (unsigned long)t;
	e->tasklet.func = t->use_callback ? (unsigned long)t->callback : (unsigned long)t->func;
	trace_commit(&s);
}

void __trace_workqueue_queue_work(int req_cpu, int cpu, const char *wq_name,
				  const struct work_struct *work)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_WORKQUEUE_QUEUE_WORK);

	if (!e)
		return;
	e->queue_work.work = (unsigned long)work;
	e->queue_work.func = (unsigned long)work->func;
	e->queue_work.req_cpu = (s16)req_cpu;
	e->queue_work.cpu = (u16)cpu;
	trace_copy_name(e->queue_work.wq, sizeof(e->queue_work.wq), wq_name);
	trace_commit(&s);
}

void __trace_workqueue_work(unsigned int id, const struct work_struct *work, void *func)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, id);

	if (!e)
		return;
	e->work.work = (unsigned long)work;
	/* activation: the item is queued, so alive; execution passes the function it called */
	e->work.func = func ? (unsigned long)func : (unsigned long)work->func;
	trace_commit(&s);
}

/* Linux's prio as sched tracepoints print it: 120 + nice, or 99 - rt_priority for FIFO. */
static int task_prio(const struct task_struct *p)
{
	return p->policy == SCHED_FIFO ? 99 - p->rt_priority : 120 + p->static_prio_nice;
}

void __trace_sched_switch(bool preempt, const struct task_struct *prev,
			  const struct task_struct *next)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_SCHED_SWITCH);

	if (!e)
		return;
	e->sched_switch.prev_pid = prev->pid;
	e->sched_switch.prev_prio = task_prio(prev);
	e->sched_switch.prev_state = (u32)READ_ONCE(prev->__state) | (preempt ? TRACE_PREV_PREEMPTED : 0);
	e->sched_switch.next_pid = next->pid;
	e->sched_switch.next_prio = task_prio(next);
	trace_copy_name(e->sched_switch.next_comm, sizeof(e->sched_switch.next_comm), next->comm);
	trace_save_comm(prev);
	trace_save_comm(next);
	trace_commit(&s);
}

void __trace_sched_wakeup(unsigned int id, const struct task_struct *p)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, id);

	if (!e)
		return;
	e->wakeup.pid = p->pid;
	e->wakeup.prio = task_prio(p);
	e->wakeup.target_cpu = READ_ONCE(p->cpu);
	trace_copy_name(e->wakeup.comm, sizeof(e->wakeup.comm), p->comm);
	trace_save_comm(p);
	trace_commit(&s);
}

void __trace_timer_expire(unsigned int id, const struct timer_list *timer, void *func)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, id);

	if (!e)
		return;
	e->timer.timer = (unsigned long)timer;
	e->timer.func = (unsigned long)func;
	e->timer.now = jiffies;
	trace_commit(&s);
}

void __trace_ipi_send_cpu(unsigned int cpu, unsigned long callsite, unsigned int vector)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_IPI_SEND_CPU);

	if (!e)
		return;
	e->ipi.cpu = cpu;
	e->ipi.mask = cpu < 64 ? 1ull << cpu : 0;
	e->ipi.callsite = callsite;
	e->ipi.vector = vector;
	trace_commit(&s);
}

void __trace_ipi_send_cpumask(const struct cpumask *mask, unsigned long callsite,
			      unsigned int vector)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, TRACE_IPI_SEND_CPUMASK);
	unsigned int cpu;

	if (!e)
		return;
	for_each_cpu(cpu, mask)
		if (cpu < 64)
			e->ipi.mask |= 1ull << cpu;
	e->ipi.cpu = (u32)-1;
	e->ipi.callsite = callsite;
	e->ipi.vector = vector;
	trace_commit(&s);
}

void __trace_printk(unsigned long ip, const char *fmt, ...)
{
	struct trace_slot s;
	struct trace_entry *e;
	char text[sizeof(e->print.text)];
	va_list ap;

	if (!READ_ONCE(trace_enabled))
		return;
	/* formatted before the reservation: interrupts stay off only for the copy */
	va_start(ap, fmt);
	vscnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	e = trace_reserve(&s, TRACE_PRINT);
	if (!e)
		return;
	e->print.ip = ip;
	trace_copy_name(e->print.text, sizeof(e->print.text), text);
	trace_commit(&s);
}
