/*
 * The scheduler: per-CPU run queues, picking the next task, switching to
 * it, wake-ups and preemption (Linux's kernel/sched/core.c and fair.c,
 * reduced to what a kernel of kernel threads needs).
 *
 * Each CPU's run queue holds its runnable tasks except the one running:
 * SCHED_FIFO tasks in `fifo`, highest rt_priority first and FIFO among
 * equals, and SCHED_NORMAL tasks in `fair`, least vruntime first. The
 * idle task is on neither list; it runs when both are empty.
 *
 * Locking: rq->lock with interrupts off guards the lists, every task's
 * on_rq/__state transitions to and from TASK_RUNNING, and rq->curr.
 */
#define pr_fmt(fmt) "sched: " fmt
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/errno.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/smp.h>
#include <kernel/interrupt.h>
#include <kernel/vmalloc.h>
#include <kernel/workqueue.h>
#include <kernel/trace_events.h>
#include <asm/switch_to.h>
#include <asm/traps.h>
#include <asm/processor.h>
#include "sched.h"

DEFINE_PER_CPU(struct task_struct *, current_task);
DEFINE_PER_CPU(bool, cpu_need_resched);
static DEFINE_PER_CPU(struct rq, runqueues);

LIST_HEAD(all_tasks);
DEFINE_SPINLOCK(tasklist_lock);

/*
 * Linux's weights for nice -20..19: each step is about 10 % of CPU time
 * between two competing tasks (a factor of 1.25 in weight).
 */
static const unsigned long nice_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291,
	29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906,
	3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423,
	335, 272, 215, 172, 137,
	110, 87, 70, 56, 45,
	36, 29, 23, 18, 15,
};

/*
 * The period in which every runnable normal task should run once, and
 * the least a task runs before the tick may preempt it (Linux's
 * sysctl_sched_latency and min_granularity at one CPU). A woken task
 * preempts the running one when it is behind by more than
 * WAKEUP_GRANULARITY of vruntime.
 */
#define SCHED_LATENCY_NS	6000000ULL
#define MIN_GRANULARITY_NS	750000ULL
#define WAKEUP_GRANULARITY_NS	1000000ULL

/* Balance every 4 ticks (16 ms at HZ=250), and whenever a CPU is about to idle. */
#define BALANCE_INTERVAL_TICKS	4

struct rq *cpu_rq(int cpu)
{
	return per_cpu_ptr(&runqueues, cpu);
}

static struct rq *this_rq(void)
{
	return this_cpu_ptr(&runqueues);
}

struct task_struct *idle_task(int cpu)
{
	return cpu_rq(cpu)->idle;
}

unsigned long nr_context_switches_cpu(int cpu)
{
	return cpu_rq(cpu)->nr_switches;
}

static void rq_lock(struct rq *rq) { arch_spin_lock(&rq->lock); }
static void rq_unlock(struct rq *rq) { arch_spin_unlock(&rq->lock); }

/* Lock the run queue p is on; p->cpu may change until that lock is held. Interrupts off. */
static struct rq *task_rq_lock(struct task_struct *p)
{
	for (;;) {
		struct rq *rq = cpu_rq(READ_ONCE(p->cpu));

		rq_lock(rq);
		if (rq == cpu_rq(READ_ONCE(p->cpu)))
			return rq;
		rq_unlock(rq);
	}
}

/* Two run queues at once, always in the same (address) order, so two CPUs doing it cannot deadlock. */
static void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		rq_lock(a);
	} else if (a < b) {
		rq_lock(a);
		rq_lock(b);
	} else {
		rq_lock(b);
		rq_lock(a);
	}
}

static void double_rq_unlock(struct rq *a, struct rq *b)
{
	rq_unlock(a);
	if (a != b)
		rq_unlock(b);
}

/* ---- the two classes' queues ---- */

