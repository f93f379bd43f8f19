/*
 * Kernel TLB shootdown (arch/x86_64/mm/tlb.c): once a kernel mapping is
 * removed or weakened, no CPU may still use it. Each case first makes
 * every CPU use the mapping (so it sits in each CPU's TLB; under TCG the
 * soft-MMU TLB of each vCPU behaves the same way and is only emptied by
 * that vCPU's own invlpg or CR3/CR4 write), changes it on one CPU, then
 * has every CPU touch it through an exception-table fixup: each must
 * take the #PF. A CPU left with a stale entry would read the page.
 */
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/errno.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <asm/extable.h>
#include <asm/trapnr.h>
#include <asm/hw_irq.h>
#include "sched_test.h"

#define PF_PROT		(1ul << 0)
#define PF_WRITE	(1ul << 1)
#define PATTERN		0x5eed5eed5eed5eedull

/* What each CPU saw when it touched the address. */
struct touch {
	unsigned long addr;
	bool write;
	int faulted[NR_CPUS];		/* 1: took the fixup */
	unsigned long ec[NR_CPUS];	/* its #PF error code */
	u64 value[NR_CPUS];		/* what a read returned */
};

/* Write v to *p; -EFAULT if it faulted (the fixup skips the store). */
static int put_kernel_u64(u64 *p, u64 v)
{
	int err = 0;

	__asm__ __volatile__("1:	movq %[v], (%[p])\n"
			     "2:\n"
			     " .pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[efault], %[err]\n"
			     "	jmp 2b\n"
			     " .popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [err] "+r"(err)
			     : [p] "r"(p), [v] "r"(v), [efault] "i"(-EFAULT)
			     : "memory");
	return err;
}

/* Runs on each CPU (from the call IPI): read or write the address, fault or not. */
static void touch_here(void *arg)
{
	struct touch *tc = arg;
	struct fixup_record *r = this_cpu_fixup_record();
	int cpu = smp_processor_id();
	unsigned long before = r->count;
	u64 v = 0;
	long err;

	if (tc->write)
		err = put_kernel_u64((u64 *)tc->addr, PATTERN + cpu);
	else
		err = copy_from_kernel_nofault(&v, (void *)tc->addr, sizeof(v));
	tc->faulted[cpu] = err != 0;
	tc->value[cpu] = v;
	tc->ec[cpu] = err && r->count == before + 1 && r->trapnr == X86_TRAP_PF ? r->error_code : ~0ul;
}

/* Have every online CPU touch addr, one after the other, waiting for each. */
static void touch_everywhere(struct ktest *t, struct touch *tc, unsigned long addr, bool write)
{
	int cpu;

	memset(tc, 0, sizeof(*tc));
	tc->addr = addr;
	tc->write = write;
	for_each_online_cpu(cpu)
		ASSERT_EQ(t, smp_call_function_single(cpu, touch_here, tc, 1), 0);
}

static void need_cpus(struct ktest *t, unsigned int n)
{
	if (num_online_cpus() < n)
		ktest_skip(t, "needs %u CPUs, %u online", n, num_online_cpus());
}

static struct touch tc;

/*
 * One page: every CPU reads it, it is unmapped on this CPU, and every
 * CPU's read then faults (not-present). The vmalloc area stays reserved
 * meanwhile, so nothing else can map the address in between.
 */
static void unmap_faults_on_every_cpu(struct ktest *t)
{
	u64 *p;
	phys_addr_t pa;
	int cpu;

	need_cpus(t, 2);
	p = vmalloc(PAGE_SIZE);
	ASSERT_NOT_NULL(t, p);
	*p = PATTERN;
	pa = slow_virt_to_phys((unsigned long)p);
	touch_everywhere(t, &tc, (unsigned long)p, false);
	for_each_online_cpu(cpu) {
		EXPECT_FALSE(t, tc.faulted[cpu]);
		EXPECT_EQ(t, tc.value[cpu], PATTERN);
	}

	ASSERT_EQ(t, unmap_page((unsigned long)p), 0);
	touch_everywhere(t, &tc, (unsigned long)p, false);
	for_each_online_cpu(cpu) {
		EXPECT_TRUE(t, tc.faulted[cpu]);
		EXPECT_EQ(t, tc.ec[cpu], 0);		/* not-present, supervisor read */
		if (!tc.faulted[cpu])
			ktest_info(t, "CPU%d read %#llx through a stale TLB entry", cpu,
				   (unsigned long long)tc.value[cpu]);
	}

	ASSERT_EQ(t, map_page((unsigned long)p, pa, PAGE_KERNEL), 0);
	vfree(p);
}

/* Read-only on one CPU: every CPU's write then faults (protection, write), and the page keeps its value. */
static void protect_faults_on_every_cpu(struct ktest *t)
{
	u64 *p, before;
	int cpu;

	need_cpus(t, 2);
	p = vmalloc(PAGE_SIZE);
	ASSERT_NOT_NULL(t, p);
	*p = 0;
	/* a write from each CPU puts a writable entry in each TLB */
	touch_everywhere(t, &tc, (unsigned long)p, true);
	for_each_online_cpu(cpu)
		EXPECT_FALSE(t, tc.faulted[cpu]);

	before = READ_ONCE(p[0]);
	ASSERT_EQ(t, protect_page((unsigned long)p, PAGE_KERNEL_RO), 0);
	touch_everywhere(t, &tc, (unsigned long)p, true);
	for_each_online_cpu(cpu) {
		EXPECT_TRUE(t, tc.faulted[cpu]);
		EXPECT_EQ(t, tc.ec[cpu], PF_PROT | PF_WRITE);
	}
	EXPECT_EQ(t, READ_ONCE(p[0]), before);
	ASSERT_EQ(t, protect_page((unsigned long)p, PAGE_KERNEL), 0);
	vfree(p);
}

