/*
 * Unhandled interrupts (Linux's kernel/irq/spurious.c, note_interrupt()).
 *
 * Every interrupt is counted per line; the ones no handler claimed count
 * as unhandled, in a streak that restarts when two are more than HZ/10
 * apart (an odd spurious interrupt is normal on real buses and must not
 * add up forever). Each 100,000 interrupts the streak is checked: when
 * more than 99,900 of them went unhandled, the line is stuck, and it is
 * disabled with an "irq N: nobody cared" report naming its handlers.
 * Meanwhile the tick polls those handlers, so a device on the line still
 * gets service. Threaded handlers are judged by what their thread returned.
 *
 * Beyond Linux, which leaves such a line disabled for good: after a
 * back-off the line is enabled again, so a device that recovered (or a
 * driver that got loaded) works again; each further trip doubles the
 * back-off, from SPURIOUS_BACKOFF_MIN_MS up to SPURIOUS_BACKOFF_MAX_MS.
 */
#include "internals.h"
#include <kernel/jiffies.h>
#include <kernel/cmdline.h>
#include <asm/traps.h>

/* The window and threshold Linux uses: 99.9 % unhandled over 100,000 interrupts. */
#define SPURIOUS_WINDOW		100000
#define SPURIOUS_THRESHOLD	99900
/* First back-off: long enough to skip a storm that is over quickly, short enough not to be noticed. */
#define SPURIOUS_BACKOFF_MIN_MS	100
/* Cap: a line that keeps storming costs one window of interrupts per minute at most. */
#define SPURIOUS_BACKOFF_MAX_MS	60000
/* How often the tick polls disabled lines (Linux's POLL_SPURIOUS_IRQ_INTERVAL). */
#define POLL_INTERVAL		(HZ / 10 ? HZ / 10 : 1)

bool noirqdebug;
static unsigned long nr_spurious_disabled;	/* lines disabled right now (a hint for the tick) */

static int noirqdebug_setup(const char *val)
{
	noirqdebug = true;
	pr_info("IRQ lockup detection disabled\n");
	return 0;
}
early_param("noirqdebug", noirqdebug_setup);

bool irq_wait_for_poll(struct irq_desc *desc)
{
	/* the spurious poller runs this line's handlers on another CPU: wait for it */
	if (!(desc->istate & IRQS_POLL_INPROGRESS))
		return false;
	while (READ_ONCE(desc->istate) & IRQS_POLL_INPROGRESS) {
		spin_unlock(&desc->lock);
		while (READ_ONCE(desc->istate) & IRQS_POLL_INPROGRESS)
			cpu_relax();
		spin_lock(&desc->lock);
	}
	return !irqd_irq_inprogress(&desc->irq_data);
}

static void report_bad_irq(struct irq_desc *desc, irqreturn_t ret)
{
	unsigned int irq = desc->irq_data.irq;

	if (ret != IRQ_NONE && ret != IRQ_HANDLED && ret != (IRQ_HANDLED | IRQ_WAKE_THREAD) &&
	    ret != IRQ_WAKE_THREAD)
		pr_err("irq event %u: bogus return value %x\n", irq, ret);
	else
		pr_err("irq %u: nobody cared (try booting with the \"irqpoll\" option)\n", irq);
	dump_stack();
	pr_err("handlers:\n");
	for (struct irqaction *a = desc->action; a; a = a->next) {
		if (a->thread_fn)
			pr_err("[<%p>] %pS threaded [<%p>] %pS (%s)\n", (void *)a->handler,
			       (void *)a->handler, (void *)a->thread_fn, (void *)a->thread_fn, a->name);
		else
			pr_err("[<%p>] %pS (%s)\n", (void *)a->handler, (void *)a->handler, a->name);
	}
}

/* threads_handled_last: the high bit says an IRQ_WAKE_THREAD is waiting to be judged */
#define SPURIOUS_DEFERRED	0x80000000u

/*
 * A primary handler that only woke its thread cannot tell whether its
 * device raised the interrupt; the thread's IRQ_HANDLED tells, later. So
 * each such interrupt is judged one interrupt late, by whether a thread
 * of the line returned IRQ_HANDLED since the previous look (as Linux
 * does). Returns IRQ_HANDLED/IRQ_NONE, or IRQ_WAKE_THREAD: nothing to
 * count yet.
 */
static irqreturn_t judge_threaded(struct irq_desc *desc, irqreturn_t action_ret)
{
	unsigned int handled;

	if (!(action_ret & IRQ_WAKE_THREAD))
		return action_ret;
	/* some primary handler claimed it outright: no judgement pending */
	if (action_ret & IRQ_HANDLED) {
		desc->threads_handled_last &= ~SPURIOUS_DEFERRED;
		return IRQ_HANDLED;
	}
	if (!(desc->threads_handled_last & SPURIOUS_DEFERRED)) {
		desc->threads_handled_last |= SPURIOUS_DEFERRED;
		return IRQ_WAKE_THREAD;
	}
	handled = (unsigned int)atomic_read(&desc->threads_handled) | SPURIOUS_DEFERRED;
	if (handled == desc->threads_handled_last)
		return IRQ_NONE;
	desc->threads_handled_last = handled;
	return IRQ_HANDLED;
}

