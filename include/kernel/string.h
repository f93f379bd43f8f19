/* The C string and memory functions the kernel needs (kernel/lib/string.c). */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <kernel/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
char *strstr(const char *haystack, const char *needle);
size_t strlcpy(char *dst, const char *src, size_t size);
bool str_has_prefix(const char *s, const char *prefix);

/*
 * Parse an unsigned number (base 0: "0x" hex, "0" octal, else decimal).
 * Returns 0, or -EINVAL if s is not entirely a number, -ERANGE on overflow.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);

/* Shell-style glob match: '*' any run, '?' one character. */
bool glob_match(const char *pat, const char *str);

#endif
