/*
 * The QEMU edu device (include/kernel/edu.h) as a real interrupt source,
 * from just before the MMIO write to its raise register (0x60):
 *   edu_hardirq / edu_msi_hardirq: to the first statement of the hard
 *     handler;
 *   edu_thread / edu_msi_thread: to the first statement of the threaded
 *     handler, in the same iteration.
 * The hard handler takes its timestamp first, reads the status (0x24),
 * returns IRQ_NONE if it is 0, else acknowledges it (0x64, which lowers
 * INTx) and returns IRQ_WAKE_THREAD; the thread signals a completion
 * (sleep wait). Registered IRQF_ONESHOT (and IRQF_SHARED on INTx, as the
 * edu driver does) with the affinity set to CPU 0, first on INTx (level,
 * IOAPIC or 8259A), then on MSI (edge, straight to the local APIC).
 * The device is the edu driver's edu0, as the edu tests use it.
 */
#include <kernel/bench.h>
#include <kernel/edu.h>
#include <kernel/interrupt.h>
#include <kernel/cpumask.h>
#include <asm/io.h>

static struct bench_stop edu_stop;
static struct edu_dev *bench_edu;
static u64 edu_t_hard;
static unsigned long edu_none;		/* IRQ_NONE returns (the INTx line is shared) */

static irqreturn_t edu_hard_fn(int irq, void *dev_id)
{
	u64 t = bench_ts();
	struct edu_dev *edu = dev_id;
	u32 status = readl((u8 *)edu->mmio + EDU_REG_IRQ_STATUS);

	if (!status) {
		edu_none++;
		return IRQ_NONE;
	}
	writel(status, (u8 *)edu->mmio + EDU_REG_IRQ_ACK);
	WRITE_ONCE(edu_t_hard, t);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t edu_thread_fn(int irq, void *dev_id)
{
	bench_stop_sleep(&edu_stop);
	return IRQ_HANDLED;
}

static int edu_iter(struct bench *b, u64 *a, u64 *c)
{
	u64 t0;

	bench_stop_arm(&edu_stop);
	WRITE_ONCE(edu_t_hard, 0);
	t0 = bench_ts();
	writel(1, (u8 *)bench_edu->mmio + EDU_REG_IRQ_RAISE);
	if (bench_sleep_wait(b, &edu_stop))
		return -ETIMEDOUT;
	*a = READ_ONCE(edu_t_hard) - t0;
	*c = edu_stop.t - t0;
	return 0;
}

static void edu_run(struct bench *b, bool msi, const char *hard_name, const char *thread_name)
{
	struct cpumask cpu0 = cpumask_of(0);
	int ret;

	bench_edu = edu_get(0);
	if (!bench_edu) {
		bench_err(b, hard_name, "no edu device");
		return;
	}
	ret = edu_request_threaded_irq(bench_edu, msi, edu_hard_fn, edu_thread_fn, IRQF_ONESHOT);
	if (ret) {
		bench_err(b, hard_name, "cannot get the %s interrupt: %d", msi ? "MSI" : "INTx", ret);
		return;
	}
	ret = irq_set_affinity(bench_edu->irq, &cpu0);
	bench_info(b, "%s irq=%d (%s) affinity_cpu=0 set_affinity=%d", hard_name, bench_edu->irq,
		   msi ? "MSI" : "INTx", ret);
	bench_stop_init(&edu_stop);
	edu_none = 0;
	bench_latency(b, hard_name, thread_name, edu_iter);
	if (edu_none)
		bench_info(b, "%s IRQ_NONE returns: %lu", hard_name, edu_none);
	edu_free_irq(bench_edu);
	edu_ack(bench_edu, edu_status(bench_edu));
}

static void edu_intx_run(struct bench *b)
{
	edu_run(b, false, "edu_hardirq", "edu_thread");
}
BENCH_DEFINE(50, edu_hardirq, edu_intx_run, "edu_hardirq", "edu_thread");

static void edu_msi_run(struct bench *b)
{
	edu_run(b, true, "edu_msi_hardirq", "edu_msi_thread");
}
BENCH_DEFINE(51, edu_msi_hardirq, edu_msi_run, "edu_msi_hardirq", "edu_msi_thread");
