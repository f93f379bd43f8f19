/*
 * Threaded interrupt handlers on QEMU's edu devices (two share a level
 * INTx line; MSI is edge): the irq/N-name SCHED_FIFO thread, where the
 * primary and the threaded handler run, IRQF_ONESHOT keeping a level
 * line masked until the thread acknowledged the device, free_irq,
 * synchronize_irq and disable_irq waiting for the thread, sharing, the
 * thread's results in the spurious accounting, and the thread
 * preempting a busy normal-priority task.
 */
#include <kernel/ktest.h>
#include "spin_wait.h"
#include "sched_test.h"
#include <kernel/edu.h>
#include <kernel/irqdesc.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/timer.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/errno.h>
#include <asm/irq.h>
#include <asm/io_apic.h>
#include <asm/special_insns.h>

/* Where a handler ran. */
struct ctx {
	bool task, hardirq, irqs_off;
	int preempt;
	int pid, policy, rt_priority;
	char comm[TASK_COMM_LEN];
};

static void record(struct ctx *c)
{
	c->task = in_task();
	c->hardirq = in_hardirq();
	c->irqs_off = irqs_disabled();
	c->preempt = preempt_count();
	c->pid = current->pid;
	c->policy = current->policy;
	c->rt_priority = current->rt_priority;
	strlcpy(c->comm, current->comm, sizeof(c->comm));
}

/* Per edu device (by edu->index): what its handlers saw and how the thread behaves. */
static struct tstate {
	volatile unsigned long primary_calls, primary_woke, thread_runs;
	struct ctx primary_ctx, thread_ctx;
	unsigned int sleep_ms;		/* the thread sleeps this long before acknowledging */
	bool use_gate;			/* the thread waits for gate_open before acknowledging */
	irqreturn_t thread_ret;		/* what the thread returns (IRQ_HANDLED unless a case says) */
	volatile bool in_thread;	/* thread_fn is running */
	bool masked_in_thread;		/* the line was masked while thread_fn ran */
	volatile unsigned long done_seq;	/* seq when thread_fn returned */
	u64 thread_ns;			/* when thread_fn started */
} ts[2];

static struct edu_dev *edu0, *edu1;
static volatile bool gate_open;
static DECLARE_WAIT_QUEUE_HEAD(gate_wq);
static unsigned long seq;		/* orders events between the test and the threads */

static unsigned long next_seq(void)
{
	return __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
}

static struct tstate *state_of(void *dev_id)
{
	return &ts[((struct edu_dev *)dev_id)->index];
}

/* Primary: claim the interrupt if the device raised it, but leave it asserting for the thread. */
/* The hog of irq_thread_preempts_hog(), if one runs. */
static struct {
	struct task_struct *task;
	volatile bool spinning, stop_spinning, finished, raised;
	u64 raise_ns;
	volatile unsigned long loops_after_raise;	/* hog loop turns since it raised the IRQ */
	unsigned long loops_at_hardirq;	/* ...when the hard handler ran */
	unsigned long loops_seen;	/* ...when the irq thread started */
	bool spinning_seen;		/* the irq thread saw the hog still in its loop */
	int state_seen;			/* ...and in this state */
} hog;

static irqreturn_t primary_wake(int irq, void *dev_id)
{
	struct tstate *s = state_of(dev_id);

	s->primary_calls++;
	record(&s->primary_ctx);
	hog.loops_at_hardirq = READ_ONCE(hog.loops_after_raise);
	if (!edu_status(dev_id))
		return IRQ_NONE;
	s->primary_woke++;
	return IRQ_WAKE_THREAD;
}

/* Threaded: maybe sleep or wait for the gate, then acknowledge the device (lowering INTx). */
static irqreturn_t thread_ack(int irq, void *dev_id)
{
	struct tstate *s = state_of(dev_id);
	u32 status;

	s->thread_ns = ktime_get_ns();
	record(&s->thread_ctx);
	s->masked_in_thread = irqd_irq_masked(&irq_to_desc(irq)->irq_data);
	WRITE_ONCE(s->in_thread, true);
	if (s->sleep_ms)
		msleep(s->sleep_ms);
	if (s->use_gate)
		wait_event(gate_wq, READ_ONCE(gate_open));
	status = edu_status(dev_id);
	edu_ack(dev_id, status);
	s->thread_runs++;
	WRITE_ONCE(s->in_thread, false);
	s->done_seq = next_seq();
	return s->thread_ret;
}

