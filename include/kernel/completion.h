/*
 * Completions (Linux's completion.h): a count of "done" events with a
 * wait queue. complete() releases one waiter (or the next to wait),
 * complete_all() every present and future waiter until reinit.
 */
#ifndef KERNEL_COMPLETION_H
#define KERNEL_COMPLETION_H

#include <kernel/wait.h>

struct completion {
	unsigned int done;		/* UINT_MAX after complete_all() */
	struct wait_queue_head wait;	/* its lock also guards done */
};

#define COMPLETION_INITIALIZER(work)	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define DECLARE_COMPLETION(work)	struct completion work = COMPLETION_INITIALIZER(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}
static inline void reinit_completion(struct completion *x) { x->done = 0; }

void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
/* Returns 0 on timeout, else the jiffies left (at least 1). */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
/* Take one "done" without sleeping; false if there is none. */
bool try_wait_for_completion(struct completion *x);
/* Whether a wait would return at once. */
bool completion_done(struct completion *x);

#endif
