/*
 * timer_list timers (kernel/time/timer.c) and sleeping by time: the API's
 * return values, functions run in softirq context on the first tick at
 * or after expires, in order, exactly once; cancellation, moving a
 * pending timer, periodic re-adding, del_timer_sync(); 5000 pending
 * timers cost the tick little and all fire on time; msleep(),
 * schedule_timeout() and udelay()/ndelay() accuracy.
 *
 * del_timer_sync() against a function running on another CPU needs SMP;
 * on one CPU a timer function can only be "running" under its own
 * softirq, so what is tested here is the call from the function itself.
 */
#include "sched_test.h"
#include <kernel/interrupt.h>
#include <kernel/wait.h>
#include <kernel/vmalloc.h>
#include <kernel/jiffies.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>

static struct st_threads threads;

static void timer_suite_exit(struct ktest *t)
{
	st_stop_all(&threads);
}

struct rec_timer {
	struct timer_list timer;
	unsigned long fired_at;		/* jiffies in the function */
	volatile int count;
	int in_softirq, in_task;
	int order;			/* place in the global firing order */
};

static volatile int fire_seq;

static void rec_fn(struct timer_list *tl)
{
	struct rec_timer *r = from_timer(r, tl, timer);

	r->fired_at = jiffies;
	r->in_softirq = !!in_serving_softirq();
	r->in_task = !!in_task();
	r->order = ++fire_seq;
	r->count++;
}

static void rec_init(struct rec_timer *r)
{
	memset(r, 0, sizeof(*r));
	timer_setup(&r->timer, rec_fn, 0);
}

static void api_return_values(struct ktest *t)
{
	struct rec_timer r;
	unsigned int pending0 = timers_pending_cpu(0);

	rec_init(&r);
	EXPECT_FALSE(t, timer_pending(&r.timer));
	EXPECT_EQ(t, del_timer(&r.timer), 0);
	EXPECT_EQ(t, mod_timer(&r.timer, jiffies + HZ), 0);
	EXPECT_TRUE(t, timer_pending(&r.timer));
	EXPECT_EQ(t, timers_pending_cpu(0), pending0 + 1);
	EXPECT_EQ(t, mod_timer(&r.timer, jiffies + 2 * HZ), 1);
	EXPECT_EQ(t, r.timer.expires > jiffies + HZ, 1);
	EXPECT_EQ(t, timers_pending_cpu(0), pending0 + 1);
	EXPECT_EQ(t, del_timer(&r.timer), 1);
	EXPECT_FALSE(t, timer_pending(&r.timer));
	EXPECT_EQ(t, del_timer(&r.timer), 0);
	EXPECT_EQ(t, timers_pending_cpu(0), pending0);
	r.timer.expires = jiffies + HZ;
	add_timer(&r.timer);
	EXPECT_TRUE(t, timer_pending(&r.timer));
	EXPECT_EQ(t, del_timer_sync(&r.timer), 1);
	EXPECT_EQ(t, del_timer_sync(&r.timer), 0);
	EXPECT_FALSE(t, timer_pending(&r.timer));
	EXPECT_EQ(t, r.count, 0);
}

static bool all_fired(struct rec_timer *r, int n)
{
	for (int i = 0; i < n; i++)
		if (!READ_ONCE(r[i].count))
			return false;
	return true;
}

/*
 * Each on the first tick at or after its expiry: never early, and at most
 * one jiffy late (the softirq runs at the end of the tick that made
 * jiffies == expires; one-shot ticks that a host stall delayed are
 * counted all at once). Never early, every time; the upper bound in at
 * least one of three rounds, as the host may stall a virtual CPU.
 */
