/*
 * Cross-CPU function calls (kernel/smp.c, arch/x86_64/ipi.c): where and
 * in which context the function runs, waiting and not waiting, masks,
 * on_each_cpu() including the caller, the CAL counters, the WARN for a
 * cross-CPU call with interrupts off, and several CPUs calling each
 * other at once with exact totals.
 */
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <asm/hw_irq.h>
#include "sched_test.h"

/* What one call saw where it ran. */
struct call_record {
	int cpu;
	bool hardirq, irqs_off;
	int runs;
	int done;		/* set last, for callers that do not wait */
};

static void record_call(void *arg)
{
	struct call_record *r = arg;

	r->cpu = smp_processor_id();
	r->hardirq = in_hardirq();
	r->irqs_off = irqs_disabled();
	r->runs++;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

static void need_cpus(struct ktest *t, unsigned int n)
{
	if (num_online_cpus() < n)
		ktest_skip(t, "needs %u CPUs, %u online", n, num_online_cpus());
}

/* A wait call to each CPU in turn runs there once: in hard-IRQ context remotely, irqs off locally. */
static void single_runs_on_each_cpu(struct ktest *t)
{
	int cpu, self;

	for_each_online_cpu(cpu) {
		struct call_record r = { .cpu = -1 };

		preempt_disable();
		self = smp_processor_id();
		preempt_enable();
		ASSERT_EQ(t, smp_call_function_single(cpu, record_call, &r, 1), 0);
		EXPECT_EQ(t, r.runs, 1);
		EXPECT_EQ(t, r.cpu, cpu);
		EXPECT_TRUE(t, r.irqs_off);
		if (cpu != self)
			EXPECT_TRUE(t, r.hardirq);
	}
	EXPECT_FALSE(t, irqs_disabled());
}

/* Without wait the call returns at once; the function still runs on the target. */
static void single_nowait_runs_later(struct ktest *t)
{
	static struct call_record r[NR_CPUS];
	int cpu;

	need_cpus(t, 2);
	memset(r, 0, sizeof(r));
	for_each_online_cpu(cpu) {
		r[cpu].cpu = -1;
		ASSERT_EQ(t, smp_call_function_single(cpu, record_call, &r[cpu], 0), 0);
	}
	for_each_online_cpu(cpu) {
		EXPECT_TRUE(t, wait_until(__atomic_load_n(&r[cpu].done, __ATOMIC_ACQUIRE), 10000));
		EXPECT_EQ(t, r[cpu].cpu, cpu);
		EXPECT_EQ(t, r[cpu].runs, 1);
		EXPECT_TRUE(t, r[cpu].irqs_off);
	}
}

static void single_to_offline_cpu_fails(struct ktest *t)
{
	struct call_record r = { .cpu = -1 };

	EXPECT_EQ(t, smp_call_function_single(num_online_cpus(), record_call, &r, 1), -ENXIO);
	EXPECT_EQ(t, smp_call_function_single(num_online_cpus(), record_call, &r, 0), -ENXIO);
	EXPECT_EQ(t, r.runs, 0);
}

/* Per-CPU hit counts for the mask cases. */
static int hits[NR_CPUS];
static int hit_in_hardirq[NR_CPUS];
static int hit_irqs_on;		/* runs that found interrupts enabled: must stay 0 */

static void count_hit(void *unused)
{
	int cpu = smp_processor_id();

	__atomic_add_fetch(&hits[cpu], 1, __ATOMIC_RELAXED);
	if (in_hardirq())
		__atomic_add_fetch(&hit_in_hardirq[cpu], 1, __ATOMIC_RELAXED);
	if (!irqs_disabled())
		__atomic_add_fetch(&hit_irqs_on, 1, __ATOMIC_RELAXED);
}

static void reset_hits(void)
{
	memset(hits, 0, sizeof(hits));
	memset(hit_in_hardirq, 0, sizeof(hit_in_hardirq));
	hit_irqs_on = 0;
}

static unsigned int total_hits(void)
{
	unsigned int total = 0;
	int cpu;

	for_each_online_cpu(cpu)
		total += __atomic_load_n(&hits[cpu], __ATOMIC_RELAXED);
	return total;
}

/* smp_call_function_many(): the CPUs of the mask, at once, never the caller (as Linux). */
static void many_runs_on_mask_but_self(struct ktest *t)
{
	struct cpumask mask;
	int cpu, self, left_out;

	need_cpus(t, 2);
	reset_hits();
	preempt_disable();
	self = smp_processor_id();
	/* with 3 or more CPUs, one other CPU stays out of the mask */
	left_out = num_online_cpus() >= 3 ? (int)num_online_cpus() - 1 : -1;
	if (left_out == self)
		left_out = 1;
	cpumask_clear(&mask);
	for_each_online_cpu(cpu)
		if (cpu != left_out)
			cpumask_set_cpu(cpu, &mask);
	smp_call_function_many(&mask, count_hit, NULL, true);
	preempt_enable();
	for_each_online_cpu(cpu) {
		int want = cpu == self || cpu == left_out ? 0 : 1;

		EXPECT_EQ(t, __atomic_load_n(&hits[cpu], __ATOMIC_RELAXED), want);
		EXPECT_EQ(t, hit_in_hardirq[cpu], want);
	}
	EXPECT_EQ(t, hit_irqs_on, 0);
}

/* smp_call_function(): every other CPU once, without waiting here (waits below). */
static void call_function_runs_on_all_others(struct ktest *t)
{
	int cpu, self;

	need_cpus(t, 2);
	reset_hits();
	smp_call_function(count_hit, NULL, 0);
	/* not waited for: gather them, however slow the host */
	EXPECT_TRUE(t, wait_until(total_hits() >= num_online_cpus() - 1, 10000));
	preempt_disable();
	self = smp_processor_id();
	preempt_enable();
	for_each_online_cpu(cpu)
		EXPECT_EQ(t, hits[cpu], cpu == self ? 0 : 1);
}

/* on_each_cpu(): every online CPU exactly once, the caller too, there with interrupts off. */
static void on_each_cpu_runs_everywhere_once(struct ktest *t)
{
	int cpu, self;

	reset_hits();
	preempt_disable();
	self = smp_processor_id();
	preempt_enable();
	on_each_cpu(count_hit, NULL, 1);
	for_each_online_cpu(cpu) {
		EXPECT_EQ(t, hits[cpu], 1);
		/* the caller's share is not an interrupt, the others' are */
		EXPECT_EQ(t, hit_in_hardirq[cpu], cpu == self ? 0 : 1);
	}
	EXPECT_EQ(t, hit_irqs_on, 0);
	EXPECT_FALSE(t, irqs_disabled());
}

/* on_each_cpu_mask(): exactly the CPUs of the mask, the caller included if it is in it. */
static void on_each_cpu_mask_subset(struct ktest *t)
{
	struct cpumask mask;
	int cpu, last = (int)num_online_cpus() - 1;

	need_cpus(t, 2);
	reset_hits();
	cpumask_clear(&mask);
	cpumask_set_cpu(0, &mask);
	cpumask_set_cpu(last, &mask);
	on_each_cpu_mask(&mask, count_hit, NULL, true);
	for_each_online_cpu(cpu)
		EXPECT_EQ(t, hits[cpu], cpu == 0 || cpu == last ? 1 : 0);
	EXPECT_EQ(t, hit_irqs_on, 0);
}

/* Each call to another CPU arrives as a function-call IPI there: its CAL count grows. */
static void cal_counters_grow_on_targets(struct ktest *t)
{
	unsigned int before[NR_CPUS];
	int cpu, self;

	need_cpus(t, 2);
	for_each_online_cpu(cpu)
		before[cpu] = READ_ONCE(per_cpu(irq_stat.call_function_irqs, cpu));
	preempt_disable();
	self = smp_processor_id();
	preempt_enable();
	for_each_online_cpu(cpu) {
		struct call_record r = { .cpu = -1 };
		unsigned int now;

		if (cpu == self)
			continue;

		ASSERT_EQ(t, smp_call_function_single(cpu, record_call, &r, 1), 0);
		now = READ_ONCE(per_cpu(irq_stat.call_function_irqs, cpu));
		EXPECT_GT(t, now, before[cpu]);
	}
}

/* A cross-CPU call with interrupts off WARNs (it could deadlock), as in Linux; it still runs. */
static void irqs_off_call_warns(struct ktest *t)
{
	struct call_record r = { .cpu = -1 };
	unsigned long mark, flags;
	const char *log;
	int target;

	need_cpus(t, 2);
	st_rearm_warn_once("kernel/smp.c");
	mark = ktest_log_mark();
	local_irq_save(flags);
	target = smp_processor_id() == 0 ? 1 : 0;
	/* safe here: the target is not waiting for us */
	EXPECT_EQ(t, smp_call_function_single(target, record_call, &r, 1), 0);
	local_irq_restore(flags);
	EXPECT_EQ(t, r.cpu, target);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "WARNING: CPU:"));
	EXPECT_NOT_NULL(t, strstr(log, "kernel/smp.c"));
	st_rearm_warn_once("kernel/smp.c");
}

