/*
 * The JSON view: the records in Chrome's Trace Event Format (the
 * "JSON Object Format": {"traceEvents": [...]}), which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open.
 *
 * Tracks: each CPU is a process ("CPU n", pid CPU_PID + n) holding
 *   - its interrupt track (tid = the process's pid): vectors, hard-IRQ
 *     handlers, softirqs run on the way out of an interrupt or at
 *     local_bh_enable(), their tasklets and timers, nested by time;
 *   - one track per thread that ran there (tid = the task's pid; the
 *     idle task IDLE_TID + n): its running spans (switch in to switch
 *     out) and, nested in them, what it ran in task context: work items
 *     (a work item that slept is drawn as one piece per span) and, in
 *     ksoftirqd, softirqs.
 * Durations are complete events ("X") built here by pairing entry and
 * exit records (an exit whose entry was overwritten is dropped; what is
 * still open at the end is closed at the last timestamp). Raises,
 * queueing, wake-ups and IPIs are instants ("i"). Flow arrows ("s"/"f")
 * join a softirq raise to its run, queue_work to the item's execution,
 * an IRQ thread's wake-up to its next run, and an IPI to its vector on
 * the target CPU: an edu interrupt reads vector -> handler (nested) ->
 * TASKLET softirq -> tasklet (nested) -> work item in a kworker.
 * Timestamps are microseconds (to the nanosecond) on the printk clock.
 *
 * The output is one event per line between "TRACEJSON BEGIN" and
 * "TRACEJSON END", so that a line another CPU prints in the middle can
 * be told apart (tools/trace_extract.py).
 */
#include "json.h"
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/vmalloc.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <asm/trace_clock.h>

/* ---- open slices ---- */

static void push(struct stack *sk, const struct trace_entry *e, u64 key, u64 ns)
{
	if (sk->depth == MAX_DEPTH)
		return;			/* deeper than any real nesting: drop it */
	sk->s[sk->depth].key = key;
	sk->s[sk->depth].ns = ns;
	sk->s[sk->depth].e = *e;
	sk->depth++;
}

/*
 * An exit: close the innermost open slice of that kind and key. Slices
 * opened inside it whose exits were lost close with it.
 */
static void pop(struct json_state *st, struct stack *sk, unsigned int cpu, long tid,
		unsigned int entry_id, u64 key, u64 ns, const char *extra)
{
	int i;

	for (i = sk->depth - 1; i >= 0; i--)
		if (sk->s[i].e.id == entry_id && sk->s[i].key == key)
			break;
	if (i < 0)
		return;			/* its entry was overwritten or came before the trace */
	while (sk->depth - 1 > i)
		json_emit_slice(st, cpu, tid, &sk->s[--sk->depth], ns, ",\"unfinished\":true");
	json_emit_slice(st, cpu, tid, &sk->s[--sk->depth], ns, extra);
}

static void flush(struct json_state *st, struct stack *sk, unsigned int cpu, long tid, u64 ns)
{
	while (sk->depth)
		json_emit_slice(st, cpu, tid, &sk->s[--sk->depth], ns, ",\"unfinished\":true");
}

static void pending_add(struct pending *tab, u64 key, unsigned int id)
{
	struct pending *slot = &tab[0];

	for (int i = 0; i < MAX_PENDING; i++) {
		if (tab[i].id == 0 || tab[i].key == key) {
			slot = &tab[i];
			break;
		}
		if (tab[i].id < slot->id)	/* full: replace the oldest */
			slot = &tab[i];
	}
	slot->key = key;
	slot->id = id;
}

static unsigned int pending_take(struct pending *tab, u64 key)
{
	for (int i = 0; i < MAX_PENDING; i++) {
		if (tab[i].id && tab[i].key == key) {
			unsigned int id = tab[i].id;

			tab[i].id = 0;
			return id;
		}
	}
	return 0;
}

/* ---- running spans and work items ---- */

static void start_running(struct json_state *st, unsigned int cpu, int pid, u64 ns)
{
	struct json_task *t;

	st->cpus[cpu].cur = pid;
	if (!pid || !(t = json_find_task(st, pid)))
		return;
	t->cpu = (int)cpu;
	t->run_ns = ns;
	if (t->work_open)
		t->piece_ns = ns + 1;	/* a work item that slept goes on: a new piece inside the span */
	if (t->wake_flow) {
		json_flow(st, false, t->wake_flow, cpu, json_task_tid(st, cpu, pid), ns, "irq thread");
		t->wake_flow = 0;
	}
}

