/*
 * The console shell: a line editor on the console input queue (COM1 and
 * the PS/2 keyboard, by interrupt) and a table of commands. An unknown
 * command or bad arguments print a one-line usage.
 */
#include <kernel/init.h>
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/ktest.h>
#include <kernel/timer.h>
#include <kernel/interrupt.h>
#include <kernel/sched.h>
#include <kernel/workqueue.h>
#include <kernel/mm.h>
#include <kernel/slab.h>
#include <kernel/vmalloc.h>
#include <asm/reboot.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>
#include <kernel/irq.h>

#define LINE_LEN	128
#define MAX_ARGS	8

struct command {
	const char *name;
	const char *usage;
	int (*run)(int argc, char **argv);	/* nonzero: print the usage */
};

static const struct command commands[];

static int cmd_help(int argc, char **argv);

static int cmd_uptime(int argc, char **argv)
{
	u64 ns = tsc_clock_ns();

	console_printf("up %lu.%03lu s\n", (unsigned long)(ns / 1000000000),
	       (unsigned long)(ns / 1000000 % 1000));
	return 0;
}

static int cmd_mem(int argc, char **argv)
{
	struct frame_stats fs;
	struct vmap_stats vs;

	frame_get_stats(&fs);
	vmap_get_stats(&vs);
	console_printf("frames: %lu KiB total, %lu KiB free, %lu KiB reserved at boot; %lu allocs, %lu frees\n",
	       fs.total * 4, fs.free * 4, fs.boot_reserved * 4, fs.allocs, fs.frees);
	console_printf("vmap: %lu areas, %lu pages\n", vs.areas, vs.pages);
	kmalloc_print_stats(console_printf);
	return 0;
}

static int cmd_test(int argc, char **argv)
{
	if (argc > 2)
		return 1;
	ktest_run(argc == 2 ? argv[1] : NULL);
	return 0;
}

static int cmd_cpu(int argc, char **argv)
{
	console_printf("%s %s, family %u model %u stepping %u, TSC %lu kHz\n",
	       boot_cpu_data.vendor, boot_cpu_data.model_name, boot_cpu_data.family,
	       boot_cpu_data.model, boot_cpu_data.stepping, tsc_khz);
	return 0;
}

static int cmd_dmesg(int argc, char **argv)
{
	static char buf[16384];
	size_t n = log_buf_copy(buf, sizeof(buf));

	console_write(buf, n);
	return 0;
}

static int cmd_interrupts(int argc, char **argv)
{
	show_interrupts(console_printf);
	return 0;
}

static int cmd_softirqs(int argc, char **argv)
{
	show_softirqs(console_printf);
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	show_tasks(console_printf);
	return 0;
}

static int cmd_workqueues(int argc, char **argv)
{
	show_all_workqueues(console_printf);
	return 0;
}

static int cmd_timers(int argc, char **argv)
{
	show_timers(console_printf);
	return 0;
}

static int cmd_reboot(int argc, char **argv)
{
	machine_restart();
}

static int cmd_poweroff(int argc, char **argv)
{
	machine_power_off();
}

static const struct command commands[] = {
	{ "help", "help", cmd_help },
	{ "uptime", "uptime", cmd_uptime },
	{ "mem", "mem", cmd_mem },
	{ "cpu", "cpu", cmd_cpu },
	{ "dmesg", "dmesg", cmd_dmesg },
	{ "interrupts", "interrupts   (the /proc/interrupts table)", cmd_interrupts },
	{ "softirqs", "softirqs     (the /proc/softirqs table)", cmd_softirqs },
	{ "ps", "ps           (threads: state, CPU, priority, switches, run time)", cmd_ps },
	{ "timers", "timers       (pending timer_list timers)", cmd_timers },
	{ "workqueues", "workqueues   (each workqueue, each worker pool and its kworkers)", cmd_workqueues },
	{ "test", "test [GLOB]   (suites, or suite.case)", cmd_test },
	{ "reboot", "reboot", cmd_reboot },
	{ "poweroff", "poweroff", cmd_poweroff },
	{ NULL, NULL, NULL },
};

static int cmd_help(int argc, char **argv)
{
	for (const struct command *c = commands; c->name; c++)
		console_printf("  %s\n", c->usage);
	return 0;
}

static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p && argc < MAX_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

static void execute(char *line)
{
	char *argv[MAX_ARGS];
	int argc = split(line, argv);

	if (!argc)
		return;
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, argv[0]))
			continue;
		if (c->run(argc, argv))
			console_printf("usage: %s\n", c->usage);
		return;
	}
	console_printf("unknown command '%s'; type 'help'\n", argv[0]);
}

/* Echo to every console, so that typing on the VGA screen shows there too. */
static void echo(const char *s)
{
	console_write(s, strlen(s));
}

/*
 * Read a line with backspace editing; echoes what it accepts. Characters
 * come from the console input queue, filled by the COM1 and keyboard
 * interrupts; console_getc() sleeps until one arrives.
 */
static void read_line(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		int c = console_getc();

		if (c == '\r' || c == '\n') {
			echo("\n");
			buf[n] = '\0';
			return;
		}
		if ((c == 0x7f || c == '\b') && n) {
			n--;
			echo("\b \b");
		} else if (c >= ' ' && c < 0x7f && n + 1 < size) {
			char s[2] = { (char)c, '\0' };

			buf[n++] = (char)c;
			echo(s);
		}
	}
}

void shell_run(void)
{
	char line[LINE_LEN];

	console_printf("\n%s: type 'help' for the commands\n", kernel_version);
	for (;;) {
		console_printf("> ");
		read_line(line, sizeof(line));
		execute(line);
	}
}
