/*
 * Resending edge interrupts that came while their line was disabled
 * (Linux's kernel/irq/resend.c). A level line needs nothing: it is still
 * asserted when unmasked. An edge would be lost, so enable_irq() replays
 * it: by the chip's irq_retrigger (raise the vector again in hardware)
 * when it has one, else in software: the line is queued and the
 * architecture's resend vector runs its flow handler in hard-IRQ context.
 */
#include "internals.h"
#include <kernel/errno.h>

static u64 sw_pending[NR_IRQS / 64];	/* atomic bit operations */

static void irq_sw_resend(struct irq_desc *desc)
{
	unsigned int irq = desc->irq_data.irq;

	__atomic_fetch_or(&sw_pending[irq / 64], 1ull << (irq % 64), __ATOMIC_RELEASE);
	arch_irq_resend_raise();
}

void irq_resend_run_pending(void)
{
	for (unsigned int w = 0; w < ARRAY_SIZE(sw_pending); w++) {
		u64 bits = __atomic_exchange_n(&sw_pending[w], 0, __ATOMIC_ACQUIRE);

		while (bits) {
			unsigned int irq = w * 64 + __builtin_ctzll(bits);
			struct irq_desc *desc = irq_to_desc(irq);

			bits &= bits - 1;
			desc->handle_irq(desc);
		}
	}
}

/* Called with desc->lock held when a line is (re-)enabled. */
int check_irq_resend(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	if (irqd_is_level_type(d)) {
		desc->istate &= ~IRQS_PENDING;
		return -EINVAL;
	}
	if (desc->istate & IRQS_REPLAY)
		return -EBUSY;
	if (!(desc->istate & IRQS_PENDING))
		return 0;
	desc->istate &= ~IRQS_PENDING;
	desc->istate |= IRQS_REPLAY;
	if (!d->chip->irq_retrigger || !d->chip->irq_retrigger(d))
		irq_sw_resend(desc);
	return 0;
}