/*
 * Every CPU's thread calls every other CPU at once, mixing waited and
 * not-waited single calls and waited mask calls, so queues are filled
 * from several CPUs while being drained. Each function checks it runs
 * where it was sent; the totals per target must be exact.
 */
enum { HAMMER_ROUNDS = 150 };

struct hammer {
	int target_count[NR_CPUS];	/* calls that ran on each CPU */
	int wrong_cpu, not_hardirq;
	int nr_cpus;
	int finished;
};

struct hammer_call {
	struct hammer *h;
	int target;
};

static void hammer_fn(void *arg)
{
	struct hammer_call *c = arg;
	int cpu = smp_processor_id();

	if (c->target >= 0 && cpu != c->target)
		__atomic_add_fetch(&c->h->wrong_cpu, 1, __ATOMIC_RELAXED);
	if (!in_hardirq())
		__atomic_add_fetch(&c->h->not_hardirq, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->h->target_count[cpu], 1, __ATOMIC_RELAXED);
}

static struct hammer hammer_state;
/* Argument blocks for the not-waited calls: they must outlive the call. */
static struct hammer_call hammer_args[NR_CPUS][NR_CPUS];
static struct hammer_call hammer_any = { &hammer_state, -1 };

static int hammer_thread(void *arg)
{
	struct hammer *h = &hammer_state;
	int me = (int)(long)arg;

	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		for (int k = 1; k < h->nr_cpus; k++) {
			int target = (me + k) % h->nr_cpus;
			struct hammer_call c = { h, target };

			if (i % 3 == 0) {
				smp_call_function_single(target, hammer_fn, &c, 1);
			} else if (i % 3 == 1) {
				/* one block per (caller, target): the per-CPU csd orders reuse */
				hammer_args[me][target] = c;
				smp_call_function_single(target, hammer_fn, &hammer_args[me][target], 0);
			}
		}
		if (i % 3 == 2) {
			preempt_disable();
			smp_call_function_many(cpu_online_mask, hammer_fn, &hammer_any, true);
			preempt_enable();
		}
	}
	__atomic_add_fetch(&h->finished, 1, __ATOMIC_RELEASE);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static struct st_threads hammer_threads;

