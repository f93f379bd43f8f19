/*
 * The physical frame allocator: a bitmap with one bit per 4 KiB frame up
 * to the highest usable address (1 = in use), searched next-fit from a
 * hint, plus the struct page array. Built from the boot memory map: only
 * frames entirely inside usable ranges start free, then the low 1 MiB
 * (real-mode data, and the SMP trampoline later), the kernel image, the
 * boot information, the modules and the allocator's own arrays are
 * reserved. Freeing a frame that is not in use is reported and ignored.
 */
#define pr_fmt(fmt) "mm: " fmt
#include <kernel/mm.h>
#include <kernel/bootinfo.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/bug.h>

#define LOW_RESERVED	0x100000ul	/* the first MiB stays reserved */
#define EARLY_MAP_LIMIT	(4ul << 30)	/* boot page tables map 4 GiB */

extern char __kernel_phys_start[], __kernel_phys_end[];

static DEFINE_SPINLOCK(frame_lock);
static u64 *bitmap;			/* L: frame_lock */
static struct page *mem_map;
static unsigned long max_pfn;		/* frames covered */
static unsigned long next_hint;		/* L: frame_lock; where the next search starts */
static struct frame_stats stats;	/* L: frame_lock */

static bool test_bit(unsigned long pfn) { return bitmap[pfn / 64] >> (pfn % 64) & 1; }
static void set_bit(unsigned long pfn) { bitmap[pfn / 64] |= 1ull << (pfn % 64); }
static void clear_bit(unsigned long pfn) { bitmap[pfn / 64] &= ~(1ull << (pfn % 64)); }

struct range {
	phys_addr_t start, end;
};

/* Ranges to keep out of the allocator, apart from non-usable memory. */
static int boot_reserved_ranges(struct range *r, int max)
{
	int n = 0;

	r[n++] = (struct range){ 0, LOW_RESERVED };
	r[n++] = (struct range){ (phys_addr_t)__kernel_phys_start, (phys_addr_t)__kernel_phys_end };
	r[n++] = (struct range){ boot_info.mbi_start, boot_info.mbi_end };
	for (int i = 0; i < boot_info.nr_modules && n < max; i++)
		r[n++] = (struct range){ boot_info.modules[i].start, boot_info.modules[i].end };
	return n;
}

/*
 * The lowest page-aligned place of `size` bytes inside usable memory that
 * overlaps no reserved range and lies within the boot direct map.
 */
static phys_addr_t find_early_space(size_t size, const struct range *res, int nres)
{
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		phys_addr_t start, end;

		if (m->type != MEMMAP_USABLE)
			continue;
		start = ALIGN_UP(m->base, PAGE_SIZE);
		end = ALIGN_DOWN(m->base + m->len, PAGE_SIZE);
		for (bool moved = true; moved;) {
			moved = false;
			for (int j = 0; j < nres; j++) {
				if (start < res[j].end && start + size > res[j].start) {
					start = ALIGN_UP(res[j].end, PAGE_SIZE);
					moved = true;
				}
			}
		}
		if (start + size <= end && start + size <= EARLY_MAP_LIMIT)
			return start;
	}
	return 0;
}

static void mark_range(phys_addr_t start, phys_addr_t end, bool used)
{
	unsigned long first = start / PAGE_SIZE, last = DIV_ROUND_UP(end, PAGE_SIZE);

	for (unsigned long pfn = first; pfn < last && pfn < max_pfn; pfn++) {
		if (used) {
			set_bit(pfn);
			mem_map[pfn].owner = PAGE_OWNER_BOOT;
		} else {
			clear_bit(pfn);
			mem_map[pfn].owner = PAGE_OWNER_NONE;
		}
	}
}

