/* Per-CPU data through the GS base, and this CPU's GDT, TSS and stacks. */
#include <kernel/ktest.h>
#include <kernel/vmalloc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/special_insns.h>

static DEFINE_PER_CPU(unsigned long, test_counter);
static DEFINE_PER_CPU(u8, test_byte);

static void gs_base_is_this_cpu_area(struct ktest *t)
{
	unsigned long gs = rdmsr(MSR_GS_BASE);

	EXPECT_EQ(t, gs, this_cpu_read(this_cpu_off));
	EXPECT_EQ(t, gs, __per_cpu_offset[smp_processor_id()]);
	EXPECT_EQ(t, smp_processor_id(), 0);
	/* the boot CPU uses the section template in the image */
	EXPECT_EQ(t, gs, (unsigned long)__per_cpu_load);
	/* a per-CPU variable's address is its offset in the area */
	EXPECT_EQ(t, (unsigned long)this_cpu_ptr(&test_counter), gs + (unsigned long)&test_counter);
	EXPECT_LT(t, (unsigned long)&test_counter, (unsigned long)(__per_cpu_end - __per_cpu_start));
}

static void this_cpu_ops(struct ktest *t)
{
	unsigned long *p = this_cpu_ptr(&test_counter);

	this_cpu_write(test_counter, 40);
	EXPECT_EQ(t, *p, 40);
	this_cpu_inc(test_counter);
	this_cpu_add(test_counter, 10);
	EXPECT_EQ(t, this_cpu_read(test_counter), 51);
	this_cpu_dec(test_counter);
	EXPECT_EQ(t, *p, 50);
	this_cpu_write(test_byte, 0xfe);
	this_cpu_inc(test_byte);
	EXPECT_EQ(t, this_cpu_read(test_byte), 0xff);
	EXPECT_EQ(t, per_cpu(test_byte, 0), 0xff);
}

static void gdt_and_tss_loaded(struct ktest *t)
{
	struct desc_ptr gdtr;
	u16 cs, ds, ss;
	struct tss_struct *tss = this_cpu_ptr(&cpu_tss);

	store_gdt(&gdtr);
	EXPECT_EQ(t, gdtr.address, (u64)this_cpu_ptr(&gdt_page[0]));
	EXPECT_EQ(t, gdtr.size, GDT_ENTRIES * 8 - 1);
	EXPECT_EQ(t, store_tr(), __TSS_SEL);
	__asm__ __volatile__("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2" : "=r"(cs), "=r"(ds), "=r"(ss));
	EXPECT_EQ(t, cs, __KERNEL_CS);
	EXPECT_EQ(t, ds, __KERNEL_DS);
	EXPECT_EQ(t, ss, __KERNEL_DS);
	/* the loaded TSS descriptor is busy (type 0xb) and points at this CPU's TSS */
	u64 lo = this_cpu_ptr(&gdt_page[0])[GDT_ENTRY_TSS], hi = this_cpu_ptr(&gdt_page[0])[GDT_ENTRY_TSS + 1];
	u64 base = ((lo >> 16) & 0xffffff) | (((lo >> 56) & 0xff) << 24) | (hi << 32);
	EXPECT_EQ(t, base, (u64)tss);
	EXPECT_EQ(t, (lo >> 40) & 0xf, 0xb);
	/* user segments carry DPL 3, kernel ones DPL 0; code segments are 64-bit (L) */
	u64 *gdt = this_cpu_ptr(&gdt_page[0]);
	EXPECT_EQ(t, (gdt[GDT_ENTRY_KERNEL_CS] >> 45) & 3, 0);
	EXPECT_EQ(t, (gdt[GDT_ENTRY_USER_CS] >> 45) & 3, 3);
	EXPECT_EQ(t, (gdt[GDT_ENTRY_USER_DS] >> 45) & 3, 3);
	EXPECT_EQ(t, (gdt[GDT_ENTRY_KERNEL_CS] >> 53) & 1, 1);
	EXPECT_EQ(t, (gdt[GDT_ENTRY_USER_CS] >> 53) & 1, 1);
	EXPECT_EQ(t, tss->io_bitmap_base, sizeof(*tss));
}

/* Every IST stack and the task stack: guarded, and what the TSS points at. */
static void stacks_have_guard_pages(struct ktest *t)
{
	struct tss_struct *tss = this_cpu_ptr(&cpu_tss);
	struct stack_info *ist = this_cpu_ptr(&cpu_ist_stacks[0]);
	struct stack_info *task = this_cpu_ptr(&cpu_task_stack);
	unsigned long sp = read_rsp();

	for (int i = 0; i < N_EXCEPTION_STACKS; i++) {
		EXPECT_EQ(t, tss->ist[i], ist[i].end);
		EXPECT_EQ(t, ist[i].end - ist[i].begin, EXCEPTION_STKSZ);
		EXPECT_NOT_NULL(t, lookup_address(ist[i].begin, NULL));
		EXPECT_NULL(t, lookup_address(ist[i].begin - 1, NULL));
		EXPECT_TRUE(t, vmap_is_guard(ist[i].begin - 1));
	}
	EXPECT_EQ(t, tss->sp0, task->end);
	EXPECT_EQ(t, task->end - task->begin, THREAD_SIZE);
	EXPECT_TRUE(t, sp >= task->begin && sp < task->end);
	EXPECT_NULL(t, lookup_address(task->begin - 1, NULL));
	EXPECT_TRUE(t, vmap_is_guard(task->begin - 1));
}

static struct ktest_case percpu_cases[] = {
	KTEST_CASE(gs_base_is_this_cpu_area),
	KTEST_CASE(this_cpu_ops),
	KTEST_CASE(gdt_and_tss_loaded),
	KTEST_CASE(stacks_have_guard_pages),
	{},
};
KTEST_SUITE(percpu, percpu_cases);
