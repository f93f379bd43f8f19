/*
 * Private to the workqueue files: workers, worker pools, pool_workqueues
 * (the link between one workqueue and one pool) and workqueues.
 *
 * Locking, as Linux marks it:
 *   L: pool->lock (interrupts off)
 *   M: wq->mutex (flushing, draining)
 *   I: set up before the object is used, then read-only
 *   X: only the worker itself
 *   A: wq_list_lock (the list of workqueues, the pool table)
 *   R: wq_mayday_lock (interrupts off)
 */
#ifndef KERNEL_WORKQUEUE_INTERNAL_H
#define KERNEL_WORKQUEUE_INTERNAL_H

#include <kernel/workqueue.h>
#include <kernel/spinlock.h>
#include <kernel/mutex.h>
#include <kernel/completion.h>
#include <kernel/interrupt.h>
#include <kernel/timer.h>
#include <kernel/sched.h>

/* worker->flags */
enum {
	WORKER_DIE		= 1 << 1,	/* L: destroy_worker() told it to exit */
	WORKER_IDLE		= 1 << 2,	/* L: on the idle list */
	WORKER_PREP		= 1 << 3,	/* L: between idle and running items (also: always, for rescuers) */
	WORKER_CPU_INTENSIVE	= 1 << 6,	/* L: runs a WQ_CPU_INTENSIVE item */
	WORKER_UNBOUND		= 1 << 7,	/* I: of an unbound pool */

	/* a worker with any of these is not counted in pool->nr_running */
	WORKER_NOT_RUNNING	= WORKER_PREP | WORKER_CPU_INTENSIVE | WORKER_UNBOUND,
};

/* pool->flags */
enum {
	POOL_BH			= 1 << 0,	/* I: a BH pool: items run from a tasklet */
	POOL_MANAGER_ACTIVE	= 1 << 1,	/* L: a worker is creating workers */
};

/* Per CPU: a normal and a high-priority pool, of kworkers and of BH. */
#define NR_STD_WORKER_POOLS	2
#define BUSY_HASH_SIZE		16
#define MAX_WORKER_POOLS	64
#define MAX_WORKERS_PER_POOL	256

struct worker {
	struct list_head entry;		/* L: pool->idle_list while idle */
	struct list_head hentry;	/* L: pool->busy_hash while running an item */
	struct work_struct *current_work; /* L: the item it runs */
	work_func_t current_func;	/* L: its function (an item may be freed and reused) */
	struct pool_workqueue *current_pwq; /* L: the item's pwq */
	unsigned int current_color;	/* L: the item's flush color */
	struct list_head scheduled;	/* L: items to run next, in order */

	struct task_struct *task;	/* I: NULL for the BH pools' worker */
	struct worker_pool *pool;	/* I (rescuer: X, the pool it is helping) */
	struct list_head node;		/* L: pool->workers */
	unsigned long last_active;	/* L: jiffies it became idle */
	unsigned int flags;		/* L: WORKER_* (and X for reading) */
	int id;				/* I: the M in kworker/N:M */
	int sleeping;			/* X: between wq_worker_sleeping() and _running() */
	char desc[24];			/* I: its name, also for the BH worker */
	struct workqueue_struct *rescue_wq; /* I: the workqueue it rescues */
};

struct worker_pool {
	spinlock_t lock;		/* the pool lock */
	int cpu;			/* I: its CPU, or -1 if unbound */
	int id;				/* I: index in the pool table, in off-queue work->data */
	unsigned int flags;		/* L: POOL_* */
	int nice;			/* I: of its workers */

	struct list_head worklist;	/* L: active items to run */
	int nr_workers;			/* L: workers (rescuers excluded) */
	int nr_idle;			/* L: workers on idle_list */
	/*
	 * L: workers that are running items and not asleep. Concurrency
	 * management starts an idle worker only while this is 0.
	 */
	int nr_running;

	struct list_head idle_list;	/* L: most recently idle first */
	struct timer_list idle_timer;	/* L: reaps workers idle too long */
	struct timer_list mayday_timer;	/* L: calls the rescuers while creation fails */
	struct list_head busy_hash[BUSY_HASH_SIZE]; /* L: running workers, by item */
	struct worker *manager;		/* L: the worker creating workers */
	struct list_head workers;	/* L: every worker of the pool */
	unsigned long worker_ids[MAX_WORKERS_PER_POOL / 64]; /* L: ids in use */

