/*
 * The vmap area (kernel/mm/vmap.c): vmalloc() and vmalloc_stack() map
 * fresh frames between unmapped guard pages, vfree() takes mappings and
 * frames back, ioremap() maps MMIO uncached. Accesses that must fault go
 * through copy_from_kernel_nofault(), whose fixup leaves the fault's
 * details in this CPU's fixup record.
 */
#include <kernel/ktest.h>
#include <kernel/bootinfo.h>
#include <kernel/vmalloc.h>
#include <kernel/mm.h>
#include <kernel/bug.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <asm/pgtable.h>
#include <asm/extable.h>
#include <asm/trapnr.h>

#define VGA_TEXT	0xb8000ul	/* 80x25 text mode, two bytes a cell */
#define VGA_TEXT_SIZE	4000

static unsigned long free_frames(void)
{
	struct frame_stats st;

	frame_get_stats(&st);
	return st.free;
}

/* Read one byte at addr; true if it faulted (then *ec is the #PF error code). */
static bool read_faults(unsigned long addr, unsigned long *ec, unsigned long *cr2)
{
	struct fixup_record *r = this_cpu_fixup_record();
	unsigned long before = r->count;
	u8 v;

	if (copy_from_kernel_nofault(&v, (void *)addr, 1) == 0)
		return false;
	*ec = r->count == before + 1 && r->trapnr == X86_TRAP_PF ? r->error_code : ~0ul;
	*cr2 = r->cr2;
	return true;
}

/* A page that is not mapped: lookup fails and a read takes a not-present #PF at addr. */
#define EXPECT_UNMAPPED(t, addr) do {						\
	unsigned long __ec = 0, __cr2 = 0;					\
	EXPECT_NULL(t, lookup_address(addr, NULL));				\
	EXPECT_TRUE(t, read_faults(addr, &__ec, &__cr2));			\
	EXPECT_EQ(t, __ec, 0);							\
	EXPECT_EQ(t, __cr2, (unsigned long)(addr));				\
} while (0)

/* A writable, NX, present 4 KiB page. */
static bool mapped_rw_nx(unsigned long va)
{
	int level = 0;
	u64 *e = lookup_address(va, &level);
	u64 want = _PAGE_PRESENT | _PAGE_RW | (__supported_pte_mask & _PAGE_NX);

	return e && level == 1 && (*e & (want | _PAGE_USER)) == want;
}

/*
 * vmalloc() once and free it, so the size's area, the page tables under
 * it and the kmalloc object describing it exist: the measured round
 * after it then moves only the frames of the area itself.
 */
static void warm_up(size_t size)
{
	vfree(vmalloc(size));
}

static void vmalloc_maps_fresh_frames(struct ktest *t)
{
	enum { SIZE = 3 * PAGE_SIZE + 100, PAGES = 4 };
	struct vmap_stats a, b;
	unsigned long free0, va;
	phys_addr_t pa[PAGES];
	u8 *p;

	warm_up(SIZE);
	vmap_get_stats(&a);
	free0 = free_frames();
	p = vmalloc(SIZE);
	ASSERT_NOT_NULL(t, p);
	va = (unsigned long)p;
	EXPECT_EQ(t, va % PAGE_SIZE, 0);
	EXPECT_TRUE(t, va >= VMAP_START && va + PAGES * PAGE_SIZE <= VMAP_END);
	EXPECT_EQ(t, free_frames(), free0 - PAGES);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas + 1);
	EXPECT_EQ(t, b.pages, a.pages + PAGES);
	for (int i = 0; i < PAGES; i++) {
		EXPECT_TRUE(t, mapped_rw_nx(va + i * PAGE_SIZE));
		pa[i] = slow_virt_to_phys(va + i * PAGE_SIZE);
		EXPECT_TRUE(t, frame_in_use(pa[i]));
		EXPECT_EQ(t, phys_to_page(pa[i])->owner, PAGE_OWNER_ALLOC);
		for (int j = 0; j < i; j++)
			EXPECT_NE(t, pa[i], pa[j]);
		EXPECT_FALSE(t, vmap_is_guard(va + i * PAGE_SIZE));
	}
	/* usable across page boundaries, and the frames hold what was written */
	for (int i = 0; i < PAGES * (int)PAGE_SIZE; i++)
		p[i] = (u8)(i % 251);
	for (int i = 0; i < PAGES; i++)
		EXPECT_EQ(t, *(u8 *)phys_to_virt(pa[i] + 17), (u8)((i * PAGE_SIZE + 17) % 251));
	vfree(p);
}

