/*
 * Threaded interrupt handlers (the thread half of Linux's
 * kernel/irq/manage.c): each action with a thread_fn gets a SCHED_FIFO
 * kernel thread "irq/N-name" that sleeps until its primary handler
 * returns IRQ_WAKE_THREAD, then runs thread_fn in task context. On an
 * IRQF_ONESHOT line the flow handler leaves the line masked while any
 * woken thread has still to finish; the last one to finish unmasks it.
 */
#include "internals.h"
#include <kernel/kthread.h>
#include <kernel/bitops.h>
#include <kernel/errno.h>
#include <kernel/trace_events.h>

irqreturn_t irq_default_primary_handler(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

/*
 * Called by __handle_irq_event_percpu() (hard IRQ, or the spurious
 * poller) with IRQD_IRQ_INPROGRESS set, and by irq_wake_thread() with
 * desc->lock held: either way irq_finalize_oneshot() cannot change
 * threads_oneshot at the same time, because it waits for both.
 */
void __irq_wake_thread(struct irq_desc *desc, struct irqaction *action)
{
	/* woken already and not yet running: that run covers this interrupt too */
	if (test_and_set_bit(IRQTF_RUNTHREAD, &action->thread_flags))
		return;
	desc->threads_oneshot |= action->thread_mask;
	/* before the wake-up, so synchronize_irq() cannot miss a thread about to run */
	atomic_inc(&desc->threads_active);
	trace_irq_thread_wake(desc->irq_data.irq, action);
	wake_up_process(action->thread);
}

void irq_wake_thread(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	for (struct irqaction *a = desc->action; a; a = a->next) {
		if (a->dev_id == dev_id) {
			if (a->thread)
				__irq_wake_thread(desc, a);
			break;
		}
	}
	spin_unlock_irqrestore(&desc->lock, flags);
}

/* A chip that wants its EOI only after the thread ran (IRQCHIP_EOI_THREADED) gets it here. */
static void unmask_threaded_irq(struct irq_desc *desc)
{
	struct irq_chip *chip = desc->irq_data.chip;

	if (chip->flags & IRQCHIP_EOI_THREADED)
		chip->irq_eoi(&desc->irq_data);
	unmask_irq(desc);
}

/* The thread of a ONESHOT action is done: unmask the line if it was the last one the line waited for. */
static void irq_finalize_oneshot(struct irq_desc *desc, struct irqaction *action)
{
	if (!action->thread_mask)
		return;
again:
	spin_lock_irq(&desc->lock);
	/*
	 * A hard IRQ of this line runs on another CPU and may be setting our
	 * bit again right now (without the lock): let it finish first.
	 */
	if (irqd_irq_inprogress(&desc->irq_data)) {
		spin_unlock_irq(&desc->lock);
		cpu_relax();
		goto again;
	}
	/* woken again meanwhile: the line stays masked for that run */
	if (!test_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
		desc->threads_oneshot &= ~action->thread_mask;
		/* a disabled line stays masked: enable_irq() unmasks it */
		if (!desc->threads_oneshot && !irqd_irq_disabled(&desc->irq_data) &&
		    irqd_irq_masked(&desc->irq_data))
			unmask_threaded_irq(desc);
	}
	spin_unlock_irq(&desc->lock);
}

/*
 * Sleep until the primary handler asks for a run (returns true) or
 * kthread_stop() is called (returns false). A pending run is taken even
 * when a stop is asked for, so that threads_active always goes back down.
 */
static bool irq_wait_for_interrupt(struct irqaction *action)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (test_and_clear_bit(IRQTF_RUNTHREAD, &action->thread_flags)) {
			__set_current_state(TASK_RUNNING);
			return true;
		}
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			return false;
		}
		schedule();
	}
}

/*
 * Run where the line's interrupts arrive (Linux's irq_thread_check_affinity):
 * the hard IRQ and its thread then share a CPU and its cache, and the
 * thread preempts what the interrupt interrupted. The line may have moved
 * since the last run; the thread moves itself.
 */
static void irq_thread_check_affinity(struct irq_desc *desc)
{
	struct cpumask mask = desc->irq_data.effective_affinity;

	if (!cpumask_empty(&mask) && !cpumask_equal(&mask, &current->cpus_allowed))
		set_cpus_allowed_ptr(current, &mask);
}

static int irq_thread(void *data)
{
	struct irqaction *action = data;
	struct irq_desc *desc = irq_to_desc(action->irq);

	while (irq_wait_for_interrupt(action)) {
		irqreturn_t ret;

		irq_thread_check_affinity(desc);
		ret = action->thread_fn((int)action->irq, action->dev_id);

		/* the handler may sleep, but must not leave atomic context behind */
		if (WARN_ONCE(preempt_count() || irqs_disabled(),
			      "irq %u thread handler %pS returned in atomic context (%#x)\n",
			      action->irq, action->thread_fn, preempt_count()))
			local_irq_enable();
		if (ret == IRQ_HANDLED)
			atomic_inc(&desc->threads_handled);
		irq_finalize_oneshot(desc, action);
		if (atomic_dec_and_test(&desc->threads_active))
			wake_up(&desc->wait_for_threads);
	}
	return 0;
}

int irq_setup_thread(struct irqaction *action)
{
	struct task_struct *t;

	t = kthread_create(irq_thread, action, "irq/%u-%s", action->irq, action->name);
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	sched_set_fifo(t);
	action->thread = t;
	/*
	 * Start it now, while nothing else can wake it: it runs at once (it
	 * is FIFO) and goes to sleep in irq_wait_for_interrupt().
	 */
	wake_up_process(t);
	return 0;
}

/*
 * Once the line is set up and has a CPU: put the sleeping thread there
 * now, so that its first wake-up already lands on the line's CPU (it
 * would otherwise wake where it was made and move itself only then).
 */
void irq_thread_set_affinity(struct irqaction *action)
{
	struct irq_desc *desc = irq_to_desc(action->irq);
	struct cpumask mask = desc->irq_data.effective_affinity;

	if (!cpumask_empty(&mask) && !cpumask_equal(&mask, &action->thread->cpus_allowed))
		set_cpus_allowed_ptr(action->thread, &mask);
}

void irq_stop_thread(struct irqaction *action)
{
	if (!action->thread)
		return;
	kthread_stop(action->thread);
	action->thread = NULL;
}
