/*
 * Bottom halves across CPUs: tasklets, softirqs and timers hammered from
 * threads bound to every CPU at once. What Linux promises and what is
 * checked here:
 *   tasklets: one run per scheduling while not SCHED, never two runs at
 *     once anywhere; a run on the CPU that scheduled it; tasklet_disable()
 *     and tasklet_kill() wait for an instance on another CPU;
 *   softirqs: raised on CPU N, run on CPU N (in ksoftirqd/N, if a
 *     ksoftirqd); counted in CPU N's column of the table;
 *   timers: added on CPU N, fired on CPU N; del_timer_sync() waits for a
 *     function running on another CPU; mod_timer() from another CPU while
 *     it runs keeps it there and never runs it twice at once; thousands
 *     added from every CPU at once each fire exactly once.
 * Every case needs two CPUs at least and skips with one.
 */
#include <kernel/ktest.h>
#include <kernel/interrupt.h>
#include <kernel/bottom_half.h>
#include <kernel/timer.h>
#include <kernel/string.h>
#include <kernel/bitops.h>
#include <kernel/printk.h>
#include <kernel/vmalloc.h>
#include <kernel/kernel.h>
#include "smp_test.h"

static struct st_threads bh_threads;
static struct smp_job jobs[SMP_TEST_MAX_CPUS];
static struct smp_gate gate;

static int smp_bh_init(struct ktest *t)
{
	memset(jobs, 0, sizeof(jobs));
	memset(&gate, 0, sizeof(gate));
	return 0;
}

static void smp_bh_exit(struct ktest *t)
{
	/* make a gated job that never saw the gate open go on to its stop check */
	WRITE_ONCE(gate.go, true);
	st_stop_all(&bh_threads);
}

/* ---- tasklets ---- */

static struct {
	struct tasklet_struct t;
	atomic_t depth, overlaps, runs;
	atomic_long_t requested;	/* tasklet_schedule() calls about to be made */
	volatile long seen;		/* requested, as the last run saw it on entry */
	unsigned long cpus;		/* bit per CPU it ran on */
	volatile int last_cpu;
	unsigned int spin_us;
	volatile int started, finished;
	volatile u64 hammer_ms;
} tl;

static void tl_fn(struct tasklet_struct *t)
{
	if (atomic_inc_return(&tl.depth) > 1)
		atomic_inc(&tl.overlaps);
	/* SCHED is already clear: every request counted before this is covered by this run */
	tl.seen = atomic_long_read(&tl.requested);
	tl.last_cpu = smp_processor_id();
	set_bit((unsigned int)smp_processor_id(), &tl.cpus);
	atomic_inc(&tl.runs);
	WRITE_ONCE(tl.started, 1);
	if (tl.spin_us)
		udelay(tl.spin_us);
	WRITE_ONCE(tl.finished, 1);
	atomic_dec(&tl.depth);
}

static void tl_reset(unsigned int spin_us)
{
	memset(&tl, 0, sizeof(tl));
	tasklet_setup(&tl.t, tl_fn);
	tl.spin_us = spin_us;
}

static bool tl_idle(void)
{
	return !test_bit(TASKLET_STATE_SCHED, &tl.t.state) && !test_bit(TASKLET_STATE_RUN, &tl.t.state);
}

static void tl_schedule_job(void *arg)
{
	atomic_long_inc(&tl.requested);
	tasklet_schedule(&tl.t);
}

static void tasklet_runs_on_scheduling_cpu(struct ktest *t)
{
	smp_require(t, 2);
	for (int cpu = 0; cpu < smp_test_cpus(); cpu++) {
		tl_reset(0);
		ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[cpu], cpu, tl_schedule_job, NULL, NULL));
		ASSERT_TRUE(t, wait_until(atomic_read(&tl.runs) == 1 && tl_idle(), 5000));
		EXPECT_EQ(t, tl.last_cpu, cpu);
		EXPECT_EQ(t, jobs[cpu].ran_on, cpu);
	}
}

