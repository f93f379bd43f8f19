/*
 * Cross-CPU function calls (Linux's kernel/smp.c): each CPU has a
 * lock-free queue of call_single_data entries; a caller fills one in,
 * adds it to the target's queue and, if the queue was empty, asks the
 * architecture to send the target an IPI, whose handler runs everything
 * queued, in hard-IRQ context. A waiting caller spins on the entry's
 * lock bit, which the target clears after the function has run.
 */
#include <kernel/smp.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/errno.h>
#include <kernel/kernel.h>
#include <asm/irqflags.h>
#include <asm/special_insns.h>

/* Filled by other CPUs (llist_add), emptied only by the owner's IPI handler. */
static DEFINE_PER_CPU(struct llist_head, call_single_queue);
/* The entry for this CPU's asynchronous smp_call_function_single() calls. */
static DEFINE_PER_CPU(call_single_data_t, csd_data);

/*
 * smp_call_function_many()'s state on the calling CPU: one entry per
 * target (a target may still hold last call's entry when the next call
 * starts), the targets, and those of them that need an IPI.
 */
struct call_function_data {
	call_single_data_t csd[NR_CPUS];
	struct cpumask cpumask;
	struct cpumask cpumask_ipi;
};
static DEFINE_PER_CPU(struct call_function_data, cfd_data);

#define SCF_WAIT	(1u << 0)
#define SCF_RUN_LOCAL	(1u << 1)
#define SCF_IRQS_OFF_OK	(1u << 2)	/* the caller may have interrupts off (see csd_lock_wait) */

static void flush_smp_call_function_queue(void);

static bool csd_is_locked(call_single_data_t *csd)
{
	return __atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_FLAG_LOCK;
}

/*
 * Wait for csd to be released. With interrupts off (only when the
 * caller could not avoid it, which the entry points WARN about, or on
 * the page-table paths that free memory from the scheduler), this CPU's
 * own queue is run meanwhile: another CPU may be waiting in the same
 * way for us, and neither would otherwise ever take its IPI.
 */
static void csd_lock_wait(call_single_data_t *csd)
{
	while (csd_is_locked(csd)) {
		if (irqs_disabled())
			flush_smp_call_function_queue();
		cpu_relax();
	}
}

