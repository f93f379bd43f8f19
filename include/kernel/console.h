/*
 * The boot consoles (16550 UART on COM1, VGA text) and console input: the
 * queue that interrupt handlers (COM1 receive, PS/2 keyboard) fill and
 * the shell reads.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/types.h>

/* COM1 at 115200 8N1, registered as a printk console; transmit is polled. */
void serial_console_init(void);
/*
 * Claim IRQ 4 and turn the receive interrupt on (IER bit 0): received
 * bytes go to console_input_push(). Needs the interrupt controllers
 * (after init_IRQ()). Returns 0 or the request_irq() error.
 */
int serial_irq_init(void);
/* Read a byte from COM1 if one is waiting: 0-255, or -1. Polled: for the panic path only. */
int serial_getc(void);
/* Transmit one byte, polled; held (not sent) during a loopback window. */
void serial_putc(char c);

/*
 * Loopback test window (16550 MCR bit 4): what is transmitted comes back
 * as received data, through the receive interrupt when it is on. While
 * the window is open the serial console holds its output in a small
 * buffer (written out by serial_loopback_end(); what does not fit is
 * dropped and counted), so nothing printed loops back into the input.
 * An oops closes the window at once, so that the report gets out.
 */
/* Open the window: wait for the transmitter to drain, set MCR.LOOP. 0, or -EBUSY if open already. */
int serial_loopback_begin(void);
/* Send one byte into the loopback; -EINVAL outside a window. */
int serial_loopback_xmit(u8 byte);
/* Close the window: drop what is still in the receiver, restore MCR, write the held output. Idempotent. */
void serial_loopback_end(void);
/* Turn the receive interrupt (IER bit 0) on or off; returns whether it was on. */
bool serial_set_rx_irq(bool on);

/* Receive-side counters of COM1 since boot. */
struct serial_stats {
	unsigned long rx_irqs;		/* IRQ 4 handler runs that found the UART interrupting */
	unsigned long rx_none;		/* runs that found nothing (IRQ_NONE) */
	unsigned long rx_bytes;		/* bytes read from RBR and queued */
	unsigned long held_dropped;	/* console bytes dropped during loopback windows */
};
void serial_get_stats(struct serial_stats *st);

/* The VGA text screen (80x25 at 0xb8000), if the loader left text mode on. */
void vga_console_init(void);

/*
 * Console input (kernel/console_input.c): a ring of CONSOLE_INPUT_SIZE
 * characters. Any number of interrupt handlers may push (a spinlock
 * orders them); one reader takes characters out. When the ring is full,
 * new characters are dropped and counted.
 */
#define CONSOLE_INPUT_SIZE	256	/* a power of two; several lines of typing ahead */

/* Queue a received character; any context. Returns 0, or -ENOSPC if the ring was full. */
int console_input_push(char c);
/* The next character (0-255), or -1 if none is queued. Any context. */
int console_getc_nonblock(void);
/* Take everything queued into buf (NUL-terminated; extra characters are dropped); returns how many fit. */
size_t console_input_drain(char *buf, size_t size);
/*
 * The next character, waiting for one: the CPU halts (sti; hlt) until an
 * interrupt comes, then looks again. Interrupts are on while it waits,
 * even if they were off at the call, and are restored on return. Task
 * context only (in an interrupt handler it only looks, returning -1).
 */
int console_getc(void);

struct console_input_stats {
	unsigned long pushed;		/* characters queued */
	unsigned long dropped;		/* characters lost to a full ring */
	unsigned long waits;		/* halts in console_getc() */
	unsigned int queued;		/* characters in the ring now */
};
void console_input_get_stats(struct console_input_stats *st);

#endif