static void vmalloc_has_guard_page_after(struct ktest *t)
{
	u8 *p = vmalloc(2 * PAGE_SIZE);
	unsigned long end;

	ASSERT_NOT_NULL(t, p);
	end = (unsigned long)p + 2 * PAGE_SIZE;
	EXPECT_TRUE(t, vmap_is_guard(end));
	EXPECT_TRUE(t, vmap_is_guard(end + PAGE_SIZE - 1));
	EXPECT_FALSE(t, vmap_is_guard(end - 1));
	EXPECT_UNMAPPED(t, end);
	EXPECT_UNMAPPED(t, end + 0x80);
	/* the area itself reads fine */
	unsigned long ec, cr2;
	p[2 * PAGE_SIZE - 1] = 7;
	EXPECT_FALSE(t, read_faults(end - 1, &ec, &cr2));
	vfree(p);
}

static void vmalloc_stack_is_guarded_both_sides(struct ktest *t)
{
	enum { SIZE = 2 * PAGE_SIZE };
	struct vmap_stats a, b;
	unsigned long base;
	u8 *s;

	vmap_get_stats(&a);
	s = vmalloc_stack(SIZE);
	ASSERT_NOT_NULL(t, s);
	base = (unsigned long)s;
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas + 1);
	EXPECT_EQ(t, b.pages, a.pages + SIZE / PAGE_SIZE);
	/* below: where an overflow runs */
	EXPECT_TRUE(t, vmap_is_guard(base - 1));
	EXPECT_TRUE(t, vmap_is_guard(base - PAGE_SIZE));
	EXPECT_UNMAPPED(t, base - 8);
	EXPECT_UNMAPPED(t, base - PAGE_SIZE);
	/* above */
	EXPECT_TRUE(t, vmap_is_guard(base + SIZE));
	EXPECT_UNMAPPED(t, base + SIZE);
	/* in between: the stack */
	EXPECT_FALSE(t, vmap_is_guard(base));
	EXPECT_FALSE(t, vmap_is_guard(base + SIZE - 1));
	EXPECT_TRUE(t, mapped_rw_nx(base));
	EXPECT_TRUE(t, mapped_rw_nx(base + PAGE_SIZE));
	memset(s, 0x77, SIZE);
	vfree(s);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
	EXPECT_FALSE(t, vmap_is_guard(base - 1));
}

static void vfree_unmaps_and_returns_frames(struct ktest *t)
{
	enum { PAGES = 3 };
	struct vmap_stats a, b;
	unsigned long free0, va, warns;
	phys_addr_t pa[PAGES];
	void *p;

	warm_up(PAGES * PAGE_SIZE);
	vmap_get_stats(&a);
	free0 = free_frames();
	p = vmalloc(PAGES * PAGE_SIZE);
	ASSERT_NOT_NULL(t, p);
	va = (unsigned long)p;
	for (int i = 0; i < PAGES; i++)
		pa[i] = slow_virt_to_phys(va + i * PAGE_SIZE);
	warns = warn_count;
	vfree(p);
	EXPECT_EQ(t, warn_count, warns);
	for (int i = 0; i < PAGES; i++) {
		EXPECT_UNMAPPED(t, va + i * PAGE_SIZE);
		EXPECT_FALSE(t, frame_in_use(pa[i]));
	}
	EXPECT_EQ(t, free_frames(), free0);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
	/* the range and its guard are no longer reserved */
	EXPECT_FALSE(t, vmap_is_guard(va + PAGES * PAGE_SIZE));
}

static void vfree_refuses_what_vmalloc_did_not_give(struct ktest *t)
{
	struct vmap_stats a, b;
	unsigned long warns = warn_count;
	u8 *p = vmalloc(PAGE_SIZE);

	ASSERT_NOT_NULL(t, p);
	vmap_get_stats(&a);
	vfree(NULL);
	EXPECT_EQ(t, warn_count, warns);
	vfree(p + 16);				/* not the start of the area */
	EXPECT_EQ(t, warn_count, warns + 1);
	vfree((void *)(VMAP_END - PAGE_SIZE));	/* no area there */
	EXPECT_EQ(t, warn_count, warns + 2);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
	EXPECT_TRUE(t, mapped_rw_nx((unsigned long)p));
	vfree(p);
	EXPECT_EQ(t, warn_count, warns + 2);
}

