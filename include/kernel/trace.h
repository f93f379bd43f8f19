/*
 * The event tracer (a small ftrace): per-CPU ring buffers of fixed-size
 * records stamped with the TSC, filled by the tracepoints of
 * <kernel/trace_events.h>, read back as ftrace-like text (trace_show)
 * or as Chrome's Trace Event JSON (trace_dump_json) for Perfetto and
 * chrome://tracing.
 *
 * Recording: a writer takes the next slot of its own CPU's ring with
 * interrupts off (so an interrupt cannot land inside a record), fills it
 * and commits it by writing the slot's sequence word last. A full ring
 * overwrites its oldest record; overwritten records are counted as lost.
 * Nothing is recorded in NMI context.
 *
 * Reading pauses recording (as ftrace's trace file does) and merges the
 * CPUs' rings by timestamp; a record that a late writer was still
 * changing is skipped and counted.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/percpu.h>

/* The events, named as Linux's tracepoints (events/irq, sched, workqueue, timer, ipi). */
enum trace_event_id {
	TRACE_NONE,
	TRACE_IRQ_HANDLER_ENTRY,	/* irq, action, its name */
	TRACE_IRQ_HANDLER_EXIT,		/* irq, action, the irqreturn_t */
	TRACE_SOFTIRQ_RAISE,		/* vec */
	TRACE_SOFTIRQ_ENTRY,
	TRACE_SOFTIRQ_EXIT,
	TRACE_TASKLET_ENTRY,		/* tasklet, function */
	TRACE_TASKLET_EXIT,
	TRACE_WORKQUEUE_QUEUE_WORK,	/* work, function, workqueue, requested and chosen CPU */
	TRACE_WORKQUEUE_ACTIVATE_WORK,	/* work: on a pool's worklist, ready to run */
	TRACE_WORKQUEUE_EXECUTE_START,	/* work, function */
	TRACE_WORKQUEUE_EXECUTE_END,
	TRACE_SCHED_SWITCH,		/* prev (the record's task), its state, next */
	TRACE_SCHED_WAKEUP,		/* the woken task, its target CPU */
	TRACE_SCHED_WAKEUP_NEW,		/* a new task's first wake-up */
	TRACE_TIMER_EXPIRE_ENTRY,	/* timer, function, jiffies */
	TRACE_TIMER_EXPIRE_EXIT,
	TRACE_IPI_SEND_CPU,		/* target CPU, vector, call site */
	TRACE_IPI_SEND_CPUMASK,		/* target CPUs (the first 64), vector, call site */
	TRACE_IRQ_VECTOR_ENTRY,		/* vector, its IRQ or system-vector name */
	TRACE_IRQ_VECTOR_EXIT,
	TRACE_IRQ_THREAD_WAKE,		/* irq, the thread's pid, the action's name */
	TRACE_PRINT,			/* trace_printk() text */
	NR_TRACE_EVENTS
};

/* Context flags of a record, taken from preempt_count and the interrupt flag. */
#define TRACE_FLAG_IRQS_OFF	0x01	/* interrupts were off */
#define TRACE_FLAG_NEED_RESCHED	0x02
#define TRACE_FLAG_HARDIRQ	0x04	/* in a hard IRQ */
#define TRACE_FLAG_SOFTIRQ	0x08	/* serving a softirq */
#define TRACE_FLAG_NMI		0x10
#define TRACE_FLAG_BH_OFF	0x20	/* bottom halves disabled (local_bh_disable) */
#define TRACE_FLAG_KSOFTIRQD	0x40	/* the task is this CPU's ksoftirqd */

/* Bit 31 of sched_switch's prev_state: the task was preempted (Linux prints "R+"). */
#define TRACE_PREV_PREEMPTED	0x80000000u

/*
 * One record: 64 bytes, a 24-byte header and the event's arguments.
 * Pointers are kept as numbers (printed, never followed); names are
 * copied, truncated to fit, since their owners may be gone by the time
 * the buffer is read.
 */
struct trace_entry {
	u64 tsc;			/* the trace clock (TSC) when recorded */
	u32 seq;			/* the slot's index + 1 (low 32 bits) once committed, 0 while written */
	u16 id;				/* enum trace_event_id */
	u8 cpu;
	u8 flags;			/* TRACE_FLAG_* */
	s32 pid;			/* the current task (0: a CPU's idle task) */
	u8 preempt;			/* preemption depth (preempt_count bits 0-7) */
	u8 __pad[3];
	union {
		struct { u64 action; u32 irq; char name[28]; } irq_entry;
		struct { u64 action; u32 irq; u32 ret; } irq_exit;
		struct { u32 vec; } softirq;
		struct { u64 tasklet, func; } tasklet;
		struct { u64 work, func; s16 req_cpu; u16 cpu; char wq[20]; } queue_work;
		struct { u64 work, func; } work;
		struct {
			s32 prev_pid, prev_prio;
			u32 prev_state;		/* TASK_* | TRACE_PREV_PREEMPTED */
			s32 next_pid, next_prio;
			char next_comm[20];
		} sched_switch;
		struct { s32 pid, prio, target_cpu; char comm[28]; } wakeup;
		struct { u64 timer, func, now; } timer;
		struct { u64 callsite, mask; u32 cpu, vector; } ipi;
		struct { u64 name; u32 vector; s32 irq; } vector;	/* name: a static string or 0 */
		struct { u32 irq; s32 pid; char name[32]; } irq_thread;
		struct { u64 ip; char text[32]; } print;
		u64 raw[5];
	};
};
_Static_assert(sizeof(struct trace_entry) == 64, "trace records are 64 bytes");

