/*
 * Wait queues (Linux's kernel/sched/wait.c): the queue operations and
 * __wake_up(). The sleeping side's loop is in the wait_event*() macros.
 */
#include <kernel/wait.h>

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	w->flags &= ~WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq->lock, flags);
	list_add(&w->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Exclusive waiters go to the back: __wake_up() wakes every non-exclusive one before them. */
void add_wait_queue_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	w->flags |= WQ_FLAG_EXCLUSIVE;
	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&w->entry, &wq->head);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_del_init(&w->entry);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void __prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, int state,
			      bool exclusive)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&w->entry)) {
		if (exclusive) {
			w->flags |= WQ_FLAG_EXCLUSIVE;
			list_add_tail(&w->entry, &wq->head);
		} else {
			w->flags &= ~WQ_FLAG_EXCLUSIVE;
			list_add(&w->entry, &wq->head);
		}
	}
	/* the state is set under the lock a waker takes: no wake-up is lost in between */
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, int state)
{
	__prepare_to_wait(wq, w, state, false);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *w, int state)
{
	__prepare_to_wait(wq, w, state, true);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	/* a waker that used autoremove has unlinked us already; look without the lock first */
	if (!list_empty(&w->entry)) {
		spin_lock_irqsave(&wq->lock, flags);
		list_del_init(&w->entry);
		spin_unlock_irqrestore(&wq->lock, flags);
	}
}

int default_wake_function(struct wait_queue_entry *w, unsigned int mode, int sync, void *key)
{
	return wake_up_state(w->private, mode);
}

int autoremove_wake_function(struct wait_queue_entry *w, unsigned int mode, int sync, void *key)
{
	int ret = default_wake_function(w, mode, sync, key);

	if (ret)
		list_del_init(&w->entry);
	return ret;
}

/* Wake up to nr_exclusive exclusive waiters (0: all) and every other one; wq->lock held. */
static void __wake_up_common(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive, void *key)
{
	struct wait_queue_entry *w, *next;

	list_for_each_entry_safe(w, next, &wq->head, entry) {
		unsigned int wflags = w->flags;
		int ret = w->func(w, mode, 0, key);

		if (ret < 0)
			break;
		if (ret && (wflags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
}

void __wake_up_locked(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive)
{
	__wake_up_common(wq, mode, nr_exclusive, NULL);
}

void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive, void *key)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	__wake_up_common(wq, mode, nr_exclusive, key);
	spin_unlock_irqrestore(&wq->lock, flags);
}
