/*
 * The driver API (Linux's kernel/irq/manage.c): request and free handlers,
 * nested disable/enable, synchronize_irq and the trigger type (affinity
 * is in affinity.c). The errors are Linux's, so code written against
 * Linux behaves the same.
 * The threads of threaded handlers live in thread.c.
 */
#include "internals.h"
#include <kernel/errno.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/bitops.h>
#include <asm/traps.h>

/*
 * Install new on desc (the seeds' setup_irq / Linux's __setup_irq). A
 * shared line takes another action only if every action on it asked for
 * IRQF_SHARED and they agree on the trigger type, IRQF_ONESHOT and
 * IRQF_PERCPU; the first action sets the line up and starts it.
 */
static int __setup_irq(unsigned int irq, struct irq_desc *desc, struct irqaction *new)
{
	struct irq_chip *chip = desc->irq_data.chip;
	struct irqaction *old, **pp;
	unsigned long flags, used_masks = 0;
	int ret = 0;

	if (chip == &no_irq_chip)
		return -ENOSYS;
	/* no trigger type given: the line's own */
	if (!(new->flags & IRQF_TRIGGER_MASK))
		new->flags |= irqd_get_trigger_type(&desc->irq_data);
	if (chip->flags & IRQCHIP_ONESHOT_SAFE)
		new->flags &= ~IRQF_ONESHOT;

	spin_lock_irqsave(&desc->lock, flags);
	old = desc->action;
	if (old) {
		unsigned int oldtype = irqd_get_trigger_type(&desc->irq_data);

		if (!((old->flags & new->flags) & IRQF_SHARED) ||
		    oldtype != (new->flags & IRQF_TRIGGER_MASK) ||
		    ((old->flags ^ new->flags) & IRQF_ONESHOT) ||
		    ((old->flags ^ new->flags) & IRQF_PERCPU))
			goto mismatch;
		for (pp = &desc->action; *pp; pp = &(*pp)->next)
			used_masks |= (*pp)->thread_mask;
	} else {
		pp = &desc->action;
		if (new->flags & IRQF_TRIGGER_MASK) {
			ret = __irq_set_trigger(desc, new->flags & IRQF_TRIGGER_MASK);
			if (ret)
				goto out;
		}
		desc->istate &= ~(IRQS_ONESHOT | IRQS_PENDING | IRQS_REPLAY);
		WARN_ON_ONCE(desc->threads_oneshot);
		desc->threads_oneshot = 0;
		if (new->flags & IRQF_ONESHOT)
			desc->istate |= IRQS_ONESHOT;
		if (new->flags & IRQF_PERCPU)
			irqd_set(&desc->irq_data, IRQD_PER_CPU);
		if (!(new->flags & IRQF_NO_AUTOEN))
			irq_startup(desc, true);
	}
	/* a ONESHOT action gets a bit of its own in threads_oneshot: one per bit of a long */
	if (new->flags & IRQF_ONESHOT) {
		if (used_masks == ~0ul) {
			ret = -EBUSY;
			goto out;
		}
		new->thread_mask = 1ul << __ffs(~used_masks);
	}
	*pp = new;
	/* a fresh start for the unhandled-interrupt accounting */
	desc->irq_count = 0;
	desc->irqs_unhandled = 0;
	/* a new handler on a line disabled as spurious: give it another chance, as Linux does */
	if (old && (desc->istate & IRQS_SPURIOUS_DISABLED)) {
		desc->istate &= ~IRQS_SPURIOUS_DISABLED;
		if (desc->depth == 1)
			irq_startup(desc, true);
		else
			desc->depth--;
	}
out:
	spin_unlock_irqrestore(&desc->lock, flags);
	return ret;

mismatch:
	spin_unlock_irqrestore(&desc->lock, flags);
	if (!(new->flags & IRQF_PROBE_SHARED)) {
		pr_err("Flags mismatch irq %u. %08x (%s) vs. %08x (%s)\n", irq, new->flags, new->name,
		       old->flags, old->name);
	}
	return -EBUSY;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *name, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action;
	int ret;

	/* a shared line needs a dev_id to find the action again; NO_AUTOEN cannot hold for others' handlers */
	if (((irqflags & IRQF_SHARED) && !dev_id) ||
	    ((irqflags & IRQF_SHARED) && (irqflags & IRQF_NO_AUTOEN)))
		return -EINVAL;
	if (!desc)
		return -EINVAL;
	if (!handler && !thread_fn)
		return -EINVAL;
	/*
	 * The default primary handler only wakes the thread and leaves the
	 * device asserting: a level line would fire again at once unless it
	 * stays masked until the thread ran.
	 */
	if (!handler && !(irqflags & IRQF_ONESHOT) &&
	    !(desc->irq_data.chip->flags & IRQCHIP_ONESHOT_SAFE)) {
		pr_err("irq %u (%s): a thread function without a primary handler needs IRQF_ONESHOT\n",
		       irq, name);
		return -EINVAL;
	}
	if (thread_fn)
		might_sleep();
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler ? handler : irq_default_primary_handler;
	action->thread_fn = thread_fn;
	action->flags = irqflags;
	action->name = name;
	action->dev_id = dev_id;
	action->irq = irq;
	if (thread_fn) {
		ret = irq_setup_thread(action);
		if (ret)
			goto fail;
	}
	ret = __setup_irq(irq, desc, action);
	if (ret)
		goto fail;
	if (action->thread)
		irq_thread_set_affinity(action);
	return 0;
fail:
	irq_stop_thread(action);
	kfree(action);
	return ret;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action, **pp;
	unsigned long flags;
	const char *devname;

	if (!desc)
		return NULL;
	spin_lock_irqsave(&desc->lock, flags);
	for (pp = &desc->action; (action = *pp); pp = &action->next)
		if (action->dev_id == dev_id)
			break;
	if (!action) {
		spin_unlock_irqrestore(&desc->lock, flags);
		WARN(1, "Trying to free already-free IRQ %u\n", irq);
		return NULL;
	}
	*pp = action->next;
	if (!desc->action) {
		irq_shutdown(desc);
		desc->istate &= ~(IRQS_ONESHOT | IRQS_PENDING);
		if (desc->istate & IRQS_SPURIOUS_DISABLED) {
			desc->istate &= ~IRQS_SPURIOUS_DISABLED;
			desc->spurious_trips = 0;
		}
	}
	spin_unlock_irqrestore(&desc->lock, flags);
	/*
	 * A hard-IRQ handler may still run on another CPU, and the thread may
	 * still run or be woken: wait for both before the thread is stopped
	 * and the action freed. Nothing can wake the thread once it is off
	 * the list and synchronize_irq() has returned.
	 */
	synchronize_irq(irq);
	irq_stop_thread(action);
	devname = action->name;
	kfree(action);
	return devname;
}

