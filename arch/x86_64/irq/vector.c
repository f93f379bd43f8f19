/*
 * Vectors and the interrupt entry above the exception range.
 *
 * Each CPU has a table vector -> irq_desc (Linux's vector_irq); a device
 * vector with no descriptor behind it is acknowledged with a rate-limited
 * "No irq handler for vector" warning. System vectors (0xf0-0xff) have
 * handlers of their own. Every hard interrupt runs between irq_enter()
 * and irq_exit() and, at the first level of nesting, on this CPU's IRQ
 * stack (the seeds' "interrupt stack", switched by software through a
 * nest counter; hardware IST stacks cannot nest), irq_exit() and the
 * softirqs it runs included.
 *
 * Vector allocation spreads lines like Linux's matrix allocator: a line
 * goes to the online CPU of its mask with the fewest device vectors.
 * A vector a line no longer uses (it moved, or was torn down) is not
 * freed at once: an interrupt sent to it just before the change may
 * still be on its way or waiting in that CPU's IRR. It stays bound and
 * is freed by a timer on its CPU (as Linux since 6.8) once at least a
 * tick has passed and that CPU's LAPIC has it neither requested nor in
 * service; an interrupt that still comes meanwhile is handled as the
 * line's own (or, for a line torn down, just acknowledged).
 */
#define pr_fmt(fmt) "irq: " fmt
#include <asm/hw_irq.h>
#include <asm/softirq_stack.h>
#include <asm/irq_stack.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/processor.h>
#include <kernel/interrupt.h>
#include <kernel/vmalloc.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/bug.h>
#include <kernel/bitops.h>
#include <kernel/smp.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>
#include <kernel/trace_events.h>
#include <asm/smp.h>

DEFINE_PER_CPU(struct irq_cpustat, irq_stat);
DEFINE_PER_CPU(struct irq_desc *, vector_irq[NR_VECTORS]);
static DEFINE_PER_CPU(struct pt_regs *, irq_regs);
DEFINE_PER_CPU(unsigned int, irq_nest);
DEFINE_PER_CPU(unsigned long, irq_stack_top);

static DEFINE_SPINLOCK(vector_lock);	/* guards every CPU's vector_irq and what follows */
static bool legacy_vectors_reserved;
static unsigned int vectors_used[NR_CPUS];	/* entries bound in each CPU's vector_irq; L: vector_lock */
static u64 cleanup_pending[NR_CPUS][NR_VECTORS / 64];	/* released, still bound; L: vector_lock */
static DEFINE_PER_CPU(struct timer_list, vector_cleanup_timer);

/*
 * What a torn-down line's vectors point to until they are freed: an
 * interrupt arriving there is acknowledged and dropped (Linux's
 * VECTOR_SHUTDOWN).
 */
#define VECTOR_SHUTDOWN		((struct irq_desc *)-1l)

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

static struct irq_desc **table_of(unsigned int cpu)
{
	return per_cpu_ptr(&vector_irq[0], cpu);
}

/* Called with vector_lock held. */
static void bind_vector(unsigned int cpu, unsigned int v, struct irq_desc *desc)
{
	struct irq_desc **table = table_of(cpu);

	if (!table[v])
		vectors_used[cpu]++;
	WRITE_ONCE(table[v], desc);
}

/* Called with vector_lock held. */
static void unbind_vector(unsigned int cpu, unsigned int v)
{
	struct irq_desc **table = table_of(cpu);

	if (table[v])
		vectors_used[cpu]--;
	WRITE_ONCE(table[v], NULL);
	cleanup_pending[cpu][v / 64] &= ~(1ull << (v % 64));
}

/* The lowest dynamic vector free on cpu and, when also is not NULL, free on also->cpu too or equal to also->vector. */
static int find_vector(unsigned int cpu, const struct irq_cfg *also)
{
	struct irq_desc **table = table_of(cpu);

	for (unsigned int v = FIRST_DYNAMIC_VECTOR; v <= LAST_DYNAMIC_VECTOR; v++) {
		if (!vector_is_dynamic(v) || table[v])
			continue;
		if (also && v != also->vector && table_of(also->cpu)[v])
			continue;
		return (int)v;
	}
	return -ENOSPC;
}

int irq_alloc_vector(struct irq_desc *desc, unsigned int cpu)
{
	unsigned long flags;
	int v;

	spin_lock_irqsave(&vector_lock, flags);
	v = find_vector(cpu, NULL);
	if (v >= 0)
		bind_vector(cpu, (unsigned int)v, desc);
	spin_unlock_irqrestore(&vector_lock, flags);
	return v;
}

/* The online CPU of mask with the fewest vectors bound (the lowest on a tie); -EINVAL if none. */
static int least_loaded_cpu(const struct cpumask *mask)
{
	int best = -EINVAL;
	unsigned int cpu;

	for_each_cpu(cpu, mask) {
		if (!cpu_online((int)cpu))
			continue;
		if (best < 0 || vectors_used[cpu] < vectors_used[best])
			best = (int)cpu;
	}
	return best;
}

int irq_alloc_vector_mask(struct irq_desc *desc, const struct cpumask *mask, unsigned int *cpu,
			  const struct irq_cfg *old)
{
	unsigned long flags;
	int best, v;

	spin_lock_irqsave(&vector_lock, flags);
	best = least_loaded_cpu(mask);
	if (best < 0) {
		v = best;
		goto out;
	}
	v = find_vector((unsigned int)best, old);
	if (v < 0)
		goto out;
	bind_vector((unsigned int)best, (unsigned int)v, desc);
	if (old && (unsigned int)v != old->vector)
		bind_vector(old->cpu, (unsigned int)v, desc);
	*cpu = (unsigned int)best;
out:
	spin_unlock_irqrestore(&vector_lock, flags);
	return v;
}

