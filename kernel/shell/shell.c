/*
 * The shell's core: splitting a line into words, finding its command in
 * the table that SHELL_COMMAND() entries make (section .shell_commands),
 * the usage line for bad arguments, `help`, and the console's shell loop,
 * which reads the console input queue (filled by the COM1 and PS/2
 * keyboard interrupts) and sleeps while nothing is typed.
 */
#include <kernel/shell.h>
#include <kernel/init.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>

extern const struct shell_command __start_shell_commands[], __stop_shell_commands[];

const struct shell_command *shell_find_command(const char *name)
{
	for (const struct shell_command *c = __start_shell_commands; c < __stop_shell_commands; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void print_usage(struct shell *sh, const struct shell_command *c)
{
	sh->print("usage: %s%s%s\n", c->name, c->args[0] ? " " : "", c->args);
}

int shell_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	int base = 10;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	}
	if (kstrtoul(s, base, &v) || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == SHELL_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int shell_execute(struct shell *sh, char *line)
{
	char *argv[SHELL_MAX_ARGS];
	const struct shell_command *c;
	int argc = split(line, argv), ret;

	if (argc == 0)
		return 0;
	c = shell_find_command(argv[0]);
	if (!c) {
		sh->print("unknown command '%s'; type 'help'\n", argv[0]);
		return -ENOENT;
	}
	ret = argc < 0 ? SHELL_USAGE : c->run(sh, argc, argv);
	if (ret == SHELL_USAGE)
		print_usage(sh, c);
	return ret;
}

void shell_prompt(struct shell *sh)
{
	sh->write(sh->prompt, strlen(sh->prompt));
}

static void shell_echo(void *ctx, const char *s, size_t n)
{
	struct shell *sh = ctx;

	sh->write(s, n);
}

void shell_init(struct shell *sh, int (*print)(const char *fmt, ...),
		void (*write)(const char *s, size_t len))
{
	sh->print = print;
	sh->write = write;
	sh->prompt = "> ";
	line_edit_init(&sh->ed, shell_echo, sh);
}

bool shell_input(struct shell *sh, int c)
{
	switch (line_edit_feed(&sh->ed, c)) {
	case LINE_EDIT_DONE:
		shell_execute(sh, sh->ed.buf);
		shell_prompt(sh);
		return true;
	case LINE_EDIT_CANCEL:
		shell_prompt(sh);
		return false;
	default:
		return false;
	}
}

/* help [COMMAND]: the commands in alphabetical order, one line each. */
static int cmd_help(struct shell *sh, int argc, char **argv)
{
	const struct shell_command *last = NULL;

	if (argc > 2)
		return SHELL_USAGE;
	if (argc == 2) {
		const struct shell_command *c = shell_find_command(argv[1]);

		if (!c) {
			sh->print("help: no command '%s'\n", argv[1]);
			return -ENOENT;
		}
		print_usage(sh, c);
		sh->print("  %s\n", c->help);
		return 0;
	}
	/* the table is in link order: pick the next name up each time */
	for (;;) {
		const struct shell_command *next = NULL;
		char words[40];

		for (const struct shell_command *c = __start_shell_commands;
		     c < __stop_shell_commands; c++) {
			if (last && strcmp(c->name, last->name) <= 0)
				continue;
			if (!next || strcmp(c->name, next->name) < 0)
				next = c;
		}
		if (!next)
			return 0;
		snprintf(words, sizeof(words), "%s%s%s", next->name, next->args[0] ? " " : "",
			 next->args);
		sh->print("  %-22s %s\n", words, next->help);
		last = next;
	}
}
SHELL_COMMAND(help, "[COMMAND]", "this list, or one command's usage", cmd_help);

void shell_run(void)
{
	static struct shell console_shell;

	shell_init(&console_shell, console_printf, console_write);
	console_printf("\n%s\nShell on this console: type 'help' for the commands, "
		       "'poweroff' to stop the machine.\n", kernel_version);
	shell_prompt(&console_shell);
	for (;;)
		shell_input(&console_shell, console_getc());
}
