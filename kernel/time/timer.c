/*
 * timer_list timers (Linux's kernel/time/timer.c, with a simpler wheel).
 *
 * Each CPU has a wheel of WHEEL_SIZE buckets, one per jiffy modulo the
 * wheel size: a timer due at jiffy E waits in bucket E % WHEEL_SIZE,
 * perhaps for several turns. base->clk is the next jiffy whose bucket
 * has not been run. The tick moves clk past empty buckets and raises
 * TIMER_SOFTIRQ when it reaches a bucket with timers in it; the softirq
 * runs the due ones (expires <= clk) and leaves those of later turns.
 * Adding, changing and deleting are O(1), and unlike Linux's wheel no
 * timer fires later than the first tick at or after its expiry.
 *
 * Functions run in softirq context with interrupts on. base->lock (with
 * interrupts off) guards the wheel; base->running_timer tells
 * del_timer_sync() whose function runs now.
 */
#define pr_fmt(fmt) "timer: " fmt
#include <kernel/timer.h>
#include <kernel/interrupt.h>
#include <kernel/spinlock.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/smp.h>
#include <kernel/kallsyms.h>
#include <kernel/trace_events.h>

/* 512 buckets: 2 s at HZ=250, so most timers fire on their first turn. */
#define WHEEL_SIZE	512
#define WHEEL_MASK	(WHEEL_SIZE - 1)

struct timer_base {
	spinlock_t lock;
	unsigned long clk;			/* next jiffy to run */
	struct timer_list *running_timer;	/* whose function runs now, or NULL */
	unsigned int count;			/* pending timers */
	unsigned long examined;			/* timers looked at by the softirq (a measure of its work) */
	struct list_head vectors[WHEEL_SIZE];
};

static DEFINE_PER_CPU(struct timer_base, timer_bases);

static struct timer_base *timer_base_of(int cpu)
{
	return per_cpu_ptr(&timer_bases, cpu);
}

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags)
{
	INIT_LIST_HEAD(&timer->entry);
	timer->function = func;
	timer->expires = 0;
	timer->flags = (flags & ~TIMER_CPUMASK) | (u32)smp_processor_id();
}

/*
 * Lock the base the timer is on. The timer's CPU can change under us
 * until its base's lock is held, so check again once it is. While
 * TIMER_MIGRATING is set, __mod_timer() on another CPU holds neither
 * base's lock and is about to enqueue it on the new one: wait for it.
 */
static struct timer_base *lock_timer_base(struct timer_list *timer, unsigned long *flags)
{
	for (;;) {
		u32 tf = READ_ONCE(timer->flags);
		struct timer_base *base = timer_base_of(tf & TIMER_CPUMASK);

		if (tf & TIMER_MIGRATING) {
			cpu_relax();
			continue;
		}

		spin_lock_irqsave(&base->lock, *flags);
		if (READ_ONCE(timer->flags) == tf)
			return base;
		spin_unlock_irqrestore(&base->lock, *flags);
	}
}

static void enqueue_timer(struct timer_base *base, struct timer_list *timer)
{
	/* already due: the next bucket to run takes it */
	unsigned long slot = time_before(timer->expires, base->clk) ? base->clk : timer->expires;

	list_add_tail(&timer->entry, &base->vectors[slot & WHEEL_MASK]);
	base->count++;
}

static int detach_if_pending(struct timer_base *base, struct timer_list *timer)
{
	if (!timer_pending(timer))
		return 0;
	list_del_init(&timer->entry);
	base->count--;
	return 1;
}

static int __mod_timer(struct timer_list *timer, unsigned long expires, int cpu)
{
	struct timer_base *base, *new;
	unsigned long flags;
	int ret;

	if (WARN_ON_ONCE(!timer->function))
		return 0;
	if (!timer->entry.next)		/* statically defined: DEFINE_TIMER */
		INIT_LIST_HEAD(&timer->entry);
	base = lock_timer_base(timer, &flags);
	ret = detach_if_pending(base, timer);
	if (cpu < 0)
		cpu = (timer->flags & TIMER_PINNED) ? (int)(timer->flags & TIMER_CPUMASK) : smp_processor_id();
	new = timer_base_of(cpu);
	/* move it to the chosen CPU, unless its function runs now (it would then run twice at once) */
	if (new != base && base->running_timer != timer) {
		/*
		 * Between the two locks no lock covers the timer: had its new
		 * CPU been published already, another CPU's mod_timer() could
		 * take the new base's lock first and enqueue it too, and a
		 * del_timer_sync() there would miss the add about to happen.
		 */
		WRITE_ONCE(timer->flags, timer->flags | TIMER_MIGRATING);
		spin_unlock(&base->lock);
		base = new;
		spin_lock(&base->lock);
		WRITE_ONCE(timer->flags, (timer->flags & ~(TIMER_CPUMASK | TIMER_MIGRATING)) | (u32)cpu);
	}
	timer->expires = expires;
	enqueue_timer(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}

void add_timer(struct timer_list *timer)
{
	if (WARN_ON_ONCE(timer_pending(timer)))
		return;
	__mod_timer(timer, timer->expires, -1);
}

void add_timer_on(struct timer_list *timer, int cpu)
{
	if (WARN_ON_ONCE(timer_pending(timer)))
		return;
	__mod_timer(timer, timer->expires, cpu);
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, -1);
}

