/*
 * sort(): heapsort (Williams 1964; Floyd's bottom-up heap construction),
 * chosen as Linux's lib/sort.c chooses it: O(n log n) in the worst case,
 * in place, no recursion. Elements are moved by swapping, 8 bytes at a
 * time when size and alignment allow.
 */
#include <kernel/sort.h>

static void swap_bytes(void *a, void *b, int size)
{
	char *x = a, *y = b;

	while (size--) {
		char c = *x;

		*x++ = *y;
		*y++ = c;
	}
}

static void swap_u64(void *a, void *b, int size)
{
	u64 *x = a, *y = b;

	for (int i = 0; i < size / 8; i++) {
		u64 v = x[i];

		x[i] = y[i];
		y[i] = v;
	}
}

/* Move the element at root down the heap of n elements until both children are smaller. */
static void sift_down(char *base, size_t root, size_t n, size_t size, cmp_func_t cmp,
		      swap_func_t swap)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, (int)size);
		root = child;
	}
}

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func)
{
	char *b = base;

	if (num < 2 || !size)
		return;
	if (!swap_func)
		swap_func = (size % 8 == 0 && ((unsigned long)base % 8) == 0) ? swap_u64 : swap_bytes;
	/* build a max-heap: every parent, last one first */
	for (size_t i = num / 2; i-- > 0;)
		sift_down(b, i, num, size, cmp_func, swap_func);
	/* move the largest to the end, shrink the heap, restore it */
	for (size_t end = num - 1; end > 0; end--) {
		swap_func(b, b + end * size, (int)size);
		sift_down(b, 0, end, size, cmp_func, swap_func);
	}
}
