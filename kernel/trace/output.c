/*
 * The text view: records as ftrace prints them in its trace file,
 *
 *   <comm>-<pid> [cpu] <flags> <secs.usecs>: <event>: <arguments>
 *
 * with each event's arguments in its Linux tracepoint's format, and the
 * four context columns (irqs-off/BH-off, need-resched, hard/soft IRQ,
 * preemption depth) of ftrace's latency format.
 */
#include "internals.h"
#include <kernel/interrupt.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/kernel.h>

static const char *const event_names[NR_TRACE_EVENTS] = {
	[TRACE_NONE] = "none",
	[TRACE_IRQ_HANDLER_ENTRY] = "irq_handler_entry",
	[TRACE_IRQ_HANDLER_EXIT] = "irq_handler_exit",
	[TRACE_SOFTIRQ_RAISE] = "softirq_raise",
	[TRACE_SOFTIRQ_ENTRY] = "softirq_entry",
	[TRACE_SOFTIRQ_EXIT] = "softirq_exit",
	[TRACE_TASKLET_ENTRY] = "tasklet_entry",
	[TRACE_TASKLET_EXIT] = "tasklet_exit",
	[TRACE_WORKQUEUE_QUEUE_WORK] = "workqueue_queue_work",
	[TRACE_WORKQUEUE_ACTIVATE_WORK] = "workqueue_activate_work",
	[TRACE_WORKQUEUE_EXECUTE_START] = "workqueue_execute_start",
	[TRACE_WORKQUEUE_EXECUTE_END] = "workqueue_execute_end",
	[TRACE_SCHED_SWITCH] = "sched_switch",
	[TRACE_SCHED_WAKEUP] = "sched_wakeup",
	[TRACE_SCHED_WAKEUP_NEW] = "sched_wakeup_new",
	[TRACE_TIMER_EXPIRE_ENTRY] = "timer_expire_entry",
	[TRACE_TIMER_EXPIRE_EXIT] = "timer_expire_exit",
	[TRACE_IPI_SEND_CPU] = "ipi_send_cpu",
	[TRACE_IPI_SEND_CPUMASK] = "ipi_send_cpumask",
	[TRACE_IRQ_VECTOR_ENTRY] = "irq_vector_entry",
	[TRACE_IRQ_VECTOR_EXIT] = "irq_vector_exit",
	[TRACE_IRQ_THREAD_WAKE] = "irq_thread_wake",
	[TRACE_PRINT] = "print",
};

const char *trace_event_name(unsigned int id)
{
	return id < NR_TRACE_EVENTS && event_names[id] ? event_names[id] : "?";
}

const char *trace_softirq_name(unsigned int vec)
{
	return vec < NR_SOFTIRQS ? softirq_to_name[vec] : "?";
}

const char *trace_task_state_str(u32 state)
{
	if (state & TRACE_PREV_PREEMPTED)
		return "R+";
	switch (state) {
	case TASK_RUNNING:		return "R";
	case TASK_INTERRUPTIBLE:	return "S";
	case TASK_UNINTERRUPTIBLE:	return "D";
	case TASK_PARKED:		return "P";
	case TASK_DEAD:			return "X";
	case TASK_WAKING:		return "W";
	case TASK_NEW:			return "N";
	default:			return "?";
	}
}

void trace_format_flags(const struct trace_entry *e, char out[5])
{
	bool irqs_off = e->flags & TRACE_FLAG_IRQS_OFF, bh_off = e->flags & TRACE_FLAG_BH_OFF;
	bool hard = e->flags & TRACE_FLAG_HARDIRQ, soft = e->flags & TRACE_FLAG_SOFTIRQ;
	bool nmi = e->flags & TRACE_FLAG_NMI;

	out[0] = irqs_off && bh_off ? 'D' : irqs_off ? 'd' : bh_off ? 'b' : '.';
	out[1] = e->flags & TRACE_FLAG_NEED_RESCHED ? 'N' : '.';
	out[2] = nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';
	out[3] = !e->preempt ? '.' : e->preempt < 16 ? "0123456789abcdef"[e->preempt] : '+';
	out[4] = '\0';
}

