/*
 * Kernel TLB shootdown (Linux's flush_tlb_kernel_range): the CPU that
 * changed a kernel mapping flushes it locally and has every other online
 * CPU do the same through a function-call IPI, waiting for all of them,
 * so that once the call returns no CPU can still use the old entry (a
 * freed frame read or written through a stale translation). The other
 * CPUs count the shootdowns they ran (the TLB row of the interrupt table).
 */
#include <asm/tlbflush.h>
#include <asm/special_insns.h>
#include <asm/processor-flags.h>
#include <asm/irqflags.h>
#include <asm/hw_irq.h>
#include <asm/page.h>
#include <kernel/smp.h>
#include <kernel/preempt.h>

struct flush_tlb_info {
	unsigned long start, end;
	int initiator;			/* the CPU that asked: it does not count as a shootdown */
};

void __flush_tlb_all(void)
{
	unsigned long flags, cr4;

	local_irq_save(flags);
	cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE) {
		/* clearing PGE drops every entry, global ones too (SDM 4.10.4.1) */
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
	local_irq_restore(flags);
}

static void do_kernel_range_flush(void *arg)
{
	const struct flush_tlb_info *f = arg;

	if ((f->end - f->start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		__flush_tlb_all();
	} else {
		for (unsigned long a = f->start; a < f->end; a += PAGE_SIZE)
			invlpg(a);
	}
	if (smp_processor_id() != f->initiator)
		this_cpu_inc(irq_stat.irq_tlb_count);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_tlb_info info = { start & PAGE_MASK, end, 0 };

	if (end <= start)
		return;
	preempt_disable();
	info.initiator = smp_processor_id();
	/* the cleared entries are in memory before any CPU is asked to re-walk */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (irqs_disabled())
		on_each_cpu_irqs_off_ok(do_kernel_range_flush, &info);
	else
		on_each_cpu(do_kernel_range_flush, &info, 1);
	preempt_enable();
}
