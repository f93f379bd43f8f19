/*
 * The kernel command line. Words are "name" or "name=value" separated by
 * spaces ("value" may be double-quoted). Subsystems claim parameters with
 * early_param(), as in Linux; parse_early_params() calls each claimant
 * with the value (NULL for a bare "name") and warns about bad values.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define COMMAND_LINE_SIZE	1024

struct kernel_param {
	const char *name;
	int (*setup)(const char *val);	/* 0, or -EINVAL for a bad value */
};

#define early_param(str, fn)						\
	static const struct kernel_param __param_##fn			\
	__used __section(".init.setup") __aligned(8) = { str, fn }

extern char boot_command_line[COMMAND_LINE_SIZE];

void cmdline_set(const char *s);
void parse_early_params(void);

/*
 * The value of the last "name=value" word, copied into buf (size bytes),
 * or NULL if there is none. A bare "name" gives the empty string.
 */
const char *cmdline_get(const char *name, char *buf, size_t size);
bool cmdline_has(const char *name);
/*
 * The value of name as a number (kstrtoul base 0: 0x hex, 0 octal,
 * decimal). Returns 0, -ENOENT if name is absent, -EINVAL if the value is
 * not a number, -ERANGE if it overflows or is over 31 characters long.
 */
int cmdline_get_ulong(const char *name, unsigned long *val);

#endif