static void enqueue_fifo(struct rq *rq, struct task_struct *p, bool head)
{
	struct task_struct *t;

	list_for_each_entry(t, &rq->fifo, run_list) {
		if (t->rt_priority < p->rt_priority ||
		    (head && t->rt_priority == p->rt_priority)) {
			list_add_tail(&p->run_list, &t->run_list);
			return;
		}
	}
	list_add_tail(&p->run_list, &rq->fifo);
}

static void enqueue_fair(struct rq *rq, struct task_struct *p)
{
	struct task_struct *t;

	rq->fair_weight += p->weight;
	list_for_each_entry(t, &rq->fair, run_list) {
		if ((s64)(p->vruntime - t->vruntime) < 0) {
			list_add_tail(&p->run_list, &t->run_list);
			return;
		}
	}
	list_add_tail(&p->run_list, &rq->fair);
}

static void enqueue_task(struct rq *rq, struct task_struct *p, bool head)
{
	WARN_ON_ONCE(!list_empty(&p->run_list));
	if (p->policy == SCHED_FIFO)
		enqueue_fifo(rq, p, head);
	else
		enqueue_fair(rq, p);
	rq->nr_running++;
}

static void dequeue_task(struct rq *rq, struct task_struct *p)
{
	list_del_init(&p->run_list);
	if (p->policy != SCHED_FIFO)
		rq->fair_weight -= p->weight;
	rq->nr_running--;
}

/* Charge the running task for the time since it last was charged; returns the time it read. */
static u64 update_curr(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	u64 now = ktime_get_ns();
	u64 delta = now - curr->exec_start;

	if ((s64)delta <= 0)
		return now;
	curr->exec_start = now;
	curr->sum_exec_runtime += delta;
	if (curr->flags & PF_IDLE)
		return now;
	if (curr->policy != SCHED_FIFO) {
		curr->vruntime += delta * NICE_0_LOAD / curr->weight;
		/* min_vruntime only moves forwards: the least of curr and the leftmost queued */
		u64 m = curr->vruntime;
		struct task_struct *left = list_first_entry_or_null(&rq->fair, struct task_struct, run_list);

		if (left && (s64)(left->vruntime - m) < 0)
			m = left->vruntime;
		if ((s64)(m - rq->min_vruntime) > 0)
			rq->min_vruntime = m;
	}
	return now;
}

/*
 * The next task: the first FIFO one, else the normal one with the least
 * vruntime, but not `skip` (a normal task that yields) if another normal
 * task is waiting, as Linux's skip buddy.
 */
static struct task_struct *pick_next_task(struct rq *rq, struct task_struct *skip)
{
	struct task_struct *p;

	if (!list_empty(&rq->fifo))
		return list_first_entry(&rq->fifo, struct task_struct, run_list);
	if (list_empty(&rq->fair))
		return rq->idle;
	p = list_first_entry(&rq->fair, struct task_struct, run_list);
	if (p == skip && !list_is_singular(&rq->fair))
		p = list_next_entry(p, run_list);
	return p;
}

/* The slice a normal task gets before the tick preempts it: its share of the latency period. */
static u64 sched_slice(struct rq *rq, struct task_struct *p)
{
	unsigned long total = rq->fair_weight + p->weight;
	u64 slice = SCHED_LATENCY_NS * p->weight / total;

	return slice < MIN_GRANULARITY_NS ? MIN_GRANULARITY_NS : slice;
}

void resched_curr_cpu(int cpu)
{
	WRITE_ONCE(per_cpu(cpu_need_resched, cpu), true);
	/* another CPU reads the flag at its next preemption point: make that now */
	if (cpu != smp_processor_id())
		smp_send_reschedule(cpu);
}

/* Should p, just made runnable on rq, run before rq->curr? */
static bool should_preempt(struct rq *rq, struct task_struct *p)
{
	struct task_struct *curr = rq->curr;

	if (curr->flags & PF_IDLE)
		return true;
	if (p->policy == SCHED_FIFO)
		return curr->policy != SCHED_FIFO || p->rt_priority > curr->rt_priority;
	if (curr->policy == SCHED_FIFO)
		return false;
	update_curr(rq);
	return (s64)(curr->vruntime - p->vruntime) > (s64)(WAKEUP_GRANULARITY_NS * NICE_0_LOAD / p->weight);
}

