/*
 * panic(): report, run the panic notifiers (the test harness ends QEMU
 * with a failure status from one), then stop the machine: halt, or
 * reboot after `panic=N` seconds (N < 0: at once), as in Linux.
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <kernel/nmi.h>
#include <kernel/smp.h>
#include <asm/traps.h>
#include <asm/irqflags.h>
#include <asm/reboot.h>
#include <asm/percpu.h>

struct notifier_head panic_notifier_list;
static long panic_timeout;
static int panic_cpu = -1;

static int panic_setup(const char *val)
{
	return val && !kstrtol(val, 0, &panic_timeout) ? 0 : -EINVAL;
}
early_param("panic", panic_setup);

void panic(const char *fmt, ...)
{
	static char buf[256];
	va_list ap;
	int cpu = smp_processor_id();

	local_irq_disable();
	/* one panic at a time; a panic inside the panic just stops */
	if (__atomic_exchange_n(&panic_cpu, cpu, __ATOMIC_ACQ_REL) != -1)
		machine_halt();
	oops_in_progress++;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	if (strcmp(buf, "Fatal exception"))
		dump_stack();
	/* what the other CPUs were doing when this one gave up (they are not stopped) */
	if (num_online_cpus() > 1)
		trigger_allbutself_cpu_backtrace();
	notifier_call_chain(&panic_notifier_list, 0, buf);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", buf);
	if (panic_timeout) {
		if (panic_timeout > 0)
			pr_emerg("Rebooting in %ld seconds..\n", panic_timeout);
		machine_restart_after(panic_timeout > 0 ? panic_timeout : 0);
	}
	machine_halt();
}

/*
 * Undo panic()'s claim on the machine. Only for the test harness, which
 * catches panics it provoked on purpose and carries on.
 */
void panic_reset(void);
void panic_reset(void)
{
	oops_in_progress = 0;
	__atomic_store_n(&panic_cpu, -1, __ATOMIC_RELEASE);
}
