/*
 * Vectors and the interrupt entry above the exception range.
 *
 * Each CPU has a table vector -> irq_desc (Linux's vector_irq); a device
 * vector with no descriptor behind it is acknowledged with a rate-limited
 * "No irq handler for vector" warning. System vectors (0xf0-0xff) have
 * handlers of their own. Every hard interrupt runs between irq_enter()
 * and irq_exit() and, at the first level of nesting, on this CPU's IRQ
 * stack (the seeds' "interrupt stack", switched by software through a
 * nest counter; hardware IST stacks cannot nest).
 */
#define pr_fmt(fmt) "irq: " fmt
#include <asm/hw_irq.h>
#include <asm/softirq_stack.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/processor.h>
#include <kernel/interrupt.h>
#include <kernel/vmalloc.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/bug.h>

DEFINE_PER_CPU(struct irq_cpustat, irq_stat);
DEFINE_PER_CPU(struct irq_desc *, vector_irq[NR_VECTORS]);
static DEFINE_PER_CPU(struct pt_regs *, irq_regs);
static DEFINE_PER_CPU(unsigned int, irq_nest);		/* hard IRQs entered and not left */
static DEFINE_PER_CPU(unsigned long, irq_stack_top);

static DEFINE_SPINLOCK(vector_lock);
static bool legacy_vectors_reserved;

static struct {
	sysvec_handler_t handler;
	const char *name;
} sysvecs[NR_VECTORS - FIRST_SYSTEM_VECTOR];

static bool vector_is_dynamic(unsigned int v)
{
	if (v < FIRST_DYNAMIC_VECTOR || v > LAST_DYNAMIC_VECTOR || v == IA32_SYSCALL_VECTOR)
		return false;
	return !(legacy_vectors_reserved && v < ISA_IRQ_VECTOR(NR_IRQS_LEGACY));
}

void irq_reserve_legacy_vectors(void)
{
	legacy_vectors_reserved = true;
}

int irq_alloc_vector(struct irq_desc *desc, unsigned int cpu)
{
	struct irq_desc **table = per_cpu_ptr(&vector_irq[0], cpu);
	unsigned long flags;
	int ret = -ENOSPC;

	spin_lock_irqsave(&vector_lock, flags);
	for (unsigned int v = FIRST_DYNAMIC_VECTOR; v <= LAST_DYNAMIC_VECTOR; v++) {
		if (vector_is_dynamic(v) && !table[v]) {
			WRITE_ONCE(table[v], desc);
			ret = (int)v;
			break;
		}
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	return ret;
}

int irq_bind_vector(struct irq_desc *desc, unsigned int cpu, unsigned int vector)
{
	struct irq_desc **table = per_cpu_ptr(&vector_irq[0], cpu);
	unsigned long flags;
	int ret = 0;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= FIRST_SYSTEM_VECTOR ||
	    vector == IA32_SYSCALL_VECTOR)
		return -EINVAL;
	spin_lock_irqsave(&vector_lock, flags);
	if (table[vector] && table[vector] != desc)
		ret = -EBUSY;
	else
		WRITE_ONCE(table[vector], desc);
	spin_unlock_irqrestore(&vector_lock, flags);
	return ret;
}

void irq_free_vector(unsigned int cpu, unsigned int vector)
{
	unsigned long flags;

	if (vector >= NR_VECTORS)
		return;
	spin_lock_irqsave(&vector_lock, flags);
	WRITE_ONCE(per_cpu_ptr(&vector_irq[0], cpu)[vector], NULL);
	spin_unlock_irqrestore(&vector_lock, flags);
}

void sysvec_register(unsigned int vector, sysvec_handler_t handler, const char *name)
{
	BUG_ON(vector < FIRST_SYSTEM_VECTOR || vector >= NR_VECTORS);
	sysvecs[vector - FIRST_SYSTEM_VECTOR].name = name;
	WRITE_ONCE(sysvecs[vector - FIRST_SYSTEM_VECTOR].handler, handler);
}

int irq_cfg_retrigger(const struct irq_cfg *cfg)
{
	if (!cfg->vector || !lapic_is_enabled())
		return 0;
	/* to the line's CPU: the vector means nothing in another CPU's table */
	apic_send_ipi(x86_cpu_to_apicid[cfg->cpu], cfg->vector);
	return 1;
}

struct pt_regs *get_irq_regs(void)
{
	return this_cpu_read(irq_regs);
}

int irq_init_percpu_irqstack(unsigned int cpu)
{
	void *s = vmalloc_stack(IRQ_STACK_SIZE);

	if (!s)
		return -ENOMEM;
	*per_cpu_ptr(&cpu_irq_stack, cpu) = (struct stack_info){
		STACK_TYPE_IRQ, (unsigned long)s, (unsigned long)s + IRQ_STACK_SIZE };
	per_cpu(irq_stack_top, cpu) = (unsigned long)s + IRQ_STACK_SIZE;
	return 0;
}

static void no_handler_for_vector(unsigned int vector)
{
	static unsigned int reported;

	this_cpu_inc(irq_stat.bad_vector);
	if (reported < 10) {
		reported++;
		pr_emerg("%s: %d.%u No irq handler for vector\n", __func__, smp_processor_id(), vector);
	}
	/* the LAPIC delivered it, so it waits for an EOI (a stray PIC ExtINT does not mind one) */
	apic_eoi();
}

struct vector_call {
	unsigned int vector;
	struct pt_regs *regs;
};

/* Runs on the IRQ stack. */
static void handle_vector(void *arg)
{
	struct vector_call *call = arg;
	unsigned int vector = call->vector;

	if (vector >= FIRST_SYSTEM_VECTOR) {
		sysvec_handler_t h = READ_ONCE(sysvecs[vector - FIRST_SYSTEM_VECTOR].handler);

		if (h)
			h(call->regs);
		else
			no_handler_for_vector(vector);
		return;
	}
	struct irq_desc *desc = READ_ONCE(this_cpu_ptr(&vector_irq[0])[vector]);

	if (likely(desc))
		generic_handle_irq_desc(desc);
	else
		no_handler_for_vector(vector);
}

static void run_softirqs(void *unused)
{
	__do_softirq();
}

/*
 * Softirqs from irq_exit() and local_bh_enable() run on the IRQ stack,
 * counted as one more nesting level so a hard IRQ arriving meanwhile
 * stays on it below them.
 */
void do_softirq_own_stack(void)
{
	this_cpu_inc(irq_nest);
	if (this_cpu_read(irq_nest) == 1 && this_cpu_read(irq_stack_top))
		call_on_irq_stack(run_softirqs, NULL, this_cpu_read(irq_stack_top));
	else
		__do_softirq();
	this_cpu_dec(irq_nest);
}

void x86_handle_interrupt(struct pt_regs *regs, unsigned int vector)
{
	struct pt_regs *old = this_cpu_read(irq_regs);
	struct vector_call call = { vector, regs };

	this_cpu_write(irq_regs, regs);
	irq_enter();
	/* first level: move to the IRQ stack; nested interrupts are on it already */
	this_cpu_inc(irq_nest);
	if (this_cpu_read(irq_nest) == 1 && this_cpu_read(irq_stack_top)) {
		this_cpu_inc(irq_stat.irq_stack_switches);
		call_on_irq_stack(handle_vector, &call, this_cpu_read(irq_stack_top));
	} else {
		handle_vector(&call);
	}
	this_cpu_dec(irq_nest);
	irq_exit();
	this_cpu_write(irq_regs, old);
}
