/*
 * Setting lines up (chip, flow, type), the chip calls with the core's
 * state kept in step, and the flow handlers (Linux's kernel/irq/chip.c).
 *
 * Disabling is lazy, as in Linux: disable_irq() only marks the line
 * disabled; if an interrupt still arrives, the flow handler masks the
 * line then and marks the interrupt PENDING, and enable_irq() resends it.
 * This saves a controller access in the common case where nothing comes.
 */
#include "internals.h"
#include <kernel/errno.h>

int irq_set_chip(unsigned int irq, struct irq_chip *chip)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return -EINVAL;
	spin_lock_irqsave(&desc->lock, flags);
	desc->irq_data.chip = chip ? chip : &no_irq_chip;
	spin_unlock_irqrestore(&desc->lock, flags);
	return 0;
}

int irq_set_chip_data(unsigned int irq, void *data)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return -EINVAL;
	desc->irq_data.chip_data = data;
	return 0;
}

struct irq_data *irq_get_irq_data(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc ? &desc->irq_data : NULL;
}

void irq_set_hwirq(unsigned int irq, unsigned long hwirq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (desc)
		desc->irq_data.hwirq = hwirq;
}

void irq_set_handler(unsigned int irq, irq_flow_handler_t handle)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	desc->handle_irq = handle ? handle : handle_bad_irq;
	spin_unlock_irqrestore(&desc->lock, flags);
}

void irq_set_chip_and_handler_name(unsigned int irq, struct irq_chip *chip,
				   irq_flow_handler_t handle, const char *name)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return;
	irq_set_chip(irq, chip);
	irq_set_handler(irq, handle);
	desc->name = name;
}

void irq_set_percpu(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (desc)
		irqd_set(&desc->irq_data, IRQD_PER_CPU);
}

void mask_irq(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	if (irqd_irq_masked(d))
		return;
	if (d->chip->irq_mask) {
		d->chip->irq_mask(d);
		irqd_set(d, IRQD_IRQ_MASKED);
	}
}

void unmask_irq(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	if (!irqd_irq_masked(d))
		return;
	if (d->chip->irq_unmask) {
		d->chip->irq_unmask(d);
		irqd_clear(d, IRQD_IRQ_MASKED);
	}
}

static void mask_ack_irq(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	if (d->chip->irq_mask_ack) {
		d->chip->irq_mask_ack(d);
		irqd_set(d, IRQD_IRQ_MASKED);
	} else {
		mask_irq(desc);
		if (d->chip->irq_ack)
			d->chip->irq_ack(d);
	}
}

void irq_enable(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	if (!irqd_irq_disabled(d)) {
		unmask_irq(desc);
		return;
	}
	irqd_clear(d, IRQD_IRQ_DISABLED);
	if (d->chip->irq_enable) {
		d->chip->irq_enable(d);
		irqd_clear(d, IRQD_IRQ_MASKED);
	} else {
		unmask_irq(desc);
	}
}

/* Disable; mask at once only if asked (shutdown) or if the chip has an irq_disable. */
static void __irq_disable(struct irq_desc *desc, bool mask)
{
	struct irq_data *d = &desc->irq_data;

	if (irqd_irq_disabled(d)) {
		if (mask)
			mask_irq(desc);
		return;
	}
	irqd_set(d, IRQD_IRQ_DISABLED);
	if (d->chip->irq_disable) {
		d->chip->irq_disable(d);
		irqd_set(d, IRQD_IRQ_MASKED);
	} else if (mask) {
		mask_irq(desc);
	}
}

void irq_disable(struct irq_desc *desc)
{
	__irq_disable(desc, false);
}

int irq_startup(struct irq_desc *desc, bool resend)
{
	struct irq_data *d = &desc->irq_data;
	int ret = 0;

	desc->depth = 0;
	if (d->state & IRQD_IRQ_STARTED) {
		irq_enable(desc);
	} else {
		/* placed while not started, so the chip may reprogram it at once */
		irq_setup_affinity(desc);
		irqd_set(d, IRQD_IRQ_STARTED);
		if (d->chip->irq_startup) {
			ret = d->chip->irq_startup(d);
			irqd_clear(d, IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED);
		} else {
			irq_enable(desc);
		}
	}
	if (resend)
		check_irq_resend(desc);
	return ret;
}

void irq_shutdown(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	if (!(d->state & IRQD_IRQ_STARTED))
		return;
	desc->depth = 1;
	if (d->chip->irq_shutdown) {
		d->chip->irq_shutdown(d);
		irqd_set(d, IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED);
	} else {
		__irq_disable(desc, true);
	}
	irqd_clear(d, IRQD_IRQ_STARTED);
}

int __irq_set_trigger(struct irq_desc *desc, unsigned int type)
{
	struct irq_data *d = &desc->irq_data;
	int ret = 0;

	type &= IRQ_TYPE_SENSE_MASK;
	if (d->chip->irq_set_type) {
		ret = d->chip->irq_set_type(d, type);
		if (ret)
			return ret;
	}
	d->state = (d->state & ~(IRQD_TRIGGER_MASK | IRQD_LEVEL)) | type;
	if (type & IRQ_TYPE_LEVEL_MASK)
		irqd_set(d, IRQD_LEVEL);
	return 0;
}

