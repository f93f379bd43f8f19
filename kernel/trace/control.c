/*
 * Turning the tracer on and off: trace_start()/trace_stop(), the
 * command-line parameters (trace=1, trace_buf_size=, trace.scenario=)
 * and the shell's `trace` command.
 */
#define pr_fmt(fmt) "trace: " fmt
#include "internals.h"
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/smp.h>
#include <kernel/kernel.h>
#include <asm/reboot.h>

static bool trace_at_boot;		/* trace=1 */
static unsigned long trace_buf_bytes = TRACE_BUF_SIZE_DEFAULT;

static int trace_param(const char *val)
{
	trace_at_boot = !val || !*val || strcmp(val, "0");
	return 0;
}
early_param("trace", trace_param);

/* trace_buf_size=BYTES per CPU (a K or M suffix is allowed, as Linux's memparse). */
static int trace_buf_size_param(const char *val)
{
	unsigned long v = 0;
	const char *p = val;

	if (!val || !*val)
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (*p == 'k' || *p == 'K')
		v <<= 10, p++;
	else if (*p == 'm' || *p == 'M')
		v <<= 20, p++;
	if (*p || v < 16 * sizeof(struct trace_entry))
		return -EINVAL;
	trace_buf_bytes = v;
	return 0;
}
early_param("trace_buf_size", trace_buf_size_param);

int trace_start(void)
{
	int ret = 0;

	mutex_lock(&trace_mutex);
	if (!trace_nr_entries)
		ret = trace_alloc_buffers(trace_buf_bytes / sizeof(struct trace_entry));
	if (!ret) {
		trace_save_all_comms();
		WRITE_ONCE(trace_enabled, true);
	}
	mutex_unlock(&trace_mutex);
	return ret;
}

void trace_stop(void)
{
	mutex_lock(&trace_mutex);
	WRITE_ONCE(trace_enabled, false);
	/* after this no record is half written: the views see everything that was recorded */
	trace_sync_writers();
	mutex_unlock(&trace_mutex);
}

bool trace_is_on(void)
{
	return READ_ONCE(trace_enabled);
}

void trace_init(void)
{
	if (trace_at_boot && trace_start())
		pr_err("cannot allocate the trace buffers (trace_buf_size=%lu)\n", trace_buf_bytes);
	else if (trace_at_boot)
		pr_info("tracing from boot: %lu records per CPU\n", trace_buffer_entries());
}

void trace_boot(void)
{
	char name[32];
	int ret;

	if (!cmdline_get("trace.scenario", name, sizeof(name)))
		return;
	if (!name[0])
		trace_copy_name(name, sizeof(name), trace_scenario_names[0]);
	pr_info("running scenario %s\n", name);
	ret = trace_run_scenario(name);
	console_printf("TRACETEXT BEGIN\n");
	trace_show(console_printf, 0);
	console_printf("TRACETEXT END\n");
	trace_dump_json(console_printf);
	if (ret)
		pr_err("scenario %s failed: %d\n", name, ret);
	else
		pr_info("scenario %s done\n", name);
	qemu_exit(ret ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
}

/* ---- the shell command ---- */

static void show_status(void)
{
	int cpu;

	console_printf("tracing: %s; %lu records (%lu bytes) per CPU\n", trace_is_on() ? "on" : "off",
		       trace_buffer_entries(), trace_buffer_entries() * sizeof(struct trace_entry));
	console_printf("CPU  entries  written  overrun  dropped\n");
	for_each_possible_cpu(cpu) {
		struct trace_cpu_stats st;

		trace_get_stats(cpu, &st);
		console_printf("%3d %8lu %8lu %8lu %8lu\n", cpu, st.entries, st.written, st.overrun,
			       st.dropped);
	}
}

static int usage(void)
{
	console_printf("usage: trace start|stop|clear|status|show [N]|dump|scenario [NAME]\n");
	return -EINVAL;
}

static int run_scenario_cmd(const char *name)
{
	int ret;

	if (!name) {
		console_printf("scenarios:");
		for (int i = 0; trace_scenario_names[i]; i++)
			console_printf(" %s", trace_scenario_names[i]);
		console_printf("\n");
		return 0;
	}
	ret = trace_run_scenario(name);
	if (ret == -ENOENT)
		console_printf("trace: no scenario %s\n", name);
	else if (ret)
		console_printf("trace: scenario %s failed (%d); the trace holds what happened\n", name, ret);
	else
		console_printf("trace: scenario %s recorded; `trace show` or `trace dump`\n", name);
	return ret;
}

int trace_cmd(int argc, char **argv)
{
	unsigned long n = 0;
	int ret;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "start")) {
		ret = trace_start();
		if (ret)
			console_printf("trace: no memory for the buffers\n");
		return ret;
	}
	if (!strcmp(argv[1], "stop")) {
		trace_stop();
		return 0;
	}
	if (!strcmp(argv[1], "clear")) {
		trace_clear();
		return 0;
	}
	if (!strcmp(argv[1], "status")) {
		show_status();
		return 0;
	}
	if (!strcmp(argv[1], "show")) {
		if (argc > 2 && kstrtoul(argv[2], 0, &n))
			return usage();
		trace_show(console_printf, n);
		return 0;
	}
	if (!strcmp(argv[1], "dump")) {
		trace_dump_json(console_printf);
		return 0;
	}
	if (!strcmp(argv[1], "scenario"))
		return run_scenario_cmd(argc > 2 ? argv[2] : NULL);
	return usage();
}
