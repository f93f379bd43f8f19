/*
 * Private to the JSON view (json.c, json_writer.c): the dump's state and
 * the writer's helpers. See json.c for the tracks and what goes on them.
 */
#ifndef KERNEL_TRACE_JSON_H
#define KERNEL_TRACE_JSON_H

#include "internals.h"
#include <kernel/interrupt.h>

#define CPU_PID		1000000	/* JSON pid of CPU n: CPU_PID + n (clear of any task pid) */
#define IDLE_TID	2000000	/* JSON tid of CPU n's idle task */
#define MAX_DEPTH	16	/* open slices per track: vector, handler, softirq, tasklet... nested */
#define MAX_TASKS	1024	/* tasks the dump follows (a power of two: open addressing) */
#define MAX_PENDING	64	/* queued work items / IPIs waiting for their flow's end */
#define LINE_SIZE	640

struct slice {
	u64 key;			/* what the exit names: vector, action, vec, tasklet, timer */
	u64 ns;				/* start */
	struct trace_entry e;		/* the entry record */
};

struct stack {
	int depth;
	struct slice s[MAX_DEPTH];
};

struct json_cpu {
	bool seen;			/* has records: gets its process metadata */
	bool irq_named, idle_named;	/* thread_name metadata written */
	int cur;			/* pid running here, -1 unknown */
	struct stack irq;		/* the interrupt track */
	struct stack task;		/* task-context slices of the running task (ksoftirqd's softirqs) */
	unsigned int softirq_flow[NR_SOFTIRQS];	/* raise -> entry flow waiting, 0 none */
};

struct json_task {
	int pid;			/* 0: free slot */
	int cpu;			/* where it runs, -1 not running */
	u64 run_ns;			/* its running span began */
	u64 named;			/* CPUs whose track of it has its thread_name */
	bool work_open;			/* inside a work item */
	u64 piece_ns;			/* the work item's current piece began (0: none, switched out) */
	struct trace_entry work;	/* the execute_start record */
	unsigned int wake_flow;		/* irq-thread wake -> run flow waiting, 0 none */
};

struct pending {
	u64 key;			/* work address, or (cpu << 8 | vector) for IPIs */
	unsigned int id;
};

struct json_state {
	int (*print)(const char *fmt, ...);
	bool first;			/* no event written yet (no comma) */
	unsigned int ncpus;
	unsigned int next_flow;
	u64 last_ns;
	unsigned long events;
	struct json_cpu *cpus;
	struct json_task *tasks;
	struct pending work_flows[MAX_PENDING];
	struct pending ipi_flows[MAX_PENDING];
	char line[LINE_SIZE];
	size_t len;
};

/* json_writer.c: one event per line */

void json_put(struct json_state *st, const char *fmt, ...) __printf(2, 3);
/* A JSON string: quotes, backslashes and control characters escaped. */
void json_put_str(struct json_state *st, const char *s);
/* ,"key":microseconds with three decimals (nanosecond resolution). */
void json_put_ts(struct json_state *st, const char *key, u64 ns);
/* Start an event object on track (CPU_PID + cpu, tid); json_end() prints it. */
void json_begin(struct json_state *st, const char *ph, const char *name, const char *cat,
		unsigned int cpu, long tid);
void json_end(struct json_state *st);
/* ,"args":{...} with the event's ftrace arguments, then extra (",\"key\":value" text). */
void json_put_args(struct json_state *st, const struct trace_entry *e, const char *extra);

/* Tracks: the CPU's interrupt track, a task's track on a CPU (named on first use), a record's. */
long json_irq_tid(unsigned int cpu);
long json_task_tid(struct json_state *st, unsigned int cpu, int pid);
long json_track_of(struct json_state *st, const struct trace_entry *e);
/* Interrupt context, except ksoftirqd's softirqs (they go on its own track). */
bool json_irq_context(const struct trace_entry *e);
/* process_name and sort index for CPU cpu, and its interrupt track's name. */
void json_name_cpu(struct json_state *st, unsigned int cpu);
/* pid's state, added on first use; NULL when the table is full. */
struct json_task *json_find_task(struct json_state *st, int pid);

/* A complete ("X") event for slice s, ending at end_ns. */
void json_emit_slice(struct json_state *st, unsigned int cpu, long tid, const struct slice *s,
		     u64 end_ns, const char *extra);
/* A flow event: start ("s", bound to the enclosing slice) or end ("f", 1 ns into its slice). */
void json_flow(struct json_state *st, bool start, unsigned int id, unsigned int cpu, long tid,
	       u64 ns, const char *name);
/* Start a new flow; returns its id. */
unsigned int json_flow_begin(struct json_state *st, unsigned int cpu, long tid, u64 ns,
			     const char *name);

#endif
