/*
 * Sleeping mutexes (Linux's mutex.h): one owner at a time, waiters sleep
 * in FIFO order and the lock is handed to the first of them on unlock,
 * so no waiter starves. Task context only; the owner unlocks.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>

struct task_struct;

struct mutex {
	struct task_struct *owner;	/* NULL when free; wait_lock */
	spinlock_t wait_lock;
	struct list_head wait_list;	/* struct mutex_waiter, FIFO */
	const char *name;
};

#define __MUTEX_INITIALIZER(m)	{ NULL, __SPIN_LOCK_UNLOCKED, LIST_HEAD_INIT((m).wait_list), #m }
#define DEFINE_MUTEX(m)		struct mutex m = __MUTEX_INITIALIZER(m)

void mutex_init(struct mutex *lock);
void mutex_lock(struct mutex *lock);
/* 1 if taken, 0 if it is held. */
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);

#endif
