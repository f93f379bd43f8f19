/*
 * Workqueues, the queueing side (Linux's kernel/workqueue.c): the worker
 * pools, the state a work item keeps in work->data, queue_work() with
 * max_active and non-reentrancy, and making and destroying workqueues.
 * Workers and the running of items are in workqueue_worker.c, flushing
 * in workqueue_flush.c, cancelling and delayed work in
 * workqueue_cancel.c, the listing in workqueue_show.c.
 */
#define pr_fmt(fmt) "workqueue: " fmt
#include "workqueue_internal.h"
#include <kernel/slab.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/smp.h>
#include <kernel/errno.h>
#include <kernel/trace_events.h>

/* Per CPU: [0] normal, [1] high priority; kworker pools and BH pools. */
static DEFINE_PER_CPU(struct worker_pool, cpu_worker_pools[NR_STD_WORKER_POOLS]);
static DEFINE_PER_CPU(struct worker_pool, bh_worker_pools[NR_STD_WORKER_POOLS]);

DEFINE_SPINLOCK(wq_list_lock);
LIST_HEAD(workqueues);			/* A */
LIST_HEAD(unbound_pools);		/* A */
struct worker_pool *worker_pools_by_id[MAX_WORKER_POOLS]; /* A */
static DEFINE_MUTEX(wq_pool_mutex);	/* serializes making unbound pools and workqueues */
bool wq_online;				/* workers can be created (workqueue_init() ran) */
static bool wq_booting = true;		/* in workqueue_init_early(): one thread, interrupts off */

/* wq_pool_mutex, except during workqueue_init_early() where nothing can contend and nothing may sleep. */
static void wq_pool_lock(void)
{
	if (!wq_booting)
		mutex_lock(&wq_pool_mutex);
}

static void wq_pool_unlock(void)
{
	if (!wq_booting)
		mutex_unlock(&wq_pool_mutex);
}

/* Linux's nice levels of the two standard pools. */
static const int std_nice[NR_STD_WORKER_POOLS] = { 0, -20 };

struct workqueue_struct *system_wq;
struct workqueue_struct *system_highpri_wq;
struct workqueue_struct *system_long_wq;
struct workqueue_struct *system_unbound_wq;
struct workqueue_struct *system_bh_wq;
struct workqueue_struct *system_bh_highpri_wq;

struct worker_pool *cpu_worker_pool(int cpu, bool highpri)
{
	return &per_cpu(cpu_worker_pools[highpri], cpu);
}

struct worker_pool *bh_worker_pool(int cpu, bool highpri)
{
	return &per_cpu(bh_worker_pools[highpri], cpu);
}

/* Give pool an id, so off-queue work->data can name it. */
static int worker_pool_assign_id(struct worker_pool *pool)
{
	unsigned long flags;
	int id = -ENOSPC;

	spin_lock_irqsave(&wq_list_lock, flags);
	for (int i = 0; i < MAX_WORKER_POOLS; i++) {
		if (!worker_pools_by_id[i]) {
			worker_pools_by_id[i] = pool;
			pool->id = id = i;
			break;
		}
	}
	spin_unlock_irqrestore(&wq_list_lock, flags);
	return id < 0 ? id : 0;
}

/* ---- work->data ---- */

static void set_work_data(struct work_struct *work, unsigned long data)
{
	atomic_long_set(&work->data, (long)data);
}

static void set_work_pwq(struct work_struct *work, struct pool_workqueue *pwq, unsigned long flags)
{
	set_work_data(work, (unsigned long)pwq | WORK_STRUCT_PENDING | WORK_STRUCT_PWQ | flags);
}

/*
 * The item is off its queue (it starts running, or was cancelled): record
 * the pool for flush_work() and non-reentrancy and drop PENDING. The
 * barriers order the item's earlier stores before PENDING clears, and the
 * clearing before whatever the function then reads, so a queue_work()
 * racing with the start is never lost.
 */
