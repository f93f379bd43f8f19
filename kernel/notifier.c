/* Notifier chains, ordered by priority (see include/kernel/notifier.h). */
#include <kernel/notifier.h>
#include <kernel/errno.h>
#include <asm/irqflags.h>

int notifier_chain_register(struct notifier_head *nh, struct notifier_block *nb)
{
	struct notifier_block **p;
	unsigned long flags;

	local_irq_save(flags);
	for (p = &nh->head; *p && (*p)->priority >= nb->priority; p = &(*p)->next)
		;
	nb->next = *p;
	*p = nb;
	local_irq_restore(flags);
	return 0;
}

int notifier_chain_unregister(struct notifier_head *nh, struct notifier_block *nb)
{
	unsigned long flags;
	int ret = -ENOENT;

	local_irq_save(flags);
	for (struct notifier_block **p = &nh->head; *p; p = &(*p)->next) {
		if (*p == nb) {
			*p = nb->next;
			ret = 0;
			break;
		}
	}
	local_irq_restore(flags);
	return ret;
}

int notifier_call_chain(struct notifier_head *nh, unsigned long action, void *data)
{
	int ret = NOTIFY_DONE;

	for (struct notifier_block *nb = nh->head; nb; nb = nb->next) {
		ret = nb->notifier_call(nb, action, data);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	return ret;
}
