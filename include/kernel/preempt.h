/*
 * preempt_count, Linux's layout: which contexts this CPU is nested in.
 *
 *   bits  0-7   preemption disable depth
 *   bits  8-15  softirq: bit 8 = serving a softirq, +2 per local_bh_disable
 *   bits 16-19  hard-IRQ nesting depth
 *   bits 20-23  NMI nesting depth
 *
 * It lives in a per-CPU variable (as on x86 Linux), so reading it is one
 * %gs-relative instruction.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include <asm/percpu.h>
#include <asm/irqflags.h>
#include <kernel/compiler.h>

#define PREEMPT_BITS	8
#define SOFTIRQ_BITS	8
#define HARDIRQ_BITS	4
#define NMI_BITS	4

#define PREEMPT_SHIFT	0
#define SOFTIRQ_SHIFT	(PREEMPT_SHIFT + PREEMPT_BITS)
#define HARDIRQ_SHIFT	(SOFTIRQ_SHIFT + SOFTIRQ_BITS)
#define NMI_SHIFT	(HARDIRQ_SHIFT + HARDIRQ_BITS)

#define __IRQ_MASK(x)	((1u << (x)) - 1)
#define PREEMPT_MASK	(__IRQ_MASK(PREEMPT_BITS) << PREEMPT_SHIFT)
#define SOFTIRQ_MASK	(__IRQ_MASK(SOFTIRQ_BITS) << SOFTIRQ_SHIFT)
#define HARDIRQ_MASK	(__IRQ_MASK(HARDIRQ_BITS) << HARDIRQ_SHIFT)
#define NMI_MASK	(__IRQ_MASK(NMI_BITS) << NMI_SHIFT)

#define PREEMPT_OFFSET	(1u << PREEMPT_SHIFT)
#define SOFTIRQ_OFFSET	(1u << SOFTIRQ_SHIFT)
#define HARDIRQ_OFFSET	(1u << HARDIRQ_SHIFT)
#define NMI_OFFSET	(1u << NMI_SHIFT)
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)

DECLARE_PER_CPU(unsigned int, __preempt_count);

static inline unsigned int preempt_count(void) { return this_cpu_read(__preempt_count); }
static inline void preempt_count_add(unsigned int v) { this_cpu_add(__preempt_count, v); }
static inline void preempt_count_sub(unsigned int v) { this_cpu_sub(__preempt_count, v); }

#define hardirq_count()		(preempt_count() & HARDIRQ_MASK)
#define softirq_count()		(preempt_count() & SOFTIRQ_MASK)
#define irq_count()		(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_nmi()		(preempt_count() & NMI_MASK)
#define in_hardirq()		(hardirq_count())
#define in_softirq()		(softirq_count())
#define in_serving_softirq()	(softirq_count() & SOFTIRQ_OFFSET)
#define in_interrupt()		(irq_count())
#define in_task()		(!in_interrupt())

/*
 * Set when the task running on this CPU should give way (by the tick, or
 * a wake-up of a task that should run first); schedule() clears it.
 */
DECLARE_PER_CPU(bool, cpu_need_resched);
void preempt_schedule(void);

#define preempt_disable()	do { preempt_count_add(1); barrier(); } while (0)
#define preempt_enable_no_resched() do { barrier(); preempt_count_sub(1); } while (0)
/* Back at count 0 with a reschedule due: switch now (preempt_schedule() checks interrupts are on). */
#define preempt_enable()							\
	do {									\
		barrier();							\
		preempt_count_sub(1);						\
		if (unlikely(this_cpu_read(cpu_need_resched)) && preempt_count() == 0) \
			preempt_schedule();					\
	} while (0)
#define preemptible()		(preempt_count() == 0 && !irqs_disabled())

#endif