void set_work_pool_and_clear_pending(struct work_struct *work, int pool_id, unsigned long offq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	set_work_data(work, ((unsigned long)pool_id << WORK_OFFQ_POOL_SHIFT) | offq);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

struct pool_workqueue *get_work_pwq(struct work_struct *work)
{
	unsigned long data = (unsigned long)atomic_long_read(&work->data);

	return (data & WORK_STRUCT_PWQ) ? (struct pool_workqueue *)(data & WORK_STRUCT_WQ_DATA_MASK) : NULL;
}

/* The pool work is queued on or last ran on (NULL if never). */
struct worker_pool *get_work_pool(struct work_struct *work)
{
	unsigned long data = (unsigned long)atomic_long_read(&work->data);
	unsigned long id;

	if (data & WORK_STRUCT_PWQ)
		return ((struct pool_workqueue *)(data & WORK_STRUCT_WQ_DATA_MASK))->pool;
	id = data >> WORK_OFFQ_POOL_SHIFT;
	return id < MAX_WORKER_POOLS ? worker_pools_by_id[id] : NULL;
}

static unsigned long work_color_to_flags(int color)
{
	return (unsigned long)color << WORK_STRUCT_COLOR_SHIFT;
}

static int get_work_color(unsigned long data)
{
	return (int)((data >> WORK_STRUCT_COLOR_SHIFT) & ((1UL << WORK_STRUCT_COLOR_BITS) - 1));
}

/* The worker current is, if current is a kworker or a BH item runs on this CPU. */
struct worker *current_wq_worker(void)
{
	if (in_task())
		return (current->flags & PF_WQ_WORKER) ? current->worker : NULL;
	if (in_serving_softirq()) {
		for (int i = 0; i < NR_STD_WORKER_POOLS; i++) {
			struct worker *w = bh_worker_pool(smp_processor_id(), i)->bh_worker;

			if (w && READ_ONCE(w->current_work))
				return w;
		}
	}
	return NULL;
}

struct work_struct *current_work(void)
{
	struct worker *worker = current_wq_worker();

	return worker ? worker->current_work : NULL;
}

bool current_is_workqueue_rescuer(void)
{
	struct worker *worker = current_wq_worker();

	return worker && worker->rescue_wq;
}

/* ---- queueing ---- */

/* Wake a worker if the pool has work and none is running (L). */
void kick_pool(struct worker_pool *pool)
{
	struct worker *worker;

	if (list_empty(&pool->worklist) || pool->nr_running)
		return;
	if (pool->flags & POOL_BH) {
		/* the high-priority BH pool runs from HI_SOFTIRQ, the other from TASKLET_SOFTIRQ */
		if (pool->nice < 0)
			tasklet_hi_schedule(&pool->bh_tasklet);
		else
			tasklet_schedule(&pool->bh_tasklet);
		return;
	}
	worker = list_first_entry_or_null(&pool->idle_list, struct worker, entry);
	if (worker)
		wake_up_process(worker->task);
}

/* Put work on head (a pool worklist, a pwq's inactive list, after a flush target) (L). */
void insert_work(struct pool_workqueue *pwq, struct work_struct *work, struct list_head *head,
		 unsigned long extra_flags)
{
	set_work_pwq(work, pwq, extra_flags);
	list_add_tail(&work->entry, head);
}

/* Move work, and the barriers linked after it, to the end of head; *nextp: what follows them. */
void move_linked_works(struct work_struct *work, struct list_head *head, struct work_struct **nextp)
{
	struct work_struct *n;

	for (;;) {
		n = list_next_entry(work, entry);
		list_move_tail(&work->entry, head);
		if (!(*work_data_bits(work) & WORK_STRUCT_LINKED))
			break;
		work = n;
	}
	if (nextp)
		*nextp = n;
}

/* An inactive item gets a max_active slot: on to the pool's worklist (L). */
void pwq_activate_work(struct pool_workqueue *pwq, struct work_struct *work)
{
	pwq->nr_active++;
	move_linked_works(work, &pwq->pool->worklist, NULL);
	clear_bit(WORK_STRUCT_INACTIVE_BIT, work_data_bits(work));
	trace_workqueue_activate_work(work);
}

static void pwq_activate_inactive(struct pool_workqueue *pwq)
{
	bool any = false;

	while (!list_empty(&pwq->inactive_works) && pwq->nr_active < pwq->max_active) {
		pwq_activate_work(pwq, list_first_entry(&pwq->inactive_works, struct work_struct, entry));
		any = true;
	}
	if (any)
		kick_pool(pwq->pool);
}

/*
 * An item of pwq left it (finished or cancelled); work_data is its data
 * from while it was queued. Frees its max_active slot for the next
 * inactive item and ends a flush waiting for its color (L).
 */
void pwq_dec_nr_in_flight(struct pool_workqueue *pwq, unsigned long work_data)
{
	int color = get_work_color(work_data);

	if (!(work_data & WORK_STRUCT_INACTIVE)) {
		pwq->nr_active--;
		pwq_activate_inactive(pwq);
	}
	if (color == WORK_NO_COLOR)
		return;
	pwq->nr_in_flight[color]--;
	if (pwq->flush_color == color && !pwq->nr_in_flight[color]) {
		pwq->flush_color = -1;
		if (atomic_dec_and_test(&pwq->wq->nr_pwqs_to_flush))
			complete(&pwq->wq->first_flusher->done);
	}
}

bool pwq_is_empty(struct pool_workqueue *pwq)
{
	return !pwq->nr_active && list_empty(&pwq->inactive_works);
}

/* Is current one of wq's own items (which may still queue on a draining wq)? */
static bool is_chained_work(struct workqueue_struct *wq)
{
	struct worker *worker = current_wq_worker();

	return worker && worker->current_pwq && worker->current_pwq->wq == wq;
}

/*
 * Queue work, whose PENDING bit the caller set, on wq (interrupts off).
 * If the item still runs in some pool for this wq, it goes to that pool,
 * where the running worker takes it after the current run: never two
 * runs of one item at once.
 */
void __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	struct pool_workqueue *pwq;
	struct worker_pool *last_pool, *pool;
	unsigned long work_flags;

	WARN_ON_ONCE(!irqs_disabled());
	if (unlikely(READ_ONCE(wq->flags) & (__WQ_DRAINING | __WQ_DESTROYING)) &&
	    WARN(!is_chained_work(wq), "workqueue: cannot queue %ps on %s: it is being drained\n",
		 work->func, wq->name))
		return;
	if (cpu == WORK_CPU_UNBOUND || cpu >= (int)num_online_cpus() || cpu < 0)
		cpu = smp_processor_id();
	pwq = wq->cpu_pwq[cpu];
	pool = pwq->pool;

	last_pool = get_work_pool(work);
	if (last_pool && last_pool != pool && !(wq->flags & __WQ_ORDERED)) {
		struct worker *worker;

		spin_lock(&last_pool->lock);
		worker = find_worker_executing_work(last_pool, work);
		if (worker && worker->current_pwq->wq == wq) {
			pwq = worker->current_pwq;
			pool = last_pool;
		} else {
			spin_unlock(&last_pool->lock);
			spin_lock(&pool->lock);
		}
	} else {
		spin_lock(&pool->lock);
	}

	if (WARN_ON(!list_empty(&work->entry))) {
		spin_unlock(&pool->lock);
		return;
	}
	trace_workqueue_queue_work(cpu, pool->cpu, wq->name, work);
	pwq->nr_in_flight[pwq->work_color]++;
	work_flags = work_color_to_flags(pwq->work_color);
	/* behind earlier inactive items even if a slot is free: the order is kept */
	if (list_empty(&pwq->inactive_works) && pwq->nr_active < pwq->max_active) {
		pwq->nr_active++;
		insert_work(pwq, work, &pool->worklist, work_flags);
		trace_workqueue_activate_work(work);
		kick_pool(pool);
	} else {
		insert_work(pwq, work, &pwq->inactive_works, work_flags | WORK_STRUCT_INACTIVE);
	}
	spin_unlock(&pool->lock);
}