void frame_alloc_init(void)
{
	struct range res[4 + BOOT_MODULES_MAX];
	int nres = boot_reserved_ranges(res, ARRAY_SIZE(res) - 1);
	size_t bitmap_bytes, map_bytes;
	phys_addr_t space;

	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		if (m->type == MEMMAP_USABLE)
			max_pfn = max(max_pfn, (unsigned long)((m->base + m->len) / PAGE_SIZE));
	}
	if (!max_pfn)
		panic("mm: the boot loader gave no usable memory");
	bitmap_bytes = ALIGN_UP(DIV_ROUND_UP(max_pfn, 64) * 8, 64);
	map_bytes = max_pfn * sizeof(struct page);
	space = find_early_space(ALIGN_UP(bitmap_bytes + map_bytes, PAGE_SIZE), res, nres);
	if (!space)
		panic("mm: no room for the frame allocator's %zu KiB of tables",
		      (bitmap_bytes + map_bytes) / 1024);
	bitmap = phys_to_virt(space);
	mem_map = phys_to_virt(space + bitmap_bytes);
	res[nres++] = (struct range){ space, space + ALIGN_UP(bitmap_bytes + map_bytes, PAGE_SIZE) };

	memset(bitmap, 0xff, bitmap_bytes);
	memset(mem_map, 0, map_bytes);
	/* free whole frames of usable RAM, then take back anything else */
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		if (m->type == MEMMAP_USABLE)
			mark_range(ALIGN_UP(m->base, PAGE_SIZE), ALIGN_DOWN(m->base + m->len, PAGE_SIZE), false);
	}
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		if (m->type != MEMMAP_USABLE)
			mark_range(ALIGN_DOWN(m->base, PAGE_SIZE), ALIGN_UP(m->base + m->len, PAGE_SIZE), true);
	}
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		stats.total += !test_bit(pfn);
	for (int i = 0; i < nres; i++)
		mark_range(ALIGN_DOWN(res[i].start, PAGE_SIZE), ALIGN_UP(res[i].end, PAGE_SIZE), true);
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		stats.free += !test_bit(pfn);
	stats.boot_reserved = stats.total - stats.free;
	stats.max_pfn = max_pfn;
	next_hint = LOW_RESERVED / PAGE_SIZE;
	pr_info("%lu MiB usable, %lu MiB free, %lu KiB reserved at boot; frame tables at %#lx\n",
		stats.total >> 8, stats.free >> 8, stats.boot_reserved * 4, (unsigned long)space);
}

/* First run of n free frames aligned to align, from pfn `from` up to `to`. */
static unsigned long search(unsigned long from, unsigned long to, size_t n, size_t align)
{
	unsigned long pfn = ALIGN_UP(from, align);

	while (pfn + n <= to) {
		size_t i;

		if (bitmap[pfn / 64] == ~0ull && pfn % 64 == 0 && align <= 64) {
			pfn += 64;
			continue;
		}
		for (i = 0; i < n && !test_bit(pfn + i); i++)
			;
		if (i == n)
			return pfn;
		pfn = ALIGN_UP(pfn + i + 1, align);
	}
	return 0;
}

phys_addr_t frame_alloc_contig(size_t n, size_t align)
{
	unsigned long flags, pfn;

	if (!n || !align || (align & (align - 1)) || !bitmap)
		return 0;
	spin_lock_irqsave(&frame_lock, flags);
	pfn = search(next_hint, max_pfn, n, align);
	if (!pfn)
		pfn = search(LOW_RESERVED / PAGE_SIZE, max_pfn, n, align);
	if (pfn) {
		for (size_t i = 0; i < n; i++) {
			set_bit(pfn + i);
			mem_map[pfn + i] = (struct page){ .owner = PAGE_OWNER_ALLOC };
		}
		stats.free -= n;
		stats.allocs++;
		next_hint = pfn + n;
	}
	spin_unlock_irqrestore(&frame_lock, flags);
	return (phys_addr_t)pfn * PAGE_SIZE;
}

phys_addr_t frame_alloc(void)
{
	return frame_alloc_contig(1, 1);
}

void frame_free_contig(phys_addr_t pa, size_t n)
{
	unsigned long flags, pfn = pa / PAGE_SIZE;

	if (WARN(pa % PAGE_SIZE || pfn + n > max_pfn || pfn < LOW_RESERVED / PAGE_SIZE,
		 "mm: frame_free of bad address %#lx (%zu frames)\n", (unsigned long)pa, n))
		return;
	spin_lock_irqsave(&frame_lock, flags);
	for (size_t i = 0; i < n; i++) {
		if (!test_bit(pfn + i) || mem_map[pfn + i].owner == PAGE_OWNER_BOOT) {
			spin_unlock_irqrestore(&frame_lock, flags);
			WARN(1, "mm: freeing frame %#lx, which is %s\n",
			     (unsigned long)(pfn + i) * PAGE_SIZE,
			     test_bit(pfn + i) ? "reserved at boot" : "already free");
			spin_lock_irqsave(&frame_lock, flags);
			continue;
		}
		clear_bit(pfn + i);
		mem_map[pfn + i] = (struct page){ .owner = PAGE_OWNER_NONE };
		stats.free++;
	}
	stats.frees++;
	spin_unlock_irqrestore(&frame_lock, flags);
}

void frame_free(phys_addr_t pa)
{
	frame_free_contig(pa, 1);
}

bool frame_in_use(phys_addr_t pa)
{
	unsigned long pfn = pa / PAGE_SIZE;

	return pfn >= max_pfn || test_bit(pfn);
}

void frame_get_stats(struct frame_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&frame_lock, flags);
	*st = stats;
	spin_unlock_irqrestore(&frame_lock, flags);
}

struct page *phys_to_page(phys_addr_t pa)
{
	unsigned long pfn = pa / PAGE_SIZE;

	return pfn < max_pfn ? &mem_map[pfn] : NULL;
}

struct page *virt_to_page(const void *va)
{
	return phys_to_page(virt_to_phys(va));
}
