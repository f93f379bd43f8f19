/*
 * Kernel TLB shootdown across CPUs. The unmapping CPU invalidates the
 * range itself with invlpg, then asks every other online CPU for a full
 * flush with an IPI on INVALIDATE_TLB_VECTOR and waits until each has
 * done one that started after the request.
 *
 * Requests are numbered (tlb_flush_gen); each CPU records the newest
 * number it has flushed for (tlb_flushed_gen). A full flush serves every
 * request made before it started, so one IPI may answer several, and
 * the IPI carries no argument. Kernel mappings are global (PGE), which
 * a CR3 reload keeps: the full flush toggles CR4.PGE instead.
 */
#define pr_fmt(fmt) "tlb: " fmt
#include <asm/tlbflush.h>
#include <asm/special_insns.h>
#include <asm/processor-flags.h>
#include <asm/irq_vectors.h>
#include <asm/hw_irq.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/irqflags.h>
#include <asm/page.h>
#include <kernel/smp.h>
#include <kernel/preempt.h>
#include <kernel/time.h>
#include <kernel/bug.h>
#include <kernel/printk.h>

static unsigned long tlb_flush_gen;		/* requests so far */
static DEFINE_PER_CPU(unsigned long, tlb_flushed_gen);

/* Every TLB entry of this CPU, global ones too. Interrupts off. */
static void __flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		flush_tlb_local();
	}
}

/* Serve the requests made so far, if this CPU has not yet. Interrupts off. */
static void tlb_serve_requests(void)
{
	unsigned long gen = __atomic_load_n(&tlb_flush_gen, __ATOMIC_ACQUIRE);

	if (this_cpu_read(tlb_flushed_gen) == gen)
		return;
	__flush_tlb_all();
	/* published after the flush: the requester may free the pages once it sees this */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	this_cpu_write(tlb_flushed_gen, gen);
}

static void invalidate_tlb_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	tlb_serve_requests();
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long flags, gen;
	u64 deadline;
	int self, cpu;

	for (unsigned long a = start & PAGE_MASK; a < end; a += PAGE_SIZE)
		invlpg(a);
	if (num_online_cpus() < 2)
		return;
	local_irq_save(flags);
	self = smp_processor_id();
	/* the page tables were changed before: a CPU that flushes for this number sees the change */
	gen = __atomic_add_fetch(&tlb_flush_gen, 1, __ATOMIC_SEQ_CST);
	for_each_online_cpu(cpu)
		if (cpu != self && (long)(READ_ONCE(per_cpu(tlb_flushed_gen, cpu)) - gen) < 0)
			apic_send_ipi(x86_cpu_to_apicid[cpu], INVALIDATE_TLB_VECTOR);
	deadline = ktime_get_ns() + 5 * NSEC_PER_SEC;
	for_each_online_cpu(cpu) {
		if (cpu == self)
			continue;
		while ((long)(READ_ONCE(per_cpu(tlb_flushed_gen, cpu)) - gen) < 0) {
			tlb_serve_requests();	/* another CPU may be waiting for us meanwhile */
			cpu_relax();
			/* a CPU stopped with interrupts off (after a crash) would never answer */
			if (ktime_get_ns() > deadline) {
				WARN_ONCE(1, "CPU%d does not answer TLB shootdowns\n", cpu);
				break;
			}
		}
	}
	local_irq_restore(flags);
}

void tlb_init_ipi(void)
{
	sysvec_register(INVALIDATE_TLB_VECTOR, invalidate_tlb_interrupt, "TLB shootdowns");
}
