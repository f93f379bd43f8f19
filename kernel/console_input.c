/*
 * Console input: the ring of characters that input interrupts (COM1
 * receive, PS/2 keyboard) fill and the shell empties. A spinlock taken
 * with interrupts off orders the producers, which may be handlers on
 * different CPUs, against each other and against the reader. The reader
 * waits with sti; hlt: the shadow of sti covers hlt, so an interrupt that
 * arrives after the ring was seen empty still wakes it.
 */
#include <kernel/console.h>
#include <kernel/spinlock.h>
#include <kernel/interrupt.h>
#include <kernel/errno.h>
#include <kernel/bug.h>

_Static_assert((CONSOLE_INPUT_SIZE & (CONSOLE_INPUT_SIZE - 1)) == 0,
	       "CONSOLE_INPUT_SIZE must be a power of two");

static DEFINE_SPINLOCK(input_lock);
static char ring[CONSOLE_INPUT_SIZE];	/* L: input_lock */
static unsigned int head, tail;		/* L: input_lock; free-running, head - tail = queued */
static unsigned long pushed, dropped;	/* L: input_lock */
static unsigned long waits;		/* written by the reader only */

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

int console_getc(void)
{
	unsigned long flags;
	int c;

	/* halting with interrupts on inside a handler would nest interrupts */
	if (WARN_ON_ONCE(in_hardirq()))
		return console_getc_nonblock();
	local_irq_save(flags);
	for (;;) {
		spin_lock(&input_lock);
		c = __console_input_pop();
		spin_unlock(&input_lock);
		if (c >= 0)
			break;
		/*
		 * Empty, with interrupts off: an interrupt from here on stays
		 * pending until sti, and the one-instruction shadow of sti
		 * lets hlt start first, so the interrupt ends the halt
		 * instead of slipping in before it. On SMP a producer on
		 * another CPU does not wake this one; the next tick does.
		 */
		waits++;
		safe_halt();
		local_irq_disable();
	}
	local_irq_restore(flags);
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
