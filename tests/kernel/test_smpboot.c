/*
 * What bring-up gave each CPU: its own GS base, GDT, TSS with IST and
 * task stacks, IRQ stack, idle task, LAPIC ID, CR0/CR4/EFER and a ticking clock event device,
 * checked on the CPU itself through a function-call IPI. The boot tests
 * at the end check nosmp and maxcpus= on a 4-CPU machine.
 */
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/jiffies.h>
#include <kernel/timer.h>
#include <kernel/clockchips.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/msr.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include "smp_test.h"

/* What one CPU reports about itself. */
struct cpu_self {
	int cpu;
	unsigned long gs_base;
	u64 gdt_base;
	u16 tr;
	u64 tss_base;			/* from the busy TSS descriptor in this GDT */
	u64 ist[N_EXCEPTION_STACKS];
	u64 sp0;
	unsigned long irq_stack_end;
	struct task_struct *idle;
	u32 apic_id;
	unsigned long ticks;		/* ticks this CPU's clock event device gave */
	const char *tick_dev;
	unsigned long long cr0, cr4, efer;
};

static void report_self(void *arg)
{
	struct cpu_self *s = arg;
	struct desc_ptr gdtr;
	u64 *gdt = this_cpu_ptr(&gdt_page[0]);
	u64 lo = gdt[GDT_ENTRY_TSS], hi = gdt[GDT_ENTRY_TSS + 1];

	s->cpu = smp_processor_id();
	s->gs_base = rdmsr(MSR_GS_BASE);
	store_gdt(&gdtr);
	s->gdt_base = gdtr.address;
	s->tr = store_tr();
	s->tss_base = ((lo >> 16) & 0xffffff) | (((lo >> 56) & 0xff) << 24) | (hi << 32);
	for (int i = 0; i < N_EXCEPTION_STACKS; i++)
		s->ist[i] = this_cpu_ptr(&cpu_tss)->ist[i];
	s->sp0 = this_cpu_ptr(&cpu_tss)->sp0;
	s->irq_stack_end = this_cpu_ptr(&cpu_irq_stack)->end;
	s->idle = idle_task(s->cpu);
	s->apic_id = lapic_read_id();
	s->ticks = tick_count_cpu(s->cpu);
	s->tick_dev = tick_get_device() ? tick_get_device()->name : NULL;
	__asm__ __volatile__("mov %%cr0, %0; mov %%cr4, %1" : "=r"(s->cr0), "=r"(s->cr4));
	s->efer = rdmsr(MSR_EFER);
}

static struct cpu_self selves[NR_CPUS];

static void collect(struct ktest *t)
{
	int cpu;

	for_each_online_cpu(cpu) {
		selves[cpu].cpu = -1;
		ASSERT_EQ(t, smp_call_function_single(cpu, report_self, &selves[cpu], 1), 0);
		ASSERT_EQ(t, selves[cpu].cpu, cpu);
	}
}

static void each_cpu_has_its_own_areas(struct ktest *t)
{
	int cpu;

	collect(t);
	for_each_online_cpu(cpu) {
		struct cpu_self *s = &selves[cpu];
		struct tss_struct *tss = per_cpu_ptr(&cpu_tss, cpu);
		struct stack_info *ist = per_cpu_ptr(&cpu_ist_stacks[0], cpu);

		EXPECT_EQ(t, s->gs_base, __per_cpu_offset[cpu]);
		EXPECT_EQ(t, s->gdt_base, (u64)per_cpu_ptr(&gdt_page[0], cpu));
		EXPECT_EQ(t, s->tr, __TSS_SEL);
		EXPECT_EQ(t, s->tss_base, (u64)tss);
		for (int i = 0; i < N_EXCEPTION_STACKS; i++)
			EXPECT_EQ(t, s->ist[i], ist[i].end);
		EXPECT_EQ(t, s->sp0, per_cpu_ptr(&cpu_task_stack, cpu)->end);
		EXPECT_EQ(t, s->irq_stack_end, per_cpu_ptr(&cpu_irq_stack, cpu)->end);
		EXPECT_EQ(t, s->apic_id, x86_cpu_to_apicid[cpu]);
		EXPECT_NOT_NULL(t, s->idle);
		if (s->idle)
			EXPECT_EQ(t, s->idle->cpu, cpu);
		/* long mode with paging, and the same control bits the boot CPU set up */
		EXPECT_TRUE(t, s->efer & EFER_LMA);
		EXPECT_EQ(t, s->cr0, selves[0].cr0);
		EXPECT_EQ(t, s->cr4, selves[0].cr4);
		EXPECT_EQ(t, s->efer, selves[0].efer);
	}
}

/* No two CPUs share an area, a stack, an idle task or an APIC ID. */
static void no_two_cpus_share(struct ktest *t)
{
	int a, b;

	smp_require(t, 2);
	collect(t);
	for_each_online_cpu(a)
		for_each_online_cpu(b) {
			if (b <= a)
				continue;
			EXPECT_NE(t, selves[a].gs_base, selves[b].gs_base);
			EXPECT_NE(t, selves[a].gdt_base, selves[b].gdt_base);
			EXPECT_NE(t, selves[a].tss_base, selves[b].tss_base);
			EXPECT_NE(t, selves[a].sp0, selves[b].sp0);
			EXPECT_NE(t, selves[a].irq_stack_end, selves[b].irq_stack_end);
			for (int i = 0; i < N_EXCEPTION_STACKS; i++)
				EXPECT_NE(t, selves[a].ist[i], selves[b].ist[i]);
			EXPECT_NE(t, (unsigned long)selves[a].idle, (unsigned long)selves[b].idle);
			EXPECT_NE(t, selves[a].apic_id, selves[b].apic_id);
		}
}

/* Every CPU has a tick device of its own, and it ticks. */
static void each_cpu_ticks(struct ktest *t)
{
	static unsigned long before[NR_CPUS];
	int cpu;

	collect(t);
	for_each_online_cpu(cpu) {
		before[cpu] = selves[cpu].ticks;
		EXPECT_NOT_NULL(t, selves[cpu].tick_dev);
		ktest_info(t, "cpu%d: tick device %s", cpu, selves[cpu].tick_dev ?: "none");
	}
	msleep(100);
	collect(t);
	for_each_online_cpu(cpu)
		EXPECT_GT(t, selves[cpu].ticks, before[cpu]);
}

static struct ktest_case smpboot_cases[] = {
	KTEST_CASE(each_cpu_has_its_own_areas),
	KTEST_CASE(no_two_cpus_share),
	KTEST_CASE(each_cpu_ticks),
	{},
};
KTEST_SUITE(smpboot, smpboot_cases);

/* Four CPUs in the MADT; the command line keeps some of them off. */
KTEST_BOOT_SMP(smp_nosmp, 4, "nosmp", "smp: brought up 1 of 4 CPUs (nosmp)");
KTEST_BOOT_SMP(smp_maxcpus_2, 4, "maxcpus=2", "smp: brought up 2 of 4 CPUs (maxcpus=2)");
KTEST_BOOT_SMP(smp_maxcpus_0, 4, "maxcpus=0", "smp: brought up 1 of 4 CPUs (maxcpus=0)");
KTEST_BOOT_SMP(smp_all_4, 4, "", "smp: brought up 4 CPUs");
