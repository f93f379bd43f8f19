/*
 * Shared by the workqueue test suites: a work item that records where
 * and when it ran (context, CPU, task name, nice, times), and helpers
 * to wait for things and count kworker threads.
 */
#ifndef TESTS_WORKQUEUE_TEST_H
#define TESTS_WORKQUEUE_TEST_H

#include <kernel/ktest.h>
#include <kernel/workqueue.h>
#include <kernel/completion.h>
#include <kernel/sched.h>
#include <kernel/timer.h>
#include <kernel/time.h>
#include <kernel/string.h>
#include <kernel/spinlock.h>
#include <kernel/smp.h>

/* Generous: TCG on a loaded host can stall the guest for a long time. */
#define WQT_TIMEOUT_MS	10000

struct wq_rec {
	struct work_struct work;
	struct delayed_work dwork;	/* for the delayed tests: same fields recorded */
	int runs;
	bool in_task, in_softirq, serving_softirq;
	unsigned int preempt;
	int cpu, nice;
	char comm[TASK_COMM_LEN];
	struct work_struct *cur;	/* current_work() seen inside */
	unsigned long jiffies_run;
	u64 start_ns, end_ns;
	unsigned int sleep_ms;		/* msleep in the item (never for BH) */
	struct completion done;		/* completed at the end of each run */
};

static inline void wq_rec_record(struct wq_rec *r, struct work_struct *w)
{
	r->start_ns = ktime_get_ns();
	r->jiffies_run = jiffies;
	r->in_task = in_task();
	r->in_softirq = in_softirq();
	r->serving_softirq = in_serving_softirq();
	r->preempt = preempt_count();
	r->cpu = smp_processor_id();
	r->nice = task_nice(current);
	r->cur = current_work();
	strlcpy(r->comm, current->comm, sizeof(r->comm));
	if (r->sleep_ms)
		msleep(r->sleep_ms);
	r->end_ns = ktime_get_ns();
	WRITE_ONCE(r->runs, r->runs + 1);
	complete(&r->done);
}

static inline void wq_rec_fn(struct work_struct *w)
{
	wq_rec_record(container_of(w, struct wq_rec, work), w);
}

static inline void wq_rec_dfn(struct work_struct *w)
{
	wq_rec_record(container_of(to_delayed_work(w), struct wq_rec, dwork), w);
}

static inline void wq_rec_init(struct wq_rec *r, unsigned int sleep_ms)
{
	memset(r, 0, sizeof(*r));
	INIT_WORK(&r->work, wq_rec_fn);
	INIT_DELAYED_WORK(&r->dwork, wq_rec_dfn);
	init_completion(&r->done);
	r->sleep_ms = sleep_ms;
	r->cpu = -1;
}

static inline bool wq_rec_wait(struct wq_rec *r)
{
	return wait_for_completion_timeout(&r->done, msecs_to_jiffies(WQT_TIMEOUT_MS)) != 0;
}

/* Sleep-poll until *v >= want or WQT_TIMEOUT_MS passed. */
static inline bool wqt_wait_atomic(atomic_t *v, int want)
{
	for (int i = 0; i < WQT_TIMEOUT_MS / 5; i++) {
		if (atomic_read(v) >= want)
			return true;
		msleep(5);
	}
	return atomic_read(v) >= want;
}

static inline bool str_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static inline bool str_ends_with(const char *s, char c)
{
	size_t n = strlen(s);

	return n && s[n - 1] == c;
}

/* Tasks whose name starts with prefix; highpri selects the names ending in 'H'. */
static inline int count_kworkers(const char *prefix, bool highpri)
{
	struct task_struct *p;
	unsigned long flags;
	int n = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks)
		if (str_starts(p->comm, prefix) && str_ends_with(p->comm, 'H') == highpri &&
		    p->__state != TASK_DEAD)
			n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

static inline bool task_named_exists(const char *name)
{
	struct task_struct *p;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks)
		if (!strcmp(p->comm, name))
			found = true;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

#endif
