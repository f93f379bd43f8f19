/*
 * Shell commands about interrupts: the /proc/interrupts and
 * /proc/softirqs tables, one line in full (`irq N`), disabling and
 * enabling a line as a driver would (disable_irq()/enable_irq()), and
 * its CPU affinity (a hex mask, as /proc/irq/N/smp_affinity takes).
 */
#include <kernel/shell.h>
#include <kernel/irq.h>
#include <kernel/irqdesc.h>
#include <kernel/interrupt.h>
#include <kernel/cpumask.h>
#include <kernel/string.h>
#include <kernel/errno.h>

static int cmd_interrupts(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	show_interrupts(sh->print);
	return 0;
}
SHELL_COMMAND(interrupts, "", "the interrupt table (/proc/interrupts)", cmd_interrupts);

static int cmd_softirqs(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	show_softirqs(sh->print);
	return 0;
}
SHELL_COMMAND(softirqs, "", "softirq counts per CPU (/proc/softirqs)", cmd_softirqs);

/* A line a user may disable or enable: it has a handler and is not per-CPU. */
static int check_line(struct shell *sh, unsigned int irq, unsigned int *depth)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	bool has_action, percpu;

	spin_lock_irqsave(&desc->lock, flags);
	has_action = desc->action != NULL;
	percpu = desc->irq_data.state & IRQD_PER_CPU;
	*depth = desc->depth;
	spin_unlock_irqrestore(&desc->lock, flags);
	if (!has_action) {
		sh->print("irq %u has no handler: nothing to disable or enable\n", irq);
		return -ENODEV;
	}
	if (percpu) {
		sh->print("irq %u is per-CPU: it is not disabled as a line\n", irq);
		return -EINVAL;
	}
	return 0;
}

static int irq_enable_disable(struct shell *sh, bool enable, unsigned int irq)
{
	unsigned int depth;
	int ret = check_line(sh, irq, &depth);

	if (ret)
		return ret;
	if (enable) {
		/* enable_irq() on an enabled line is a driver bug Linux warns about: refuse it */
		if (!depth) {
			sh->print("irq %u is not disabled\n", irq);
			return -EINVAL;
		}
		enable_irq(irq);
	} else {
		disable_irq(irq);	/* waits for running handlers and threads */
	}
	check_line(sh, irq, &depth);
	sh->print("irq %u %s (depth %u)\n", irq, depth ? "disabled" : "enabled", depth);
	return 0;
}

/* irq N, irq enable N, irq disable N */
static int cmd_irq(struct shell *sh, int argc, char **argv)
{
	unsigned long irq;

	if (argc == 2 && !shell_parse_uint(argv[1], NR_IRQS - 1, &irq))
		return irq_show_desc(irq, sh->print);
	if (argc == 3 && !shell_parse_uint(argv[2], NR_IRQS - 1, &irq)) {
		if (!strcmp(argv[1], "enable"))
			return irq_enable_disable(sh, true, irq);
		if (!strcmp(argv[1], "disable"))
			return irq_enable_disable(sh, false, irq);
	}
	return SHELL_USAGE;
}
SHELL_COMMAND(irq, "[enable|disable] N",
	      "one IRQ line in full, or disable_irq()/enable_irq() on it", cmd_irq);

/* A hex CPU mask as /proc/irq/N/smp_affinity takes it ("3", "0x3"). */
static int parse_mask(const char *s, struct cpumask *mask)
{
	unsigned long bits;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s || kstrtoul(s, 16, &bits) || !bits)
		return -EINVAL;
	cpumask_clear(mask);
	for (unsigned int cpu = 0; cpu < NR_CPUS && cpu < 64; cpu++)
		if (bits >> cpu & 1)
			cpumask_set_cpu(cpu, mask);
	return 0;
}

/* affinity N [MASK] */
static int cmd_affinity(struct shell *sh, int argc, char **argv)
{
	struct cpumask mask;
	unsigned long irq;
	int ret;

	if (argc < 2 || argc > 3 || shell_parse_uint(argv[1], NR_IRQS - 1, &irq))
		return SHELL_USAGE;
	if (argc == 3) {
		if (parse_mask(argv[2], &mask))
			return SHELL_USAGE;
		ret = irq_set_affinity(irq, &mask);
		if (ret) {
			sh->print("affinity: irq %lu cannot go to mask %s (%d: %s)\n", irq, argv[2], ret,
				  ret == -EINVAL ? "no online CPU in it, or the line cannot move" :
				  "refused by the chip");
			return ret;
		}
	}
	irq_show_affinity(irq, sh->print);
	return 0;
}
SHELL_COMMAND(affinity, "N [MASK]", "show or set the CPUs of IRQ N (MASK in hex, as smp_affinity)",
	      cmd_affinity);
