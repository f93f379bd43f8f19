/*
 * Taking work items back (Linux's cancel_work*(), disable_work*() of
 * 6.10) and delayed work: a delayed_work is a work item that its timer
 * queues when it expires, PENDING held all along, so cancelling it is
 * stopping the timer or stealing the item from its queue, whichever
 * holds it now.
 */
#define pr_fmt(fmt) "workqueue: " fmt
#include "workqueue_internal.h"
#include <kernel/wait.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/smp.h>
#include <kernel/errno.h>
#include <asm/special_insns.h>

struct work_offq_data {
	int pool_id;
	unsigned int disable;
	unsigned long flags;		/* WORK_OFFQ_BH */
};

static void work_offqd_unpack(struct work_offq_data *offqd, unsigned long data)
{
	WARN_ON_ONCE(data & WORK_STRUCT_PWQ);
	offqd->pool_id = (int)(data >> WORK_OFFQ_POOL_SHIFT);
	offqd->disable = (unsigned int)((data & WORK_OFFQ_DISABLE_MASK) >> WORK_OFFQ_DISABLE_SHIFT);
	offqd->flags = data & WORK_OFFQ_BH;
}

static unsigned long work_offqd_pack_flags(struct work_offq_data *offqd)
{
	return ((unsigned long)offqd->disable << WORK_OFFQ_DISABLE_SHIFT) | offqd->flags;
}

/*
 * Take the PENDING bit of work, with interrupts off on success
 * (*irq_flags then holds what to restore). Returns
 *   1 if it was pending and is now off its timer or queue,
 *   0 if it was idle (and now PENDING is ours),
 *   -EAGAIN if someone is between setting PENDING and queueing: retry.
 */
int try_to_grab_pending(struct work_struct *work, unsigned int cflags, unsigned long *irq_flags)
{
	struct worker_pool *pool;
	struct pool_workqueue *pwq;

	local_irq_save(*irq_flags);
	if (cflags & WORK_CANCEL_DELAYED) {
		struct delayed_work *dwork = to_delayed_work(work);

		/* the timer held PENDING for the item: stopping it takes it over */
		if (del_timer(&dwork->timer))
			return 1;
	}
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work)))
		return 0;

	pool = get_work_pool(work);
	if (!pool)
		goto fail;
	spin_lock(&pool->lock);
	pwq = get_work_pwq(work);
	if (pwq && pwq->pool == pool) {
		unsigned long data;

		/* activate first, so a barrier linked to it moves to the worklist and still runs */
		if (*work_data_bits(work) & WORK_STRUCT_INACTIVE)
			pwq_activate_work(pwq, work);
		data = *work_data_bits(work);
		list_del_init(&work->entry);
		pwq_dec_nr_in_flight(pwq, data);
		/* off queue, PENDING still set: the caller decides what becomes of the item */
		atomic_long_set(&work->data, (long)(((unsigned long)pool->id << WORK_OFFQ_POOL_SHIFT) |
			((pool->flags & POOL_BH) ? WORK_OFFQ_BH : 0) | WORK_STRUCT_PENDING));
		spin_unlock(&pool->lock);
		return 1;
	}
	spin_unlock(&pool->lock);
fail:
	local_irq_restore(*irq_flags);
	return -EAGAIN;
}

static int work_grab_pending(struct work_struct *work, unsigned int cflags, unsigned long *irq_flags)
{
	int ret;

	while ((ret = try_to_grab_pending(work, cflags, irq_flags)) < 0)
		cpu_relax();
	return ret;
}

/* Take the item off its queue or timer; with WORK_CANCEL_DISABLE also raise its disable count. */
static bool __cancel_work(struct work_struct *work, unsigned int cflags)
{
	struct work_offq_data offqd;
	unsigned long irq_flags;
	int ret;

	ret = work_grab_pending(work, cflags, &irq_flags);
	work_offqd_unpack(&offqd, *work_data_bits(work));
	if (cflags & WORK_CANCEL_DISABLE) {
		if (WARN_ON_ONCE(offqd.disable + 1 >= (1U << WORK_OFFQ_DISABLE_BITS)))
			offqd.disable--;
		offqd.disable++;
	}
	set_work_pool_and_clear_pending(work, offqd.pool_id, work_offqd_pack_flags(&offqd));
	local_irq_restore(irq_flags);
	return ret;
}

/*
 * Cancel and wait for a running instance. The item is disabled while we
 * wait, so it cannot queue itself again behind our back.
 */
