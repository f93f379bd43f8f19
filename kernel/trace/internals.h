/*
 * Private to kernel/trace/: the per-CPU rings, the control lock, the
 * comm cache and the helpers the two views share.
 */
#ifndef KERNEL_TRACE_INTERNALS_H
#define KERNEL_TRACE_INTERNALS_H

#include <kernel/trace.h>
#include <kernel/trace_events.h>
#include <kernel/mutex.h>

struct task_struct;

/*
 * One CPU's ring. Only that CPU writes head (with interrupts off); a
 * reader takes the records between max(tail, head - nr_entries) and head.
 */
struct trace_cpu_buffer {
	struct trace_entry *ring;	/* trace_nr_entries slots, or NULL */
	u64 head;			/* records reserved since boot: the next slot is head % n */
	u64 tail;			/* the first record not cleared */
	unsigned long dropped;		/* events not recorded (no ring, NMI) */
};

DECLARE_PER_CPU(struct trace_cpu_buffer, trace_cpu_buffer);
/* Records per ring, a power of two (I: changed only while stopped, under trace_mutex). */
extern unsigned long trace_nr_entries;
/* Serializes start, stop, clear, resize and readers. */
extern struct mutex trace_mutex;

/* ring_buffer.c */
int trace_alloc_buffers(unsigned long entries);
/* Wait until no CPU is between trace_reserve() and trace_commit() (after clearing the flag). */
void trace_sync_writers(void);
/* Pause and resume recording around a read (trace_mutex held). */
bool trace_pause(void);
void trace_resume(bool was_on);

/* cmdline.c: pid -> comm, as Linux's saved_cmdlines */
void trace_save_comm(const struct task_struct *p);
void trace_save_all_comms(void);

/* output.c */
const char *trace_softirq_name(unsigned int vec);
/* The event's arguments as ftrace prints them, after "name: ". */
int trace_format_args(const struct trace_entry *e, char *buf, size_t size);
/* The four context columns: irqs-off/BH-off, need-resched, hard/soft IRQ, preempt depth. */
void trace_format_flags(const struct trace_entry *e, char out[5]);

/* Split nanoseconds for "%lu.%06lu"-style printing. */
static inline unsigned long trace_ns_sec(u64 ns) { return (unsigned long)(ns / 1000000000u); }
static inline unsigned long trace_ns_usec(u64 ns) { return (unsigned long)(ns % 1000000000u / 1000u); }

#endif
