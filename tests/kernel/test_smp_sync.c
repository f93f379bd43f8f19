/*
 * Sleeping and spinning locks, wait queues and completions across CPUs:
 * a mutex contended from every CPU keeps one holder at a time; complete()
 * on one CPU wakes a waiter on another promptly (a reschedule IPI reaches
 * it); a hard IRQ on one CPU wakes a task bound to another; a spinlock
 * taken a million times from every CPU loses no increment; spin_trylock()
 * fails while another CPU holds the lock and succeeds once it let go.
 * Every case needs two CPUs at least and skips with one.
 */
#include <kernel/ktest.h>
#include <kernel/mutex.h>
#include <kernel/completion.h>
#include <kernel/wait.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <asm/hw_irq.h>
#include "smp_test.h"
#include "bh_irq_source.h"

static struct st_threads sync_threads;
static struct smp_job jobs[SMP_TEST_MAX_CPUS];
static struct smp_gate gate;

static int smp_sync_init(struct ktest *t)
{
	memset(jobs, 0, sizeof(jobs));
	memset(&gate, 0, sizeof(gate));
	return 0;
}

static void smp_sync_exit(struct ktest *t)
{
	WRITE_ONCE(gate.go, true);
	st_stop_all(&sync_threads);
	bh_src_teardown();
}

/* ---- mutex ---- */

static DEFINE_MUTEX(smp_mutex);
static struct {
	atomic_t inside, overlaps;
	volatile unsigned long counter;	/* plain increments, under the mutex */
	unsigned int rounds;
} mx;

static void mutex_job(void *arg)
{
	for (unsigned int i = 0; i < mx.rounds; i++) {
		mutex_lock(&smp_mutex);
		if (atomic_inc_return(&mx.inside) > 1)
			atomic_inc(&mx.overlaps);
		mx.counter = mx.counter + 1;
		if (i % 8 == 0)
			msleep(1);		/* a holder that sleeps: the others block, not spin */
		else
			udelay(20);
		atomic_dec(&mx.inside);
		mutex_unlock(&smp_mutex);
	}
}

static void mutex_excludes_across_cpus(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	memset(&mx, 0, sizeof(mx));
	mx.rounds = 100;
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[cpu], cpu, mutex_job, NULL, &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 60000));
	EXPECT_EQ(t, atomic_read(&mx.overlaps), 0);
	EXPECT_EQ(t, mx.counter, (unsigned long)n * mx.rounds);
	EXPECT_FALSE(t, mutex_is_locked(&smp_mutex));
}

/* ---- completion: waiter on CPU 0, complete() on CPU 1 ---- */

static DECLARE_COMPLETION(smp_done);
static struct task_struct *waiter_task;
static volatile u64 completed_at, woke_at;
static volatile unsigned long wait_left;

static void completion_wait_job(void *arg)
{
	waiter_task = current;
	wait_left = wait_for_completion_timeout(&smp_done, msecs_to_jiffies(10000));
	woke_at = ktime_get_ns();
}

static void completion_complete_job(void *arg)
{
	completed_at = ktime_get_ns();
	complete(&smp_done);
}

static void complete_wakes_waiter_on_other_cpu(struct ktest *t)
{
	unsigned int res_before;

	smp_require(t, 2);
	reinit_completion(&smp_done);
	waiter_task = NULL;
	completed_at = woke_at = 0;
	/*
	 * The waiter sleeps on CPU 1, which then has nothing else to do; the
	 * completion comes from CPU 0 (where the runner sleeps meanwhile). A
	 * CPU running something else might not need an IPI for the wake-up
	 * (the woken task need not preempt what runs there); an idle one does.
	 */
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[0], 1, completion_wait_job, NULL, NULL));
	ASSERT_TRUE(t, wait_until(READ_ONCE(waiter_task) && task_sleeping(waiter_task), 5000));
	res_before = per_cpu(irq_stat.resched_irqs, 1);
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[1], 0, completion_complete_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 2, 10000));
	EXPECT_GT(t, wait_left, 0);
	EXPECT_EQ(t, jobs[0].ran_on, 1);
	EXPECT_EQ(t, jobs[1].ran_on, 0);
	ktest_info(t, "woken %llu us after complete(); CPU1 took %u reschedule IPIs",
		   (unsigned long long)((woke_at - completed_at) / 1000),
		   per_cpu(irq_stat.resched_irqs, 1) - res_before);
	/* promptly: well under the 10 s timeout even on a slow host */
	EXPECT_LT(t, woke_at - completed_at, 1000 * NSEC_PER_MSEC);
	/* a wake-up from another CPU reaches the idle CPU 1 by IPI */
	EXPECT_GT(t, per_cpu(irq_stat.resched_irqs, 1) - res_before, 0);
}

