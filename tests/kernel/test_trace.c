/*
 * The tracer (kernel/trace/): nothing is recorded when it is off; when
 * on, each tracepoint's event appears with its arguments and in the
 * order the code ran (softirq, tasklet, work item, wake-up and switch,
 * timer, a real interrupt's vector and handler); records land in the
 * ring of the CPU that wrote them; a full ring overwrites its oldest
 * records and counts them lost; the text view's format; interrupts
 * arriving while records are written do not tear or misorder them; the
 * JSON dump's shape; and what a tracepoint costs, off and on.
 */
#include <kernel/ktest.h>
#include <kernel/trace.h>
#include <kernel/trace_events.h>
#include <kernel/interrupt.h>
#include <kernel/workqueue.h>
#include <kernel/kthread.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/vmalloc.h>
#include <kernel/kernel.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <asm/irq_vectors.h>
#include "bh_irq_source.h"
#include <stdarg.h>

#define MAX_RECORDS	8192

static struct {
	bool was_on;
	unsigned long entries;		/* ring size before the suite (0: never allocated) */
} saved;

static struct trace_entry *recs;	/* what collect() read, oldest first */
static unsigned long nrec;
static unsigned long lost[NR_CPUS];

static void seq_teardown(void);
static char *json_buf;

static int trace_suite_init(struct ktest *t)
{
	saved.was_on = trace_is_on();
	trace_stop();
	saved.entries = trace_buffer_entries();
	trace_clear();
	if (!recs)
		recs = vmalloc(MAX_RECORDS * sizeof(*recs));
	return recs ? 0 : -1;
}

static void trace_suite_exit(struct ktest *t)
{
	trace_stop();
	seq_teardown();		/* after a failed ASSERT: what the case left behind */
	vfree(json_buf);
	json_buf = NULL;
	if (trace_buffer_entries() != (saved.entries ?: TRACE_BUF_SIZE_DEFAULT / sizeof(struct trace_entry)))
		trace_set_buffer_entries(saved.entries ?: TRACE_BUF_SIZE_DEFAULT / sizeof(struct trace_entry));
	trace_clear();
	if (saved.was_on)
		trace_start();
}

/* Read everything recorded into recs[] (tracing stopped by the caller). */
static void collect(struct ktest *t)
{
	struct trace_iter *it = trace_iter_open();
	struct trace_entry e;
	int cpu;

	ASSERT_NOT_NULL(t, it);
	nrec = 0;
	while (trace_iter_next(it, &e))
		if (nrec < MAX_RECORDS)
			recs[nrec++] = e;
	for_each_possible_cpu(cpu)
		lost[cpu] = trace_iter_lost(it, cpu);
	trace_iter_close(it);
}

/* What names an event's subject, for finding it among other records. */
static u64 key_of(const struct trace_entry *e)
{
	switch (e->id) {
	case TRACE_IRQ_HANDLER_ENTRY:	return e->irq_entry.irq;
	case TRACE_IRQ_HANDLER_EXIT:	return e->irq_exit.irq;
	case TRACE_SOFTIRQ_RAISE:
	case TRACE_SOFTIRQ_ENTRY:
	case TRACE_SOFTIRQ_EXIT:	return e->softirq.vec;
	case TRACE_TASKLET_ENTRY:
	case TRACE_TASKLET_EXIT:	return e->tasklet.tasklet;
	case TRACE_WORKQUEUE_QUEUE_WORK: return e->queue_work.work;
	case TRACE_WORKQUEUE_ACTIVATE_WORK:
	case TRACE_WORKQUEUE_EXECUTE_START:
	case TRACE_WORKQUEUE_EXECUTE_END: return e->work.work;
	case TRACE_SCHED_SWITCH:	return (u32)e->sched_switch.next_pid;
	case TRACE_SCHED_WAKEUP:
	case TRACE_SCHED_WAKEUP_NEW:	return (u32)e->wakeup.pid;
	case TRACE_TIMER_EXPIRE_ENTRY:
	case TRACE_TIMER_EXPIRE_EXIT:	return e->timer.timer;
	case TRACE_IPI_SEND_CPU:	return e->ipi.cpu;
	case TRACE_IRQ_VECTOR_ENTRY:
	case TRACE_IRQ_VECTOR_EXIT:
		return e->vector.irq >= 0 ? (u64)e->vector.irq : 0x10000u + e->vector.vector;
	case TRACE_IRQ_THREAD_WAKE:	return e->irq_thread.irq;
	default:			return 0;
	}
}