/* A task joins its run queue after sleeping (or for the first time): give it no more than half a period of credit. */
static void place_task(struct rq *rq, struct task_struct *p, bool initial)
{
	u64 floor = initial ? rq->min_vruntime : rq->min_vruntime - SCHED_LATENCY_NS / 2;

	if (initial || (s64)(p->vruntime - floor) < 0)
		p->vruntime = floor;
}

/* ---- wake-ups ---- */

/* ---- where tasks run (SMP) ---- */

/* Runnable tasks on cpu, counting the running one unless it is the idle task. */
static unsigned int cpu_load(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->nr_running) + !(READ_ONCE(rq->curr)->flags & PF_IDLE);
}

/*
 * The CPU a waking or new task should run on: its previous CPU if that
 * is idle (its cache may still be warm), else the least loaded CPU it
 * may run on, the previous one winning ties. Reads other CPUs' queues
 * without their locks: a hint, not a promise.
 */
static int select_task_rq(struct task_struct *p, int prev_cpu)
{
	int cpu, best = -1;
	unsigned int best_load = ~0u;

	if (cpu_online(prev_cpu) && cpumask_test_cpu((unsigned int)prev_cpu, &p->cpus_allowed)) {
		if (!cpu_load(prev_cpu))
			return prev_cpu;
		best = prev_cpu;
		best_load = cpu_load(prev_cpu);
	}
	for_each_online_cpu(cpu) {
		unsigned int load;

		if (cpu == prev_cpu || !cpumask_test_cpu((unsigned int)cpu, &p->cpus_allowed))
			continue;
		load = cpu_load(cpu);
		if (load < best_load) {
			best = cpu;
			best_load = load;
		}
	}
	return best >= 0 ? best : prev_cpu;
}

/*
 * Move a queued, not running task from src to dst (both locked). Its
 * vruntime moves from src's timeline to dst's: what it is owed relative
 * to the others stays the same.
 */
static void migrate_queued_task(struct rq *src, struct rq *dst, struct task_struct *p)
{
	dequeue_task(src, p);
	if (p->policy != SCHED_FIFO)
		p->vruntime = p->vruntime - src->min_vruntime + dst->min_vruntime;
	WRITE_ONCE(p->cpu, dst->cpu);
	p->nr_migrations++;
	dst->nr_migrations_in++;
	enqueue_task(dst, p, false);
	if (should_preempt(dst, p))
		resched_curr_cpu(dst->cpu);
}

/* Make p runnable on rq (locked): place and queue it, and preempt the running task if p should run first. */
static void activate_task(struct rq *rq, struct task_struct *p, bool initial)
{
	WRITE_ONCE(p->__state, TASK_RUNNING);
	if (p->policy != SCHED_FIFO)
		place_task(rq, p, initial);
	enqueue_task(rq, p, false);
	p->on_rq = 1;
	if (should_preempt(rq, p))
		resched_curr_cpu(p->cpu);
}

/*
 * A sleeping (or new) task is about to wake on rq, locked: if another CPU
 * suits it better, hand it over. While it is between the two queues it
 * is TASK_WAKING, which no other waker accepts. Returns the rq it wakes
 * on, locked.
 */
static struct rq *move_waking_task(struct rq *rq, struct task_struct *p, bool initial)
{
	int cpu = select_task_rq(p, p->cpu);

	if (cpu == rq->cpu)
		return rq;
	WRITE_ONCE(p->__state, TASK_WAKING);
	if (!initial && p->policy != SCHED_FIFO)
		p->vruntime -= rq->min_vruntime;
	WRITE_ONCE(p->cpu, cpu);
	rq_unlock(rq);
	rq = cpu_rq(cpu);
	rq_lock(rq);
	if (!initial && p->policy != SCHED_FIFO)
		p->vruntime += rq->min_vruntime;
	if (!initial) {
		p->nr_migrations++;
		rq->nr_migrations_in++;
	}
	return rq;
}

