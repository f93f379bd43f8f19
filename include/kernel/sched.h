/*
 * Tasks and the scheduler (Linux's sched.h names). Every thread here is
 * a kernel thread: a task_struct, a guarded 16 KiB stack, and the
 * callee-saved registers its last switch left on that stack.
 *
 * Two classes, as the part of Linux this kernel needs: SCHED_FIFO tasks
 * (rt_priority 1..99; threaded IRQ handlers run at 50 as in Linux) run
 * before any SCHED_NORMAL task, highest priority first; SCHED_NORMAL
 * tasks share the CPU by weight (nice -20..19, Linux's weight table),
 * the one with the least weighted run time (vruntime) first, as CFS.
 *
 * Preemption: need_resched is set by the tick when the running task has
 * used its slice, and by a wake-up of a task that should run first. It
 * is acted on at preempt_enable() back to 0 and on the return from an
 * interrupt to task context with preempt_count 0.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/preempt.h>
#include <kernel/cpumask.h>
#include <asm/percpu.h>

/* Task states (__state). */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_PARKED		0x0040
#define TASK_WAKING		0x0200	/* being woken onto another CPU: no other waker may touch it */
#define TASK_DEAD		0x0080
#define TASK_NEW		0x0800
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* Task flags. */
#define PF_IDLE			0x00000002	/* a CPU's idle task */
#define PF_EXITING		0x00000004
#define PF_WQ_WORKER		0x00000020	/* a workqueue worker: the scheduler tells the pool when it sleeps */
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000	/* bound by kthread_bind(): never moved */

/* Scheduling policies. */
#define SCHED_NORMAL		0
#define SCHED_FIFO		1

#define MAX_RT_PRIO		100
#define MIN_NICE		(-20)
#define MAX_NICE		19
#define NICE_0_LOAD		1024

#define TASK_COMM_LEN		24

struct kthread;
struct worker;
struct ktest_catcher;

struct task_struct {
	/* saved stack pointer: switch_to.asm reads it at offset 0 */
	unsigned long sp;
	volatile long __state;		/* TASK_* */
	unsigned int flags;		/* PF_* */
	int pid;
	char comm[TASK_COMM_LEN];

	/* scheduling (rq lock) */
	int policy;			/* SCHED_NORMAL or SCHED_FIFO */
	int rt_priority;		/* SCHED_FIFO: 1..99, higher runs first */
	int static_prio_nice;		/* SCHED_NORMAL: nice -20..19 */
	unsigned long weight;		/* from nice */
	u64 vruntime;			/* ns of run time, scaled by NICE_0_LOAD / weight */
	u64 exec_start;			/* ns: when it last got the CPU */
	u64 sum_exec_runtime;		/* ns of CPU time in total */
	u64 slice_start;		/* sum_exec_runtime when its current slice began */
	unsigned long nr_switches;	/* times it was switched in ("run count") */
	int on_rq;			/* queued on (or running from) its CPU's run queue */
	int on_cpu;			/* running, or still switching out */
	int cpu;			/* the CPU it runs or runs next on (changes under both run-queue locks) */
	unsigned long nr_migrations;	/* times it moved to another CPU */
	struct cpumask cpus_allowed;
	struct list_head run_list;	/* rq->fifo or rq->fair, sorted */

	void *stack;			/* lowest address of its THREAD_SIZE stack */
	struct list_head tasks;		/* all_tasks, under tasklist_lock */

	struct kthread *kthread;	/* kernel/kthread.c's part */
	struct worker *worker;		/* PF_WQ_WORKER: kernel/workqueue.c's part */
	void *ktest_catcher;		/* kernel/ktest: the try-catch armed in this task */
	int exit_code;
	int usage;			/* references: the running task holds one, kthread_stop() another */
};

DECLARE_PER_CPU(struct task_struct *, current_task);

static __always_inline struct task_struct *get_current(void) { return this_cpu_read(current_task); }
#define current get_current()

/*
 * Set the task's state before testing the condition it sleeps on (the
 * store is ordered before the test, so a wake-up that comes in between
 * sets it back to TASK_RUNNING and schedule() returns at once).
 */
