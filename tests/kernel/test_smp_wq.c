/*
 * Workqueues across CPUs: queue_work_on(cpu) runs in kworker/cpu:M on
 * that CPU; every CPU has its two pools; a work item queued from every
 * CPU in a tight loop never runs on two CPUs at once and runs exactly
 * once per successful queueing (Linux's non-reentrancy); flush_work(),
 * cancel_work_sync() and flush_workqueue() cover items on any CPU;
 * WQ_UNBOUND items run on some online CPU; delayed work queued on a CPU
 * fires there. Every case needs two CPUs at least and skips with one.
 */
#include <kernel/ktest.h>
#include <kernel/workqueue.h>
#include <kernel/string.h>
#include <kernel/bitops.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include "smp_test.h"
#include "workqueue_test.h"

static struct st_threads wq_threads;
static struct smp_job jobs[SMP_TEST_MAX_CPUS];
static struct smp_gate gate;

static int smp_wq_init(struct ktest *t)
{
	memset(jobs, 0, sizeof(jobs));
	memset(&gate, 0, sizeof(gate));
	return 0;
}

static void smp_wq_exit(struct ktest *t)
{
	WRITE_ONCE(gate.go, true);
	st_stop_all(&wq_threads);
}

struct rec_work {
	struct work_struct work;
	struct delayed_work dwork;
	atomic_t runs, depth, overlaps;
	volatile int cpu;
	char comm[TASK_COMM_LEN];
	unsigned int spin_ms;		/* busy this long in each run */
	unsigned int sleep_ms;		/* then asleep this long */
	volatile int started, finished;
	unsigned long cpus;		/* bit per CPU it ran on */
};

static void rec_run(struct rec_work *r)
{
	if (atomic_inc_return(&r->depth) > 1)
		atomic_inc(&r->overlaps);
	r->cpu = smp_processor_id();
	set_bit((unsigned int)smp_processor_id(), &r->cpus);
	memcpy(r->comm, current->comm, sizeof(r->comm));
	WRITE_ONCE(r->started, 1);
	if (r->spin_ms)
		smp_spin_ms(r->spin_ms);
	if (r->sleep_ms)
		msleep(r->sleep_ms);
	atomic_inc(&r->runs);
	WRITE_ONCE(r->finished, 1);
	atomic_dec(&r->depth);
}

static void rec_fn(struct work_struct *w)
{
	rec_run(container_of(w, struct rec_work, work));
}

static void rec_dfn(struct work_struct *w)
{
	rec_run(container_of(to_delayed_work(w), struct rec_work, dwork));
}

static void rec_init(struct rec_work *r)
{
	memset(r, 0, sizeof(*r));
	INIT_WORK(&r->work, rec_fn);
	INIT_DELAYED_WORK(&r->dwork, rec_dfn);
	r->cpu = -1;
}

static struct rec_work rw[SMP_TEST_MAX_CPUS];

static bool comm_is_kworker_of(const char *comm, int cpu)
{
	char prefix[24];

	snprintf(prefix, sizeof(prefix), "kworker/%d:", cpu);
	return str_starts(comm, prefix);
}

static void queue_work_on_runs_on_that_cpu(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	for (int cpu = 0; cpu < n; cpu++) {
		rec_init(&rw[cpu]);
		EXPECT_TRUE(t, queue_work_on(cpu, system_wq, &rw[cpu].work));
	}
	for (int cpu = 0; cpu < n; cpu++) {
		flush_work(&rw[cpu].work);
		EXPECT_EQ(t, atomic_read(&rw[cpu].runs), 1);
		EXPECT_EQ(t, rw[cpu].cpu, cpu);
		if (!comm_is_kworker_of(rw[cpu].comm, cpu))
			ktest_fail(t, __FILE__, __LINE__, "CPU%d's item ran in %s", cpu, rw[cpu].comm);
	}
	/* the high-priority pools too: kworker/N:MH */
	for (int cpu = 0; cpu < n; cpu++) {
		rec_init(&rw[cpu]);
		EXPECT_TRUE(t, queue_work_on(cpu, system_highpri_wq, &rw[cpu].work));
	}
	for (int cpu = 0; cpu < n; cpu++) {
		flush_work(&rw[cpu].work);
		EXPECT_EQ(t, rw[cpu].cpu, cpu);
		EXPECT_TRUE(t, comm_is_kworker_of(rw[cpu].comm, cpu) && str_ends_with(rw[cpu].comm, 'H'));
	}
}

