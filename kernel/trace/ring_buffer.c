/*
 * The tracer's per-CPU rings: reserving and committing a record, and
 * reading the rings back merged by timestamp.
 *
 * A writer runs on its own CPU with interrupts off from reserve to
 * commit, so a record is never interleaved with another on that CPU
 * (an interrupt handler's records come before or after it, whole).
 * A slot's seq word is 0 while it is written and index + 1 once
 * committed: a reader copies the slot between two reads of seq and
 * keeps the copy only if both show the index it expected. The ring
 * overwrites its oldest records when full; the reader counts what it
 * missed as lost, as ftrace's "[LOST n EVENTS]".
 */
#include "internals.h"
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/slab.h>
#include <kernel/vmalloc.h>
#include <kernel/interrupt.h>
#include <kernel/errno.h>
#include <kernel/bug.h>
#include <kernel/string.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/trace_clock.h>

bool trace_enabled;
DEFINE_PER_CPU(struct trace_cpu_buffer, trace_cpu_buffer);
unsigned long trace_nr_entries;
DEFINE_MUTEX(trace_mutex);
static unsigned int trace_nr_cpus;	/* CPUs with a ring (trace_mutex) */

static u8 context_flags(unsigned int pc, bool irqs_off)
{
	u8 f = 0;

	if (irqs_off)
		f |= TRACE_FLAG_IRQS_OFF;
	if (this_cpu_read(cpu_need_resched))
		f |= TRACE_FLAG_NEED_RESCHED;
	if (pc & HARDIRQ_MASK)
		f |= TRACE_FLAG_HARDIRQ;
	if (pc & SOFTIRQ_OFFSET)
		f |= TRACE_FLAG_SOFTIRQ;
	if (pc & (SOFTIRQ_MASK & ~SOFTIRQ_OFFSET))
		f |= TRACE_FLAG_BH_OFF;
	if (current && current == ksoftirqd_task(smp_processor_id()))
		f |= TRACE_FLAG_KSOFTIRQD;
	return f;
}

struct trace_entry *trace_reserve(struct trace_slot *s, unsigned int id)
{
	bool irqs_off = irqs_disabled();
	unsigned int pc = preempt_count();
	struct trace_cpu_buffer *buf;
	struct task_struct *tsk;
	struct trace_entry *e;
	u64 idx;

	local_irq_save(s->irqflags);
	buf = this_cpu_ptr(&trace_cpu_buffer);
	/*
	 * Checked again with interrupts off: trace_stop() and a resize wait
	 * for every CPU to take an IPI, so once they see the flag clear no
	 * writer can still be between here and trace_commit().
	 */
	if (unlikely(!READ_ONCE(trace_enabled) || !buf->ring || (pc & NMI_MASK))) {
		if (READ_ONCE(trace_enabled))
			buf->dropped++;
		local_irq_restore(s->irqflags);
		return NULL;
	}
	idx = buf->head++;
	e = &buf->ring[idx & (trace_nr_entries - 1)];
	WRITE_ONCE(e->seq, 0);
	barrier();
	tsk = current;
	e->tsc = trace_clock_raw();
	e->id = (u16)id;
	e->cpu = (u8)smp_processor_id();
	e->flags = context_flags(pc, irqs_off);
	e->pid = tsk ? tsk->pid : 0;
	e->preempt = (u8)(pc & PREEMPT_MASK);
	e->__pad[0] = e->__pad[1] = e->__pad[2] = 0;
	e->raw[0] = e->raw[1] = e->raw[2] = e->raw[3] = e->raw[4] = 0;
	s->e = e;
	s->seq = (u32)(idx + 1);
	return e;
}

void trace_commit(struct trace_slot *s)
{
	barrier();
	WRITE_ONCE(s->e->seq, s->seq);
	local_irq_restore(s->irqflags);
}

void trace_copy_name(char *dst, size_t size, const char *src)
{
	size_t i = 0;

	if (src)
		for (; i + 1 < size && src[i]; i++)
			dst[i] = src[i];
	dst[i] = '\0';
}

/* ---- control ---- */

static void nothing(void *unused)
{
}

/* An IPI every CPU must take with interrupts on: none can still be inside a record (see trace_reserve). */
void trace_sync_writers(void)
{
	on_each_cpu(nothing, NULL, 1);
}

static void free_rings(void)
{
	for (unsigned int cpu = 0; cpu < trace_nr_cpus; cpu++) {
		struct trace_cpu_buffer *buf = per_cpu_ptr(&trace_cpu_buffer, cpu);

		vfree(buf->ring);
		buf->ring = NULL;
	}
	trace_nr_cpus = 0;
}

int trace_alloc_buffers(unsigned long entries)
{
	struct trace_entry *rings[NR_CPUS] = { NULL };
	unsigned int ncpus = nr_cpu_ids;
	unsigned long n = 16;

	while (n < entries)
		n <<= 1;
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		rings[cpu] = vmalloc(n * sizeof(struct trace_entry));
		if (!rings[cpu]) {
			while (cpu--)
				vfree(rings[cpu]);
			return -ENOMEM;
		}
	}
	trace_sync_writers();
	free_rings();
	trace_nr_entries = n;
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		struct trace_cpu_buffer *buf = per_cpu_ptr(&trace_cpu_buffer, cpu);

		memset(rings[cpu], 0, n * sizeof(struct trace_entry));
		buf->tail = buf->head;
		buf->dropped = 0;
		WRITE_ONCE(buf->ring, rings[cpu]);
	}
	trace_nr_cpus = ncpus;
	return 0;
}

