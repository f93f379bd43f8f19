/*
 * Sleeping mutexes. A free mutex is taken with one compare-and-swap of
 * owner under wait_lock; a contended one queues the task FIFO and
 * sleeps. mutex_unlock() hands the lock straight to the first waiter
 * (sets owner to it before waking it), so a task that keeps relocking
 * cannot starve the waiters.
 */
#include <kernel/mutex.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/bug.h>

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
};

void mutex_init(struct mutex *lock)
{
	lock->owner = NULL;
	spin_lock_init(&lock->wait_lock);
	INIT_LIST_HEAD(&lock->wait_list);
	lock->name = "mutex";
}

bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != NULL;
}

int mutex_trylock(struct mutex *lock)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&lock->wait_lock, flags);
	if (!lock->owner) {
		lock->owner = current;
		ret = 1;
	}
	spin_unlock_irqrestore(&lock->wait_lock, flags);
	return ret;
}

void mutex_lock(struct mutex *lock)
{
	struct mutex_waiter waiter = { .task = current };
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&lock->wait_lock, flags);
	if (WARN_ON_ONCE(lock->owner == current)) {
		/* recursive locking would deadlock: report it where it happens */
		spin_unlock_irqrestore(&lock->wait_lock, flags);
		return;
	}
	if (!lock->owner) {
		lock->owner = current;
		spin_unlock_irqrestore(&lock->wait_lock, flags);
		return;
	}
	list_add_tail(&waiter.list, &lock->wait_list);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (lock->owner == current)	/* handed over by mutex_unlock() */
			break;
		spin_unlock_irqrestore(&lock->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&lock->wait_lock, flags);
	}
	__set_current_state(TASK_RUNNING);
	spin_unlock_irqrestore(&lock->wait_lock, flags);
}

void mutex_unlock(struct mutex *lock)
{
	struct mutex_waiter *w;
	unsigned long flags;

	spin_lock_irqsave(&lock->wait_lock, flags);
	WARN_ON_ONCE(lock->owner != current);
	w = list_first_entry_or_null(&lock->wait_list, struct mutex_waiter, list);
	if (w) {
		list_del_init(&w->list);
		lock->owner = w->task;
		wake_up_process(w->task);
	} else {
		lock->owner = NULL;
	}
	spin_unlock_irqrestore(&lock->wait_lock, flags);
}
