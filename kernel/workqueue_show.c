/*
 * The workqueue listing (Linux's show_all_workqueues(), the sysrq-t
 * dump): every workqueue with its pwqs' counts and items, then every
 * worker pool with its workers and what each one runs.
 */
#include "workqueue_internal.h"
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/kernel.h>

static void show_pwq(struct pool_workqueue *pwq, int (*print)(const char *fmt, ...))
{
	struct worker_pool *pool = pwq->pool;
	struct work_struct *work;
	struct worker *worker;
	int in_flight = 0, inactive = 0, pending = 0, n = 0;
	char line[160];

	for (int c = 0; c < WORK_NR_COLORS; c++)
		in_flight += pwq->nr_in_flight[c];
	list_for_each_entry(work, &pwq->inactive_works, entry)
		inactive++;
	list_for_each_entry(work, &pool->worklist, entry)
		if (get_work_pwq(work) == pwq)
			pending++;
	print("  pwq on pool %d: active=%d/%d pending=%d inactive=%d in-flight=%d executed=%lu\n",
		pool->id, pwq->nr_active, pwq->max_active, pending, inactive, in_flight, pwq->nr_executed);

	list_for_each_entry(worker, &pool->workers, node) {
		if (worker->current_pwq == pwq)
			n += scnprintf(line + n, sizeof(line) - n, " %s:%ps", worker->desc,
				       worker->current_func);
	}
	if (n)
		print("    in-flight:%s\n", line);
	n = 0;
	list_for_each_entry(work, &pool->worklist, entry) {
		if (get_work_pwq(work) == pwq && n < (int)sizeof(line) - 40)
			n += scnprintf(line + n, sizeof(line) - n, " %ps", work->func);
	}
	if (n)
		print("    pending:%s\n", line);
}

static void show_one_workqueue(struct workqueue_struct *wq, int (*print)(const char *fmt, ...))
{
	struct pool_workqueue *pwq;

	print("workqueue %s: flags=0x%x max_active=%d\n", wq->name, wq->flags & 0xffff,
		wq->max_active);
	if (wq->rescuer)
		print("  rescuer %s pid %d%s\n", wq->rescuer->desc, wq->rescuer->task->pid,
			wq->rescuer->current_func ? " (rescuing)" : "");
	list_for_each_entry(pwq, &wq->pwqs, pwqs_node) {
		unsigned long flags;

		spin_lock_irqsave(&pwq->pool->lock, flags);
		show_pwq(pwq, print);
		spin_unlock_irqrestore(&pwq->pool->lock, flags);
	}
}

static const char *worker_state(struct worker *worker)
{
	if (worker->flags & WORKER_IDLE)
		return "idle";
	if (worker->flags & WORKER_DIE)
		return "dying";
	if (worker->current_func)
		return worker->sleeping ? "busy (sleeping)" : "busy";
	if (worker->pool->manager == worker)
		return "managing";
	return "starting";
}

static void show_one_pool(struct worker_pool *pool, int (*print)(const char *fmt, ...))
{
	struct worker *worker;
	unsigned long flags;
	char cpus[16];

	if (pool->cpu >= 0)
		snprintf(cpus, sizeof(cpus), "cpus=%d", pool->cpu);
	else
		snprintf(cpus, sizeof(cpus), "unbound");
	spin_lock_irqsave(&pool->lock, flags);
	print("pool %d: %s%s nice=%d workers=%d idle=%d running=%d%s\n", pool->id, cpus,
		(pool->flags & POOL_BH) ? " bh" : "", pool->nice, pool->nr_workers, pool->nr_idle,
		pool->nr_running, (pool->flags & POOL_MANAGER_ACTIVE) ? " (manager active)" : "");
	list_for_each_entry(worker, &pool->workers, node) {
		if (worker->current_func)
			print("  %-20s pid %-4d %-16s %ps\n", worker->desc,
				worker->task ? worker->task->pid : 0, worker_state(worker),
				worker->current_func);
		else
			print("  %-20s pid %-4d %s\n", worker->desc, worker->task ? worker->task->pid : 0,
				worker_state(worker));
	}
	spin_unlock_irqrestore(&pool->lock, flags);
}

void show_all_workqueues(int (*print)(const char *fmt, ...))
{
	struct workqueue_struct *wq;
	struct worker_pool *pool;
	unsigned long flags;

	print("Showing workqueues and worker pools:\n");
	spin_lock_irqsave(&wq_list_lock, flags);
	list_for_each_entry(wq, &workqueues, list)
		show_one_workqueue(wq, print);
	for (int id = 0; id < MAX_WORKER_POOLS; id++) {
		pool = worker_pools_by_id[id];
		if (pool)
			show_one_pool(pool, print);
	}
	spin_unlock_irqrestore(&wq_list_lock, flags);
}