/* The index of the first record at or after from with this id and key; -1 if none. */
static long find(long from, unsigned int id, u64 key)
{
	for (long i = from < 0 ? 0 : from; i < (long)nrec; i++)
		if (recs[i].id == id && key_of(&recs[i]) == key)
			return i;
	return -1;
}

static long find_print(long from, const char *text)
{
	for (long i = from < 0 ? 0 : from; i < (long)nrec; i++)
		if (recs[i].id == TRACE_PRINT && !strcmp(recs[i].print.text, text))
			return i;
	return -1;
}

/* The number in a mark ("ow 12" -> 12); -1 if it is not one. */
static int mark_number(const char *s)
{
	unsigned long v;

	return kstrtoul(s, 10, &v) ? -1 : (int)v;
}

static unsigned long written_all(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct trace_cpu_stats st;

		trace_get_stats(cpu, &st);
		n += st.written;
	}
	return n;
}

/* ---- a synthetic sequence through every kind of hook ---- */

static struct tasklet_struct seq_tasklet;
static struct work_struct seq_work;
static struct timer_list seq_timer;
static struct task_struct *sleeper;
static volatile unsigned long tasklet_runs, work_runs, timer_runs, sleeper_runs;
static bool seq_ready;			/* seq_setup() ran: seq_teardown() has work */

static void seq_work_fn(struct work_struct *w)
{
	work_runs++;
}

static void seq_tasklet_fn(struct tasklet_struct *tl)
{
	tasklet_runs++;
	queue_work_on(smp_processor_id(), system_wq, &seq_work);
}

static void seq_timer_fn(struct timer_list *tm)
{
	timer_runs++;
}

static int sleeper_fn(void *unused)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
		sleeper_runs++;
	}
	return 0;
}

static void irq_nothing(void)
{
}

/* Everything set up and the sleeper asleep; the case skips without a hard-IRQ source. */
static void seq_setup(struct ktest *t)
{
	tasklet_runs = work_runs = timer_runs = sleeper_runs = 0;
	tasklet_setup(&seq_tasklet, seq_tasklet_fn);
	INIT_WORK(&seq_work, seq_work_fn);
	timer_setup(&seq_timer, seq_timer_fn, TIMER_PINNED);
	sleeper = kthread_run(sleeper_fn, NULL, "trace-sleeper");
	ASSERT_FALSE(t, IS_ERR(sleeper));
	/* asleep and off its CPU: the test's wake-up is then a real one, with a switch */
	for (int i = 0; i < 2000 && (task_is_running(sleeper) || READ_ONCE(sleeper->on_cpu)); i++)
		schedule_timeout_uninterruptible(1);
	seq_ready = true;
	bh_src_setup(t, irq_nothing);
}

static void seq_teardown(void)
{
	bh_src_teardown();
	if (!seq_ready)
		return;
	seq_ready = false;
	del_timer_sync(&seq_timer);
	tasklet_kill(&seq_tasklet);
	flush_work(&seq_work);
	if (sleeper && !IS_ERR(sleeper))
		kthread_stop(sleeper);
	sleeper = NULL;
}

/* Run the sequence: tasklet -> work item, a wake-up, a timer, an interrupt. */
static void seq_run(struct ktest *t)
{
	unsigned long woken = sleeper_runs;

	local_bh_disable();
	tasklet_schedule(&seq_tasklet);
	local_bh_enable();		/* the TASKLET softirq runs here, on this CPU */
	EXPECT_TRUE(t, flush_work(&seq_work) || work_runs);
	EXPECT_EQ(t, work_runs, 1);
	wake_up_process(sleeper);
	EXPECT_TRUE(t, bh_wait_for(&sleeper_runs, woken + 1, 3000));
	/* and asleep again: its switch out is recorded too */
	for (int i = 0; i < 3000 && (task_is_running(sleeper) || READ_ONCE(sleeper->on_cpu)); i++)
		schedule_timeout_uninterruptible(1);
	mod_timer(&seq_timer, jiffies + 1);
	EXPECT_TRUE(t, bh_wait_for(&timer_runs, 1, 3000));
	bh_src_fire();
	EXPECT_TRUE(t, bh_wait_for(&bh_src.fired, 1, 3000));
}

static int seq_irq(void)
{
	return bh_src.sim_irq >= 0 ? bh_src.sim_irq : bh_src.edu->irq;
}

static void off_records_nothing(struct ktest *t)
{
	seq_setup(t);
	trace_clear();
	ASSERT_FALSE(t, trace_is_on());
	seq_run(t);
	trace_printk("not recorded");
	trace_softirq_raise(TASKLET_SOFTIRQ);
	EXPECT_EQ(t, written_all(), 0);
	collect(t);
	EXPECT_EQ(t, nrec, 0);
	seq_teardown();
}