/* Schedule the tasklet as fast as possible for tl.hammer_ms, from one CPU. */
static void tl_hammer_job(void *arg)
{
	u64 end = ktime_get_ns() + tl.hammer_ms * NSEC_PER_MSEC;
	unsigned long i = 0;

	while (ktime_get_ns() < end) {
		atomic_long_inc(&tl.requested);
		if (i++ & 1)
			tasklet_schedule(&tl.t);
		else
			tasklet_hi_schedule(&tl.t);
		udelay(i % 7);
	}
}

static void tasklet_hammered_from_all_cpus(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	tl_reset(200);		/* a long body: the other CPUs schedule it while it runs */
	tl.hammer_ms = 400;
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[cpu], cpu, tl_hammer_job, NULL, &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 30000));
	ASSERT_TRUE(t, wait_until(tl_idle(), 5000));
	ktest_info(t, "%ld schedules, %d runs, on CPUs %#lx", atomic_long_read(&tl.requested),
		   atomic_read(&tl.runs), tl.cpus);
	EXPECT_EQ(t, atomic_read(&tl.overlaps), 0);
	EXPECT_GE(t, atomic_read(&tl.runs), 1);
	EXPECT_LE(t, (long)atomic_read(&tl.runs), atomic_long_read(&tl.requested));
	/* no request lost: the last run started after the last request was counted */
	EXPECT_EQ(t, tl.seen, atomic_long_read(&tl.requested));
	/* it ran only where it was scheduled from */
	EXPECT_EQ(t, tl.cpus & ~((1UL << n) - 1), 0);
	tasklet_kill(&tl.t);
}

/* The tasklet body spins 30 ms on CPU 1; CPU 0 disables it meanwhile. */
static volatile int finished_at_return;

static void tl_disable_job(void *arg)
{
	if (!smp_spin_until(&tl.started, 5000))
		return;
	tasklet_disable(&tl.t);
	finished_at_return = tl.finished;
}

static void tasklet_disable_waits_for_other_cpu(struct ktest *t)
{
	smp_require(t, 2);
	tl_reset(30000);
	finished_at_return = -1;
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[0], 0, tl_disable_job, NULL, NULL));
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[1], 1, tl_schedule_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 2, 10000));
	EXPECT_EQ(t, tl.started, 1);
	EXPECT_EQ(t, finished_at_return, 1);
	EXPECT_EQ(t, tl.last_cpu, 1);
	tasklet_enable(&tl.t);
	tasklet_kill(&tl.t);
}

static void tl_kill_job(void *arg)
{
	bool wait_start = (bool)(uintptr_t)arg;

	if (wait_start && !smp_spin_until(&tl.started, 5000))
		return;
	tasklet_kill(&tl.t);
	finished_at_return = tl.finished;
}

/* tasklet_kill() on CPU 0 while the body runs on CPU 1: it returns after the body. */
static void tasklet_kill_waits_for_running_on_other_cpu(struct ktest *t)
{
	smp_require(t, 2);
	tl_reset(30000);
	finished_at_return = -1;
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[0], 0, tl_kill_job, (void *)1, NULL));
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[1], 1, tl_schedule_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 2, 10000));
	EXPECT_EQ(t, finished_at_return, 1);
	EXPECT_EQ(t, atomic_read(&tl.runs), 1);
	EXPECT_TRUE(t, tl_idle());
}

/*
 * tasklet_kill() on CPU 0 of a tasklet queued (disabled) on CPU 1: it
 * waits until the tasklet, enabled later, has run there.
 */
static void tasklet_kill_waits_for_scheduled_on_other_cpu(struct ktest *t)
{
	smp_require(t, 2);
	tl_reset(0);
	finished_at_return = -1;
	tasklet_disable(&tl.t);
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[1], 1, tl_schedule_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(&jobs[1], 1, 5000));
	EXPECT_TRUE(t, test_bit(TASKLET_STATE_SCHED, &tl.t.state));
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[0], 0, tl_kill_job, (void *)0, NULL));
	msleep(50);
	EXPECT_FALSE(t, jobs[0].done);		/* still waiting for the queued run */
	EXPECT_EQ(t, atomic_read(&tl.runs), 0);
	tasklet_enable(&tl.t);
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 1, 10000));
	EXPECT_EQ(t, finished_at_return, 1);
	EXPECT_EQ(t, atomic_read(&tl.runs), 1);
	EXPECT_EQ(t, tl.last_cpu, 1);
}

