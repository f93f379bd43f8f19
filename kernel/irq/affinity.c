/*
 * IRQ affinity (Linux's irq_set_affinity() and /proc/irq/N/{smp_affinity,
 * effective_affinity}): the CPUs a line may go to (requested, kept in
 * irq_data.affinity) and the one CPU the chip actually sends it to
 * (effective_affinity); the default for lines nobody placed
 * (irq_default_affinity, `irqaffinity=LIST`), and the placement of a line
 * when it starts up. The chip picks the CPU (irq_chip.irq_set_affinity);
 * chips that must not be reprogrammed while live (IRQCHIP_MOVE_DEFERRED)
 * get the move at the line's next interrupt (migration.c).
 */
#define pr_fmt(fmt) "irq: " fmt
#include "internals.h"
#include <kernel/smp.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>

struct cpumask irq_default_affinity = { .bits = { [0 ... (NR_CPUS + 63) / 64 - 1] = ~0ull } };

/* `irqaffinity=0-2,5`: CPUs not possible are ignored at placement; nothing left means all. */
static int irq_affinity_setup(const char *val)
{
	struct cpumask m;
	char list[64];

	if (!val || cpulist_parse(val, &m))
		return -EINVAL;
	if (cpumask_empty(&m)) {
		pr_warn("irqaffinity=%s names no CPU: keeping all\n", val);
		return 0;
	}
	irq_default_affinity = m;
	cpumap_print_list(list, sizeof(list), &m);
	pr_info("default affinity %s (irqaffinity=%s)\n", list, val);
	return 0;
}
early_param("irqaffinity", irq_affinity_setup);

void irq_online_mask(struct cpumask *m)
{
	int cpu;

	cpumask_clear(m);
	for_each_online_cpu(cpu)
		cpumask_set_cpu((unsigned int)cpu, m);
}

/* Linux's irq_can_set_affinity(): a chip that can route, and a line that is not per-CPU. */
static bool irq_can_set_affinity(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;

	return d->chip && d->chip->irq_set_affinity && !(d->state & IRQD_PER_CPU);
}

/* Have the chip route the line to one online CPU of mask now. */
static int irq_do_set_affinity(struct irq_data *d, const struct cpumask *mask, bool force)
{
	struct cpumask online, target;

	irq_online_mask(&online);
	if (!cpumask_and(&target, mask, &online))
		return -EINVAL;
	return d->chip->irq_set_affinity(d, &target, force);
}

static int irq_set_affinity_locked(struct irq_desc *desc, const struct cpumask *mask)
{
	struct irq_data *d = &desc->irq_data;
	struct cpumask online;
	int ret;

	irq_online_mask(&online);
	if (!cpumask_intersects(mask, &online))
		return -EINVAL;
	/*
	 * A live line of a MOVE_DEFERRED chip that has to leave its CPU waits
	 * for its next interrupt; one that can stay where it is is "moved"
	 * at once (the chip keeps it), which also drops a pending move.
	 */
	if ((d->chip->flags & IRQCHIP_MOVE_DEFERRED) && (d->state & IRQD_IRQ_STARTED) &&
	    !cpumask_intersects(mask, &d->effective_affinity)) {
		cpumask_copy(&desc->pending_mask, mask);
		irqd_set(d, IRQD_SETAFFINITY_PENDING);
		ret = 0;
	} else {
		ret = irq_do_set_affinity(d, mask, false);
		if (!ret)
			irqd_clear(d, IRQD_SETAFFINITY_PENDING);
	}
	if (!ret) {
		cpumask_copy(&d->affinity, mask);
		irqd_set(d, IRQD_AFFINITY_SET);
	}
	return ret;
}

int irq_set_affinity(unsigned int irq, const struct cpumask *mask)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	int ret;

	if (!desc || !mask || cpumask_empty(mask))
		return -EINVAL;
	if (!irq_can_set_affinity(desc))
		return -EINVAL;
	spin_lock_irqsave(&desc->lock, flags);
	ret = irq_set_affinity_locked(desc, mask);
	spin_unlock_irqrestore(&desc->lock, flags);
	return ret;
}

void irq_setup_affinity(struct irq_desc *desc)
{
	struct irq_data *d = &desc->irq_data;
	const struct cpumask *mask = &irq_default_affinity;
	struct cpumask online;

	if (!irq_can_set_affinity(desc))
		return;
	irq_online_mask(&online);
	if ((d->state & IRQD_AFFINITY_SET) && cpumask_intersects(&d->affinity, &online))
		mask = &d->affinity;
	else if (!cpumask_intersects(mask, &online))
		mask = &online;		/* irqaffinity= named no online CPU */
	/* not started, so it can be placed now; if the chip cannot, it stays where it was */
	if (!irq_do_set_affinity(d, mask, false))
		irqd_clear(d, IRQD_SETAFFINITY_PENDING);
	if (!(d->state & IRQD_AFFINITY_SET))
		cpumask_copy(&d->affinity, mask);
}

int irq_effective_cpu(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned int cpu;

	if (!desc)
		return -1;
	cpu = cpumask_first(&desc->irq_data.effective_affinity);
	return cpu < NR_CPUS ? (int)cpu : -1;
}

void irq_show_affinity(unsigned int irq, int (*print)(const char *fmt, ...))
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irq_data *d;
	char req[64], eff[64], pend[64] = "";
	unsigned long flags;
	int cpu;

	if (!desc) {
		print("IRQ %u: no such IRQ\n", irq);
		return;
	}
	d = &desc->irq_data;
	spin_lock_irqsave(&desc->lock, flags);
	cpumap_print_list(req, sizeof(req), &d->affinity);
	cpumap_print_list(eff, sizeof(eff), &d->effective_affinity);
	if (irqd_is_setaffinity_pending(d))
		cpumap_print_list(pend, sizeof(pend), &desc->pending_mask);
	spin_unlock_irqrestore(&desc->lock, flags);
	print("IRQ %u (%s): affinity %s%s, effective %s", irq, d->chip->name, req,
	      (d->state & IRQD_AFFINITY_SET) ? "" : " (default)",
	      irq_can_set_affinity(desc) ? eff : "0 (fixed)");
	if (pend[0])
		print(", moving to %s at the next interrupt", pend);
	print(";");
	for_each_online_cpu(cpu)
		print(" CPU%d %u", cpu, READ_ONCE(desc->kstat_irqs[cpu]));
	print("\n");
}
