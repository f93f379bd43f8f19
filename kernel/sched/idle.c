/*
 * The idle loop: each CPU's idle task halts until an interrupt, and
 * switches away when one made a task runnable (need_resched).
 */
#include <kernel/sched.h>
#include <asm/irqflags.h>

void __noreturn cpu_idle_loop(void)
{
	for (;;) {
		while (!need_resched()) {
			idle_balance();
			local_irq_disable();
			/* sti;hlt: a wake-up between the test and the halt still ends the halt */
			if (!need_resched())
				safe_halt();
			else
				local_irq_enable();
		}
		schedule();
	}
}
