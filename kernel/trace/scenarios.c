/*
 * Trace scenarios: short, real interrupt stories recorded for `make
 * trace SCENARIO=name` (trace.scenario=NAME) and the shell's `trace
 * scenario NAME`. Each clears the buffer, traces itself, and stops
 * tracing when done; a timeout is an error, never a silent success.
 *
 *   edu_tasklet_work  edu INTx -> top half -> tasklet -> work item (3 events)
 *   softirq_flood     an interrupt starts a self-raising softirq; after
 *                     10 restarts the rest goes to ksoftirqd
 *   threaded_oneshot  a threaded IRQF_ONESHOT handler: the primary wakes
 *                     the irq thread, which acknowledges the device
 *   ipi               function-call IPIs to the other CPUs (2+ CPUs)
 *
 * The hard interrupt comes from the first edu device's INTx line, or,
 * without an edu device (Bochs), from an IPI-SIM line (asm/irq_sim.h).
 */
#define pr_fmt(fmt) "trace: " fmt
#include "internals.h"
#include <kernel/interrupt.h>
#include <kernel/workqueue.h>
#include <kernel/completion.h>
#include <kernel/sched.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>
#include <kernel/time.h>
#include <kernel/smp.h>
#include <kernel/edu.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <asm/irq_sim.h>
#include <asm/processor.h>

#define EVENT_TIMEOUT_MS	3000	/* per interrupt story; generous for a loaded host */
#define FLOOD_RUNS		60	/* softirq runs in the flood: 10 at irq_exit, the rest in ksoftirqd */
#define FLOOD_RUN_NS		(50 * NSEC_PER_USEC)	/* each run's work: the 2 ms limit is not what ends the first pass */
#define FLOOD_SOFTIRQ		NET_RX_SOFTIRQ	/* unused here: borrowed for the flood */

/* ---- the interrupt source ---- */

static struct {
	struct edu_dev *edu;		/* the edu device, or */
	int sim;			/* an IPI-SIM line (-1: none) */
	int irq;
	struct completion done;
	struct tasklet_struct tasklet;
	struct work_struct work;
	volatile unsigned long flood_runs;
} sc = { .sim = -1 };

/* The device's own acknowledgement: read and clear its status. False if it did not interrupt. */
static bool src_ack(void)
{
	u32 status;

	if (!sc.edu)
		return true;		/* an IPI-SIM edge needs none */
	status = edu_status(sc.edu);
	if (!status)
		return false;
	edu_ack(sc.edu, status);
	return true;
}

static int src_request(irq_handler_t handler, irq_handler_t thread_fn, unsigned long flags)
{
	int ret;

	sc.edu = edu_get(0);
	if (sc.edu) {
		edu_ack(sc.edu, edu_status(sc.edu));
		ret = edu_request_threaded_irq(sc.edu, false, handler, thread_fn, flags);
		sc.irq = sc.edu->irq;
		return ret;
	}
	sc.sim = irq_sim_create(NULL, NULL);
	if (sc.sim < 0)
		return -ENODEV;		/* neither an edu device nor a local APIC */
	ret = request_threaded_irq(sc.sim, handler, thread_fn, flags, "trace-sim", &sc);
	if (ret) {
		irq_sim_destroy(sc.sim);
		sc.sim = -1;
	}
	sc.irq = sc.sim;
	return ret;
}

static void src_fire(unsigned int n)
{
	if (sc.edu)
		edu_raise(sc.edu, 1u << (n % 32));
	else
		irq_sim_fire(sc.sim);
}

static void src_free(void)
{
	if (sc.edu) {
		edu_free_irq(sc.edu);
		edu_ack(sc.edu, edu_status(sc.edu));
		sc.edu = NULL;
	} else if (sc.sim >= 0) {
		free_irq(sc.sim, &sc);
		irq_sim_destroy(sc.sim);
		sc.sim = -1;
	}
}

/* Clear the buffer and trace from here; the story is named in the trace itself. */
static int begin_trace(const char *name)
{
	int ret;

	trace_clear();
	ret = trace_start();
	if (!ret)
		trace_printk("scenario %s", name);
	return ret;
}

static bool wait_done(void)
{
	return wait_for_completion_timeout(&sc.done, msecs_to_jiffies(EVENT_TIMEOUT_MS));
}

/*
 * The device stories: trace three raises of the requested line, each
 * waited for to its end (sc.done), then stop tracing and free the line.
 */
static int traced_three_fires(const char *name)
{
	int ret = begin_trace(name);

	for (unsigned int n = 1; n <= 3 && !ret; n++) {
		src_fire(n);
		if (!wait_done())
			ret = -ETIMEDOUT;
	}
	trace_stop();
	src_free();
	return ret;
}

/* ---- edu INTx -> tasklet -> work item ---- */

static void story_work(struct work_struct *work)
{
	msleep(1);			/* process context may sleep: the item shows in two pieces */
	complete(&sc.done);
}

static void story_tasklet(struct tasklet_struct *t)
{
	queue_work(system_wq, &sc.work);
}

static irqreturn_t story_top_half(int irq, void *dev_id)
{
	if (!src_ack())
		return IRQ_NONE;	/* the other edu on the shared line */
	tasklet_schedule(&sc.tasklet);
	return IRQ_HANDLED;
}

