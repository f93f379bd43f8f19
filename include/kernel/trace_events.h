/*
 * The tracepoints, one static inline per event with Linux's names
 * (trace_irq_handler_entry(), trace_softirq_raise(), ...). Each tests
 * one global flag and calls its out-of-line recorder only when tracing
 * is on: when off, a tracepoint costs one load and one not-taken,
 * predictable branch (Linux uses static keys to save even that).
 *
 * The recorders are in kernel/trace/events.c, the vector ones in the
 * architecture (arch/x86_64/irq/vector_trace.c). Records and reading:
 * <kernel/trace.h>.
 */
#ifndef KERNEL_TRACE_EVENTS_H
#define KERNEL_TRACE_EVENTS_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/trace.h>

struct irqaction;
struct tasklet_struct;
struct work_struct;
struct task_struct;
struct timer_list;
struct cpumask;

/* Set by trace_start()/trace_stop(); read by every tracepoint. */
extern bool trace_enabled;

#define __TRACE_ON()	unlikely(READ_ONCE(trace_enabled))
#define __TRACE_RET_IP	((unsigned long)__builtin_return_address(0))

void __trace_irq_handler_entry(unsigned int irq, const struct irqaction *action);
void __trace_irq_handler_exit(unsigned int irq, const struct irqaction *action, int ret);
void __trace_softirq(unsigned int id, unsigned int vec);
void __trace_tasklet(unsigned int id, const struct tasklet_struct *t);
void __trace_workqueue_queue_work(int req_cpu, int cpu, const char *wq_name,
				  const struct work_struct *work);
void __trace_workqueue_work(unsigned int id, const struct work_struct *work, void *func);
void __trace_sched_switch(bool preempt, const struct task_struct *prev,
			  const struct task_struct *next);
void __trace_sched_wakeup(unsigned int id, const struct task_struct *p);
void __trace_timer_expire(unsigned int id, const struct timer_list *timer, void *func);
void __trace_ipi_send_cpu(unsigned int cpu, unsigned long callsite, unsigned int vector);
void __trace_ipi_send_cpumask(const struct cpumask *mask, unsigned long callsite,
			      unsigned int vector);
void __trace_irq_thread_wake(unsigned int irq, const struct irqaction *action);
/* The architecture's: the vector, the IRQ bound to it here or the system vector's name. */
void __trace_irq_vector(unsigned int id, unsigned int vector);

/* ---- events/irq ---- */

/* A hard-IRQ handler of irq is about to run / returned ret (an irqreturn_t). */
static __always_inline void trace_irq_handler_entry(unsigned int irq, const struct irqaction *action)
{
	if (__TRACE_ON())
		__trace_irq_handler_entry(irq, action);
}

static __always_inline void trace_irq_handler_exit(unsigned int irq, const struct irqaction *action,
						   int ret)
{
	if (__TRACE_ON())
		__trace_irq_handler_exit(irq, action, ret);
}

/* Softirq vec was raised on this CPU / its handler starts / ends. */
static __always_inline void trace_softirq_raise(unsigned int vec)
{
	if (__TRACE_ON())
		__trace_softirq(TRACE_SOFTIRQ_RAISE, vec);
}

static __always_inline void trace_softirq_entry(unsigned int vec)
{
	if (__TRACE_ON())
		__trace_softirq(TRACE_SOFTIRQ_ENTRY, vec);
}

static __always_inline void trace_softirq_exit(unsigned int vec)
{
	if (__TRACE_ON())
		__trace_softirq(TRACE_SOFTIRQ_EXIT, vec);
}

/* A tasklet's function is about to run / returned. */
static __always_inline void trace_tasklet_entry(const struct tasklet_struct *t)
{
	if (__TRACE_ON())
		__trace_tasklet(TRACE_TASKLET_ENTRY, t);
}

static __always_inline void trace_tasklet_exit(const struct tasklet_struct *t)
{
	if (__TRACE_ON())
		__trace_tasklet(TRACE_TASKLET_EXIT, t);
}