/*
 * A range above the single-page ceiling is flushed whole (CR4.PGE
 * toggled: the pages are global). Every page was read on every CPU;
 * after one flush of the range, the first, a middle and the last page
 * fault everywhere.
 */
static void big_range_full_flush(struct ktest *t)
{
	enum { PAGES = TLB_SINGLE_PAGE_FLUSH_CEILING + 7 };
	static phys_addr_t pa[PAGES];
	const int probe[] = { 0, PAGES / 2, PAGES - 1 };
	unsigned long base;
	u8 *p;
	int cpu;

	need_cpus(t, 2);
	p = vmalloc(PAGES * PAGE_SIZE);
	ASSERT_NOT_NULL(t, p);
	base = (unsigned long)p;
	for (int i = 0; i < PAGES; i++) {
		*(u64 *)(p + i * PAGE_SIZE) = PATTERN;
		pa[i] = slow_virt_to_phys(base + i * PAGE_SIZE);
	}
	for (int i = 0; i < PAGES; i++)
		touch_everywhere(t, &tc, base + i * PAGE_SIZE, false);

	for (int i = 0; i < PAGES; i++)
		ASSERT_EQ(t, unmap_page_noflush(base + i * PAGE_SIZE), 0);
	flush_tlb_kernel_range(base, base + PAGES * PAGE_SIZE);
	for (unsigned int k = 0; k < ARRAY_SIZE(probe); k++) {
		touch_everywhere(t, &tc, base + probe[k] * PAGE_SIZE, false);
		for_each_online_cpu(cpu)
			EXPECT_TRUE(t, tc.faulted[cpu]);
	}

	for (int i = 0; i < PAGES; i++)
		ASSERT_EQ(t, map_page(base + i * PAGE_SIZE, pa[i], PAGE_KERNEL), 0);
	vfree(p);
}

/* Every other CPU counts the shootdown it ran (the TLB row of the interrupt table). */
static void tlb_counters_grow_on_others(struct ktest *t)
{
	unsigned int before[NR_CPUS];
	int cpu, self;
	void *p;

	need_cpus(t, 2);
	p = vmalloc(PAGE_SIZE);
	ASSERT_NOT_NULL(t, p);
	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(per_cpu(irq_stat.irq_tlb_count, cpu));
	preempt_disable();
	self = smp_processor_id();
	vfree(p);		/* its unmap is shot down from here */
	preempt_enable();
	for_each_online_cpu(cpu) {
		unsigned int now = READ_ONCE(per_cpu(irq_stat.irq_tlb_count, cpu));

		if (cpu != self)
			EXPECT_GT(t, now, before[cpu]);
	}
}

/*
 * Shootdowns with interrupts off (as when the scheduler frees a dead
 * task's stack) from all CPUs at once: each waits for the others while
 * they wait for it, which only works because a waiter with interrupts
 * off serves its own call queue. A deadlock would hang the case.
 */
enum { IRQS_OFF_ROUNDS = 200 };
static int irqs_off_done;

static int irqs_off_flusher(void *arg)
{
	unsigned long base = (unsigned long)arg, flags;

	for (int i = 0; i < IRQS_OFF_ROUNDS; i++) {
		local_irq_save(flags);
		flush_tlb_kernel_range(base, base + PAGE_SIZE);
		local_irq_restore(flags);
	}
	__atomic_add_fetch(&irqs_off_done, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static struct st_threads flushers;

static void irqs_off_shootdowns_concurrent(struct ktest *t)
{
	int n = (int)num_online_cpus();
	void *p;

	need_cpus(t, 2);
	p = vmalloc(PAGE_SIZE);
	ASSERT_NOT_NULL(t, p);
	irqs_off_done = 0;
	for (int cpu = 0; cpu < n; cpu++) {
		struct task_struct *k = kthread_create(irqs_off_flusher, p, "tlb_flusher/%d", cpu);

		ASSERT_FALSE(t, IS_ERR(k));
		kthread_bind(k, cpu);
		st_track(&flushers, k);
		wake_up_process(k);
	}
	EXPECT_TRUE(t, wait_until(__atomic_load_n(&irqs_off_done, __ATOMIC_ACQUIRE) == n, 120000));
	st_stop_all(&flushers);
	vfree(p);
}

static void tlb_exit(struct ktest *t)
{
	st_stop_all(&flushers);
}

static struct ktest_case tlb_cases[] = {
	KTEST_CASE(unmap_faults_on_every_cpu),
	KTEST_CASE(protect_faults_on_every_cpu),
	KTEST_CASE(big_range_full_flush),
	KTEST_CASE(tlb_counters_grow_on_others),
	KTEST_CASE(irqs_off_shootdowns_concurrent),
	{}
};
KTEST_SUITE(tlb_shootdown, tlb_cases, .exit = tlb_exit);
