/*
 * struct irq_desc: the core's record of one interrupt line (Linux's
 * include/linux/irqdesc.h). Fields are protected by desc->lock unless
 * marked otherwise; the lock is taken with interrupts off.
 */
#ifndef KERNEL_IRQDESC_H
#define KERNEL_IRQDESC_H

#include <kernel/irq.h>
#include <kernel/spinlock.h>
#include <kernel/wait.h>
#include <kernel/atomic.h>
#include <asm/percpu.h>

/* desc->istate: the core's state of a line (IRQS_*, Linux's names). */
#define IRQS_PENDING		(1u << 0)	/* came while disabled or in progress: replay */
#define IRQS_REPLAY		(1u << 1)	/* a resend is on its way */
#define IRQS_SPURIOUS_DISABLED	(1u << 2)	/* disabled by note_interrupt(): nobody cared */
#define IRQS_POLL_INPROGRESS	(1u << 3)	/* the spurious poller runs the handlers */
#define IRQS_ONESHOT		(1u << 4)	/* keep masked until the threaded handler ran */

struct irq_desc {
	struct irq_data irq_data;
	irq_flow_handler_t handle_irq;	/* the flow handler */
	struct irqaction *action;	/* the handlers, in request order */
	unsigned int istate;		/* IRQS_* */
	unsigned int depth;		/* disable_irq nesting; 1 while not requested */
	unsigned long threads_oneshot;	/* ONESHOT threads still to run: keep masked */
	atomic_t threads_active;	/* threaded handlers woken and not yet done (atomic) */
	wait_queue_head_t wait_for_threads;	/* synchronize_irq() waits here for threads_active 0 */
	atomic_t threads_handled;	/* thread_fn calls that returned IRQ_HANDLED (atomic) */
	unsigned int threads_handled_last;	/* note_interrupt(): threads_handled when last looked at */
	const char *name;		/* the flow's name ("edge", "fasteoi", ...) */
	spinlock_t lock;
	struct cpumask pending_mask;	/* where a deferred move goes (IRQD_SETAFFINITY_PENDING) */
	int inprogress_cpu;		/* the CPU running the handlers while IRQD_IRQ_INPROGRESS */
	unsigned int kstat_irqs[NR_CPUS];	/* interrupts per CPU (written by that CPU) */
	/* note_interrupt() bookkeeping */
	unsigned int irq_count;		/* interrupts in this window of 100000 */
	unsigned int irqs_unhandled;	/* of which nobody handled (streak, see spurious.c) */
	unsigned long last_unhandled;	/* jiffies of the last unhandled one */
	unsigned int spurious_trips;	/* times the line was disabled as spurious */
	unsigned long spurious_reenable_at;	/* jiffies when it will be tried again */
	unsigned long unhandled_total;	/* since boot, for the interrupt table */
};

struct irq_desc *irq_to_desc(unsigned int irq);

/* Run desc's flow handler (from the architecture's interrupt entry); inline, as in Linux: it is on every interrupt's path. */
static inline void generic_handle_irq_desc(struct irq_desc *desc)
{
	desc->handle_irq(desc);
}

static inline struct irq_data *irq_desc_get_irq_data(struct irq_desc *desc) { return &desc->irq_data; }
static inline struct irq_chip *irq_desc_get_chip(struct irq_desc *desc) { return desc->irq_data.chip; }
static inline unsigned int irq_desc_get_irq(struct irq_desc *desc) { return desc->irq_data.irq; }
static inline bool irqd_is_level_type(const struct irq_data *d) { return d->state & IRQD_LEVEL; }
static inline bool irqd_irq_disabled(const struct irq_data *d) { return d->state & IRQD_IRQ_DISABLED; }
static inline bool irqd_irq_masked(const struct irq_data *d) { return d->state & IRQD_IRQ_MASKED; }
static inline bool irqd_irq_inprogress(const struct irq_data *d) { return d->state & IRQD_IRQ_INPROGRESS; }
static inline unsigned int irqd_get_trigger_type(const struct irq_data *d) { return d->state & IRQD_TRIGGER_MASK; }

/* Interrupts of desc on all CPUs. */
unsigned long kstat_irqs(struct irq_desc *desc);
/* Interrupts of irq on all CPUs (0 for a bad irq). */
static inline unsigned long kstat_irqs_total(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc ? kstat_irqs(desc) : 0;
}
/* Interrupts of irq on cpu. */
unsigned int kstat_irqs_cpu(unsigned int irq, int cpu);

#endif
