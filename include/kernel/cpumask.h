/*
 * Sets of CPUs (Linux's cpumask, fixed size: NR_CPUS bits), and the
 * "cpulist" text form Linux uses on its command line and in /proc
 * ("0-2,5"; kernel/lib/cpumask.c).
 */
#ifndef KERNEL_CPUMASK_H
#define KERNEL_CPUMASK_H

#include <kernel/types.h>
#include <kernel/bitops.h>
#include <asm/percpu.h>

struct cpumask {
	u64 bits[(NR_CPUS + 63) / 64];
};

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		m->bits[i] = 0;
}
static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m) { m->bits[cpu / 64] |= 1ull << (cpu % 64); }
static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m) { m->bits[cpu / 64] &= ~(1ull << (cpu % 64)); }
static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m) { return (m->bits[cpu / 64] >> (cpu % 64)) & 1; }
static inline bool cpumask_empty(const struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		if (m->bits[i])
			return false;
	return true;
}
/* The lowest CPU in m, or NR_CPUS if m is empty. */
static inline unsigned int cpumask_first(const struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		if (m->bits[i])
			return i * 64 + __builtin_ctzll(m->bits[i]);
	return NR_CPUS;
}
/* The lowest CPU in m above n, or NR_CPUS if there is none. */
static inline unsigned int cpumask_next(int n, const struct cpumask *m)
{
	for (unsigned int cpu = (unsigned int)(n + 1); cpu < NR_CPUS; cpu++)
		if (cpumask_test_cpu(cpu, m))
			return cpu;
	return NR_CPUS;
}
#define for_each_cpu(cpu, m)							\
	for ((cpu) = (int)cpumask_next(-1, (m)); (cpu) < NR_CPUS;		\
	     (cpu) = (int)cpumask_next((cpu), (m)))
static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int n = 0;

	/* bit by bit: the popcount builtin needs libgcc without -mpopcnt */
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		for (u64 b = m->bits[i]; b; b &= b - 1)
			n++;
	return n;
}
static inline void cpumask_setall(struct cpumask *m)
{
	cpumask_clear(m);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, m);
}
/* dst = a & b; returns whether dst is non-empty (as Linux's cpumask_and). */
static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	u64 any = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(dst->bits); i++)
		any |= dst->bits[i] = a->bits[i] & b->bits[i];
	return any != 0;
}
static inline bool cpumask_intersects(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(a->bits); i++)
		if (a->bits[i] & b->bits[i])
			return true;
	return false;
}
static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(a->bits); i++)
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}
static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src) { *dst = *src; }
static inline struct cpumask cpumask_of(unsigned int cpu)
{
	struct cpumask m;

	cpumask_clear(&m);
	cpumask_set_cpu(cpu, &m);
	return m;
}

/*
 * Parse a cpulist ("0-2,5", "3", ranges and single CPUs separated by
 * commas; "a-b:g/n" group syntax is not supported) into dst. CPUs at or
 * above NR_CPUS are dropped. Returns 0, or -EINVAL for text that is not a
 * cpulist (dst is then unchanged).
 */
int cpulist_parse(const char *buf, struct cpumask *dst);
/* Print m as a cpulist ("0-2,5"; "" if empty) into buf; returns the length stored. */
int cpumap_print_list(char *buf, size_t size, const struct cpumask *m);

#endif
