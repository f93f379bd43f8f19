/*
 * Keeping the TLBs of all CPUs in step with the kernel page tables
 * (arch/x86_64/mm/tlb.c). A CPU may cache a translation until it is told
 * to drop it; invlpg and CR3/CR4 writes only reach the CPU that runs
 * them, so a removed or weakened kernel mapping is shot down on every
 * online CPU by an IPI (Intel SDM vol. 3A, 4.10.5).
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <kernel/types.h>

/*
 * Above this many pages a range flush drops the whole TLB instead of
 * one invlpg a page (Linux's tlb_single_page_flush_ceiling, 33 too).
 */
#define TLB_SINGLE_PAGE_FLUSH_CEILING	33

/* Drop every translation on this CPU, global ones included (toggles CR4.PGE). */
void __flush_tlb_all(void);
/*
 * Flush [start, end) of the kernel's address space from every online
 * CPU's TLB and return when all have done it. May be called with
 * interrupts off (see on_each_cpu_irqs_off_ok()); not from interrupts.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

#endif