static void emit_work_piece(struct json_state *st, struct json_task *t, unsigned int cpu, u64 ns,
			    bool last)
{
	struct slice s = { .ns = t->piece_ns, .e = t->work };

	if (!t->piece_ns)
		return;
	json_emit_slice(st, cpu, json_task_tid(st, cpu, t->pid), &s, ns,
			last ? NULL : ",\"continued\":\"slept or was preempted\"");
	t->piece_ns = 0;
}

static void stop_running(struct json_state *st, unsigned int cpu, u64 ns, const char *state)
{
	int pid = st->cpus[cpu].cur;
	struct json_task *t;
	char comm[TASK_COMM_LEN], extra[48] = "";

	flush(st, &st->cpus[cpu].task, cpu, json_task_tid(st, cpu, pid < 0 ? 0 : pid), ns);
	st->cpus[cpu].cur = -1;
	if (pid <= 0 || !(t = json_find_task(st, pid)) || t->cpu != (int)cpu)
		return;
	if (t->work_open)
		emit_work_piece(st, t, cpu, ns, false);
	trace_find_comm(pid, comm, sizeof(comm));
	json_begin(st, "X", comm, "sched", cpu, json_task_tid(st, cpu, pid));
	json_put_ts(st, "ts", t->run_ns);
	json_put_ts(st, "dur", ns > t->run_ns ? ns - t->run_ns : 0);
	if (state)
		snprintf(extra, sizeof(extra), ",\"prev_state\":\"%s\"", state);
	json_put(st, ",\"args\":{\"pid\":%d%s}", pid, extra);
	json_end(st);
	t->cpu = -1;
}

/* A record of pid on cpu: if the dump did not know pid ran there (the trace began, or a switch was lost), it does now. */
static void note_running(struct json_state *st, const struct trace_entry *e, u64 ns)
{
	struct json_cpu *c = &st->cpus[e->cpu];

	if (!c->seen) {
		c->seen = true;
		json_name_cpu(st, e->cpu);
	}
	if (c->cur == e->pid)
		return;
	if (c->cur >= 0)
		stop_running(st, e->cpu, ns, NULL);
	start_running(st, e->cpu, e->pid, ns);
}

/* ---- one record ---- */

static void instant(struct json_state *st, const struct trace_entry *e, u64 ns, const char *name,
		    const char *cat)
{
	json_begin(st, "i", name, cat, e->cpu, json_track_of(st, e));
	json_put_ts(st, "ts", ns);
	json_put(st, ",\"s\":\"t\"");
	json_put_args(st, e, NULL);
	json_end(st);
}

static struct stack *stack_of(struct json_state *st, const struct trace_entry *e)
{
	return json_irq_context(e) ? &st->cpus[e->cpu].irq : &st->cpus[e->cpu].task;
}

static void do_ipi(struct json_state *st, const struct trace_entry *e, u64 ns)
{
	char name[48];

	snprintf(name, sizeof(name), "ipi_send vector 0x%02x", e->ipi.vector);
	instant(st, e, ns, name, "ipi");
	for (unsigned int cpu = 0; cpu < 64 && cpu < st->ncpus; cpu++)
		if (e->ipi.mask >> cpu & 1)
			pending_add(st->ipi_flows, (u64)cpu << 8 | e->ipi.vector,
				    json_flow_begin(st, e->cpu, json_track_of(st, e), ns, "ipi"));
}

static void entry_slice(struct json_state *st, const struct trace_entry *e, u64 ns, u64 key)
{
	struct stack *sk = stack_of(st, e);
	unsigned int id = 0;

	push(sk, e, key, ns);
	if (e->id == TRACE_WORKQUEUE_EXECUTE_START)
		id = pending_take(st->work_flows, e->work.work);
	else if (e->id == TRACE_IRQ_VECTOR_ENTRY)
		id = pending_take(st->ipi_flows, (u64)e->cpu << 8 | e->vector.vector);
	else if (e->id == TRACE_SOFTIRQ_ENTRY && e->softirq.vec < NR_SOFTIRQS) {
		id = st->cpus[e->cpu].softirq_flow[e->softirq.vec];
		st->cpus[e->cpu].softirq_flow[e->softirq.vec] = 0;
	}
	if (id)
		json_flow(st, false, id, e->cpu, json_track_of(st, e), ns,
			  e->id == TRACE_SOFTIRQ_ENTRY ? "raise" :
			  e->id == TRACE_WORKQUEUE_EXECUTE_START ? "queue_work" : "ipi");
}

