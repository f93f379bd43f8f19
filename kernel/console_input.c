/*
 * Console input: the ring of characters that input interrupts (COM1
 * receive, PS/2 keyboard) fill and the shell empties. A spinlock taken
 * with interrupts off orders the producers, which may be handlers on
 * different CPUs, against each other and against the reader. The reader
 * sleeps on a wait queue that every push wakes, so other threads run
 * while the shell waits for a key.
 */
#include <kernel/console.h>
#include <kernel/spinlock.h>
#include <kernel/interrupt.h>
#include <kernel/errno.h>
#include <kernel/bug.h>
#include <kernel/wait.h>

_Static_assert((CONSOLE_INPUT_SIZE & (CONSOLE_INPUT_SIZE - 1)) == 0,
	       "CONSOLE_INPUT_SIZE must be a power of two");

static DEFINE_SPINLOCK(input_lock);
static char ring[CONSOLE_INPUT_SIZE];	/* L: input_lock */
static unsigned int head, tail;		/* L: input_lock; free-running, head - tail = queued */
static unsigned long pushed, dropped;	/* L: input_lock */
static unsigned long waits;		/* written by the reader only */
static DECLARE_WAIT_QUEUE_HEAD(input_wait);

int console_input_push(char c)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&input_lock, flags);
	if (head - tail == CONSOLE_INPUT_SIZE) {
		dropped++;
		ret = -ENOSPC;
	} else {
		ring[head++ & (CONSOLE_INPUT_SIZE - 1)] = c;
		pushed++;
	}
	spin_unlock_irqrestore(&input_lock, flags);
	if (!ret)
		wake_up(&input_wait);
	return ret;
}

/* Take one character out; called with input_lock held. */
static int __console_input_pop(void)
{
	if (head == tail)
		return -1;
	return (u8)ring[tail++ & (CONSOLE_INPUT_SIZE - 1)];
}

int console_getc_nonblock(void)
{
	unsigned long flags;
	int c;

	spin_lock_irqsave(&input_lock, flags);
	c = __console_input_pop();
	spin_unlock_irqrestore(&input_lock, flags);
	return c;
}

static bool input_ready(void)
{
	return READ_ONCE(head) != READ_ONCE(tail);
}

int console_getc(void)
{
	int c;

	/* sleeping in a handler is not allowed: take what is there */
	if (WARN_ON_ONCE(in_interrupt() || irqs_disabled()))
		return console_getc_nonblock();
	while ((c = console_getc_nonblock()) < 0) {
		waits++;
		wait_event_interruptible(input_wait, input_ready());
	}
	return c;
}

void console_input_get_stats(struct console_input_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&input_lock, flags);
	st->pushed = pushed;
	st->dropped = dropped;
	st->waits = READ_ONCE(waits);
	st->queued = head - tail;
	spin_unlock_irqrestore(&input_lock, flags);
}

size_t console_input_drain(char *buf, size_t size)
{
	size_t n = 0;
	int c;

	while ((c = console_getc_nonblock()) >= 0)
		if (n + 1 < size)
			buf[n++] = (char)c;
	if (size)
		buf[n] = '\0';
	return n;
}
