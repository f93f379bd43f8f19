/*
 * From boot.asm to start_kernel(), and the architecture's part of the
 * boot (setup_arch()): boot information, CPU identification, this CPU's
 * GDT/TSS and the IDT, the TSC, then memory.
 */
#define pr_fmt(fmt) "setup: " fmt
#include <kernel/init.h>
#include <kernel/bootinfo.h>
#include <kernel/printk.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/fbcon.h>
#include <kernel/mm.h>
#include <kernel/bug.h>
#include <asm/processor.h>
#include <asm/cpufeature.h>
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/percpu.h>
#include <asm/msr.h>
#include <asm/tsc.h>
#include <asm/acpi.h>
#include <asm/smp.h>

void percpu_init_boot_cpu(void);
void x86_64_start_kernel(u32 mbi_phys);

static u32 boot_mbi_phys;
const char *stack_canary_source;

/*
 * The stack-protector canary at %gs:40: RDRAND when the CPU has it, else
 * a mix of TSC reads. The low byte is zero, as in Linux, so a string
 * overflow cannot reproduce the canary. Must be inlined into a function
 * without stack protection, as the canary changes under it.
 */
static __always_inline void boot_init_stack_canary(void)
{
	unsigned long canary = 0;
	u32 a, b, c, d;
	u8 ok = 0;

	cpuid(1, &a, &b, &c, &d);
	if (c & (1u << 30)) {		/* RDRAND */
		for (int i = 0; i < 10 && !ok; i++)
			__asm__ __volatile__("rdrand %0; setc %1" : "=r"(canary), "=qm"(ok));
	}
	stack_canary_source = ok ? "RDRAND" : "TSC";
	if (!ok) {
		unsigned long t = rdtsc();
		canary = t * 0x9e3779b97f4a7c15ul;
		canary ^= rdtsc() << 32 ^ (t >> 7);
	}
	canary &= ~0xfful;
	this_cpu_write(fixed_percpu_data.stack_canary, canary);
}

void __no_stack_protector x86_64_start_kernel(u32 mbi_phys)
{
	percpu_init_boot_cpu();
	boot_init_stack_canary();
	boot_mbi_phys = mbi_phys;
	start_kernel();
}

void setup_arch(void)
{
	int err;

	boot_info.mbi_magic = 0x36d76289;
	boot_info.mbi_start = boot_mbi_phys;
	err = multiboot2_parse(phys_to_virt(boot_mbi_phys), &boot_info);
	cmdline_set(boot_info.cmdline);
	parse_early_params();
	vga_console_init();
	if (err)
		pr_err("malformed multiboot2 information at %#x; using what was read before it\n",
		       boot_mbi_phys);

	cpu_detect();
	cpu_init_features();
	gdt_init_cpu();
	sort_extable();
	idt_setup();
	tsc_init();

	frame_alloc_init();
	paging_init();
	if (ist_stacks_alloc_cpu())
		panic("no memory for the IST stacks");
	fbcon_init();			/* no VGA text mode (UEFI): text on the framebuffer */
	acpi_table_init();		/* its result stays in acpi_madt_found */
	smp_prepare_cpus();		/* the possible CPUs, each with a per-CPU area */
}
