/*
 * irq_work_selfipi: from just before irq_work_queue() (plain work, queued
 * on this CPU) to the first statement of its callback, which runs in
 * hard-IRQ context from the IRQ_WORK_VECTOR self-IPI. Spin wait: the
 * interrupt pre-empts the polling thread. Cannot run without an
 * interrupt to raise (no local APIC): the tick would run the work.
 */
#include <kernel/bench.h>
#include <kernel/irq_work.h>

static struct bench_stop iw_stop;

static void iw_lat_fn(struct irq_work *w)
{
	bench_stop_spin(&iw_stop);
}
static struct irq_work iw_lat = IRQ_WORK_INIT(iw_lat_fn);

static int irq_work_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&iw_stop);
	t0 = bench_ts();
	irq_work_queue(&iw_lat);
	if (bench_spin_wait(b, &iw_stop))
		return -ETIMEDOUT;
	*a = iw_stop.t - t0;
	return 0;
}

static void irq_work_run_bench(struct bench *b)
{
	if (!arch_irq_work_has_interrupt()) {
		bench_err(b, "irq_work_selfipi", "no irq_work interrupt (no local APIC): runs from the tick");
		return;
	}
	bench_stop_init(&iw_stop);
	bench_latency(b, "irq_work_selfipi", NULL, irq_work_iter);
	irq_work_sync(&iw_lat);
}
BENCH_DEFINE(10, irq_work_selfipi, irq_work_run_bench, "irq_work_selfipi");
