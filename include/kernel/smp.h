/*
 * CPUs: which may come up ("possible": numbered 0..nr_cpu_ids-1, decided
 * at boot from the firmware's list, nosmp and maxcpus=) and which are up
 * ("online": 0..nr_online_cpus-1, as they come up, in order). Per-CPU
 * structures exist for every possible CPU from early boot on.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <asm/percpu.h>

extern unsigned int nr_cpu_ids;
extern unsigned int nr_online_cpus;

static inline unsigned int num_possible_cpus(void) { return nr_cpu_ids; }
static inline unsigned int num_online_cpus(void) { return READ_ONCE(nr_online_cpus); }
static inline bool cpu_online(int cpu) { return cpu >= 0 && cpu < (int)num_online_cpus(); }
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) for ((cpu) = 0; (cpu) < (int)num_online_cpus(); (cpu)++)

/* Bring up the other possible CPUs (after the scheduler and timers are up on the boot CPU). */
void smp_init(void);
/* Called by a new CPU when it is ready to run tasks: it becomes online. */
void set_cpu_online(int cpu);

/* Ask cpu to run its scheduler (a reschedule IPI; nothing when cpu is this CPU). */
void smp_send_reschedule(int cpu);

#endif