static void open_gate(void)
{
	WRITE_ONCE(gate_open, true);
	wake_up_all(&gate_wq);
}

static DECLARE_WAIT_QUEUE_HEAD(hog_wq);

static int irq_thread_init(struct ktest *t)
{
	edu0 = edu_get(0);
	edu1 = edu_get(1);
	if (!edu0)
		ktest_skip(t, "no edu device (tools/qemu.sh adds them unless EDU=0)");
	memset(ts, 0, sizeof(ts));
	for (int i = 0; i < 2; i++)
		ts[i].thread_ret = IRQ_HANDLED;
	gate_open = false;
	memset(&hog, 0, sizeof(hog));
	return 0;
}

static void irq_thread_exit(struct ktest *t)
{
	/* a failed case may have left a thread waiting: let it finish before its action goes */
	open_gate();
	if (hog.task) {
		hog.stop_spinning = true;
		kthread_stop(hog.task);
		hog.task = NULL;
	}
	for (int i = 0; i < edu_count(); i++) {
		edu_free_irq(edu_get(i));
		edu_ack(edu_get(i), edu_status(edu_get(i)));
	}
}

static bool wait_flag(volatile bool *flag, unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (!READ_ONCE(*flag) && ktime_get_ns() < end)
		cpu_relax();
	return READ_ONCE(*flag);
}

static struct irqaction *action_of(int irq, void *dev_id)
{
	for (struct irqaction *a = irq_to_desc(irq)->action; a; a = a->next)
		if (a->dev_id == dev_id)
			return a;
	return NULL;
}

static bool task_listed(int pid)
{
	struct task_struct *p;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks)
		if (p->pid == pid)
			found = true;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/* Is the line masked at the controller itself (IO-APIC mode), not only in the core's bookkeeping? */
static void expect_hw_masked(struct ktest *t, int irq, bool masked)
{
	struct ioapic_line_info info;

	if (irq_mode != IRQ_MODE_APIC || !ioapic_line_info(irq, &info))
		return;
	EXPECT_EQ(t, info.masked, masked);
}

static void thread_named_fifo_and_runs_in_task_context(struct ktest *t)
{
	struct irqaction *a;
	struct task_struct *thr;
	char want[TASK_COMM_LEN];
	int pid;

	ts[0].sleep_ms = 2;		/* it may sleep */
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	a = action_of(edu0->irq, edu0);
	ASSERT_NOT_NULL(t, a);
	thr = a->thread;
	ASSERT_NOT_NULL(t, thr);
	snprintf(want, sizeof(want), "irq/%d-edu0", edu0->irq);
	EXPECT_STREQ(t, thr->comm, want);
	EXPECT_EQ(t, thr->policy, SCHED_FIFO);
	EXPECT_EQ(t, thr->rt_priority, 50);
	EXPECT_TRUE(t, thr->flags & PF_KTHREAD);
	/* it started, and sleeps until woken */
	for (u64 end = ktime_get_ns() + NSEC_PER_SEC;
	     READ_ONCE(thr->__state) != TASK_INTERRUPTIBLE && ktime_get_ns() < end;)
		cpu_relax();
	EXPECT_EQ(t, READ_ONCE(thr->__state), TASK_INTERRUPTIBLE);
	pid = thr->pid;
	EXPECT_TRUE(t, find_task_by_pid(pid) == thr);

	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_for(&ts[0].thread_runs, 1, 2000));
	/* the primary ran in hard-IRQ context with interrupts off */
	EXPECT_TRUE(t, ts[0].primary_ctx.hardirq);
	EXPECT_FALSE(t, ts[0].primary_ctx.task);
	EXPECT_TRUE(t, ts[0].primary_ctx.irqs_off);
	EXPECT_EQ(t, ts[0].primary_woke, 1);
	/* the threaded handler in task context, in that thread, preemptible */
	EXPECT_TRUE(t, ts[0].thread_ctx.task);
	EXPECT_FALSE(t, ts[0].thread_ctx.hardirq);
	EXPECT_FALSE(t, ts[0].thread_ctx.irqs_off);
	EXPECT_EQ(t, ts[0].thread_ctx.preempt, 0);
	EXPECT_EQ(t, ts[0].thread_ctx.pid, pid);
	EXPECT_STREQ(t, ts[0].thread_ctx.comm, want);
	EXPECT_EQ(t, ts[0].thread_ctx.policy, SCHED_FIFO);
	EXPECT_EQ(t, ts[0].thread_ctx.rt_priority, 50);
	EXPECT_EQ(t, edu_status(edu0), 0);
	/* and back to sleep */
	synchronize_irq(edu0->irq);
	/* on SMP the thread may still be on its way back to sleep on another CPU */
	for (u64 end = ktime_get_ns() + NSEC_PER_SEC;
	     READ_ONCE(thr->__state) != TASK_INTERRUPTIBLE && ktime_get_ns() < end;)
		cpu_relax();
	EXPECT_EQ(t, READ_ONCE(thr->__state), TASK_INTERRUPTIBLE);
	edu_free_irq(edu0);
	/* reaped once its CPU (maybe another) has switched away from it */
	EXPECT_TRUE(t, wait_until(!find_task_by_pid(pid), 2000));
}

