/*
 * The generic IRQ layer's controller side, after Linux's include/linux/irq.h:
 * struct irq_chip (one per interrupt controller), struct irq_data (what a
 * chip knows of one line), the flow handlers, and the calls that set a
 * line up. Drivers use include/kernel/interrupt.h instead.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <kernel/types.h>
#include <kernel/cpumask.h>
#include <kernel/interrupt.h>

#define NR_IRQS			256
#define NR_IRQS_LEGACY		16	/* ISA IRQs 0-15 */

/* Trigger types, as Linux's IRQ_TYPE_* (and IRQF_TRIGGER_*). */
#define IRQ_TYPE_NONE		0x0
#define IRQ_TYPE_EDGE_RISING	0x1
#define IRQ_TYPE_EDGE_FALLING	0x2
#define IRQ_TYPE_EDGE_BOTH	(IRQ_TYPE_EDGE_FALLING | IRQ_TYPE_EDGE_RISING)
#define IRQ_TYPE_LEVEL_HIGH	0x4
#define IRQ_TYPE_LEVEL_LOW	0x8
#define IRQ_TYPE_LEVEL_MASK	(IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH)
#define IRQ_TYPE_SENSE_MASK	0xf

/* irq_data.state: what the core knows of a line (IRQD_*, Linux's names). */
#define IRQD_TRIGGER_MASK	0xf		/* IRQ_TYPE_* of the line */
#define IRQD_LEVEL		(1u << 8)	/* level-triggered */
#define IRQD_PER_CPU		(1u << 9)	/* per-CPU interrupt (LAPIC timer) */
#define IRQD_IRQ_DISABLED	(1u << 10)	/* disabled (depth > 0, or never started) */
#define IRQD_IRQ_MASKED		(1u << 11)	/* masked at the chip */
#define IRQD_IRQ_INPROGRESS	(1u << 12)	/* a handler runs right now */
#define IRQD_IRQ_STARTED	(1u << 13)	/* irq_startup() done, not shut down */
#define IRQD_AFFINITY_SET	(1u << 14)	/* affinity set by irq_set_affinity(), not the default */
#define IRQD_SETAFFINITY_PENDING (1u << 15)	/* a move waits for the next interrupt (pending_mask) */

struct irq_chip;
struct irq_desc;

/* What a chip needs to know of one line. */
struct irq_data {
	unsigned int irq;		/* Linux IRQ number */
	unsigned long hwirq;		/* the controller's own number: pin, GSI, vector... */
	struct irq_chip *chip;
	void *chip_data;		/* the chip's private per-line data */
	unsigned int state;		/* IRQD_*; changed under the descriptor's lock */
	struct cpumask affinity;	/* CPUs the line may go to (requested) */
	struct cpumask effective_affinity;	/* the one CPU the hardware sends it to now */
};

/*
 * An interrupt controller's operations on one line. Every member is
 * optional unless said otherwise; the core calls them with the line's
 * descriptor lock held and interrupts off.
 */
struct irq_chip {
	const char *name;		/* shown in the interrupt table ("IO-APIC") */
	/* start the line up (default: enable); returns 0 */
	unsigned int (*irq_startup)(struct irq_data *data);
	/* shut the line down (default: disable) */
	void (*irq_shutdown)(struct irq_data *data);
	/* enable the line (default: unmask) */
	void (*irq_enable)(struct irq_data *data);
	/* disable the line (default: nothing; the flow masks lazily) */
	void (*irq_disable)(struct irq_data *data);
	/* start of a new interrupt: acknowledge it at the controller */
	void (*irq_ack)(struct irq_data *data);
	/* mask the line */
	void (*irq_mask)(struct irq_data *data);
	/* mask and ack in one step */
	void (*irq_mask_ack)(struct irq_data *data);
	/* unmask the line */
	void (*irq_unmask)(struct irq_data *data);
	/* end of interrupt (fasteoi and per-CPU flows) */
	void (*irq_eoi)(struct irq_data *data);
	/*
	 * route the line to one CPU of dest (online CPUs only, never empty):
	 * keep the current one if it is in dest, else the one with the
	 * fewest device vectors; set data->effective_affinity; 0 or -errno.
	 * Called by the core when a move is safe: at once, or for
	 * IRQCHIP_MOVE_DEFERRED chips with the line masked, from the chip's
	 * ack/eoi through irq_move_irq().
	 */
	int (*irq_set_affinity)(struct irq_data *data, const struct cpumask *dest, bool force);
	/* raise the interrupt again in hardware; returns 1 if it could */
	int (*irq_retrigger)(struct irq_data *data);
	/* set the trigger type (IRQ_TYPE_*); returns 0 or -errno */
	int (*irq_set_type)(struct irq_data *data, unsigned int flow_type);
	unsigned long flags;		/* IRQCHIP_* */
};

