/*
 * Per-CPU areas. The boot CPU uses the section's template in the kernel
 * image directly (its GS base is set in boot.asm before any C runs);
 * secondary CPUs get copies when SMP brings them up.
 */
#include <asm/percpu.h>
#include <kernel/preempt.h>

DEFINE_PER_CPU_FIRST(struct fixed_percpu_data, fixed_percpu_data);
DEFINE_PER_CPU(unsigned long, this_cpu_off);
DEFINE_PER_CPU(int, cpu_number);
DEFINE_PER_CPU(unsigned int, __preempt_count);

unsigned long __per_cpu_offset[NR_CPUS];

/* Record the boot CPU's area (GS base = the template). */
void percpu_init_boot_cpu(void);
void percpu_init_boot_cpu(void)
{
	unsigned long base = (unsigned long)__per_cpu_load;

	__per_cpu_offset[0] = base;
	this_cpu_write(this_cpu_off, base);
	this_cpu_write(cpu_number, 0);
}
