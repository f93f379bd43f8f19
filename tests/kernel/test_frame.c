/*
 * The physical frame allocator (kernel/mm/frame.c): what frame_alloc()
 * hands out, the bitmap and struct page bookkeeping, the statistics, and
 * which frames boot reserved. Every check compares against an
 * independent source: the boot memory map, the linker's symbols, or a
 * recount of the bitmap through frame_in_use().
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/bug.h>
#include <kernel/bootinfo.h>
#include <kernel/string.h>

extern char _text[], _end[], __bss_start[];
extern char __kernel_phys_start[], __kernel_phys_end[];

#define LOW_MEM_END	0x100000ul	/* the first MiB is never handed out */
#define NR_BALANCE	300		/* allocations in the balance test */

static phys_addr_t balance_pa[NR_BALANCE];
static size_t balance_n[NR_BALANCE];

static unsigned long free_frames(void)
{
	struct frame_stats st;

	frame_get_stats(&st);
	return st.free;
}

/* Free frames counted bit by bit: must always equal the statistics. */
static unsigned long recount_free(void)
{
	struct frame_stats st;
	unsigned long n = 0;

	frame_get_stats(&st);
	for (unsigned long pfn = 0; pfn < st.max_pfn; pfn++)
		n += !frame_in_use((phys_addr_t)pfn * PAGE_SIZE);
	return n;
}

/* Whether [pa, pa + len) lies inside one usable range of the boot memory map and in no other. */
static bool in_usable_ram(phys_addr_t pa, size_t len)
{
	bool usable = false;

	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		bool overlaps = pa < m->base + m->len && pa + len > m->base;

		if (m->type == MEMMAP_USABLE && pa >= m->base && pa + len <= m->base + m->len)
			usable = true;
		else if (m->type != MEMMAP_USABLE && overlaps)
			return false;
	}
	return usable;
}

static void alloc_gives_distinct_owned_frames(struct ktest *t)
{
	enum { N = 64 };
	phys_addr_t pa[N];
	unsigned long free0 = free_frames();

	for (int i = 0; i < N; i++) {
		pa[i] = frame_alloc();
		ASSERT_NE(t, pa[i], 0);
		EXPECT_EQ(t, pa[i] % PAGE_SIZE, 0);
		EXPECT_GE(t, pa[i], LOW_MEM_END);
		EXPECT_TRUE(t, in_usable_ram(pa[i], PAGE_SIZE));
		EXPECT_TRUE(t, frame_in_use(pa[i]));
		ASSERT_NOT_NULL(t, phys_to_page(pa[i]));
		EXPECT_EQ(t, phys_to_page(pa[i])->owner, PAGE_OWNER_ALLOC);
		/* tag each frame with its own address: a frame handed out twice loses a tag */
		*(phys_addr_t *)phys_to_virt(pa[i]) = pa[i];
	}
	EXPECT_EQ(t, free_frames(), free0 - N);
	for (int i = 0; i < N; i++) {
		EXPECT_EQ(t, *(phys_addr_t *)phys_to_virt(pa[i]), pa[i]);
		for (int j = 0; j < i; j++)
			EXPECT_NE(t, pa[i], pa[j]);
	}
	for (int i = 0; i < N; i++) {
		frame_free(pa[i]);
		EXPECT_FALSE(t, frame_in_use(pa[i]));
		EXPECT_EQ(t, phys_to_page(pa[i])->owner, PAGE_OWNER_NONE);
	}
	EXPECT_EQ(t, free_frames(), free0);
}

static void stats_move_by_exact_amounts(struct ktest *t)
{
	struct frame_stats a, b, c;
	phys_addr_t pa;

	frame_get_stats(&a);
	EXPECT_EQ(t, a.free, recount_free());
	EXPECT_LE(t, a.free, a.total);
	EXPECT_LE(t, a.total, a.max_pfn);
	pa = frame_alloc();
	ASSERT_NE(t, pa, 0);
	frame_get_stats(&b);
	EXPECT_EQ(t, b.free, a.free - 1);
	EXPECT_EQ(t, b.allocs, a.allocs + 1);
	EXPECT_EQ(t, b.frees, a.frees);
	EXPECT_EQ(t, b.total, a.total);
	EXPECT_EQ(t, b.free, recount_free());
	frame_free(pa);
	frame_get_stats(&c);
	EXPECT_EQ(t, c.free, a.free);
	EXPECT_EQ(t, c.allocs, a.allocs + 1);
	EXPECT_EQ(t, c.frees, a.frees + 1);
	EXPECT_EQ(t, c.free, recount_free());
}

