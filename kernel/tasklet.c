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
 */
#define pr_fmt(fmt) "tasklet: " fmt
#include <kernel/interrupt.h>
#include <kernel/sched.h>
#include <kernel/bitops.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <kernel/trace_events.h>
#include <asm/special_insns.h>

struct tasklet_head {
	struct tasklet_struct *head;
	struct tasklet_struct **tail;
};

static DEFINE_PER_CPU(struct tasklet_head, tasklet_vec);
static DEFINE_PER_CPU(struct tasklet_head, tasklet_hi_vec);

/* Append t to this CPU's list and raise its softirq; interrupts off. */
static void __tasklet_schedule_common(struct tasklet_struct *t, struct tasklet_head *head,
				      unsigned int softirq_nr)
{
	unsigned long flags;

	local_irq_save(flags);
	head = this_cpu_ptr(head);
	if (unlikely(!head->tail))	/* first use on this CPU */
		head->tail = &head->head;
	t->next = NULL;
	*head->tail = t;
	head->tail = &t->next;
	raise_softirq_irqoff(softirq_nr);
	local_irq_restore(flags);
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
static void tasklet_action_common(struct tasklet_head *tl_head, unsigned int softirq_nr)
{
	struct tasklet_struct *list;

	local_irq_disable();
	tl_head = this_cpu_ptr(tl_head);
	list = tl_head->head;
	tl_head->head = NULL;
	tl_head->tail = &tl_head->head;
	local_irq_enable();

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
		local_irq_disable();
		t->next = NULL;
		*tl_head->tail = t;
		tl_head->tail = &t->next;
		__raise_softirq_irqoff(softirq_nr);
		local_irq_enable();
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
