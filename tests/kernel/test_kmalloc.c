/*
 * kmalloc (kernel/mm/kmalloc.c): size classes, alignment, reuse of freed
 * objects, zeroing, large allocations straight from the frame allocator,
 * refusal of pointers kmalloc never gave, and the statistics. Object
 * sizes are checked against the class table the statistics publish.
 */
#include <kernel/ktest.h>
#include <kernel/slab.h>
#include <kernel/mm.h>
#include <kernel/bug.h>
#include <kernel/string.h>

#define NR_MIXED	500

static void *mixed_obj[NR_MIXED];
static size_t mixed_size[NR_MIXED];
static unsigned long not_from_kmalloc;

/* Statistics with padding cleared, so that two snapshots compare with memcmp(). */
static void get_stats(struct kmalloc_stats *st)
{
	memset(st, 0, sizeof(*st));
	kmalloc_get_stats(st);
}

static unsigned long free_frames(void)
{
	struct frame_stats st;

	frame_get_stats(&st);
	return st.free;
}

/* The class kmalloc(size) must use: the smallest that fits; -1 above the largest. */
static int expected_class(const struct kmalloc_stats *st, size_t size)
{
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		if (size <= st->classes[i].size)
			return i;
	return -1;
}

static size_t expected_ksize(const struct kmalloc_stats *st, size_t size)
{
	int c = expected_class(st, size ? size : 1);

	return c < 0 ? ALIGN_UP(size, PAGE_SIZE) : st->classes[c].size;
}

static void class_table_is_sane(struct ktest *t)
{
	struct kmalloc_stats st;

	get_stats(&st);
	EXPECT_EQ(t, st.classes[0].size, KMALLOC_MIN_SIZE);
	EXPECT_EQ(t, st.classes[KMALLOC_NR_CLASSES - 1].size, KMALLOC_MAX_CACHE_SIZE);
	for (int i = 1; i < KMALLOC_NR_CLASSES; i++) {
		EXPECT_GT(t, st.classes[i].size, st.classes[i - 1].size);
		EXPECT_EQ(t, st.classes[i].size % 16, 0);
	}
}

static void ksize_covers_every_size(struct ktest *t)
{
	struct kmalloc_stats st;
	unsigned long bad = 0, tried = 0;

	get_stats(&st);
	for (size_t size = 1; size <= 2 * PAGE_SIZE; size += size < 300 ? 1 : size < 2100 ? 7 : 61) {
		void *p = kmalloc(size, GFP_KERNEL);

		ASSERT_NOT_NULL(t, p);
		tried++;
		if (ksize(p) < size || ksize(p) != expected_ksize(&st, size)) {
			if (!bad++)
				ktest_info(t, "kmalloc(%zu): ksize %zu, expected %zu", size, ksize(p),
					   expected_ksize(&st, size));
		}
		memset(p, 0x5c, size);		/* the whole request is usable */
		kfree(p);
	}
	/* each class boundary, and one past it */
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		for (size_t size = st.classes[i].size; size <= st.classes[i].size + 1; size++) {
			void *p = kmalloc(size, GFP_KERNEL);

			ASSERT_NOT_NULL(t, p);
			EXPECT_EQ(t, ksize(p), expected_ksize(&st, size));
			kfree(p);
		}
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_GT(t, tried, 500);
	/* kmalloc(0) gives a real, smallest object */
	void *p = kmalloc(0, GFP_KERNEL);
	ASSERT_NOT_NULL(t, p);
	EXPECT_EQ(t, ksize(p), KMALLOC_MIN_SIZE);
	kfree(p);
}

/*
 * Objects sit at multiples of the class size from the page start: so
 * every object is aligned to min(class size, 16) (16, as no class is
 * smaller), power-of-two classes are naturally aligned, and no object
 * straddles a page.
 */
static void class_objects_are_aligned(struct ktest *t)
{
	struct kmalloc_stats st;
	void *p[24];

	get_stats(&st);
	for (int c = 0; c < KMALLOC_NR_CLASSES; c++) {
		unsigned int size = st.classes[c].size;
		unsigned long natural = (size & (size - 1)) ? 16 : size;

		for (size_t i = 0; i < ARRAY_SIZE(p); i++) {
			unsigned long a;

			p[i] = kmalloc(size, GFP_KERNEL);
			ASSERT_NOT_NULL(t, p[i]);
			a = (unsigned long)p[i];
			EXPECT_EQ(t, a % min((unsigned long)size, 16ul), 0);
			EXPECT_EQ(t, a % natural, 0);
			EXPECT_EQ(t, a / PAGE_SIZE, (a + size - 1) / PAGE_SIZE);
			EXPECT_EQ(t, virt_to_page(p[i])->owner, PAGE_OWNER_SLAB);
			EXPECT_EQ(t, virt_to_page(p[i])->slab_class, c);
		}
		for (size_t i = 0; i < ARRAY_SIZE(p); i++)
			kfree(p[i]);
	}
}