static void contig_honours_count_and_alignment(struct ktest *t)
{
	static const struct { size_t n, align; } req[] = {
		{ 1, 1 }, { 3, 1 }, { 5, 8 }, { 16, 16 }, { 2, 512 }, { 40, 4 },
	};

	for (size_t r = 0; r < ARRAY_SIZE(req); r++) {
		unsigned long free0 = free_frames();
		phys_addr_t pa = frame_alloc_contig(req[r].n, req[r].align);

		ASSERT_NE(t, pa, 0);
		EXPECT_EQ(t, pa % (req[r].align * PAGE_SIZE), 0);
		EXPECT_TRUE(t, in_usable_ram(pa, req[r].n * PAGE_SIZE));
		EXPECT_EQ(t, free_frames(), free0 - req[r].n);
		for (size_t i = 0; i < req[r].n; i++) {
			EXPECT_TRUE(t, frame_in_use(pa + i * PAGE_SIZE));
			EXPECT_EQ(t, phys_to_page(pa + i * PAGE_SIZE)->owner, PAGE_OWNER_ALLOC);
		}
		frame_free_contig(pa, req[r].n);
		EXPECT_EQ(t, free_frames(), free0);
		for (size_t i = 0; i < req[r].n; i++)
			EXPECT_FALSE(t, frame_in_use(pa + i * PAGE_SIZE));
	}
	/* no frames, no alignment, or one that is not a power of two: refused */
	EXPECT_EQ(t, frame_alloc_contig(0, 1), 0);
	EXPECT_EQ(t, frame_alloc_contig(1, 0), 0);
	EXPECT_EQ(t, frame_alloc_contig(2, 3), 0);
	EXPECT_EQ(t, free_frames(), recount_free());
}

static void double_free_warns_and_is_ignored(struct ktest *t)
{
	phys_addr_t pa = frame_alloc_contig(2, 1);
	unsigned long warns, free0;
	struct frame_stats st;

	ASSERT_NE(t, pa, 0);
	frame_free(pa);
	warns = warn_count;
	free0 = free_frames();
	frame_free(pa);
	EXPECT_EQ(t, warn_count, warns + 1);
	EXPECT_EQ(t, free_frames(), free0);
	EXPECT_FALSE(t, frame_in_use(pa));
	EXPECT_TRUE(t, frame_in_use(pa + PAGE_SIZE));
	/* a run whose first frame is free already: one warning, the other frame is freed */
	frame_free_contig(pa, 2);
	EXPECT_EQ(t, warn_count, warns + 2);
	EXPECT_EQ(t, free_frames(), free0 + 1);
	EXPECT_FALSE(t, frame_in_use(pa + PAGE_SIZE));
	/* addresses that name no frame the allocator could have given */
	frame_get_stats(&st);
	warns = warn_count;
	frame_free(pa + 8);
	frame_free(0);
	frame_free(0x1000);
	frame_free(st.max_pfn * PAGE_SIZE);
	EXPECT_EQ(t, warn_count, warns + 4);
	EXPECT_EQ(t, free_frames(), free0 + 1);
	EXPECT_EQ(t, free_frames(), recount_free());
}

/* Count the frames of [start, end) that are free, or not owned as boot-reserved. */
static unsigned long unreserved_in(phys_addr_t start, phys_addr_t end)
{
	unsigned long bad = 0;

	for (phys_addr_t pa = ALIGN_DOWN(start, PAGE_SIZE); pa < end; pa += PAGE_SIZE) {
		struct page *pg = phys_to_page(pa);

		bad += !frame_in_use(pa) || (pg && pg->owner != PAGE_OWNER_BOOT);
	}
	return bad;
}

