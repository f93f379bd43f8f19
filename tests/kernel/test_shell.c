/*
 * The console shell, driven as a user would drive it but without a
 * terminal: bytes go into a shell instance through shell_input(), the
 * function the console loop calls with each byte from the console input
 * queue, and everything it writes (echo, prompt, command output) is
 * captured. Covered: the echo and prompt, the editing keys and history
 * through the whole input path, keyboard keys from the i8042 through the
 * console input queue into the shell, every command's normal output, and
 * for each command bad arguments that must give its one-line usage and
 * nothing worse (an oops would fail the case).
 */
#include <kernel/ktest.h>
#include <kernel/shell.h>
#include <kernel/console.h>
#include <kernel/i8042.h>
#include <kernel/irqdesc.h>
#include <kernel/interrupt.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <asm/irq_sim.h>
#include <asm/irqflags.h>
#include <asm/special_insns.h>

#define OUT_SIZE	32768	/* `ps`, `interrupts` and `workqueues` on 4 CPUs fit */

static char out[OUT_SIZE];
static size_t out_len;
static bool out_overflow;
static struct shell sh;

static void cap_write(const char *s, size_t n)
{
	if (out_len + n >= OUT_SIZE) {
		out_overflow = true;
		n = OUT_SIZE - 1 - out_len;
	}
	memcpy(out + out_len, s, n);
	out_len += n;
	out[out_len] = '\0';
}

static int cap_print(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cap_write(buf, n);
	return n;
}

static void clear_output(void)
{
	out_len = 0;
	out[0] = '\0';
	out_overflow = false;
}

/* Type keys into the shell; returns everything it wrote meanwhile. */
static const char *type(const char *keys)
{
	clear_output();
	for (const char *p = keys; *p; p++)
		shell_input(&sh, (u8)*p);
	return out;
}

#define EXPECT_HAS(t, text, part) do {						\
	const char *__text = (text);						\
	if (!strstr(__text, (part)))						\
		ktest_fail(t, __FILE__, __LINE__, "no \"%s\" in the output:\n%s",	\
			   (part), __text);					\
} while (0)
#define EXPECT_HAS_NOT(t, text, part) do {					\
	const char *__text = (text);						\
	if (strstr(__text, (part)))						\
		ktest_fail(t, __FILE__, __LINE__, "\"%s\" in the output:\n%s",	\
			   (part), __text);					\
} while (0)

static int shell_suite_init(struct ktest *t)
{
	shell_init(&sh, cap_print, cap_write);
	clear_output();
	return 0;
}

static void prompt_and_echo(struct ktest *t)
{
	const char *o = type("uptime\r");

	/* the echo, then the output, then the next prompt */
	EXPECT_TRUE(t, !strncmp(o, "uptime\nup ", 10));
	EXPECT_HAS(t, o, " ticks on CPU0 (HZ=");
	EXPECT_TRUE(t, out_len >= 2 && !strcmp(o + out_len - 2, "> "));
	/* an empty line is just a new prompt */
	EXPECT_STREQ(t, type("\r"), "\n> ");
}

static void unknown_command(struct ktest *t)
{
	EXPECT_HAS(t, type("frobnicate now\r"), "unknown command 'frobnicate'; type 'help'\n");
	EXPECT_EQ(t, shell_execute(&sh, (char[]){ "frobnicate" }), -ENOENT);
}

static void help_lists_every_command(struct ktest *t)
{
	static const char *const names[] = {
		"interrupts", "softirqs", "irq", "affinity", "ps", "workqueues", "timers", "mem",
		"cpus", "nmi", "uptime", "dmesg", "test", "reboot", "poweroff", "help", "trace", "bench",
	};
	const char *o = type("help\r");
	char line[40];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		EXPECT_NOT_NULL(t, shell_find_command(names[i]));
		snprintf(line, sizeof(line), "\n  %s ", names[i]);
		EXPECT_HAS(t, o, line);
	}
	EXPECT_HAS(t, type("help irq\r"), "usage: irq [enable|disable] N\n");
	EXPECT_HAS(t, type("help nosuch\r"), "help: no command 'nosuch'\n");
}

/* Editing keys as a serial terminal sends them, through the shell. */
static void editing_keys(struct ktest *t)
{
	/* backspace (DEL and BS) */
	EXPECT_HAS(t, type("uptimxx\x7f\x08" "e\r"), "\nup ");
	/* left, insert, right, end; home and delete */
	EXPECT_HAS(t, type("ptime\x1b[Hu\x1b[F\r"), "\nup ");
	EXPECT_HAS(t, type("xuptime\x1b[H\x1b[3~\r"), "\nup ");
	EXPECT_HAS(t, type("uptme\x1b[D\x1b[Di\x1b[C\x1b[C\x1b[C\r"), "\nup ");
	/* Ctrl-U drops the start of the line, Ctrl-C the whole line */
	EXPECT_HAS(t, type("garbage uptime\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x15\r"), "\nup ");
	EXPECT_STREQ(t, type("reboot\x03"), "reboot^C\n> ");
}

