/*
 * kmalloc: small objects from size classes (16 B - 2 KiB), each class
 * carved out of whole pages; larger requests get contiguous frames.
 * Never sleeps, so GFP_KERNEL and GFP_ATOMIC behave alike for now; the
 * flags are kept so callers already say which context they are in.
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include <kernel/types.h>

typedef unsigned int gfp_t;
#define GFP_KERNEL	0x01u		/* may sleep (process context) */
#define GFP_ATOMIC	0x02u		/* must not sleep (interrupt context, locks held) */
#define __GFP_ZERO	0x100u		/* return zeroed memory */

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_MAX_CACHE_SIZE	2048	/* larger: whole pages */
#define KMALLOC_NR_CLASSES	10

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
/* Free memory from kmalloc (NULL is ignored; a pointer kmalloc did not give is reported). */
void kfree(const void *p);
/* The usable size of an allocation (its class size, or its pages). */
size_t ksize(const void *p);

struct kmalloc_class_stats {
	unsigned int size;
	unsigned long allocs, frees;	/* calls since boot */
	unsigned long in_use;		/* objects handed out now */
	unsigned long pages;		/* pages the class holds */
};

struct kmalloc_stats {
	struct kmalloc_class_stats classes[KMALLOC_NR_CLASSES];
	unsigned long large_allocs, large_frees, large_pages;	/* > KMALLOC_MAX_CACHE_SIZE */
	unsigned long failed;		/* requests that could not be met */
};

void kmalloc_get_stats(struct kmalloc_stats *st);

/*
 * Fault injection for tests (Linux's failslab, reduced): the next n calls
 * to kmalloc() on this CPU fail as if memory had run out.
 */
void kmalloc_inject_failures(unsigned int n);
/* Print the statistics with print (printk-like, e.g. console_printf). */
void kmalloc_print_stats(int (*print)(const char *fmt, ...));

#endif
