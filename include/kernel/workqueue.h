/*
 * Workqueues (Linux's concurrency-managed workqueues, CMWQ): a work item
 * is a function to run later in a kernel thread ("kworker") of a shared
 * worker pool, or in softirq context for WQ_BH. Each CPU has a normal and
 * a high-priority pool; unbound pools serve WQ_UNBOUND. A pool keeps just
 * enough workers running to keep its CPU busy: when a worker sleeps in a
 * work item, the scheduler tells the pool, which starts the next item in
 * another worker (Documentation/core-api/workqueue.rst is the spec).
 */
#ifndef KERNEL_WORKQUEUE_H
#define KERNEL_WORKQUEUE_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/atomic.h>
#include <kernel/timer.h>
#include <kernel/bitops.h>

struct work_struct;
struct workqueue_struct;
struct task_struct;
typedef void (*work_func_t)(struct work_struct *work);

/*
 * work->data: while queued, the pool_workqueue pointer (aligned to
 * 1 << WORK_STRUCT_FLAG_BITS) or'd with the flag bits below; otherwise
 * ("off queue") the id of the pool it last ran on, its disable count and
 * the OFFQ flags. PENDING is set from queueing until the item starts
 * running, so work_pending() is one bit test.
 */
enum {
	WORK_STRUCT_PENDING_BIT	= 0,	/* queued, or about to be */
	WORK_STRUCT_INACTIVE_BIT = 1,	/* waits in the inactive list (max_active reached) */
	WORK_STRUCT_PWQ_BIT	= 2,	/* data holds a pool_workqueue pointer */
	WORK_STRUCT_LINKED_BIT	= 3,	/* the next item (a flush barrier) moves with this one */
	WORK_STRUCT_COLOR_SHIFT	= 4,	/* flush color of a queued item */
	WORK_STRUCT_COLOR_BITS	= 4,
	WORK_STRUCT_FLAG_BITS	= 8,

	WORK_NR_COLORS		= (1 << WORK_STRUCT_COLOR_BITS) - 1,
	WORK_NO_COLOR		= WORK_NR_COLORS,

	/* off queue */
	WORK_OFFQ_BH_BIT	= WORK_STRUCT_FLAG_BITS,	/* last ran in a BH pool */
	WORK_OFFQ_DISABLE_SHIFT	= WORK_OFFQ_BH_BIT + 1,
	WORK_OFFQ_DISABLE_BITS	= 16,
	WORK_OFFQ_POOL_SHIFT	= WORK_OFFQ_DISABLE_SHIFT + WORK_OFFQ_DISABLE_BITS,
	WORK_OFFQ_POOL_BITS	= 31,

	/* CPU argument meaning "wherever the workqueue prefers" */
	WORK_CPU_UNBOUND	= 64,
};

#define WORK_STRUCT_PENDING	(1UL << WORK_STRUCT_PENDING_BIT)
#define WORK_STRUCT_INACTIVE	(1UL << WORK_STRUCT_INACTIVE_BIT)
#define WORK_STRUCT_PWQ		(1UL << WORK_STRUCT_PWQ_BIT)
#define WORK_STRUCT_LINKED	(1UL << WORK_STRUCT_LINKED_BIT)
#define WORK_STRUCT_FLAG_MASK	((1UL << WORK_STRUCT_FLAG_BITS) - 1)
#define WORK_STRUCT_WQ_DATA_MASK (~WORK_STRUCT_FLAG_MASK)
#define WORK_OFFQ_BH		(1UL << WORK_OFFQ_BH_BIT)
#define WORK_OFFQ_DISABLE_MASK	(((1UL << WORK_OFFQ_DISABLE_BITS) - 1) << WORK_OFFQ_DISABLE_SHIFT)
#define WORK_OFFQ_POOL_NONE	((1UL << WORK_OFFQ_POOL_BITS) - 1)
#define WORK_STRUCT_NO_POOL	(WORK_OFFQ_POOL_NONE << WORK_OFFQ_POOL_SHIFT)

struct work_struct {
	atomic_long_t data;		/* see above */
	struct list_head entry;		/* in a pool's worklist, a pwq's inactive list or a worker's scheduled list */
	work_func_t func;
};

