/* panic() and its notifier chain. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/notifier.h>
#include <kernel/bug.h>

/* Called (in order of priority) by panic() before the machine stops; data is the message. */
extern struct notifier_head panic_notifier_list;

#endif