/* ---- softirqs ---- */

#define SIRQ_SMP	BLOCK_SOFTIRQ	/* unused by the kernel: borrowed */
#define SIRQ_ROUNDS	5

static struct {
	atomic_t runs[SMP_TEST_MAX_CPUS];
	atomic_t in_ksoftirqd[SMP_TEST_MAX_CPUS];
	atomic_t wrong_ksoftirqd;	/* ran in ksoftirqd/M on a CPU other than M */
	atomic_t wrong_cpu;		/* raised on one CPU, ran on another */
} sq;

static void sirq_action(struct softirq_action *a)
{
	int cpu = smp_processor_id();

	for (int c = 0; c < (int)num_online_cpus(); c++)
		if (current == ksoftirqd_task(c)) {
			if (c != cpu)
				atomic_inc(&sq.wrong_ksoftirqd);
			else if (cpu < SMP_TEST_MAX_CPUS)
				atomic_inc(&sq.in_ksoftirqd[cpu]);
		}
	if (cpu < SMP_TEST_MAX_CPUS)
		atomic_inc(&sq.runs[cpu]);
}

/* Raise it SIRQ_ROUNDS times under local_bh_disable() (run at the enable), then once from plain task context (ksoftirqd). */
static void sirq_job(void *arg)
{
	struct smp_job *self = arg;

	for (int i = 0; i < SIRQ_ROUNDS; i++) {
		local_bh_disable();
		raise_softirq(SIRQ_SMP);
		raise_softirq(SIRQ_SMP);	/* twice while pending: one run */
		local_bh_enable();
		if (atomic_read(&sq.runs[self->cpu]) != i + 1)
			atomic_inc(&sq.wrong_cpu);
	}
	raise_softirq(SIRQ_SMP);
}

static void softirq_runs_on_raising_cpu(struct ktest *t)
{
	int n = smp_test_cpus();
	unsigned long before[SMP_TEST_MAX_CPUS];
	void (*saved)(struct softirq_action *) = softirq_action_of(SIRQ_SMP);
	unsigned long mark;
	const char *log;
	char want[32 + 11 * SMP_TEST_MAX_CPUS];
	size_t len;

	smp_require(t, 2);
	if (saved)
		ktest_skip(t, "softirq %s is in use", softirq_to_name[SIRQ_SMP]);
	memset(&sq, 0, sizeof(sq));
	for (int cpu = 0; cpu < n; cpu++)
		before[cpu] = kstat_softirqs_cpu(SIRQ_SMP, cpu);
	open_softirq(SIRQ_SMP, sirq_action);
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[cpu], cpu, sirq_job, &jobs[cpu], &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 10000));
	for (int cpu = 0; cpu < n; cpu++)
		EXPECT_TRUE(t, wait_until(atomic_read(&sq.runs[cpu]) == SIRQ_ROUNDS + 1, 5000));
	/* nothing may still be pending anywhere when the handler goes */
	msleep(20);
	open_softirq(SIRQ_SMP, saved);

	EXPECT_EQ(t, atomic_read(&sq.wrong_cpu), 0);
	EXPECT_EQ(t, atomic_read(&sq.wrong_ksoftirqd), 0);
	for (int cpu = 0; cpu < n; cpu++) {
		EXPECT_EQ(t, atomic_read(&sq.runs[cpu]), SIRQ_ROUNDS + 1);
		EXPECT_EQ(t, kstat_softirqs_cpu(SIRQ_SMP, cpu) - before[cpu],
			  (unsigned long)SIRQ_ROUNDS + 1);
		if (!atomic_read(&sq.in_ksoftirqd[cpu]))
			ktest_info(t, "CPU%d ran the task-context raise outside ksoftirqd", cpu);
	}

	/* the table: a column per CPU, each count in its own CPU's column */
	mark = ktest_log_mark();
	show_softirqs(printk_pieces);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	for (int cpu = 0; cpu < (int)num_online_cpus(); cpu++) {
		snprintf(want, sizeof(want), "CPU%d", cpu);
		EXPECT_NOT_NULL(t, strstr(log, want));
	}
	snprintf(want, sizeof(want), "CPU%u", num_online_cpus());
	EXPECT_NULL(t, strstr(log, want));
	len = (size_t)snprintf(want, sizeof(want), "%12s:", softirq_to_name[SIRQ_SMP]);
	for (int cpu = 0; cpu < (int)num_online_cpus() && len < sizeof(want); cpu++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, " %10lu",
					kstat_softirqs_cpu(SIRQ_SMP, cpu));
	if (!strstr(log, want))
		ktest_fail(t, __FILE__, __LINE__, "no row \"%s\" in the table", want);
}