static void history_keys(struct ktest *t)
{
	type("uptime\r");
	type("help uptime\r");
	/* up twice: back to uptime */
	EXPECT_HAS(t, type("\x1b[A\x1b[A\r"), "\nup ");
	/* up, then down to the half-typed line, which is kept */
	EXPECT_HAS(t, type("help upt\x1b[A\x1b[Bime\r"), "usage: uptime\n");
	/* a recalled line can be edited */
	EXPECT_HAS(t, type("\x1b[A\x7f\x7f\x7f\x7f\x7f\x7f" "mem\r"), "usage: mem\n");
	EXPECT_STREQ(t, line_edit_history(&sh.ed, 1), "help mem");
}

/* Keys pressed on the PS/2 keyboard reach the shell as the same edits. */
static bool send_key(struct ktest *t, u8 byte)
{
	struct i8042_stats st;
	unsigned long before;
	u64 start = ktime_get_ns();

	i8042_get_stats(&st);
	before = st.bytes;
	if (i8042_inject(byte))
		return false;
	do {
		if (ktime_get_ns() - start > 500 * NSEC_PER_MSEC)
			return false;
		cpu_relax();
		i8042_get_stats(&st);
	} while (st.bytes == before);
	return true;
}

static void keyboard_keys(struct ktest *t)
{
	/* a line, then "mem" typed with cursor keys and backspace, recalled with up and down (set 1) */
	static const u8 keys[] = {
		0x1e, 0x9e, 0x30, 0xb0,			/* a b (a junk line) */
		0x1c, 0x9c,				/* enter */
		0x32, 0xb2, 0x12, 0x92, 0x32, 0xb2,	/* m e m */
		0xe0, 0x4b, 0xe0, 0xcb,			/* left */
		0x2d, 0xad,				/* x: "mexm" */
		0xe0, 0x4d, 0xe0, 0xcd,			/* right */
		0x0e, 0x8e, 0x0e, 0x8e,			/* backspace twice: "me" */
		0x32, 0xb2,				/* m: "mem" */
		0x1c, 0x9c,				/* enter */
		0xe0, 0x48, 0xe0, 0xc8,			/* up: "mem" */
		0xe0, 0x48, 0xe0, 0xc8,			/* up: "ab" */
		0xe0, 0x50, 0xe0, 0xd0,			/* down: "mem" */
		0x1c, 0x9c,				/* enter */
	};
	char input[CONSOLE_INPUT_SIZE], junk[CONSOLE_INPUT_SIZE];
	const char *o;
	size_t n;

	if (irqs_disabled())
		ktest_skip(t, "interrupts are off");
	console_input_drain(junk, sizeof(junk));
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!send_key(t, keys[i])) {
			console_input_drain(junk, sizeof(junk));
			if (i == 0)
				ktest_skip(t, "no PS/2 controller to inject keys");
			ASSERT_TRUE(t, false);
		}
	}
	n = console_input_drain(input, sizeof(input));
	EXPECT_GT(t, n, 0);
	o = type(input);
	EXPECT_HAS(t, o, "unknown command 'ab'");
	/* the two mem commands ran: each prints the frame line */
	ASSERT_NOT_NULL(t, strstr(o, "frames:"));
	EXPECT_HAS(t, strstr(o, "frames:") + 1, "frames:");
	EXPECT_STREQ(t, line_edit_history(&sh.ed, 1), "mem");
	EXPECT_STREQ(t, line_edit_history(&sh.ed, 2), "ab");
}