/* A threaded handler's thread was woken by its primary handler (no Linux tracepoint: ours). */
static __always_inline void trace_irq_thread_wake(unsigned int irq, const struct irqaction *action)
{
	if (__TRACE_ON())
		__trace_irq_thread_wake(irq, action);
}

/* ---- events/workqueue ---- */

/*
 * work is queued on the workqueue called wq_name: req_cpu the CPU whose
 * pool was asked for (the local one for WORK_CPU_UNBOUND), cpu the CPU of
 * the pool it went to (-1: an unbound pool).
 */
static __always_inline void trace_workqueue_queue_work(int req_cpu, int cpu, const char *wq_name,
						       const struct work_struct *work)
{
	if (__TRACE_ON())
		__trace_workqueue_queue_work(req_cpu, cpu, wq_name, work);
}

/* work is on its pool's worklist: a worker may take it. */
static __always_inline void trace_workqueue_activate_work(const struct work_struct *work)
{
	if (__TRACE_ON())
		__trace_workqueue_work(TRACE_WORKQUEUE_ACTIVATE_WORK, work, NULL);
}

/* A worker calls func(work) / func returned (work may be gone: only its address is kept). */
static __always_inline void trace_workqueue_execute_start(const struct work_struct *work, void *func)
{
	if (__TRACE_ON())
		__trace_workqueue_work(TRACE_WORKQUEUE_EXECUTE_START, work, func);
}

static __always_inline void trace_workqueue_execute_end(const struct work_struct *work, void *func)
{
	if (__TRACE_ON())
		__trace_workqueue_work(TRACE_WORKQUEUE_EXECUTE_END, work, func);
}

/* ---- events/sched ---- */

/* This CPU switches from prev to next; preempt: prev stays runnable. */
static __always_inline void trace_sched_switch(bool preempt, const struct task_struct *prev,
					       const struct task_struct *next)
{
	if (__TRACE_ON())
		__trace_sched_switch(preempt, prev, next);
}

/* p was woken (made runnable on p->cpu) / a new task's first wake-up. */
static __always_inline void trace_sched_wakeup(const struct task_struct *p)
{
	if (__TRACE_ON())
		__trace_sched_wakeup(TRACE_SCHED_WAKEUP, p);
}

static __always_inline void trace_sched_wakeup_new(const struct task_struct *p)
{
	if (__TRACE_ON())
		__trace_sched_wakeup(TRACE_SCHED_WAKEUP_NEW, p);
}

/* ---- events/timer ---- */

/* A timer_list's function is about to run / returned. */
static __always_inline void trace_timer_expire_entry(const struct timer_list *timer, void *func)
{
	if (__TRACE_ON())
		__trace_timer_expire(TRACE_TIMER_EXPIRE_ENTRY, timer, func);
}

static __always_inline void trace_timer_expire_exit(const struct timer_list *timer)
{
	if (__TRACE_ON())
		__trace_timer_expire(TRACE_TIMER_EXPIRE_EXIT, timer, NULL);
}

/* ---- events/ipi ---- */

/* An IPI with vector goes to cpu / to the CPUs of mask; the call site is the caller's caller. */
static __always_inline void trace_ipi_send_cpu(unsigned int cpu, unsigned int vector)
{
	if (__TRACE_ON())
		__trace_ipi_send_cpu(cpu, __TRACE_RET_IP, vector);
}

static __always_inline void trace_ipi_send_cpumask(const struct cpumask *mask, unsigned int vector)
{
	if (__TRACE_ON())
		__trace_ipi_send_cpumask(mask, __TRACE_RET_IP, vector);
}

/* ---- the architecture's interrupt entry (Linux's x86 irq_vectors events) ---- */

/* A hard interrupt on vector enters (after irq_enter) / leaves (before irq_exit). */
static __always_inline void trace_irq_vector_entry(unsigned int vector)
{
	if (__TRACE_ON())
		__trace_irq_vector(TRACE_IRQ_VECTOR_ENTRY, vector);
}

static __always_inline void trace_irq_vector_exit(unsigned int vector)
{
	if (__TRACE_ON())
		__trace_irq_vector(TRACE_IRQ_VECTOR_EXIT, vector);
}

#endif
