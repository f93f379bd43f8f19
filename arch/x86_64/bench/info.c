/* The x86 part of the benchmarks' BENCHINFO line: CPU model, local APIC interface, IRQ mode. */
#include <kernel/bench.h>
#include <kernel/kernel.h>
#include <asm/cpufeature.h>
#include <asm/apic.h>
#include <asm/irq.h>

int arch_bench_info(char *buf, size_t size)
{
	return scnprintf(buf, size, "cpu_model=\"%s\" apic=%s x2apic=%d irq_mode=%s",
			 boot_cpu_data.model_name, apic ? apic->name : "none", x2apic_mode(),
			 irq_mode == IRQ_MODE_APIC ? "APIC" : "PIC");
}