static void pools_for_every_cpu(struct ktest *t)
{
	char name[24];

	smp_require(t, 2);
	for (int cpu = 0; cpu < (int)num_online_cpus(); cpu++) {
		snprintf(name, sizeof(name), "kworker/%d:0", cpu);
		EXPECT_TRUE(t, task_named_exists(name));
		snprintf(name, sizeof(name), "kworker/%d:0H", cpu);
		EXPECT_TRUE(t, task_named_exists(name));
		snprintf(name, sizeof(name), "kworker/%d:", cpu);
		EXPECT_GE(t, count_kworkers(name, false), 1);
		EXPECT_GE(t, count_kworkers(name, true), 1);
	}
}

/* One item queued from every CPU as fast as possible. */
static struct {
	struct rec_work r;
	atomic_t queued;		/* queue_work_on() calls that returned true */
	volatile u64 ms;
} ham;

static void wq_hammer_job(void *arg)
{
	struct smp_job *self = arg;
	u64 end = ktime_get_ns() + ham.ms * NSEC_PER_MSEC;
	int n = smp_test_cpus();
	unsigned int i = (unsigned int)self->cpu;

	while (ktime_get_ns() < end) {
		/* on this CPU, on another one, or wherever the workqueue likes */
		int cpu = (i % 3 == 0) ? WORK_CPU_UNBOUND : (int)(i % (unsigned int)n);

		if (queue_work_on(cpu, system_wq, &ham.r.work))
			atomic_inc(&ham.queued);
		udelay(i % 13);
		i++;
	}
}

static void work_never_runs_twice_at_once(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	memset(&ham, 0, sizeof(ham));
	rec_init(&ham.r);
	ham.r.spin_ms = 1;		/* long enough to be requeued elsewhere while it runs */
	ham.ms = 400;
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&wq_threads, &jobs[cpu], cpu, wq_hammer_job, &jobs[cpu], &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 30000));
	flush_work(&ham.r.work);
	ktest_info(t, "%d queued, %d runs, on CPUs %#lx", atomic_read(&ham.queued),
		   atomic_read(&ham.r.runs), ham.r.cpus);
	EXPECT_EQ(t, atomic_read(&ham.r.overlaps), 0);
	/* each successful queueing is one run, no more and no less */
	EXPECT_EQ(t, atomic_read(&ham.r.runs), atomic_read(&ham.queued));
	EXPECT_FALSE(t, work_pending(&ham.r.work));
}

static void queue_own_job(void *arg)
{
	struct rec_work *r = arg;

	queue_work(system_wq, &r->work);
}

/* Queued by a thread on each CPU (on its own CPU); flush_work() from here waits for each. */
static void flush_work_sees_every_cpu(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	for (int cpu = 0; cpu < n; cpu++) {
		rec_init(&rw[cpu]);
		rw[cpu].spin_ms = 5;
		rw[cpu].sleep_ms = 20;
		ASSERT_TRUE(t, smp_job_start(&wq_threads, &jobs[cpu], cpu, queue_own_job, &rw[cpu], NULL));
	}
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 10000));
	for (int cpu = 0; cpu < n; cpu++) {
		flush_work(&rw[cpu].work);
		EXPECT_EQ(t, rw[cpu].finished, 1);
		EXPECT_EQ(t, rw[cpu].cpu, cpu);
	}
}

static volatile int finished_at_return;
static volatile int cancel_ret;

static void cancel_sync_job(void *arg)
{
	struct rec_work *r = arg;

	if (!smp_spin_until(&r->started, 5000))
		return;
	cancel_ret = cancel_work_sync(&r->work);
	finished_at_return = r->finished;
}

/* The item spins 30 ms in kworker/1; cancel_work_sync() on CPU 0 returns after it. */
static void cancel_work_sync_waits_for_other_cpu(struct ktest *t)
{
	smp_require(t, 2);
	rec_init(&rw[0]);
	rw[0].spin_ms = 30;
	finished_at_return = -1;
	cancel_ret = -1;
	ASSERT_TRUE(t, smp_job_start(&wq_threads, &jobs[0], 0, cancel_sync_job, &rw[0], NULL));
	EXPECT_TRUE(t, queue_work_on(1, system_wq, &rw[0].work));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 1, 10000));
	EXPECT_EQ(t, rw[0].cpu, 1);
	EXPECT_EQ(t, finished_at_return, 1);
	EXPECT_EQ(t, cancel_ret, 0);		/* it was running, not pending */
	EXPECT_EQ(t, atomic_read(&rw[0].runs), 1);
}

