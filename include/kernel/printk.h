/*
 * printk with Linux's log levels. A message starts with KERN_<LEVEL>
 * (or gets the default, KERN_WARNING as in Linux); the console shows it
 * when its level is below console_loglevel (`loglevel=N`, `quiet` = 4,
 * default 7: everything but debug). All messages go to the log buffer.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <kernel/compiler.h>
#include <kernel/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"	/* system is unusable */
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continues the previous line */

#define LOGLEVEL_DEFAULT	4	/* for messages without a level */
#define CONSOLE_LOGLEVEL_DEFAULT 7
#define CONSOLE_LOGLEVEL_QUIET	4

extern int console_loglevel;

int printk(const char *fmt, ...) __printf(1, 2);
/*
 * A print function for tables printed in pieces (show_interrupts(),
 * show_softirqs(), ...): each piece continues the open line; a newline
 * ends it. At KERN_INFO.
 */
int printk_pieces(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* An output device for printk. */
struct console {
	const char *name;
	/* write len bytes (may be called with interrupts off, from any context) */
	void (*write)(struct console *con, const char *s, size_t len);
	struct console *next;
};

void register_console(struct console *con);
/*
 * Remove a console registered with register_console(); once this returns,
 * printk no longer calls con->write. Returns 0, or -ENODEV if con was not
 * registered.
 */
int unregister_console(struct console *con);
/* Whether a console of that name is registered. */
bool console_registered(const char *name);

/* Set while an oops is printed: printk then no longer waits for its lock. */
extern int oops_in_progress;

/*
 * Copy the last (up to size) bytes of the log buffer into buf; returns the
 * number of bytes copied. Each line is "<L>[seconds] text".
 */
size_t log_buf_copy(char *buf, size_t size);

/*
 * Write straight to the consoles, without level, timestamp or log buffer:
 * for interactive output such as the shell's.
 */
void console_write(const char *s, size_t len);
int console_printf(const char *fmt, ...) __printf(1, 2);

/* Nanoseconds for printk timestamps; 0 until the TSC is calibrated. */
u64 local_clock(void);

#endif