static void ksoftirqd_per_cpu(struct ktest *t)
{
	char name[24];

	smp_require(t, 2);
	for (int cpu = 0; cpu < (int)num_online_cpus(); cpu++) {
		struct task_struct *k = ksoftirqd_task(cpu);

		ASSERT_NOT_NULL(t, k);
		snprintf(name, sizeof(name), "ksoftirqd/%d", cpu);
		EXPECT_STREQ(t, k->comm, name);
		EXPECT_EQ(t, k->cpu, cpu);
	}
}

/* ---- timers ---- */

struct smp_timer {
	struct timer_list timer;
	atomic_t fired;
	volatile int cpu;		/* where the function last ran */
	int want_cpu;
};

static void smp_timer_fn(struct timer_list *tl_)
{
	struct smp_timer *st = from_timer(st, tl_, timer);

	st->cpu = smp_processor_id();
	atomic_inc(&st->fired);
}

static struct smp_timer on_cpu_timers[2 * SMP_TEST_MAX_CPUS];

static void add_timer_job(void *arg)
{
	struct smp_timer *st = arg;

	timer_setup(&st->timer, smp_timer_fn, 0);
	st->timer.expires = jiffies + 2;
	add_timer(&st->timer);
}

static void timer_fires_on_adding_cpu(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	memset(on_cpu_timers, 0, sizeof(on_cpu_timers));
	for (int cpu = 0; cpu < n; cpu++) {
		struct smp_timer *st = &on_cpu_timers[n + cpu];

		ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[cpu], cpu, add_timer_job,
					     &on_cpu_timers[cpu], NULL));
		/* and add_timer_on() from here, for every CPU */
		timer_setup(&st->timer, smp_timer_fn, 0);
		st->timer.expires = jiffies + 2;
		add_timer_on(&st->timer, cpu);
	}
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 10000));
	for (int i = 0; i < 2 * n; i++)
		EXPECT_TRUE(t, wait_until(atomic_read(&on_cpu_timers[i].fired) == 1, 5000));
	for (int i = 0; i < 2 * n; i++) {
		EXPECT_EQ(t, on_cpu_timers[i].cpu, i % n);
		del_timer_sync(&on_cpu_timers[i].timer);
	}
}

/* A function that runs for 30 ms (or until told) on the CPU its timer was added on. */
static struct {
	struct timer_list timer;
	atomic_t depth, overlaps, runs;
	volatile int started, finished, release;
	volatile int cpu[4];		/* where the first runs ran */
	volatile int ret;
	unsigned int hold_ms;		/* the first run spins this long, or until released */
} slow;

static void slow_fn(struct timer_list *tl_)
{
	int run = atomic_inc_return(&slow.runs);

	if (atomic_inc_return(&slow.depth) > 1)
		atomic_inc(&slow.overlaps);
	if (run <= 4)
		slow.cpu[run - 1] = smp_processor_id();
	WRITE_ONCE(slow.started, 1);
	if (run == 1)
		smp_spin_until(&slow.release, slow.hold_ms);
	WRITE_ONCE(slow.finished, 1);
	atomic_dec(&slow.depth);
}