static void hooks_in_order(struct ktest *t)
{
	int cpu = smp_processor_id(), irq;
	long raise, sentry, tentry, qw, act, texit, sexit, estart, eend, wake, sw_in, sw_out;
	long tm_in, tm_out, ventry, hentry, hexit, vexit;
	char comm[TASK_COMM_LEN];

	seq_setup(t);
	irq = seq_irq();
	trace_clear();
	ASSERT_EQ(t, trace_start(), 0);
	EXPECT_TRUE(t, trace_is_on());
	seq_run(t);
	trace_stop();
	EXPECT_FALSE(t, trace_is_on());
	collect(t);
	ktest_info(t, "%lu records", nrec);

	/* softirq and tasklet: raised with BHs off, run at local_bh_enable() on this CPU */
	raise = find(0, TRACE_SOFTIRQ_RAISE, TASKLET_SOFTIRQ);
	sentry = find(raise, TRACE_SOFTIRQ_ENTRY, TASKLET_SOFTIRQ);
	tentry = find(sentry, TRACE_TASKLET_ENTRY, (unsigned long)&seq_tasklet);
	qw = find(tentry, TRACE_WORKQUEUE_QUEUE_WORK, (unsigned long)&seq_work);
	act = find(qw, TRACE_WORKQUEUE_ACTIVATE_WORK, (unsigned long)&seq_work);
	texit = find(act, TRACE_TASKLET_EXIT, (unsigned long)&seq_tasklet);
	sexit = find(texit, TRACE_SOFTIRQ_EXIT, TASKLET_SOFTIRQ);
	ASSERT_GE(t, raise, 0);
	ASSERT_GT(t, sentry, raise);
	ASSERT_GT(t, tentry, sentry);
	ASSERT_GT(t, qw, tentry);
	ASSERT_GT(t, act, qw);
	ASSERT_GT(t, texit, act);
	ASSERT_GT(t, sexit, texit);
	EXPECT_TRUE(t, recs[raise].flags & TRACE_FLAG_BH_OFF);
	EXPECT_EQ(t, recs[raise].cpu, cpu);
	EXPECT_TRUE(t, recs[tentry].flags & TRACE_FLAG_SOFTIRQ);
	EXPECT_FALSE(t, recs[tentry].flags & TRACE_FLAG_HARDIRQ);
	EXPECT_EQ(t, recs[tentry].tasklet.func, (unsigned long)seq_tasklet_fn);
	EXPECT_EQ(t, recs[qw].queue_work.func, (unsigned long)seq_work_fn);
	EXPECT_STREQ(t, recs[qw].queue_work.wq, "events");
	EXPECT_EQ(t, recs[qw].queue_work.req_cpu, cpu);
	EXPECT_EQ(t, recs[qw].queue_work.cpu, cpu);

	/* the work item: in a kworker of this CPU, task context */
	estart = find(sexit, TRACE_WORKQUEUE_EXECUTE_START, (unsigned long)&seq_work);
	eend = find(estart, TRACE_WORKQUEUE_EXECUTE_END, (unsigned long)&seq_work);
	ASSERT_GT(t, estart, sexit);
	ASSERT_GT(t, eend, estart);
	EXPECT_EQ(t, recs[estart].work.func, (unsigned long)seq_work_fn);
	EXPECT_EQ(t, recs[estart].pid, recs[eend].pid);
	EXPECT_EQ(t, recs[estart].cpu, cpu);
	EXPECT_FALSE(t, recs[estart].flags & (TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ));
	trace_find_comm(recs[estart].pid, comm, sizeof(comm));
	EXPECT_TRUE(t, !strncmp(comm, "kworker/", 8));

	/* the wake-up, then the sleeper switched in and, done, out again asleep */
	wake = find(eend, TRACE_SCHED_WAKEUP, (u32)sleeper->pid);
	sw_in = find(wake, TRACE_SCHED_SWITCH, (u32)sleeper->pid);
	ASSERT_GT(t, wake, eend);
	ASSERT_GT(t, sw_in, wake);
	EXPECT_STREQ(t, recs[wake].wakeup.comm, "trace-sleeper");
	EXPECT_EQ(t, recs[wake].wakeup.prio, 120);
	EXPECT_STREQ(t, recs[sw_in].sched_switch.next_comm, "trace-sleeper");
	for (sw_out = sw_in + 1; sw_out < (long)nrec; sw_out++)
		if (recs[sw_out].id == TRACE_SCHED_SWITCH && recs[sw_out].sched_switch.prev_pid == sleeper->pid)
			break;
	ASSERT_LT(t, sw_out, (long)nrec);
	EXPECT_EQ(t, recs[sw_out].pid, sleeper->pid);	/* a switch is recorded by the task leaving */
	EXPECT_STREQ(t, trace_task_state_str(recs[sw_out].sched_switch.prev_state), "S");

	/* the timer, from TIMER_SOFTIRQ */
	tm_in = find(sw_in, TRACE_TIMER_EXPIRE_ENTRY, (unsigned long)&seq_timer);
	tm_out = find(tm_in, TRACE_TIMER_EXPIRE_EXIT, (unsigned long)&seq_timer);
	ASSERT_GT(t, tm_in, sw_in);
	ASSERT_GT(t, tm_out, tm_in);
	EXPECT_EQ(t, recs[tm_in].timer.func, (unsigned long)seq_timer_fn);
	EXPECT_TRUE(t, recs[tm_in].flags & TRACE_FLAG_SOFTIRQ);

	/* the interrupt: vector entry, handler entry and exit, vector exit, on one CPU, hard-IRQ context */
	ventry = find(tm_out, TRACE_IRQ_VECTOR_ENTRY, (u64)irq);
	hentry = find(ventry, TRACE_IRQ_HANDLER_ENTRY, (u64)irq);
	hexit = find(hentry, TRACE_IRQ_HANDLER_EXIT, (u64)irq);
	vexit = find(hexit, TRACE_IRQ_VECTOR_EXIT, (u64)irq);
	ASSERT_GT(t, ventry, tm_out);
	ASSERT_GT(t, hentry, ventry);
	ASSERT_GT(t, hexit, hentry);
	ASSERT_GT(t, vexit, hexit);
	EXPECT_EQ(t, recs[hentry].cpu, recs[ventry].cpu);
	EXPECT_EQ(t, recs[vexit].cpu, recs[ventry].cpu);
	EXPECT_STREQ(t, recs[hentry].irq_entry.name, bh_src.edu ? bh_src.edu->name : "bhtest");
	EXPECT_EQ(t, recs[hexit].irq_exit.ret, IRQ_HANDLED);
	EXPECT_EQ(t, recs[hexit].irq_exit.action, recs[hentry].irq_entry.action);
	EXPECT_TRUE(t, recs[hentry].flags & TRACE_FLAG_HARDIRQ);
	EXPECT_TRUE(t, recs[hentry].flags & TRACE_FLAG_IRQS_OFF);
	EXPECT_TRUE(t, recs[ventry].flags & TRACE_FLAG_HARDIRQ);
	EXPECT_NULL(t, (void *)(unsigned long)recs[ventry].vector.name);
	seq_teardown();
}

