/*
 * The shell's `bench [NAME]` command: the benchmark suite of
 * `make bench` (kernel/bench/), or the benchmarks whose names match
 * NAME (globs, comma-separated), with the command line's bench.*
 * parameters. It prints the peer's BENCH lines on the console; the
 * whole suite takes a minute or two under TCG.
 */
#include <kernel/shell.h>
#include <kernel/bench.h>

static int cmd_bench(struct shell *sh, int argc, char **argv)
{
	int ret;

	if (argc > 2)
		return SHELL_USAGE;
	ret = bench_run(argc == 2 ? argv[1] : NULL);
	if (ret < 0) {
		sh->print("bench: could not run (%d)\n", ret);
		return ret;
	}
	if (ret)
		sh->print("bench: %d benchmark(s) could not run (BENCHERR above)\n", ret);
	return 0;
}
SHELL_COMMAND(bench, "[NAME]", "latency benchmarks (as make bench), or those matching NAME",
	      cmd_bench);
