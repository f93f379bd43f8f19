/*
 * Interrupt set-up at boot (Linux's init_IRQ): choose APIC or PIC mode,
 * set the controllers up, give the boot CPU its IRQ stack; and the
 * architecture's rows of the interrupt table.
 *
 * APIC mode when the MADT describes an IOAPIC and the CPU has a local
 * APIC, unless `noapic` is given; otherwise PIC mode, where the 8259A's
 * INTR reaches the CPU through the LAPIC's LINT0 (virtual wire) if there
 * is a LAPIC. Either way the 8259A is first remapped to 0x20-0x2f, so that
 * nothing it says can land on an exception vector.
 */
#define pr_fmt(fmt) "irq: " fmt
#include <asm/irq.h>
#include <asm/hw_irq.h>
#include <asm/i8259.h>
#include <asm/io_apic.h>
#include <asm/apic.h>
#include <asm/acpi.h>
#include <asm/traps.h>
#include <kernel/irq.h>
#include <kernel/smp.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/errno.h>

enum irq_mode irq_mode = IRQ_MODE_PIC;
const char *irq_mode_reason = "not decided yet";
static bool noapic;

void early_irq_init(void);

static int noapic_setup(const char *val)
{
	noapic = true;
	return 0;
}
early_param("noapic", noapic_setup);

static irqreturn_t no_action(int irq, void *dev_id)
{
	return IRQ_NONE;
}

enum irq_mode irq_select_mode(bool noapic_given, bool have_lapic, int acpi_result,
			     const struct madt_info *madt, const char **reason)
{
	if (noapic_given)
		*reason = "noapic on the command line";
	else if (!have_lapic)
		*reason = "no local APIC";
	else if (acpi_result || !madt)
		*reason = "no usable ACPI MADT";
	else if (!madt->nr_ioapics)
		*reason = "the MADT lists no IOAPIC";
	else {
		*reason = "IOAPIC from the MADT";
		return IRQ_MODE_APIC;
	}
	return IRQ_MODE_PIC;
}

void init_IRQ(void)
{
	bool have_lapic;

	early_irq_init();
	init_8259A();
	have_lapic = lapic_init() == 0;
	irq_mode = irq_select_mode(noapic, have_lapic, acpi_madt_found ? 0 : -ENODEV,
				   acpi_madt_found ? &acpi_madt : NULL, &irq_mode_reason);
	if (irq_mode == IRQ_MODE_APIC && ioapic_init()) {
		irq_mode = IRQ_MODE_PIC;
		irq_mode_reason = "no IOAPIC could be mapped";
	}
	if (irq_mode == IRQ_MODE_APIC) {
		mask_8259A();
		lapic_setup_lint(false);
	} else {
		i8259_setup_legacy_irqs();
		lapic_setup_lint(true);
		/* IRQ 2 carries the slave PIC, as in Linux */
		if (request_irq(PIC_CASCADE_IR, no_action, IRQF_NO_THREAD, "cascade", NULL))
			pr_err("cannot claim IRQ 2 for the cascade\n");
	}
	if (irq_init_percpu_irqstack(0))
		pr_err("no IRQ stack for CPU 0: interrupts stay on the task stack\n");
	pr_info("%s mode (%s)\n", irq_mode == IRQ_MODE_APIC ? "APIC" : "PIC", irq_mode_reason);
}

int pcibios_irq_for_line(unsigned int line)
{
	if (line == 0xff || line == 0)
		return -ENODEV;
	/*
	 * A PCI line is level-triggered: SeaBIOS sets its ELCR bit, OVMF
	 * does not. Set it in APIC mode too, so that the 8259 input
	 * follows the line as on the PIC (masked there, it never fires).
	 */
	elcr_set_level_irq(line);
	if (irq_mode == IRQ_MODE_APIC)
		return ioapic_pci_line_to_irq(line);
	if (line >= NR_IRQS_LEGACY)
		return -ENODEV;
	irq_set_irq_type(line, IRQ_TYPE_LEVEL_LOW);
	return (int)line;
}

void arch_show_interrupts(int (*print)(const char *fmt, ...))
{
	static const struct {
		const char *tag, *text;
		size_t offset;
	} rows[] = {
		{ "LOC", "Local timer interrupts", offsetof(struct irq_cpustat, apic_timer_irqs) },
		{ "SPU", "Spurious interrupts", offsetof(struct irq_cpustat, spurious_apic) },
		{ "IWI", "IRQ work interrupts", offsetof(struct irq_cpustat, apic_irq_work_irqs) },
		{ "ERR", "APIC error interrupts", offsetof(struct irq_cpustat, error_apic) },
		{ "RES", "Rescheduling interrupts", offsetof(struct irq_cpustat, resched_irqs) },
		{ "CAL", "Function call interrupts", offsetof(struct irq_cpustat, call_function_irqs) },
		{ "TLB", "TLB shootdowns", offsetof(struct irq_cpustat, irq_tlb_count) },
		{ "RSD", "IRQ software resends", offsetof(struct irq_cpustat, resend_irqs) },
		{ "BAD", "Vectors without a handler", offsetof(struct irq_cpustat, bad_vector) },
		{ "PIC", "8259A spurious IRQ 7/15", offsetof(struct irq_cpustat, pic_spurious) },
	};
	int cpu;

	print(" NMI:");
	for_each_online_cpu(cpu)
		print(" %11lu", per_cpu(nmi_count, cpu));
	print("  Non-maskable interrupts\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++) {
		print(" %s:", rows[i].tag);
		for_each_online_cpu(cpu)
			print(" %11u", *(unsigned int *)((char *)per_cpu_ptr(&irq_stat, cpu) + rows[i].offset));
		print("  %s\n", rows[i].text);
	}
}