static void fire_on_time_in_softirq(struct ktest *t)
{
	struct rec_timer r[8];
	bool on_time = false;

	for (int round = 0; round < 3 && !on_time; round++) {
		unsigned long j = jiffies;
		int late = 0;

		for (int i = 0; i < 8; i++) {
			rec_init(&r[i]);
			mod_timer(&r[i].timer, j + 2 + (unsigned long)i);
		}
		EXPECT_TRUE(t, wait_until(all_fired(r, 8), 3000));
		for (int i = 0; i < 8; i++) {
			del_timer_sync(&r[i].timer);
			EXPECT_EQ(t, r[i].count, 1);
			EXPECT_EQ(t, r[i].in_softirq, 1);
			EXPECT_EQ(t, r[i].in_task, 0);
			EXPECT_TRUE(t, time_after_eq(r[i].fired_at, r[i].timer.expires));
			if (time_after(r[i].fired_at, r[i].timer.expires + 1))
				late++;
		}
		ktest_info(t, "round %d: %d of 8 more than one jiffy late", round, late);
		on_time = !late;
	}
	EXPECT_TRUE(t, on_time);
}

/* Increasing expiries fire in that order; equal expiries in the order they were added. */
static void firing_order(struct ktest *t)
{
	struct rec_timer r[10];
	unsigned long j = jiffies + 3;

	fire_seq = 0;
	for (int i = 0; i < 10; i++)
		rec_init(&r[i]);
	/* r[0..4]: j+5, j+4, ... j+1 added in reverse; r[5..9]: all at j+6, in index order */
	for (int i = 0; i < 5; i++)
		mod_timer(&r[i].timer, j + 5 - (unsigned long)i);
	for (int i = 5; i < 10; i++)
		mod_timer(&r[i].timer, j + 6);
	EXPECT_TRUE(t, wait_until(all_fired(r, 10), 3000));
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(t, r[i].order, 5 - i);
	for (int i = 5; i < 10; i++)
		EXPECT_EQ(t, r[i].order, i + 1);
	for (int i = 0; i < 10; i++)
		del_timer_sync(&r[i].timer);
}

static void cancel_before_expiry(struct ktest *t)
{
	struct rec_timer a, b;

	rec_init(&a);
	rec_init(&b);
	mod_timer(&a.timer, jiffies + 3);
	mod_timer(&b.timer, jiffies + 3);
	EXPECT_EQ(t, del_timer(&a.timer), 1);
	EXPECT_EQ(t, del_timer_sync(&b.timer), 1);
	msleep(jiffies_to_msecs(10));
	EXPECT_EQ(t, a.count, 0);
	EXPECT_EQ(t, b.count, 0);
	EXPECT_FALSE(t, timer_pending(&a.timer));
}

static void mod_timer_moves_pending(struct ktest *t)
{
	struct rec_timer r;
	unsigned long j;

	/* earlier */
	rec_init(&r);
	j = jiffies;
	mod_timer(&r.timer, j + 10 * HZ);
	EXPECT_EQ(t, mod_timer(&r.timer, j + 3), 1);
	EXPECT_TRUE(t, wait_until(r.count, 2000));
	EXPECT_TRUE(t, time_after_eq(r.fired_at, j + 3));
	msleep(20);
	EXPECT_EQ(t, r.count, 1);
	/* later */
	rec_init(&r);
	j = jiffies;
	mod_timer(&r.timer, j + 3);
	EXPECT_EQ(t, mod_timer(&r.timer, j + 30), 1);
	msleep(jiffies_to_msecs(10));
	EXPECT_EQ(t, r.count, 0);
	EXPECT_TRUE(t, wait_until(r.count, 3000));
	EXPECT_TRUE(t, time_after_eq(r.fired_at, j + 30));
	EXPECT_EQ(t, r.count, 1);
	del_timer_sync(&r.timer);
}

struct periodic {
	struct timer_list timer;
	volatile int count;
	unsigned long at[12];
	unsigned long step;		/* re-add step: 0 re-adds as already due */
};

static void periodic_fn(struct timer_list *tl)
{
	struct periodic *p = from_timer(p, tl, timer);

	if (p->count < 12)
		p->at[p->count] = jiffies;
	if (++p->count < 10)
		mod_timer(tl, p->step ? jiffies + p->step : jiffies - 1);
}

