/*
 * The x86 half of the NMI backtraces (Linux's apic/hw_nmi.c): an NMI IPI
 * through the local APIC (delivery mode NMI, Intel SDM vol. 3A,
 * 11.6.1) to each CPU asked, and an NMI handler that prints the
 * backtrace if this CPU was asked and leaves any other NMI to the rest
 * of the chain.
 */
#include <kernel/nmi.h>
#include <kernel/smp.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/traps.h>

static void nmi_raise_cpu_backtrace(const struct cpumask *mask)
{
	int cpu;

	for_each_cpu(cpu, mask)
		apic->send_icr(APIC_DM_NMI | APIC_ICR_ASSERT, x86_cpu_to_apicid[cpu]);
}

int arch_trigger_cpumask_backtrace(const struct cpumask *mask, int exclude_cpu)
{
	return nmi_trigger_cpumask_backtrace(mask, exclude_cpu, nmi_raise_cpu_backtrace);
}

static int nmi_cpu_backtrace_handler(unsigned int type, struct pt_regs *regs)
{
	return nmi_cpu_backtrace(regs) ? NMI_HANDLED : NMI_DONE;
}

static struct nmiaction backtrace_nmi = {
	.handler = nmi_cpu_backtrace_handler,
	.name = "arch_bt",
};

void nmi_backtrace_init(void)
{
	register_nmi_handler(NMI_LOCAL, &backtrace_nmi);
}