/*
 * The preempt_disable()/preempt_enable() pair around a wake-up is its
 * preemption point, as in Linux's try_to_wake_up(): when the woken task
 * should run first and the caller is preemptible, the switch happens
 * before the wake-up returns, not at the next interrupt.
 */
int wake_up_state(struct task_struct *p, unsigned int state)
{
	unsigned long flags;
	struct rq *rq;
	int ret = 0;

	preempt_disable();
	local_irq_save(flags);
	rq = task_rq_lock(p);
	/* a thread from kthread_create() starts at its first wake-up (checked under the lock: two wakers, one start) */
	if (READ_ONCE(p->__state) == TASK_NEW) {
		rq = move_waking_task(rq, p, true);
		activate_task(rq, p, true);
		trace_sched_wakeup_new(p);
		ret = 1;
	} else if (READ_ONCE(p->__state) & state) {
		ret = 1;
		/* still on the queue: it had not left the CPU yet, so it only needs its state back */
		if (p->on_rq) {
			WRITE_ONCE(p->__state, TASK_RUNNING);
		} else {
			rq = move_waking_task(rq, p, false);
			activate_task(rq, p, false);
		}
		trace_sched_wakeup(p);
	}
	rq_unlock(rq);
	local_irq_restore(flags);
	preempt_enable();
	return ret;
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}

void wake_up_new_task(struct task_struct *p)
{
	wake_up_state(p, TASK_NEW);
}

/* ---- switching ---- */

/* prev, preempted while its allowed CPUs changed, waits on rq (this CPU's) where it may no longer run: move it. */
static void push_disallowed_task(struct rq *rq, struct task_struct *prev)
{
	int cpu = select_task_rq(prev, rq->cpu);
	struct rq *dst = cpu_rq(cpu);

	if (dst == rq)
		return;
	double_rq_lock(rq, dst);
	if (prev->on_rq && prev->cpu == rq->cpu && rq->curr != prev)
		migrate_queued_task(rq, dst, prev);
	double_rq_unlock(rq, dst);
}

static void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();
	bool push = prev->on_rq && !(prev->flags & PF_IDLE) &&
		    !cpumask_test_cpu((unsigned int)rq->cpu, &prev->cpus_allowed);

	WRITE_ONCE(prev->on_cpu, 0);
	rq_unlock(rq);
	if (unlikely(push))
		push_disallowed_task(rq, prev);
	if (READ_ONCE(prev->__state) == TASK_DEAD)
		put_task_struct(prev);
}

/* The first code a new task runs (from ret_from_fork): what __schedule() would have done after the switch. */
void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
	/* __schedule() ran with preempt_count 1; the new task starts at 0 */
	preempt_enable_no_resched();
}

/*
 * Why the running task calls __schedule(): it goes to sleep (leaves the
 * queue unless its state is TASK_RUNNING again), it is preempted (stays
 * queued; a FIFO task keeps its place at the head of its priority, as
 * Linux), or it yields (stays queued; a FIFO task goes behind the others
 * of its priority, as Linux's sched_yield()).
 */
enum sched_mode { SM_SLEEP, SM_PREEMPT, SM_YIELD };

