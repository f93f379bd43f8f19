/*
 * irq_work (Linux's include/linux/irq_work.h): a callback queued from any
 * context, NMI included, that runs soon afterwards in hard-IRQ context on
 * the CPU it was queued for. The queuing CPU raises a dedicated interrupt
 * (IRQ_WORK_VECTOR, a self-IPI through the local APIC) whose handler runs
 * the per-CPU list; "lazy" work waits for the next tick instead. Without
 * a local APIC there is nothing to raise, and every list runs from the
 * tick (as Linux when arch_irq_work_has_interrupt() is false).
 *
 * The flags give Linux's guarantees:
 *   PENDING  queued, the callback has not started: queuing again is
 *            refused (returns false) and the one queued run covers it;
 *   BUSY     queued or running: irq_work_sync() waits while it is set.
 * PENDING is cleared just before the callback runs, so a work may queue
 * itself again from its own callback (it then runs once more).
 */
#ifndef KERNEL_IRQ_WORK_H
#define KERNEL_IRQ_WORK_H

#include <kernel/types.h>
#include <kernel/atomic.h>
#include <kernel/llist.h>

#define IRQ_WORK_PENDING	(1u << 0)	/* queued, callback not started */
#define IRQ_WORK_BUSY		(1u << 1)	/* queued or callback running */
#define IRQ_WORK_LAZY		(1u << 2)	/* no interrupt: run from the next tick */
#define IRQ_WORK_HARD_IRQ	(1u << 3)	/* run in hard-IRQ context even on PREEMPT_RT (always so here) */
#define IRQ_WORK_CLAIMED	(IRQ_WORK_PENDING | IRQ_WORK_BUSY)

struct irq_work {
	struct llist_node llnode;	/* on a CPU's raised or lazy list while PENDING */
	atomic_t flags;			/* IRQ_WORK_*; changed atomically, by the queuer and the runner */
	void (*func)(struct irq_work *work);	/* runs in hard-IRQ context, interrupts off */
};

#define __IRQ_WORK_INIT(_func, _flags)	{ .flags = ATOMIC_INIT(_flags), .func = (_func) }
#define IRQ_WORK_INIT(_func)		__IRQ_WORK_INIT(_func, 0)
#define IRQ_WORK_INIT_LAZY(_func)	__IRQ_WORK_INIT(_func, IRQ_WORK_LAZY)
#define IRQ_WORK_INIT_HARD(_func)	__IRQ_WORK_INIT(_func, IRQ_WORK_HARD_IRQ)
#define DEFINE_IRQ_WORK(name, _func)	struct irq_work name = IRQ_WORK_INIT(_func)

/**
 * init_irq_work - set up an irq_work at run time
 * @work: the work (not queued)
 * @func: its callback, run in hard-IRQ context with interrupts off
 */
static inline void init_irq_work(struct irq_work *work, void (*func)(struct irq_work *))
{
	*work = (struct irq_work)IRQ_WORK_INIT(func);
}

static inline bool irq_work_is_pending(struct irq_work *work)
{
	return atomic_read(&work->flags) & IRQ_WORK_PENDING;
}

static inline bool irq_work_is_busy(struct irq_work *work)
{
	return atomic_read(&work->flags) & IRQ_WORK_BUSY;
}

static inline bool irq_work_is_hard(struct irq_work *work)
{
	return atomic_read(&work->flags) & IRQ_WORK_HARD_IRQ;
}

/**
 * irq_work_queue - run @work soon on this CPU, in hard-IRQ context
 * @work: an initialised irq_work
 *
 * Callable from any context, NMI included. The callback runs from the
 * IRQ_WORK_VECTOR self-IPI (lazy work: from the next tick).
 *
 * Return: false if @work was already pending (it will run once, for both
 * calls), true if this call queued it.
 */
bool irq_work_queue(struct irq_work *work);

/**
 * irq_work_queue_on - run @work soon on @cpu, in hard-IRQ context
 * @work: an initialised irq_work
 * @cpu: an online CPU (this one: the same as irq_work_queue())
 *
 * For another CPU, @work goes on that CPU's list and, if the list was
 * empty, an IRQ_WORK_VECTOR IPI is sent there; not from NMI context.
 *
 * Return: false if @work was already pending, true if this call queued it.
 */
bool irq_work_queue_on(struct irq_work *work, int cpu);

/**
 * irq_work_sync - wait until @work is neither queued nor running
 * @work: the work
 *
 * Task context with interrupts on; never from @work's own callback.
 */
void irq_work_sync(struct irq_work *work);

/**
 * irq_work_run - run this CPU's queued work (the IRQ_WORK_VECTOR handler)
 *
 * Hard-IRQ context, interrupts off. Runs the raised list and the lazy list.
 */
void irq_work_run(void);

/**
 * irq_work_tick - the tick's share: the lazy list, and the raised list too
 * when the architecture has no interrupt to raise
 *
 * Called from every CPU's tick, in hard-IRQ context.
 */
void irq_work_tick(void);

/* ---- the architecture's part (arch/x86_64/irq_work.c) ---- */

/* Whether this machine can raise IRQ_WORK_VECTOR (there is a local APIC). */
bool arch_irq_work_has_interrupt(void);
/* Raise the irq_work interrupt on this CPU (nothing without one: the tick runs the list). */
void arch_irq_work_raise(void);
/* Send the irq_work interrupt to another online CPU. */
void arch_send_irq_work_ipi(int cpu);

#endif