static void slow_add_job(void *arg)
{
	slow.timer.expires = jiffies + 1;
	add_timer(&slow.timer);
}

static void slow_del_sync_job(void *arg)
{
	if (!smp_spin_until(&slow.started, 5000))
		return;
	slow.ret = del_timer_sync(&slow.timer);
	finished_at_return = slow.finished;
}

static void del_timer_sync_waits_for_other_cpu(struct ktest *t)
{
	smp_require(t, 2);
	memset(&slow, 0, sizeof(slow));
	timer_setup(&slow.timer, slow_fn, 0);
	slow.ret = -1;
	slow.hold_ms = 30;
	finished_at_return = -1;
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[0], 0, slow_del_sync_job, NULL, NULL));
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[1], 1, slow_add_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 2, 10000));
	EXPECT_EQ(t, slow.cpu[0], 1);
	EXPECT_EQ(t, finished_at_return, 1);
	EXPECT_EQ(t, slow.ret, 0);
	EXPECT_EQ(t, atomic_read(&slow.runs), 1);
	EXPECT_FALSE(t, timer_pending(&slow.timer));
}

static void slow_mod_job(void *arg)
{
	if (!smp_spin_until(&slow.started, 5000))
		return;
	slow.ret = mod_timer(&slow.timer, jiffies);	/* due at once, but it is running on CPU 1 */
	WRITE_ONCE(slow.release, 1);
}

/* mod_timer() on CPU 0 while the function runs on CPU 1: the timer stays on CPU 1 and runs again after. */
static void mod_timer_while_running_on_other_cpu(struct ktest *t)
{
	smp_require(t, 2);
	memset(&slow, 0, sizeof(slow));
	timer_setup(&slow.timer, slow_fn, 0);
	slow.ret = -1;
	slow.hold_ms = 5000;	/* until mod_timer() returned: it must meet the function running */
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[0], 0, slow_mod_job, NULL, NULL));
	ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[1], 1, slow_add_job, NULL, NULL));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, 2, 10000));
	EXPECT_TRUE(t, wait_until(atomic_read(&slow.runs) == 2, 5000));
	del_timer_sync(&slow.timer);
	EXPECT_EQ(t, slow.ret, 0);		/* it was running, not pending */
	EXPECT_EQ(t, atomic_read(&slow.runs), 2);
	EXPECT_EQ(t, atomic_read(&slow.overlaps), 0);
	EXPECT_EQ(t, slow.cpu[0], 1);
	EXPECT_EQ(t, slow.cpu[1], 1);
}

/* A few timers that every CPU modifies and deletes at once, as fast as it can. */
#define SHARED_TIMERS	8

static struct {
	struct timer_list timer[SHARED_TIMERS];
	atomic_t depth[SHARED_TIMERS];
	atomic_t overlaps, runs;
	volatile u64 ms;
} shared;

static void shared_fn(struct timer_list *tl_)
{
	int i = (int)(tl_ - shared.timer);

	if (atomic_inc_return(&shared.depth[i]) > 1)
		atomic_inc(&shared.overlaps);
	atomic_inc(&shared.runs);
	udelay(50);
	atomic_dec(&shared.depth[i]);
}

static void shared_hammer_job(void *arg)
{
	struct smp_job *self = arg;
	u64 end = ktime_get_ns() + shared.ms * NSEC_PER_MSEC;
	unsigned int i = (unsigned int)self->cpu * 3;

	while (ktime_get_ns() < end) {
		struct timer_list *tm = &shared.timer[i % SHARED_TIMERS];

		switch (i % 5) {
		case 0:
		case 1:
		case 2:
			mod_timer(tm, jiffies + (i % 3));
			break;
		case 3:
			del_timer(tm);
			break;
		default:
			if (!(i & 64))
				del_timer_sync(tm);
			break;
		}
		i += 7;
	}
}