/* ---- wake_up() from a hard IRQ on one CPU, of a task bound to another ---- */

static DECLARE_WAIT_QUEUE_HEAD(irq_wq);
static volatile int irq_cond;
static volatile int irq_cpu;
static volatile long irq_wait_ret;
static volatile int waiter_cpu;

static void irq_wake_fn(void)
{
	irq_cpu = smp_processor_id();
	WRITE_ONCE(irq_cond, 1);
	wake_up(&irq_wq);
}

static void irq_fire_job(void *arg)
{
	bh_src_fire();
}

static void irq_wait_job(void *arg)
{
	waiter_task = current;
	irq_wait_ret = wait_event_timeout(irq_wq, READ_ONCE(irq_cond), msecs_to_jiffies(10000));
	waiter_cpu = smp_processor_id();
}

static void wake_up_from_hardirq_on_other_cpu(struct ktest *t)
{
	int irq_on, wait_on;

	smp_require(t, 2);
	bh_src_setup(t, NULL);
	/* where does the interrupt arrive? (a self-IPI: where it is fired; a device line: where it is routed) */
	irq_cond = 0;
	irq_cpu = -1;
	bh_src.fn = irq_wake_fn;
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[0], 1, irq_fire_job, NULL, NULL));
	ASSERT_TRUE(t, wait_until(READ_ONCE(irq_cond), 5000));
	irq_on = irq_cpu;
	wait_on = irq_on == 0 ? 1 : 0;
	ktest_info(t, "the interrupt arrives on CPU%d; the waiter is on CPU%d", irq_on, wait_on);

	irq_cond = 0;
	irq_cpu = -1;
	waiter_task = NULL;
	irq_wait_ret = -1;
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[1], wait_on, irq_wait_job, NULL, NULL));
	ASSERT_TRUE(t, wait_until(READ_ONCE(waiter_task) && task_sleeping(waiter_task), 5000));
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[2], irq_on, irq_fire_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(&jobs[1], 2, 10000));
	EXPECT_EQ(t, irq_cpu, irq_on);
	EXPECT_EQ(t, waiter_cpu, wait_on);
	EXPECT_GT(t, irq_wait_ret, 0);		/* woken, not timed out */
	bh_src_teardown();
}

/* ---- spinlocks ---- */

#define SPIN_TOTAL	1000000

static DEFINE_SPINLOCK(smp_lock);
static struct {
	volatile unsigned long counter;	/* plain increments, under smp_lock */
	volatile int inside;
	atomic_t overlaps;
	unsigned long per_cpu_rounds;
	atomic_t trylock_ok;
	volatile int holding, release;
} sp;

/*
 * SPIN_TOTAL / n rounds per CPU, or as many as fit in SPIN_MAX_MS: on a
 * host that deschedules a vCPU holding the lock the others spin for a
 * host time slice each time, and a million rounds can take minutes. The
 * check stays exact: the counter must equal the rounds the CPUs did.
 */
#define SPIN_MAX_MS	15000

static atomic_long_t spin_rounds_done;

static void spin_count_job(void *arg)
{
	u64 end = ktime_get_ns() + SPIN_MAX_MS * NSEC_PER_MSEC;
	unsigned long flags, i;

	for (i = 0; i < sp.per_cpu_rounds; i++) {
		spin_lock_irqsave(&smp_lock, flags);
		sp.counter = sp.counter + 1;
		spin_unlock_irqrestore(&smp_lock, flags);
		if (!(i & 15) && ktime_get_ns() > end)
			break;
	}
	if (i < sp.per_cpu_rounds)
		i++;		/* the round that saw the time run out was done too */
	atomic_long_add_return((long)i, &spin_rounds_done);
}

