/*
 * Helpers for the SMP tests (test_smp_bh.c, test_smp_wq.c,
 * test_smp_sync.c): skipping when there are too few CPUs, and "jobs":
 * a function run once by a kernel thread bound to one CPU. Jobs may wait
 * at a start line (a gate) so that every CPU starts hammering at the
 * same moment. A job's thread parks when its function returned and
 * stays until kthread_stop() (a kthread that exits on its own frees its
 * task_struct, and a later kthread_stop() on it would be a
 * use-after-free), so the suite's exit hook can always stop them all.
 */
#ifndef TESTS_KERNEL_SMP_TEST_H
#define TESTS_KERNEL_SMP_TEST_H

#include "sched_test.h"
#include <kernel/smp.h>
#include <kernel/atomic.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>

/* As many CPUs as the tests use at most (one job per CPU fits st_threads). */
#define SMP_TEST_MAX_CPUS	ST_MAX_THREADS

/* End the case as skipped unless at least n CPUs are online. */
static inline void smp_require(struct ktest *t, unsigned int n)
{
	if (num_online_cpus() < n)
		ktest_skip(t, "needs %u CPUs, %u online", n, num_online_cpus());
}

/* The CPUs a hammering case uses: all online ones, up to SMP_TEST_MAX_CPUS. */
static inline int smp_test_cpus(void)
{
	int n = (int)num_online_cpus();

	return n > SMP_TEST_MAX_CPUS ? SMP_TEST_MAX_CPUS : n;
}

struct smp_gate {
	atomic_t ready;			/* jobs waiting at the line */
	volatile bool go;
};

struct smp_job {
	void (*fn)(void *arg);
	void *arg;
	int cpu;			/* the CPU it is bound to */
	int ran_on;			/* smp_processor_id() when fn started */
	struct smp_gate *gate;		/* NULL: start at once */
	volatile bool done;		/* fn returned */
};

static inline int smp_job_thread(void *data)
{
	struct smp_job *j = data;

	if (j->gate) {
		atomic_inc(&j->gate->ready);
		while (!READ_ONCE(j->gate->go) && !kthread_should_stop())
			cpu_relax();
	}
	if (!kthread_should_stop()) {
		j->ran_on = smp_processor_id();
		j->fn(j->arg);
	}
	WRITE_ONCE(j->done, true);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* Start fn(arg) in a thread bound to cpu (tracked in s); false if no thread could be made. */
static inline bool smp_job_start(struct st_threads *s, struct smp_job *j, int cpu,
				 void (*fn)(void *), void *arg, struct smp_gate *gate)
{
	struct task_struct *p;

	j->fn = fn;
	j->arg = arg;
	j->cpu = cpu;
	j->ran_on = -1;
	j->gate = gate;
	j->done = false;
	p = kthread_create(smp_job_thread, j, "smptest/%d", cpu);
	if (IS_ERR(p))
		return false;
	kthread_bind(p, (unsigned int)cpu);
	st_track(s, p);
	wake_up_process(p);
	return true;
}

/* Open the gate once all n jobs wait at it (up to ms); false if they did not all arrive. */
static inline bool smp_gate_open(struct smp_gate *g, int n, unsigned int ms)
{
	bool all = wait_until(atomic_read(&g->ready) >= n, ms);

	WRITE_ONCE(g->go, true);
	return all;
}

/* Wait up to ms for the n jobs in j[] to return. */
static inline bool smp_jobs_wait(struct smp_job *j, int n, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	for (int i = 0; i < n; i++)
		while (!READ_ONCE(j[i].done))
			if (ktime_get_ns() >= end)
				return false;
			else
				msleep(1);
	return true;
}

/* Busy (not sleeping) for ms milliseconds, in whatever context. */
static inline void smp_spin_ms(unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/* Spin until *flag is set or ms pass; whether it was set. For contexts that cannot sleep. */
static inline bool smp_spin_until(volatile int *flag, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (!READ_ONCE(*flag))
		if (ktime_get_ns() >= end)
			return false;
		else
			cpu_relax();
	return true;
}

/* Record v as a maximum seen in *max (atomically). */
static inline void smp_track_max(atomic_t *max, int v)
{
	int old = atomic_read(max);

	while (v > old) {
		int seen = atomic_cmpxchg(max, old, v);

		if (seen == old)
			break;
		old = seen;
	}
}

#endif
