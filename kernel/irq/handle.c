/*
 * Running a line's handlers (Linux's kernel/irq/handle.c): every action
 * of the line in request order, their results ORed, then the result
 * handed to note_interrupt() for the spurious-interrupt accounting. A
 * handler that returns IRQ_WAKE_THREAD gets its thread woken (thread.c).
 */
#include "internals.h"
#include <asm/irqflags.h>
#include <kernel/trace_events.h>

static void warn_no_thread(unsigned int irq, struct irqaction *action)
{
	static unsigned int warned;

	if (!warned++)
		pr_warn("IRQ %u device %s returned IRQ_WAKE_THREAD but no thread function available.\n",
			irq, action->name);
}

irqreturn_t __handle_irq_event_percpu(struct irq_desc *desc)
{
	unsigned int irq = desc->irq_data.irq;
	irqreturn_t retval = IRQ_NONE;

	for (struct irqaction *action = READ_ONCE(desc->action); action; action = action->next) {
		trace_irq_handler_entry(irq, action);
		irqreturn_t res = action->handler(irq, action->dev_id);
		trace_irq_handler_exit(irq, action, res);

		/* hard-IRQ handlers run with interrupts off, and must leave them off */
		if (WARN_ONCE(!irqs_disabled(), "irq %u handler %pS enabled interrupts\n", irq,
			      action->handler))
			local_irq_disable();
		if (res == IRQ_WAKE_THREAD) {
			if (action->thread_fn)
				__irq_wake_thread(desc, action);
			else
				warn_no_thread(irq, action);
		}
		retval |= res;
	}
	return retval;
}

/* Called with desc->lock held; drops it while the handlers run. */
irqreturn_t handle_irq_event(struct irq_desc *desc)
{
	irqreturn_t ret;

	desc->istate &= ~IRQS_PENDING;
	/* under the lock: synchronize_irq() on another CPU rechecks it under the lock too */
	desc->inprogress_cpu = smp_processor_id();
	irqd_set(&desc->irq_data, IRQD_IRQ_INPROGRESS);
	spin_unlock(&desc->lock);

	ret = __handle_irq_event_percpu(desc);
	if (!noirqdebug)
		note_interrupt(desc, ret);

	spin_lock(&desc->lock);
	irqd_clear(&desc->irq_data, IRQD_IRQ_INPROGRESS);
	return ret;
}