/*
 * Refuse a disabled item whose PENDING bit we just took: give the bit
 * back and keep the rest of its off-queue data. Returns whether it was
 * disabled.
 */
bool clear_pending_if_disabled(struct work_struct *work)
{
	unsigned long data = *work_data_bits(work);

	if (!(data & WORK_OFFQ_DISABLE_MASK))
		return false;
	set_work_pool_and_clear_pending(work, (int)(data >> WORK_OFFQ_POOL_SHIFT),
					data & ~WORK_STRUCT_NO_POOL & ~WORK_STRUCT_FLAG_MASK);
	return true;
}

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	unsigned long flags;
	bool ret = false;

	local_irq_save(flags);
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work)) &&
	    !clear_pending_if_disabled(work)) {
		__queue_work(cpu, wq, work);
		ret = true;
	}
	local_irq_restore(flags);
	return ret;
}

/* ---- workqueues ---- */

static struct worker_pool *get_unbound_pool(int nice)
{
	struct worker_pool *pool;
	unsigned long flags;

	list_for_each_entry(pool, &unbound_pools, node)
		if (pool->nice == nice)
			return pool;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	init_worker_pool(pool, -1, nice, false);
	if (worker_pool_assign_id(pool)) {
		kfree(pool);
		return NULL;
	}
	if (wq_online && create_worker(pool)) {
		/* the pool stays listed (its id is taken); a later queueing wakes its manager path */
		pr_warn("no first worker for unbound pool %d\n", pool->id);
	}
	spin_lock_irqsave(&wq_list_lock, flags);
	list_add_tail(&pool->node, &unbound_pools);
	spin_unlock_irqrestore(&wq_list_lock, flags);
	return pool;
}