int trace_set_buffer_entries(unsigned long n)
{
	int ret;

	mutex_lock(&trace_mutex);
	ret = READ_ONCE(trace_enabled) ? -EBUSY : trace_alloc_buffers(n);
	mutex_unlock(&trace_mutex);
	return ret;
}

unsigned long trace_buffer_entries(void)
{
	return READ_ONCE(trace_nr_entries);
}

bool trace_pause(void)
{
	bool was_on = READ_ONCE(trace_enabled);

	WRITE_ONCE(trace_enabled, false);
	return was_on;
}

void trace_resume(bool was_on)
{
	if (was_on)
		WRITE_ONCE(trace_enabled, true);
}

void trace_clear(void)
{
	mutex_lock(&trace_mutex);
	for (unsigned int cpu = 0; cpu < trace_nr_cpus; cpu++) {
		struct trace_cpu_buffer *buf = per_cpu_ptr(&trace_cpu_buffer, cpu);

		buf->tail = READ_ONCE(buf->head);
		buf->dropped = 0;
	}
	mutex_unlock(&trace_mutex);
}

void trace_get_stats(int cpu, struct trace_cpu_stats *st)
{
	struct trace_cpu_buffer *buf;
	u64 written;

	memset(st, 0, sizeof(*st));
	if (cpu < 0 || (unsigned int)cpu >= READ_ONCE(trace_nr_cpus))
		return;
	buf = per_cpu_ptr(&trace_cpu_buffer, cpu);
	written = READ_ONCE(buf->head) - READ_ONCE(buf->tail);
	st->written = (unsigned long)written;
	st->entries = (unsigned long)min(written, (u64)trace_nr_entries);
	st->overrun = st->written - st->entries;
	st->dropped = READ_ONCE(buf->dropped);
}

/* ---- reading ---- */

struct trace_iter {
	bool was_on;
	unsigned int nr_cpus;
	struct trace_iter_cpu {
		u64 pos, end;		/* the next index to read, the head when opened */
		unsigned long lost;	/* overwritten before the start, or torn */
		bool have;		/* next holds its next record */
		struct trace_entry next;
	} cpu[NR_CPUS];
};

/* Copy record idx of buf into *out; false if it is not (or no longer) that record. */
static bool read_slot(struct trace_cpu_buffer *buf, u64 idx, struct trace_entry *out)
{
	const struct trace_entry *e = &buf->ring[idx & (trace_nr_entries - 1)];
	u32 want = (u32)(idx + 1), s1;

	/* a writer that reserved it just before the pause finishes within a few instructions */
	for (int spins = 0; (s1 = READ_ONCE(e->seq)) == 0 && spins < 10000; spins++)
		cpu_relax();
	barrier();
	*out = *e;
	barrier();
	return s1 == want && READ_ONCE(e->seq) == want;
}

static void fill(struct trace_iter *it, unsigned int cpu)
{
	struct trace_iter_cpu *c = &it->cpu[cpu];
	struct trace_cpu_buffer *buf = per_cpu_ptr(&trace_cpu_buffer, cpu);

	c->have = false;
	while (c->pos < c->end) {
		if (read_slot(buf, c->pos++, &c->next)) {
			c->have = true;
			return;
		}
		c->lost++;
	}
}

struct trace_iter *trace_iter_open(void)
{
	struct trace_iter *it = kzalloc(sizeof(*it), GFP_KERNEL);

	if (!it)
		return NULL;
	mutex_lock(&trace_mutex);
	it->was_on = trace_pause();
	it->nr_cpus = trace_nr_cpus;
	for (unsigned int cpu = 0; cpu < it->nr_cpus; cpu++) {
		struct trace_cpu_buffer *buf = per_cpu_ptr(&trace_cpu_buffer, cpu);
		struct trace_iter_cpu *c = &it->cpu[cpu];
		u64 head = READ_ONCE(buf->head), start = buf->tail;

		if (head - start > trace_nr_entries)
			start = head - trace_nr_entries;
		c->lost = (unsigned long)(start - buf->tail);
		c->pos = start;
		c->end = head;
		fill(it, cpu);
	}
	return it;
}

bool trace_iter_next(struct trace_iter *it, struct trace_entry *e)
{
	int best = -1;

	for (unsigned int cpu = 0; cpu < it->nr_cpus; cpu++)
		if (it->cpu[cpu].have && (best < 0 || it->cpu[cpu].next.tsc < it->cpu[best].next.tsc))
			best = (int)cpu;
	if (best < 0)
		return false;
	*e = it->cpu[best].next;
	fill(it, (unsigned int)best);
	return true;
}

unsigned long trace_iter_lost(struct trace_iter *it, int cpu)
{
	return cpu >= 0 && (unsigned int)cpu < it->nr_cpus ? it->cpu[cpu].lost : 0;
}

void trace_iter_close(struct trace_iter *it)
{
	if (!it)
		return;
	trace_resume(it->was_on);
	mutex_unlock(&trace_mutex);
	kfree(it);
}

u64 trace_entry_ns(const struct trace_entry *e)
{
	return trace_clock_to_ns(e->tsc);
}
