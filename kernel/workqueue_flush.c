/*
 * Waiting for work items (Linux's flush_work(), flush_workqueue(),
 * drain_workqueue()). flush_work() queues a barrier item right behind
 * its target (or first in the scheduled list of the worker running it)
 * and sleeps until the barrier ran. flush_workqueue() uses flush colors:
 * new items take the workqueue's next color, and the flusher waits
 * until no item of the previous color is in flight in any of its pools.
 */
#define pr_fmt(fmt) "workqueue: " fmt
#include "workqueue_internal.h"
#include <kernel/wait.h>
#include <kernel/printk.h>
#include <kernel/bug.h>

struct wq_barrier {
	struct work_struct work;
	struct completion done;
};

static void wq_barrier_func(struct work_struct *work)
{
	struct wq_barrier *barr = container_of(work, struct wq_barrier, work);

	complete(&barr->done);
}

/*
 * Queue barr behind target: first in the running worker's scheduled list
 * if target runs, else right after target, linked to it so they move
 * together. It takes target's color (a workqueue flush waits for it too)
 * and is marked INACTIVE so it never holds a max_active slot (L).
 */
static void insert_wq_barrier(struct pool_workqueue *pwq, struct wq_barrier *barr,
			      struct work_struct *target, struct worker *worker)
{
	unsigned long work_flags = WORK_STRUCT_INACTIVE;
	struct list_head *head;
	int color;

	INIT_WORK(&barr->work, wq_barrier_func);
	init_completion(&barr->done);
	if (worker) {
		head = worker->scheduled.next;
		color = (int)worker->current_color;
	} else {
		unsigned long *bits = work_data_bits(target);

		head = target->entry.next;
		work_flags |= *bits & WORK_STRUCT_LINKED;
		color = (int)((*bits >> WORK_STRUCT_COLOR_SHIFT) & ((1UL << WORK_STRUCT_COLOR_BITS) - 1));
		set_bit(WORK_STRUCT_LINKED_BIT, bits);
	}
	if (color != WORK_NO_COLOR)
		pwq->nr_in_flight[color]++;
	work_flags |= (unsigned long)color << WORK_STRUCT_COLOR_SHIFT;
	insert_work(pwq, &barr->work, head, work_flags);
}

/*
 * Waiting on wq from one of its own items (or a rescuer of it) cannot end
 * when wq is ordered or at max_active; and a WQ_MEM_RECLAIM item must not
 * wait for a workqueue without a rescuer (it may need memory to run).
 */
static bool check_flush_dependency(struct workqueue_struct *target_wq, struct work_struct *target)
{
	struct worker *worker = current_wq_worker();

	if (!worker || !worker->current_pwq)
		return true;
	if (target && worker->current_work == target && worker->current_func == target->func) {
		WARN(1, "workqueue: %ps flushing itself: it would wait for its own end forever\n", target->func);
		return false;
	}
	if (!target && worker->current_pwq->wq == target_wq) {
		WARN(1, "workqueue: %ps on %s flushes its own workqueue %s: deadlock\n",
		     worker->current_func, worker->current_pwq->wq->name, target_wq->name);
		return false;
	}
	WARN((worker->current_pwq->wq->flags & WQ_MEM_RECLAIM) && !(target_wq->flags & WQ_MEM_RECLAIM),
	     "workqueue: WQ_MEM_RECLAIM %s:%ps is flushing !WQ_MEM_RECLAIM %s:%ps\n",
	     worker->current_pwq->wq->name, worker->current_func, target_wq->name,
	     target ? (void *)target->func : NULL);
	return true;
}

