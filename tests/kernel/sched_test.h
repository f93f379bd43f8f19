/*
 * Helpers shared by the scheduler tests (test_sched.c, test_kthread.c,
 * test_wait.c, test_preempt.c, test_timer.c): waiting for a condition
 * with a generous timeout, a registry of the threads a case started so
 * the suite's exit hook can stop whatever a failed case left running,
 * and re-arming a WARN_ON_ONCE site so a case that expects it can run
 * again in the same boot.
 */
#ifndef TESTS_KERNEL_SCHED_TEST_H
#define TESTS_KERNEL_SCHED_TEST_H

#include <kernel/ktest.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/timer.h>
#include <kernel/time.h>
#include <kernel/bug.h>
#include <kernel/string.h>

/* Sleep in 1 ms steps until cond holds or ms have passed; the value of cond at the end. */
#define wait_until(cond, ms) ({							\
	u64 __end = ktime_get_ns() + (u64)(ms) * NSEC_PER_MSEC;			\
	bool __ok;								\
	while (!(__ok = !!(cond)) && ktime_get_ns() < __end)			\
		msleep(1);							\
	__ok;									\
})

/* Until p sleeps (off the CPU, not runnable): then a wake-up has something to do. */
static inline bool task_sleeping(struct task_struct *p)
{
	long s = READ_ONCE(p->__state);

	return (s == TASK_INTERRUPTIBLE || s == TASK_UNINTERRUPTIBLE) && !READ_ONCE(p->on_cpu);
}

#define ST_MAX_THREADS	16

struct st_threads {
	struct task_struct *t[ST_MAX_THREADS];
};

/* Remember p (an ERR_PTR is ignored) so st_stop_all() stops it. Returns p. */
static inline struct task_struct *st_track(struct st_threads *s, struct task_struct *p)
{
	if (IS_ERR(p))
		return p;
	for (int i = 0; i < ST_MAX_THREADS; i++)
		if (!s->t[i]) {
			s->t[i] = p;
			return p;
		}
	WARN_ON(1);
	return p;
}

/* kthread_stop() a tracked thread and forget it. */
static inline int st_stop(struct st_threads *s, struct task_struct *p)
{
	for (int i = 0; i < ST_MAX_THREADS; i++)
		if (s->t[i] == p)
			s->t[i] = NULL;
	return kthread_stop(p);
}

/* The exit hooks: stop whatever is left (each thread's loops also test kthread_should_stop()). */
static inline void st_stop_all(struct st_threads *s)
{
	for (int i = 0; i < ST_MAX_THREADS; i++)
		if (s->t[i]) {
			struct task_struct *p = s->t[i];

			s->t[i] = NULL;
			kthread_stop(p);
		}
}

/* Let every WARN_ON_ONCE() in a file whose name ends with `file` warn again. */
static inline void st_rearm_warn_once(const char *file)
{
	extern struct bug_entry __start___bug_table[], __stop___bug_table[];
	size_t n = strlen(file);

	for (struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++) {
		const char *f = (const char *)&b->file + b->file;
		size_t fl = strlen(f);

		if (fl >= n && !strcmp(f + fl - n, file))
			b->flags &= ~BUGFLAG_DONE;
	}
}

/*
 * kthread_create()/kthread_run() on the calling CPU: these tests are
 * about how one CPU shares itself, so their threads must compete there
 * (on SMP, wake-up placement and balancing would spread them).
 */
#define st_kthread_create(fn, data, ...)					\
({									\
	struct task_struct *__p = kthread_create(fn, data, __VA_ARGS__);	\
	if (!IS_ERR(__p))							\
		kthread_bind(__p, (unsigned int)smp_processor_id());		\
	__p;									\
})
#define st_kthread_run(fn, data, ...)						\
({									\
	struct task_struct *__k = st_kthread_create(fn, data, __VA_ARGS__);	\
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})

#endif