static void null_handler_needs_oneshot(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	struct irq_desc *desc;
	unsigned int before;
	const char *log;

	/* a level line that nothing would mask: refused */
	EXPECT_EQ(t, edu_request_threaded_irq(edu0, false, NULL, thread_ack, 0), -EINVAL);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "needs IRQF_ONESHOT"));
	/* with ONESHOT: the default primary handler wakes the thread */
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, NULL, thread_ack, IRQF_ONESHOT), 0);
	desc = irq_to_desc(edu0->irq);
	before = kstat_irqs_total(edu0->irq);
	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_for(&ts[0].thread_runs, 1, 2000));
	synchronize_irq(edu0->irq);
	EXPECT_TRUE(t, ts[0].thread_ctx.task);
	EXPECT_TRUE(t, ts[0].masked_in_thread);
	EXPECT_EQ(t, kstat_irqs_total(edu0->irq), before + 1);
	EXPECT_FALSE(t, irqd_irq_masked(&desc->irq_data));
	EXPECT_EQ(t, edu_status(edu0), 0);
}

/*
 * The device is acknowledged only in the thread, 20 ms after the hard
 * IRQ: without ONESHOT the level line would fire all that time.
 */
static void oneshot_level_masked_until_thread_done(struct ktest *t)
{
	struct irq_desc *desc;
	unsigned int before;

	ts[0].sleep_ms = 20;
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	desc = irq_to_desc(edu0->irq);
	EXPECT_TRUE(t, desc->istate & IRQS_ONESHOT);
	EXPECT_NE(t, action_of(edu0->irq, edu0)->thread_mask, 0);
	before = kstat_irqs_total(edu0->irq);
	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_flag(&ts[0].in_thread, 2000));
	/* the thread sleeps with the device still asserting: the line is held masked */
	EXPECT_TRUE(t, irqd_irq_masked(&desc->irq_data));
	expect_hw_masked(t, edu0->irq, true);
	EXPECT_NE(t, desc->threads_oneshot, 0);
	EXPECT_EQ(t, edu_status(edu0), 0x1);
	EXPECT_EQ(t, kstat_irqs_total(edu0->irq), before + 1);
	ASSERT_TRUE(t, wait_for(&ts[0].thread_runs, 1, 2000));
	synchronize_irq(edu0->irq);
	EXPECT_TRUE(t, ts[0].masked_in_thread);
	EXPECT_FALSE(t, irqd_irq_masked(&desc->irq_data));
	expect_hw_masked(t, edu0->irq, false);
	EXPECT_EQ(t, desc->threads_oneshot, 0);
	EXPECT_EQ(t, kstat_irqs_total(edu0->irq), before + 1);
	/* again, a few times: one hard IRQ and one thread run per raise */
	for (unsigned long i = 2; i <= 4; i++) {
		edu_raise(edu0, 0x2);
		EXPECT_TRUE(t, wait_for(&ts[0].thread_runs, i, 2000));
		synchronize_irq(edu0->irq);
		EXPECT_FALSE(t, irqd_irq_masked(&desc->irq_data));
	}
	EXPECT_EQ(t, ts[0].thread_runs, 4);
	EXPECT_EQ(t, ts[0].primary_woke, 4);
	EXPECT_EQ(t, kstat_irqs_total(edu0->irq), before + 4);
	EXPECT_EQ(t, edu_status(edu0), 0);
}