static void spinlock_counts_exactly(struct ktest *t)
{
	int n = smp_test_cpus();
	u64 start;

	smp_require(t, 2);
	memset(&sp, 0, sizeof(sp));
	atomic_long_set(&spin_rounds_done, 0);
	sp.per_cpu_rounds = SPIN_TOTAL / (unsigned long)n;
	start = ktime_get_ns();
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[cpu], cpu, spin_count_job, NULL, &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, SPIN_MAX_MS + 60000));
	ktest_info(t, "%ld lock/unlock pairs on %d CPUs in %llu ms", atomic_long_read(&spin_rounds_done),
		   n, (unsigned long long)((ktime_get_ns() - start) / NSEC_PER_MSEC));
	EXPECT_EQ(t, sp.counter, (unsigned long)atomic_long_read(&spin_rounds_done));
	EXPECT_GT(t, sp.counter, 0);
	EXPECT_FALSE(t, spin_is_locked(&smp_lock));
}

static void spin_hold_job(void *arg)
{
	spin_lock(&smp_lock);
	WRITE_ONCE(sp.holding, 1);
	smp_spin_until(&sp.release, 10000);
	spin_unlock(&smp_lock);
	WRITE_ONCE(sp.holding, 0);
}

static void spin_trylock_job(void *arg)
{
	unsigned long rounds = (unsigned long)arg;

	for (unsigned long i = 0; i < rounds; i++) {
		if (!spin_trylock(&smp_lock)) {
			cpu_relax();
			continue;
		}
		if (++sp.inside > 1)
			atomic_inc(&sp.overlaps);
		sp.counter = sp.counter + 1;
		atomic_inc(&sp.trylock_ok);
		sp.inside--;
		spin_unlock(&smp_lock);
	}
}

static void spin_trylock_across_cpus(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	memset(&sp, 0, sizeof(sp));
	/* CPU 1 holds it: trying on CPU 0 fails, however often */
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[1], 1, spin_hold_job, NULL, NULL));
	ASSERT_TRUE(t, wait_until(READ_ONCE(sp.holding), 5000));
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[0], 0, spin_trylock_job, (void *)1000UL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 1, 10000));
	EXPECT_EQ(t, atomic_read(&sp.trylock_ok), 0);
	EXPECT_TRUE(t, spin_is_locked(&smp_lock));
	/* let go: now it succeeds */
	WRITE_ONCE(sp.release, 1);
	ASSERT_TRUE(t, smp_jobs_wait(&jobs[1], 1, 10000));
	ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[2], 0, spin_trylock_job, (void *)1UL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(&jobs[2], 1, 10000));
	EXPECT_EQ(t, atomic_read(&sp.trylock_ok), 1);

	/* every CPU trying at once: one holder at a time, and each success counted */
	st_stop_all(&sync_threads);
	memset(jobs, 0, sizeof(jobs));
	memset(&gate, 0, sizeof(gate));
	memset(&sp, 0, sizeof(sp));
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&sync_threads, &jobs[cpu], cpu, spin_trylock_job,
					     (void *)100000UL, &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 60000));
	ktest_info(t, "%d of %d tries took the lock", atomic_read(&sp.trylock_ok), n * 100000);
	EXPECT_EQ(t, atomic_read(&sp.overlaps), 0);
	EXPECT_EQ(t, sp.counter, (unsigned long)atomic_read(&sp.trylock_ok));
	EXPECT_GT(t, atomic_read(&sp.trylock_ok), 0);
}

static struct ktest_case smp_sync_cases[] = {
	KTEST_CASE(mutex_excludes_across_cpus),
	KTEST_CASE(complete_wakes_waiter_on_other_cpu),
	KTEST_CASE(wake_up_from_hardirq_on_other_cpu),
	KTEST_CASE(spinlock_counts_exactly),
	KTEST_CASE(spin_trylock_across_cpus),
	{}
};

KTEST_SUITE(smp_sync, smp_sync_cases, .init = smp_sync_init, .exit = smp_sync_exit);