/* After a level interrupt: unmask unless disabled meanwhile or kept masked for a threaded handler. */
static void cond_unmask_irq(struct irq_desc *desc)
{
	if (!irqd_irq_disabled(&desc->irq_data) && irqd_irq_masked(&desc->irq_data) &&
	    !desc->threads_oneshot)
		unmask_irq(desc);
}

/*
 * After a fasteoi interrupt: EOI; a ONESHOT line that woke no thread
 * (the primary handler did all, or it was spurious) is unmasked again.
 */
static void cond_unmask_eoi_irq(struct irq_desc *desc, struct irq_chip *chip)
{
	if (!(desc->istate & IRQS_ONESHOT)) {
		chip->irq_eoi(&desc->irq_data);
		return;
	}
	if (!irqd_irq_disabled(&desc->irq_data) && irqd_irq_masked(&desc->irq_data) &&
	    !desc->threads_oneshot) {
		chip->irq_eoi(&desc->irq_data);
		unmask_irq(desc);
	} else if (!(chip->flags & IRQCHIP_EOI_THREADED)) {
		chip->irq_eoi(&desc->irq_data);
	}
}

void handle_level_irq(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	mask_ack_irq(desc);
	if (!irq_may_run(desc))
		goto out;
	desc->istate &= ~IRQS_REPLAY;
	/* nobody to run, or disabled: keep it masked and remember it */
	if (!desc->action || irqd_irq_disabled(&desc->irq_data)) {
		desc->istate |= IRQS_PENDING;
		goto out;
	}
	kstat_incr_irqs_this_cpu(desc);
	handle_irq_event(desc);
	cond_unmask_irq(desc);
out:
	spin_unlock(&desc->lock);
}

void handle_edge_irq(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	spin_lock(&desc->lock);
	desc->istate &= ~IRQS_REPLAY;
	/*
	 * Running elsewhere, disabled, or without handlers: an edge would be
	 * lost, so record it as PENDING and mask until it can be handled.
	 */
	if (!irq_may_run(desc) || irqd_irq_disabled(d) || !desc->action) {
		desc->istate |= IRQS_PENDING;
		mask_ack_irq(desc);
		goto out;
	}
	kstat_incr_irqs_this_cpu(desc);
	if (d->chip->irq_ack)
		d->chip->irq_ack(d);
	do {
		if (!desc->action) {
			mask_irq(desc);
			goto out;
		}
		/* an edge came while we ran and masked the line: unmask, handle it too */
		if ((desc->istate & IRQS_PENDING) && !irqd_irq_disabled(d) && irqd_irq_masked(d))
			unmask_irq(desc);
		handle_irq_event(desc);
	} while ((desc->istate & IRQS_PENDING) && !irqd_irq_disabled(d));
out:
	spin_unlock(&desc->lock);
}

void handle_fasteoi_irq(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;
	struct irq_chip *chip = d->chip;

	spin_lock(&desc->lock);
	if (!irq_may_run(desc))
		goto out;
	desc->istate &= ~IRQS_REPLAY;
	if (!desc->action || irqd_irq_disabled(d)) {
		desc->istate |= IRQS_PENDING;
		mask_irq(desc);
		goto out;
	}
	kstat_incr_irqs_this_cpu(desc);
	if (desc->istate & IRQS_ONESHOT)
		mask_irq(desc);
	handle_irq_event(desc);
	if (chip->irq_eoi)
		cond_unmask_eoi_irq(desc, chip);
	spin_unlock(&desc->lock);
	return;
out:
	if (chip->irq_eoi)
		chip->irq_eoi(d);
	spin_unlock(&desc->lock);
}

void handle_percpu_irq(struct irq_desc *desc)
{
	struct irq_chip *chip = desc->irq_data.chip;

	kstat_incr_irqs_this_cpu(desc);
	if (chip->irq_ack)
		chip->irq_ack(&desc->irq_data);
	__handle_irq_event_percpu(desc);
	if (chip->irq_eoi)
		chip->irq_eoi(&desc->irq_data);
}

void handle_simple_irq(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	if (!irq_may_run(desc))
		goto out;
	desc->istate &= ~IRQS_REPLAY;
	if (!desc->action || irqd_irq_disabled(&desc->irq_data)) {
		desc->istate |= IRQS_PENDING;
		goto out;
	}
	kstat_incr_irqs_this_cpu(desc);
	handle_irq_event(desc);
out:
	spin_unlock(&desc->lock);
}

void handle_bad_irq(struct irq_desc *desc)
{
	static unsigned int reported;
	struct irq_data *d = &desc->irq_data;

	kstat_incr_irqs_this_cpu(desc);
	if (reported++ < 10)
		pr_err("irq %u: no flow handler (chip %s, hwirq %lu, depth %u, state %#x)\n",
		       d->irq, d->chip->name, d->hwirq, desc->depth, d->state);
	if (d->chip->irq_ack)
		d->chip->irq_ack(d);
}
