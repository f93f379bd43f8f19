/*
 * The x86 half of the cross-CPU function calls (kernel/smp.c): fixed
 * IPIs through the local APIC's ICR (Intel SDM vol. 3A, 11.6), one per
 * target in physical destination mode, and their handlers on
 * CALL_FUNCTION_SINGLE_VECTOR and CALL_FUNCTION_VECTOR, which run the
 * CPU's call queue in hard-IRQ context on the IRQ stack.
 */
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/hw_irq.h>
#include <kernel/smp.h>
#include <kernel/trace_events.h>

void arch_send_call_function_single_ipi(int cpu)
{
	trace_ipi_send_cpu((unsigned int)cpu, CALL_FUNCTION_SINGLE_VECTOR);
	apic_send_ipi(x86_cpu_to_apicid[cpu], CALL_FUNCTION_SINGLE_VECTOR);
}

void arch_send_call_function_ipi_mask(const struct cpumask *mask)
{
	int cpu;

	trace_ipi_send_cpumask(mask, CALL_FUNCTION_VECTOR);
	for_each_cpu(cpu, mask)
		apic_send_ipi(x86_cpu_to_apicid[cpu], CALL_FUNCTION_VECTOR);
}

/* EOI first: a call queued while we run the queue sends a new IPI, which must not be lost. */
static void call_function_single_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	this_cpu_inc(irq_stat.call_function_irqs);
	generic_smp_call_function_single_interrupt();
}

static void call_function_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	this_cpu_inc(irq_stat.call_function_irqs);
	generic_smp_call_function_interrupt();
}

void smp_ipi_init(void)
{
	sysvec_register(CALL_FUNCTION_SINGLE_VECTOR, call_function_single_interrupt,
			"Function call interrupts");
	sysvec_register(CALL_FUNCTION_VECTOR, call_function_interrupt, "Function call interrupts");
}