unsigned int irq_vectors_used(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(vectors_used[cpu]) : 0;
}

unsigned int irq_vectors_pending_cleanup(void)
{
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&vector_lock, flags);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		for (unsigned int i = 0; i < NR_VECTORS / 64; i++)
			n += hweight64(cleanup_pending[cpu][i]);
	spin_unlock_irqrestore(&vector_lock, flags);
	return n;
}

/* The timer of the CPU whose vectors wait: free each one its LAPIC no longer holds. */
static void vector_cleanup(struct timer_list *timer)
{
	unsigned int cpu = (unsigned int)smp_processor_id();
	unsigned long flags;
	bool again = false;

	spin_lock_irqsave(&vector_lock, flags);
	for (unsigned int v = 0; v < NR_VECTORS; v++) {
		if (!(cleanup_pending[cpu][v / 64] >> (v % 64) & 1))
			continue;
		/* requested: it will be taken as soon as interrupts are on; in service: not yet EOIed */
		if (lapic_vector_requested(v) || lapic_vector_in_service(v)) {
			again = true;
			continue;
		}
		unbind_vector(cpu, v);
	}
	if (again)
		mod_timer(timer, jiffies + 1);
	spin_unlock_irqrestore(&vector_lock, flags);
}

static void release_vector(unsigned int cpu, unsigned int vector, bool shutdown)
{
	struct timer_list *timer;
	unsigned long flags;

	if (vector >= NR_VECTORS || cpu >= NR_CPUS)
		return;
	timer = per_cpu_ptr(&vector_cleanup_timer, cpu);	/* cpu is in range now */
	spin_lock_irqsave(&vector_lock, flags);
	if (!table_of(cpu)[vector])
		goto out;
	if (shutdown)
		WRITE_ONCE(table_of(cpu)[vector], VECTOR_SHUTDOWN);
	cleanup_pending[cpu][vector / 64] |= 1ull << (vector % 64);
	if (!timer->function)
		timer_setup(timer, vector_cleanup, TIMER_PINNED);
	/* two jiffies: at least one whole tick for anything still on its way */
	if (!timer_pending(timer)) {
		timer->expires = jiffies + 2;
		add_timer_on(timer, (int)cpu);
	}
out:
	spin_unlock_irqrestore(&vector_lock, flags);
}

void irq_release_vector(unsigned int cpu, unsigned int vector)
{
	release_vector(cpu, vector, false);
}

void irq_shutdown_vector(unsigned int cpu, unsigned int vector)
{
	release_vector(cpu, vector, true);
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
		bind_vector(cpu, vector, desc);
	spin_unlock_irqrestore(&vector_lock, flags);
	return ret;
}

void irq_free_vector(unsigned int cpu, unsigned int vector)
{
	unsigned long flags;

	if (vector >= NR_VECTORS)
		return;
	spin_lock_irqsave(&vector_lock, flags);
	unbind_vector(cpu, vector);
	spin_unlock_irqrestore(&vector_lock, flags);
}

void sysvec_register(unsigned int vector, sysvec_handler_t handler, const char *name)
{
	BUG_ON(vector < FIRST_SYSTEM_VECTOR || vector >= NR_VECTORS);
	sysvecs[vector - FIRST_SYSTEM_VECTOR].name = name;
	WRITE_ONCE(sysvecs[vector - FIRST_SYSTEM_VECTOR].handler, handler);
}

int x86_vector_info(unsigned int vector, const char **name)
{
	struct irq_desc *desc;

	*name = NULL;
	if (vector >= FIRST_SYSTEM_VECTOR && vector < NR_VECTORS) {
		*name = sysvecs[vector - FIRST_SYSTEM_VECTOR].name;
		return -1;
	}
	desc = vector < NR_VECTORS ? READ_ONCE(this_cpu_ptr(&vector_irq[0])[vector]) : NULL;
	return desc && desc != VECTOR_SHUTDOWN ? (int)desc->irq_data.irq : -1;
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

	if (likely(desc && desc != VECTOR_SHUTDOWN))
		generic_handle_irq_desc(desc);
	else if (desc == VECTOR_SHUTDOWN)
		apic_eoi();		/* sent before its line was torn down: nothing to run */
	else
		no_handler_for_vector(vector);
}



/*
 * The handler, then irq_exit() while still on the IRQ stack and still
 * counted in irq_nest (Linux's HAVE_IRQ_EXIT_ON_IRQ_STACK): the softirqs
 * it runs are then on the right stack already and start at once, not
 * after a return to the task stack and a second switch back.
 */
static void handle_vector_and_exit(void *arg)
{
	handle_vector(arg);
	trace_irq_vector_exit(((struct vector_call *)arg)->vector);
	irq_exit();
}

void x86_handle_interrupt(struct pt_regs *regs, unsigned int vector)
{
	struct pt_regs *old = this_cpu_read(irq_regs);
	struct vector_call call = { vector, regs };

	this_cpu_write(irq_regs, regs);
	irq_enter();
	trace_irq_vector_entry(vector);
	/* first level: move to the IRQ stack; nested interrupts are on it already */
	this_cpu_inc(irq_nest);
	if (this_cpu_read(irq_nest) == 1 && this_cpu_read(irq_stack_top)) {
		this_cpu_inc(irq_stat.irq_stack_switches);
		call_on_irq_stack(handle_vector_and_exit, &call, this_cpu_read(irq_stack_top));
	} else {
		handle_vector_and_exit(&call);
	}
	this_cpu_dec(irq_nest);
	this_cpu_write(irq_regs, old);
}
