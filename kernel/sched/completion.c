/* Completions (Linux's kernel/sched/completion.c): done counts events, the wait queue's lock guards it. */
#include <kernel/completion.h>
#include <kernel/bug.h>

#define COMPLETE_ALL	(~0u)

void complete(struct completion *x)
{
	unsigned long flags;

	/*
	 * Wake under the lock: once done is seen, the waiter may return and
	 * free an on-stack completion, so x must not be touched after unlock.
	 */
	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != COMPLETE_ALL)
		x->done++;
	__wake_up_locked(&x->wait, TASK_NORMAL, 1);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(struct completion *x)
{
	unsigned long flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = COMPLETE_ALL;
	__wake_up_locked(&x->wait, TASK_NORMAL, 0);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

/* Take one event if there is one (wait.lock held). */
static bool take_done(struct completion *x)
{
	if (!x->done)
		return false;
	if (x->done != COMPLETE_ALL)
		x->done--;
	return true;
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&x->wait.lock, flags);
	ret = take_done(x);
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}

/* Waiters are exclusive: complete() wakes exactly one, which takes the event. */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	long left = (long)timeout;

	might_sleep();
	for (;;) {
		struct wait_queue_entry w;

		if (try_wait_for_completion(x))
			return left ? (unsigned long)left : 1;
		if (!left)
			return 0;
		init_wait_entry(&w, WQ_FLAG_EXCLUSIVE);
		prepare_to_wait_exclusive(&x->wait, &w, TASK_UNINTERRUPTIBLE);
		if (!completion_done(x))
			left = schedule_timeout(left);
		finish_wait(&x->wait, &w);
	}
}

void wait_for_completion(struct completion *x)
{
	wait_for_completion_timeout(x, MAX_SCHEDULE_TIMEOUT);
}
