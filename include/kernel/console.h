/* The boot consoles: 16550 UART (COM1) and VGA text. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/types.h>

/* COM1 at 115200 8N1, registered as a printk console. */
void serial_console_init(void);
/* Read a byte from COM1 if one is waiting: 0-255, or -1. */
int serial_getc(void);
void serial_putc(char c);

/* The VGA text screen (80x25 at 0xb8000), if the loader left text mode on. */
void vga_console_init(void);

#endif
