/*
 * Workqueue workers (Linux's kernel/workqueue.c, the worker side): the
 * kworker threads of a pool and the loop they run, concurrency
 * management (the scheduler hooks below), creating workers on demand
 * and reaping idle ones, the rescuers of WQ_MEM_RECLAIM workqueues, and
 * the softirq-driven worker of the BH pools.
 *
 * Concurrency management: pool->nr_running counts the pool's workers
 * that run items and are not asleep. An idle worker is woken only when
 * items wait and nr_running is 0, and a worker keeps taking items while
 * nr_running <= 1 (itself). When a worker sleeps in an item, schedule()
 * calls wq_worker_sleeping(), nr_running drops, and the next item starts
 * in another worker; so one CPU is kept busy by about one worker.
 */
#define pr_fmt(fmt) "workqueue: " fmt
#include "workqueue_internal.h"
#include <kernel/kthread.h>
#include <kernel/slab.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/jiffies.h>
#include <kernel/trace_events.h>

/*
 * Idle workers beyond WQ_MIN_IDLE_WORKERS are reaped once they have been
 * idle wq_idle_timeout_ms, but only while idle workers outnumber busy
 * ones by MAX_IDLE_WORKERS_RATIO (Linux's rule: keep two idle workers,
 * enough to start the next items at once without creating threads).
 */
#define WQ_MIN_IDLE_WORKERS	2
#define MAX_IDLE_WORKERS_RATIO	4
unsigned int wq_idle_timeout_ms = 300 * 1000;

/*
 * Worker creation: the manager retries every CREATE_COOLDOWN after a
 * failure; MAYDAY_INITIAL_TIMEOUT after the first attempt, and every
 * MAYDAY_INTERVAL while it still cannot, the rescuers of the waiting
 * items' workqueues are called (Linux's values: 10 ms, 100 ms, 1 s).
 */
#define MAYDAY_INITIAL_TIMEOUT	(HZ / 100 >= 2 ? HZ / 100 : 2)
#define MAYDAY_INTERVAL		(HZ / 10)
#define CREATE_COOLDOWN		HZ

/*
 * A BH pool's worker runs items for at most 10 rounds and 2 ms per
 * softirq pass (the softirq limits), then re-raises itself.
 */
#define BH_WORKER_RESTARTS	10
#define BH_WORKER_MS		2

/* R: pwq->mayday_node, wq->maydays, wq->rescuer while stopping it. */
static DEFINE_SPINLOCK(wq_mayday_lock);

static unsigned long idle_timeout_jiffies(void)
{
	unsigned long j = msecs_to_jiffies(READ_ONCE(wq_idle_timeout_ms));

	return j ? j : 1;
}

static bool may_start_working(struct worker_pool *pool) { return pool->nr_idle; }

static bool keep_working(struct worker_pool *pool)
{
	return !list_empty(&pool->worklist) && pool->nr_running <= 1;
}

static bool need_to_create_worker(struct worker_pool *pool)
{
	return need_more_worker(pool) && !may_start_working(pool);
}

/* The manager counts as idle: it is about to be one more idle worker. */
static bool too_many_workers(struct worker_pool *pool)
{
	int nr_idle = pool->nr_idle + !!(pool->flags & POOL_MANAGER_ACTIVE);
	int nr_busy = pool->nr_workers - nr_idle;

	return nr_idle > WQ_MIN_IDLE_WORKERS &&
	       (nr_idle - WQ_MIN_IDLE_WORKERS) * MAX_IDLE_WORKERS_RATIO >= nr_busy;
}

/* Flags that take a worker out of nr_running, or put it back (L, by the worker itself). */
static void worker_set_flags(struct worker *worker, unsigned int flags)
{
	if ((flags & WORKER_NOT_RUNNING) && !(worker->flags & WORKER_NOT_RUNNING))
		worker->pool->nr_running--;
	worker->flags |= flags;
}

