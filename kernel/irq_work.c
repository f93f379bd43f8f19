/*
 * irq_work (Linux's kernel/irq_work.c): per-CPU lock-free lists of
 * callbacks to run in hard-IRQ context. Queuing claims the work with one
 * atomic OR of PENDING|BUSY (see include/kernel/irq_work.h), adds it to
 * this CPU's raised list (or lazy list) and, when that list was empty,
 * asks the architecture for the IRQ_WORK_VECTOR self-IPI; the handler
 * takes the whole list. Lazy work, and all work on a machine without a
 * local APIC, runs from the tick instead.
 *
 * Work for another CPU goes straight on that CPU's raised list, with an
 * IPI on the same vector when the list was empty. (Linux sends it through
 * the cross-CPU call queue instead; the effect is the same: the callback
 * runs in hard-IRQ context on the target, soon.)
 */
#include <kernel/irq_work.h>
#include <kernel/interrupt.h>
#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <kernel/wait.h>
#include <kernel/timer.h>
#include <kernel/bug.h>
#include <kernel/kernel.h>
#include <asm/irqflags.h>
#include <asm/special_insns.h>

/* Added to by any context (NMI too), emptied only by the owning CPU in hard-IRQ context. */
static DEFINE_PER_CPU(struct llist_head, raised_list);
static DEFINE_PER_CPU(struct llist_head, lazy_list);

/*
 * Take ownership of a queued run. Setting BUSY as well as PENDING keeps
 * a work whose callback is running (BUSY only) busy across the re-queue.
 * If PENDING was already set, a run is queued and will cover this call.
 */
static bool irq_work_claim(struct irq_work *work)
{
	int old = atomic_fetch_or(IRQ_WORK_CLAIMED, &work->flags);

	return !(old & IRQ_WORK_PENDING);
}

/* Queue on this CPU; preemption is off. */
static __always_inline void __irq_work_queue_local(struct irq_work *work)
{
	if (atomic_read(&work->flags) & IRQ_WORK_LAZY) {
		/* the tick never stops here (no NO_HZ), so the next one runs it: nothing to raise */
		llist_add(&work->llnode, this_cpu_ptr(&lazy_list));
		return;
	}
	if (llist_add(&work->llnode, this_cpu_ptr(&raised_list)))
		arch_irq_work_raise();
}

bool irq_work_queue(struct irq_work *work)
{
	if (!irq_work_claim(work))
		return false;
	preempt_disable();
	__irq_work_queue_local(work);
	/* no preemption point in NMI or with interrupts off; otherwise let a due switch happen */
	preempt_enable();
	return true;
}

bool irq_work_queue_on(struct irq_work *work, int cpu)
{
	WARN_ON_ONCE(!cpu_online(cpu));
	if (!irq_work_claim(work))
		return false;
	preempt_disable();
	if (cpu == smp_processor_id()) {
		__irq_work_queue_local(work);
	} else {
		/* the IPI path takes the APIC's ICR, which an NMI may have interrupted mid-send */
		WARN_ON_ONCE(in_nmi());
		if (llist_add(&work->llnode, per_cpu_ptr(&raised_list, cpu)))
			arch_send_irq_work_ipi(cpu);
	}
	preempt_enable();
	return true;
}

/* Run one work: PENDING off first (so it may be queued again), BUSY off after, unless re-queued. */
static __always_inline void irq_work_single(struct irq_work *work)
{
	int flags = atomic_read(&work->flags) & ~IRQ_WORK_PENDING;

	/* nobody else changes the flags while PENDING is set, so a plain store is enough */
	atomic_set(&work->flags, flags);
	/* the cleared PENDING is visible before the callback reads anything it was queued for */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	work->func(work);
	/* a claim made meanwhile set PENDING again: then the work stays BUSY for its next run */
	atomic_cmpxchg(&work->flags, flags, flags & ~IRQ_WORK_BUSY);
}

static __always_inline void irq_work_run_list(struct llist_head *list)
{
	struct llist_node *node;

	WARN_ON_ONCE(!irqs_disabled());
	if (llist_empty(list))
		return;
	/* oldest first: the list hands entries out newest first */
	node = llist_reverse_order(llist_del_all(list));
	while (node) {
		struct irq_work *work = container_of(node, struct irq_work, llnode);

		/* read before the callback: it may queue the work again, reusing llnode */
		node = node->next;
		irq_work_single(work);
	}
}

void irq_work_run(void)
{
	irq_work_run_list(this_cpu_ptr(&raised_list));
	irq_work_run_list(this_cpu_ptr(&lazy_list));
}

void irq_work_tick(void)
{
	if (!arch_irq_work_has_interrupt())
		irq_work_run_list(this_cpu_ptr(&raised_list));
	irq_work_run_list(this_cpu_ptr(&lazy_list));
}

void irq_work_sync(struct irq_work *work)
{
	WARN_ON_ONCE(irqs_disabled());
	might_sleep();
	while (irq_work_is_busy(work)) {
		/* run from the tick: sleep a tick rather than spin through it */
		if (arch_irq_work_has_interrupt())
			cpu_relax();
		else
			schedule_timeout_uninterruptible(1);
	}
}
