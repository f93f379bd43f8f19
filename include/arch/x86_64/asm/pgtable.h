/*
 * 4-level page tables (Intel SDM vol. 3A, 4.5): map, unmap and protect
 * kernel pages, look translations up, and build the kernel's tables.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <kernel/types.h>
#include <asm/page.h>

#define _PAGE_PRESENT	(1ull << 0)
#define _PAGE_RW	(1ull << 1)
#define _PAGE_USER	(1ull << 2)
#define _PAGE_PWT	(1ull << 3)
#define _PAGE_PCD	(1ull << 4)
#define _PAGE_ACCESSED	(1ull << 5)
#define _PAGE_DIRTY	(1ull << 6)
#define _PAGE_PSE	(1ull << 7)	/* large page (in a PMD or PUD entry) */
#define _PAGE_GLOBAL	(1ull << 8)
#define _PAGE_NX	(1ull << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ull
#define PTE_FLAGS_MASK	(~PTE_ADDR_MASK)

/* Protections for map_page(), named as Linux's pgprot values. */
#define PAGE_KERNEL		(_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO		(_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RX		(_PAGE_PRESENT | _PAGE_GLOBAL)
#define PAGE_KERNEL_EXEC	(_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE	(PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

/*
 * Write-combining, for framebuffers: with the PAT programmed as Linux
 * does (cpu_init_features(): entry 1, PWT alone, is WC), else uncached.
 */
u64 pgprot_writecombine(void);

/*
 * The PAT as Linux programs it (Linux's arch/x86/mm/pat): entries 0-7 =
 * WB, WC, UC-, UC, WB, WP, UC-, WT. Entries 0, 2 and 3 keep their power-on
 * values (WB, UC-, UC), so PAGE_KERNEL and PAGE_KERNEL_NOCACHE mean the
 * same with or without it.
 */
#define PAT_LINUX		0x0407050600070106ull

/* Program this CPU's PAT (when it has one); every CPU calls it while it starts. */
void pat_init_cpu(void);

/* Bits the CPU accepts in entries: _PAGE_NX only if it has NX. */
extern u64 __supported_pte_mask;

/*
 * Map the 4 KiB page at va to pa with prot in the kernel's tables.
 * -EINVAL: va or pa unaligned or va not canonical; -EEXIST: va is mapped;
 * -ENOMEM: no frame for a page table. A large page in the way is split.
 */
int map_page(unsigned long va, phys_addr_t pa, u64 prot);
/*
 * Remove the 4 KiB mapping at va and flush it from every online CPU's
 * TLB (flush_tlb_kernel_range()); -ENOENT if none.
 */
int unmap_page(unsigned long va);
/*
 * unmap_page() without the flush: the caller batches pages and calls
 * flush_tlb_kernel_range() on them before the frames or the range are
 * reused.
 */
int unmap_page_noflush(unsigned long va);
/* Change the protection of the 4 KiB page at va (flushed on every CPU); -ENOENT if not mapped. */
int protect_page(unsigned long va, u64 prot);
/*
 * The entry that maps va (a PTE, or a PMD/PUD for a large page) and its
 * level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB), or NULL if va is not mapped.
 */
u64 *lookup_address(unsigned long va, int *level);
/* The physical address va maps to, or (phys_addr_t)-1. */
phys_addr_t slow_virt_to_phys(unsigned long va);
/* Print the walk for addr, as the page-fault oops does. */
void dump_pagetable(unsigned long addr);
/* Build the kernel's final tables (image with W^X permissions, direct map) and switch to them. */
void paging_init(void);

#endif
