/*
 * Timers (Linux's timer.h): a timer_list runs its function in softirq
 * context (TIMER_SOFTIRQ) on the first tick at or after `expires`
 * (jiffies). They are kept in a wheel of per-jiffy buckets, so adding,
 * changing and deleting are O(1) and thousands of pending timers cost a
 * tick nothing but a look at one bucket.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/jiffies.h>

struct timer_list {
	struct list_head entry;		/* in its wheel bucket; empty when not pending */
	unsigned long expires;		/* jiffies */
	void (*function)(struct timer_list *);
	u32 flags;			/* TIMER_* and the CPU */
};

#define TIMER_CPUMASK		0x0003ffff
#define TIMER_MIGRATING		0x00040000	/* moving between two CPUs' wheels: no base's lock covers it */
#define TIMER_IRQSAFE		0x00200000	/* accepted; every timer function runs with interrupts on */
#define TIMER_PINNED		0x00800000	/* stays on the CPU it was added on */

#define __TIMER_INITIALIZER(_function, _flags) {				\
		.entry = { NULL, NULL }, .function = (_function), .flags = (_flags) }
#define DEFINE_TIMER(_name, _function)						\
	struct timer_list _name = __TIMER_INITIALIZER(_function, 0)

/* Prepare a timer before first use. */
void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags);
#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)

static inline bool timer_pending(const struct timer_list *timer)
{
	return timer->entry.next != NULL && !list_empty(&timer->entry);
}

/* Start an inactive timer (a pending one is a bug: use mod_timer). */
void add_timer(struct timer_list *timer);
void add_timer_on(struct timer_list *timer, int cpu);
/* Set expires and (re)start. Returns 1 if the timer was pending, 0 if not. */
int mod_timer(struct timer_list *timer, unsigned long expires);
/* Stop a pending timer. Returns 1 if it was pending. Its function may still be running. */
int del_timer(struct timer_list *timer);
/*
 * Stop it and wait until its function is not running on any CPU.
 * Must not be called from the timer's own function, nor in hard-IRQ
 * context. Returns 1 if it was pending.
 */
int del_timer_sync(struct timer_list *timer);
#define timer_delete(t)		del_timer(t)
#define timer_delete_sync(t)	del_timer_sync(t)

/* Sleep (task context). msleep sleeps at least ms; ssleep seconds. */
void msleep(unsigned int msecs);
static inline void ssleep(unsigned int seconds) { msleep(seconds * 1000); }
/* Sleep for timeout jiffies; returns the jiffies left (0 when it ran out). */
long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);

/* The tick: raise TIMER_SOFTIRQ when a timer on this CPU is due. */
void run_local_timers(void);
void init_timers(void);
/* Timers pending on cpu. */
unsigned int timers_pending_cpu(int cpu);
/* Timers cpu's TIMER_SOFTIRQ has looked at since boot: what a tick costs, independent of the clock. */
unsigned long timers_examined_cpu(int cpu);
/* Print the pending timers of every CPU (shell `timers`). */
void show_timers(int (*print)(const char *fmt, ...));

#endif
