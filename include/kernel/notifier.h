/*
 * Notifier chains (Linux's notifier.h): ordered lists of callbacks that
 * a subsystem calls at an event. Used for the die (oops) and panic events.
 */
#ifndef KERNEL_NOTIFIER_H
#define KERNEL_NOTIFIER_H

#define NOTIFY_DONE		0x0000	/* not interested */
#define NOTIFY_OK		0x0001	/* handled, go on */
#define NOTIFY_STOP_MASK	0x8000	/* do not call later notifiers */
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action, void *data);
	struct notifier_block *next;
	int priority;			/* higher runs first */
};

struct notifier_head {
	struct notifier_block *head;
};

/* Interrupt-safe registration; calls may happen from any context. */
int notifier_chain_register(struct notifier_head *nh, struct notifier_block *nb);
int notifier_chain_unregister(struct notifier_head *nh, struct notifier_block *nb);
int notifier_call_chain(struct notifier_head *nh, unsigned long action, void *data);

#endif