static void __schedule(enum sched_mode mode)
{
	struct rq *rq = this_rq();
	struct task_struct *prev, *next;
	unsigned long flags;
	u64 now;

	local_irq_save(flags);
	rq_lock(rq);
	prev = rq->curr;
	WARN_ON_ONCE(prev != current);
	now = update_curr(rq);

	if (!(prev->flags & PF_IDLE)) {
		/* a sleep (not a preemption between set_current_state() and schedule()) leaves the queue */
		if (mode == SM_SLEEP && READ_ONCE(prev->__state) != TASK_RUNNING) {
			prev->on_rq = 0;
		} else {
			/* still runnable: back in the queue, a preempted FIFO task at the head of its priority */
			enqueue_task(rq, prev, mode == SM_PREEMPT);
		}
	}
	next = pick_next_task(rq, mode == SM_YIELD ? prev : NULL);
	/* its allowed CPUs changed: let anything else (the idle task at least) run, and push it after the switch */
	if (unlikely(next == prev && !cpumask_test_cpu((unsigned int)rq->cpu, &prev->cpus_allowed))) {
		next = pick_next_task(rq, prev);
		if (next == prev)
			next = rq->idle;
	}
	if (!(next->flags & PF_IDLE))
		dequeue_task(rq, next);
	this_cpu_write(cpu_need_resched, false);

	if (next == prev) {
		rq_unlock(rq);
		local_irq_restore(flags);
		return;
	}
	/* one clock read per switch, as Linux's rq clock: prev was charged up to now */
	next->exec_start = now;
	next->slice_start = next->sum_exec_runtime;
	next->nr_switches++;
	/* a task runs on one CPU at a time: this would be two stacks in one */
	WARN_ON_ONCE(READ_ONCE(next->on_cpu));
	/* one task, one CPU: running it here too would be two CPUs on one stack */
	WARN_ON_ONCE(READ_ONCE(next->on_cpu));
	WARN_ON_ONCE(next->cpu != rq->cpu);
	next->on_cpu = 1;
	next->cpu = smp_processor_id();
	rq->curr = next;
	rq->nr_switches++;
	trace_sched_switch(mode == SM_PREEMPT, prev, next);
	arch_prepare_switch(next);
	this_cpu_write(current_task, next);
	prev = __switch_to_asm(prev, next);
	/* here we are `next` again, resumed by some later switch away from prev */
	finish_task_switch(prev);
	local_irq_restore(flags);
}

void schedule(void)
{
	struct task_struct *tsk = current;

	if (unlikely(preempt_count() || irqs_disabled())) {
		pr_err("BUG: scheduling while atomic: %s/%d/0x%08x%s\n", tsk->comm, tsk->pid,
		       preempt_count(), irqs_disabled() ? " (interrupts off)" : "");
		dump_stack();
	}
	preempt_disable();
	/* a workqueue worker going to sleep: its pool may start another worker (before we leave the CPU) */
	if (READ_ONCE(tsk->__state) != TASK_RUNNING && (tsk->flags & PF_WQ_WORKER))
		wq_worker_sleeping(tsk);
	__schedule(SM_SLEEP);
	if (tsk->flags & PF_WQ_WORKER)
		wq_worker_running(tsk);
	preempt_enable_no_resched();
}

void yield(void)
{
	preempt_disable();
	__schedule(SM_YIELD);
	preempt_enable_no_resched();
}

int _cond_resched(void)
{
	if (need_resched() && preemptible()) {
		preempt_disable();
		__schedule(SM_PREEMPT);
		preempt_enable_no_resched();
		return 1;
	}
	return 0;
}

