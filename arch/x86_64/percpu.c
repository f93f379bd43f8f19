/*
 * Per-CPU areas. The boot CPU uses the section's template in the kernel
 * image directly (its GS base is set in boot.asm before any C runs);
 * every other possible CPU gets a zeroed area of the same size at boot.
 * So per-CPU variables never have initializers: a CPU's copy starts as
 * zeroes, whichever CPU it is.
 */
#include <asm/percpu.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <kernel/preempt.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/printk.h>

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

unsigned int setup_per_cpu_areas(unsigned int n)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);
	size_t pages = DIV_ROUND_UP(size, PAGE_SIZE);

	for (unsigned int cpu = 1; cpu < n; cpu++) {
		phys_addr_t pa = frame_alloc_contig(pages, 1);
		unsigned long base;

		if (!pa) {
			pr_err("percpu: no memory for CPU %u's area: %u CPUs possible\n", cpu, cpu);
			return cpu;
		}
		base = (unsigned long)phys_to_virt(pa);
		memset((void *)base, 0, pages * PAGE_SIZE);
		__per_cpu_offset[cpu] = base;
		per_cpu(this_cpu_off, cpu) = base;
		per_cpu(cpu_number, cpu) = (int)cpu;
		/* one canary for all: a task may move between CPUs in the middle of a function */
		per_cpu(fixed_percpu_data, cpu).stack_canary = this_cpu_read(fixed_percpu_data.stack_canary);
	}
	return n;
}