/* MSI is edge and its chip ONESHOT-safe: a NULL primary handler is accepted without ONESHOT. */
static void msi_threaded(struct ktest *t)
{
	struct irqaction *a;
	unsigned int before;

	ASSERT_EQ(t, edu_request_threaded_irq(edu0, true, NULL, thread_ack, 0), 0);
	ASSERT_TRUE(t, edu0->msi);
	a = action_of(edu0->irq, edu0);
	ASSERT_NOT_NULL(t, a);
	EXPECT_EQ(t, a->thread_mask, 0);
	before = kstat_irqs_total(edu0->irq);
	for (unsigned long i = 1; i <= 3; i++) {
		edu_raise(edu0, 0x1);
		EXPECT_TRUE(t, wait_for(&ts[0].thread_runs, i, 2000));
	}
	synchronize_irq(edu0->irq);
	EXPECT_EQ(t, ts[0].thread_runs, 3);
	EXPECT_EQ(t, kstat_irqs_total(edu0->irq), before + 3);
	EXPECT_TRUE(t, ts[0].thread_ctx.task);
	EXPECT_EQ(t, ts[0].thread_ctx.policy, SCHED_FIFO);
	EXPECT_EQ(t, ts[0].thread_ctx.pid, a->thread->pid);
}

/* free_irq() while the thread handler sleeps: it returns after the handler, and the thread is gone. */
static void free_irq_waits_and_stops_thread(struct ktest *t)
{
	char comm[TASK_COMM_LEN];
	unsigned long freed_seq;
	int irq, pid;

	ts[0].sleep_ms = 50;
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	irq = edu0->irq;
	pid = action_of(irq, edu0)->thread->pid;
	strlcpy(comm, action_of(irq, edu0)->thread->comm, sizeof(comm));
	ASSERT_TRUE(t, task_listed(pid));
	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_flag(&ts[0].in_thread, 2000));
	edu_free_irq(edu0);
	freed_seq = next_seq();
	EXPECT_EQ(t, ts[0].thread_runs, 1);
	EXPECT_NE(t, ts[0].done_seq, 0);
	EXPECT_LT(t, ts[0].done_seq, freed_seq);	/* the handler finished before free_irq returned */
	/*
	 * It has exited; the last reference goes when its CPU (maybe another
	 * one) has switched away from it, a moment later, as a reaped zombie.
	 */
	EXPECT_TRUE(t, wait_until(!find_task_by_pid(pid) && !task_listed(pid), 2000));
	ktest_info(t, "%s (pid %d) stopped by free_irq", comm, pid);
}

static void synchronize_irq_waits_for_thread(struct ktest *t)
{
	unsigned long synced;

	ts[0].sleep_ms = 30;
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_flag(&ts[0].in_thread, 2000));
	/* no hard IRQ runs, but the thread does */
	EXPECT_FALSE(t, synchronize_hardirq(edu0->irq));
	synchronize_irq(edu0->irq);
	synced = next_seq();
	EXPECT_EQ(t, ts[0].thread_runs, 1);
	EXPECT_NE(t, ts[0].done_seq, 0);
	EXPECT_LT(t, ts[0].done_seq, synced);
	EXPECT_TRUE(t, synchronize_hardirq(edu0->irq));
}

