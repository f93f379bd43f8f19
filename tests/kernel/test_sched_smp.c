/*
 * The scheduler across CPUs: new and waking tasks go to idle CPUs, the
 * periodic balance pulls a task from an overloaded CPU to a less loaded
 * one, set_cpus_allowed_ptr() moves a running task, and a bound task
 * never leaves its CPU. Hogs record the CPU they run on; the checks wait
 * generously, since balancing runs every few ticks on a slow emulator.
 */
#include "smp_test.h"
#include <kernel/errno.h>

static struct st_threads threads;

#define NR_HOGS	SMP_TEST_MAX_CPUS

static struct hog {
	struct task_struct *task;
	volatile int cpu;		/* where it last looked */
	volatile unsigned long cpus_seen;	/* bit per CPU it ran on */
	volatile unsigned long loops;
} hogs[NR_HOGS];

static int hog_fn(void *data)
{
	struct hog *h = data;

	while (!kthread_should_stop()) {
		int cpu = smp_processor_id();

		h->cpu = cpu;
		h->cpus_seen |= 1ul << cpu;
		h->loops++;
		cpu_relax();
	}
	return 0;
}

static struct task_struct *start_hog(struct hog *h, int n, const struct cpumask *start_on)
{
	h->cpu = -1;
	h->cpus_seen = 0;
	h->loops = 0;
	h->task = st_track(&threads, kthread_create(hog_fn, h, "smp-hog%d", n));
	if (IS_ERR(h->task))
		return NULL;
	if (start_on)
		set_cpus_allowed_ptr(h->task, start_on);
	wake_up_process(h->task);
	return h->task;
}

/* How many different CPUs the first n hogs are on right now. */
static int distinct_cpus(int n)
{
	unsigned long seen = 0;

	for (int i = 0; i < n; i++)
		if (hogs[i].cpu >= 0)
			seen |= 1ul << hogs[i].cpu;
	return (int)hweight64(seen);
}

/* As many CPU-bound threads as CPUs, created on this CPU, end up one per CPU. */
static void hogs_spread_over_cpus(struct ktest *t)
{
	int n;

	smp_require(t, 2);
	n = smp_test_cpus();
	for (int i = 0; i < n; i++)
		ASSERT_NOT_NULL(t, start_hog(&hogs[i], i, NULL));
	EXPECT_TRUE(t, wait_until(distinct_cpus(n) == n, 5000));
	ktest_info(t, "%d hogs on %d CPUs", n, distinct_cpus(n));
	for (int i = 0; i < n; i++)
		st_stop(&threads, hogs[i].task);
}

/* Two hogs held on CPU 0, then let go: the balance pulls one of them to another CPU. */
static void balance_pulls_from_busy_cpu(struct ktest *t)
{
	struct cpumask cpu0 = cpumask_of(0), all;
	unsigned long before;

	smp_require(t, 2);
	cpumask_clear(&all);
	for (unsigned int c = 0; c < num_online_cpus(); c++)
		cpumask_set_cpu(c, &all);
	ASSERT_NOT_NULL(t, start_hog(&hogs[0], 0, &cpu0));
	ASSERT_NOT_NULL(t, start_hog(&hogs[1], 1, &cpu0));
	EXPECT_TRUE(t, wait_until(hogs[0].loops && hogs[1].loops, 2000));
	EXPECT_EQ(t, hogs[0].cpu, 0);
	EXPECT_EQ(t, hogs[1].cpu, 0);
	before = hogs[0].task->nr_migrations + hogs[1].task->nr_migrations;
	set_cpus_allowed_ptr(hogs[0].task, &all);
	set_cpus_allowed_ptr(hogs[1].task, &all);
	EXPECT_TRUE(t, wait_until(hogs[0].cpu != hogs[1].cpu, 5000));
	EXPECT_GT(t, hogs[0].task->nr_migrations + hogs[1].task->nr_migrations, before);
	st_stop(&threads, hogs[0].task);
	st_stop(&threads, hogs[1].task);
}

/* set_cpus_allowed_ptr() on a running task moves it to an allowed CPU, and it stays there. */
static void affinity_moves_running_task(struct ktest *t)
{
	int target = (int)num_online_cpus() - 1;
	struct cpumask only = cpumask_of((unsigned int)target);
	struct cpumask none;

	smp_require(t, 2);
	cpumask_clear(&none);
	ASSERT_NOT_NULL(t, start_hog(&hogs[0], 0, NULL));
	EXPECT_TRUE(t, wait_until(hogs[0].loops, 2000));
	EXPECT_EQ(t, set_cpus_allowed_ptr(hogs[0].task, &none), -EINVAL);
	EXPECT_EQ(t, set_cpus_allowed_ptr(hogs[0].task, &only), 0);
	EXPECT_TRUE(t, wait_until(hogs[0].cpu == target, 3000));
	hogs[0].cpus_seen = 0;
	msleep(100);
	EXPECT_EQ(t, hogs[0].cpus_seen, 1ul << target);
	st_stop(&threads, hogs[0].task);
}

/* The test thread itself moves when its affinity excludes its CPU, and comes back. */
static void affinity_moves_caller(struct ktest *t)
{
	struct cpumask cpu1 = cpumask_of(1), cpu0 = cpumask_of(0);

	smp_require(t, 2);
	ASSERT_EQ(t, set_cpus_allowed_ptr(current, &cpu1), 0);
	EXPECT_EQ(t, smp_processor_id(), 1);
	ASSERT_EQ(t, set_cpus_allowed_ptr(current, &cpu0), 0);
	EXPECT_EQ(t, smp_processor_id(), 0);
}

/* A bound thread never leaves its CPU, however loaded that CPU is. */
static void bound_task_never_migrates(struct ktest *t)
{
	smp_require(t, 2);
	for (int i = 0; i < 3; i++) {
		hogs[i].cpu = -1;
		hogs[i].cpus_seen = 0;
		hogs[i].loops = 0;
		hogs[i].task = st_track(&threads, st_kthread_create(hog_fn, &hogs[i], "bound-hog%d", i));
		ASSERT_FALSE(t, IS_ERR(hogs[i].task));
		wake_up_process(hogs[i].task);
	}
	msleep(200);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(t, hogs[i].cpus_seen, 1ul << smp_processor_id());
		EXPECT_EQ(t, hogs[i].task->nr_migrations, 0ul);
		st_stop(&threads, hogs[i].task);
	}
}

static void sched_smp_exit(struct ktest *t)
{
	st_stop_all(&threads);
}

static struct ktest_case sched_smp_cases[] = {
	KTEST_CASE(hogs_spread_over_cpus),
	KTEST_CASE(balance_pulls_from_busy_cpu),
	KTEST_CASE(affinity_moves_running_task),
	KTEST_CASE(affinity_moves_caller),
	KTEST_CASE(bound_task_never_migrates),
	{}
};
KTEST_SUITE(sched_smp, sched_smp_cases, .exit = sched_smp_exit);
