/*
 * start_kernel(): the architecture-neutral boot sequence. Brings up the
 * console, lets the architecture set up CPU tables and memory, moves to
 * a guarded kernel stack, then runs the self-tests (ktest.run=1), the
 * benchmarks (bench.run=1) or the console shell.
 */
#include <kernel/nmi.h>
#include <kernel/init.h>
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/fbcon.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/bench.h>
#include <kernel/mm.h>
#include <kernel/bug.h>
#include <kernel/pci.h>
#include <kernel/edu.h>
#include <kernel/rtc.h>
#include <kernel/i8042.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/kthread.h>
#include <kernel/interrupt.h>
#include <kernel/timer.h>
#include <kernel/workqueue.h>
#include <kernel/trace.h>
#include <asm/cpufeature.h>
#include <asm/irq.h>
#include <asm/irqflags.h>

const char kernel_version[] = "irqkernel 0.1 (x86_64, " __DATE__ ")";

static void print_boot_info(void)
{
	const struct boot_info *bi = &boot_info;

	pr_info("%s\n", kernel_version);
	pr_info("booted by %s; command line: %s\n", bi->loader_name[0] ? bi->loader_name : "?",
		boot_command_line);
	pr_info("CPU: %s %s\n", boot_cpu_data.vendor, boot_cpu_data.model_name);
	for (int i = 0; i < bi->nr_memmap; i++)
		pr_info("memory: [%016llx-%016llx] %s\n", (unsigned long long)bi->memmap[i].base,
			(unsigned long long)(bi->memmap[i].base + bi->memmap[i].len - 1),
			bi->memmap[i].type == 1 ? "usable" : bi->memmap[i].type == 3 ? "ACPI data" :
			bi->memmap[i].type == 4 ? "ACPI NVS" : bi->memmap[i].type == 5 ? "bad" : "reserved");
	for (int i = 0; i < bi->nr_modules; i++)
		pr_info("module %d: [%#lx-%#lx] %s\n", i, (unsigned long)bi->modules[i].start,
			(unsigned long)bi->modules[i].end, bi->modules[i].cmdline);
	if (bi->efi_bits)
		pr_info("firmware: UEFI (%d-bit system table at %#lx)\n", bi->efi_bits,
			(unsigned long)bi->efi_systab);
	if (bi->has_framebuffer)
		pr_info("framebuffer: %ux%u, %u bpp, pitch %u, type %u at %#lx\n", bi->fb.width,
			bi->fb.height, bi->fb.bpp, bi->fb.pitch, bi->fb.type, (unsigned long)bi->fb.addr);
}

/* pid 1: the other CPUs, the per-CPU threads, then a trace scenario, the self-tests or the shell. */
static int kernel_init(void *unused)
{
	trace_init();
	smp_init();
	lockup_detector_init();
	softirq_init_threads();
	workqueue_init();
	trace_boot();
	ktest_boot();
	bench_boot();
	shell_run();
	return 0;
}

/*
 * On the guarded stack: the boot code becomes CPU 0's idle task, starts
 * pid 1, and idles.
 */
static void __noreturn rest_init(void *unused)
{
	struct task_struct *init;

	sched_init_idle_stack();
	/* pid 1, as in Linux; it runs once this task idles */
	init = kthread_create(kernel_init, NULL, "init");
	if (IS_ERR(init))
		panic("cannot create the init thread");
	wake_up_process(init);
	cpu_idle_loop();
}

void start_kernel(void)
{
	serial_console_init();
	setup_arch();
	print_boot_info();
	sched_init();
	init_IRQ();
	softirq_init();
	init_timers();
	workqueue_init_early();
	time_init();
	fbcon_start_deferred();		/* the framebuffer console draws from a timer now */
	pci_init();
	edu_init();
	/* the devices on ISA IRQs: the RTC, and the two sources of console input */
	rtc_init();
	i8042_init();
	serial_irq_init();
	/* from here on the tick and devices interrupt us */
	local_irq_enable();
	arch_switch_to_task_stack(rest_init, NULL);
}