#define __set_current_state(s)	WRITE_ONCE(current->__state, (s))
#define set_current_state(s)	__atomic_store_n(&current->__state, (s), __ATOMIC_SEQ_CST)
#define task_is_running(t)	(READ_ONCE((t)->__state) == TASK_RUNNING)

/*
 * Give up the CPU. In a state other than TASK_RUNNING the task leaves
 * the run queue until woken. Must not be called in atomic context.
 */
void schedule(void);
/* Let another task of the same or higher priority run; the caller stays runnable. */
void yield(void);
/* Preempt here if need_resched is set and preemption is allowed. Returns whether it switched. */
int _cond_resched(void);
#define cond_resched() _cond_resched()

/*
 * Wake a task sleeping in one of the states in `state`: make it
 * runnable and, if it should run before the current task, set
 * need_resched. Returns false if it was not in such a state.
 * Callable from any context.
 */
int wake_up_state(struct task_struct *p, unsigned int state);
int wake_up_process(struct task_struct *p);

/* Nice value -20..19 (clamped); takes effect from the next slice. */
void set_user_nice(struct task_struct *p, long nice);
static inline int task_nice(const struct task_struct *p) { return p->static_prio_nice; }
/* SCHED_FIFO with priority prio (1..99), or back to SCHED_NORMAL with prio 0. */
int sched_setscheduler_nocheck(struct task_struct *p, int policy, int prio);
/* Linux's helpers for kernel threads: FIFO at MAX_RT_PRIO/2 (threaded IRQs), and back to normal. */
void sched_set_fifo(struct task_struct *p);
void sched_set_normal(struct task_struct *p, int nice);

/* Restrict p to the CPUs in mask. Returns -EINVAL if no online CPU is left in it. */
int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *mask);

/* need_resched is per CPU: it concerns whichever task runs there (kernel/preempt.h). */
static inline bool need_resched(void) { return this_cpu_read(cpu_need_resched); }
void resched_curr_cpu(int cpu);

/* From preempt_enable() and the interrupt return path: run schedule() if preemption is allowed. */
void preempt_schedule(void);
void preempt_schedule_irq(void);

/* The tick: charge the running task and decide whether it should be preempted. */
void scheduler_tick(void);

/* Find a task by pid (NULL if none); all_tasks walks every task. */
extern struct list_head all_tasks;
extern struct spinlock tasklist_lock;
struct task_struct *find_task_by_pid(int pid);

/* The idle task of this CPU, and the loop it runs. */
struct task_struct *idle_task(int cpu);
void __noreturn cpu_idle_loop(void);

/*
 * Set up the boot CPU's scheduler with the running boot code as its
 * idle task (pid 0, "swapper/0"); once the boot code runs on its
 * guarded stack, sched_init_idle_stack() records that stack.
 */
void sched_init(void);
void sched_init_idle_stack(void);
/* A secondary CPU's idle task and run queue (NULL without memory); then, on that CPU, its start. */
struct task_struct *sched_create_idle(int cpu);
void sched_start_secondary(void);

/* For kthread.c: name a new task, give it a pid and list it (state TASK_NEW, one reference). */
void sched_init_task(struct task_struct *p, const char *name);
/* Make a TASK_NEW task runnable for the first time. */
void wake_up_new_task(struct task_struct *p);
void get_task_struct(struct task_struct *p);
/* The last reference frees the task and its stack. */
void put_task_struct(struct task_struct *p);

/* End the current task: wake whoever waits for it and switch away for good (kernel/exit.c). */
void __noreturn do_exit(long code);
/*
 * After an oops in task context: end the task as Linux does (the
 * kernel goes on), unless it is the idle task or init, or the oops was
 * in interrupt context; those panic.
 */
void __noreturn make_task_dead(int signr);
/* The scheduler's part of do_exit(). */
void __noreturn do_task_dead(void);

/* Print the task list: pid, name, state, CPU, policy/nice, switches, run time. */
void show_tasks(int (*print)(const char *fmt, ...));
const char *task_state_name(const struct task_struct *p);

/* Before the idle loop halts: pull a task from a busier CPU. */
void idle_balance(void);
/* Tasks moved to cpu by wake-up placement, balancing or affinity changes. */
unsigned long nr_migrations_cpu(int cpu);

/* Count of context switches on this CPU. */
unsigned long nr_context_switches_cpu(int cpu);

#endif
