/*
 * The x86 side of the IRQ layer: vectors bound to descriptors, the
 * per-CPU vector table the entry code consults, system-vector handlers,
 * and per-CPU interrupt statistics for the interrupt table.
 */
#ifndef ASM_HW_IRQ_H
#define ASM_HW_IRQ_H

#include <kernel/irqdesc.h>
#include <asm/irq_vectors.h>
#include <asm/ptrace.h>
#include <asm/percpu.h>

/* Where an APIC-delivered line goes: its vector on its CPU (the chip_data of IOAPIC/MSI lines). */
struct irq_cfg {
	unsigned int vector;		/* 0: none */
	unsigned int cpu;		/* CPU number (x86_cpu_to_apicid[] gives the APIC ID) */
};

/*
 * Raise cfg's vector again on its CPU with an IPI: the irq_retrigger of
 * every APIC-delivered chip (IOAPIC, MSI, test lines). Returns 1 if sent.
 */
int irq_cfg_retrigger(const struct irq_cfg *cfg);

/* Per-CPU counts of what is not an IRQ descriptor's (Linux's irq_cpustat_t). */
struct irq_cpustat {
	unsigned int apic_timer_irqs;	/* LOC */
	unsigned int spurious_apic;	/* SPU: vector 0xff */
	unsigned int apic_irq_work_irqs;	/* IWI: irq_work interrupts (IRQ_WORK_VECTOR) */
	unsigned int error_apic;	/* ERR */
	unsigned int resend_irqs;	/* software resends run */
	unsigned int bad_vector;	/* vectors with nothing behind them */
	unsigned int pic_spurious;	/* 8259 IRQ 7/15 with nothing in service */
	unsigned int irq_stack_switches;	/* first-level entries that moved to the IRQ stack */
	unsigned int resched_irqs;	/* RES: reschedule IPIs */
	unsigned int call_function_irqs;	/* CAL: function-call IPIs */
	unsigned int irq_tlb_count;	/* TLB: kernel TLB shootdowns run here */
};
DECLARE_PER_CPU(struct irq_cpustat, irq_stat);
DECLARE_PER_CPU(struct irq_desc *, vector_irq[NR_VECTORS]);

/* Bind an unused dynamic vector on cpu to desc; returns it, or -ENOSPC. */
int irq_alloc_vector(struct irq_desc *desc, unsigned int cpu);
/*
 * Bind a vector to desc on the online CPU of mask with the fewest vectors
 * bound (Linux's matrix allocator, "least loaded"); returns the vector
 * and the CPU in *cpu, or -EINVAL (no online CPU in mask) / -ENOSPC.
 * With old (a line moving away from old->cpu), the vector is also free on
 * old->cpu, or is old->vector, and is bound there as well, so the line
 * can be switched in two steps (vector, then CPU) with each step landing
 * on a bound vector; the caller releases that extra binding afterwards.
 */
int irq_alloc_vector_mask(struct irq_desc *desc, const struct cpumask *mask, unsigned int *cpu,
			  const struct irq_cfg *old);
/*
 * A vector the line no longer uses: freed later by a timer on cpu, once
 * that CPU's LAPIC neither has it requested nor in service (see
 * vector.c). Until then it still runs the line's flow handler.
 */
void irq_release_vector(unsigned int cpu, unsigned int vector);
/* As irq_release_vector() for a line being torn down: a late interrupt is only acknowledged. */
void irq_shutdown_vector(unsigned int cpu, unsigned int vector);
/* Vectors bound on cpu (what least-loaded placement compares), and released ones not yet freed (all CPUs). */
unsigned int irq_vectors_used(unsigned int cpu);
unsigned int irq_vectors_pending_cleanup(void);
/* Bind a fixed vector (the PIC's) on cpu to desc; -EBUSY if taken. */
int irq_bind_vector(struct irq_desc *desc, unsigned int cpu, unsigned int vector);
void irq_free_vector(unsigned int cpu, unsigned int vector);
/* Keep the PIC's vectors 0x20-0x2f out of dynamic allocation (PIC mode). */
void irq_reserve_legacy_vectors(void);

/* A handler for a system vector (0xf0-0xff), run in hard-IRQ context on the IRQ stack. */
typedef void (*sysvec_handler_t)(struct pt_regs *regs);
void sysvec_register(unsigned int vector, sysvec_handler_t handler, const char *name);
/* For the tracer: the IRQ bound to vector on this CPU (-1 if none); a system vector's name in *name. */
int x86_vector_info(unsigned int vector, const char **name);
/* Install the IRQ_WORK_VECTOR handler (arch/x86_64/irq_work.c); with the LAPIC's own vectors. */
void irq_work_init_vector(void);

/* The interrupted registers of the interrupt being handled on this CPU (Linux's get_irq_regs). */
struct pt_regs *get_irq_regs(void);

/* Give this CPU its IRQ stack (16 KiB, guarded). */
int irq_init_percpu_irqstack(unsigned int cpu);

/* Entry from x86_entry_dispatch() for vectors >= 32 (not 0x80). */
void x86_handle_interrupt(struct pt_regs *regs, unsigned int vector);

#define IRQ_STACK_SIZE	(16 * 1024)

#endif