static void table_commands(struct ktest *t)
{
	const char *o;
	int cpu;

	o = type("interrupts\r");
	EXPECT_HAS(t, o, "CPU0");
	EXPECT_HAS(t, o, "serial");
	o = type("softirqs\r");
	EXPECT_HAS(t, o, "TIMER:");
	EXPECT_HAS(t, o, "TASKLET:");
	o = type("ps\r");
	EXPECT_HAS(t, o, "PID CPU STATE");
	EXPECT_HAS(t, o, " init\n");
	EXPECT_HAS(t, o, "ksoftirqd/0");
	o = type("workqueues\r");
	EXPECT_HAS(t, o, "workqueue events: flags=");
	EXPECT_HAS(t, o, "max_active=");
	EXPECT_HAS(t, o, "pool 0: cpus=0");
	EXPECT_HAS(t, o, "kworker/0:");
	o = type("timers\r");
	EXPECT_HAS(t, o, "cpu0: ");
	EXPECT_HAS(t, o, " pending timers");
	o = type("mem\r");
	EXPECT_HAS(t, o, "frames: ");
	EXPECT_HAS(t, o, "vmap: ");
	o = type("cpus\r");
	EXPECT_HAS(t, o, "CPUs online");
	EXPECT_HAS(t, o, "RUNNING");
	for_each_online_cpu(cpu) {
		char row[8];

		snprintf(row, sizeof(row), "\n%3d ", cpu);
		EXPECT_HAS(t, o, row);
	}
	/* the shell runs this test: CPU 0 shows it */
	EXPECT_HAS(t, o, current->comm);
	o = type("uptime\r");
	EXPECT_HAS(t, o, "up ");
	/* the log's end: after a full test run the boot lines have scrolled out of dmesg's 16 KiB */
	printk(KERN_INFO "shell-test dmesg marker\n");
	o = type("dmesg\r");
	EXPECT_HAS(t, o, "shell-test dmesg marker");
	EXPECT_FALSE(t, out_overflow);
}

/* `irq N` shows the serial line: chip, flow, trigger, depth, state, affinity, counts, action. */
static void irq_details(struct ktest *t)
{
	const char *o = type("irq 4\r");

	EXPECT_HAS(t, o, "irq 4: chip ");
	EXPECT_HAS(t, o, ", flow ");
	EXPECT_HAS(t, o, ", hwirq ");
	EXPECT_HAS(t, o, ", trigger ");
	EXPECT_HAS(t, o, "depth 0 (enabled), state ");
	EXPECT_HAS(t, o, "IRQ_STARTED");
	EXPECT_HAS(t, o, "affinity ");
	EXPECT_HAS(t, o, "count CPU0 ");
	EXPECT_HAS(t, o, "unhandled ");
	EXPECT_HAS(t, o, "action \"serial\" handler ");
	/* a line nobody requested */
	o = type("irq 255\r");
	EXPECT_HAS(t, o, "irq 255: chip ");
	EXPECT_HAS(t, o, "no actions");
}

