/*
 * softirq_from_hardirq: from just before tasklet_schedule() inside an
 * irq_work callback (hard-IRQ context, raised by the self-IPI) to the
 * first statement of the tasklet function, which runs from irq_exit() of
 * that interrupt, on CPU 0, before it returns. Spin wait.
 */
#include <kernel/bench.h>
#include <kernel/interrupt.h>
#include <kernel/irq_work.h>

static struct bench_stop sh_stop;
static u64 sh_start;

static void sh_tasklet_fn(struct tasklet_struct *t)
{
	bench_stop_spin(&sh_stop);
}
static DECLARE_TASKLET(sh_tasklet, sh_tasklet_fn);

static void sh_irq_work_fn(struct irq_work *w)
{
	WRITE_ONCE(sh_start, bench_ts());
	tasklet_schedule(&sh_tasklet);
}
static struct irq_work sh_irq_work = IRQ_WORK_INIT(sh_irq_work_fn);

static int softirq_iter(struct bench *b, u64 *a, u64 *c)
{
	bench_stop_arm(&sh_stop);
	irq_work_queue(&sh_irq_work);
	if (bench_spin_wait(b, &sh_stop))
		return -ETIMEDOUT;
	*a = sh_stop.t - READ_ONCE(sh_start);
	return 0;
}

static void softirq_run(struct bench *b)
{
	if (!arch_irq_work_has_interrupt()) {
		bench_err(b, "softirq_from_hardirq", "no irq_work interrupt (no local APIC)");
		return;
	}
	bench_stop_init(&sh_stop);
	bench_latency(b, "softirq_from_hardirq", NULL, softirq_iter);
	irq_work_sync(&sh_irq_work);
	tasklet_kill(&sh_tasklet);
}
BENCH_DEFINE(30, softirq_from_hardirq, softirq_run, "softirq_from_hardirq");