static void concurrent_calls_exact_totals(struct ktest *t)
{
	struct hammer *h = &hammer_state;
	int n = (int)num_online_cpus(), cpu;
	int singles = 0, manys = 0;

	need_cpus(t, 2);
	memset(h, 0, sizeof(*h));
	h->nr_cpus = n;
	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		if (i % 3 == 2)
			manys++;
		else
			singles++;
	}
	for (cpu = 0; cpu < n; cpu++) {
		struct task_struct *p = kthread_create(hammer_thread, (void *)(long)cpu, "ipi_hammer/%d", cpu);

		ASSERT_FALSE(t, IS_ERR(p));
		kthread_bind(p, cpu);
		st_track(&hammer_threads, p);
		wake_up_process(p);
	}
	ASSERT_TRUE(t, wait_until(__atomic_load_n(&h->finished, __ATOMIC_ACQUIRE) == n, 120000));
	/*
	 * Each CPU is sent singles + manys calls by each of the other n - 1
	 * CPUs. The not-waited ones may still be on their way: wait for them.
	 */
	for (cpu = 0; cpu < n; cpu++) {
		int want = (n - 1) * (singles + manys);

		EXPECT_TRUE(t, wait_until(__atomic_load_n(&h->target_count[cpu], __ATOMIC_RELAXED) >= want, 10000));
		EXPECT_EQ(t, __atomic_load_n(&h->target_count[cpu], __ATOMIC_RELAXED), want);
	}
	EXPECT_EQ(t, h->wrong_cpu, 0);
	EXPECT_EQ(t, h->not_hardirq, 0);
	st_stop_all(&hammer_threads);
}

static void smp_call_exit(struct ktest *t)
{
	st_stop_all(&hammer_threads);
}

static struct ktest_case smp_call_cases[] = {
	KTEST_CASE(single_runs_on_each_cpu),
	KTEST_CASE(single_nowait_runs_later),
	KTEST_CASE(single_to_offline_cpu_fails),
	KTEST_CASE(many_runs_on_mask_but_self),
	KTEST_CASE(call_function_runs_on_all_others),
	KTEST_CASE(on_each_cpu_runs_everywhere_once),
	KTEST_CASE(on_each_cpu_mask_subset),
	KTEST_CASE(cal_counters_grow_on_targets),
	KTEST_CASE(irqs_off_call_warns),
	KTEST_CASE(concurrent_calls_exact_totals),
	{}
};
KTEST_SUITE(smp_call, smp_call_cases, .exit = smp_call_exit);