/* ---- per-CPU rings ---- */

static void mark_here(void *unused)
{
	trace_printk("mark on %d", smp_processor_id());
}

static void per_cpu_buffers(struct ktest *t)
{
	struct trace_cpu_stats st0, st1;
	long m0, m1, send, ventry;

	if (num_online_cpus() < 2)
		ktest_skip(t, "needs 2 CPUs, %u online", num_online_cpus());
	trace_clear();
	ASSERT_EQ(t, trace_start(), 0);
	preempt_disable();
	mark_here(NULL);
	preempt_enable();
	ASSERT_EQ(t, smp_call_function_single(1, mark_here, NULL, 1), 0);
	trace_stop();
	trace_get_stats(0, &st0);
	trace_get_stats(1, &st1);
	EXPECT_GE(t, st0.written, 2);		/* the mark and the IPI send */
	EXPECT_GE(t, st1.written, 3);		/* the vector's entry and exit, and the mark */
	collect(t);
	m0 = find_print(0, "mark on 0");
	m1 = find_print(0, "mark on 1");
	send = find(m0, TRACE_IPI_SEND_CPU, 1);
	ventry = find(send, TRACE_IRQ_VECTOR_ENTRY, 0x10000u + CALL_FUNCTION_SINGLE_VECTOR);
	ASSERT_GE(t, m0, 0);
	ASSERT_GE(t, m1, 0);
	EXPECT_EQ(t, recs[m0].cpu, 0);
	EXPECT_EQ(t, recs[m1].cpu, 1);
	ASSERT_GT(t, send, m0);
	EXPECT_EQ(t, recs[send].cpu, 0);
	EXPECT_EQ(t, recs[send].ipi.vector, CALL_FUNCTION_SINGLE_VECTOR);
	ASSERT_GT(t, ventry, send);
	EXPECT_EQ(t, recs[ventry].cpu, 1);
	EXPECT_LT(t, ventry, m1);		/* the mark ran inside the IPI's handler */
	EXPECT_TRUE(t, recs[m1].flags & TRACE_FLAG_HARDIRQ);
	EXPECT_STREQ(t, (const char *)(unsigned long)recs[ventry].vector.name, "Function call interrupts");
}

