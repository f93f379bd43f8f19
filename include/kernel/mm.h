/*
 * Physical memory: the frame allocator and the per-frame descriptors.
 *
 * Every 4 KiB frame of RAM has a bit in the allocator's bitmap (in use or
 * free) and a struct page that says who owns it when in use. Frames are
 * addressed by physical address; phys_to_virt() gives their direct-map
 * address.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel/types.h>
#include <asm/page.h>

enum page_owner {
	PAGE_OWNER_NONE,		/* free, or reserved at boot */
	PAGE_OWNER_BOOT,		/* reserved: kernel, loader data, firmware */
	PAGE_OWNER_ALLOC,		/* frame_alloc() caller */
	PAGE_OWNER_SLAB,		/* a kmalloc size-class page */
	PAGE_OWNER_LARGE,		/* a large kmalloc: head frame of nr_pages */
	PAGE_OWNER_PGTABLE,		/* a page-table page */
};

struct page {
	u8 owner;			/* enum page_owner */
	u8 slab_class;			/* PAGE_OWNER_SLAB: kmalloc size class */
	u16 reserved;
	u32 nr_pages;			/* PAGE_OWNER_LARGE head: length of the allocation */
};

struct frame_stats {
	unsigned long total;		/* frames of usable RAM */
	unsigned long free;
	unsigned long boot_reserved;	/* usable RAM reserved at boot (kernel, loader data...) */
	unsigned long allocs, frees;	/* calls since boot */
	unsigned long max_pfn;		/* highest usable frame + 1 */
};

/* Build the allocator from boot_info's memory map; reserves the kernel image, loader data and modules. */
void frame_alloc_init(void);
/* One frame, not zeroed; 0 if none is left (frame 0 is never handed out). */
phys_addr_t frame_alloc(void);
/* n contiguous frames aligned to align frames (a power of two); 0 if none. */
phys_addr_t frame_alloc_contig(size_t n, size_t align);
void frame_free(phys_addr_t pa);
void frame_free_contig(phys_addr_t pa, size_t n);
/* Whether a frame is in use (allocated or reserved). */
bool frame_in_use(phys_addr_t pa);
void frame_get_stats(struct frame_stats *st);

/* The descriptor of the frame holding pa; NULL beyond the end of RAM. */
struct page *phys_to_page(phys_addr_t pa);
struct page *virt_to_page(const void *va);

#endif
