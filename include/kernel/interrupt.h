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
#include <kernel/compiler.h>
#include <kernel/bottom_half.h>
#include <kernel/atomic.h>
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

struct task_struct;

/* action->thread_flags bits (atomic bit operations). */
enum {
	IRQTF_RUNTHREAD,		/* the primary handler asked the thread to run */
};

struct irqaction {
	irq_handler_t handler;		/* the hard-IRQ handler (the default one if NULL was requested) */
	void *dev_id;			/* cookie: identifies the action on a shared line */
	struct irqaction *next;		/* next action on a shared line */
	irq_handler_t thread_fn;	/* the threaded handler, run by thread */
	struct task_struct *thread;	/* "irq/N-name", SCHED_FIFO 50; NULL without thread_fn */
	unsigned long thread_flags;	/* IRQTF_* */
	unsigned long thread_mask;	/* ONESHOT: this action's bit in desc->threads_oneshot */
	unsigned int irq;
	unsigned int flags;		/* IRQF_* */
	const char *name;		/* shown in the interrupt table */
};

/*
 * Install handler for irq. Returns 0, -EINVAL (bad irq, no handler and no
 * thread function, IRQF_SHARED without dev_id, bad flag combination),
 * -EBUSY (the line is taken and sharing is refused: flags or trigger
 * types differ), -ENOSYS (the line has no interrupt chip), -ENOMEM.
 *
 * With thread_fn, a kernel thread "irq/N-name" (SCHED_FIFO 50) is made
 * for the action: when handler returns IRQ_WAKE_THREAD, the thread runs
 * thread_fn(irq, dev_id) in task context, where it may sleep. A NULL
 * handler means one that only wakes the thread; it needs IRQF_ONESHOT
 * (unless the chip is ONESHOT-safe), so that a level line stays masked
 * until thread_fn has quietened the device. With IRQF_ONESHOT the line
 * is unmasked when the threads of all actions that were woken returned.
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

/* Nested disable: depth counts; the line is disabled while depth > 0. Does not wait. */
void disable_irq_nosync(unsigned int irq);
/*
 * As disable_irq_nosync(), then synchronize_irq(). May sleep (for the
 * threaded handlers); not from the line's own handlers.
 */
void disable_irq(unsigned int irq);
/* Undo one disable; at depth 0 the line is enabled and a pending edge IRQ is resent. WARNs when unbalanced. */
void enable_irq(unsigned int irq);
/*
 * Wait until no hard-IRQ handler of irq runs on any CPU, then until no
 * threaded handler of irq is woken or running. Sleeps while a threaded
 * handler is active, so task context only then.
 */
void synchronize_irq(unsigned int irq);
/* Wait for the hard-IRQ handlers only (never sleeps); returns false if a threaded handler is still active. */
bool synchronize_hardirq(unsigned int irq);
/* Wake the threaded handler of the action dev_id on irq, as if its primary handler asked for it. */
void irq_wake_thread(unsigned int irq, void *dev_id);

/* Set the trigger type (IRQ_TYPE_*) of a line. */
int irq_set_irq_type(unsigned int irq, unsigned int type);
/* Send irq to the CPUs in mask (the controller may pick one of them). */
int irq_set_affinity(unsigned int irq, const struct cpumask *mask);

/* Hard-IRQ context bookkeeping, called by the architecture around a handler. */
static inline void irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
}
void irq_exit(void);

/* The older name for in_hardirq(). */
#define in_irq()		in_hardirq()

/* ---- softirqs (kernel/softirq.c) ---- */

/* Linux's ten softirqs, in the order they run (lowest number first). */
enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

extern const char *const softirq_to_name[NR_SOFTIRQS];

struct softirq_action {
	void (*action)(struct softirq_action *);
};

/* Install the handler of softirq nr (once, at init). */
void open_softirq(int nr, void (*action)(struct softirq_action *));
/*
 * The handler installed for nr (NULL if none): lets a test borrow an
 * unused softirq number and give it back as it found it.
 */
void (*softirq_action_of(unsigned int nr))(struct softirq_action *);
/*
 * Mark nr pending on this CPU, and wake ksoftirqd if no irq_exit() or
 * local_bh_enable() will run it soon. Meant for interrupts off; with them
 * on (preemption off) it still works, at worst waking ksoftirqd for
 * nothing, since the pending bit is set by one this_cpu operation.
 */
void raise_softirq_irqoff(unsigned int nr);
/* The same from any context. */
void raise_softirq(unsigned int nr);
/* Only set the pending bit (the caller knows it will be run). */
void __raise_softirq_irqoff(unsigned int nr);
/* This CPU's pending mask. */
unsigned int local_softirq_pending(void);
/* cpu's pending mask, as it is at the moment (for the shell and debugging; it changes under us). */
unsigned int softirq_pending_cpu(int cpu);
/* Run pending softirqs now if not in interrupt context (on the IRQ stack). */
void do_softirq(void);
/* Times softirq nr ran on cpu (the /proc/softirqs counts). */
unsigned long kstat_softirqs_cpu(unsigned int nr, int cpu);
/* Print the /proc/softirqs table. */
void show_softirqs(int (*print)(const char *fmt, ...));
/* The ksoftirqd thread of cpu (NULL before softirq_init_threads()). */
struct task_struct *ksoftirqd_task(int cpu);
void softirq_init(void);
void softirq_init_threads(void);

/* ---- tasklets (kernel/tasklet.c), run from HI_SOFTIRQ and TASKLET_SOFTIRQ ---- */

enum {
	TASKLET_STATE_SCHED,	/* queued to run */
	TASKLET_STATE_RUN,	/* running now (on some CPU) */
};

struct tasklet_struct {
	struct tasklet_struct *next;
	unsigned long state;		/* TASKLET_STATE_* bits */
	atomic_t count;			/* > 0: disabled */
	bool use_callback;
	union {
		void (*func)(unsigned long data);
		void (*callback)(struct tasklet_struct *t);
	};
	unsigned long data;
};

#define DECLARE_TASKLET(name, _callback)					\
	struct tasklet_struct name = { .count = ATOMIC_INIT(0), .callback = _callback, .use_callback = true }
#define DECLARE_TASKLET_DISABLED(name, _callback)				\
	struct tasklet_struct name = { .count = ATOMIC_INIT(1), .callback = _callback, .use_callback = true }
#define DECLARE_TASKLET_OLD(name, _func)					\
	struct tasklet_struct name = { .count = ATOMIC_INIT(0), .func = _func }
#define from_tasklet(var, callback_tasklet, tasklet_fieldname) \
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *));
/* Queue t on this CPU's list unless it is queued already (then nothing happens). */
void tasklet_schedule(struct tasklet_struct *t);
/* The same on the HI list, which runs before every other softirq. */
void tasklet_hi_schedule(struct tasklet_struct *t);
/* Disable (nested); a queued tasklet stays queued and runs after the last enable. */
void tasklet_disable_nosync(struct tasklet_struct *t);
/* ...and wait until a running instance has finished. */
void tasklet_disable(struct tasklet_struct *t);
void tasklet_enable(struct tasklet_struct *t);
/* Wait until t is neither queued nor running; task context only (refused, with a warning, elsewhere). */
void tasklet_kill(struct tasklet_struct *t);
void tasklet_init_softirqs(void);

#endif
