/* Private to kernel/irq/: state helpers and the steps the flow handlers share. */
#ifndef KERNEL_IRQ_INTERNALS_H
#define KERNEL_IRQ_INTERNALS_H

#include <kernel/irqdesc.h>
#include <kernel/printk.h>
#include <kernel/bug.h>

static inline void irqd_set(struct irq_data *d, unsigned int bits) { d->state |= bits; }
static inline void irqd_clear(struct irq_data *d, unsigned int bits) { d->state &= ~bits; }

/* chip.c: the chip calls, with the core's state kept in step */
int irq_startup(struct irq_desc *desc, bool resend);
void irq_shutdown(struct irq_desc *desc);
void irq_enable(struct irq_desc *desc);
void irq_disable(struct irq_desc *desc);
void mask_irq(struct irq_desc *desc);
void unmask_irq(struct irq_desc *desc);
int __irq_set_trigger(struct irq_desc *desc, unsigned int type);

/* handle.c */
irqreturn_t handle_irq_event(struct irq_desc *desc);
irqreturn_t __handle_irq_event_percpu(struct irq_desc *desc);

/* thread.c: threaded handlers */
irqreturn_t irq_default_primary_handler(int irq, void *dev_id);
/* Wake action's thread (it must have one); the line's ONESHOT mask waits for it. */
void __irq_wake_thread(struct irq_desc *desc, struct irqaction *action);
/* Create and start action's thread (action->irq and ->name set); 0 or -errno. */
int irq_setup_thread(struct irqaction *action);
/* Stop action's thread, if it has one; no wake-up may come any more. */
void irq_stop_thread(struct irqaction *action);
void irq_thread_set_affinity(struct irqaction *action);	/* after setup: move the thread to the line's CPU */

/* spurious.c */
extern bool noirqdebug;
void note_interrupt(struct irq_desc *desc, irqreturn_t action_ret);
/* The line's handlers are in progress somewhere: wait if it is the spurious poller; may they run now? */
bool irq_wait_for_poll(struct irq_desc *desc);

/* Whether a flow may run the handlers now (not running elsewhere; waits for the poller). */
static inline bool irq_may_run(struct irq_desc *desc)
{
	if (!irqd_irq_inprogress(&desc->irq_data))
		return true;
	return irq_wait_for_poll(desc);
}

/* affinity.c: place a line that starts up (its requested mask, else the default) */
void irq_setup_affinity(struct irq_desc *desc);

/* resend.c */
int check_irq_resend(struct irq_desc *desc);

/* irqdesc.c */
static inline void kstat_incr_irqs_this_cpu(struct irq_desc *desc)
{
	desc->kstat_irqs[smp_processor_id()]++;
}
bool irq_desc_is_allocated(unsigned int irq);

#endif