/* ---- a full ring ---- */

static void overwrite_and_lost(struct ktest *t)
{
	struct trace_cpu_stats st;
	int cpu, next = -1, marks = 0;
	char want[32];

	ASSERT_EQ(t, trace_set_buffer_entries(16), 0);
	EXPECT_EQ(t, trace_buffer_entries(), 16);
	ASSERT_EQ(t, trace_start(), 0);
	EXPECT_EQ(t, trace_set_buffer_entries(64), -EBUSY);	/* not while recording */
	preempt_disable();
	cpu = smp_processor_id();
	for (int i = 0; i < 100; i++)
		trace_printk("ow %d", i);
	preempt_enable();
	trace_stop();
	trace_get_stats(cpu, &st);
	EXPECT_GE(t, st.written, 100);
	EXPECT_EQ(t, st.entries, 16);
	EXPECT_EQ(t, st.overrun, st.written - 16);
	collect(t);
	EXPECT_EQ(t, lost[cpu], st.overrun);
	/* what is left of this CPU's ring: its newest 16 records, the marks among them in order, ending at 99 */
	for (unsigned long i = 0, held = 0; i < nrec; i++) {
		int n;

		if (recs[i].cpu != cpu)
			continue;
		held++;
		EXPECT_LE(t, held, 16);
		if (recs[i].id != TRACE_PRINT || strncmp(recs[i].print.text, "ow ", 3))
			continue;
		n = mark_number(recs[i].print.text + 3);
		if (next >= 0)
			EXPECT_EQ(t, n, next);
		next = n + 1;
		marks++;
	}
	/* the ring may have filled with other events after the last mark (a tick, a switch) */
	if (marks)
		EXPECT_EQ(t, next, 100);
	snprintf(want, sizeof(want), "ow %d", 0);
	EXPECT_LT(t, find_print(0, want), 0);	/* overwritten */
	ktest_info(t, "%d of the 100 marks left in the ring of CPU %d", marks, cpu);
	trace_clear();
	trace_get_stats(cpu, &st);
	EXPECT_EQ(t, st.written, 0);
	EXPECT_EQ(t, st.overrun, 0);
}

/* ---- the text view ---- */

static void check_line(struct ktest *t, const struct trace_entry *e, const char *want)
{
	char line[256];

	trace_format_entry(e, line, sizeof(line));
	EXPECT_STREQ(t, line, want);
}

static void text_format(struct ktest *t)
{
	struct trace_entry e;
	const char *cap;

	memset(&e, 0, sizeof(e));		/* tsc 0: time 0.000000 */
	e.id = TRACE_IRQ_HANDLER_ENTRY;
	e.cpu = 1;
	e.flags = TRACE_FLAG_IRQS_OFF | TRACE_FLAG_HARDIRQ;
	e.irq_entry.irq = 11;
	strlcpy(e.irq_entry.name, "edu0", sizeof(e.irq_entry.name));
	check_line(t, &e, "          <idle>-0       [001] d.h.     0.000000: irq_handler_entry: irq=11 name=edu0");

	e.id = TRACE_SOFTIRQ_ENTRY;
	e.flags = TRACE_FLAG_SOFTIRQ | TRACE_FLAG_HARDIRQ | TRACE_FLAG_NEED_RESCHED;
	e.preempt = 2;
	e.softirq.vec = TASKLET_SOFTIRQ;
	check_line(t, &e, "          <idle>-0       [001] .NH2     0.000000: softirq_entry: vec=6 [action=TASKLET]");

	e.id = TRACE_SCHED_WAKEUP;
	e.flags = TRACE_FLAG_IRQS_OFF | TRACE_FLAG_BH_OFF;
	e.preempt = 1;
	e.wakeup.pid = 42;
	e.wakeup.prio = 49;
	e.wakeup.target_cpu = 3;
	strlcpy(e.wakeup.comm, "irq/11-edu0", sizeof(e.wakeup.comm));
	check_line(t, &e, "          <idle>-0       [001] D..1     0.000000: sched_wakeup: comm=irq/11-edu0 pid=42 prio=49 target_cpu=003");

	e.id = TRACE_SCHED_SWITCH;
	e.flags = TRACE_FLAG_BH_OFF;
	e.preempt = 0;
	e.sched_switch.prev_pid = 0;
	e.sched_switch.prev_prio = 120;
	e.sched_switch.prev_state = TRACE_PREV_PREEMPTED;
	e.sched_switch.next_pid = 42;
	e.sched_switch.next_prio = 49;
	strlcpy(e.sched_switch.next_comm, "irq/11-edu0", sizeof(e.sched_switch.next_comm));
	check_line(t, &e, "          <idle>-0       [001] b...     0.000000: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R+ ==> next_comm=irq/11-edu0 next_pid=42 next_prio=49");

	/* the whole view: header, then the records */
	trace_clear();
	ASSERT_EQ(t, trace_start(), 0);
	trace_printk("show me");
	trace_stop();
	ktest_capture_start();
	trace_show(ktest_capture_print, 0);
	cap = ktest_captured();
	EXPECT_TRUE(t, !strncmp(cap, "# tracer: nop\n", 14));
	EXPECT_NOT_NULL(t, strstr(cap, "# entries-in-buffer/entries-written: "));
	EXPECT_NOT_NULL(t, strstr(cap, "#           TASK-PID     CPU#  ||||   TIMESTAMP  FUNCTION\n"));
	EXPECT_NOT_NULL(t, strstr(cap, "-1       [000] .... "));
	EXPECT_NOT_NULL(t, strstr(cap, ": print: "));
	EXPECT_NOT_NULL(t, strstr(cap, ": show me\n"));
}