static void exit_slice(struct json_state *st, const struct trace_entry *e, u64 ns,
		       unsigned int entry_id, u64 key, const char *extra)
{
	pop(st, stack_of(st, e), e->cpu, json_track_of(st, e), entry_id, key, ns, extra);
}

static void do_record(struct json_state *st, const struct trace_entry *e)
{
	u64 ns = trace_entry_ns(e);
	struct json_task *t;
	char name[96];

	if (e->cpu >= st->ncpus)
		return;
	if (ns > st->last_ns)
		st->last_ns = ns;
	note_running(st, e, ns);
	switch (e->id) {
	case TRACE_IRQ_VECTOR_ENTRY:
		entry_slice(st, e, ns, e->vector.vector);
		break;
	case TRACE_IRQ_VECTOR_EXIT:
		exit_slice(st, e, ns, TRACE_IRQ_VECTOR_ENTRY, e->vector.vector, NULL);
		break;
	case TRACE_IRQ_HANDLER_ENTRY:
		entry_slice(st, e, ns, e->irq_entry.action);
		break;
	case TRACE_IRQ_HANDLER_EXIT:
		exit_slice(st, e, ns, TRACE_IRQ_HANDLER_ENTRY, e->irq_exit.action,
			e->irq_exit.ret ? ",\"ret\":\"handled\"" : ",\"ret\":\"unhandled\"");
		break;
	case TRACE_SOFTIRQ_ENTRY:
		entry_slice(st, e, ns, e->softirq.vec);
		break;
	case TRACE_SOFTIRQ_EXIT:
		exit_slice(st, e, ns, TRACE_SOFTIRQ_ENTRY, e->softirq.vec, NULL);
		break;
	case TRACE_TASKLET_ENTRY:
		entry_slice(st, e, ns, e->tasklet.tasklet);
		break;
	case TRACE_TASKLET_EXIT:
		exit_slice(st, e, ns, TRACE_TASKLET_ENTRY, e->tasklet.tasklet, NULL);
		break;
	case TRACE_TIMER_EXPIRE_ENTRY:
		entry_slice(st, e, ns, e->timer.timer);
		break;
	case TRACE_TIMER_EXPIRE_EXIT:
		exit_slice(st, e, ns, TRACE_TIMER_EXPIRE_ENTRY, e->timer.timer, NULL);
		break;
	case TRACE_SOFTIRQ_RAISE:
		snprintf(name, sizeof(name), "softirq_raise %s", trace_softirq_name(e->softirq.vec));
		instant(st, e, ns, name, "softirq");
		/* one arrow per pending period: raising again before it ran adds nothing */
		if (e->softirq.vec < NR_SOFTIRQS && !st->cpus[e->cpu].softirq_flow[e->softirq.vec])
			st->cpus[e->cpu].softirq_flow[e->softirq.vec] =
				json_flow_begin(st, e->cpu, json_track_of(st, e), ns, "raise");
		break;
	case TRACE_WORKQUEUE_QUEUE_WORK:
		snprintf(name, sizeof(name), "queue_work %ps", (void *)(unsigned long)e->queue_work.func);
		instant(st, e, ns, name, "workqueue");
		pending_add(st->work_flows, e->queue_work.work,
			    json_flow_begin(st, e->cpu, json_track_of(st, e), ns, "queue_work"));
		break;
	case TRACE_WORKQUEUE_ACTIVATE_WORK:
		instant(st, e, ns, "activate_work", "workqueue");
		break;
	case TRACE_WORKQUEUE_EXECUTE_START:
		if (e->flags & (TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ)) {
			/* a BH workqueue's item, run by a tasklet: nested in it like any softirq work */
			entry_slice(st, e, ns, e->work.work);
			break;
		}
		t = json_find_task(st, e->pid);
		if (!t)
			break;
		if (t->work_open)
			emit_work_piece(st, t, e->cpu, ns, true);
		t->work_open = true;
		t->work = *e;
		t->piece_ns = ns;
		{
			unsigned int id = pending_take(st->work_flows, e->work.work);

			if (id)
				json_flow(st, false, id, e->cpu, json_task_tid(st, e->cpu, e->pid), ns, "queue_work");
		}
		break;
	case TRACE_WORKQUEUE_EXECUTE_END:
		if (e->flags & (TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ)) {
			exit_slice(st, e, ns, TRACE_WORKQUEUE_EXECUTE_START, e->work.work, NULL);
			break;
		}
		t = json_find_task(st, e->pid);
		if (!t || !t->work_open)
			break;
		emit_work_piece(st, t, e->cpu, ns, true);
		t->work_open = false;
		break;
	case TRACE_SCHED_SWITCH:
		stop_running(st, e->cpu, ns, trace_task_state_str(e->sched_switch.prev_state));
		start_running(st, e->cpu, e->sched_switch.next_pid, ns);
		break;
	case TRACE_SCHED_WAKEUP:
	case TRACE_SCHED_WAKEUP_NEW:
		snprintf(name, sizeof(name), "wakeup %s", e->wakeup.comm);
		instant(st, e, ns, name, "sched");
		break;
	case TRACE_IPI_SEND_CPU:
	case TRACE_IPI_SEND_CPUMASK:
		do_ipi(st, e, ns);
		break;
	case TRACE_IRQ_THREAD_WAKE:
		snprintf(name, sizeof(name), "irq_thread_wake irq %u", e->irq_thread.irq);
		instant(st, e, ns, name, "irq");
		if (e->irq_thread.pid <= 0 || !(t = json_find_task(st, e->irq_thread.pid)))
			break;
		t->wake_flow = json_flow_begin(st, e->cpu, json_track_of(st, e), ns, "irq thread");
		/* still running (the interrupt came in under it): it runs its handler again without a switch */
		if (t->cpu >= 0) {
			json_flow(st, false, t->wake_flow, (unsigned int)t->cpu,
				  json_task_tid(st, (unsigned int)t->cpu, t->pid), ns, "irq thread");
			t->wake_flow = 0;
		}
		break;
	case TRACE_PRINT:
		snprintf(name, sizeof(name), "print: %s", e->print.text);
		instant(st, e, ns, name, "print");
		break;
	}
}

