/*
 * The kernel's virtual memory layout (4-level paging, 48-bit addresses):
 *
 *   0000000000000000 - 00007fffffffffff  user space (unused until ring 3 arrives)
 *   ffff800000000000 - ffffbfffffffffff  direct map of all physical memory (PAGE_OFFSET)
 *   ffffc90000000000 - ffffc9ffffffffff  vmap area: stacks with guard pages, MMIO
 *   ffffffff80000000 - ffffffffbfffffff  kernel image (KERNEL_VMA + physical address)
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1ul << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PMD_SHIFT		21
#define PMD_SIZE		(1ul << PMD_SHIFT)	/* one 2 MiB large page */
#define PUD_SHIFT		30
#define PUD_SIZE		(1ul << PUD_SHIFT)	/* one 1 GiB huge page */
#define PGDIR_SHIFT		39

#define KERNEL_VMA		0xffffffff80000000ul
#define KERNEL_PHYS_BASE	0x200000ul	/* where the image is loaded: 2 MiB */
#define PAGE_OFFSET		0xffff800000000000ul
#define DIRECT_MAP_SIZE		(64ul << 40)	/* up to 64 TiB of RAM */
#define VMAP_START		0xffffc90000000000ul
#define VMAP_END		0xffffca0000000000ul

#ifndef __ASSEMBLER__
#include <kernel/types.h>

/* Kernel virtual addresses of physical memory, through the direct map. */
static inline void *phys_to_virt(phys_addr_t pa) { return (void *)(pa + PAGE_OFFSET); }

/* Physical address of a direct-map or kernel-image address. */
static inline phys_addr_t virt_to_phys(const void *va)
{
	unsigned long a = (unsigned long)va;
	return a >= KERNEL_VMA ? a - KERNEL_VMA : a - PAGE_OFFSET;
}

static inline bool is_canonical(unsigned long a)
{
	return (unsigned long)((long)(a << 16) >> 16) == a;
}
#endif

#endif