static void worker_clr_flags(struct worker *worker, unsigned int flags)
{
	unsigned int oflags = worker->flags;

	worker->flags &= ~flags;
	if ((oflags & WORKER_NOT_RUNNING) && !(worker->flags & WORKER_NOT_RUNNING))
		worker->pool->nr_running++;
}

static void worker_enter_idle(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;

	if (WARN_ON_ONCE(worker->flags & WORKER_IDLE))
		return;
	worker->flags |= WORKER_IDLE;
	pool->nr_idle++;
	worker->last_active = jiffies;
	list_add(&worker->entry, &pool->idle_list);
	/* pulled in if wq_idle_timeout_ms was shortened since it was set (the pool lock guards it) */
	if (too_many_workers(pool) &&
	    (!timer_pending(&pool->idle_timer) ||
	     time_after(pool->idle_timer.expires, jiffies + idle_timeout_jiffies())))
		mod_timer(&pool->idle_timer, jiffies + idle_timeout_jiffies());
}

static void worker_leave_idle(struct worker *worker)
{
	if (WARN_ON_ONCE(!(worker->flags & WORKER_IDLE)))
		return;
	worker->flags &= ~WORKER_IDLE;
	worker->pool->nr_idle--;
	list_del_init(&worker->entry);
}

static struct list_head *busy_bucket(struct worker_pool *pool, struct work_struct *work)
{
	unsigned long a = (unsigned long)work;

	return &pool->busy_hash[((a >> 6) ^ (a >> 12)) % BUSY_HASH_SIZE];
}

/* The worker of pool running work now, if any (L). The function is compared too: the item may have been freed and reused. */
struct worker *find_worker_executing_work(struct worker_pool *pool, struct work_struct *work)
{
	struct worker *worker;

	list_for_each_entry(worker, busy_bucket(pool, work), hentry)
		if (worker->current_work == work && worker->current_func == work->func)
			return worker;
	return NULL;
}

/*
 * Give work (and its linked barriers) to worker, unless another worker of
 * the pool runs it now: then it goes to that worker's scheduled list and
 * runs after the current run there. Returns whether worker got it (L).
 */
static bool assign_work(struct work_struct *work, struct worker *worker, struct work_struct **nextp)
{
	struct worker *collision = find_worker_executing_work(worker->pool, work);

	if (unlikely(collision)) {
		move_linked_works(work, &collision->scheduled, nextp);
		return false;
	}
	move_linked_works(work, &worker->scheduled, nextp);
	return true;
}

/* Run one item: the pool lock is dropped around its function (L). */
static void process_one_work(struct worker *worker, struct work_struct *work)
{
	struct pool_workqueue *pwq = get_work_pwq(work);
	struct worker_pool *pool = worker->pool;
	bool cpu_intensive = pwq->wq->flags & WQ_CPU_INTENSIVE;
	unsigned long work_data = *work_data_bits(work);
	unsigned int count;

	list_add(&worker->hentry, busy_bucket(pool, work));
	worker->current_work = work;
	worker->current_func = work->func;
	worker->current_pwq = pwq;
	worker->current_color = (unsigned int)((work_data >> WORK_STRUCT_COLOR_SHIFT) &
					       ((1UL << WORK_STRUCT_COLOR_BITS) - 1));
	list_del_init(&work->entry);
	/* a CPU-intensive item leaves concurrency management: the next item may start beside it */
	if (unlikely(cpu_intensive))
		worker_set_flags(worker, WORKER_CPU_INTENSIVE);
	/* chains the next item for workers outside nr_running (unbound, CPU-intensive); a no-op otherwise */
	kick_pool(pool);
	/* from here the item may be queued again: it will run after this run */
	set_work_pool_and_clear_pending(work, pool->id, (pool->flags & POOL_BH) ? WORK_OFFQ_BH : 0);
	pwq->nr_executed++;
	spin_unlock_irq(&pool->lock);

	count = preempt_count();
	trace_workqueue_execute_start(work, worker->current_func);
	worker->current_func(work);
	trace_workqueue_execute_end(work, worker->current_func);
	if (unlikely(preempt_count() != count)) {
		pr_err("BUG: workqueue leaked atomic or lock: %s/%d\n", worker->desc,
		       worker->task ? worker->task->pid : 0);
		pr_err("     preempt_count %08x -> %08x, last function: %ps\n", count, preempt_count(),
		       worker->current_func);
		preempt_count_sub(preempt_count() - count);
	}
	/* a long chain of items must not keep other tasks of equal rank off the CPU */
	if (!(pool->flags & POOL_BH))
		cond_resched();

	spin_lock_irq(&pool->lock);
	if (unlikely(cpu_intensive))
		worker_clr_flags(worker, WORKER_CPU_INTENSIVE);
	list_del_init(&worker->hentry);
	worker->current_work = NULL;
	worker->current_func = NULL;
	worker->current_pwq = NULL;
	pwq_dec_nr_in_flight(pwq, work_data);
}

