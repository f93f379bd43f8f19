/*
 * Chips for lines that have no controller: no_irq_chip (the default of
 * every descriptor: an interrupt arriving there is reported) and
 * dummy_irq_chip (for lines whose flow needs no chip calls).
 */
#include "internals.h"

static void noop(struct irq_data *data)
{
}

static unsigned int noop_ret(struct irq_data *data)
{
	return 0;
}

/* An interrupt for a line nobody set up: say so (rate-limited by the caller). */
static void ack_bad(struct irq_data *data)
{
	pr_err("unexpected IRQ trap at IRQ %u\n", data->irq);
}

struct irq_chip no_irq_chip = {
	.name = "none",
	.irq_startup = noop_ret,
	.irq_shutdown = noop,
	.irq_enable = noop,
	.irq_disable = noop,
	.irq_ack = ack_bad,
};

struct irq_chip dummy_irq_chip = {
	.name = "dummy",
	.irq_startup = noop_ret,
	.irq_shutdown = noop,
	.irq_enable = noop,
	.irq_disable = noop,
	.irq_ack = noop,
	.irq_mask = noop,
	.irq_unmask = noop,
};