static void boot_reservations_hold(struct ktest *t)
{
	struct frame_stats st;
	phys_addr_t map_start, map_end;

	frame_get_stats(&st);
	EXPECT_TRUE(t, frame_in_use(0));
	EXPECT_EQ(t, unreserved_in(0, LOW_MEM_END), 0);
	EXPECT_TRUE(t, frame_in_use(virt_to_phys(_text)));
	EXPECT_TRUE(t, frame_in_use(virt_to_phys(__bss_start)));
	EXPECT_EQ(t, unreserved_in((phys_addr_t)__kernel_phys_start, (phys_addr_t)__kernel_phys_end), 0);
	EXPECT_EQ(t, unreserved_in(virt_to_phys(_text), virt_to_phys(_end)), 0);
	EXPECT_NE(t, boot_info.mbi_start, 0);
	EXPECT_GT(t, boot_info.mbi_end, boot_info.mbi_start);
	EXPECT_EQ(t, unreserved_in(boot_info.mbi_start, boot_info.mbi_end), 0);
	for (int i = 0; i < boot_info.nr_modules; i++)
		EXPECT_EQ(t, unreserved_in(boot_info.modules[i].start, boot_info.modules[i].end), 0);
	/* the allocator's struct page array (its bitmap shares that reservation) */
	map_start = virt_to_phys(phys_to_page(0));
	map_end = virt_to_phys(phys_to_page((st.max_pfn - 1) * PAGE_SIZE) + 1);
	EXPECT_EQ(t, unreserved_in(map_start, map_end), 0);
	EXPECT_NULL(t, phys_to_page(st.max_pfn * PAGE_SIZE));
	/* what boot reserved is still in use, beside whatever has been allocated since */
	EXPECT_GT(t, st.boot_reserved, 0);
	EXPECT_LE(t, st.boot_reserved, st.total - st.free);
}

/* Freeing a boot reservation is refused; the multiboot information is the safest one to try. */
static void freeing_reserved_frame_is_refused(struct ktest *t)
{
	phys_addr_t pa = ALIGN_DOWN(boot_info.mbi_start, PAGE_SIZE);
	unsigned long warns = warn_count, free0 = free_frames();

	if (pa < LOW_MEM_END)
		ktest_skip(t, "multiboot information below 1 MiB");
	ASSERT_TRUE(t, frame_in_use(pa));
	frame_free(pa);
	EXPECT_EQ(t, warn_count, warns + 1);
	EXPECT_TRUE(t, frame_in_use(pa));
	EXPECT_EQ(t, phys_to_page(pa)->owner, PAGE_OWNER_BOOT);
	EXPECT_EQ(t, free_frames(), free0);
}

static void many_allocations_balance(struct ktest *t)
{
	unsigned long free0 = free_frames(), taken = 0;
	u32 seed = 12345;

	for (int i = 0; i < NR_BALANCE; i++) {
		seed = seed * 1103515245 + 12345;
		balance_n[i] = i % 3 ? 1 : 1 + (seed >> 16) % 4;
		balance_pa[i] = balance_n[i] == 1 ? frame_alloc() : frame_alloc_contig(balance_n[i], 1);
		ASSERT_NE(t, balance_pa[i], 0);
		taken += balance_n[i];
		for (size_t k = 0; k < balance_n[i]; k++)
			*(u64 *)phys_to_virt(balance_pa[i] + k * PAGE_SIZE) = balance_pa[i] + k;
		/* free every fourth one at once, so frees and allocations interleave */
		if (i % 4 == 3) {
			frame_free_contig(balance_pa[i], balance_n[i]);
			taken -= balance_n[i];
			balance_n[i] = 0;
		}
	}
	EXPECT_EQ(t, free_frames(), free0 - taken);
	for (int i = NR_BALANCE - 1; i >= 0; i--) {
		for (size_t k = 0; k < balance_n[i]; k++)
			EXPECT_EQ(t, *(u64 *)phys_to_virt(balance_pa[i] + k * PAGE_SIZE), balance_pa[i] + k);
		if (balance_n[i])
			frame_free_contig(balance_pa[i], balance_n[i]);
	}
	EXPECT_EQ(t, free_frames(), free0);
	EXPECT_EQ(t, free_frames(), recount_free());
}

static struct ktest_case frame_cases[] = {
	KTEST_CASE(alloc_gives_distinct_owned_frames),
	KTEST_CASE(stats_move_by_exact_amounts),
	KTEST_CASE(contig_honours_count_and_alignment),
	KTEST_CASE(double_free_warns_and_is_ignored),
	KTEST_CASE(boot_reservations_hold),
	KTEST_CASE(freeing_reserved_frame_is_refused),
	KTEST_CASE(many_allocations_balance),
	{},
};
KTEST_SUITE(mm_frame, frame_cases);