static void disable_irq_waits_for_thread(struct ktest *t)
{
	struct irq_desc *desc;
	unsigned long disabled;

	ts[0].sleep_ms = 30;
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	desc = irq_to_desc(edu0->irq);
	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_flag(&ts[0].in_thread, 2000));
	disable_irq(edu0->irq);
	disabled = next_seq();
	EXPECT_NE(t, ts[0].done_seq, 0);
	EXPECT_LT(t, ts[0].done_seq, disabled);
	EXPECT_EQ(t, desc->depth, 1);
	/* the thread finished while the line was disabled: it stays masked until enable_irq() */
	EXPECT_TRUE(t, irqd_irq_masked(&desc->irq_data));
	enable_irq(edu0->irq);
	EXPECT_FALSE(t, irqd_irq_masked(&desc->irq_data));
	edu_raise(edu0, 0x1);
	EXPECT_TRUE(t, wait_for(&ts[0].thread_runs, 2, 2000));
}

/* disable_irq_nosync() returns while the thread is blocked (on a gate only the test opens). */
static void disable_irq_nosync_does_not_wait(struct ktest *t)
{
	struct irq_desc *desc;

	ts[0].use_gate = true;
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	desc = irq_to_desc(edu0->irq);
	edu_raise(edu0, 0x1);
	ASSERT_TRUE(t, wait_flag(&ts[0].in_thread, 2000));
	disable_irq_nosync(edu0->irq);
	EXPECT_TRUE(t, ts[0].in_thread);
	EXPECT_EQ(t, ts[0].thread_runs, 0);
	EXPECT_EQ(t, atomic_read(&desc->threads_active), 1);
	open_gate();
	synchronize_irq(edu0->irq);
	EXPECT_EQ(t, ts[0].thread_runs, 1);
	EXPECT_EQ(t, atomic_read(&desc->threads_active), 0);
	EXPECT_TRUE(t, irqd_irq_masked(&desc->irq_data));	/* disabled: stays masked */
	enable_irq(edu0->irq);
	EXPECT_FALSE(t, irqd_irq_masked(&desc->irq_data));
}

static void shared_line_both_threaded(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	struct irqaction *a0, *a1;
	struct irq_desc *desc;
	unsigned int before;

	if (!edu1)
		ktest_skip(t, "one edu device only: nothing to share with");
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	/* the sharers must agree on ONESHOT */
	EXPECT_EQ(t, edu_request_threaded_irq(edu1, false, primary_wake, thread_ack, 0), -EBUSY);
	EXPECT_NOT_NULL(t, strstr(ktest_log_since(mark), "Flags mismatch irq"));
	ASSERT_EQ(t, edu_request_threaded_irq(edu1, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	ASSERT_EQ(t, edu0->irq, edu1->irq);
	desc = irq_to_desc(edu0->irq);
	a0 = action_of(edu0->irq, edu0);
	a1 = action_of(edu1->irq, edu1);
	ASSERT_NOT_NULL(t, a0);
	ASSERT_NOT_NULL(t, a1);
	EXPECT_NE(t, a0->thread, a1->thread);
	EXPECT_NE(t, a0->thread_mask, 0);
	EXPECT_NE(t, a1->thread_mask, 0);
	EXPECT_EQ(t, a0->thread_mask & a1->thread_mask, 0);

	/* edu1 raises: only its thread runs; edu0's primary saw nothing of its own */
	edu_raise(edu1, 0x1);
	ASSERT_TRUE(t, wait_for(&ts[1].thread_runs, 1, 2000));
	synchronize_irq(edu0->irq);
	EXPECT_EQ(t, ts[0].thread_runs, 0);
	EXPECT_EQ(t, ts[0].primary_woke, 0);
	EXPECT_GE(t, ts[0].primary_calls, 1);

	/* both at once (raised while disabled): one hard IRQ wakes both threads */
	ts[0].use_gate = true;
	disable_irq(edu0->irq);
	edu_raise(edu0, 0x1);
	edu_raise(edu1, 0x1);
	before = kstat_irqs_total(edu0->irq);
	enable_irq(edu0->irq);
	ASSERT_TRUE(t, wait_for(&ts[1].thread_runs, 2, 2000));
	ASSERT_TRUE(t, wait_flag(&ts[0].in_thread, 2000));
	/* edu1's thread is done, edu0's is not: the line waits for it */
	EXPECT_EQ(t, desc->threads_oneshot, a0->thread_mask);
	EXPECT_TRUE(t, irqd_irq_masked(&desc->irq_data));
	open_gate();
	ASSERT_TRUE(t, wait_for(&ts[0].thread_runs, 1, 2000));
	synchronize_irq(edu0->irq);
	EXPECT_EQ(t, desc->threads_oneshot, 0);
	EXPECT_FALSE(t, irqd_irq_masked(&desc->irq_data));
	EXPECT_EQ(t, kstat_irqs_total(edu0->irq), before + 1);
	EXPECT_EQ(t, edu_status(edu0) | edu_status(edu1), 0);
}

/*
 * A primary handler that only wakes its thread does not know whether its
 * device raised the interrupt: the thread's result is what counts for
 * the spurious detector (each such interrupt is judged at the next one).
 */
static void thread_result_counts_as_handled(struct ktest *t)
{
	struct irq_desc *desc;
	unsigned long unhandled;

	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_ack, IRQF_ONESHOT), 0);
	desc = irq_to_desc(edu0->irq);
	unhandled = desc->unhandled_total;
	for (unsigned long i = 1; i <= 3; i++) {
		edu_raise(edu0, 0x1);
		ASSERT_TRUE(t, wait_for(&ts[0].thread_runs, i, 2000));
		synchronize_irq(edu0->irq);
	}
	EXPECT_EQ(t, desc->unhandled_total, unhandled);
	/* now the thread says "not mine" (and quietens the device anyway) */
	ts[0].thread_ret = IRQ_NONE;
	for (unsigned long i = 4; i <= 6; i++) {
		edu_raise(edu0, 0x1);
		ASSERT_TRUE(t, wait_for(&ts[0].thread_runs, i, 2000));
		synchronize_irq(edu0->irq);
	}
	/* the 4th and 5th were judged by the 5th and 6th interrupts; the 6th is still open */
	EXPECT_EQ(t, desc->unhandled_total, unhandled + 2);
}

