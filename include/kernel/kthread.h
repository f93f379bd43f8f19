/*
 * Kernel threads (Linux's kthread.h). kthread_create() makes a thread
 * that sleeps until woken (so it can be bound or reniced first);
 * kthread_run() also wakes it. The thread function's return value goes
 * to kthread_stop(), which asks the thread to stop and waits for it.
 */
#ifndef KERNEL_KTHREAD_H
#define KERNEL_KTHREAD_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/err.h>
#include <kernel/sched.h>

struct task_struct;

/* Returns the new task, or an ERR_PTR (-ENOMEM). name is a printf format. */
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...) __printf(3, 4);
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt);

#define kthread_run(threadfn, data, namefmt, ...)				\
({										\
	struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})

/* Bind a new (not yet woken) thread to cpu for good. */
void kthread_bind(struct task_struct *k, unsigned int cpu);
/*
 * Set the stop flag, wake k and wait until it exits; returns what its
 * function returned (-EINTR if it was stopped before it ever ran).
 * The task_struct is freed.
 */
int kthread_stop(struct task_struct *k);
/* In a kthread: has kthread_stop() been called on me? */
bool kthread_should_stop(void);
/* The data pointer given at creation. */
void *kthread_data(struct task_struct *k);
/* End the current kthread with result, as if its function returned it. */
void __noreturn kthread_exit(long result);
/* For do_exit(): wake kthread_stop() waiters of an exiting thread. */
void kthread_exit_notify(struct task_struct *tsk, long code);

#endif
