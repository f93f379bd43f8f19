/*
 * Entering and leaving hard-IRQ context (Linux's kernel/softirq.c keeps
 * these next to the softirq machinery, which runs in irq_exit()).
 */
#include <kernel/interrupt.h>
#include <kernel/preempt.h>
#include <kernel/bug.h>

void irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
}

/*
 * Leave hard-IRQ context. This is where pending softirqs will run, when
 * the outermost interrupt returns to task context, and where the return
 * path will check need_resched once there is a scheduler; neither exists
 * yet (they arrive with kernel threads and the bottom halves).
 */
void irq_exit(void)
{
	WARN_ON_ONCE(!irqs_disabled());
	WARN_ON_ONCE(!in_hardirq());
	preempt_count_sub(HARDIRQ_OFFSET);
}