void note_interrupt(struct irq_desc *desc, irqreturn_t action_ret)
{
	unsigned long flags;

	if (desc->istate & IRQS_POLL_INPROGRESS)
		return;
	if (action_ret > (IRQ_HANDLED | IRQ_WAKE_THREAD)) {
		report_bad_irq(desc, action_ret);
		return;
	}
	action_ret = judge_threaded(desc, action_ret);
	if (action_ret == IRQ_WAKE_THREAD)
		return;
	if (action_ret == IRQ_NONE) {
		desc->unhandled_total++;
		if (time_after(jiffies, desc->last_unhandled + HZ / 10))
			desc->irqs_unhandled = 1;
		else
			desc->irqs_unhandled++;
		desc->last_unhandled = jiffies;
	}
	if (likely(++desc->irq_count < SPURIOUS_WINDOW))
		return;
	desc->irq_count = 0;
	if (unlikely(desc->irqs_unhandled > SPURIOUS_THRESHOLD)) {
		unsigned long backoff_ms;

		report_bad_irq(desc, action_ret);
		spin_lock_irqsave(&desc->lock, flags);
		backoff_ms = SPURIOUS_BACKOFF_MIN_MS << min(desc->spurious_trips, 20u);
		if (backoff_ms > SPURIOUS_BACKOFF_MAX_MS)
			backoff_ms = SPURIOUS_BACKOFF_MAX_MS;
		desc->spurious_trips++;
		desc->spurious_reenable_at = jiffies + msecs_to_jiffies(backoff_ms);
		printk(KERN_EMERG "Disabling IRQ #%u (will try it again in %lu ms)\n",
		       desc->irq_data.irq, backoff_ms);
		desc->istate |= IRQS_SPURIOUS_DISABLED;
		desc->depth++;
		/* mask now: a stuck level line would come straight back otherwise */
		irq_disable(desc);
		mask_irq(desc);
		__atomic_fetch_add(&nr_spurious_disabled, 1, __ATOMIC_RELAXED);
		spin_unlock_irqrestore(&desc->lock, flags);
	}
	desc->irqs_unhandled = 0;
}

/* Run the handlers of a disabled line once, as if its interrupt had come. */
static void poll_one(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	if (irqd_irq_inprogress(&desc->irq_data) || !desc->action) {
		spin_unlock(&desc->lock);
		return;
	}
	desc->istate |= IRQS_POLL_INPROGRESS;
	irqd_set(&desc->irq_data, IRQD_IRQ_INPROGRESS);
	spin_unlock(&desc->lock);
	__handle_irq_event_percpu(desc);
	spin_lock(&desc->lock);
	irqd_clear(&desc->irq_data, IRQD_IRQ_INPROGRESS);
	desc->istate &= ~IRQS_POLL_INPROGRESS;
	spin_unlock(&desc->lock);
}

/* Give the line another chance: undo the disable that note_interrupt() did. */
static void reenable_one(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	if (!(desc->istate & IRQS_SPURIOUS_DISABLED)) {
		spin_unlock(&desc->lock);
		return;
	}
	desc->istate &= ~IRQS_SPURIOUS_DISABLED;
	desc->irqs_unhandled = 0;
	desc->irq_count = 0;
	__atomic_fetch_sub(&nr_spurious_disabled, 1, __ATOMIC_RELAXED);
	pr_info("irq %u: enabling again after its nobody-cared back-off (trip %u)\n",
		desc->irq_data.irq, desc->spurious_trips);
	if (desc->depth == 1)
		irq_startup(desc, true);
	else
		desc->depth--;
	spin_unlock(&desc->lock);
}

void irq_spurious_tick(void)
{
	static unsigned long next_poll;
	static bool polled;

	if (!__atomic_load_n(&nr_spurious_disabled, __ATOMIC_RELAXED))
		return;
	/* (jiffies starts near its wrap: compare with time_before, never with 0) */
	if (polled && time_before(jiffies, next_poll))
		return;
	polled = true;
	next_poll = jiffies + POLL_INTERVAL;
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = irq_to_desc(irq);

		if (!(READ_ONCE(desc->istate) & IRQS_SPURIOUS_DISABLED))
			continue;
		if (time_after_eq(jiffies, READ_ONCE(desc->spurious_reenable_at)))
			reenable_one(desc);
		else
			poll_one(desc);
	}
}