void preempt_schedule(void)
{
	if (!preemptible())
		return;
	do {
		preempt_disable();
		__schedule(SM_PREEMPT);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* Called on the way out of an interrupt to task context, with interrupts off and preempt_count 0. */
void preempt_schedule_irq(void)
{
	WARN_ON_ONCE(preempt_count() || !irqs_disabled());
	do {
		preempt_disable();
		local_irq_enable();
		__schedule(SM_PREEMPT);
		local_irq_disable();
		preempt_enable_no_resched();
	} while (need_resched());
}

void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *curr;

	rq_lock(rq);
	curr = rq->curr;
	update_curr(rq);
	if (curr->flags & PF_IDLE) {
		if (rq->nr_running)
			resched_curr_cpu(smp_processor_id());
	} else if (curr->policy != SCHED_FIFO && !list_empty(&rq->fair)) {
		struct task_struct *left = list_first_entry(&rq->fair, struct task_struct, run_list);
		u64 ran = curr->sum_exec_runtime - curr->slice_start;

		/* slice used up, and someone is owed the CPU more than curr */
		if (ran >= sched_slice(rq, curr) && (s64)(curr->vruntime - left->vruntime) > 0)
			resched_curr_cpu(smp_processor_id());
	} else if (curr->policy != SCHED_FIFO && !list_empty(&rq->fifo)) {
		resched_curr_cpu(smp_processor_id());
	}
	if (++rq->balance_ticks >= BALANCE_INTERVAL_TICKS && num_online_cpus() > 1) {
		rq->balance_ticks = 0;
		raise_softirq_irqoff(SCHED_SOFTIRQ);
	}
	rq_unlock(rq);
}

/* ---- priorities and affinity ---- */

static void change_sched(struct task_struct *p, int policy, int rt_prio, int nice)
{
	unsigned long flags;
	struct rq *rq;
	bool queued;

	local_irq_save(flags);
	rq = task_rq_lock(p);
	queued = p->on_rq && rq->curr != p;
	if (queued)
		dequeue_task(rq, p);
	p->policy = policy;
	p->rt_priority = rt_prio;
	p->static_prio_nice = nice;
	p->weight = nice_to_weight[nice - MIN_NICE];
	if (queued)
		enqueue_task(rq, p, false);
	if (rq->curr == p || queued)
		resched_curr_cpu(p->cpu);
	rq_unlock(rq);
	local_irq_restore(flags);
}

void set_user_nice(struct task_struct *p, long nice)
{
	if (nice < MIN_NICE)
		nice = MIN_NICE;
	if (nice > MAX_NICE)
		nice = MAX_NICE;
	change_sched(p, p->policy, p->rt_priority, (int)nice);
}

int sched_setscheduler_nocheck(struct task_struct *p, int policy, int prio)
{
	if (policy == SCHED_FIFO && (prio < 1 || prio >= MAX_RT_PRIO))
		return -EINVAL;
	if (policy == SCHED_NORMAL && prio != 0)
		return -EINVAL;
	if (policy != SCHED_FIFO && policy != SCHED_NORMAL)
		return -EINVAL;
	change_sched(p, policy, prio, p->static_prio_nice);
	return 0;
}

void sched_set_fifo(struct task_struct *p)
{
	sched_setscheduler_nocheck(p, SCHED_FIFO, MAX_RT_PRIO / 2);
}

void sched_set_normal(struct task_struct *p, int nice)
{
	sched_setscheduler_nocheck(p, SCHED_NORMAL, 0);
	set_user_nice(p, nice);
}

int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *mask)
{
	unsigned long flags;
	struct rq *rq, *dst;
	bool any = false, self;
	int cpu;

	for_each_online_cpu(cpu)
		any |= cpumask_test_cpu((unsigned int)cpu, mask);
	if (!any)
		return -EINVAL;
	self = p == current && preemptible();
	local_irq_save(flags);
	rq = task_rq_lock(p);
	cpumask_copy(&p->cpus_allowed, mask);
	if (cpumask_test_cpu((unsigned int)rq->cpu, mask) || !p->on_rq) {
		/* fine where it is, or asleep: its next wake-up picks an allowed CPU */
		rq_unlock(rq);
	} else if (rq->curr == p) {
		/* running: once it leaves the CPU, finish_task_switch() moves it; the caller itself leaves now */
		resched_curr_cpu(rq->cpu);
		rq_unlock(rq);
		if (self) {
			local_irq_restore(flags);
			preempt_disable();
			__schedule(SM_PREEMPT);
			preempt_enable_no_resched();
			return 0;
		}
	} else {
		rq_unlock(rq);
		dst = cpu_rq(select_task_rq(p, p->cpu));
		double_rq_lock(rq, dst);
		if (p->cpu == rq->cpu && p->on_rq && rq->curr != p && dst != rq)
			migrate_queued_task(rq, dst, p);
		double_rq_unlock(rq, dst);
	}
	local_irq_restore(flags);
	return 0;
}

/* ---- load balancing ---- */


/*
 * Pull one queued task to this CPU from the busiest other CPU, if moving
 * it makes the two more even (the busiest has at least two more runnable
 * tasks). Queued tasks are not running, so they can move; the one that
 * most recently ran (the tail of a queue) is the one left behind longest.
 * Returns whether a task moved.
 */