/* A CPU hog at nice 0 that raises the interrupt itself, then spins until the irq thread ran. */
static int hog_fn(void *unused)
{
	u64 start = ktime_get_ns();

	hog.loops_after_raise = 0;
	WRITE_ONCE(hog.spinning, true);
	while (!READ_ONCE(hog.stop_spinning) && ktime_get_ns() - start < 2 * NSEC_PER_SEC) {
		if (!hog.raised && ktime_get_ns() - start > 5 * NSEC_PER_MSEC) {
			hog.raise_ns = ktime_get_ns();
			hog.raised = true;
			edu_raise(edu0, 0x1);
		} else if (hog.raised) {
			hog.loops_after_raise++;
		}
		cpu_relax();
	}
	WRITE_ONCE(hog.spinning, false);
	WRITE_ONCE(hog.finished, true);
	wake_up_all(&hog_wq);
	/* wait to be stopped, so the test can look at us meanwhile */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static irqreturn_t thread_vs_hog(int irq, void *dev_id)
{
	irqreturn_t ret;

	hog.loops_seen = READ_ONCE(hog.loops_after_raise);
	hog.spinning_seen = READ_ONCE(hog.spinning);
	hog.state_seen = (int)READ_ONCE(hog.task->__state);
	ret = thread_ack(irq, dev_id);
	WRITE_ONCE(hog.stop_spinning, true);
	return ret;
}

static void irq_thread_preempts_hog(struct ktest *t)
{
	u64 latency_us;
	struct cpumask here = cpumask_of((unsigned int)smp_processor_id());

	/*
	 * The hard IRQ must hit the hog's CPU (this one): route the line here
	 * while it is not requested, when a move takes effect at once (a live
	 * IOAPIC line would move only at its next interrupt). The XT-PIC
	 * refuses: its lines are on CPU 0 anyway.
	 */
	if (pci_alloc_irq_vectors(edu0->pdev, 1, 1, PCI_IRQ_LEGACY) > 0) {
		irq_set_affinity(pci_irq_vector(edu0->pdev, 0), &here);
		pci_free_irq_vectors(edu0->pdev);
	}
	ASSERT_EQ(t, edu_request_threaded_irq(edu0, false, primary_wake, thread_vs_hog, IRQF_ONESHOT), 0);
	if (irq_mode == IRQ_MODE_APIC)
		ASSERT_EQ(t, irq_effective_cpu(edu0->irq), smp_processor_id());
	/*
	 * The thread starts wherever it was made and then moves to the line's
	 * CPU: wait until it sleeps there, or (on a slow host) the first
	 * interrupt could find it still on its way and handled elsewhere.
	 */
	{
		struct irqaction *a;
		struct task_struct *th = NULL;

		for (a = irq_to_desc(edu0->irq)->action; a; a = a->next)
			if (a->dev_id == edu0)
				th = a->thread;
		ASSERT_NOT_NULL(t, th);
		EXPECT_TRUE(t, wait_until(task_sleeping(th) &&
					  (irq_mode != IRQ_MODE_APIC ||
					   cpumask_equal(&th->cpus_allowed, &here)), 5000));
	}
	hog.task = kthread_create(hog_fn, NULL, "ktest-hog");
	/* the hog competes with the IRQ thread on this CPU, where the line goes */
	if (!IS_ERR(hog.task))
		kthread_bind(hog.task, (unsigned int)smp_processor_id());
	ASSERT_FALSE(t, IS_ERR(hog.task));
	EXPECT_EQ(t, hog.task->policy, SCHED_NORMAL);
	EXPECT_EQ(t, task_nice(hog.task), 0);
	wake_up_process(hog.task);
	/* we sleep: the hog has the CPU to itself, until the irq thread takes it */
	wait_event_timeout(hog_wq, READ_ONCE(hog.finished), 5 * HZ);
	ASSERT_TRUE(t, hog.finished);
	ASSERT_TRUE(t, hog.raised);
	ASSERT_EQ(t, ts[0].thread_runs, 1);
	/* the hard IRQ interrupted the hog; the thread ran while the hog still wanted the CPU */
	EXPECT_STREQ(t, ts[0].primary_ctx.comm, "ktest-hog");
	EXPECT_TRUE(t, hog.spinning_seen);
	EXPECT_EQ(t, hog.state_seen, TASK_RUNNING);
	EXPECT_EQ(t, ts[0].thread_ctx.policy, SCHED_FIFO);
	latency_us = (ts[0].thread_ns - hog.raise_ns) / 1000;
	ktest_info(t, "irq thread ran %llu us after the hog raised the interrupt; hog loop turns: %lu at the hard IRQ, %lu at the thread",
		   (unsigned long long)latency_us, hog.loops_at_hardirq, hog.loops_seen);
	/*
	 * Preempted at the hard IRQ's return, not at the end of the hog's
	 * slice: the hog did not get one more turn of its loop between the
	 * hard handler and the thread. Counted in turns, not microseconds,
	 * so a host that stalls the virtual CPU cannot fail it.
	 */
	EXPECT_EQ(t, hog.loops_seen, hog.loops_at_hardirq);
	kthread_stop(hog.task);
	hog.task = NULL;
}

static struct ktest_case irq_thread_cases[] = {
	KTEST_CASE(thread_named_fifo_and_runs_in_task_context),
	KTEST_CASE(null_handler_needs_oneshot),
	KTEST_CASE(oneshot_level_masked_until_thread_done),
	KTEST_CASE(msi_threaded),
	KTEST_CASE(free_irq_waits_and_stops_thread),
	KTEST_CASE(synchronize_irq_waits_for_thread),
	KTEST_CASE(disable_irq_waits_for_thread),
	KTEST_CASE(disable_irq_nosync_does_not_wait),
	KTEST_CASE(shared_line_both_threaded),
	KTEST_CASE(thread_result_counts_as_handled),
	KTEST_CASE(irq_thread_preempts_hog),
	{},
};
KTEST_SUITE(irq_thread, irq_thread_cases, .init = irq_thread_init, .exit = irq_thread_exit);
