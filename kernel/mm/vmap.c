/*
 * vmap area allocator: a list of areas sorted by address, first fit.
 * Each area is [start, start + size) and owns one guard page after it
 * (and, for stacks, one before it); the guard pages are never mapped.
 */
#define pr_fmt(fmt) "vmap: " fmt
#include <kernel/vmalloc.h>
#include <kernel/slab.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

enum vm_kind { VM_ALLOC, VM_STACK, VM_IOREMAP, VM_MEMREMAP };

/* Sets of kinds, for find_vm_area(): which areas each free function takes back. */
#define VM_KIND(k)	(1u << (k))
#define VM_KINDS_VFREE	(VM_KIND(VM_ALLOC) | VM_KIND(VM_STACK))

struct vm_area {
	unsigned long start;		/* first mapped byte */
	unsigned long size;		/* mapped bytes */
	unsigned long lo, hi;		/* the reserved range, guards included */
	enum vm_kind kind;
	struct vm_area *next;
};

static DEFINE_SPINLOCK(vmap_lock);
static struct vm_area *areas;		/* L: vmap_lock; sorted by lo */
static unsigned long nr_areas, nr_pages;	/* L: vmap_lock */

/* Reserve a range for size bytes with the given guard pages; NULL if the area is full. */
static struct vm_area *get_vm_area(size_t size, unsigned int guard_before, enum vm_kind kind)
{
	unsigned long need = size + (guard_before + 1) * PAGE_SIZE, lo = VMAP_START, flags;
	struct vm_area *va = kmalloc(sizeof(*va), GFP_KERNEL), **pp;

	if (!va)
		return NULL;
	spin_lock_irqsave(&vmap_lock, flags);
	for (pp = &areas; *pp; pp = &(*pp)->next) {
		if ((*pp)->lo - lo >= need)
			break;
		lo = (*pp)->hi;
	}
	if (VMAP_END - lo < need) {
		spin_unlock_irqrestore(&vmap_lock, flags);
		kfree(va);
		return NULL;
	}
	*va = (struct vm_area){ lo + guard_before * PAGE_SIZE, size, lo, lo + need, kind, *pp };
	*pp = va;
	nr_areas++;
	spin_unlock_irqrestore(&vmap_lock, flags);
	return va;
}

/*
 * The live area starting at start, if its kind is one of kinds (the
 * VM_KIND() set the calling free function takes back), or NULL. An area
 * of another kind stays listed and mapped, so that a mismatched free is
 * only reported, not turned into a leaked mapping whose range the next
 * get_vm_area() would hand out again.
 */
static struct vm_area *find_vm_area(unsigned long start, unsigned int kinds)
{
	struct vm_area *va = NULL;
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	for (struct vm_area *a = areas; a; a = a->next) {
		if (a->start == start) {
			if (kinds & VM_KIND(a->kind))
				va = a;
			break;
		}
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	return va;
}

/*
 * Give the range back. Called after its pages are unmapped, so that a
 * new area can never be handed a range that still has mappings.
 */
static void remove_vm_area(struct vm_area *va)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	for (struct vm_area **pp = &areas; *pp; pp = &(*pp)->next) {
		if (*pp == va) {
			*pp = va->next;
			nr_areas--;
			break;
		}
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
}

/*
 * Pages unmapped between two TLB shootdowns: one IPI round per batch
 * instead of per page, and at most this many frames held back.
 */
#define UNMAP_BATCH	16

/*
 * Unmap the area's pages and, with free_frames, free their frames. A
 * frame goes back only after every CPU has flushed its old mapping:
 * another CPU could otherwise still write to it through a stale TLB
 * entry after it has been handed to someone else.
 */
static void unmap_area(struct vm_area *va, bool free_frames)
{
	unsigned long end = va->start + va->size, batch_start = va->start;
	phys_addr_t pa[UNMAP_BATCH];
	unsigned int n = 0;

	for (unsigned long a = va->start; a < end; a += PAGE_SIZE) {
		phys_addr_t p = slow_virt_to_phys(a);

		if (p != (phys_addr_t)-1 && !unmap_page_noflush(a)) {
			pa[n++] = p;
			__atomic_fetch_sub(&nr_pages, 1, __ATOMIC_RELAXED);
		}
		if (n == UNMAP_BATCH || a + PAGE_SIZE >= end) {
			if (n)
				flush_tlb_kernel_range(batch_start, a + PAGE_SIZE);
			for (unsigned int i = 0; free_frames && i < n; i++)
				frame_free(pa[i]);
			n = 0;
			batch_start = a + PAGE_SIZE;
		}
	}
}

static void *vmalloc_guarded(size_t size, unsigned int guard_before, enum vm_kind kind)
{
	struct vm_area *va;

	size = ALIGN_UP(size ? size : 1, PAGE_SIZE);
	va = get_vm_area(size, guard_before, kind);
	if (!va)
		return NULL;
	for (unsigned long a = va->start; a < va->start + size; a += PAGE_SIZE) {
		phys_addr_t pa = frame_alloc();

		if (!pa || map_page(a, pa, PAGE_KERNEL)) {
			if (pa)
				frame_free(pa);
			va->size = a - va->start;
			unmap_area(va, true);
			remove_vm_area(va);
			kfree(va);
			return NULL;
		}
		__atomic_fetch_add(&nr_pages, 1, __ATOMIC_RELAXED);
	}
	return (void *)va->start;
}

void *vmalloc(size_t size)
{
	return vmalloc_guarded(size, 0, VM_ALLOC);
}

void *vmalloc_stack(size_t size)
{
	return vmalloc_guarded(size, 1, VM_STACK);
}

void vfree(const void *addr)
{
	struct vm_area *va;

	if (!addr)
		return;
	va = find_vm_area((unsigned long)addr, VM_KINDS_VFREE);
	if (WARN(!va, "vfree: %p is not a vmalloc area\n", addr))
		return;
	unmap_area(va, true);
	remove_vm_area(va);
	kfree(va);
}

/* Map the pages holding physical [pa, pa + size) into a new area of the kind, with prot. */
static void *map_phys(phys_addr_t pa, size_t size, enum vm_kind kind, u64 prot)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t len;
	struct vm_area *va;