int del_timer(struct timer_list *timer)
{
	unsigned long flags;
	struct timer_base *base;
	int ret;

	if (!timer->entry.next)
		return 0;
	base = lock_timer_base(timer, &flags);
	ret = detach_if_pending(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}

/* -1 if the function runs right now, else what del_timer() returns. */
static int try_to_del_timer_sync(struct timer_list *timer)
{
	unsigned long flags;
	struct timer_base *base;
	int ret = -1;

	base = lock_timer_base(timer, &flags);
	if (base->running_timer != timer)
		ret = detach_if_pending(base, timer);
	spin_unlock_irqrestore(&base->lock, flags);
	return ret;
}

int del_timer_sync(struct timer_list *timer)
{
	int ret;

	if (!timer->entry.next)
		return 0;
	/* from hard-IRQ context the function may be what we interrupted: it could never finish */
	WARN_ON(in_hardirq() && !(timer->flags & TIMER_IRQSAFE));
	for (;;) {
		ret = try_to_del_timer_sync(timer);
		if (ret >= 0)
			return ret;
		/* on this CPU it is our own caller: waiting would never end */
		if (WARN_ON_ONCE(in_serving_softirq() &&
				 timer_base_of(smp_processor_id())->running_timer == timer))
			return 0;
		cpu_relax();
	}
}

static void call_timer_fn(struct timer_list *timer, void (*fn)(struct timer_list *))
{
	unsigned int count = preempt_count();

	trace_timer_expire_entry(timer, fn);
	fn(timer);
	trace_timer_expire_exit(timer);
	if (WARN(preempt_count() != count, "timer: %ps preempt leak: %08x -> %08x\n", fn, count,
		 preempt_count()))
		preempt_count_sub(preempt_count() - count);
}

/* TIMER_SOFTIRQ: run every bucket from clk up to now. */
static void run_timer_softirq(struct softirq_action *h)
{
	struct timer_base *base = this_cpu_ptr(&timer_bases);

	spin_lock_irq(&base->lock);
	while (time_after_eq(jiffies, base->clk)) {
		struct list_head *bucket = &base->vectors[base->clk & WHEEL_MASK];
		struct timer_list *timer, *next;
		LIST_HEAD(due);

		/* collect first: a function may re-add its timer for this very jiffy, which must wait for the next pass */
		list_for_each_entry_safe(timer, next, bucket, entry) {
			base->examined++;
			if (time_before_eq(timer->expires, base->clk))
				list_move_tail(&timer->entry, &due);
		}
		/*
		 * Past this bucket before any function runs: the lock is dropped
		 * while they do, and meanwhile the tick may move clk on over
		 * empty buckets, and a function may re-add its timer as already
		 * due (enqueue_timer() puts that in bucket clk). Stepping clk
		 * after the functions would skip both for a whole wheel turn.
		 */
		base->clk++;
		while (!list_empty(&due)) {
			timer = list_first_entry(&due, struct timer_list, entry);
			void (*fn)(struct timer_list *) = timer->function;

			list_del_init(&timer->entry);
			base->count--;
			base->running_timer = timer;
			spin_unlock_irq(&base->lock);
			call_timer_fn(timer, fn);
			spin_lock_irq(&base->lock);
			base->running_timer = NULL;
		}
	}
	spin_unlock_irq(&base->lock);
}

/* From the tick (hard IRQ): skip empty buckets; raise the softirq when a bucket with timers is reached. */
void run_local_timers(void)
{
	struct timer_base *base = this_cpu_ptr(&timer_bases);
	bool raise = false;

	spin_lock(&base->lock);
	if (!base->count) {
		base->clk = jiffies + 1;
	} else {
		while (time_after_eq(jiffies, base->clk)) {
			if (!list_empty(&base->vectors[base->clk & WHEEL_MASK])) {
				raise = true;
				break;
			}
			base->clk++;
		}
	}
	spin_unlock(&base->lock);
	if (raise)
		raise_softirq_irqoff(TIMER_SOFTIRQ);
}

unsigned long timers_examined_cpu(int cpu)
{
	return READ_ONCE(timer_base_of(cpu)->examined);
}

unsigned int timers_pending_cpu(int cpu)
{
	return READ_ONCE(timer_base_of(cpu)->count);
}

void show_timers(int (*print)(const char *fmt, ...))
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct timer_base *base = timer_base_of(cpu);
		unsigned long flags;
		unsigned int shown = 0;

		spin_lock_irqsave(&base->lock, flags);
		print("cpu%d: %u pending timers, clk %lu, jiffies %lu\n", cpu, base->count,
			base->clk, jiffies);
		for (int i = 0; i < WHEEL_SIZE && shown < 32; i++) {
			struct timer_list *t;

			list_for_each_entry(t, &base->vectors[i], entry) {
				if (shown++ >= 32)
					break;
				print("  %-40ps expires in %ld jiffies\n", t->function,
					(long)(t->expires - jiffies));
			}
		}
		spin_unlock_irqrestore(&base->lock, flags);
	}
}

/* ---- sleeping ---- */

struct process_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct process_timer *pt = from_timer(pt, t, timer);

	wake_up_process(pt->task);
}

long schedule_timeout(long timeout)
{
	struct process_timer pt;
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx from %pS\n", (unsigned long)timeout,
		       __builtin_return_address(0));
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = jiffies + (unsigned long)timeout;
	pt.task = current;
	timer_setup(&pt.timer, process_timeout, 0);
	pt.timer.expires = expire;
	__mod_timer(&pt.timer, expire, -1);
	schedule();
	del_timer_sync(&pt.timer);
	timeout = (long)(expire - jiffies);
	return timeout < 0 ? 0 : timeout;
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/* At least msecs: one jiffy more, as the current one is partly over. */
void msleep(unsigned int msecs)
{
	long timeout = (long)msecs_to_jiffies(msecs) + 1;

	might_sleep();
	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}

void init_timers(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct timer_base *base = timer_base_of(cpu);

		spin_lock_init(&base->lock);
		base->clk = jiffies;
		for (int i = 0; i < WHEEL_SIZE; i++)
			INIT_LIST_HEAD(&base->vectors[i]);
	}
	open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
}