#define __WORK_INITIALIZER(n, f) {						\
	.data = { (long)WORK_STRUCT_NO_POOL },					\
	.entry = LIST_HEAD_INIT((n).entry),					\
	.func = (f) }

#define DECLARE_WORK(n, f)	struct work_struct n = __WORK_INITIALIZER(n, f)

/* Prepare a work item before first use (never while it may be queued or running). */
#define INIT_WORK(_work, _func) do {						\
	atomic_long_set(&(_work)->data, (long)WORK_STRUCT_NO_POOL);		\
	INIT_LIST_HEAD(&(_work)->entry);					\
	(_work)->func = (_func);						\
} while (0)

#define work_data_bits(work)	((unsigned long *)(&(work)->data.counter))
/* Queued (or being queued) and not yet started. */
#define work_pending(work)	test_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work))

/* ---- delayed work: a work item queued by a timer ---- */

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;	/* where the timer queues it */
	int cpu;
};

/* The timer function of every delayed_work (softirq context). */
void delayed_work_timer_fn(struct timer_list *t);

#define __DELAYED_WORK_INITIALIZER(n, f) {					\
	.work = __WORK_INITIALIZER((n).work, (f)),				\
	.timer = __TIMER_INITIALIZER(delayed_work_timer_fn, TIMER_IRQSAFE) }

#define DECLARE_DELAYED_WORK(n, f)	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f)

#define INIT_DELAYED_WORK(_dwork, _func) do {					\
	INIT_WORK(&(_dwork)->work, (_func));					\
	timer_setup(&(_dwork)->timer, delayed_work_timer_fn, TIMER_IRQSAFE);	\
} while (0)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

#define delayed_work_pending(dw)	work_pending(&(dw)->work)

/* ---- workqueues ---- */

enum wq_flags {
	WQ_BH			= 1 << 0,	/* items run in softirq context (HI/TASKLET softirq); they must not sleep */
	WQ_UNBOUND		= 1 << 1,	/* unbound pools: not per CPU, not concurrency managed */
	WQ_FREEZABLE		= 1 << 2,	/* accepted; there is no freezer */
	WQ_MEM_RECLAIM		= 1 << 3,	/* has a rescuer thread: progress even when no worker can be created */
	WQ_HIGHPRI		= 1 << 4,	/* the high-priority (nice -20) pools */
	WQ_CPU_INTENSIVE	= 1 << 5,	/* items do not count in concurrency management */

	__WQ_DRAINING		= 1 << 16,	/* internal: drain_workqueue() in progress */
	__WQ_ORDERED		= 1 << 17,	/* internal: alloc_ordered_workqueue() */
	__WQ_DESTROYING		= 1 << 18,	/* internal: destroy_workqueue() in progress */

	WQ_MAX_ACTIVE		= 512,		/* Linux's limit per pool_workqueue */
	WQ_DFL_ACTIVE		= WQ_MAX_ACTIVE / 2,	/* what max_active 0 means */
};

/*
 * alloc_workqueue - make a workqueue
 * @fmt: printf format of its name (also the rescuer's "kworker/R-<name>")
 * @flags: WQ_* above
 * @max_active: how many of its items may run at once per pool (per CPU
 *	for per-CPU workqueues); 0 means WQ_DFL_ACTIVE, capped at WQ_MAX_ACTIVE.
 *	Items beyond it wait in order in an inactive list. WQ_BH takes 0.
 *
 * Returns the workqueue, or NULL (no memory, bad flags). Task context.
 */
struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
	__printf(1, 4);

/* One item at a time, in queueing order: unbound, max_active 1. */
#define alloc_ordered_workqueue(fmt, flags, args...)				\
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED | (flags), 1, ##args)

/* Drain, stop the rescuer and free. Nothing may queue on it afterwards. */
void destroy_workqueue(struct workqueue_struct *wq);