static void csd_lock(call_single_data_t *csd)
{
	csd_lock_wait(csd);
	csd->flags |= CSD_FLAG_LOCK;
	/* the lock bit is seen before anything else written to the entry */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void csd_unlock(call_single_data_t *csd)
{
	WARN_ON_ONCE(!(csd->flags & CSD_FLAG_LOCK));
	__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
}

/* Queue csd for cpu; only the add that finds the queue empty sends an IPI (the handler takes all). */
static void __smp_call_single_queue(int cpu, call_single_data_t *csd)
{
	if (llist_add(&csd->node, per_cpu_ptr(&call_single_queue, cpu)))
		arch_send_call_function_single_ipi(cpu);
}

/* Interrupts must be on for a cross-CPU call, unless the machine is dying anyway. */
static void check_call_context(void)
{
	WARN_ON_ONCE(num_online_cpus() > 1 && irqs_disabled() && !oops_in_progress);
}

void generic_smp_call_function_single_interrupt(void)
{
	struct llist_node *entry = llist_del_all(this_cpu_ptr(&call_single_queue));

	entry = llist_reverse_order(entry);	/* in the order they were queued */
	while (entry) {
		call_single_data_t *csd = container_of(entry, call_single_data_t, node);
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		/* csd may be reused as soon as it is unlocked: read everything first */
		entry = entry->next;
		if (csd->flags & CSD_TYPE_SYNC) {
			func(info);
			csd_unlock(csd);
		} else {
			/* unlocked first, so func may queue the same entry again */
			csd_unlock(csd);
			func(info);
		}
	}
}

/* Run this CPU's queue outside its IPI, still as hard-IRQ context for the functions. */
static void flush_smp_call_function_queue(void)
{
	if (llist_empty(this_cpu_ptr(&call_single_queue)))
		return;
	preempt_count_add(HARDIRQ_OFFSET);
	generic_smp_call_function_single_interrupt();
	preempt_count_sub(HARDIRQ_OFFSET);
}

static int generic_exec_single(int cpu, call_single_data_t *csd)
{
	if (cpu == smp_processor_id()) {
		smp_call_func_t func = csd->func;
		void *info = csd->info;
		unsigned long flags;

		csd_unlock(csd);
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
		return 0;
	}
	if (!cpu_online(cpu)) {
		csd_unlock(csd);
		return -ENXIO;
	}
	__smp_call_single_queue(cpu, csd);
	return 0;
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait)
{
	call_single_data_t csd_stack = { .flags = CSD_FLAG_LOCK | CSD_TYPE_SYNC };
	call_single_data_t *csd;
	int err;

	preempt_disable();
	check_call_context();
	csd = &csd_stack;
	if (!wait) {
		csd = this_cpu_ptr(&csd_data);
		csd_lock(csd);
	}
	csd->func = func;
	csd->info = info;
	err = generic_exec_single(cpu, csd);
	if (wait)
		csd_lock_wait(csd);
	preempt_enable();
	return err;
}

int smp_call_function_single_async(int cpu, call_single_data_t *csd)
{
	int err = 0;

	preempt_disable();
	if (csd->flags & CSD_FLAG_LOCK) {
		err = -EBUSY;
		goto out;
	}
	csd->flags = CSD_FLAG_LOCK;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	err = generic_exec_single(cpu, csd);
out:
	preempt_enable();
	return err;
}

static void smp_call_function_many_cond(const struct cpumask *mask, smp_call_func_t func,
					void *info, unsigned int scf_flags)
{
	struct call_function_data *cfd = this_cpu_ptr(&cfd_data);
	int this_cpu = smp_processor_id(), cpu;
	bool run_local = (scf_flags & SCF_RUN_LOCAL) && cpumask_test_cpu(this_cpu, mask);
	bool run_remote;

	/* an interrupt handler here could be in the middle of this CPU's cfd */
	WARN_ON_ONCE(!in_task());
	if (!(scf_flags & SCF_IRQS_OFF_OK))
		check_call_context();

	run_remote = cpumask_and(&cfd->cpumask, mask, cpu_online_mask);
	cpumask_clear_cpu(this_cpu, &cfd->cpumask);
	run_remote = run_remote && !cpumask_empty(&cfd->cpumask);
	if (run_remote) {
		cpumask_clear(&cfd->cpumask_ipi);
		for_each_cpu(cpu, &cfd->cpumask) {
			call_single_data_t *csd = &cfd->csd[cpu];

			csd_lock(csd);
			if (scf_flags & SCF_WAIT)
				csd->flags |= CSD_TYPE_SYNC;
			csd->func = func;
			csd->info = info;
			if (llist_add(&csd->node, per_cpu_ptr(&call_single_queue, cpu)))
				cpumask_set_cpu(cpu, &cfd->cpumask_ipi);
		}
		if (!cpumask_empty(&cfd->cpumask_ipi))
			arch_send_call_function_ipi_mask(&cfd->cpumask_ipi);
	}
	/* our share while the others run theirs */
	if (run_local) {
		unsigned long flags;

		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
	}
	if (run_remote && (scf_flags & SCF_WAIT)) {
		for_each_cpu(cpu, &cfd->cpumask)
			csd_lock_wait(&cfd->csd[cpu]);
	}
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	WARN_ON_ONCE(preemptible() && num_online_cpus() > 1);
	smp_call_function_many_cond(mask, func, info, wait ? SCF_WAIT : 0);
}

void smp_call_function(smp_call_func_t func, void *info, int wait)
{
	preempt_disable();
	smp_call_function_many(cpu_online_mask, func, info, wait);
	preempt_enable();
}

void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait)
{
	preempt_disable();
	smp_call_function_many_cond(mask, func, info, SCF_RUN_LOCAL | (wait ? SCF_WAIT : 0));
	preempt_enable();
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	on_each_cpu_mask(cpu_online_mask, func, info, wait);
}

void on_each_cpu_irqs_off_ok(smp_call_func_t func, void *info)
{
	preempt_disable();
	smp_call_function_many_cond(cpu_online_mask, func, info,
				    SCF_RUN_LOCAL | SCF_WAIT | SCF_IRQS_OFF_OK);
	preempt_enable();
}