static void process_scheduled_works(struct worker *worker)
{
	struct work_struct *work;

	while ((work = list_first_entry_or_null(&worker->scheduled, struct work_struct, entry)))
		process_one_work(worker, work);
}

/* ---- creating and destroying workers ---- */

static int alloc_worker_id(struct worker_pool *pool)
{
	for (int i = 0; i < MAX_WORKERS_PER_POOL; i++) {
		if (!test_bit((unsigned int)i, pool->worker_ids)) {
			set_bit((unsigned int)i, pool->worker_ids);
			return i;
		}
	}
	return -ENOSPC;
}

static struct worker *alloc_worker(void)
{
	struct worker *worker = kzalloc(sizeof(*worker), GFP_KERNEL);

	if (worker) {
		INIT_LIST_HEAD(&worker->entry);
		INIT_LIST_HEAD(&worker->hentry);
		INIT_LIST_HEAD(&worker->scheduled);
		INIT_LIST_HEAD(&worker->node);
		worker->flags = WORKER_PREP;
	}
	return worker;
}

static int worker_thread(void *arg);

/* A new kworker for pool, idle and ready. Returns 0 or -ENOMEM/-ENOSPC. Task context, pool lock not held. */
int create_worker(struct worker_pool *pool)
{
	struct worker *worker = alloc_worker();
	struct task_struct *task;
	int id;

	if (!worker)
		return -ENOMEM;
	spin_lock_irq(&pool->lock);
	id = alloc_worker_id(pool);
	spin_unlock_irq(&pool->lock);
	if (id < 0) {
		kfree(worker);
		return id;
	}
	worker->id = id;
	worker->pool = pool;
	if (pool->cpu >= 0) {
		snprintf(worker->desc, sizeof(worker->desc), "kworker/%d:%d%s", pool->cpu, id,
			 pool->nice < 0 ? "H" : "");
	} else {
		worker->flags |= WORKER_UNBOUND;
		snprintf(worker->desc, sizeof(worker->desc), "kworker/u%d:%d", pool->id, id);
	}
	task = kthread_create(worker_thread, worker, "%s", worker->desc);
	if (IS_ERR(task)) {
		spin_lock_irq(&pool->lock);
		clear_bit((unsigned int)id, pool->worker_ids);
		spin_unlock_irq(&pool->lock);
		kfree(worker);
		return (int)PTR_ERR(task);
	}
	set_user_nice(task, pool->nice);
	if (pool->cpu >= 0)
		kthread_bind(task, (unsigned int)pool->cpu);
	task->worker = worker;
	task->flags |= PF_WQ_WORKER;
	worker->task = task;

	spin_lock_irq(&pool->lock);
	list_add_tail(&worker->node, &pool->workers);
	pool->nr_workers++;
	worker_enter_idle(worker);
	wake_up_process(task);
	spin_unlock_irq(&pool->lock);
	return 0;
}

/* Tell an idle worker to exit (L). It unlinks and frees itself. */
static void destroy_worker(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;

	pool->nr_workers--;
	pool->nr_idle--;
	list_del_init(&worker->entry);
	worker->flags |= WORKER_DIE;
	wake_up_process(worker->task);
}