static bool __cancel_work_sync(struct work_struct *work, unsigned int cflags)
{
	bool ret = __cancel_work(work, cflags | WORK_CANCEL_DISABLE);

	if (*work_data_bits(work) & WORK_OFFQ_BH)
		WARN_ON_ONCE(in_hardirq());
	else
		might_sleep();
	if (wq_online)
		__flush_work(work, true);
	if (!(cflags & WORK_CANCEL_DISABLE))
		enable_work(work);
	return ret;
}

bool cancel_work(struct work_struct *work)
{
	return __cancel_work(work, 0);
}

bool cancel_work_sync(struct work_struct *work)
{
	return __cancel_work_sync(work, 0);
}

bool disable_work(struct work_struct *work)
{
	return __cancel_work(work, WORK_CANCEL_DISABLE);
}

bool disable_work_sync(struct work_struct *work)
{
	return __cancel_work_sync(work, WORK_CANCEL_DISABLE);
}

bool enable_work(struct work_struct *work)
{
	struct work_offq_data offqd;
	unsigned long irq_flags;

	work_grab_pending(work, 0, &irq_flags);
	work_offqd_unpack(&offqd, *work_data_bits(work));
	if (!WARN(!offqd.disable, "workqueue: enable_work(%ps) without a disable\n", work->func))
		offqd.disable--;
	set_work_pool_and_clear_pending(work, offqd.pool_id, work_offqd_pack_flags(&offqd));
	local_irq_restore(irq_flags);
	return !offqd.disable;
}

/* ---- delayed work ---- */

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);
	unsigned long flags;

	/* Linux runs this with interrupts off (an irqsafe timer); ours run with them on */
	local_irq_save(flags);
	__queue_work(dwork->cpu, dwork->wq, &dwork->work);
	local_irq_restore(flags);
}

/* PENDING is ours: queue now, or start the timer (interrupts off). */
static void __queue_delayed_work(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
				 unsigned long delay)
{
	struct timer_list *timer = &dwork->timer;

	WARN_ON_ONCE(timer->function != delayed_work_timer_fn);
	WARN_ON_ONCE(timer_pending(timer));
	WARN_ON_ONCE(!list_empty(&dwork->work.entry));
	if (!delay) {
		__queue_work(cpu, wq, &dwork->work);
		return;
	}
	dwork->wq = wq;
	dwork->cpu = cpu;
	timer->expires = jiffies + delay;
	if (cpu == WORK_CPU_UNBOUND || cpu < 0 || cpu >= (int)num_online_cpus())
		add_timer(timer);
	else
		add_timer_on(timer, cpu);
}

bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
			   unsigned long delay)
{
	struct work_struct *work = &dwork->work;
	unsigned long flags;
	bool ret = false;

	local_irq_save(flags);
	if (!test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work)) &&
	    !clear_pending_if_disabled(work)) {
		__queue_delayed_work(cpu, wq, dwork, delay);
		ret = true;
	}
	local_irq_restore(flags);
	return ret;
}

bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
			 unsigned long delay)
{
	unsigned long irq_flags;
	int ret;

	ret = work_grab_pending(&dwork->work, WORK_CANCEL_DELAYED, &irq_flags);
	if (!clear_pending_if_disabled(&dwork->work))
		__queue_delayed_work(cpu, wq, dwork, delay);
	local_irq_restore(irq_flags);
	return ret;
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	return __cancel_work(&dwork->work, WORK_CANCEL_DELAYED);
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return __cancel_work_sync(&dwork->work, WORK_CANCEL_DELAYED);
}

bool disable_delayed_work(struct delayed_work *dwork)
{
	return __cancel_work(&dwork->work, WORK_CANCEL_DELAYED | WORK_CANCEL_DISABLE);
}

bool disable_delayed_work_sync(struct delayed_work *dwork)
{
	return __cancel_work_sync(&dwork->work, WORK_CANCEL_DELAYED | WORK_CANCEL_DISABLE);
}

bool enable_delayed_work(struct delayed_work *dwork)
{
	return enable_work(&dwork->work);
}

/* Queue a waiting timer's item at once, then wait for it. */
bool flush_delayed_work(struct delayed_work *dwork)
{
	unsigned long flags;

	local_irq_save(flags);
	if (del_timer(&dwork->timer))
		__queue_work(dwork->cpu, dwork->wq, &dwork->work);
	local_irq_restore(flags);
	return flush_work(&dwork->work);
}