static bool load_balance(void)
{
	struct rq *this = this_rq(), *busiest = NULL;
	unsigned int max_load = 0, this_load = cpu_load(this->cpu);
	struct task_struct *p, *pick = NULL;
	unsigned long flags;
	int cpu;

	for_each_online_cpu(cpu) {
		unsigned int load = cpu_load(cpu);

		if (cpu != this->cpu && cpu_rq(cpu)->nr_running && load > max_load) {
			max_load = load;
			busiest = cpu_rq(cpu);
		}
	}
	if (!busiest || max_load < this_load + 2)
		return false;
	local_irq_save(flags);
	double_rq_lock(this, busiest);
	list_for_each_entry(p, &busiest->fair, run_list)
		if (cpumask_test_cpu((unsigned int)this->cpu, &p->cpus_allowed))
			pick = p;
	if (!pick)
		list_for_each_entry(p, &busiest->fifo, run_list)
			if (cpumask_test_cpu((unsigned int)this->cpu, &p->cpus_allowed))
				pick = p;
	if (pick && busiest->nr_running + !(busiest->curr->flags & PF_IDLE) >=
		    this->nr_running + !(this->curr->flags & PF_IDLE) + 2)
		migrate_queued_task(busiest, this, pick);
	else
		pick = NULL;
	double_rq_unlock(this, busiest);
	local_irq_restore(flags);
	return pick != NULL;
}

/* SCHED_SOFTIRQ, raised by the tick every BALANCE_INTERVAL_TICKS. */
static void run_rebalance(struct softirq_action *h)
{
	load_balance();
}

/* From the idle loop before it halts: find work elsewhere. */
void idle_balance(void)
{
	if (num_online_cpus() > 1)
		load_balance();
}

unsigned long nr_migrations_cpu(int cpu)
{
	return cpu_rq(cpu)->nr_migrations_in;
}

/* ---- task bookkeeping ---- */

static int next_pid = 1;