static void timers_modified_from_all_cpus(struct ktest *t)
{
	int n = smp_test_cpus();

	smp_require(t, 2);
	memset(&shared, 0, sizeof(shared));
	for (int i = 0; i < SHARED_TIMERS; i++)
		timer_setup(&shared.timer[i], shared_fn, 0);
	shared.ms = 400;
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[cpu], cpu, shared_hammer_job, &jobs[cpu],
					     &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 30000));
	for (int i = 0; i < SHARED_TIMERS; i++) {
		del_timer_sync(&shared.timer[i]);
		EXPECT_FALSE(t, timer_pending(&shared.timer[i]));
	}
	ktest_info(t, "%d runs", atomic_read(&shared.runs));
	EXPECT_EQ(t, atomic_read(&shared.overlaps), 0);
	EXPECT_GT(t, atomic_read(&shared.runs), 0);
}

/* Thousands of timers added from every CPU at once: each fires once, where it was added. */
#define MANY_TIMERS	4096

static struct smp_timer *many;

static void many_add_job(void *arg)
{
	struct smp_job *self = arg;
	int n = smp_test_cpus();

	for (int i = self->cpu; i < MANY_TIMERS; i += n) {
		timer_setup(&many[i].timer, smp_timer_fn, 0);
		many[i].want_cpu = self->cpu;
		many[i].timer.expires = jiffies + 1 + (unsigned long)(i % 61);
		add_timer(&many[i].timer);
	}
}

static int many_fired(void)
{
	int sum = 0;

	for (int i = 0; i < MANY_TIMERS; i++)
		sum += atomic_read(&many[i].fired);
	return sum;
}

static void thousands_of_timers_from_all_cpus(struct ktest *t)
{
	int n = smp_test_cpus();
	int wrong_cpu = 0, not_once = 0;

	smp_require(t, 2);
	if (!many)
		many = vmalloc(MANY_TIMERS * sizeof(*many));
	ASSERT_NOT_NULL(t, many);
	memset(many, 0, MANY_TIMERS * sizeof(*many));
	for (int cpu = 0; cpu < n; cpu++)
		ASSERT_TRUE(t, smp_job_start(&bh_threads, &jobs[cpu], cpu, many_add_job, &jobs[cpu], &gate));
	EXPECT_TRUE(t, smp_gate_open(&gate, n, 5000));
	ASSERT_TRUE(t, smp_jobs_wait(jobs, n, 30000));
	EXPECT_TRUE(t, wait_until(many_fired() >= MANY_TIMERS, 20000));
	msleep(50);		/* a second firing would show by now */
	for (int i = 0; i < MANY_TIMERS; i++) {
		if (atomic_read(&many[i].fired) != 1)
			not_once++;
		else if (many[i].cpu != many[i].want_cpu)
			wrong_cpu++;
		/* never leave one behind in a wheel: many is reused */
		del_timer_sync(&many[i].timer);
	}
	EXPECT_EQ(t, not_once, 0);
	EXPECT_EQ(t, wrong_cpu, 0);
}

static struct ktest_case smp_bh_cases[] = {
	KTEST_CASE(tasklet_runs_on_scheduling_cpu),
	KTEST_CASE(tasklet_hammered_from_all_cpus),
	KTEST_CASE(tasklet_disable_waits_for_other_cpu),
	KTEST_CASE(tasklet_kill_waits_for_running_on_other_cpu),
	KTEST_CASE(tasklet_kill_waits_for_scheduled_on_other_cpu),
	KTEST_CASE(softirq_runs_on_raising_cpu),
	KTEST_CASE(ksoftirqd_per_cpu),
	KTEST_CASE(timer_fires_on_adding_cpu),
	KTEST_CASE(del_timer_sync_waits_for_other_cpu),
	KTEST_CASE(mod_timer_while_running_on_other_cpu),
	KTEST_CASE(timers_modified_from_all_cpus),
	KTEST_CASE(thousands_of_timers_from_all_cpus),
	{}
};

KTEST_SUITE(smp_bh, smp_bh_cases, .init = smp_bh_init, .exit = smp_bh_exit);