/* The end of the trace: close what is still open at the last timestamp. */
static void finish(struct json_state *st)
{
	for (unsigned int cpu = 0; cpu < st->ncpus; cpu++) {
		struct json_cpu *c = &st->cpus[cpu];

		if (!c->seen)
			continue;
		flush(st, &c->irq, cpu, json_irq_tid(cpu), st->last_ns);
		if (c->cur >= 0)
			stop_running(st, cpu, st->last_ns, NULL);
	}
}

void trace_dump_json(int (*print)(const char *fmt, ...))
{
	struct json_state *st = vmalloc(sizeof(*st));
	struct trace_iter *it = NULL;
	struct trace_entry e;

	if (st) {
		memset(st, 0, sizeof(*st));
		st->ncpus = nr_cpu_ids;
		st->cpus = vmalloc(st->ncpus * sizeof(*st->cpus));
		st->tasks = vmalloc(MAX_TASKS * sizeof(*st->tasks));
		if (st->cpus && st->tasks)
			it = trace_iter_open();
	}
	if (!it) {
		print("trace: out of memory for the JSON dump\n");
		goto out;
	}
	memset(st->cpus, 0, st->ncpus * sizeof(*st->cpus));
	memset(st->tasks, 0, MAX_TASKS * sizeof(*st->tasks));
	for (unsigned int cpu = 0; cpu < st->ncpus; cpu++)
		st->cpus[cpu].cur = -1;
	st->print = print;
	st->first = true;

	print("TRACEJSON BEGIN\n");
	print("{\"traceEvents\":[\n");
	while (trace_iter_next(it, &e))
		do_record(st, &e);
	finish(st);
	print("],\"displayTimeUnit\":\"ns\",\"otherData\":{\"kernel\":\"irqkernel\",\"clock\":\"TSC\"");
	print(",\"tsc_khz\":%lu,\"records_per_cpu\":%lu,\"lost_events\":[", trace_clock_khz(),
	      trace_buffer_entries());
	for (unsigned int cpu = 0; cpu < st->ncpus; cpu++)
		print("%s%lu", cpu ? "," : "", trace_iter_lost(it, (int)cpu));
	print("],\"events\":%lu}}\n", st->events);
	print("TRACEJSON END\n");
	trace_iter_close(it);
out:
	if (st) {
		vfree(st->cpus);
		vfree(st->tasks);
		vfree(st);
	}
}