static int scenario_edu_tasklet_work(void)
{
	int ret;

	init_completion(&sc.done);
	tasklet_setup(&sc.tasklet, story_tasklet);
	INIT_WORK(&sc.work, story_work);
	ret = src_request(story_top_half, NULL, 0);
	if (ret)
		return ret;
	ret = traced_three_fires("edu_tasklet_work");
	tasklet_kill(&sc.tasklet);
	flush_work(&sc.work);
	return ret;
}

/* ---- a softirq flood handed to ksoftirqd ---- */

static void flood_action(struct softirq_action *h)
{
	unsigned long runs = ++sc.flood_runs;
	u64 until = ktime_get_ns() + FLOOD_RUN_NS;

	while (ktime_get_ns() < until)
		cpu_relax();
	if (runs < FLOOD_RUNS)
		raise_softirq(FLOOD_SOFTIRQ);
	else
		complete(&sc.done);
}

static irqreturn_t flood_top_half(int irq, void *dev_id)
{
	if (!src_ack())
		return IRQ_NONE;
	raise_softirq_irqoff(FLOOD_SOFTIRQ);	/* irq_exit() runs it, 10 passes at most */
	return IRQ_HANDLED;
}

/* While a ksoftirqd is runnable, irq_exit() leaves it the softirqs: start from all asleep. */
static bool ksoftirqds_idle(unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;
	bool idle;
	int cpu;

	do {
		idle = true;
		for_each_online_cpu(cpu)
			if (ksoftirqd_task(cpu) && task_is_running(ksoftirqd_task(cpu)))
				idle = false;
		if (!idle)
			schedule_timeout_uninterruptible(1);
	} while (!idle && ktime_get_ns() < end);
	return idle;
}

static int scenario_softirq_flood(void)
{
	int ret;

	if (softirq_action_of(FLOOD_SOFTIRQ))
		return -EBUSY;		/* someone uses NET_RX after all */
	init_completion(&sc.done);
	sc.flood_runs = 0;
	open_softirq(FLOOD_SOFTIRQ, flood_action);
	ret = src_request(flood_top_half, NULL, 0);
	if (ret)
		goto out;
	ksoftirqds_idle(1000);
	ret = begin_trace("softirq_flood");
	if (!ret) {
		src_fire(1);
		if (!wait_done())
			ret = -ETIMEDOUT;
		/* the last run may still be returning: let its softirq_exit be recorded */
		msleep(2);
	}
	trace_stop();
	src_free();
out:
	open_softirq(FLOOD_SOFTIRQ, NULL);
	return ret;
}

/* ---- a threaded ONESHOT interrupt ---- */

static irqreturn_t oneshot_primary(int irq, void *dev_id)
{
	/* claim it, leave the device asserting: the line stays masked until the thread ran */
	if (sc.edu && !edu_status(sc.edu))
		return IRQ_NONE;
	return IRQ_WAKE_THREAD;
}

static irqreturn_t oneshot_thread(int irq, void *dev_id)
{
	src_ack();
	complete(&sc.done);
	return IRQ_HANDLED;
}

static int scenario_threaded_oneshot(void)
{
	int ret;

	init_completion(&sc.done);
	ret = src_request(oneshot_primary, oneshot_thread, IRQF_ONESHOT);
	if (ret)
		return ret;
	ret = traced_three_fires("threaded_oneshot");
	return ret;
}

/* ---- function-call IPIs ---- */

static void ipi_func(void *info)
{
	__atomic_add_fetch((unsigned long *)info, 1, __ATOMIC_RELAXED);
}

static int scenario_ipi(void)
{
	unsigned long calls = 0;
	int ret;

	if (num_online_cpus() < 2)
		return -ENODEV;
	ret = begin_trace("ipi");
	if (ret)
		return ret;
	for (int cpu = 1; cpu < (int)num_online_cpus() && !ret; cpu++)
		ret = smp_call_function_single(cpu, ipi_func, &calls, 1);
	if (!ret)
		on_each_cpu(ipi_func, &calls, 1);
	trace_stop();
	if (!ret && calls != 2 * num_online_cpus() - 1)
		ret = -EIO;
	return ret;
}

/* ---- the table ---- */

static const struct {
	const char *name;
	int (*run)(void);
} scenarios[] = {
	{ "edu_tasklet_work", scenario_edu_tasklet_work },
	{ "softirq_flood", scenario_softirq_flood },
	{ "threaded_oneshot", scenario_threaded_oneshot },
	{ "ipi", scenario_ipi },
};

const char *const trace_scenario_names[] = {
	"edu_tasklet_work", "softirq_flood", "threaded_oneshot", "ipi", NULL
};
_Static_assert(ARRAY_SIZE(trace_scenario_names) == ARRAY_SIZE(scenarios) + 1, "one name per scenario");

int trace_run_scenario(const char *name)
{
	static DEFINE_MUTEX(scenario_mutex);	/* one story at a time: they share sc */
	int ret = -ENOENT;

	mutex_lock(&scenario_mutex);
	for (unsigned int i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (!strcmp(name, scenarios[i].name)) {
			ret = scenarios[i].run();
			break;
		}
	}
	mutex_unlock(&scenario_mutex);
	return ret;
}
