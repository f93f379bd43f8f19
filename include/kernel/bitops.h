/*
 * Atomic bit operations on unsigned long words (Linux's bitops names).
 * The test_and_* forms are full barriers; set_bit/clear_bit are atomic
 * but order nothing.
 */
#ifndef KERNEL_BITOPS_H
#define KERNEL_BITOPS_H

#include <kernel/types.h>

#define BITS_PER_LONG	64
#define BIT(n)		(1UL << (n))

static inline void set_bit(unsigned int nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(addr + nr / BITS_PER_LONG, BIT(nr % BITS_PER_LONG), __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned int nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(addr + nr / BITS_PER_LONG, ~BIT(nr % BITS_PER_LONG), __ATOMIC_RELAXED);
}

/* clear_bit with release ordering: what the holder did is visible before the bit clears. */
static inline void clear_bit_unlock(unsigned int nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(addr + nr / BITS_PER_LONG, ~BIT(nr % BITS_PER_LONG), __ATOMIC_RELEASE);
}

static inline bool test_bit(unsigned int nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(addr + nr / BITS_PER_LONG, __ATOMIC_RELAXED) >> (nr % BITS_PER_LONG)) & 1;
}

static inline bool test_and_set_bit(unsigned int nr, volatile unsigned long *addr)
{
	unsigned long m = BIT(nr % BITS_PER_LONG);
	return __atomic_fetch_or(addr + nr / BITS_PER_LONG, m, __ATOMIC_SEQ_CST) & m;
}

static inline bool test_and_clear_bit(unsigned int nr, volatile unsigned long *addr)
{
	unsigned long m = BIT(nr % BITS_PER_LONG);
	return __atomic_fetch_and(addr + nr / BITS_PER_LONG, ~m, __ATOMIC_SEQ_CST) & m;
}

/* Index of the lowest set bit; word must not be 0. */
/* Set bits in w (Linux's hweight64; no libgcc, so not __builtin_popcount). */
static inline unsigned int hweight64(u64 w)
{
	unsigned int n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}
static inline unsigned int __ffs(unsigned long word) { return (unsigned int)__builtin_ctzl(word); }

#endif