static u32 pattern(int i, size_t off)
{
	return (u32)i * 0x9e3779b1u ^ (u32)off;
}

static void live_objects_never_overlap(struct ktest *t)
{
	struct kmalloc_stats before, after;
	unsigned long bad = 0, overlaps = 0;
	u32 seed = 2024;

	get_stats(&before);
	for (int i = 0; i < NR_MIXED; i++) {
		seed = seed * 1664525 + 1013904223;
		/* mostly small, some up to 2 KiB, a few large ones */
		mixed_size[i] = i % 50 == 7 ? 4096 + (seed >> 20) % 8000 :
				i % 5 == 0 ? 1 + (seed >> 8) % 2048 : 1 + (seed >> 8) % 200;
		mixed_obj[i] = kmalloc(mixed_size[i], GFP_KERNEL);
		ASSERT_NOT_NULL(t, mixed_obj[i]);
		for (size_t off = 0; off + 4 <= mixed_size[i]; off += 4)
			((u32 *)mixed_obj[i])[off / 4] = pattern(i, off);
		for (size_t off = ALIGN_DOWN(mixed_size[i], 4); off < mixed_size[i]; off++)
			((u8 *)mixed_obj[i])[off] = (u8)pattern(i, off);
	}
	for (int i = 0; i < NR_MIXED; i++) {
		unsigned long a = (unsigned long)mixed_obj[i];

		for (size_t off = 0; off + 4 <= mixed_size[i]; off += 4)
			bad += ((u32 *)mixed_obj[i])[off / 4] != pattern(i, off);
		for (size_t off = ALIGN_DOWN(mixed_size[i], 4); off < mixed_size[i]; off++)
			bad += ((u8 *)mixed_obj[i])[off] != (u8)pattern(i, off);
		/* usable extents (ksize) must be disjoint too */
		for (int j = 0; j < i; j++) {
			unsigned long b = (unsigned long)mixed_obj[j];

			overlaps += a < b + ksize(mixed_obj[j]) && b < a + ksize(mixed_obj[i]);
		}
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_EQ(t, overlaps, 0);
	for (int i = 0; i < NR_MIXED; i++)
		kfree(mixed_obj[i]);
	get_stats(&after);
	for (int c = 0; c < KMALLOC_NR_CLASSES; c++)
		EXPECT_EQ(t, after.classes[c].in_use, before.classes[c].in_use);
	EXPECT_EQ(t, after.large_pages, before.large_pages);
}

/* The free list is last in, first out: a freed object is the next one given. */
static void freed_objects_are_reused(struct ktest *t)
{
	struct kmalloc_stats st, st2;

	get_stats(&st);
	for (int c = 0; c < KMALLOC_NR_CLASSES; c++) {
		void *p = kmalloc(st.classes[c].size, GFP_KERNEL), *q;

		ASSERT_NOT_NULL(t, p);
		kfree(p);
		q = kmalloc(st.classes[c].size - 1, GFP_KERNEL);
		EXPECT_EQ(t, q, p);
		kfree(q);
	}
	get_stats(&st2);
	/* a class that had room grew by at most the one page it needed */
	for (int c = 0; c < KMALLOC_NR_CLASSES; c++)
		EXPECT_LE(t, st2.classes[c].pages, st.classes[c].pages + 1);
}

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void kzalloc_returns_zeroed_memory(struct ktest *t)
{
	static const size_t sizes[] = { 1, 24, 100, 500, 2048 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i], GFP_KERNEL), *q;

		ASSERT_NOT_NULL(t, p);
		memset(p, 0xa5, ksize(p));	/* dirty it, so zeroing is needed */
		kfree(p);
		q = kzalloc(sizes[i], GFP_KERNEL);
		ASSERT_NOT_NULL(t, q);
		EXPECT_EQ(t, q, p);
		EXPECT_TRUE(t, all_zero(q, ksize(q)));
		kfree(q);
		p = kmalloc(sizes[i], GFP_KERNEL | __GFP_ZERO);
		EXPECT_TRUE(t, p && all_zero(p, sizes[i]));
		kfree(p);
	}
	void *arr = kcalloc(10, 24, GFP_KERNEL);
	ASSERT_NOT_NULL(t, arr);
	EXPECT_GE(t, ksize(arr), 240);
	EXPECT_TRUE(t, all_zero(arr, 240));
	kfree(arr);
	void *big = kzalloc(3 * PAGE_SIZE - 100, GFP_KERNEL);
	ASSERT_NOT_NULL(t, big);
	EXPECT_TRUE(t, all_zero(big, 3 * PAGE_SIZE - 100));
	kfree(big);
}

