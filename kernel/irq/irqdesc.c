/*
 * The table of interrupt descriptors: one struct irq_desc per Linux IRQ
 * number, NR_IRQS of them, statically allocated. IRQs 0-15 are the ISA
 * lines; IOAPIC lines use their GSI as IRQ number, and dynamic lines (MSI,
 * test chips) take free numbers from irq_alloc_desc_from().
 */
#include "internals.h"
#include <kernel/errno.h>
#include <kernel/string.h>

static struct irq_desc irq_descs[NR_IRQS];
static u64 allocated[NR_IRQS / 64];	/* dynamic numbers in use; L: alloc_lock */
static DEFINE_SPINLOCK(alloc_lock);

static void desc_init(struct irq_desc *desc, unsigned int irq)
{
	memset(desc, 0, sizeof(*desc));
	desc->irq_data.irq = irq;
	desc->irq_data.hwirq = irq;
	desc->irq_data.chip = &no_irq_chip;
	desc->irq_data.state = IRQD_IRQ_DISABLED | IRQD_IRQ_MASKED;
	desc->irq_data.affinity = irq_default_affinity;
	desc->irq_data.effective_affinity = cpumask_of(0);
	desc->handle_irq = handle_bad_irq;
	desc->depth = 1;		/* disabled until requested */
	spin_lock_init(&desc->lock);
	init_waitqueue_head(&desc->wait_for_threads);
}

/* Called once at boot, before any controller registers its lines. */
void early_irq_init(void);
void early_irq_init(void)
{
	for (unsigned int irq = 0; irq < NR_IRQS; irq++)
		desc_init(&irq_descs[irq], irq);
}

struct irq_desc *irq_to_desc(unsigned int irq)
{
	return irq < NR_IRQS ? &irq_descs[irq] : NULL;
}

bool irq_desc_is_allocated(unsigned int irq)
{
	return irq < NR_IRQS && (allocated[irq / 64] >> (irq % 64) & 1);
}

int irq_alloc_desc_from(unsigned int from)
{
	unsigned long flags;
	int irq = -ENOSPC;

	spin_lock_irqsave(&alloc_lock, flags);
	for (unsigned int i = max(from, (unsigned int)NR_IRQS_LEGACY); i < NR_IRQS; i++) {
		if (irq_descs[i].irq_data.chip != &no_irq_chip || irq_desc_is_allocated(i))
			continue;
		allocated[i / 64] |= 1ull << (i % 64);
		irq = (int)i;
		break;
	}
	spin_unlock_irqrestore(&alloc_lock, flags);
	return irq;
}

void irq_free_desc(unsigned int irq)
{
	unsigned long flags;

	if (WARN(!irq_desc_is_allocated(irq), "irq_free_desc: IRQ %u was not allocated\n", irq))
		return;
	WARN(irq_descs[irq].action, "irq_free_desc: IRQ %u still has handlers\n", irq);
	spin_lock_irqsave(&alloc_lock, flags);
	desc_init(&irq_descs[irq], irq);
	allocated[irq / 64] &= ~(1ull << (irq % 64));
	spin_unlock_irqrestore(&alloc_lock, flags);
}

unsigned long kstat_irqs(struct irq_desc *desc)
{
	unsigned long sum = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += READ_ONCE(desc->kstat_irqs[cpu]);
	return sum;
}

unsigned int kstat_irqs_cpu(unsigned int irq, int cpu)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc && cpu < NR_CPUS ? READ_ONCE(desc->kstat_irqs[cpu]) : 0;
}

int generic_handle_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return -EINVAL;
	generic_handle_irq_desc(desc);
	return 0;
}