static struct pool_workqueue *alloc_pwq(struct workqueue_struct *wq, struct worker_pool *pool)
{
	struct pool_workqueue *pwq = kzalloc(sizeof(*pwq), GFP_KERNEL);

	if (!pwq)
		return NULL;
	WARN_ON_ONCE((unsigned long)pwq & WORK_STRUCT_FLAG_MASK);
	pwq->pool = pool;
	pwq->wq = wq;
	pwq->flush_color = -1;
	pwq->max_active = wq->max_active;
	INIT_LIST_HEAD(&pwq->inactive_works);
	INIT_LIST_HEAD(&pwq->mayday_node);
	list_add_tail(&pwq->pwqs_node, &wq->pwqs);
	return pwq;
}

static int alloc_and_link_pwqs(struct workqueue_struct *wq)
{
	bool highpri = wq->flags & WQ_HIGHPRI;
	int cpu;

	if (wq->flags & WQ_UNBOUND) {
		struct worker_pool *pool = get_unbound_pool(std_nice[highpri]);
		struct pool_workqueue *pwq = pool ? alloc_pwq(wq, pool) : NULL;

		if (!pwq)
			return -ENOMEM;
		/* one pwq for every CPU for now; per-node pwqs would be chosen here */
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			wq->cpu_pwq[cpu] = pwq;
		return 0;
	}
	for_each_possible_cpu(cpu) {
		struct worker_pool *pool = (wq->flags & WQ_BH) ? bh_worker_pool(cpu, highpri) :
								 cpu_worker_pool(cpu, highpri);

		wq->cpu_pwq[cpu] = alloc_pwq(wq, pool);
		if (!wq->cpu_pwq[cpu])
			return -ENOMEM;
	}
	return 0;
}

static void free_pwqs(struct workqueue_struct *wq)
{
	struct pool_workqueue *pwq, *n;

	list_for_each_entry_safe(pwq, n, &wq->pwqs, pwqs_node)
		kfree(pwq);
}

