/*
 * kmalloc size classes. A class keeps a free list threaded through its
 * free objects; when it runs dry, one frame is cut into objects of the
 * class size and its struct page records the class, which is how kfree()
 * finds it again. Class pages stay with their class (a cache, counted in
 * the statistics). Requests above 2 KiB take contiguous frames, with the
 * length in the first frame's struct page.
 */
#define pr_fmt(fmt) "kmalloc: " fmt
#include <kernel/slab.h>
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <asm/percpu.h>

static const unsigned int class_size[KMALLOC_NR_CLASSES] = {
	16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048,
};

struct free_obj {
	struct free_obj *next;
};

struct kmem_class {
	spinlock_t lock;
	struct free_obj *free;		/* L: lock */
	struct kmalloc_class_stats st;	/* L: lock */
};

static struct kmem_class classes[KMALLOC_NR_CLASSES];
static DEFINE_SPINLOCK(large_lock);
static unsigned long large_allocs, large_frees, large_pages, failed;	/* L: large_lock */

static DEFINE_PER_CPU(unsigned int, inject_failures);

void kmalloc_inject_failures(unsigned int n)
{
	this_cpu_write(inject_failures, n);
}

static bool should_fail(void)
{
	if (likely(!this_cpu_read(inject_failures)))
		return false;
	this_cpu_dec(inject_failures);
	return true;
}

static int size_to_class(size_t size)
{
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		if (size <= class_size[i])
			return i;
	return -1;
}

/* Cut a new frame into objects for class c. Called with c->lock held. */
static bool grow(struct kmem_class *c, int idx)
{
	phys_addr_t pa = frame_alloc();
	unsigned int size = class_size[idx];
	char *base;

	if (!pa)
		return false;
	phys_to_page(pa)->owner = PAGE_OWNER_SLAB;
	phys_to_page(pa)->slab_class = idx;
	base = phys_to_virt(pa);
	for (unsigned int off = 0; off + size <= PAGE_SIZE; off += size) {
		struct free_obj *o = (struct free_obj *)(base + off);
		o->next = c->free;
		c->free = o;
	}
	c->st.pages++;
	return true;
}

static void *large_alloc(size_t size)
{
	size_t n = DIV_ROUND_UP(size, PAGE_SIZE);
	phys_addr_t pa = frame_alloc_contig(n, 1);
	unsigned long flags;

	spin_lock_irqsave(&large_lock, flags);
	if (pa) {
		large_allocs++;
		large_pages += n;
	} else {
		failed++;
	}
	spin_unlock_irqrestore(&large_lock, flags);
	if (!pa)
		return NULL;
	phys_to_page(pa)->owner = PAGE_OWNER_LARGE;
	phys_to_page(pa)->nr_pages = n;
	return phys_to_virt(pa);
}

void *kmalloc(size_t size, gfp_t flags)
{
	int idx = size_to_class(size ? size : 1);
	struct kmem_class *c;
	struct free_obj *o;
	unsigned long irq;
	void *p;

	if (should_fail()) {
		spin_lock_irqsave(&large_lock, irq);
		failed++;
		spin_unlock_irqrestore(&large_lock, irq);
		return NULL;
	}
	if (idx < 0) {
		p = large_alloc(size);
	} else {
		c = &classes[idx];
		spin_lock_irqsave(&c->lock, irq);
		if (!c->free && !grow(c, idx)) {
			spin_unlock_irqrestore(&c->lock, irq);
			spin_lock_irqsave(&large_lock, irq);
			failed++;
			spin_unlock_irqrestore(&large_lock, irq);
			return NULL;
		}
		o = c->free;
		c->free = o->next;
		c->st.allocs++;
		c->st.in_use++;
		spin_unlock_irqrestore(&c->lock, irq);
		p = o;
	}
	/* all of what ksize() reports, not just what was asked for */
	if (p && (flags & __GFP_ZERO))
		memset(p, 0, idx < 0 ? ALIGN_UP(size, PAGE_SIZE) : class_size[idx]);
	return p;
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kzalloc(n * size, flags);
}

size_t ksize(const void *p)
{
	struct page *pg = p ? virt_to_page(p) : NULL;

	if (!pg)
		return 0;
	if (pg->owner == PAGE_OWNER_SLAB)
		return class_size[pg->slab_class];
	if (pg->owner == PAGE_OWNER_LARGE)
		return (size_t)pg->nr_pages * PAGE_SIZE;
	return 0;
}

void kfree(const void *p)
{
	unsigned long addr = (unsigned long)p, flags;
	struct page *pg;

	if (!p)
		return;
	pg = (addr >= PAGE_OFFSET && addr < PAGE_OFFSET + DIRECT_MAP_SIZE) ? virt_to_page(p) : NULL;
	if (pg && pg->owner == PAGE_OWNER_SLAB) {
		struct kmem_class *c = &classes[pg->slab_class];
		struct free_obj *o = (struct free_obj *)p;
		unsigned long off = addr & ~PAGE_MASK, size = class_size[pg->slab_class];

		/*
		 * Objects start at multiples of the size, and the last one ends
		 * inside the page: for 96 and 192 the tail past it is a multiple
		 * of the size too, but no object.
		 */
		if (WARN(off % size || off + size > PAGE_SIZE,
			 "kfree: %p is not the start of a %lu-byte object\n", p, size))
			return;
		spin_lock_irqsave(&c->lock, flags);
		o->next = c->free;
		c->free = o;
		c->st.frees++;
		c->st.in_use--;
		spin_unlock_irqrestore(&c->lock, flags);
	} else if (pg && pg->owner == PAGE_OWNER_LARGE && !(addr & ~PAGE_MASK)) {
		u32 n = pg->nr_pages;

		pg->owner = PAGE_OWNER_ALLOC;
		frame_free_contig(virt_to_phys(p), n);
		spin_lock_irqsave(&large_lock, flags);
		large_frees++;
		large_pages -= n;
		spin_unlock_irqrestore(&large_lock, flags);
	} else {
		WARN(1, "kfree: %p was not allocated by kmalloc\n", p);
	}
}

void kmalloc_get_stats(struct kmalloc_stats *st)
{
	unsigned long flags;

	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		spin_lock_irqsave(&classes[i].lock, flags);
		st->classes[i] = classes[i].st;
		st->classes[i].size = class_size[i];
		spin_unlock_irqrestore(&classes[i].lock, flags);
	}
	spin_lock_irqsave(&large_lock, flags);
	st->large_allocs = large_allocs;
	st->large_frees = large_frees;
	st->large_pages = large_pages;
	st->failed = failed;
	spin_unlock_irqrestore(&large_lock, flags);
}

void kmalloc_print_stats(int (*print)(const char *fmt, ...))
{
	struct kmalloc_stats st;

	kmalloc_get_stats(&st);
	print("%-12s %10s %10s %8s %6s\n", "class", "allocs", "frees", "in use", "pages");
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		const struct kmalloc_class_stats *c = &st.classes[i];
		print("kmalloc-%-4u %10lu %10lu %8lu %6lu\n", c->size, c->allocs, c->frees,
			c->in_use, c->pages);
	}
	print("%-12s %10lu %10lu %8lu %6lu\n", "large", st.large_allocs, st.large_frees,
		st.large_allocs - st.large_frees, st.large_pages);
	if (st.failed)
		print("%lu requests failed\n", st.failed);
}