static void large_allocations_use_frames(struct ktest *t)
{
	struct kmalloc_stats a, b, c;
	unsigned long free0 = free_frames();
	phys_addr_t pa;
	void *p;

	get_stats(&a);
	p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	ASSERT_NOT_NULL(t, p);
	EXPECT_EQ(t, (unsigned long)p % PAGE_SIZE, 0);
	EXPECT_EQ(t, ksize(p), 3 * PAGE_SIZE);
	EXPECT_EQ(t, free_frames(), free0 - 3);
	pa = virt_to_phys(p);
	for (int i = 0; i < 3; i++)
		EXPECT_TRUE(t, frame_in_use(pa + i * PAGE_SIZE));
	EXPECT_EQ(t, virt_to_page(p)->owner, PAGE_OWNER_LARGE);
	EXPECT_EQ(t, virt_to_page(p)->nr_pages, 3);
	memset(p, 0x3c, 3 * PAGE_SIZE);
	get_stats(&b);
	EXPECT_EQ(t, b.large_allocs, a.large_allocs + 1);
	EXPECT_EQ(t, b.large_frees, a.large_frees);
	EXPECT_EQ(t, b.large_pages, a.large_pages + 3);
	kfree(p);
	get_stats(&c);
	EXPECT_EQ(t, c.large_frees, a.large_frees + 1);
	EXPECT_EQ(t, c.large_pages, a.large_pages);
	EXPECT_EQ(t, free_frames(), free0);
	for (int i = 0; i < 3; i++)
		EXPECT_FALSE(t, frame_in_use(pa + i * PAGE_SIZE));
	/* just above the largest class: one page */
	p = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	ASSERT_NOT_NULL(t, p);
	EXPECT_EQ(t, (unsigned long)p % PAGE_SIZE, 0);
	EXPECT_EQ(t, ksize(p), PAGE_SIZE);
	EXPECT_EQ(t, free_frames(), free0 - 1);
	kfree(p);
	EXPECT_EQ(t, free_frames(), free0);
}

static void kfree_null_is_a_no_op(struct ktest *t)
{
	struct kmalloc_stats a, b;
	unsigned long warns = warn_count, free0 = free_frames();

	get_stats(&a);
	kfree(NULL);
	get_stats(&b);
	EXPECT_EQ(t, warn_count, warns);
	EXPECT_EQ(t, memcmp(&a, &b, sizeof(a)), 0);
	EXPECT_EQ(t, free_frames(), free0);
	EXPECT_EQ(t, ksize(NULL), 0);
}

static void kfree_of_foreign_pointer_warns(struct ktest *t)
{
	struct kmalloc_stats a, b;
	unsigned long warns, free0;
	phys_addr_t pa = frame_alloc();
	u8 *obj = kmalloc(64, GFP_KERNEL);

	ASSERT_NE(t, pa, 0);
	ASSERT_NOT_NULL(t, obj);
	get_stats(&a);
	free0 = free_frames();
	warns = warn_count;
	kfree(&not_from_kmalloc);		/* a global in the kernel image */
	EXPECT_EQ(t, warn_count, warns + 1);
	kfree(phys_to_virt(pa));		/* a frame from the frame allocator */
	EXPECT_EQ(t, warn_count, warns + 2);
	EXPECT_TRUE(t, frame_in_use(pa));
	EXPECT_EQ(t, phys_to_page(pa)->owner, PAGE_OWNER_ALLOC);
	kfree(obj + 8);				/* inside an object */
	EXPECT_EQ(t, warn_count, warns + 3);
	get_stats(&b);
	EXPECT_EQ(t, memcmp(&a, &b, sizeof(a)), 0);
	EXPECT_EQ(t, free_frames(), free0);
	EXPECT_EQ(t, ksize(&not_from_kmalloc), 0);
	kfree(obj);
	frame_free(pa);
	EXPECT_EQ(t, warn_count, warns + 3);
}

/*
 * A class whose size does not divide the page leaves a tail after its
 * last object, at an offset that is still a multiple of the size. It is
 * no object: freeing it must be refused, or the next allocation of the
 * class would run past the end of the page.
 */
