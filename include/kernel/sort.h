/* In-place sorting of arrays (Linux's lib/sort.c API). */
#ifndef KERNEL_SORT_H
#define KERNEL_SORT_H

#include <kernel/types.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

/**
 * sort - sort an array in place, in O(n log n) time and O(1) space
 * @base: the first element
 * @num: number of elements
 * @size: bytes per element
 * @cmp_func: negative, zero or positive as *a is less than, equal to or greater than *b
 * @swap_func: exchanges two elements; NULL swaps their bytes
 *
 * A heapsort: never quadratic, needs no memory, and is not stable.
 */
void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func, swap_func_t swap_func);

#endif