static irqreturn_t sim_primary(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

static irqreturn_t sim_thread(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

/* A threaded line: the thread in `irq N`; then disable and enable it from the shell. */
static void irq_thread_and_disable(struct ktest *t)
{
	static int dev;
	struct irq_desc *desc;
	char line[48];
	const char *o;
	int irq = irq_sim_create(NULL, NULL);

	if (irq == -ENODEV)
		ktest_skip(t, "no local APIC: IPI-SIM lines need one");
	ASSERT_GE(t, irq, 0);
	desc = irq_to_desc(irq);
	if (request_threaded_irq(irq, sim_primary, sim_thread, IRQF_ONESHOT, "shtest", &dev)) {
		irq_sim_destroy(irq);
		ASSERT_TRUE(t, false);
	}
	snprintf(line, sizeof(line), "irq %d\r", irq);
	o = type(line);
	snprintf(line, sizeof(line), "thread irq/%d-shtest (pid ", irq);
	EXPECT_HAS(t, o, line);
	EXPECT_HAS(t, o, "sim_thread");
	EXPECT_HAS(t, o, "ONESHOT");

	snprintf(line, sizeof(line), "irq disable %d\r", irq);
	EXPECT_HAS(t, type(line), "disabled (depth 1)");
	EXPECT_EQ(t, desc->depth, 1);
	EXPECT_TRUE(t, irqd_irq_disabled(&desc->irq_data));
	snprintf(line, sizeof(line), "irq %d\r", irq);
	EXPECT_HAS(t, type(line), "IRQ_DISABLED");
	snprintf(line, sizeof(line), "irq enable %d\r", irq);
	EXPECT_HAS(t, type(line), "enabled (depth 0)");
	EXPECT_EQ(t, desc->depth, 0);
	/* a second enable would be unbalanced: refused with a reason, no WARN */
	EXPECT_HAS(t, type(line), "is not disabled");
	EXPECT_EQ(t, desc->depth, 0);

	free_irq(irq, &dev);
	irq_sim_destroy(irq);
	/* a line without handlers is refused */
	EXPECT_HAS(t, type("irq disable 250\r"), "irq 250 has no handler");
	EXPECT_EQ(t, irq_to_desc(250)->depth, 1);
}

/* `affinity N MASK` on the RTC line, put back as it was afterwards. */
static void affinity_command(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(8);
	struct cpumask saved = desc->irq_data.affinity;
	const char *o;

	o = type("affinity 8\r");
	EXPECT_HAS(t, o, "IRQ 8 (");
	EXPECT_HAS(t, o, "effective ");
	o = type("affinity 8 1\r");
	if (desc->irq_data.chip->irq_set_affinity && !(desc->irq_data.state & IRQD_PER_CPU)) {
		EXPECT_HAS(t, o, "IRQ 8 (");
		EXPECT_HAS(t, o, ": affinity 0,");
		EXPECT_TRUE(t, cpumask_test_cpu(0, &desc->irq_data.affinity));
		EXPECT_EQ(t, cpumask_weight(&desc->irq_data.affinity), 1);
		irq_set_affinity(8, &saved);
	} else {
		/* PIC mode: the 8259 routes everything to CPU 0 and cannot move a line */
		EXPECT_HAS(t, o, "affinity: irq 8 cannot go to mask 1");
	}
	/* CPU 40 is never online here: refused with a reason */
	EXPECT_HAS(t, type("affinity 8 10000000000\r"), "affinity: irq 8 cannot go to mask");
}

static void nmi_command(struct ktest *t)
{
	unsigned long mark;
	const char *log;
	char line[16];
	int cpu = (int)num_online_cpus() - 1;	/* another CPU if there is one */

	snprintf(line, sizeof(line), "nmi %d\r", cpu);
	mark = ktest_log_mark();
	type(line);
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	snprintf(line, sizeof(line), "cpu %d", cpu);
	EXPECT_HAS(t, log, "NMI backtrace for ");
	EXPECT_HAS(t, log, line);
	EXPECT_HAS(t, type("nmi 63\r"), "nmi: CPU 63 is not online");
}

/* Bad arguments: the command's usage line, nothing else happens. */
static void bad_arguments_give_usage(struct ktest *t)
{
	static const struct {
		const char *line, *usage;
	} cases[] = {
		{ "irq", "usage: irq [enable|disable] N" },
		{ "irq 99999", "usage: irq [enable|disable] N" },
		{ "irq 256", "usage: irq [enable|disable] N" },
		{ "irq -1", "usage: irq [enable|disable] N" },
		{ "irq four", "usage: irq [enable|disable] N" },
		{ "irq enable", "usage: irq [enable|disable] N" },
		{ "irq frob 4", "usage: irq [enable|disable] N" },
		{ "irq disable 4x", "usage: irq [enable|disable] N" },
		{ "affinity", "usage: affinity N [MASK]" },
		{ "affinity 5 zz", "usage: affinity N [MASK]" },
		{ "affinity 5 0", "usage: affinity N [MASK]" },
		{ "affinity 300 1", "usage: affinity N [MASK]" },
		{ "affinity 5 1 2", "usage: affinity N [MASK]" },
		{ "nmi", "usage: nmi CPU" },
		{ "nmi 77", "usage: nmi CPU" },
		{ "nmi x", "usage: nmi CPU" },
		{ "interrupts all", "usage: interrupts" },
		{ "softirqs 1", "usage: softirqs" },
		{ "ps aux", "usage: ps" },
		{ "workqueues x", "usage: workqueues" },
		{ "timers x", "usage: timers" },
		{ "mem x", "usage: mem" },
		{ "cpus x", "usage: cpus" },
		{ "uptime x", "usage: uptime" },
		{ "dmesg x", "usage: dmesg" },
		{ "test a b", "usage: test [GLOB]" },
		{ "reboot now", "usage: reboot" },
		{ "poweroff now", "usage: poweroff" },
		{ "help a b", "usage: help [COMMAND]" },
		{ "ps 1 2 3 4 5 6 7 8 9", "usage: ps" },	/* more words than the shell splits */
	};
	char line[64], want[64];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), "%s\r", cases[i].line);
		snprintf(want, sizeof(want), "%s\n%s\n> ", cases[i].line, cases[i].usage);
		/* exactly: echo, the usage line, the prompt */
		EXPECT_STREQ(t, type(line), want);
	}
	EXPECT_EQ(t, irq_to_desc(5)->irq_data.state & IRQD_AFFINITY_SET, 0);
}

static struct ktest_case shell_cases[] = {
	KTEST_CASE(prompt_and_echo),
	KTEST_CASE(unknown_command),
	KTEST_CASE(help_lists_every_command),
	KTEST_CASE(editing_keys),
	KTEST_CASE(history_keys),
	KTEST_CASE(keyboard_keys),
	KTEST_CASE(table_commands),
	KTEST_CASE(irq_details),
	KTEST_CASE(irq_thread_and_disable),
	KTEST_CASE(affinity_command),
	KTEST_CASE(nmi_command),
	KTEST_CASE(bad_arguments_give_usage),
	{},
};
KTEST_SUITE(shell, shell_cases, .init = shell_suite_init);
