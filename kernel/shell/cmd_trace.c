/*
 * The shell's `trace` command: start, stop, clear and look at the
 * per-CPU trace buffers (kernel/trace/control.c does the work and
 * prints on the console; `dump` writes the Chrome JSON for
 * tools/trace_extract.py).
 */
#include <kernel/shell.h>
#include <kernel/trace.h>

static int cmd_trace(struct shell *sh, int argc, char **argv)
{
	return trace_cmd(argc, argv);
}
SHELL_COMMAND(trace, "start|stop|clear|status|show [N]|dump", "the event trace (ftrace-like)",
	      cmd_trace);