#define __WQ_BH_ALLOWS	(WQ_BH | WQ_HIGHPRI | WQ_FREEZABLE)

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	struct workqueue_struct *wq;
	unsigned long irq_flags;
	va_list ap;

	if (flags & WQ_BH) {
		if (WARN_ON_ONCE(flags & ~__WQ_BH_ALLOWS) || WARN_ON_ONCE(max_active))
			return NULL;
	}
	wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);

	if (max_active <= 0)
		max_active = WQ_DFL_ACTIVE;
	if (max_active > WQ_MAX_ACTIVE) {
		pr_warn("max_active %d requested for %s is out of range, clamping to %d\n",
			max_active, wq->name, WQ_MAX_ACTIVE);
		max_active = WQ_MAX_ACTIVE;
	}
	wq->flags = flags;
	wq->max_active = max_active;
	INIT_LIST_HEAD(&wq->pwqs);
	INIT_LIST_HEAD(&wq->maydays);
	INIT_LIST_HEAD(&wq->list);
	mutex_init(&wq->mutex);

	wq_pool_lock();
	if (alloc_and_link_pwqs(wq))
		goto fail;
	/* before workqueue_init() the rescuer is made there */
	if ((flags & WQ_MEM_RECLAIM) && wq_online && create_rescuer(wq))
		goto fail;
	spin_lock_irqsave(&wq_list_lock, irq_flags);
	list_add_tail(&wq->list, &workqueues);
	spin_unlock_irqrestore(&wq_list_lock, irq_flags);
	wq_pool_unlock();
	return wq;
fail:
	wq_pool_unlock();
	free_pwqs(wq);
	kfree(wq);
	return NULL;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct pool_workqueue *pwq;
	bool busy = false;

	might_sleep();
	drain_workqueue(wq);
	stop_rescuer(wq);

	mutex_lock(&wq->mutex);
	wq->flags |= __WQ_DESTROYING;
	list_for_each_entry(pwq, &wq->pwqs, pwqs_node) {
		spin_lock_irq(&pwq->pool->lock);
		if (!pwq_is_empty(pwq))
			busy = true;
		for (int c = 0; c < WORK_NR_COLORS; c++)
			if (pwq->nr_in_flight[c])
				busy = true;
		spin_unlock_irq(&pwq->pool->lock);
	}
	mutex_unlock(&wq->mutex);
	spin_lock_irq(&wq_list_lock);
	list_del_init(&wq->list);
	spin_unlock_irq(&wq_list_lock);
	/* items still in flight point at the pwqs: leak them rather than corrupt the pools */
	if (WARN(busy, "workqueue: %s destroyed with items in flight\n", wq->name))
		return;
	free_pwqs(wq);
	kfree(wq);
}

/* ---- boot ---- */

void workqueue_init_early(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		for (int i = 0; i < NR_STD_WORKER_POOLS; i++) {
			struct worker_pool *pool = cpu_worker_pool(cpu, i);

			init_worker_pool(pool, cpu, std_nice[i], false);
			BUG_ON(worker_pool_assign_id(pool));
			pool = bh_worker_pool(cpu, i);
			init_worker_pool(pool, cpu, std_nice[i], true);
			BUG_ON(worker_pool_assign_id(pool));
		}
	}
	system_wq = alloc_workqueue("events", 0, 0);
	system_highpri_wq = alloc_workqueue("events_highpri", WQ_HIGHPRI, 0);
	system_long_wq = alloc_workqueue("events_long", 0, 0);
	system_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, WQ_MAX_ACTIVE);
	system_bh_wq = alloc_workqueue("events_bh", WQ_BH, 0);
	system_bh_highpri_wq = alloc_workqueue("events_bh_highpri", WQ_BH | WQ_HIGHPRI, 0);
	BUG_ON(!system_wq || !system_highpri_wq || !system_long_wq || !system_unbound_wq ||
	       !system_bh_wq || !system_bh_highpri_wq);
	wq_booting = false;
}

/* Threads can be made now: one first worker per pool, and the rescuers asked for so far. */
void workqueue_init(void)
{
	struct workqueue_struct *wq;
	struct worker_pool *pool;
	int cpu;

	mutex_lock(&wq_pool_mutex);
	wq_online = true;
	for_each_online_cpu(cpu)
		for (int i = 0; i < NR_STD_WORKER_POOLS; i++)
			BUG_ON(create_worker(cpu_worker_pool(cpu, i)));
	list_for_each_entry(pool, &unbound_pools, node)
		BUG_ON(create_worker(pool));
	list_for_each_entry(wq, &workqueues, list)
		if ((wq->flags & WQ_MEM_RECLAIM) && !wq->rescuer)
			BUG_ON(create_rescuer(wq));
	mutex_unlock(&wq_pool_mutex);
}