static void ioremap_maps_vga_text_uncached(struct ktest *t)
{
	struct vmap_stats a, b;
	volatile u16 *io, *direct = phys_to_virt(VGA_TEXT);
	unsigned long va, mismatch = 0, free0 = free_frames();
	u64 *pte;
	u16 old;

	/* under UEFI the legacy VGA window may not decode: writes there read back as 0xffff */
	if (boot_info.has_framebuffer && boot_info.fb.type != 2)
		ktest_skip(t, "the loader set a graphics mode: no VGA text memory at 0xb8000");
	vmap_get_stats(&a);
	io = ioremap(VGA_TEXT, VGA_TEXT_SIZE);
	ASSERT_NOT_NULL(t, io);
	va = (unsigned long)io;
	EXPECT_EQ(t, va % PAGE_SIZE, 0);
	EXPECT_TRUE(t, va >= VMAP_START && va < VMAP_END);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas + 1);
	EXPECT_EQ(t, b.pages, a.pages + 1);
	pte = lookup_address(va, NULL);
	ASSERT_NOT_NULL(t, pte);
	EXPECT_EQ(t, *pte & PTE_ADDR_MASK, VGA_TEXT);
	EXPECT_EQ(t, *pte & (_PAGE_PCD | _PAGE_PWT), _PAGE_PCD | _PAGE_PWT);
	EXPECT_TRUE(t, mapped_rw_nx(va));
	EXPECT_TRUE(t, vmap_is_guard(va + PAGE_SIZE));
	/* the same memory as the direct map shows */
	for (int i = 0; i < VGA_TEXT_SIZE / 2; i++)
		mismatch += io[i] != direct[i];
	EXPECT_EQ(t, mismatch, 0);
	old = io[VGA_TEXT_SIZE / 2 - 1];
	io[VGA_TEXT_SIZE / 2 - 1] = old ^ 0x7f00;	/* change the last cell's colours */
	EXPECT_EQ(t, direct[VGA_TEXT_SIZE / 2 - 1], old ^ 0x7f00);
	io[VGA_TEXT_SIZE / 2 - 1] = old;
	/* MMIO is not RAM: no frames were taken */
	EXPECT_EQ(t, free_frames(), free0);
	iounmap((void *)io);
	EXPECT_UNMAPPED(t, va);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
	EXPECT_EQ(t, free_frames(), free0);
}

static void ioremap_keeps_offset_in_page(struct ktest *t)
{
	volatile u16 *io = ioremap(VGA_TEXT + 6, 10);
	volatile u16 *direct = phys_to_virt(VGA_TEXT + 6);
	struct vmap_stats a, b;

	ASSERT_NOT_NULL(t, io);
	EXPECT_EQ(t, (unsigned long)io % PAGE_SIZE, 6);
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)io), VGA_TEXT + 6);
	EXPECT_EQ(t, io[0], direct[0]);
	EXPECT_EQ(t, io[4], direct[4]);
	vmap_get_stats(&a);
	iounmap((void *)io);			/* by the address ioremap() returned */
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas - 1);
	EXPECT_EQ(t, b.pages, a.pages - 1);
	EXPECT_NULL(t, lookup_address((unsigned long)io, NULL));
	/* eight bytes across a page boundary: two pages */
	vmap_get_stats(&a);
	io = ioremap(VGA_TEXT + PAGE_SIZE - 4, 8);
	ASSERT_NOT_NULL(t, io);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.pages, a.pages + 2);
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)io + 6), VGA_TEXT + PAGE_SIZE + 2);
	EXPECT_EQ(t, io[3], *(volatile u16 *)phys_to_virt(VGA_TEXT + PAGE_SIZE + 2));
	iounmap((void *)io);
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.pages, a.pages);
}

/* Freeing with the wrong function is refused and leaves the area whole. */
static void mismatched_free_is_refused(struct ktest *t)
{
	struct vmap_stats a, b;
	unsigned long warns, free0;
	void *io, *p;

	io = ioremap(VGA_TEXT, PAGE_SIZE);
	p = vmalloc(PAGE_SIZE);
	ASSERT_NOT_NULL(t, io);
	ASSERT_NOT_NULL(t, p);
	vmap_get_stats(&a);
	free0 = free_frames();
	warns = warn_count;
	vfree(io);
	EXPECT_EQ(t, warn_count, warns + 1);
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)io), VGA_TEXT);
	iounmap(p);
	EXPECT_EQ(t, warn_count, warns + 2);
	EXPECT_TRUE(t, mapped_rw_nx((unsigned long)p));
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
	EXPECT_TRUE(t, vmap_is_guard((unsigned long)io + PAGE_SIZE));
	EXPECT_TRUE(t, vmap_is_guard((unsigned long)p + PAGE_SIZE));
	/* and each still goes away the right way */
	iounmap(io);
	vfree(p);
	EXPECT_EQ(t, warn_count, warns + 2);
	EXPECT_NULL(t, lookup_address((unsigned long)io, NULL));
	EXPECT_NULL(t, lookup_address((unsigned long)p, NULL));
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas - 2);
	EXPECT_EQ(t, b.pages, a.pages - 2);
	EXPECT_EQ(t, free_frames(), free0 + 1);
}

static struct ktest_case vmap_cases[] = {
	KTEST_CASE(vmalloc_maps_fresh_frames),
	KTEST_CASE(vmalloc_has_guard_page_after),
	KTEST_CASE(vmalloc_stack_is_guarded_both_sides),
	KTEST_CASE(vfree_unmaps_and_returns_frames),
	KTEST_CASE(vfree_refuses_what_vmalloc_did_not_give),
	KTEST_CASE(ioremap_maps_vga_text_uncached),
	KTEST_CASE(ioremap_keeps_offset_in_page),
	KTEST_CASE(mismatched_free_is_refused),
	{},
};
KTEST_SUITE(mm_vmap, vmap_cases);