void sched_init_task(struct task_struct *p, const char *name)
{
	unsigned long flags;

	p->__state = TASK_NEW;
	p->policy = SCHED_NORMAL;
	p->static_prio_nice = 0;
	p->weight = NICE_0_LOAD;
	p->cpu = smp_processor_id();
	INIT_LIST_HEAD(&p->run_list);
	cpumask_clear(&p->cpus_allowed);
	for (unsigned int c = 0; c < num_possible_cpus(); c++)
		cpumask_set_cpu(c, &p->cpus_allowed);
	p->usage = 1;
	strlcpy(p->comm, name, sizeof(p->comm));
	spin_lock_irqsave(&tasklist_lock, flags);
	p->pid = next_pid++;
	list_add_tail(&p->tasks, &all_tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void get_task_struct(struct task_struct *p)
{
	__atomic_add_fetch(&p->usage, 1, __ATOMIC_SEQ_CST);
}

/* Drop a reference; the last one frees the stack and the task (never the running one). */
void put_task_struct(struct task_struct *p)
{
	unsigned long flags;

	if (__atomic_sub_fetch(&p->usage, 1, __ATOMIC_SEQ_CST))
		return;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_del_init(&p->tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	vfree(p->stack);
	kfree(p->kthread);
	kfree(p);
}

struct task_struct *find_task_by_pid(int pid)
{
	struct task_struct *p, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks) {
		if (p->pid == pid) {
			found = p;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/* The end of do_exit(): leave the CPU for good; the next task's finish_task_switch() drops our reference. */
void __noreturn do_task_dead(void)
{
	preempt_disable();
	set_current_state(TASK_DEAD);
	__schedule(SM_SLEEP);
	BUG();
	for (;;)
		;
}

const char *task_state_name(const struct task_struct *p)
{
	long s = READ_ONCE(p->__state);

	if (p->flags & PF_IDLE)
		return "I (idle)";
	switch (s) {
	case TASK_RUNNING: return p->on_cpu ? "R (running)" : "R (runnable)";
	case TASK_INTERRUPTIBLE: return "S (sleeping)";
	case TASK_UNINTERRUPTIBLE: return "D (disk sleep)";
	case TASK_PARKED: return "P (parked)";
	case TASK_DEAD: return "X (dead)";
	case TASK_NEW: return "N (new)";
	default: return "?";
	}
}

void show_tasks(int (*print)(const char *fmt, ...))
{
	struct task_struct *p;
	unsigned long flags;

	print("  PID CPU STATE           PRI     SWITCHES  RUNTIME(ms) NAME\n");
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks) {
		char pri[8];

		if (p->policy == SCHED_FIFO)
			snprintf(pri, sizeof(pri), "FF%d", p->rt_priority);
		else
			snprintf(pri, sizeof(pri), "%d", p->static_prio_nice);
		print("%5d %3d %-15s %-5s %10lu %12llu %s\n", p->pid, p->cpu, task_state_name(p), pri,
		      p->nr_switches, (unsigned long long)(p->sum_exec_runtime / 1000000), p->comm);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* ---- might_sleep ---- */

void __might_sleep(const char *file, int line)
{
	static unsigned long reported;

	if (likely(!preempt_count() && !irqs_disabled()))
		return;
	if (reported++ > 100)
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	pr_err("in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n", preempt_count() != 0,
	       irqs_disabled(), current->pid, current->comm);
	pr_err("preempt_count: %x\n", preempt_count());
	dump_stack();
}

/* ---- boot ---- */

static void init_rq(struct rq *rq, int cpu, struct task_struct *idle)
{
	spin_lock_init(&rq->lock);
	rq->cpu = cpu;
	INIT_LIST_HEAD(&rq->fifo);
	INIT_LIST_HEAD(&rq->fair);
	rq->idle = rq->curr = idle;
}

static struct task_struct init_task = {
	.__state = TASK_RUNNING,
	.flags = PF_IDLE | PF_KTHREAD,
	.pid = 0,
	.comm = "swapper/0",
	.weight = NICE_0_LOAD,
	.on_rq = 0,
	.on_cpu = 1,
	.usage = 1,
};

void sched_init(void)
{
	INIT_LIST_HEAD(&init_task.run_list);
	cpumask_set_cpu(0, &init_task.cpus_allowed);
	list_add_tail(&init_task.tasks, &all_tasks);
	init_rq(this_rq(), 0, &init_task);
	open_softirq(SCHED_SOFTIRQ, run_rebalance);
	this_cpu_write(current_task, &init_task);
}

/* The idle task of a secondary CPU ("swapper/N", pid 0 as all idle tasks), before that CPU starts on its stack. */
struct task_struct *sched_create_idle(int cpu)
{
	struct task_struct *idle = kzalloc(sizeof(*idle), GFP_KERNEL);
	unsigned long flags;

	if (!idle)
		return NULL;
	idle->stack = vmalloc_stack(THREAD_SIZE);
	if (!idle->stack) {
		kfree(idle);
		return NULL;
	}
	idle->__state = TASK_RUNNING;
	idle->flags = PF_IDLE | PF_KTHREAD;
	snprintf(idle->comm, sizeof(idle->comm), "swapper/%d", cpu);
	idle->weight = NICE_0_LOAD;
	idle->on_cpu = 1;
	idle->cpu = cpu;
	idle->usage = 1;
	INIT_LIST_HEAD(&idle->run_list);
	cpumask_set_cpu((unsigned int)cpu, &idle->cpus_allowed);
	init_rq(cpu_rq(cpu), cpu, idle);
	per_cpu(current_task, cpu) = idle;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_add_tail(&idle->tasks, &all_tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return idle;
}

/* On a secondary CPU as it starts: its idle task begins to account time. */
void sched_start_secondary(void)
{
	current->exec_start = ktime_get_ns();
}

/* The boot code moved to its guarded stack: that is the idle task's stack. */
void sched_init_idle_stack(void)
{
	init_task.stack = arch_boot_stack();
	init_task.exec_start = ktime_get_ns();
}
