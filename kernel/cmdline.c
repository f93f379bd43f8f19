/* Kernel command-line parsing and early_param() dispatch. */
#define pr_fmt(fmt) "cmdline: " fmt
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>

char boot_command_line[COMMAND_LINE_SIZE];

extern const struct kernel_param __start_setup[], __stop_setup[];

void cmdline_set(const char *s)
{
	if (strlcpy(boot_command_line, s, sizeof(boot_command_line)) >= sizeof(boot_command_line))
		pr_warn("command line truncated to %zu bytes\n", sizeof(boot_command_line) - 1);
}

/*
 * Split the next word off *p into name/value buffers. Returns false at the
 * end of the line.
 */
static bool next_word(const char **p, char *name, size_t nsize, char *val, size_t vsize,
		      bool *has_val)
{
	const char *s = *p;
	size_t n = 0, v = 0;
	bool quoted = false;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return false;
	for (; *s && *s != '=' && *s != ' ' && *s != '\t'; s++, n++)
		if (n + 1 < nsize)
			name[n] = *s;
	/*
	 * A name too long for the buffer is dropped (made empty) rather than
	 * cut short: cut, it would match a parameter named by its first part.
	 */
	name[n < nsize ? n : 0] = '\0';
	*has_val = *s == '=';
	if (*has_val) {
		s++;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"')
				quoted = !quoted;
			else if (v + 1 < vsize)
				val[v++] = *s;
			s++;
		}
	}
	val[v] = '\0';
	*p = s;
	return true;
}

const char *cmdline_get(const char *name, char *buf, size_t size)
{
	const char *p = boot_command_line;
	char word[64], val[COMMAND_LINE_SIZE];
	bool has_val, found = false;

	while (next_word(&p, word, sizeof(word), val, sizeof(val), &has_val)) {
		if (strcmp(word, name))
			continue;
		strlcpy(buf, has_val ? val : "", size);
		found = true;
	}
	return found ? buf : NULL;
}

bool cmdline_has(const char *name)
{
	char buf[2];

	return cmdline_get(name, buf, sizeof(buf)) != NULL;
}

/*
 * The longest value cmdline_get_ulong() parses. Any unsigned long fits in
 * 23 characters (octal, with its leading 0); the rest is room for zeros.
 */
#define ULONG_VALUE_MAX	31

int cmdline_get_ulong(const char *name, unsigned long *val)
{
	char buf[ULONG_VALUE_MAX + 2];	/* one more, to tell a longer value */

	if (!cmdline_get(name, buf, sizeof(buf)))
		return -ENOENT;
	/* a longer value was cut short: its first part is not its number */
	if (strlen(buf) > ULONG_VALUE_MAX)
		return -ERANGE;
	return kstrtoul(buf, 0, val);
}

void parse_early_params(void)
{
	const char *p = boot_command_line;
	char word[64], val[COMMAND_LINE_SIZE];
	bool has_val;

	while (next_word(&p, word, sizeof(word), val, sizeof(val), &has_val)) {
		for (const struct kernel_param *k = __start_setup; k < __stop_setup; k++) {
			if (strcmp(k->name, word))
				continue;
			if (k->setup(has_val ? val : NULL))
				pr_warn("bad value '%s' for parameter '%s'; ignored\n",
					has_val ? val : "", word);
		}
	}
}