/* Default ring size per CPU (trace_buf_size=BYTES on the command line, as Linux). */
#define TRACE_BUF_SIZE_DEFAULT	(512 * 1024)

/**
 * trace_start() - record events from now on.
 *
 * Allocates the per-CPU rings on first use. Returns 0 or -ENOMEM.
 * Task context.
 */
int trace_start(void);
/** trace_stop() - stop recording; the rings keep what they hold. */
void trace_stop(void);
/** trace_is_on() - whether events are being recorded. */
bool trace_is_on(void);
/** trace_clear() - forget every record and the lost counts. */
void trace_clear(void);
/**
 * trace_set_buffer_entries() - resize the rings to n records per CPU
 * (rounded up to a power of two, at least 16). Clears them. Only while
 * stopped: -EBUSY otherwise, -ENOMEM if the memory is not there (the
 * old rings are then kept).
 */
int trace_set_buffer_entries(unsigned long n);
/** trace_buffer_entries() - records each CPU's ring holds. */
unsigned long trace_buffer_entries(void);

struct trace_cpu_stats {
	unsigned long entries;		/* records held now */
	unsigned long written;		/* records written since the last clear */
	unsigned long overrun;		/* of those, overwritten before being read (lost) */
	unsigned long dropped;		/* events not recorded at all (no ring, NMI) */
};
void trace_get_stats(int cpu, struct trace_cpu_stats *st);

/*
 * Reading: the records of every CPU, oldest first, merged by timestamp.
 * trace_iter_open() pauses recording until trace_iter_close().
 */
struct trace_iter;
struct trace_iter *trace_iter_open(void);
/* The next record into *e; false at the end. */
bool trace_iter_next(struct trace_iter *it, struct trace_entry *e);
/* Records of cpu lost before the first one the iterator gives (overwritten, or torn while read). */
unsigned long trace_iter_lost(struct trace_iter *it, int cpu);
void trace_iter_close(struct trace_iter *it);

/* Nanoseconds since boot on the printk clock, for a record's TSC. */
u64 trace_entry_ns(const struct trace_entry *e);
/* "irq_handler_entry", ...; "?" for an unknown id. */
const char *trace_event_name(unsigned int id);
/* sched_switch's prev_state as Linux prints it: "R", "S", "D", ..., "R+" when preempted. */
const char *trace_task_state_str(u32 state);
/* The comm of pid as last seen by the tracer (or of the live task); "<idle>" for 0, "<...>" if unknown. */
const char *trace_find_comm(int pid, char *buf, size_t size);

/**
 * trace_format_entry() - one record as an ftrace text line (no newline):
 *   "            init-1       [000] d.h.    12.345678: irq_handler_entry: irq=11 name=edu0"
 * Returns the length (snprintf's).
 */
int trace_format_entry(const struct trace_entry *e, char *buf, size_t size);
/* The text view: a header, then the last `last` records (0: all), with lost-event notes. */
void trace_show(int (*print)(const char *fmt, ...), unsigned long last);
/*
 * The Chrome Trace Event JSON view: one object per line, between
 * "TRACEJSON BEGIN" and "TRACEJSON END" lines (tools/trace_extract.py
 * takes it out of a console log). One process per CPU ("CPU n") with an
 * interrupt-context track and a track per thread; durations as complete
 * ("X") events, raises, queueing and wake-ups as instants, and flow
 * arrows raise -> softirq, queue_work -> execution, IRQ-thread wake ->
 * thread run, IPI -> its vector.
 */
void trace_dump_json(int (*print)(const char *fmt, ...));

/* A TRACE_PRINT record with the formatted text (truncated to 31 characters). */
void __trace_printk(unsigned long ip, const char *fmt, ...) __printf(2, 3);
#define trace_printk(fmt, ...) __trace_printk((unsigned long)__builtin_return_address(0), fmt, ##__VA_ARGS__)

/**
 * trace_cmd() - the shell's `trace` command:
 *   trace start | stop | clear | status | show [N] | dump
 * Returns 0, or -EINVAL for bad arguments (after printing the usage).
 */
int trace_cmd(int argc, char **argv);

/* At boot (start_kernel): trace=1 starts recording. */
void trace_init(void);
/*
 * At the end of boot (init): with trace.scenario=NAME, run that scenario
 * with tracing on, print the text view and the JSON, and end QEMU with
 * the pass code (or the failure code if the scenario failed).
 */
void trace_boot(void);

/* Scenarios (kernel/trace/scenarios.c): the names, NULL-terminated; the first is the default. */
extern const char *const trace_scenario_names[];
/* Run one with tracing on (cleared first); 0, -ENOENT (no such scenario), -ENODEV, -ETIMEDOUT... */
int trace_run_scenario(const char *name);

/*
 * For recorders outside kernel/trace (the architecture's vector events):
 * reserve this CPU's next record with interrupts off, fill the payload,
 * commit. trace_reserve() returns NULL when nothing may be recorded.
 */
struct trace_slot {
	struct trace_entry *e;
	u32 seq;
	unsigned long irqflags;
};
struct trace_entry *trace_reserve(struct trace_slot *s, unsigned int id);
void trace_commit(struct trace_slot *s);
/* Copy a string into a record field, truncated and NUL-terminated. */
void trace_copy_name(char *dst, size_t size, const char *src);

#endif