static void periodic_readd(struct ktest *t)
{
	struct periodic p = { .step = 2 };

	timer_setup(&p.timer, periodic_fn, 0);
	mod_timer(&p.timer, jiffies + 2);
	EXPECT_TRUE(t, wait_until(p.count >= 10, 3000));
	msleep(jiffies_to_msecs(6));
	EXPECT_EQ(t, p.count, 10);
	for (int i = 1; i < 10; i++)
		EXPECT_GE(t, p.at[i] - p.at[i - 1], 2);
	del_timer_sync(&p.timer);
}

/* A function that re-adds its timer as already due: it runs again at once, not a wheel turn later. */
static void readd_already_due(struct ktest *t)
{
	struct periodic p = { .step = 0 };

	timer_setup(&p.timer, periodic_fn, 0);
	mod_timer(&p.timer, jiffies + 2);
	EXPECT_TRUE(t, wait_until(p.count >= 10, 1000));
	ktest_info(t, "10 runs between jiffies %+ld and %+ld", 0L, (long)(p.at[9] - p.at[0]));
	EXPECT_LE(t, p.at[9] - p.at[0], 20);
	del_timer_sync(&p.timer);
}

static void slow_fn(struct timer_list *tl)
{
	struct rec_timer *r = from_timer(r, tl, timer);

	rec_fn(tl);
	udelay(4 * 1000000 / HZ);	/* four ticks come and go meanwhile */
	r->fired_at = jiffies;
}

/* A function that outlasts several ticks does not hold back a timer due meanwhile (by more than it took). */
static void slow_function_next_timer(struct ktest *t)
{
	struct rec_timer slow, next;
	unsigned long j = jiffies;

	rec_init(&slow);
	rec_init(&next);
	slow.timer.function = slow_fn;
	mod_timer(&slow.timer, j + 2);
	mod_timer(&next.timer, j + 3);
	EXPECT_TRUE(t, wait_until(slow.count && next.count, 1000));
	ktest_info(t, "slow one done at %+ld, next one ran at %+ld (due at +3)",
		   (long)(slow.fired_at - j), (long)(next.fired_at - j));
	EXPECT_TRUE(t, time_after_eq(next.fired_at, j + 3));
	EXPECT_LE(t, next.fired_at - slow.fired_at, 2);
	del_timer_sync(&slow.timer);
	del_timer_sync(&next.timer);
}

struct self_del {
	struct timer_list timer;
	volatile int running, done, ret;
	unsigned long warns;
};

static void self_del_fn(struct timer_list *tl)
{
	struct self_del *s = from_timer(s, tl, timer);
	unsigned long w = warn_count;

	s->running = 1;
	/* waiting for ourselves would never end: it warns and returns */
	s->ret = del_timer_sync(tl);
	s->warns = warn_count - w;
	udelay(2000);
	s->running = 0;
	s->done = 1;
}

static void del_timer_sync_cases(struct ktest *t)
{
	struct self_del s = { .ret = -1 };

	st_rearm_warn_once("kernel/time/timer.c");
	timer_setup(&s.timer, self_del_fn, 0);
	mod_timer(&s.timer, jiffies + 2);
	EXPECT_TRUE(t, wait_until(s.done, 2000));
	EXPECT_EQ(t, s.ret, 0);
	EXPECT_EQ(t, s.warns, 1);
	/* from task context: returns once the function is not running */
	s.done = 0;
	mod_timer(&s.timer, jiffies + 1);
	EXPECT_TRUE(t, wait_until(s.running || s.done, 2000));
	EXPECT_EQ(t, del_timer_sync(&s.timer), 0);
	EXPECT_EQ(t, s.running, 0);
	EXPECT_FALSE(t, timer_pending(&s.timer));
}

/* ---- many timers ---- */

#define NR_MANY	5000

struct many {
	struct timer_list timer;
	unsigned long fired_at;
	int count;
};

static void many_fn(struct timer_list *tl)
{
	struct many *m = from_timer(m, tl, timer);

	m->fired_at = jiffies;
	m->count++;
}

/*
 * CPU time the tick (and its softirq) takes from a task spinning for ms:
 * the sum of the gaps between consecutive clock reads longer than
 * 2 us, per jiffy that passed.
 */
