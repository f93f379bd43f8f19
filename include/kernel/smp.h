/*
 * CPUs: which may come up ("possible": numbered 0..nr_cpu_ids-1, decided
 * at boot from the firmware's list, nosmp and maxcpus=) and which are up
 * ("online": 0..nr_online_cpus-1, as they come up, in order). Per-CPU
 * structures exist for every possible CPU from early boot on.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <asm/percpu.h>
#include <kernel/cpumask.h>
#include <kernel/llist.h>

extern unsigned int nr_cpu_ids;
extern unsigned int nr_online_cpus;

static inline unsigned int num_possible_cpus(void) { return nr_cpu_ids; }
static inline unsigned int num_online_cpus(void) { return READ_ONCE(nr_online_cpus); }
static inline bool cpu_online(int cpu) { return cpu >= 0 && cpu < (int)num_online_cpus(); }
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) for ((cpu) = 0; (cpu) < (int)num_online_cpus(); (cpu)++)
/* The same set as a mask (Linux's cpu_online_mask; set_cpu_online() adds to it). */
extern struct cpumask __cpu_online_mask;
#define cpu_online_mask	((const struct cpumask *)&__cpu_online_mask)

/* Bring up the other possible CPUs (after the scheduler and timers are up on the boot CPU). */
void smp_init(void);
/* Called by a new CPU when it is ready to run tasks: it becomes online. */
void set_cpu_online(int cpu);

/* Ask cpu to run its scheduler (a reschedule IPI; nothing when cpu is this CPU). */
void smp_send_reschedule(int cpu);

/* ---- cross-CPU function calls (kernel/smp.c), Linux's API ---- */

typedef void (*smp_call_func_t)(void *info);

/*
 * One queued call (Linux's call_single_data_t). CSD_FLAG_LOCK is set
 * from the moment it is filled in until the target has taken it (an
 * asynchronous call) or run it (a synchronous one): the owner must not
 * reuse it before. The function runs on the target in hard-IRQ context
 * with interrupts off, so it must not sleep.
 */
struct __call_single_data {
	struct llist_node node;		/* on the target's call_single_queue */
	unsigned int flags;		/* CSD_FLAG_LOCK, CSD_TYPE_SYNC */
	smp_call_func_t func;
	void *info;
};
typedef struct __call_single_data call_single_data_t;

#define CSD_FLAG_LOCK	0x01	/* in use: queued or running */
#define CSD_TYPE_SYNC	0x10	/* the caller waits: unlock after func ran, not before */

#define CSD_INIT(_func, _info)	((call_single_data_t){ .func = (_func), .info = (_info) })
#define INIT_CSD(csd, _func, _info)	(*(csd) = CSD_INIT(_func, _info))

/*
 * Run func(info) on cpu: directly with interrupts off if cpu is this
 * CPU, otherwise from a CALL_FUNCTION_SINGLE_VECTOR IPI there. With
 * wait, return only once it has run. Returns 0, or -ENXIO if cpu is not
 * online. Cross-CPU calls must be made with interrupts enabled (two CPUs
 * waiting for each other with interrupts off would deadlock): WARNs
 * otherwise, as Linux does.
 */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait);
/*
 * Queue csd (func and info filled in, not in use) for cpu and return at
 * once; usable from any context. -EBUSY if csd is still in use, -ENXIO
 * if cpu is not online.
 */
int smp_call_function_single_async(int cpu, call_single_data_t *csd);
/*
 * Run func(info) on every online CPU in mask except this one (as Linux:
 * the caller's own CPU never runs it here). The caller keeps preemption
 * disabled, so "this one" stays the same; with wait, returns once all
 * have run it.
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait);
/* smp_call_function_many() for every other online CPU (preemption handled inside). */
void smp_call_function(smp_call_func_t func, void *info, int wait);
/*
 * Run func(info) on every online CPU in mask, this one included (there
 * with interrupts off, while the others are being called): Linux's
 * on_each_cpu_mask(). on_each_cpu() is the same for all online CPUs.
 */
void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait);
void on_each_cpu(smp_call_func_t func, void *info, int wait);
/*
 * on_each_cpu(func, info, wait=1) for the few callers that may have
 * interrupts off and cannot defer (the kernel TLB shootdown: the
 * scheduler frees a dead task's stack with interrupts off). While it
 * waits, it runs calls queued for this CPU, so two CPUs doing this at
 * once do not wait for each other forever. Not in interrupt context.
 */
void on_each_cpu_irqs_off_ok(smp_call_func_t func, void *info);

/* The IPI handlers' common part: run everything queued for this CPU (hard-IRQ context). */
void generic_smp_call_function_single_interrupt(void);
static inline void generic_smp_call_function_interrupt(void)
{
	generic_smp_call_function_single_interrupt();
}

/* The architecture's half (arch/x86_64/ipi.c): kick cpu, or each CPU in mask, to run its queue. */
void arch_send_call_function_single_ipi(int cpu);
void arch_send_call_function_ipi_mask(const struct cpumask *mask);

#endif
