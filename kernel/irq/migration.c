/*
 * Deferred moves (Linux's kernel/irq/migration.c): a line of an
 * IRQCHIP_MOVE_DEFERRED chip that irq_set_affinity() asked to leave its
 * CPU is moved from the chip's own ack/eoi of its next interrupt, with
 * the line masked, because only there does the chip know that nothing of
 * the old routing is still in flight (see ioapic.c).
 */
#include "internals.h"
#include <kernel/errno.h>

void irq_move_masked_irq(struct irq_data *d)
{
	struct irq_desc *desc = irq_to_desc(d->irq);
	struct cpumask online, target;
	int ret;

	if (likely(!irqd_is_setaffinity_pending(d)))
		return;
	irq_online_mask(&online);
	if (!cpumask_and(&target, &desc->pending_mask, &online)) {
		irqd_clear(d, IRQD_SETAFFINITY_PENDING);
		return;			/* nowhere to go: it stays */
	}
	ret = d->chip->irq_set_affinity(d, &target, false);
	/*
	 * Cleared only now, so that whoever sees the move no longer pending
	 * (without the descriptor's lock) also sees the new effective CPU. If
	 * the chip saw the old routing still busy, it stays pending: try again
	 * at the next interrupt.
	 */
	if (ret != -EBUSY)
		irqd_clear(d, IRQD_SETAFFINITY_PENDING);
}

void irq_move_irq(struct irq_data *d)
{
	bool masked;

	if (likely(!irqd_is_setaffinity_pending(d)))
		return;
	/* masked by the chip only, for the move: the core's IRQD_IRQ_MASKED stays as it is */
	masked = irqd_irq_masked(d);
	if (!masked)
		d->chip->irq_mask(d);
	irq_move_masked_irq(d);
	if (!masked)
		d->chip->irq_unmask(d);
}