static u64 stolen_ns_per_tick(unsigned int ms)
{
	u64 start = ktime_get_ns(), last = start, stolen = 0;
	unsigned long j0 = jiffies;

	preempt_disable();	/* the spinner itself stays put: only interrupts take time */
	for (;;) {
		u64 now = ktime_get_ns();

		if (now - last > 2000)
			stolen += now - last;
		last = now;
		if (now - start > ms * NSEC_PER_MSEC)
			break;
	}
	preempt_enable();
	return stolen / (jiffies - j0 ? jiffies - j0 : 1);
}

static u32 lcg;

static u32 rnd(void)
{
	lcg = lcg * 1664525u + 1013904223u;
	return lcg >> 8;
}

static void many_timers(struct ktest *t)
{
	struct many *m = vmalloc(NR_MANY * sizeof(*m));
	unsigned long base, span = 2 * HZ, offset = msecs_to_jiffies(300);
	unsigned int pending0 = timers_pending_cpu(0);
	u64 idle_cost, busy_cost, t0, add_ns;
	unsigned long ex0, j0, per_tick;
	int missing = 0, twice = 0, early = 0, late = 0;

	ASSERT_NOT_NULL(t, m);
	memset(m, 0, NR_MANY * sizeof(*m));
	idle_cost = stolen_ns_per_tick(100);
	lcg = 12345;
	base = jiffies + offset;
	t0 = ktime_get_ns();
	for (int i = 0; i < NR_MANY; i++) {
		timer_setup(&m[i].timer, many_fn, 0);
		mod_timer(&m[i].timer, base + rnd() % span);
	}
	add_ns = ktime_get_ns() - t0;
	EXPECT_EQ(t, timers_pending_cpu(0), pending0 + NR_MANY);
	/*
	 * None is due for another 300 ms: what do pending ones cost a tick?
	 * The time is shown; the check is on the work, which the clock of a
	 * busy emulator does not blur: a tick looks at one wheel bucket, about
	 * NR_MANY / 512 timers, where a list of all of them would be NR_MANY.
	 */
	ex0 = timers_examined_cpu(0);
	j0 = jiffies;
	busy_cost = stolen_ns_per_tick(100);
	per_tick = (timers_examined_cpu(0) - ex0) / (jiffies - j0 ? jiffies - j0 : 1);
	ktest_info(t, "adding %d timers took %llu us; per tick: %llu us with none pending, %llu us with %d; %lu timers looked at per tick",
		   NR_MANY, (unsigned long long)(add_ns / 1000), (unsigned long long)(idle_cost / 1000),
		   (unsigned long long)(busy_cost / 1000), NR_MANY, per_tick);
	EXPECT_LE(t, per_tick, 4ul * NR_MANY / 512 + 16);
	/* sleep through them all */
	EXPECT_TRUE(t, wait_until(timers_pending_cpu(0) == pending0, 4000 + jiffies_to_msecs(span + offset)));
	msleep(20);
	for (int i = 0; i < NR_MANY; i++) {
		if (!m[i].count) {
			missing++;
			continue;
		}
		if (m[i].count > 1)
			twice++;
		if (time_before(m[i].fired_at, m[i].timer.expires))
			early++;
		else if (time_after(m[i].fired_at, m[i].timer.expires + 1))
			late++;
	}
	ktest_info(t, "missing %d, twice %d, early %d, more than a jiffy late %d", missing, twice, early,
		   late);
	for (int i = 0; i < NR_MANY; i++)
		del_timer(&m[i].timer);
	vfree(m);
	EXPECT_EQ(t, missing, 0);
	EXPECT_EQ(t, twice, 0);
	EXPECT_EQ(t, early, 0);
	/* a host stall of the virtual CPU can make a few late; a broken wheel makes many */
	EXPECT_LE(t, late, NR_MANY / 100);
}

/* ---- sleeping ---- */

