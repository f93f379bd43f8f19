/* Formatting and other helpers most kernel files use. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdarg.h>
#include <kernel/types.h>
#include <kernel/compiler.h>

/*
 * printf-style formatting with the C conversions (d i u x X o c s p %, the
 * flags - 0 + space #, width, precision, * and the length modifiers hh h l
 * ll z t) and Linux's %pS (symbol+0xoff/0xsize), %pB (the same for a return
 * address) and %ps (symbol name).
 * Returns the length the whole output would have, as C's vsnprintf.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* As vsnprintf, but returns the number of characters actually stored. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
