/*
 * The interrupt table, printed like Linux's /proc/interrupts: a row per
 * IRQ that has handlers or has fired, with the count on each CPU, the
 * chip, the hardware number and flow, and the handlers' names; then the
 * architecture's rows (NMI, local timer, spurious, ...).
 */
#include "internals.h"
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/kernel.h>


void show_interrupts(int (*print)(const char *fmt, ...))
{
	int cpu;

	print("     ");
	for_each_online_cpu(cpu)
		print("       CPU%-2d", cpu);
	print("\n");
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = irq_to_desc(irq);
		struct irq_data *d = &desc->irq_data;
		char actions[128];
		unsigned long flags;
		int n = 0;

		if (!desc->action && !kstat_irqs(desc))
			continue;
		spin_lock_irqsave(&desc->lock, flags);
		actions[0] = '\0';
		for (struct irqaction *a = desc->action; a; a = a->next)
			n += scnprintf(actions + n, sizeof(actions) - n, "%s%s", n ? ", " : "", a->name);
		spin_unlock_irqrestore(&desc->lock, flags);
		print("%4u:", irq);
		for_each_online_cpu(cpu)
			print(" %11u", desc->kstat_irqs[cpu]);
		print("  %-8s %5lu-%-8s  %s%s\n", d->chip->name, d->hwirq, desc->name ? desc->name : "?",
		      actions, (desc->istate & IRQS_SPURIOUS_DISABLED) ? " (disabled: nobody cared)" : "");
	}
	arch_show_interrupts(print);
}