static void msleep_accuracy(struct ktest *t)
{
	static const unsigned int ms[] = { 1, 5, 20, 50 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ms); i++) {
		u64 best = ~0ull;

		for (int k = 0; k < 3; k++) {
			u64 t0 = ktime_get_ns(), d;

			msleep(ms[i]);
			d = ktime_get_ns() - t0;
			EXPECT_GE(t, d, ms[i] * NSEC_PER_MSEC);
			if (d < best)
				best = d;
		}
		ktest_info(t, "msleep(%u): best of 3 %llu us", ms[i], (unsigned long long)(best / 1000));
		/* n ms, plus the partial jiffy and one more, plus 5 ms for the host */
		EXPECT_LE(t, best, ms[i] * NSEC_PER_MSEC + 2 * NSEC_PER_SEC / HZ + 5 * NSEC_PER_MSEC);
	}
}

static volatile long st_ret;
static volatile int st_done;

static int timeout_sleeper(void *data)
{
	st_ret = schedule_timeout_uninterruptible(HZ);
	st_done = 1;
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void schedule_timeout_early_wake(struct ktest *t)
{
	struct task_struct *p;
	unsigned long j0;
	long left;

	st_done = 0;
	p = st_track(&threads, kthread_run(timeout_sleeper, NULL, "to-sleeper"));
	ASSERT_FALSE(t, IS_ERR(p));
	ASSERT_TRUE(t, wait_until(task_sleeping(p), 2000));
	msleep(20);
	EXPECT_EQ(t, wake_up_process(p), 1);
	EXPECT_TRUE(t, wait_until(st_done, 2000));
	ktest_info(t, "woken after ~20 ms: %ld of %d jiffies left", st_ret, HZ);
	EXPECT_GT(t, st_ret, HZ / 2);
	EXPECT_LT(t, st_ret, HZ);
	st_stop(&threads, p);
	/* not woken: the whole timeout, and 0 left */
	j0 = jiffies;
	left = schedule_timeout_uninterruptible(5);
	EXPECT_EQ(t, left, 0);
	EXPECT_GE(t, jiffies - j0, 5);
	/* a task still running (not sleeping) passes straight through */
	__set_current_state(TASK_RUNNING);
	EXPECT_EQ(t, schedule_timeout(0), 0);
}

static void delay_accuracy(struct ktest *t)
{
	u64 best_u = ~0ull, best_n = ~0ull;
	unsigned long flags;

	for (int k = 0; k < 5; k++) {
		u64 t0, d;

		local_irq_save(flags);
		t0 = ktime_get_ns();
		udelay(1000);
		d = ktime_get_ns() - t0;
		local_irq_restore(flags);
		EXPECT_GE(t, d, 1000 * NSEC_PER_USEC);
		if (d < best_u)
			best_u = d;
		local_irq_save(flags);
		t0 = ktime_get_ns();
		ndelay(50000);
		d = ktime_get_ns() - t0;
		local_irq_restore(flags);
		EXPECT_GE(t, d, 50000);
		if (d < best_n)
			best_n = d;
	}
	ktest_info(t, "udelay(1000): %llu ns, ndelay(50000): %llu ns (best of 5)",
		   (unsigned long long)best_u, (unsigned long long)best_n);
	EXPECT_LE(t, best_u, 1500 * NSEC_PER_USEC);
	EXPECT_LE(t, best_n, 100 * NSEC_PER_USEC);
}

static struct ktest_case timer_cases[] = {
	KTEST_CASE(api_return_values),
	KTEST_CASE(fire_on_time_in_softirq),
	KTEST_CASE(firing_order),
	KTEST_CASE(cancel_before_expiry),
	KTEST_CASE(mod_timer_moves_pending),
	KTEST_CASE(periodic_readd),
	KTEST_CASE(readd_already_due),
	KTEST_CASE(slow_function_next_timer),
	KTEST_CASE(del_timer_sync_cases),
	KTEST_CASE(many_timers),
	KTEST_CASE(msleep_accuracy),
	KTEST_CASE(schedule_timeout_early_wake),
	KTEST_CASE(delay_accuracy),
	{},
};
KTEST_SUITE(timer, timer_cases, .exit = timer_suite_exit);
