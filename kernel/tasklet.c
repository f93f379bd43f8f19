/*
 * Tasklets (Linux's tasklet code in kernel/softirq.c): deferred functions
 * run from HI_SOFTIRQ and TASKLET_SOFTIRQ, each CPU with its own two
 * lists. Two state bits give the guarantees:
 *   SCHED  set by whoever queues it; a tasklet already queued is not
 *          queued again, so scheduling it twice before it runs runs it once;
 *   RUN    held while its function runs, so it never runs on two CPUs at
 *          once (another CPU finding it taken puts it back in its list).
 * SCHED is cleared just before the function runs, so a tasklet that
 * schedules itself runs again, on a later pass. A disabled one (count > 0)
 * stays queued and is retried until enabled.
 *
 * Each list is lock-free (as Linux's llist): a tasklet is pushed with one
 * compare-and-exchange, and the softirq takes the whole list with one
 * exchange and runs it oldest first. Both are atomic against interrupts
 * on this CPU, so neither side turns interrupts off (Linux's lists need
 * them off around every queue and every take).
 */
#define pr_fmt(fmt) "tasklet: " fmt
#include <kernel/interrupt.h>
#include <kernel/sched.h>
#include <kernel/bitops.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <kernel/trace_events.h>
#include <asm/special_insns.h>

/* Newest first; pushed by any context on this CPU, taken by its softirq. */
struct tasklet_head {
	struct tasklet_struct *head;
};

static DEFINE_PER_CPU(struct tasklet_head, tasklet_vec);
static DEFINE_PER_CPU(struct tasklet_head, tasklet_hi_vec);

static void tasklet_push(struct tasklet_struct *t, struct tasklet_head *head)
{
	struct tasklet_struct *first = __atomic_load_n(&head->head, __ATOMIC_RELAXED);

	do {
		t->next = first;
	} while (!__atomic_compare_exchange_n(&head->head, &first, t, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

/* Push t on this CPU's list and raise its softirq. */
static void __tasklet_schedule_common(struct tasklet_struct *t, struct tasklet_head *head,
				      unsigned int softirq_nr)
{
	/* this CPU's list and softirq: stay here until both are done */
	preempt_disable();
	tasklet_push(t, this_cpu_ptr(head));
	/*
	 * With interrupts on: the pending bit is set by one this_cpu op, and
	 * an interrupt between it and raise_softirq_irqoff()'s in_interrupt()
	 * test can only make its ksoftirqd wake-up unneeded.
	 */
	raise_softirq_irqoff(softirq_nr);
	/*
	 * Not a preemption point, as Linux's interrupts-off section here is
	 * not one: a ksoftirqd woken above runs at the caller's next one.
	 */
	preempt_enable_no_resched();
}

void tasklet_schedule(struct tasklet_struct *t)
{
	if (!test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		__tasklet_schedule_common(t, &tasklet_vec, TASKLET_SOFTIRQ);
}

void tasklet_hi_schedule(struct tasklet_struct *t)
{
	if (!test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		__tasklet_schedule_common(t, &tasklet_hi_vec, HI_SOFTIRQ);
}

static bool tasklet_trylock(struct tasklet_struct *t)
{
	return !test_and_set_bit(TASKLET_STATE_RUN, &t->state);
}

static void tasklet_unlock(struct tasklet_struct *t)
{
	clear_bit_unlock(TASKLET_STATE_RUN, &t->state);
}

static void tasklet_unlock_wait(struct tasklet_struct *t)
{
	while (test_bit(TASKLET_STATE_RUN, &t->state))
		cpu_relax();
}

/* The softirq: take this CPU's whole list, run what can run, requeue the rest. */
static __always_inline void tasklet_action_common(struct tasklet_head *tl_head,
						  unsigned int softirq_nr)
{
	struct tasklet_struct *list, *oldest = NULL;

	tl_head = this_cpu_ptr(tl_head);
	list = __atomic_exchange_n(&tl_head->head, NULL, __ATOMIC_ACQUIRE);
	/* newest first as taken: reverse, to run them in the order they were scheduled */
	while (list) {
		struct tasklet_struct *next = list->next;

		list->next = oldest;
		oldest = list;
		list = next;
	}
	list = oldest;
	while (list) {
		struct tasklet_struct *t = list;

		list = list->next;
		if (tasklet_trylock(t)) {
			if (!atomic_read(&t->count)) {
				if (!test_and_clear_bit(TASKLET_STATE_SCHED, &t->state))
					WARN_ONCE(1, "tasklet %ps ran without being scheduled\n",
						  t->use_callback ? (void *)t->callback : (void *)t->func);
				trace_tasklet_entry(t);
				if (t->use_callback)
					t->callback(t);
				else
					t->func(t->data);
				trace_tasklet_exit(t);
				tasklet_unlock(t);
				continue;
			}
			tasklet_unlock(t);
		}
		/* disabled, or running elsewhere: back on the list for a later pass */
		tasklet_push(t, tl_head);
		__raise_softirq_irqoff(softirq_nr);
	}
}

static void tasklet_action(struct softirq_action *a)
{
	tasklet_action_common(&tasklet_vec, TASKLET_SOFTIRQ);
}

static void tasklet_hi_action(struct softirq_action *a)
{
	tasklet_action_common(&tasklet_hi_vec, HI_SOFTIRQ);
}

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->func = func;
	t->use_callback = false;
	t->data = data;
}

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->callback = callback;
	t->use_callback = true;
	t->data = 0;
}

void tasklet_disable_nosync(struct tasklet_struct *t)
{
	atomic_inc(&t->count);
}

void tasklet_disable(struct tasklet_struct *t)
{
	tasklet_disable_nosync(t);
	tasklet_unlock_wait(t);
}

void tasklet_enable(struct tasklet_struct *t)
{
	WARN_ON_ONCE(atomic_dec_return(&t->count) < 0);
}

void tasklet_kill(struct tasklet_struct *t)
{
	if (in_interrupt()) {
		pr_notice("attempt to kill tasklet %ps from interrupt\n",
			  t->use_callback ? (void *)t->callback : (void *)t->func);
		WARN_ON_ONCE(1);
		return;
	}
	/* let it run if queued (the softirq clears SCHED), then keep it from being queued again */
	while (test_and_set_bit(TASKLET_STATE_SCHED, &t->state)) {
		while (test_bit(TASKLET_STATE_SCHED, &t->state))
			yield();
	}
	tasklet_unlock_wait(t);
	clear_bit(TASKLET_STATE_SCHED, &t->state);
}

void tasklet_init_softirqs(void)
{
	open_softirq(TASKLET_SOFTIRQ, tasklet_action);
	open_softirq(HI_SOFTIRQ, tasklet_hi_action);
}