/* Items on every CPU's pwq of one workqueue: flush_workqueue() waits for all. */
#define PER_CPU_ITEMS	4

static struct rec_work fw[SMP_TEST_MAX_CPUS][PER_CPU_ITEMS];

static void flush_workqueue_covers_every_cpu(struct ktest *t)
{
	int n = smp_test_cpus();
	struct workqueue_struct *wq;
	int done = 0, wrong_cpu = 0;

	smp_require(t, 2);
	wq = alloc_workqueue("smp_flush", 0, 0);
	ASSERT_NOT_NULL(t, wq);
	for (int cpu = 0; cpu < n; cpu++)
		for (int i = 0; i < PER_CPU_ITEMS; i++) {
			rec_init(&fw[cpu][i]);
			fw[cpu][i].sleep_ms = 10 + 5 * i;
			queue_work_on(cpu, wq, &fw[cpu][i].work);
		}
	flush_workqueue(wq);
	for (int cpu = 0; cpu < n; cpu++)
		for (int i = 0; i < PER_CPU_ITEMS; i++) {
			done += fw[cpu][i].finished;
			if (fw[cpu][i].cpu != cpu)
				wrong_cpu++;
		}
	EXPECT_EQ(t, done, n * PER_CPU_ITEMS);
	EXPECT_EQ(t, wrong_cpu, 0);
	destroy_workqueue(wq);
}

static void queue_unbound_job(void *arg)
{
	struct rec_work *r = arg;

	queue_work(system_unbound_wq, &r->work);
}

/* WQ_UNBOUND: queued from every CPU, each runs once, on some online CPU (recorded). */
static void unbound_work_from_every_cpu(struct ktest *t)
{
	int n = smp_test_cpus();
	unsigned long where = 0;

	smp_require(t, 2);
	for (int cpu = 0; cpu < n; cpu++) {
		rec_init(&rw[cpu]);
		rw[cpu].sleep_ms = 5;
		ASSERT_TRUE(t, smp_job_start(&wq_threads, &jobs[cpu], cpu, queue_unbound_job, &rw[cpu], NULL));
	}
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 10000));
	for (int cpu = 0; cpu < n; cpu++) {
		flush_work(&rw[cpu].work);
		EXPECT_EQ(t, atomic_read(&rw[cpu].runs), 1);
		EXPECT_TRUE(t, cpu_online(rw[cpu].cpu));
		EXPECT_TRUE(t, str_starts(rw[cpu].comm, "kworker/u"));
		where |= 1UL << rw[cpu].cpu;
	}
	ktest_info(t, "unbound items ran on CPUs %#lx", where);
}

static void delayed_work_fires_on_its_cpu(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	for (int cpu = 0; cpu < n; cpu++) {
		rec_init(&rw[cpu]);
		EXPECT_TRUE(t, queue_delayed_work_on(cpu, system_wq, &rw[cpu].dwork, 2));
	}
	for (int cpu = 0; cpu < n; cpu++) {
		EXPECT_TRUE(t, wait_until(atomic_read(&rw[cpu].runs) == 1, 5000));
		flush_delayed_work(&rw[cpu].dwork);
		EXPECT_EQ(t, rw[cpu].cpu, cpu);
		EXPECT_TRUE(t, comm_is_kworker_of(rw[cpu].comm, cpu));
	}
}

static struct ktest_case smp_wq_cases[] = {
	KTEST_CASE(queue_work_on_runs_on_that_cpu),
	KTEST_CASE(pools_for_every_cpu),
	KTEST_CASE(work_never_runs_twice_at_once),
	KTEST_CASE(flush_work_sees_every_cpu),
	KTEST_CASE(cancel_work_sync_waits_for_other_cpu),
	KTEST_CASE(flush_workqueue_covers_every_cpu),
	KTEST_CASE(unbound_work_from_every_cpu),
	KTEST_CASE(delayed_work_fires_on_its_cpu),
	{}
};

KTEST_SUITE(smp_wq, smp_wq_cases, .init = smp_wq_init, .exit = smp_wq_exit);
