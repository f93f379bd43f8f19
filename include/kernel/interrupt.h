/*
 * The driver's view of interrupts, with Linux's names and semantics:
 * request_irq() and friends, the IRQF_* flags, irqreturn_t, and the
 * interrupt-context predicates.
 */
#ifndef KERNEL_INTERRUPT_H
#define KERNEL_INTERRUPT_H

#include <kernel/types.h>
#include <kernel/preempt.h>
#include <kernel/cpumask.h>
#include <asm/irqflags.h>

typedef enum irqreturn {
	IRQ_NONE = 0,			/* not from this device */
	IRQ_HANDLED = 1,		/* handled */
	IRQ_WAKE_THREAD = 2,		/* handled; wake the threaded handler */
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

/* Trigger types (the same values as IRQ_TYPE_* in kernel/irq.h). */
#define IRQF_TRIGGER_NONE	0x00000000
#define IRQF_TRIGGER_RISING	0x00000001
#define IRQF_TRIGGER_FALLING	0x00000002
#define IRQF_TRIGGER_HIGH	0x00000004
#define IRQF_TRIGGER_LOW	0x00000008
#define IRQF_TRIGGER_MASK	(IRQF_TRIGGER_HIGH | IRQF_TRIGGER_LOW | \
				 IRQF_TRIGGER_RISING | IRQF_TRIGGER_FALLING)

#define IRQF_SHARED		0x00000080	/* the line may be shared */
#define IRQF_PROBE_SHARED	0x00000100	/* sharing may fail: do not warn */
#define IRQF_PERCPU		0x00000400	/* a per-CPU interrupt */
#define IRQF_NOBALANCING	0x00000800
#define IRQF_IRQPOLL		0x00001000
#define IRQF_ONESHOT		0x00002000	/* keep the line masked until the thread ran */
#define IRQF_NO_SUSPEND		0x00004000
#define IRQF_NO_THREAD		0x00010000	/* never thread this handler */
#define IRQF_NO_AUTOEN		0x00080000	/* do not enable at request time: enable_irq() does */

struct irqaction {
	irq_handler_t handler;		/* the hard-IRQ handler */
	void *dev_id;			/* cookie: identifies the action on a shared line */
	struct irqaction *next;		/* next action on a shared line */
	irq_handler_t thread_fn;	/* the threaded handler */
	unsigned int irq;
	unsigned int flags;		/* IRQF_* */
	const char *name;		/* shown in the interrupt table */
};

/*
 * Install handler for irq. Returns 0, -EINVAL (bad irq, no handler and no
 * thread function, IRQF_SHARED without dev_id, bad flag combination),
 * -EBUSY (the line is taken and sharing is refused: flags or trigger
 * types differ), -ENOSYS (the line has no interrupt chip), -ENOMEM.
 */
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev_id);

static inline int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			      const char *name, void *dev_id)
{
	return request_threaded_irq(irq, handler, NULL, flags, name, dev_id);
}

/*
 * Remove the action dev_id installed on irq, waiting until no handler of
 * the line runs anywhere. Returns the name the action was requested
 * with (as Linux), or NULL if there was no such action (with a WARN).
 */
const void *free_irq(unsigned int irq, void *dev_id);

/* Nested disable: depth counts; the line is disabled while depth > 0. */
void disable_irq_nosync(unsigned int irq);
/* As disable_irq_nosync(), then wait until no handler of irq runs. May not be called from its own handler. */
void disable_irq(unsigned int irq);
/* Undo one disable; at depth 0 the line is enabled and a pending edge IRQ is resent. WARNs when unbalanced. */
void enable_irq(unsigned int irq);
/* Wait until no hard-IRQ handler of irq runs on any CPU. */
void synchronize_irq(unsigned int irq);

/* Set the trigger type (IRQ_TYPE_*) of a line. */
int irq_set_irq_type(unsigned int irq, unsigned int type);
/* Send irq to the CPUs in mask (the controller may pick one of them). */
int irq_set_affinity(unsigned int irq, const struct cpumask *mask);

/* Hard-IRQ context bookkeeping, called by the architecture around a handler. */
void irq_enter(void);
void irq_exit(void);

/* The older name for in_hardirq(). */
#define in_irq()		in_hardirq()

#endif
