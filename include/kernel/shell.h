/*
 * The console shell (kernel/shell/): a line editor on the console input
 * and a table of commands that files register one by one with
 * SHELL_COMMAND(), so a command group is one small file (kernel/shell/
 * cmd_*.c) and adding one touches nothing else:
 *
 *	static int cmd_uptime(struct shell *sh, int argc, char **argv)
 *	{
 *		if (argc != 1)
 *			return SHELL_USAGE;
 *		sh->print("up %lu s\n", ...);
 *		return 0;
 *	}
 *	SHELL_COMMAND(uptime, "", "time since boot", cmd_uptime);
 *
 * A shell instance is its editor state and two output functions, so the
 * console's shell and a test's (tests/kernel/test_shell.c, which captures
 * the output) run the same code.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/line_edit.h>

#define SHELL_MAX_ARGS		8

/* A command's return for bad arguments: the shell prints "usage: NAME ARGS". */
#define SHELL_USAGE		(-1000)

struct shell {
	struct line_editor ed;
	/* command output, printf-like; also what show_*(print) functions get */
	int (*print)(const char *fmt, ...) __printf(1, 2);
	/* raw output: the echo, the prompt, long texts (dmesg) */
	void (*write)(const char *s, size_t len);
	const char *prompt;
};

struct shell_command {
	const char *name;		/* the first word of the line */
	const char *args;		/* the arguments, for help and usage ("N", "[GLOB]"); "" if none */
	const char *help;		/* one line: what it shows or does */
	/*
	 * Run with argv[0] the command's name. Returns 0; SHELL_USAGE for
	 * bad arguments (the shell prints the usage line); or another
	 * negative errno after printing its own one-line reason.
	 */
	int (*run)(struct shell *sh, int argc, char **argv);
};

/* Register a command (the table lives in its own section, see linker.ld). */
#define SHELL_COMMAND(cname, args_text, help_text, fn)				\
	static const struct shell_command __shell_cmd_##cname			\
	__used __section(".shell_commands") __aligned(8) =			\
		{ #cname, args_text, help_text, fn }

/**
 * shell_init() - set up a shell instance
 * @sh: the shell
 * @print: output of commands (console_printf for the console)
 * @write: raw output (console_write for the console)
 */
void shell_init(struct shell *sh, int (*print)(const char *fmt, ...),
		void (*write)(const char *s, size_t len));

/**
 * shell_input() - give the shell one input byte
 * @sh: the shell
 * @c: the byte, as the console input queue returns it
 *
 * Edits the line; at Enter, runs it and prints the next prompt. Task
 * context (commands may sleep).
 *
 * Return: true if a line was run.
 */
bool shell_input(struct shell *sh, int c);

/**
 * shell_execute() - run one command line
 * @sh: the shell
 * @line: the line; split in place into words
 *
 * Return: the command's result (0, SHELL_USAGE, -errno), or -ENOENT for
 * an unknown command; 0 for an empty line.
 */
int shell_execute(struct shell *sh, char *line);

/* Print the prompt. */
void shell_prompt(struct shell *sh);

/* Find a registered command by name; NULL if there is none. */
const struct shell_command *shell_find_command(const char *name);

/*
 * Parse an unsigned decimal (or 0x-prefixed hex) number no greater than
 * max; returns 0, or -EINVAL for anything else (so a command answers bad
 * input with its usage).
 */
int shell_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* shell_run(), the console's shell loop, is declared in kernel/init.h. */

#endif