	if (!size)
		size = 1;		/* still one page, so the area exists to unmap */
	if (pa + size < pa || ALIGN_UP(pa + size, PAGE_SIZE) < pa)	/* wraps around */
		return NULL;
	len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	va = get_vm_area(len, 0, kind);
	if (!va)
		return NULL;
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		if (map_page(va->start + off, base + off, prot)) {
			va->size = off;
			unmap_area(va, false);
			remove_vm_area(va);
			kfree(va);
			return NULL;
		}
		__atomic_fetch_add(&nr_pages, 1, __ATOMIC_RELAXED);
	}
	return (void *)(va->start + (pa - base));
}

void *ioremap(phys_addr_t pa, size_t size)
{
	return map_phys(pa, size, VM_IOREMAP, PAGE_KERNEL_NOCACHE);
}

void *ioremap_wc(phys_addr_t pa, size_t size)
{
	return map_phys(pa, size, VM_IOREMAP, pgprot_writecombine());
}

void iounmap(const void *addr)
{
	struct vm_area *va = find_vm_area(ALIGN_DOWN((unsigned long)addr, PAGE_SIZE),
					  VM_KIND(VM_IOREMAP));

	if (WARN(!va, "iounmap: %p is not an ioremap area\n", addr))
		return;
	unmap_area(va, false);
	remove_vm_area(va);
	kfree(va);
}

/* Whether the direct map already maps every page of [pa, pa + size) to itself. */
static bool in_direct_map(phys_addr_t pa, size_t size)
{
	phys_addr_t end = pa + (size ? size : 1);

	if (end < pa || end > DIRECT_MAP_SIZE)
		return false;
	for (phys_addr_t p = ALIGN_DOWN(pa, PAGE_SIZE); p < end; p += PAGE_SIZE) {
		if (slow_virt_to_phys(PAGE_OFFSET + p) != p)
			return false;
	}
	return true;
}

void *memremap(phys_addr_t pa, size_t size)
{
	if (in_direct_map(pa, size))
		return phys_to_virt(pa);
	return map_phys(pa, size, VM_MEMREMAP, PAGE_KERNEL_RO);
}

void memunmap(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	struct vm_area *va;

	if (!addr || (a >= PAGE_OFFSET && a - PAGE_OFFSET < DIRECT_MAP_SIZE))
		return;			/* memremap() gave the direct map's address */
	va = find_vm_area(ALIGN_DOWN(a, PAGE_SIZE), VM_KIND(VM_MEMREMAP));
	if (WARN(!va, "memunmap: %p is not a memremap area\n", addr))
		return;
	unmap_area(va, false);
	remove_vm_area(va);
	kfree(va);
}

bool vmap_is_guard(unsigned long addr)
{
	bool guard = false;
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	for (struct vm_area *va = areas; va; va = va->next) {
		if (addr >= va->lo && addr < va->hi) {
			guard = addr < va->start || addr >= va->start + va->size;
			break;
		}
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	return guard;
}

void vmap_get_stats(struct vmap_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	st->areas = nr_areas;
	st->pages = __atomic_load_n(&nr_pages, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&vmap_lock, flags);
}
