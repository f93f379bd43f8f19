/*
 * TLB shootdown (Linux's asm/tlbflush.h): a kernel mapping taken away on
 * one CPU may still sit in the TLB of every other CPU, which would go on
 * reading and writing the old page through it. Whoever unmaps kernel
 * pages flushes them everywhere before the frames or the range are
 * handed out again.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

/*
 * Invalidate the kernel mappings of [start, end) on every online CPU and
 * return when all of them did. Any context but NMI; interrupts may be
 * off (the wait also serves the other CPUs' requests, so two CPUs
 * flushing at once do not wait for each other forever). The caller must
 * not hold a spinlock another CPU may spin on with interrupts off.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/* Install the shootdown IPI handler (before the other CPUs come up). */
void tlb_init_ipi(void);

#endif
