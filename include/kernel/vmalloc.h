/*
 * The vmap area (VMAP_START..VMAP_END): virtually contiguous kernel
 * mappings, each followed by an unmapped guard page, and for stacks also
 * preceded by one, so that running off either end faults at once.
 */
#ifndef KERNEL_VMALLOC_H
#define KERNEL_VMALLOC_H

#include <kernel/types.h>

/* size bytes (rounded up to pages) of RAM, mapped writable and NX; NULL if out of memory. */
void *vmalloc(size_t size);
void vfree(const void *addr);

/*
 * A kernel stack of size bytes with an unmapped guard page directly
 * below it (where an overflow runs) and one above. Returns the lowest
 * address of the stack; the stack pointer starts at base + size.
 */
void *vmalloc_stack(size_t size);

/* Map physical MMIO [pa, pa + size) uncached; returns the address of pa. */
void *ioremap(phys_addr_t pa, size_t size);
/*
 * Map physical [pa, pa + size) write-combining (uncached where the CPU has
 * no PAT): for framebuffers, which are written, seldom read. Undo with iounmap().
 */
void *ioremap_wc(phys_addr_t pa, size_t size);
void iounmap(const void *addr);

/**
 * memremap - map physical memory that is not MMIO (firmware tables) for reading
 * @pa: the first byte
 * @size: how many bytes
 *
 * When the direct map already covers every page of the range (RAM, ACPI
 * reclaim/NVS memory, the first MiB), returns its direct-map address;
 * otherwise (memory the memory map calls reserved) maps the pages into
 * the vmap area cached and read-only (PAGE_KERNEL_RO). Either way the
 * caller only reads through the result.
 *
 * Return: the address of pa, or NULL if the range wraps around, cannot be
 * mapped (pa beyond the physical address width) or memory is short.
 */
void *memremap(phys_addr_t pa, size_t size);
/**
 * memunmap - undo memremap()
 * @addr: what memremap() returned (NULL and direct-map addresses are ignored)
 *
 * Warns, and leaves the mapping alone, if addr is not a memremap() area.
 */
void memunmap(const void *addr);

/* Whether addr lies in a guard page of the vmap area. */
bool vmap_is_guard(unsigned long addr);

struct vmap_stats {
	unsigned long areas;		/* live mappings */
	unsigned long pages;		/* pages mapped in them */
};
void vmap_get_stats(struct vmap_stats *st);

#endif