/* ---- interrupts while records are written ---- */

#define NEST_ROUNDS	200
static volatile unsigned long nest_irqs;

static void nest_irq_fn(void)
{
	trace_printk("irq %lu", nest_irqs++);
}

static void irq_mid_record(struct ktest *t)
{
	u64 last_tsc[NR_CPUS] = { 0 };
	bool in_handler[NR_CPUS] = { false };
	unsigned long task_marks = 0, irq_marks = 0;
	int cpu;

	int irq;

	nest_irqs = 0;
	bh_src_setup(t, nest_irq_fn);
	irq = seq_irq();
	/* on this CPU if the line can be moved: the interrupts then land in the middle of our records */
	if (bh_src.sim_irq >= 0) {
		struct cpumask here = cpumask_of((unsigned int)smp_processor_id());

		irq_set_affinity((unsigned int)bh_src.sim_irq, &here);
	}
	trace_clear();
	ASSERT_EQ(t, trace_start(), 0);
	for (int i = 0; i < NEST_ROUNDS; i++) {
		bh_src_fire();
		trace_printk("task %d", i);
	}
	EXPECT_TRUE(t, bh_wait_for(&bh_src.fired, NEST_ROUNDS, 5000));
	trace_stop();
	bh_src_teardown();
	collect(t);
	for_each_possible_cpu(cpu)
		EXPECT_EQ(t, lost[cpu], 0);	/* nothing torn, nothing overwritten */
	for (unsigned long i = 0; i < nrec; i++) {
		const struct trace_entry *e = &recs[i];
		int n;

		/* each CPU's records in the order of their timestamps */
		EXPECT_GE(t, e->tsc, last_tsc[e->cpu]);
		last_tsc[e->cpu] = e->tsc;
		if (e->id == TRACE_IRQ_HANDLER_ENTRY && e->irq_entry.irq == (unsigned int)irq)
			in_handler[e->cpu] = true;
		else if (e->id == TRACE_IRQ_HANDLER_EXIT && e->irq_exit.irq == (unsigned int)irq)
			in_handler[e->cpu] = false;
		if (e->id != TRACE_PRINT)
			continue;
		if (!strncmp(e->print.text, "task ", 5)) {
			n = mark_number(e->print.text + 5);
			EXPECT_EQ(t, n, (int)task_marks);	/* all there, in order, whole */
			EXPECT_FALSE(t, in_handler[e->cpu]);
			task_marks++;
		} else if (!strncmp(e->print.text, "irq ", 4)) {
			n = mark_number(e->print.text + 4);
			EXPECT_EQ(t, n, (int)irq_marks);
			EXPECT_TRUE(t, in_handler[e->cpu]);	/* inside its handler's entry and exit */
			EXPECT_TRUE(t, e->flags & TRACE_FLAG_HARDIRQ);
			irq_marks++;
		}
	}
	EXPECT_EQ(t, task_marks, NEST_ROUNDS);
	EXPECT_EQ(t, irq_marks, bh_src.fired);
}

/* ---- the JSON dump ---- */

static size_t json_len;
#define JSON_BUF_SIZE	(512 * 1024)

