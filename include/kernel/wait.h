/*
 * Wait queues (Linux's wait.h): a task sleeps on a wait_queue_head until
 * a condition holds; wake_up() on the head re-checks its sleepers. The
 * wait_event*() macros hold the race-free pattern: queue, set the state,
 * test the condition, schedule(), and again on wake-up.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/sched.h>

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01	/* wake_up() wakes one exclusive waiter, after all the others */
#define WQ_FLAG_WOKEN		0x02

struct wait_queue_entry {
	unsigned int flags;
	void *private;			/* the task */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;
typedef struct wait_queue_entry wait_queue_entry_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { __SPIN_LOCK_UNLOCKED, LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name)	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

static inline void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

/* Wakes the task in private and takes the entry off the queue. */
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int sync, void *key);
/* Wakes the task in private. */
int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int sync, void *key);

#define DEFINE_WAIT(name)							\
	struct wait_queue_entry name = {					\
		.private = current, .func = autoremove_wake_function,		\
		.entry = LIST_HEAD_INIT((name).entry) }

static inline void init_wait_entry(struct wait_queue_entry *w, unsigned int flags)
{
	w->flags = flags;
	w->private = current;
	w->func = autoremove_wake_function;
	INIT_LIST_HEAD(&w->entry);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w);
void add_wait_queue_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *w);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Queue w (if it is not queued) and set the current task's state. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *w, int state);
/* Back to TASK_RUNNING and off the queue. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);

/*
 * Wake the waiters in `mode` states: every non-exclusive one and up to
 * nr_exclusive exclusive ones (0: all). Callable from any context.
 */
void __wake_up(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive, void *key);
/* The same with wq->lock held by the caller. */
void __wake_up_locked(struct wait_queue_head *wq, unsigned int mode, int nr_exclusive);
#define wake_up(wq)			__wake_up(wq, TASK_NORMAL, 1, NULL)
#define wake_up_nr(wq, nr)		__wake_up(wq, TASK_NORMAL, nr, NULL)
#define wake_up_all(wq)			__wake_up(wq, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(wq)	__wake_up(wq, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(wq)	__wake_up(wq, TASK_INTERRUPTIBLE, 0, NULL)

static inline bool waitqueue_active(struct wait_queue_head *wq) { return !list_empty(&wq->head); }

/* Sleep for up to timeout jiffies (kernel/time/timer.c); returns the jiffies left. */
long schedule_timeout(long timeout);
#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))

void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

/*
 * The loop behind every wait_event: cmd is what sleeps (schedule() or
 * schedule_timeout()). Evaluates to __ret, which the timeout forms set.
 */
#define ___wait_event(wq, condition, state, exclusive, ret, cmd)		\
({										\
	struct wait_queue_entry __wq_entry;					\
	long __ret = ret;							\
	init_wait_entry(&__wq_entry, (exclusive) ? WQ_FLAG_EXCLUSIVE : 0);	\
	for (;;) {								\
		if (exclusive)							\
			prepare_to_wait_exclusive(&(wq), &__wq_entry, state);	\
		else								\
			prepare_to_wait(&(wq), &__wq_entry, state);		\
		if (condition)							\
			break;							\
		cmd;								\
	}									\
	finish_wait(&(wq), &__wq_entry);					\
	__ret;									\
})

/* Sleep until condition is true; wq must be woken whenever it may have become so. */
#define wait_event(wq, condition)						\
do {										\
	might_sleep();								\
	if (condition)								\
		break;								\
	(void)___wait_event(wq, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule()); \
} while (0)

/* No signals exist, so an interruptible sleep ends only by wake-up; returns 0 as Linux does then. */
#define wait_event_interruptible(wq, condition)					\
({										\
	might_sleep();								\
	if (!(condition))							\
		(void)___wait_event(wq, condition, TASK_INTERRUPTIBLE, 0, 0, schedule()); \
	0;									\
})

#define wait_event_exclusive(wq, condition)					\
do {										\
	might_sleep();								\
	if (condition)								\
		break;								\
	(void)___wait_event(wq, condition, TASK_UNINTERRUPTIBLE, 1, 0, schedule()); \
} while (0)

/*
 * Sleep until condition is true or timeout jiffies passed. Returns 0 if
 * the timeout passed with condition false, else the jiffies left (at
 * least 1), as Linux.
 */
#define ___wait_cond_timeout(condition)						\
({										\
	bool __cond = (condition);						\
	if (__cond && !__ret)							\
		__ret = 1;							\
	__cond || !__ret;							\
})

#define wait_event_timeout(wq, condition, timeout)				\
({										\
	long __ret = timeout;							\
	might_sleep();								\
	if (!___wait_cond_timeout(condition))					\
		__ret = ___wait_event(wq, ___wait_cond_timeout(condition),	\
				      TASK_UNINTERRUPTIBLE, 0, timeout,		\
				      __ret = schedule_timeout(__ret));		\
	__ret;									\
})

#define wait_event_interruptible_timeout(wq, condition, timeout)		\
({										\
	long __ret = timeout;							\
	might_sleep();								\
	if (!___wait_cond_timeout(condition))					\
		__ret = ___wait_event(wq, ___wait_cond_timeout(condition),	\
				      TASK_INTERRUPTIBLE, 0, timeout,		\
				      __ret = schedule_timeout(__ret));		\
	__ret;									\
})

#endif