	struct tasklet_struct bh_tasklet; /* I: BH pools: what runs the items */
	struct worker *bh_worker;	/* I: BH pools: their one (taskless) worker */
	struct list_head node;		/* A: unbound pools list */
};

/*
 * A workqueue's presence in one pool. Aligned so work->data can hold it
 * with the flag bits. nr_in_flight counts queued and running items by
 * flush color; nr_active those counted against max_active.
 */
struct pool_workqueue {
	struct worker_pool *pool;	/* I */
	struct workqueue_struct *wq;	/* I */
	int work_color;			/* L: color of new items */
	int flush_color;		/* L: color being flushed, -1 if none */
	int nr_in_flight[WORK_NR_COLORS]; /* L */
	int nr_active;			/* L: items on the worklist or running */
	int max_active;			/* L */
	struct list_head inactive_works; /* L: items waiting for a max_active slot */
	struct list_head mayday_node;	/* R: on wq->maydays */
	struct list_head pwqs_node;	/* I: on wq->pwqs */
	unsigned long nr_executed;	/* L: statistics */
} __aligned(1 << WORK_STRUCT_FLAG_BITS);

struct wq_flusher {
	int flush_color;
	struct completion done;
};

struct workqueue_struct {
	char name[24];			/* I */
	unsigned int flags;		/* WQ_* (M: the __WQ_ states) */
	int max_active;			/* I */
	struct list_head pwqs;		/* I: all its pwqs */
	struct pool_workqueue *cpu_pwq[NR_CPUS]; /* I: the pwq for items queued on each CPU */
	struct mutex mutex;		/* serializes flushers and drainers */
	int work_color;			/* M: color of new items */
	int nr_drainers;		/* M */
	atomic_t nr_pwqs_to_flush;	/* pwqs the current flush waits for */
	struct wq_flusher *first_flusher; /* M/L: the flush in progress */
	struct list_head maydays;	/* R: pwqs asking for its rescuer */
	struct worker *rescuer;		/* I: WQ_MEM_RECLAIM */
	struct list_head list;		/* A: on the workqueues list */
};

extern spinlock_t wq_list_lock;
extern struct list_head workqueues;
extern struct list_head unbound_pools;
extern struct worker_pool *worker_pools_by_id[MAX_WORKER_POOLS];
extern bool wq_online;

struct worker_pool *cpu_worker_pool(int cpu, bool highpri);
struct worker_pool *bh_worker_pool(int cpu, bool highpri);
struct worker_pool *get_work_pool(struct work_struct *work);
struct pool_workqueue *get_work_pwq(struct work_struct *work);
struct worker *current_wq_worker(void);
struct worker *find_worker_executing_work(struct worker_pool *pool, struct work_struct *work);

/* workqueue.c: queueing and the off-queue state */
void __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *work);
void insert_work(struct pool_workqueue *pwq, struct work_struct *work, struct list_head *head,
		 unsigned long extra_flags);
void move_linked_works(struct work_struct *work, struct list_head *head, struct work_struct **nextp);
void pwq_activate_work(struct pool_workqueue *pwq, struct work_struct *work);
void pwq_dec_nr_in_flight(struct pool_workqueue *pwq, unsigned long work_data);
void set_work_pool_and_clear_pending(struct work_struct *work, int pool_id, unsigned long offq);
bool pwq_is_empty(struct pool_workqueue *pwq);
void kick_pool(struct worker_pool *pool);

static inline bool need_more_worker(struct worker_pool *pool)
{
	return !list_empty(&pool->worklist) && !pool->nr_running;
}

/* workqueue_flush.c */
void __flush_workqueue(struct workqueue_struct *wq);
bool __flush_work(struct work_struct *work, bool from_cancel);

/* workqueue_cancel.c: flags for try_to_grab_pending() and __cancel_work() */
#define WORK_CANCEL_DELAYED	(1 << 0)	/* a delayed_work: its timer may hold PENDING */
#define WORK_CANCEL_DISABLE	(1 << 1)	/* also raise the disable count */
int try_to_grab_pending(struct work_struct *work, unsigned int cflags, unsigned long *irq_flags);
bool clear_pending_if_disabled(struct work_struct *work);

/* workqueue_worker.c */
int create_worker(struct worker_pool *pool);
void init_worker_pool(struct worker_pool *pool, int cpu, int nice, bool bh);
int create_rescuer(struct workqueue_struct *wq);
void stop_rescuer(struct workqueue_struct *wq);

#endif