static void kfree_of_class_page_tail_warns(struct ktest *t)
{
	struct kmalloc_stats a, b;
	int tested = 0;

	for (int c = 0; c < KMALLOC_NR_CLASSES; c++) {
		unsigned int size;
		unsigned long warns;
		u8 *p, *tail, *q;

		get_stats(&a);
		size = a.classes[c].size;
		if (PAGE_SIZE % size == 0)
			continue;
		p = kmalloc(size, GFP_KERNEL);
		ASSERT_NOT_NULL(t, p);
		tail = (u8 *)ALIGN_DOWN((unsigned long)p, PAGE_SIZE) + PAGE_SIZE / size * size;
		get_stats(&a);
		warns = warn_count;
		kfree(tail);
		EXPECT_EQ(t, warn_count, warns + 1);
		get_stats(&b);
		EXPECT_EQ(t, memcmp(&a, &b, sizeof(a)), 0);
		q = kmalloc(size, GFP_KERNEL);
		EXPECT_NE(t, q, tail);
		/* if the tail got onto the free list, q is it: keep it off for good */
		if (q != tail)
			kfree(q);
		kfree(p);
		tested++;
	}
	EXPECT_GT(t, tested, 0);
}

static void stats_count_exactly(struct ktest *t)
{
	struct kmalloc_stats a, b, c;
	int cls;
	void *p;

	get_stats(&a);
	cls = expected_class(&a, 100);
	ASSERT_GE(t, cls, 0);
	p = kmalloc(100, GFP_KERNEL);
	ASSERT_NOT_NULL(t, p);
	get_stats(&b);
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		EXPECT_EQ(t, b.classes[i].allocs, a.classes[i].allocs + (i == cls));
		EXPECT_EQ(t, b.classes[i].frees, a.classes[i].frees);
		EXPECT_EQ(t, b.classes[i].in_use, a.classes[i].in_use + (i == cls));
		/* the objects in use fit in the pages the class holds */
		EXPECT_LE(t, b.classes[i].in_use * b.classes[i].size, b.classes[i].pages * PAGE_SIZE);
	}
	EXPECT_EQ(t, b.large_allocs, a.large_allocs);
	kfree(p);
	get_stats(&c);
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		EXPECT_EQ(t, c.classes[i].allocs, b.classes[i].allocs);
		EXPECT_EQ(t, c.classes[i].frees, a.classes[i].frees + (i == cls));
		EXPECT_EQ(t, c.classes[i].in_use, a.classes[i].in_use);
		EXPECT_EQ(t, c.classes[i].pages, b.classes[i].pages);
	}
	EXPECT_EQ(t, c.failed, a.failed);
}

static void impossible_requests_return_null(struct ktest *t)
{
	struct kmalloc_stats a, b;
	unsigned long free0 = free_frames();

	get_stats(&a);
	EXPECT_NULL(t, kcalloc((size_t)-1 / 2 + 1, 2, GFP_KERNEL));
	EXPECT_NULL(t, kcalloc(1ul << 32, 1ul << 32, GFP_KERNEL));
	EXPECT_NULL(t, kcalloc(3, (size_t)-1 / 2, GFP_KERNEL));
	get_stats(&b);
	/* refused before any allocation was tried */
	EXPECT_EQ(t, memcmp(&a, &b, sizeof(a)), 0);
	/* more than all of RAM: tried, failed, counted */
	EXPECT_NULL(t, kmalloc(1ul << 40, GFP_KERNEL));
	get_stats(&b);
	EXPECT_EQ(t, b.failed, a.failed + 1);
	EXPECT_EQ(t, b.large_allocs, a.large_allocs);
	EXPECT_EQ(t, free_frames(), free0);
}

static struct ktest_case kmalloc_cases[] = {
	KTEST_CASE(class_table_is_sane),
	KTEST_CASE(ksize_covers_every_size),
	KTEST_CASE(class_objects_are_aligned),
	KTEST_CASE(live_objects_never_overlap),
	KTEST_CASE(freed_objects_are_reused),
	KTEST_CASE(kzalloc_returns_zeroed_memory),
	KTEST_CASE(large_allocations_use_frames),
	KTEST_CASE(kfree_null_is_a_no_op),
	KTEST_CASE(kfree_of_foreign_pointer_warns),
	KTEST_CASE(kfree_of_class_page_tail_warns),
	KTEST_CASE(stats_count_exactly),
	KTEST_CASE(impossible_requests_return_null),
	{},
};
KTEST_SUITE(mm_kmalloc, kmalloc_cases);
