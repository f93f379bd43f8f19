/* CPUs that are up. Only the boot CPU until SMP bring-up arrives. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <asm/percpu.h>

extern unsigned int nr_online_cpus;

static inline unsigned int num_online_cpus(void) { return nr_online_cpus; }
#define for_each_online_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_online_cpus; (cpu)++)

#endif