/* A CPU mask as a list ("0,2-3"). */
static void format_mask(u64 mask, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int cpu = 0; cpu < 64 && n < size; cpu++) {
		unsigned int last = cpu;

		if (!(mask >> cpu & 1))
			continue;
		while (last + 1 < 64 && (mask >> (last + 1) & 1))
			last++;
		n += scnprintf(buf + n, size - n, n ? ",%u" : "%u", cpu);
		if (last > cpu)
			n += scnprintf(buf + n, size - n, "-%u", last);
		cpu = last;
	}
}

#define P(x)	((void *)(unsigned long)(x))

int trace_format_args(const struct trace_entry *e, char *buf, size_t size)
{
	char comm[TASK_COMM_LEN], mask[64];

	switch (e->id) {
	case TRACE_IRQ_HANDLER_ENTRY:
		return snprintf(buf, size, "irq=%u name=%s", e->irq_entry.irq, e->irq_entry.name);
	case TRACE_IRQ_HANDLER_EXIT:
		return snprintf(buf, size, "irq=%u ret=%s", e->irq_exit.irq,
				e->irq_exit.ret ? "handled" : "unhandled");
	case TRACE_SOFTIRQ_RAISE:
	case TRACE_SOFTIRQ_ENTRY:
	case TRACE_SOFTIRQ_EXIT:
		return snprintf(buf, size, "vec=%u [action=%s]", e->softirq.vec,
				trace_softirq_name(e->softirq.vec));
	case TRACE_TASKLET_ENTRY:
	case TRACE_TASKLET_EXIT:
		return snprintf(buf, size, "tasklet=%p function=%ps", P(e->tasklet.tasklet),
				P(e->tasklet.func));
	case TRACE_WORKQUEUE_QUEUE_WORK:
		return snprintf(buf, size, "work struct=%p function=%ps workqueue=%s req_cpu=%d cpu=%d",
				P(e->queue_work.work), P(e->queue_work.func), e->queue_work.wq,
				e->queue_work.req_cpu, (s16)e->queue_work.cpu);
	case TRACE_WORKQUEUE_ACTIVATE_WORK:
		return snprintf(buf, size, "work struct %p", P(e->work.work));
	case TRACE_WORKQUEUE_EXECUTE_START:
	case TRACE_WORKQUEUE_EXECUTE_END:
		return snprintf(buf, size, "work struct %p: function %ps", P(e->work.work),
				P(e->work.func));
	case TRACE_SCHED_SWITCH:
		/* the idle task by its own name here, as Linux ("swapper/1"), not "<idle>" */
		if (e->sched_switch.prev_pid)
			trace_find_comm(e->sched_switch.prev_pid, comm, sizeof(comm));
		else
			snprintf(comm, sizeof(comm), "swapper/%u", e->cpu);
		return snprintf(buf, size,
				"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%d next_prio=%d",
				comm, e->sched_switch.prev_pid, e->sched_switch.prev_prio,
				trace_task_state_str(e->sched_switch.prev_state), e->sched_switch.next_comm,
				e->sched_switch.next_pid, e->sched_switch.next_prio);
	case TRACE_SCHED_WAKEUP:
	case TRACE_SCHED_WAKEUP_NEW:
		return snprintf(buf, size, "comm=%s pid=%d prio=%d target_cpu=%03d", e->wakeup.comm,
				e->wakeup.pid, e->wakeup.prio, e->wakeup.target_cpu);
	case TRACE_TIMER_EXPIRE_ENTRY:
		return snprintf(buf, size, "timer=%p function=%ps now=%lu", P(e->timer.timer),
				P(e->timer.func), (unsigned long)e->timer.now);
	case TRACE_TIMER_EXPIRE_EXIT:
		return snprintf(buf, size, "timer=%p", P(e->timer.timer));
	case TRACE_IPI_SEND_CPU:
		return snprintf(buf, size, "cpu=%u callsite=%pS vector=0x%x", e->ipi.cpu,
				P(e->ipi.callsite), e->ipi.vector);
	case TRACE_IPI_SEND_CPUMASK:
		format_mask(e->ipi.mask, mask, sizeof(mask));
		return snprintf(buf, size, "cpumask=%s callsite=%pS vector=0x%x", mask,
				P(e->ipi.callsite), e->ipi.vector);
	case TRACE_IRQ_VECTOR_ENTRY:
	case TRACE_IRQ_VECTOR_EXIT:
		if (e->vector.irq >= 0)
			return snprintf(buf, size, "vector=%u irq=%d", e->vector.vector, e->vector.irq);
		return snprintf(buf, size, "vector=%u name=%s", e->vector.vector,
				e->vector.name ? (const char *)P(e->vector.name) : "?");
	case TRACE_IRQ_THREAD_WAKE:
		return snprintf(buf, size, "irq=%u name=%s thread_pid=%d", e->irq_thread.irq,
				e->irq_thread.name, e->irq_thread.pid);
	case TRACE_PRINT:
		return snprintf(buf, size, "%ps: %s", P(e->print.ip), e->print.text);
	default:
		return snprintf(buf, size, "id=%u", e->id);
	}
}