static int json_capture(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(json_buf + json_len, JSON_BUF_SIZE - json_len, fmt, ap);
	va_end(ap);
	json_len += n;
	return n;
}

static void json_dump_shape(struct ktest *t)
{
	char *line, *next;
	unsigned long events = 0;
	bool begin = false, head = false, tail = false, end = false;

	json_buf = vmalloc(JSON_BUF_SIZE);
	ASSERT_NOT_NULL(t, json_buf);
	json_len = 0;
	seq_setup(t);
	trace_clear();
	ASSERT_EQ(t, trace_start(), 0);
	seq_run(t);
	trace_stop();
	trace_dump_json(json_capture);
	seq_teardown();
	ASSERT_LT(t, json_len, JSON_BUF_SIZE - 1);	/* all of it fitted */
	/* the tracks and the story of the sequence */
	EXPECT_NOT_NULL(t, strstr(json_buf, "\"name\":\"process_name\",\"pid\":1000000,\"tid\":1000000,\"args\":{\"name\":\"CPU 0\"}"));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"name\":\"CPU 0 irq/softirq\"}"));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"ph\":\"X\",\"name\":\"tasklet seq_tasklet_fn\",\"cat\":\"tasklet\""));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"ph\":\"X\",\"name\":\"work seq_work_fn\",\"cat\":\"workqueue\""));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"ph\":\"X\",\"name\":\"timer seq_timer_fn\""));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"ph\":\"X\",\"name\":\"trace-sleeper\",\"cat\":\"sched\""));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"ph\":\"s\",\"name\":\"queue_work\",\"cat\":\"flow\""));
	EXPECT_NOT_NULL(t, strstr(json_buf, "{\"ph\":\"f\",\"name\":\"queue_work\",\"cat\":\"flow\""));
	EXPECT_NOT_NULL(t, strstr(json_buf, "\"lost_events\":["));
	/* line by line: markers, the array's head and tail, one object per line */
	for (line = json_buf; line && *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		len = strlen(line);
		if (!strcmp(line, "TRACEJSON BEGIN")) {
			begin = true;
		} else if (!strcmp(line, "{\"traceEvents\":[")) {
			head = begin;
		} else if (!strncmp(line, "],\"displayTimeUnit\":\"ns\"", 24)) {
			tail = head;
		} else if (!strcmp(line, "TRACEJSON END")) {
			end = tail;
		} else {
			EXPECT_TRUE(t, head && !tail);
			EXPECT_TRUE(t, line[0] == '{' || (events && line[0] == ',' && line[1] == '{'));
			EXPECT_EQ(t, line[len - 1], '}');
			events++;
		}
	}
	EXPECT_TRUE(t, begin && head && tail && end);
	EXPECT_GE(t, events, 10);
	vfree(json_buf);
	json_buf = NULL;
}

/* ---- the shell command ---- */

static int run_cmd(const char *a1, const char *a2)
{
	char w0[16] = "trace", w1[32] = "", w2[32] = "";
	char *argv[] = { w0, w1, w2, NULL };

	if (a1)
		strlcpy(w1, a1, sizeof(w1));
	if (a2)
		strlcpy(w2, a2, sizeof(w2));
	return trace_cmd(a2 ? 3 : a1 ? 2 : 1, argv);
}

/* trace_cmd(): what each word does and refuses (its output goes to the console, not checked here). */
static void shell_command(struct ktest *t)
{
	EXPECT_EQ(t, run_cmd(NULL, NULL), -EINVAL);
	EXPECT_EQ(t, run_cmd("bogus", NULL), -EINVAL);
	EXPECT_EQ(t, run_cmd("show", "ten"), -EINVAL);
	EXPECT_EQ(t, run_cmd("scenario", "no_such_story"), -ENOENT);
	EXPECT_EQ(t, run_cmd("start", NULL), 0);
	EXPECT_TRUE(t, trace_is_on());
	trace_printk("from the shell test");
	EXPECT_EQ(t, run_cmd("stop", NULL), 0);
	EXPECT_FALSE(t, trace_is_on());
	EXPECT_GE(t, written_all(), 1);
	EXPECT_EQ(t, run_cmd("status", NULL), 0);
	EXPECT_EQ(t, run_cmd("clear", NULL), 0);
	EXPECT_EQ(t, written_all(), 0);
	EXPECT_EQ(t, run_cmd("scenario", NULL), 0);	/* lists them */
	EXPECT_STREQ(t, trace_scenario_names[0], "edu_tasklet_work");
}

/* ---- cost ---- */

#define COST_CALLS	10000
#define COST_IRQS	200

