/*
 * Shell commands about what runs where: threads (`ps`), workqueues and
 * their worker pools, pending timers, the CPUs with what each runs, and
 * an NMI backtrace of one CPU (`nmi CPU`), which answers even on a CPU
 * that spins with interrupts off.
 */
#include <kernel/shell.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/workqueue.h>
#include <kernel/timer.h>
#include <kernel/interrupt.h>
#include <kernel/clockchips.h>
#include <kernel/spinlock.h>
#include <kernel/nmi.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <asm/cpufeature.h>
#include <asm/tsc.h>

static int cmd_ps(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	show_tasks(sh->print);
	return 0;
}
SHELL_COMMAND(ps, "", "threads: pid, CPU, state, priority (FFn) or nice, switches, run time",
	      cmd_ps);

static int cmd_workqueues(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	show_all_workqueues(sh->print);
	return 0;
}
SHELL_COMMAND(workqueues, "", "each workqueue's items, each worker pool's kworkers", cmd_workqueues);

static int cmd_timers(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	show_timers(sh->print);
	return 0;
}
SHELL_COMMAND(timers, "", "pending timer_list timers of every CPU", cmd_timers);

/* The name and pid of the task running on cpu, if it is still listed (it may just have exited). */
static void current_on(int cpu, char *buf, size_t size)
{
	struct task_struct *curr = READ_ONCE(per_cpu(current_task, cpu)), *p;
	unsigned long flags;

	strlcpy(buf, "?", size);
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks) {
		if (p == curr) {
			snprintf(buf, size, "%s (%d)", p->comm, p->pid);
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static int cmd_cpus(struct shell *sh, int argc, char **argv)
{
	int cpu;

	if (argc != 1)
		return SHELL_USAGE;
	sh->print("%s %s, family %u model %u stepping %u, TSC %lu kHz; %u of %u CPUs online\n",
		  boot_cpu_data.vendor, boot_cpu_data.model_name, boot_cpu_data.family,
		  boot_cpu_data.model, boot_cpu_data.stepping, tsc_khz, num_online_cpus(),
		  num_possible_cpus());
	sh->print("CPU %-24s %10s %10s %10s %s\n", "RUNNING", "TICKS", "SWITCHES", "MIGRATED",
		  "SOFTIRQS-PENDING");
	for_each_online_cpu(cpu) {
		unsigned int pending = softirq_pending_cpu(cpu);
		char running[40], names[96] = "";
		int n = 0;

		current_on(cpu, running, sizeof(running));
		for (int nr = 0; nr < NR_SOFTIRQS; nr++)
			if (pending & (1u << nr))
				n += scnprintf(names + n, sizeof(names) - n, " %s", softirq_to_name[nr]);
		sh->print("%3d %-24s %10lu %10lu %10lu %#x%s\n", cpu, running, tick_count_cpu(cpu),
			  nr_context_switches_cpu(cpu), nr_migrations_cpu(cpu), pending, names);
	}
	return 0;
}
SHELL_COMMAND(cpus, "", "the CPU model; per online CPU: running task, ticks, switches, softirqs",
	      cmd_cpus);

static int cmd_nmi(struct shell *sh, int argc, char **argv)
{
	unsigned long cpu;
	int missing;

	if (argc != 2 || shell_parse_uint(argv[1], NR_CPUS - 1, &cpu))
		return SHELL_USAGE;
	if (!cpu_online((int)cpu)) {
		sh->print("nmi: CPU %lu is not online (%u online)\n", cpu, num_online_cpus());
		return -ENXIO;
	}
	/* the backtrace goes to the kernel log and the console, as Linux's does */
	missing = trigger_single_cpu_backtrace((int)cpu);
	if (missing < 0)
		sh->print("nmi: another backtrace request is running; try again\n");
	else if (missing)
		sh->print("nmi: CPU %lu did not answer\n", cpu);
	return missing ? -EBUSY : 0;
}
SHELL_COMMAND(nmi, "CPU", "backtrace of CPU by NMI (\"NMI backtrace for cpu N\")", cmd_nmi);