extern struct workqueue_struct *system_wq;		/* "events": per CPU, short items */
extern struct workqueue_struct *system_highpri_wq;	/* "events_highpri": nice -20 workers */
extern struct workqueue_struct *system_long_wq;		/* "events_long": items that may take long */
extern struct workqueue_struct *system_unbound_wq;	/* "events_unbound": any CPU, not concurrency managed */
extern struct workqueue_struct *system_bh_wq;		/* "events_bh": TASKLET_SOFTIRQ context */
extern struct workqueue_struct *system_bh_highpri_wq;	/* "events_bh_highpri": HI_SOFTIRQ context */

/*
 * queue_work_on - queue work on wq, on cpu's pool (per-CPU workqueues)
 *
 * Returns false if the item was already pending (it stays queued once)
 * or is disabled; true if this call queued it. An item queued while it
 * runs runs again afterwards, on the pool where it runs now, so it never
 * runs twice at once. Any context.
 */
bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}
static inline bool schedule_work(struct work_struct *work) { return queue_work(system_wq, work); }
static inline bool schedule_work_on(int cpu, struct work_struct *work)
{
	return queue_work_on(cpu, system_wq, work);
}

/*
 * queue_delayed_work_on - queue dwork after delay jiffies (0: now)
 * Returns false if it was already pending (timer running or queued).
 */
bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
			   unsigned long delay);
static inline bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
				      unsigned long delay)
{
	return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}
static inline bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}
/*
 * mod_delayed_work_on - queue dwork after delay, or move its time if it
 * is pending. Returns true if it was pending (and so was modified).
 */
bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
			 unsigned long delay);
static inline bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
				    unsigned long delay)
{
	return mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

/*
 * flush_work - wait until the last queueing of work has finished
 * Returns true if it waited, false if the item was idle. Flushing an
 * item from itself is refused with a warning (it could never finish).
 */
bool flush_work(struct work_struct *work);
/* Queue a pending timer's item now and wait for it. Returns as flush_work(). */
bool flush_delayed_work(struct delayed_work *dwork);
/*
 * flush_workqueue - wait for every item queued on wq before the call.
 * Items queued meanwhile are not waited for. From one of wq's own
 * items it would deadlock: refused with a warning.
 */
void flush_workqueue(struct workqueue_struct *wq);
/* Flush until wq is empty; meanwhile only wq's own items may queue on it. */
void drain_workqueue(struct workqueue_struct *wq);

/* Take work off its queue if pending. Returns whether it was pending. Any context. */
bool cancel_work(struct work_struct *work);
/* ...and wait for a running instance; it cannot be re-queued meanwhile. Returns whether it was pending. */
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);

/*
 * disable_work - cancel and forbid queueing until enable_work(). Nests:
 * each disable needs an enable. Returns whether it was pending.
 */
bool disable_work(struct work_struct *work);
/* ...and wait for a running instance. */
bool disable_work_sync(struct work_struct *work);
/* Undo one disable. Returns true when the count reached 0 (queueable again). */
bool enable_work(struct work_struct *work);
bool disable_delayed_work(struct delayed_work *dwork);
bool disable_delayed_work_sync(struct delayed_work *dwork);
bool enable_delayed_work(struct delayed_work *dwork);

/* The item the current worker runs (NULL outside a work item). */
struct work_struct *current_work(void);
/* Whether current is a workqueue's rescuer thread. */
bool current_is_workqueue_rescuer(void);

/*
 * How long an idle worker lives beyond the two a pool keeps (Linux:
 * IDLE_WORKER_TIMEOUT, 300 s). A variable so tests can shorten it; read
 * whenever a worker goes idle.
 */
extern unsigned int wq_idle_timeout_ms;

/* Print every workqueue and worker pool, with their workers and what they run. */
void show_all_workqueues(int (*print)(const char *fmt, ...));
#define show_workqueues(print) show_all_workqueues(print)

/* Pools and system workqueues (items can be queued, not run), then the workers. */
void workqueue_init_early(void);
void workqueue_init(void);

/*
 * For the scheduler: schedule() calls these for PF_WQ_WORKER tasks with
 * preemption disabled and no run-queue lock held, before a task going to
 * sleep leaves the CPU and when it is back. The pool then counts it as
 * not running and may wake another worker for its pending items.
 */
void wq_worker_sleeping(struct task_struct *task);
void wq_worker_running(struct task_struct *task);

#endif
