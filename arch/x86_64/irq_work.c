/*
 * The x86 half of irq_work (kernel/irq_work.c): IRQ_WORK_VECTOR, raised
 * on this CPU by a self-IPI through the local APIC (Intel SDM vol. 3A,
 * 11.6: the "self" destination shorthand) and on another CPU by a fixed
 * IPI. Its handler acknowledges first, so that work queued while the
 * list runs (a callback re-queuing itself) raises a new interrupt that
 * is not lost, then runs this CPU's lists in hard-IRQ context on the IRQ
 * stack. Counted per CPU as Linux's "IWI" row of the interrupt table.
 * Without a local APIC nothing can be raised: the tick runs the lists.
 */
#include <kernel/irq_work.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/smp.h>

bool arch_irq_work_has_interrupt(void)
{
	return lapic_is_enabled();
}

void arch_irq_work_raise(void)
{
	if (arch_irq_work_has_interrupt())
		apic_send_self_ipi(IRQ_WORK_VECTOR);
}

void arch_send_irq_work_ipi(int cpu)
{
	apic_send_ipi(x86_cpu_to_apicid[cpu], IRQ_WORK_VECTOR);
}

static void sysvec_irq_work(struct pt_regs *regs)
{
	apic_eoi();
	this_cpu_inc(irq_stat.apic_irq_work_irqs);
	irq_work_run();
}

void irq_work_init_vector(void)
{
	sysvec_register(IRQ_WORK_VECTOR, sysvec_irq_work, "IRQ work interrupts");
}