int trace_format_entry(const struct trace_entry *e, char *buf, size_t size)
{
	char comm[TASK_COMM_LEN], flags[5];
	u64 ns = trace_entry_ns(e);
	int n;

	trace_format_flags(e, flags);
	n = snprintf(buf, size, "%16s-%-7d [%03u] %s %5lu.%06lu: %s: ",
		     trace_find_comm(e->pid, comm, sizeof(comm)), e->pid, e->cpu, flags,
		     trace_ns_sec(ns), trace_ns_usec(ns), trace_event_name(e->id));
	if ((size_t)n < size)
		n += trace_format_args(e, buf + n, size - (size_t)n);
	return n;
}

static void print_header(int (*print)(const char *fmt, ...), unsigned long held,
			 unsigned long written)
{
	print("# tracer: nop\n#\n");
	print("# entries-in-buffer/entries-written: %lu/%lu   #P:%u\n#\n", held, written,
	      num_online_cpus());
	print("#                              .----- d: irqs off, b: BH off, D: both\n");
	print("#                              |.---- N: need-resched\n");
	print("#                              ||.--- h: hard IRQ, s: softirq, H: both, z/Z: NMI\n");
	print("#                              |||.-- preemption depth\n");
	print("#           TASK-PID     CPU#  ||||   TIMESTAMP  FUNCTION\n");
	print("#              | |         |   ||||      |         |\n");
}

void trace_show(int (*print)(const char *fmt, ...), unsigned long last)
{
	unsigned long held = 0, written = 0, skip = 0;
	struct trace_iter *it;
	struct trace_entry e;
	char *line;
	int cpu;

	line = kmalloc(512, GFP_KERNEL);
	it = line ? trace_iter_open() : NULL;
	if (!it) {
		kfree(line);
		print("trace: out of memory\n");
		return;
	}
	/* counted once recording is paused, so that `last` skips the right number */
	for_each_possible_cpu(cpu) {
		struct trace_cpu_stats st;

		trace_get_stats(cpu, &st);
		held += st.entries;
		written += st.written;
	}
	print_header(print, held, written);
	for_each_possible_cpu(cpu)
		if (trace_iter_lost(it, cpu))
			print("CPU:%d [LOST %lu EVENTS]\n", cpu, trace_iter_lost(it, cpu));
	if (last && held > last)
		skip = held - last;
	while (trace_iter_next(it, &e)) {
		if (skip) {
			skip--;
			continue;
		}
		trace_format_entry(&e, line, 512);
		print("%s\n", line);
	}
	trace_iter_close(it);
	kfree(line);
}
