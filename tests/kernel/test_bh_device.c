/*
 * The seeds' device pattern, end to end on real interrupts: the top half
 * (hard IRQ) acknowledges the device and schedules a tasklet; the
 * tasklet queues a work item; the work item, in a kworker, sleeps and
 * finishes. Each stage records its context and when it ran, for the edu
 * device and for the i8042 keyboard (a byte injected with command 0xD2).
 */
#include <kernel/ktest.h>
#include <kernel/kernel.h>
#include <kernel/interrupt.h>
#include <kernel/sched.h>
#include <kernel/workqueue.h>
#include <kernel/completion.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>
#include <kernel/edu.h>
#include <kernel/i8042.h>
#include <kernel/string.h>
#include <kernel/errno.h>


enum { ST_HARDIRQ, ST_TASKLET, ST_DEFERRED_START, ST_DEFERRED_END, NR_STAGES };

/* What a stage saw: when (a global sequence number) and in which context. */
struct stage_rec {
	unsigned long seq;
	bool hardirq, serving_softirq, task, irqs_off;
	unsigned int preempt;
	struct task_struct *who;
	int cpu;			/* where it ran */
	struct work_struct *work;	/* what the kworker says it runs */
	char comm[TASK_COMM_LEN];
};

static struct bh_dev {
	struct tasklet_struct tasklet;
	unsigned long events;		/* top halves run */
	unsigned long handed;		/* events the tasklet passed on */
	unsigned long done;		/* events the last stage finished */
	u32 payload;			/* edu status or keyboard byte of the last event */
	u32 payload_done;		/* what the last stage got */
	unsigned long seq;
	struct stage_rec rec[NR_STAGES];
	unsigned long slept_jiffies;
	/* the process-context stage */
	struct workqueue_struct *wq;
	struct work_struct work;
	struct completion finished;
} dev;

static void record(int stage)
{
	struct stage_rec *r = &dev.rec[stage];

	r->seq = ++dev.seq;
	r->hardirq = in_hardirq();
	r->serving_softirq = in_serving_softirq();
	r->task = in_task();
	r->irqs_off = irqs_disabled();
	r->preempt = preempt_count();
	r->who = current;
	r->cpu = smp_processor_id();
	r->work = in_task() && (current->flags & PF_WQ_WORKER) ? current_work() : NULL;
	strlcpy(r->comm, current->comm, sizeof(r->comm));
}

/* ---- the process-context stage: a work item ---- */

static void deferred_work(struct work_struct *work)
{
	unsigned long j0;

	record(ST_DEFERRED_START);
	j0 = jiffies;
	msleep(20);			/* process context may sleep */
	dev.slept_jiffies = jiffies - j0;
	dev.payload_done = READ_ONCE(dev.payload);
	record(ST_DEFERRED_END);
	dev.done++;
	complete(&dev.finished);
}

static int deferred_init(void)
{
	INIT_WORK(&dev.work, deferred_work);
	dev.wq = alloc_workqueue("bh_dev", 0, 0);
	return dev.wq ? 0 : -ENOMEM;
}

/* From the tasklet: hand the event on. */
static void deferred_queue(void)
{
	dev.handed++;
	queue_work(dev.wq, &dev.work);
}

static void deferred_fini(void)
{
	if (dev.wq)
		destroy_workqueue(dev.wq);
	dev.wq = NULL;
}

/* ---- the tasklet and the top halves ---- */

static void dev_tasklet(struct tasklet_struct *t)
{
	record(ST_TASKLET);
	deferred_queue();
}

static void edu_top_half(struct edu_dev *edu, u32 status)
{
	/* the edu driver's handler read the status and acknowledged it before calling us */
	dev.payload = status;
	dev.events++;
	record(ST_HARDIRQ);
	tasklet_schedule(&dev.tasklet);
}

static bool kbd_top_half(u8 data, u8 str)
{
	/* the driver read the byte from port 0x60: the controller's interrupt is acknowledged */
	dev.payload = data;
	dev.events++;
	record(ST_HARDIRQ);
	tasklet_schedule(&dev.tasklet);
	return true;				/* ours: no character for the console */
}

static int bh_device_init(struct ktest *t)
{
	memset(&dev, 0, sizeof(dev));
	tasklet_setup(&dev.tasklet, dev_tasklet);
	init_completion(&dev.finished);
	return deferred_init();
}

static void bh_device_exit(struct ktest *t)
{
	tasklet_kill(&dev.tasklet);
	deferred_fini();
}

