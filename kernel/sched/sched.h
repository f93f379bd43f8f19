/* The scheduler's private view: the per-CPU run queue. */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <kernel/sched.h>
#include <kernel/spinlock.h>

struct rq {
	spinlock_t lock;		/* taken raw, with interrupts off; two at once in address order */
	int cpu;
	struct task_struct *curr;	/* running now; on no list */
	struct task_struct *idle;
	struct list_head fifo;		/* SCHED_FIFO, by rt_priority (high first), FIFO among equals */
	struct list_head fair;		/* SCHED_NORMAL, by vruntime (least first) */
	unsigned long fair_weight;	/* sum of the weights on `fair` */
	unsigned int nr_running;	/* tasks on the lists (not counting curr) */
	u64 min_vruntime;		/* never goes back: where woken and new tasks are placed */
	unsigned long nr_switches;
	unsigned int balance_ticks;	/* ticks since the last periodic balance */
	unsigned long nr_migrations_in;	/* tasks pulled or pushed to this CPU */
};

struct rq *cpu_rq(int cpu);
void schedule_tail(struct task_struct *prev);

#endif
