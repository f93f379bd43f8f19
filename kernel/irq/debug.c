/*
 * One IRQ line in full, for the shell's `irq N` (what Linux shows in
 * debugfs irq/irqs/N): chip, flow, hardware number, trigger, disable
 * depth, the IRQD_ and IRQS_ state bits by name, affinity, per-CPU
 * counts, the spurious-interrupt bookkeeping, and each action with its
 * handler, flags and thread. Everything is read under the descriptor's
 * lock into locals and printed after it is dropped.
 */
#include "internals.h"
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>

struct bit_name {
	unsigned int bit;
	const char *name;
};

static const struct bit_name irqd_names[] = {
	{ IRQD_LEVEL, "LEVEL" },
	{ IRQD_PER_CPU, "PER_CPU" },
	{ IRQD_IRQ_DISABLED, "IRQ_DISABLED" },
	{ IRQD_IRQ_MASKED, "IRQ_MASKED" },
	{ IRQD_IRQ_INPROGRESS, "IRQ_INPROGRESS" },
	{ IRQD_IRQ_STARTED, "IRQ_STARTED" },
	{ IRQD_AFFINITY_SET, "AFFINITY_SET" },
	{ IRQD_SETAFFINITY_PENDING, "SETAFFINITY_PENDING" },
};

static const struct bit_name istate_names[] = {
	{ IRQS_PENDING, "PENDING" },
	{ IRQS_REPLAY, "REPLAY" },
	{ IRQS_SPURIOUS_DISABLED, "SPURIOUS_DISABLED" },
	{ IRQS_POLL_INPROGRESS, "POLL_INPROGRESS" },
	{ IRQS_ONESHOT, "ONESHOT" },
};

static void bit_names(char *buf, size_t size, unsigned int bits, const struct bit_name *names,
		      size_t n)
{
	int len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (bits & names[i].bit)
			len += scnprintf(buf + len, size - len, "%s%s", len ? " " : "", names[i].name);
	if (!len)
		strlcpy(buf, "-", size);
}

static const char *trigger_name(unsigned int type)
{
	switch (type & IRQ_TYPE_SENSE_MASK) {
	case IRQ_TYPE_EDGE_RISING:	return "edge-rising";
	case IRQ_TYPE_EDGE_FALLING:	return "edge-falling";
	case IRQ_TYPE_EDGE_BOTH:	return "edge-both";
	case IRQ_TYPE_LEVEL_HIGH:	return "level-high";
	case IRQ_TYPE_LEVEL_LOW:	return "level-low";
	default:			return "none";
	}
}

#define MAX_SHOWN_ACTIONS	6	/* a shared line rarely has more; the rest are counted */

int irq_show_desc(unsigned int irq, int (*print)(const char *fmt, ...))
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irq_data *d;
	char actions[MAX_SHOWN_ACTIONS][160], dstate[160], istate[96], aff[64], eff[64], pend[64];
	unsigned int state, depth, ist, count, unhandled, trips, shown = 0, more = 0;
	unsigned long hwirq, unhandled_total;
	const char *chip, *flow;
	unsigned long flags;
	int cpu;

	if (!desc)
		return -EINVAL;
	d = &desc->irq_data;
	spin_lock_irqsave(&desc->lock, flags);
	chip = d->chip ? d->chip->name : "none";
	flow = desc->name ? desc->name : "?";
	hwirq = d->hwirq;
	state = d->state;
	depth = desc->depth;
	ist = desc->istate;
	count = desc->irq_count;
	unhandled = desc->irqs_unhandled;
	unhandled_total = desc->unhandled_total;
	trips = desc->spurious_trips;
	cpumap_print_list(aff, sizeof(aff), &d->affinity);
	cpumap_print_list(eff, sizeof(eff), &d->effective_affinity);
	cpumap_print_list(pend, sizeof(pend), &desc->pending_mask);
	for (struct irqaction *a = desc->action; a; a = a->next) {
		char *line;
		int n;

		if (shown == MAX_SHOWN_ACTIONS) {
			more++;
			continue;
		}
		line = actions[shown];
		n = scnprintf(line, sizeof(actions[0]), "\"%s\" handler %ps flags %#x", a->name,
			      a->handler, a->flags);
		if (a->thread)
			scnprintf(line + n, sizeof(actions[0]) - n, ", thread %s (pid %d, %s, CPU %d) %ps",
				  a->thread->comm, a->thread->pid, task_state_name(a->thread),
				  a->thread->cpu, a->thread_fn);
		shown++;
	}
	spin_unlock_irqrestore(&desc->lock, flags);

	bit_names(dstate, sizeof(dstate), state, irqd_names, ARRAY_SIZE(irqd_names));
	bit_names(istate, sizeof(istate), ist, istate_names, ARRAY_SIZE(istate_names));
	print("irq %u: chip %s, flow %s, hwirq %lu, trigger %s\n", irq, chip, flow, hwirq,
	      trigger_name(state & IRQD_TRIGGER_MASK));
	print("  depth %u (%s), state %s\n", depth, depth ? "disabled" : "enabled", dstate);
	print("  istate %s\n", istate);
	print("  affinity %s%s, effective %s%s%s\n", aff[0] ? aff : "-",
	      (state & IRQD_AFFINITY_SET) ? " (set)" : " (default)", eff[0] ? eff : "-",
	      (state & IRQD_SETAFFINITY_PENDING) ? ", moving to " : "",
	      (state & IRQD_SETAFFINITY_PENDING) ? pend : "");
	print("  count");
	for_each_online_cpu(cpu)
		print(" CPU%d %u", cpu, READ_ONCE(desc->kstat_irqs[cpu]));
	print(", total %lu\n", kstat_irqs(desc));
	print("  unhandled %lu since boot (%u of the last %u), disabled as spurious %u times\n",
	      unhandled_total, unhandled, count, trips);
	if (!shown)
		print("  no actions\n");
	for (unsigned int i = 0; i < shown; i++)
		print("  action %s\n", actions[i]);
	if (more)
		print("  ... and %u more actions\n", more);
	return 0;
}