#define IRQCHIP_ONESHOT_SAFE	(1ul << 0)	/* masking for ONESHOT is not needed */
#define IRQCHIP_EOI_THREADED	(1ul << 1)	/* EOI only after the threaded handler */
/*
 * A started line is moved only when its next interrupt comes, from the
 * chip's ack/eoi with the line masked (Linux's IRQCHIP_MOVE_DEFERRED;
 * the IOAPIC: see ioapic.c for why).
 */
#define IRQCHIP_MOVE_DEFERRED	(1ul << 2)

typedef void (*irq_flow_handler_t)(struct irq_desc *desc);

/*
 * Flow handlers: how a kind of line is handled (Linux's kernel/irq/chip.c).
 * level: mask and ack, run the handlers, unmask. edge: ack, run the
 * handlers, and again while a new edge came in meanwhile (PENDING).
 * fasteoi: run the handlers, then one EOI (the controller masks in
 * between). percpu: no locking against other CPUs. simple: no chip
 * calls at all. bad: report a spurious interrupt.
 */
void handle_level_irq(struct irq_desc *desc);
void handle_edge_irq(struct irq_desc *desc);
void handle_fasteoi_irq(struct irq_desc *desc);
void handle_percpu_irq(struct irq_desc *desc);
void handle_simple_irq(struct irq_desc *desc);
void handle_bad_irq(struct irq_desc *desc);

/* Chips for lines without a controller, and for those that need no chip calls. */
extern struct irq_chip no_irq_chip;
extern struct irq_chip dummy_irq_chip;

int irq_set_chip(unsigned int irq, struct irq_chip *chip);
int irq_set_chip_data(unsigned int irq, void *data);
void irq_set_chip_and_handler_name(unsigned int irq, struct irq_chip *chip,
				   irq_flow_handler_t handle, const char *name);
void irq_set_handler(unsigned int irq, irq_flow_handler_t handle);
struct irq_data *irq_get_irq_data(unsigned int irq);
void irq_set_hwirq(unsigned int irq, unsigned long hwirq);
/* Mark a line per-CPU (no shared state between CPUs). */
void irq_set_percpu(unsigned int irq);

/* Allocate a free IRQ number at or above from (>= NR_IRQS_LEGACY for dynamic lines); -ENOSPC if none. */
int irq_alloc_desc_from(unsigned int from);
void irq_free_desc(unsigned int irq);

/* Run the flow handler of irq (generic_handle_irq_desc() in kernel/irqdesc.h does it for a desc). */
int generic_handle_irq(unsigned int irq);

/* Software resend of PENDING edge interrupts (kernel/irq/resend.c); the arch calls this from its resend vector. */
void irq_resend_run_pending(void);
/* Provided by the architecture: make irq_resend_run_pending() run soon in hard-IRQ context. */
void arch_irq_resend_raise(void);

/*
 * Affinity (kernel/irq/affinity.c, migration.c). irq_default_affinity is
 * where lines go when nobody chose (Linux's /proc/irq/default_smp_affinity;
 * `irqaffinity=LIST` on the command line; all CPUs by default); a line is
 * placed on the least loaded online CPU of it when it starts up.
 */
extern struct cpumask irq_default_affinity;
/* The online CPUs as a mask. */
void irq_online_mask(struct cpumask *m);
/* The CPU an IRQ is delivered to now (its effective affinity); -1 for a bad irq. */
int irq_effective_cpu(unsigned int irq);
/* One line of text about irq's affinity: requested, effective, pending, counts per CPU. */
void irq_show_affinity(unsigned int irq, int (*print)(const char *fmt, ...));
/*
 * For IRQCHIP_MOVE_DEFERRED chips, from their ack/eoi (desc->lock held):
 * carry out a pending move. irq_move_irq() masks the line around it if
 * it is not masked; irq_move_masked_irq() needs it masked already.
 */
void irq_move_irq(struct irq_data *data);
void irq_move_masked_irq(struct irq_data *data);
static inline bool irqd_is_setaffinity_pending(const struct irq_data *d)
{
	return d->state & IRQD_SETAFFINITY_PENDING;
}

/**
 * irq_show_desc() - print everything the core knows of one line
 * @irq: the line
 * @print: printk-like output
 *
 * Chip, flow, hwirq, trigger, depth, state bits, affinity, counts,
 * unhandled counts and the actions with their threads (the shell's
 * `irq N`, Linux's debugfs irq/irqs/N).
 *
 * Return: 0, or -EINVAL if @irq is not below NR_IRQS.
 */
int irq_show_desc(unsigned int irq, int (*print)(const char *fmt, ...));

/* The interrupt table, as /proc/interrupts. print is printk-like. */
void show_interrupts(int (*print)(const char *fmt, ...));
/* The architecture's rows of the table (NMI, local timer, spurious...). */
void arch_show_interrupts(int (*print)(const char *fmt, ...));

/* Called from the tick: polls the handlers of lines disabled as spurious, and re-enables them after the back-off. */
void irq_spurious_tick(void);

#endif
