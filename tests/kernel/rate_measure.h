/*
 * Measuring an interrupt rate under TCG on a busy host: spin, watch a
 * counter the interrupt advances, and take the median of the intervals
 * between its steps. A host that stalls the virtual CPU makes a few
 * intervals long (and the emulator merges the interrupts it could not
 * deliver), which moves a mean but not the median; a wrongly programmed
 * rate moves every interval, so the median still catches it.
 */
#ifndef TESTS_RATE_MEASURE_H
#define TESTS_RATE_MEASURE_H

#include <kernel/time.h>
#include <kernel/compiler.h>
#include <asm/special_insns.h>
#include <asm/irqflags.h>

#define RATE_MAX_INTERVALS 2048

struct rate_sample {
	u64 median_ns;			/* median interval between single steps */
	unsigned int intervals;		/* single steps seen */
	unsigned long steps;		/* all steps, merged ones included */
	u64 span_ns;			/* first step to last step */
};

static u64 rate_intervals[RATE_MAX_INTERVALS];

/*
 * Wait (interrupts on) for about ns, recording the steps of read(): by
 * spinning, or with halt set by halting between interrupts (a spinning
 * vCPU competes for the host with QEMU's main loop, which runs device
 * timers such as the RTC's).
 */
static inline struct rate_sample rate_measure(unsigned long (*read)(void), u64 ns, bool halt)
{
	struct rate_sample r = { 0 };
	unsigned long last = read(), first = 0, v;
	u64 start = ktime_get_ns(), t_last = 0, t_first = 0, now;
	unsigned int n = 0;

	/* start at a step, so the first interval is a whole one */
	while ((v = read()) == last && ktime_get_ns() - start < ns)
		cpu_relax();
	last = first = v;
	t_last = t_first = ktime_get_ns();
	while ((now = ktime_get_ns()) - t_first < ns) {
		v = read();
		if (v == last) {
			if (halt) {
				/* check with interrupts off, then sti; hlt: one in between still ends the halt */
				local_irq_disable();
				if (read() == last)
					safe_halt();
				else
					local_irq_enable();
			} else {
				cpu_relax();
			}
			continue;
		}
		if (v - last == 1 && n < RATE_MAX_INTERVALS)
			rate_intervals[n++] = now - t_last;
		last = v;
		t_last = now;
	}
	/* insertion sort: a few hundred entries */
	for (unsigned int i = 1; i < n; i++) {
		u64 x = rate_intervals[i];
		unsigned int j = i;

		for (; j > 0 && rate_intervals[j - 1] > x; j--)
			rate_intervals[j] = rate_intervals[j - 1];
		rate_intervals[j] = x;
	}
	r.intervals = n;
	r.median_ns = n ? rate_intervals[(n - 1) / 2] : 0;
	r.steps = last - first;
	r.span_ns = t_last - t_first;
	return r;
}

#endif