/* Queue a barrier behind work if it is queued or running. Returns whether one was queued. */
static bool start_flush_work(struct work_struct *work, struct wq_barrier *barr)
{
	struct worker *worker = NULL;
	struct worker_pool *pool;
	struct pool_workqueue *pwq;
	unsigned long flags;

	local_irq_save(flags);
	pool = get_work_pool(work);
	if (!pool) {
		local_irq_restore(flags);
		return false;
	}
	spin_lock(&pool->lock);
	pwq = get_work_pwq(work);
	if (pwq) {
		/* queued, but moved to another pool meanwhile: gone from here */
		if (unlikely(pwq->pool != pool))
			goto already_gone;
	} else {
		worker = find_worker_executing_work(pool, work);
		if (!worker)
			goto already_gone;
		pwq = worker->current_pwq;
	}
	if (!check_flush_dependency(pwq->wq, work))
		goto already_gone;
	insert_wq_barrier(pwq, barr, work, worker);
	spin_unlock(&pool->lock);
	local_irq_restore(flags);
	return true;
already_gone:
	spin_unlock(&pool->lock);
	local_irq_restore(flags);
	return false;
}

bool __flush_work(struct work_struct *work, bool from_cancel)
{
	struct wq_barrier barr;

	if (WARN_ON(!wq_online) || WARN_ON(!work->func))
		return false;
	might_sleep();
	if (!start_flush_work(work, &barr))
		return false;
	wait_for_completion(&barr.done);
	return true;
}

bool flush_work(struct work_struct *work)
{
	return __flush_work(work, false);
}

/*
 * Wait until every item queued on wq before now has finished. Flushers
 * take turns (wq->mutex): each starts a new color and waits for the pwqs
 * that still hold items of the old one, so a color comes round again
 * only after its flush completed.
 */
void __flush_workqueue(struct workqueue_struct *wq)
{
	struct wq_flusher flusher;
	struct pool_workqueue *pwq;
	int color, next;

	if (WARN_ON(!wq_online))
		return;
	if (!check_flush_dependency(wq, NULL))
		return;
	might_sleep();
	mutex_lock(&wq->mutex);
	color = wq->work_color;
	next = (color + 1) % WORK_NR_COLORS;
	flusher.flush_color = color;
	init_completion(&flusher.done);
	wq->first_flusher = &flusher;
	/* the initial 1 keeps the count from reaching 0 before every pwq was looked at */
	atomic_set(&wq->nr_pwqs_to_flush, 1);
	list_for_each_entry(pwq, &wq->pwqs, pwqs_node) {
		spin_lock_irq(&pwq->pool->lock);
		pwq->work_color = next;
		if (pwq->nr_in_flight[color]) {
			pwq->flush_color = color;
			atomic_inc(&wq->nr_pwqs_to_flush);
		}
		spin_unlock_irq(&pwq->pool->lock);
	}
	wq->work_color = next;
	if (!atomic_dec_and_test(&wq->nr_pwqs_to_flush))
		wait_for_completion(&flusher.done);
	wq->first_flusher = NULL;
	mutex_unlock(&wq->mutex);
}

void flush_workqueue(struct workqueue_struct *wq)
{
	__flush_workqueue(wq);
}

/*
 * Flush until wq is empty. Meanwhile only wq's own items may queue on it
 * (chained work); anyone else is refused with a warning, as Linux does.
 */
void drain_workqueue(struct workqueue_struct *wq)
{
	unsigned int flush_cnt = 0;
	struct pool_workqueue *pwq;

	if (!check_flush_dependency(wq, NULL))
		return;
	mutex_lock(&wq->mutex);
	if (!wq->nr_drainers++)
		WRITE_ONCE(wq->flags, wq->flags | __WQ_DRAINING);
	mutex_unlock(&wq->mutex);
reflush:
	__flush_workqueue(wq);
	list_for_each_entry(pwq, &wq->pwqs, pwqs_node) {
		bool drained;

		spin_lock_irq(&pwq->pool->lock);
		drained = pwq_is_empty(pwq);
		spin_unlock_irq(&pwq->pool->lock);
		if (drained)
			continue;
		if (++flush_cnt == 10 || (flush_cnt % 100 == 0 && flush_cnt <= 1000))
			pr_warn("%s: %s isn't complete after %u tries\n", __func__, wq->name, flush_cnt);
		goto reflush;
	}
	mutex_lock(&wq->mutex);
	if (!--wq->nr_drainers)
		WRITE_ONCE(wq->flags, wq->flags & ~__WQ_DRAINING);
	mutex_unlock(&wq->mutex);
}
