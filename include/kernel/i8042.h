/*
 * The i8042 PS/2 controller and the keyboard on its first port (IRQ 1):
 * scan code set 1 (the controller translates the keyboard's set 2) turned
 * into characters for the console input queue, the cursor and editing
 * keys into a terminal's escape sequences (ESC [ A...).
 */
#ifndef KERNEL_I8042_H
#define KERNEL_I8042_H

#include <kernel/types.h>

#define I8042_KBD_IRQ		1

/*
 * Set the controller up (both ports off, output buffer flushed, the
 * configuration byte rewritten, self-test), claim IRQ 1 and turn the
 * keyboard port on with its interrupt and translation. After init_IRQ().
 * Returns 0, -ENODEV (no controller, or it failed its self-test), -EIO
 * (it stopped answering) or the request_irq() error.
 */
int i8042_init(void);

/*
 * Have the controller present byte as if the keyboard had sent it
 * (controller command 0xD2, "write keyboard output buffer"): it raises
 * IRQ 1 like a key would, without translation. For tests. Returns 0,
 * -ENODEV before i8042_init() succeeded, -ETIMEDOUT if the controller
 * does not take the command.
 */
int i8042_inject(u8 byte);

/*
 * Let filter see every keyboard byte first, in the IRQ 1 handler (hard-IRQ
 * context, after the byte was read from the controller); when it returns
 * true the byte is consumed and makes no character. One filter at a
 * time: -EBUSY if another is installed. Remove returns -EINVAL if filter
 * is not the one installed.
 */
int i8042_install_filter(bool (*filter)(u8 data, u8 str));
int i8042_remove_filter(bool (*filter)(u8 data, u8 str));

/* Counters since boot; written by the IRQ 1 handler. */
struct i8042_stats {
	unsigned long bytes;		/* keyboard bytes read in the handler */
	unsigned long chars;		/* characters queued for the console */
	unsigned long ignored;		/* bytes that made no character: breaks, modifiers, unknown codes */
	unsigned long aux;		/* bytes from the mouse port, dropped */
	unsigned long none;		/* interrupts with nothing to read (IRQ_NONE) */
	u8 last_byte;			/* the last keyboard byte read */
};
void i8042_get_stats(struct i8042_stats *st);

#endif
