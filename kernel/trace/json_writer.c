/*
 * The JSON view's writer: each event object built into one line and
 * printed, strings escaped, timestamps in microseconds to the
 * nanosecond; the tracks' metadata (a process per CPU, a thread per
 * track, named on first use); complete events for slices and the flow
 * events that join them.
 */
#include "json.h"
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <stdarg.h>

void json_put(struct json_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	st->len += vscnprintf(st->line + st->len, LINE_SIZE - st->len, fmt, ap);
	va_end(ap);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
void json_put_str(struct json_state *st, const char *s)
{
	json_put(st, "\"");
	for (; s && *s && st->len + 8 < LINE_SIZE; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			json_put(st, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			json_put(st, "\\u%04x", c);
		else
			st->line[st->len++] = (char)c;
	}
	st->line[st->len] = '\0';
	json_put(st, "\"");
}

void json_put_ts(struct json_state *st, const char *key, u64 ns)
{
	json_put(st, ",\"%s\":%lu.%03lu", key, (unsigned long)(ns / 1000), (unsigned long)(ns % 1000));
}

/* Start an event object: the comma between events is written before all but the first. */
void json_begin(struct json_state *st, const char *ph, const char *name, const char *cat,
		unsigned int cpu, long tid)
{
	st->len = 0;
	st->line[0] = '\0';
	json_put(st, "%s{\"ph\":\"%s\",\"name\":", st->first ? "" : ",", ph);
	json_put_str(st, name);
	if (cat)
		json_put(st, ",\"cat\":\"%s\"", cat);
	json_put(st, ",\"pid\":%u,\"tid\":%ld", CPU_PID + cpu, tid);
	st->first = false;
}

void json_end(struct json_state *st)
{
	json_put(st, "}");
	st->print("%s\n", st->line);
	st->events++;
}

/* ---- tracks and their names ---- */

long json_irq_tid(unsigned int cpu) { return CPU_PID + cpu; }

struct json_task *json_find_task(struct json_state *st, int pid)
{
	unsigned int h = (unsigned int)pid * 2654435761u;

	for (unsigned int i = 0; i < MAX_TASKS; i++) {
		struct json_task *t = &st->tasks[(h + i) & (MAX_TASKS - 1)];

		if (t->pid == pid)
			return t;
		if (!t->pid) {
			t->pid = pid;
			t->cpu = -1;
			return t;
		}
	}
	return NULL;			/* more tasks than the table: their spans are left out */
}

static void name_thread(struct json_state *st, unsigned int cpu, long tid, const char *name,
			long sort)
{
	json_begin(st, "M", "thread_name", NULL, cpu, tid);
	json_put(st, ",\"args\":{\"name\":");
	json_put_str(st, name);
	json_put(st, "}");
	json_end(st);
	json_begin(st, "M", "thread_sort_index", NULL, cpu, tid);
	json_put(st, ",\"args\":{\"sort_index\":%ld}", sort);
	json_end(st);
}

void json_name_cpu(struct json_state *st, unsigned int cpu)
{
	char name[24];

	snprintf(name, sizeof(name), "CPU %u", cpu);
	json_begin(st, "M", "process_name", NULL, cpu, json_irq_tid(cpu));
	json_put(st, ",\"args\":{\"name\":\"%s\"}", name);
	json_end(st);
	json_begin(st, "M", "process_sort_index", NULL, cpu, json_irq_tid(cpu));
	json_put(st, ",\"args\":{\"sort_index\":%u}", cpu);
	json_end(st);
	snprintf(name, sizeof(name), "CPU %u irq/softirq", cpu);
	name_thread(st, cpu, json_irq_tid(cpu), name, -1);
	st->cpus[cpu].irq_named = true;
}

/* The track of pid on cpu, named on first use. */
long json_task_tid(struct json_state *st, unsigned int cpu, int pid)
{
	char comm[TASK_COMM_LEN + 8];
	struct json_task *t;

	if (!pid) {
		if (!st->cpus[cpu].idle_named) {
			snprintf(comm, sizeof(comm), "swapper/%u", cpu);
			name_thread(st, cpu, IDLE_TID + cpu, comm, 0);
			st->cpus[cpu].idle_named = true;
		}
		return IDLE_TID + cpu;
	}
	t = json_find_task(st, pid);
	if (t && cpu < 64 && !(t->named >> cpu & 1)) {
		trace_find_comm(pid, comm, sizeof(comm));
		name_thread(st, cpu, pid, comm, pid);
		t->named |= 1ull << cpu;
	}
	return pid;
}

/* Interrupt context goes on the CPU's interrupt track, except ksoftirqd's softirqs, which are its own. */
bool json_irq_context(const struct trace_entry *e)
{
	return (e->flags & (TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ | TRACE_FLAG_NMI)) &&
	       !(e->flags & TRACE_FLAG_KSOFTIRQD);
}

long json_track_of(struct json_state *st, const struct trace_entry *e)
{
	return json_irq_context(e) ? json_irq_tid(e->cpu) : json_task_tid(st, e->cpu, e->pid);
}

/* ---- slices ---- */

static void slice_name(const struct trace_entry *e, char *buf, size_t size)
{
	switch (e->id) {
	case TRACE_IRQ_VECTOR_ENTRY:
		if (e->vector.irq >= 0)
			snprintf(buf, size, "vector 0x%02x (irq %d)", e->vector.vector, e->vector.irq);
		else
			snprintf(buf, size, "vector 0x%02x (%s)", e->vector.vector,
				 e->vector.name ? (const char *)(unsigned long)e->vector.name : "?");
		break;
	case TRACE_IRQ_HANDLER_ENTRY:
		snprintf(buf, size, "irq %u: %s", e->irq_entry.irq, e->irq_entry.name);
		break;
	case TRACE_SOFTIRQ_ENTRY:
		snprintf(buf, size, "softirq %s", trace_softirq_name(e->softirq.vec));
		break;
	case TRACE_TASKLET_ENTRY:
		snprintf(buf, size, "tasklet %ps", (void *)(unsigned long)e->tasklet.func);
		break;
	case TRACE_TIMER_EXPIRE_ENTRY:
		snprintf(buf, size, "timer %ps", (void *)(unsigned long)e->timer.func);
		break;
	case TRACE_WORKQUEUE_EXECUTE_START:
		snprintf(buf, size, "work %ps", (void *)(unsigned long)e->work.func);
		break;
	default:
		snprintf(buf, size, "%s", trace_event_name(e->id));
	}
}

static const char *slice_cat(unsigned int id)
{
	switch (id) {
	case TRACE_IRQ_VECTOR_ENTRY:		return "vector";
	case TRACE_IRQ_HANDLER_ENTRY:		return "irq";
	case TRACE_SOFTIRQ_ENTRY:		return "softirq";
	case TRACE_TASKLET_ENTRY:		return "tasklet";
	case TRACE_TIMER_EXPIRE_ENTRY:		return "timer";
	case TRACE_WORKQUEUE_EXECUTE_START:	return "workqueue";
	default:				return "trace";
	}
}

/* The event's ftrace arguments, for the viewer's details pane. */
void json_put_args(struct json_state *st, const struct trace_entry *e, const char *extra)
{
	char args[200];

	trace_format_args(e, args, sizeof(args));
	json_put(st, ",\"args\":{\"event\":\"%s\",\"args\":", trace_event_name(e->id));
	json_put_str(st, args);
	json_put(st, "%s}", extra ? extra : "");
}

void json_emit_slice(struct json_state *st, unsigned int cpu, long tid, const struct slice *s,
		     u64 end_ns, const char *extra)
{
	char name[96];

	slice_name(&s->e, name, sizeof(name));
	json_begin(st, "X", name, slice_cat(s->e.id), cpu, tid);
	json_put_ts(st, "ts", s->ns);
	json_put_ts(st, "dur", end_ns > s->ns ? end_ns - s->ns : 0);
	json_put_args(st, &s->e, extra);
	json_end(st);
}

/* ---- flows ---- */

void json_flow(struct json_state *st, bool start, unsigned int id, unsigned int cpu, long tid,
	       u64 ns, const char *name)
{
	json_begin(st, start ? "s" : "f", name, "flow", cpu, tid);
	json_put(st, ",\"id\":%u", id);
	/* an end binds to the slice enclosing it: 1 ns into the slice that just began */
	json_put_ts(st, "ts", start ? ns : ns + 1);
	if (!start)
		json_put(st, ",\"bp\":\"e\"");
	json_end(st);
}

unsigned int json_flow_begin(struct json_state *st, unsigned int cpu, long tid, u64 ns,
			     const char *name)
{
	unsigned int id = ++st->next_flow;

	json_flow(st, true, id, cpu, tid, ns, name);
	return id;
}