static void check_stages(struct ktest *t, u32 payload)
{
	struct stage_rec *r = dev.rec;
	char kworker[16];

	/* the interrupt's CPU, wherever its line is routed: the later stages follow it there */
	snprintf(kworker, sizeof(kworker), "kworker/%d:", r[ST_HARDIRQ].cpu);
	EXPECT_EQ(t, r[ST_TASKLET].cpu, r[ST_HARDIRQ].cpu);
	/* in order, each stage after the one before */
	EXPECT_LT(t, r[ST_HARDIRQ].seq, r[ST_TASKLET].seq);
	EXPECT_LT(t, r[ST_TASKLET].seq, r[ST_DEFERRED_START].seq);
	EXPECT_LT(t, r[ST_DEFERRED_START].seq, r[ST_DEFERRED_END].seq);
	/* top half: hard IRQ, interrupts off */
	EXPECT_TRUE(t, r[ST_HARDIRQ].hardirq);
	EXPECT_TRUE(t, r[ST_HARDIRQ].irqs_off);
	EXPECT_FALSE(t, r[ST_HARDIRQ].task);
	/* tasklet: serving a softirq, interrupts on */
	EXPECT_TRUE(t, r[ST_TASKLET].serving_softirq);
	EXPECT_FALSE(t, r[ST_TASKLET].hardirq);
	EXPECT_FALSE(t, r[ST_TASKLET].task);
	EXPECT_FALSE(t, r[ST_TASKLET].irqs_off);
	/* last stage: a work item in a kworker of that CPU, a task that may sleep, and did */
	for (int s = ST_DEFERRED_START; s <= ST_DEFERRED_END; s++) {
		EXPECT_TRUE(t, r[s].task);
		EXPECT_FALSE(t, r[s].irqs_off);
		EXPECT_EQ(t, r[s].preempt, 0);
		EXPECT_TRUE(t, r[s].work == &dev.work);
		EXPECT_TRUE(t, !strncmp(r[s].comm, kworker, strlen(kworker)));
	}
	EXPECT_TRUE(t, r[ST_DEFERRED_START].who == r[ST_DEFERRED_END].who);
	EXPECT_GE(t, dev.slept_jiffies, msecs_to_jiffies(20));
	EXPECT_EQ(t, dev.payload_done, payload);
}

/* One event through all stages; false (and a failure) on timeout. */
static bool one_event(struct ktest *t, unsigned long n)
{
	unsigned long left = wait_for_completion_timeout(&dev.finished, msecs_to_jiffies(3000));

	if (!left) {
		ktest_info(t, "event %lu: %lu top halves, %lu handed on, %lu done", n, dev.events,
			   dev.handed, dev.done);
		return false;
	}
	EXPECT_EQ(t, dev.events, n);
	EXPECT_EQ(t, dev.handed, n);
	EXPECT_EQ(t, dev.done, n);
	return true;
}

static void edu_tophalf_tasklet_work(struct ktest *t)
{
	struct edu_dev *edu = edu_get(0);

	if (!edu)
		ktest_skip(t, "no edu device (tools/qemu.sh adds them unless EDU=0)");
	edu->ack = true;
	edu->on_irq = edu_top_half;
	if (edu_request_irq(edu, false)) {
		edu->on_irq = NULL;
		ktest_skip(t, "cannot request the edu interrupt");
	}
	for (unsigned long n = 1; n <= 3; n++) {
		u32 bits = 1u << n;

		edu_raise(edu, bits);
		if (!one_event(t, n)) {
			ktest_fail(t, __FILE__, __LINE__, "edu event %lu did not finish", n);
			break;
		}
		EXPECT_EQ(t, edu_status(edu), 0);	/* the top half acknowledged it */
		check_stages(t, bits);
	}
	edu_free_irq(edu);
	edu->on_irq = NULL;
}

static void i8042_tophalf_tasklet_work(struct ktest *t)
{
	static const u8 bytes[] = { 0x1e, 0x9e, 0x30 };
	int ret = i8042_install_filter(kbd_top_half);

	if (ret == -EBUSY)
		ktest_skip(t, "another i8042 filter is installed");
	ASSERT_EQ(t, ret, 0);
	for (unsigned long n = 1; n <= ARRAY_SIZE(bytes); n++) {
		ret = i8042_inject(bytes[n - 1]);
		if (ret == -ENODEV) {
			i8042_remove_filter(kbd_top_half);
			ktest_skip(t, "no i8042 controller");
		}
		EXPECT_EQ(t, ret, 0);
		if (!one_event(t, n)) {
			ktest_fail(t, __FILE__, __LINE__, "keyboard event %lu did not finish", n);
			break;
		}
		check_stages(t, bytes[n - 1]);
	}
	EXPECT_EQ(t, i8042_remove_filter(kbd_top_half), 0);
	EXPECT_EQ(t, i8042_remove_filter(kbd_top_half), -EINVAL);
}

static struct ktest_case bh_device_cases[] = {
	KTEST_CASE(edu_tophalf_tasklet_work),
	KTEST_CASE(i8042_tophalf_tasklet_work),
	{}
};

KTEST_SUITE(bh_device, bh_device_cases, .init = bh_device_init, .exit = bh_device_exit);