static noinline void plain_fn(unsigned int v)
{
	barrier();
}

static noinline void traced_fn(unsigned int v)
{
	trace_softirq_raise(v);
	barrier();
}

static u64 time_calls(void (*fn)(unsigned int))
{
	u64 t0 = ktime_get_ns();

	for (unsigned int i = 0; i < COST_CALLS; i++)
		fn(HRTIMER_SOFTIRQ);
	return ktime_get_ns() - t0;
}

static u64 time_irqs(unsigned int n)
{
	unsigned long start = bh_src.fired;
	u64 t0 = ktime_get_ns();

	for (unsigned int i = 0; i < n; i++) {
		bh_src_fire();
		bh_wait_for(&bh_src.fired, start + i + 1, 1000);
	}
	return ktime_get_ns() - t0;
}

/* Records with this id and key (key_of) on cpu (-1: any); handler exits only if they handled it. */
static unsigned long count_records(unsigned int id, u64 key, int cpu)
{
	struct trace_iter *it = trace_iter_open();
	struct trace_entry e;
	unsigned long n = 0;

	while (it && trace_iter_next(it, &e))
		n += e.id == id && key_of(&e) == key && (cpu < 0 || e.cpu == cpu) &&
		     (id != TRACE_IRQ_HANDLER_EXIT || e.irq_exit.ret == IRQ_HANDLED);
	trace_iter_close(it);
	return n;
}

/*
 * What a tracepoint costs: off (against the same call without one) and
 * on, and an interrupt's delivery with tracing off and on. Figures only
 * (the host's load decides them); the checks are on what was recorded.
 */
static void cost(struct ktest *t)
{
	u64 plain, off, on, irq_off, irq_on;
	int cpu, irq;

	ASSERT_EQ(t, trace_set_buffer_entries(COST_CALLS + COST_CALLS / 2), 0);
	preempt_disable();
	cpu = smp_processor_id();
	plain = time_calls(plain_fn);
	off = time_calls(traced_fn);
	preempt_enable();
	EXPECT_EQ(t, written_all(), 0);
	ASSERT_EQ(t, trace_start(), 0);
	preempt_disable();
	on = time_calls(traced_fn);
	preempt_enable();
	trace_stop();
	EXPECT_EQ(t, count_records(TRACE_SOFTIRQ_RAISE, HRTIMER_SOFTIRQ, cpu), COST_CALLS);
	ktest_info(t, "per call: %lu ns without a tracepoint, %lu ns with it off, %lu ns with it on",
		   (unsigned long)(plain / COST_CALLS), (unsigned long)(off / COST_CALLS),
		   (unsigned long)(on / COST_CALLS));

	bh_src_setup(t, irq_nothing);
	irq = seq_irq();
	trace_clear();
	irq_off = time_irqs(COST_IRQS);
	EXPECT_EQ(t, written_all(), 0);
	ASSERT_EQ(t, trace_start(), 0);
	irq_on = time_irqs(COST_IRQS);
	trace_stop();
	bh_src_teardown();
	/* one handled run per raise (a shared level line may add calls that find nothing) */
	EXPECT_EQ(t, count_records(TRACE_IRQ_HANDLER_EXIT, (u64)irq, -1), COST_IRQS);
	EXPECT_GE(t, count_records(TRACE_IRQ_HANDLER_ENTRY, (u64)irq, -1), COST_IRQS);
	ktest_info(t, "per interrupt (raise to handler, wait included): %lu ns tracing off, %lu ns on",
		   (unsigned long)(irq_off / COST_IRQS), (unsigned long)(irq_on / COST_IRQS));
}

static struct ktest_case trace_cases[] = {
	KTEST_CASE(off_records_nothing),
	KTEST_CASE(hooks_in_order),
	KTEST_CASE(per_cpu_buffers),
	KTEST_CASE(overwrite_and_lost),
	KTEST_CASE(text_format),
	KTEST_CASE(irq_mid_record),
	KTEST_CASE(json_dump_shape),
	KTEST_CASE(shell_command),
	KTEST_CASE(cost),
	{}
};

KTEST_SUITE(trace, trace_cases, .init = trace_suite_init, .exit = trace_suite_exit);

/* A scenario boot end to end; tools/ktest.py checks its JSON with tools/trace_extract.py. */
KTEST_BOOT(trace_scenario, "trace.scenario=edu_tasklet_work", "trace: scenario edu_tasklet_work done");
/* trace=1 records from the start of init on, with the default ring size. */
KTEST_BOOT(trace_at_boot, "trace=1", "trace: tracing from boot: 8192 records per CPU");