/* The idle timer: reap the workers idle longest, while there are too many. */
static void idle_worker_timeout(struct timer_list *t)
{
	struct worker_pool *pool = from_timer(pool, t, idle_timer);
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	while (too_many_workers(pool)) {
		struct worker *worker = list_last_entry(&pool->idle_list, struct worker, entry);
		unsigned long expires = worker->last_active + idle_timeout_jiffies();

		if (time_before(jiffies, expires)) {
			mod_timer(&pool->idle_timer, expires);
			break;
		}
		destroy_worker(worker);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
}

/* Ask the rescuer of work's workqueue to help pool (L, R). */
static void send_mayday(struct work_struct *work)
{
	struct pool_workqueue *pwq = get_work_pwq(work);
	struct workqueue_struct *wq = pwq->wq;

	if (!wq->rescuer)
		return;
	if (list_empty(&pwq->mayday_node)) {
		list_add_tail(&pwq->mayday_node, &wq->maydays);
		wake_up_process(wq->rescuer->task);
	}
}

/* The mayday timer: the manager has not managed to create a worker for a while. */
static void pool_mayday_timeout(struct timer_list *t)
{
	struct worker_pool *pool = from_timer(pool, t, mayday_timer);
	struct work_struct *work;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	spin_lock(&wq_mayday_lock);
	if (need_to_create_worker(pool))
		list_for_each_entry(work, &pool->worklist, entry)
			send_mayday(work);
	spin_unlock(&wq_mayday_lock);
	spin_unlock_irqrestore(&pool->lock, flags);
	mod_timer(&pool->mayday_timer, jiffies + MAYDAY_INTERVAL);
}

/*
 * The manager: create workers until one is idle (or the need is gone),
 * calling the rescuers while creation fails. The pool lock is dropped
 * meanwhile (L on entry and exit).
 */
static void maybe_create_worker(struct worker_pool *pool)
{
restart:
	spin_unlock_irq(&pool->lock);
	mod_timer(&pool->mayday_timer, jiffies + MAYDAY_INITIAL_TIMEOUT);
	for (;;) {
		if (!create_worker(pool) || !need_to_create_worker(pool))
			break;
		schedule_timeout_interruptible(CREATE_COOLDOWN);
		if (!need_to_create_worker(pool))
			break;
	}
	del_timer_sync(&pool->mayday_timer);
	spin_lock_irq(&pool->lock);
	if (need_to_create_worker(pool))
		goto restart;
}

/* Become the pool's manager if nobody is. Returns whether it managed (and dropped the lock meanwhile). */
static bool manage_workers(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;

	if (pool->flags & POOL_MANAGER_ACTIVE)
		return false;
	pool->flags |= POOL_MANAGER_ACTIVE;
	pool->manager = worker;
	maybe_create_worker(pool);
	pool->manager = NULL;
	pool->flags &= ~POOL_MANAGER_ACTIVE;
	return true;
}

/* A worker told to die: off the pool's lists, and gone. */
static int worker_exit(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;

	spin_lock_irq(&pool->lock);
	list_del_init(&worker->node);
	clear_bit((unsigned int)worker->id, pool->worker_ids);
	spin_unlock_irq(&pool->lock);
	current->flags &= ~PF_WQ_WORKER;
	current->worker = NULL;
	kfree(worker);
	return 0;
}

/*
 * The kworker loop: take items while the pool wants this worker to run,
 * making sure first that an idle worker stands by (or becoming the
 * manager to create one), then go idle.
 */
static int worker_thread(void *arg)
{
	struct worker *worker = arg;
	struct worker_pool *pool = worker->pool;

woke_up:
	spin_lock_irq(&pool->lock);
	if (unlikely(worker->flags & WORKER_DIE)) {
		spin_unlock_irq(&pool->lock);
		return worker_exit(worker);
	}
	worker_leave_idle(worker);
recheck:
	if (!need_more_worker(pool))
		goto sleep;
	if (unlikely(!may_start_working(pool)) && manage_workers(worker))
		goto recheck;
	WARN_ON_ONCE(!list_empty(&worker->scheduled));
	worker_clr_flags(worker, WORKER_PREP);
	do {
		struct work_struct *work = list_first_entry(&pool->worklist, struct work_struct, entry);

		if (assign_work(work, worker, NULL))
			process_scheduled_works(worker);
	} while (keep_working(pool));
	worker_set_flags(worker, WORKER_PREP);
sleep:
	worker_enter_idle(worker);
	/* a kick_pool() from here on sets us running again: no lost wake-up */
	__set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock_irq(&pool->lock);
	schedule();
	goto woke_up;
}

/* ---- concurrency management: the scheduler's hooks ---- */

void wq_worker_sleeping(struct task_struct *task)
{
	struct worker *worker = task->worker;
	struct worker_pool *pool;
	unsigned long flags;

	/* idle, preparing, managing, rescuing, unbound or CPU-intensive: not counted anyway */
	if (!worker || (READ_ONCE(worker->flags) & WORKER_NOT_RUNNING) || worker->sleeping)
		return;
	pool = worker->pool;
	spin_lock_irqsave(&pool->lock, flags);
	worker->sleeping = 1;
	pool->nr_running--;
	/* the CPU is about to be free: start the next item in another worker */
	kick_pool(pool);
	spin_unlock_irqrestore(&pool->lock, flags);
}

void wq_worker_running(struct task_struct *task)
{
	struct worker *worker = task->worker;
	struct worker_pool *pool;
	unsigned long flags;

	if (!worker || !worker->sleeping)
		return;
	pool = worker->pool;
	spin_lock_irqsave(&pool->lock, flags);
	if (!(worker->flags & WORKER_NOT_RUNNING))
		pool->nr_running++;
	worker->sleeping = 0;
	spin_unlock_irqrestore(&pool->lock, flags);
}

/* ---- rescuers ---- */

/*
 * A WQ_MEM_RECLAIM workqueue's own thread: when a pool cannot create a
 * worker, the mayday timer lists the pool here and the rescuer runs this
 * workqueue's items of that pool itself, so they progress even when no
 * memory for a new thread can be had. Never counted in nr_running.
 */
static int rescuer_thread(void *arg)
{
	struct worker *rescuer = arg;
	struct workqueue_struct *wq = rescuer->rescue_wq;
	bool should_stop;

repeat:
	set_current_state(TASK_INTERRUPTIBLE);
	should_stop = kthread_should_stop();
	spin_lock_irq(&wq_mayday_lock);
	while (!list_empty(&wq->maydays)) {
		struct pool_workqueue *pwq = list_first_entry(&wq->maydays, struct pool_workqueue,
							       mayday_node);
		struct worker_pool *pool = pwq->pool;
		struct work_struct *work, *n;

		__set_current_state(TASK_RUNNING);
		list_del_init(&pwq->mayday_node);
		spin_unlock_irq(&wq_mayday_lock);

		rescuer->pool = pool;
		spin_lock_irq(&pool->lock);
		list_for_each_entry_safe(work, n, &pool->worklist, entry)
			if (get_work_pwq(work) == pwq)
				assign_work(work, rescuer, &n);
		if (!list_empty(&rescuer->scheduled)) {
			process_scheduled_works(rescuer);
			/* still stuck with items left: stay on the list for another round */
			if (pwq->nr_active && need_to_create_worker(pool)) {
				spin_lock(&wq_mayday_lock);
				if (list_empty(&pwq->mayday_node))
					list_add_tail(&pwq->mayday_node, &wq->maydays);
				spin_unlock(&wq_mayday_lock);
			}
		}
		/* leave the pool to its workers, woken if items remain */
		kick_pool(pool);
		spin_unlock_irq(&pool->lock);
		rescuer->pool = NULL;
		spin_lock_irq(&wq_mayday_lock);
	}
	spin_unlock_irq(&wq_mayday_lock);
	if (should_stop) {
		__set_current_state(TASK_RUNNING);
		current->flags &= ~PF_WQ_WORKER;
		current->worker = NULL;
		return 0;
	}
	schedule();
	goto repeat;
}

int create_rescuer(struct workqueue_struct *wq)
{
	struct worker *rescuer = alloc_worker();
	struct task_struct *task;

	if (!rescuer)
		return -ENOMEM;
	rescuer->rescue_wq = wq;
	rescuer->id = -1;
	/* PREP for good: a rescuer never counts in nr_running */
	rescuer->flags = WORKER_PREP;
	snprintf(rescuer->desc, sizeof(rescuer->desc), "kworker/R-%s", wq->name);
	task = kthread_create(rescuer_thread, rescuer, "%s", rescuer->desc);
	if (IS_ERR(task)) {
		kfree(rescuer);
		return (int)PTR_ERR(task);
	}
	task->worker = rescuer;
	task->flags |= PF_WQ_WORKER;
	rescuer->task = task;
	wq->rescuer = rescuer;
	wake_up_process(task);
	return 0;
}

void stop_rescuer(struct workqueue_struct *wq)
{
	struct worker *rescuer = wq->rescuer;

	if (!rescuer)
		return;
	spin_lock_irq(&wq_mayday_lock);
	wq->rescuer = NULL;
	spin_unlock_irq(&wq_mayday_lock);
	kthread_stop(rescuer->task);
	kfree(rescuer);
}

/* ---- BH pools ---- */

/*
 * A BH pool's items run here, from its tasklet (TASKLET_SOFTIRQ, or
 * HI_SOFTIRQ for the high-priority pool), in softirq context: they must
 * not sleep. One worker, no threads; the pool's nr_running is 1 while it
 * runs so keep_working() works as for kworkers.
 */
static void bh_worker(struct tasklet_struct *t)
{
	struct worker_pool *pool = from_tasklet(pool, t, bh_tasklet);
	struct worker *worker = pool->bh_worker;
	unsigned long end = jiffies + msecs_to_jiffies(BH_WORKER_MS);
	int nr_restarts = BH_WORKER_RESTARTS;

	spin_lock_irq(&pool->lock);
	worker_leave_idle(worker);
	if (!need_more_worker(pool))
		goto done;
	worker_clr_flags(worker, WORKER_PREP);
	do {
		struct work_struct *work = list_first_entry(&pool->worklist, struct work_struct, entry);

		if (assign_work(work, worker, NULL))
			process_scheduled_works(worker);
	} while (keep_working(pool) && --nr_restarts && time_before_eq(jiffies, end));
	worker_set_flags(worker, WORKER_PREP);
done:
	worker_enter_idle(worker);
	/* what is left is for the next pass */
	kick_pool(pool);
	spin_unlock_irq(&pool->lock);
}

void init_worker_pool(struct worker_pool *pool, int cpu, int nice, bool bh)
{
	spin_lock_init(&pool->lock);
	pool->cpu = cpu;
	pool->nice = nice;
	pool->flags = bh ? POOL_BH : 0;
	INIT_LIST_HEAD(&pool->worklist);
	INIT_LIST_HEAD(&pool->idle_list);
	INIT_LIST_HEAD(&pool->workers);
	INIT_LIST_HEAD(&pool->node);
	for (int i = 0; i < BUSY_HASH_SIZE; i++)
		INIT_LIST_HEAD(&pool->busy_hash[i]);
	timer_setup(&pool->idle_timer, idle_worker_timeout, 0);
	timer_setup(&pool->mayday_timer, pool_mayday_timeout, 0);
	if (bh) {
		struct worker *worker = alloc_worker();

		BUG_ON(!worker);
		worker->pool = pool;
		snprintf(worker->desc, sizeof(worker->desc), "bh/%d%s", cpu, nice < 0 ? "H" : "");
		list_add_tail(&worker->node, &pool->workers);
		pool->nr_workers = 1;
		pool->bh_worker = worker;
		worker_enter_idle(worker);
		tasklet_setup(&pool->bh_tasklet, bh_worker);
	}
}