void disable_irq_nosync(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	if (!desc->depth++)
		irq_disable(desc);
	spin_unlock_irqrestore(&desc->lock, flags);
}

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

void enable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	switch (desc->depth) {
	case 0:
		spin_unlock_irqrestore(&desc->lock, flags);
		WARN(1, "Unbalanced enable for IRQ %u\n", irq);
		return;
	case 1:
		/* (re)start the line; an edge that came meanwhile is resent */
		irq_startup(desc, true);
		break;
	default:
		desc->depth--;
	}
	spin_unlock_irqrestore(&desc->lock, flags);
}

/*
 * Wait until no CPU runs the line's hard-IRQ handlers. The flow handlers
 * set and clear IRQD_IRQ_INPROGRESS under desc->lock (handle_irq_event),
 * so the flag is watched without the lock (a handler may run for long,
 * and the lock must stay free for it to finish), then read once more
 * under the lock: once it is seen clear there, a handler that starts
 * afterwards has seen whatever the caller did before (a removed action,
 * IRQD_IRQ_DISABLED) because it took the lock after us.
 * Returns false if it refused to wait (called from the line's own
 * hard-IRQ handler on this CPU, which would wait for itself forever).
 */
static bool __synchronize_hardirq(struct irq_desc *desc)
{
	unsigned long flags;
	bool inprogress;

	if (WARN_ON_ONCE(in_hardirq() && irqd_irq_inprogress(&desc->irq_data) &&
			 READ_ONCE(desc->inprogress_cpu) == smp_processor_id()))
		return false;
	do {
		while (READ_ONCE(desc->irq_data.state) & IRQD_IRQ_INPROGRESS)
			cpu_relax();
		/* recheck under the lock: the flow handler clears it with the lock held */
		spin_lock_irqsave(&desc->lock, flags);
		inprogress = irqd_irq_inprogress(&desc->irq_data);
		spin_unlock_irqrestore(&desc->lock, flags);
	} while (inprogress);
	return true;
}

bool synchronize_hardirq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return true;
	return __synchronize_hardirq(desc) && !atomic_read(&desc->threads_active);
}

void synchronize_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc || !__synchronize_hardirq(desc))
		return;
	/*
	 * No hard IRQ runs now, so no new thread can be woken by one that was
	 * already under way; wait for the threads woken before (the last one
	 * to finish wakes us).
	 */
	wait_event(desc->wait_for_threads, !atomic_read(&desc->threads_active));
}

int irq_set_irq_type(unsigned int irq, unsigned int type)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	int ret;

	if (!desc)
		return -EINVAL;
	spin_lock_irqsave(&desc->lock, flags);
	ret = __irq_set_trigger(desc, type);
	spin_unlock_irqrestore(&desc->lock, flags);
	return ret;
}
