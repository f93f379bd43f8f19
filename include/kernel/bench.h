/*
 * The in-kernel benchmark suite: interrupt and bottom-half latencies in
 * TSC cycles, with the same names, start and stop points, waits and
 * statistics as the Linux peer (shared/peers/linux/README.md), so that
 * the two kernels' figures compare line by line.
 *
 * Each benchmark is a small file that registers itself with BENCH_DEFINE
 * (kernel/bench/ for the architecture-neutral ones, arch/x86_64/bench/
 * for the bare-hardware limits). The runner (kernel/bench/core.c) runs
 * the selected ones in a kernel thread "bench/0" bound to CPU 0
 * (SCHED_NORMAL, nice 0, preemption, softirqs and interrupts enabled)
 * and prints, as the peer:
 *
 *	BENCHSTART
 *	BENCHINFO ...
 *	BENCH <name> median=<cycles> p99=<cycles> min=<cycles> n=<count>
 *	BENCHERR <name> <reason>
 *	BENCHDONE
 *
 * A latency benchmark runs `warmup` discarded iterations and `iters`
 * timed ones, strictly one after the other, with cond_resched() every 256
 * iterations outside the timed region. Quantiles are nearest-rank:
 * q(p) = s[ceil(p * n) - 1] of the sorted samples. Nothing is subtracted
 * from a sample, not even the cost of `empty`.
 *
 * Command line: bench.run=1 runs the suite after boot and ends QEMU
 * (status 33 without BENCHERR, else 35); bench.filter=GLOB[,GLOB],
 * bench.iters= (20000), bench.warmup= (1000), bench.wq_items= (10000),
 * bench.wq_reps= (20), bench.wq_warmup_reps= (2), bench.timeout_ms= (2000).
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/completion.h>
#include <kernel/errno.h>
#include <asm/bench.h>

struct bench_params {
	unsigned int iters;		/* timed iterations per latency benchmark */
	unsigned int warmup;		/* discarded iterations before them */
	unsigned int wq_items;		/* work items per wq_throughput repetition */
	unsigned int wq_reps;		/* timed wq_throughput repetitions (at most iters) */
	unsigned int wq_warmup_reps;	/* discarded repetitions before them */
	unsigned int timeout_ms;	/* a spin or sleep wait gives up after this (the peer: 2 s) */
};

/* The peer's defaults. */
#define BENCH_PARAMS_DEFAULT	((struct bench_params){ 20000, 1000, 10000, 20, 2, 2000 })

/* One reported line. */
struct bench_result {
	const char *name;
	u64 median, p99, min;		/* cycles */
	unsigned int n;			/* samples */
};

/* Where a run's lines go: the console (bench_run) or a test. */
struct bench_sink {
	void (*info)(struct bench_sink *sink, const char *text);	/* after "BENCHINFO " */
	void (*result)(struct bench_sink *sink, const struct bench_result *r);
	void (*error)(struct bench_sink *sink, const char *name, const char *reason);
};

/* A run in progress: what each benchmark's run() gets. */
struct bench {
	struct bench_params p;
	const char *glob;		/* bench.filter; NULL or "" selects everything */
	struct bench_sink *sink;
	u64 *samples[2];		/* p.iters entries each */
	u64 spin_limit;			/* p.timeout_ms in TSC cycles */
	unsigned long sleep_jiffies;	/* p.timeout_ms in jiffies */
	unsigned int errors;		/* BENCHERR lines so far */
};

struct bench_def {
	const char *names[2];		/* the results it reports; names[1] NULL for one */
	void (*run)(struct bench *b);
};

/* The registered benchmarks, in run order (the linker sorts them by BENCH_DEFINE's order). */
extern const struct bench_def __start_bench_defs[], __stop_bench_defs[];

/*
 * Register a benchmark. order (two digits) fixes where it runs, since
 * the table is sorted by section name: the peer's order first, then the
 * bare limits.
 */
#define BENCH_DEFINE(order, id, runfn, ...)					\
	static const struct bench_def __bench_def_##id				\
	__used __section(".bench_defs." #order) __aligned(8) = {		\
		.names = { __VA_ARGS__ }, .run = runfn }

/* ---- for the benchmarks ---- */

/* One iteration: 0 and its sample(s) in *a (and *b), or a negative errno. */
typedef int (*bench_iter_fn)(struct bench *b, u64 *a, u64 *c);

/**
 * bench_latency - run a latency benchmark and report it
 * @b: the run
 * @name_a: the result of *a
 * @name_b: the result of *c, or NULL
 * @iter: one iteration
 *
 * warmup + iters iterations; the first failure ends the benchmark with
 * "BENCHERR <name_a> failed at iteration <i>: <errno>".
 *
 * Return: 0, or the failing iteration's errno.
 */
int bench_latency(struct bench *b, const char *name_a, const char *name_b, bench_iter_fn iter);

/* Sort s[0..n) and report its median, p99 and minimum (if name is selected). */
void bench_report(struct bench *b, const char *name, u64 *s, unsigned int n);
/* Report that name could not run (always counted; printed if selected). */
void bench_err(struct bench *b, const char *name, const char *fmt, ...) __printf(3, 4);
/* A "BENCHINFO" line. */
void bench_info(struct bench *b, const char *fmt, ...) __printf(2, 3);
/* Whether the filter selects name. */
bool bench_selected(const struct bench *b, const char *name);

/**
 * bench_quantile - nearest-rank quantile of sorted samples
 * @s: n samples, ascending
 * @n: at least 1
 * @num: numerator of p
 * @den: denominator of p (p = num / den, 0 < p <= 1)
 *
 * Return: s[ceil(n * p) - 1] (s[0] when that rank is below 1).
 */
u64 bench_quantile(const u64 *s, unsigned int n, unsigned int num, unsigned int den);

/*
 * The stop side of a measurement: the measured function's first
 * statement is bench_stop_spin() or bench_stop_sleep(), which take the
 * stop timestamp and then tell the measuring thread, by a flag it spins
 * on or a completion it sleeps on.
 */
struct bench_stop {
	u64 t;
	int done;
	struct completion c;
};

void bench_stop_init(struct bench_stop *s);
/* Before the start timestamp of an iteration. */
static inline void bench_stop_arm(struct bench_stop *s)
{
	WRITE_ONCE(s->done, 0);
	reinit_completion(&s->c);
}

static __always_inline void bench_stop_spin(struct bench_stop *s)
{
	WRITE_ONCE(s->t, bench_ts());
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

static __always_inline void bench_stop_sleep(struct bench_stop *s)
{
	WRITE_ONCE(s->t, bench_ts());
	complete(&s->c);
}

/* Busy-poll (interrupts on) for bench_stop_spin(): 0, or -ETIMEDOUT after p.timeout_ms. */
int bench_spin_wait(struct bench *b, struct bench_stop *s);
/* Sleep for bench_stop_sleep(): 0, or -ETIMEDOUT after p.timeout_ms. */
int bench_sleep_wait(struct bench *b, struct bench_stop *s);

/* ---- running ---- */

/**
 * bench_run_params - run the selected benchmarks in "bench/0" and wait for them
 * @p: the parameters
 * @glob: comma-separated globs over benchmark names; NULL or "" for all
 * @sink: where the lines go
 *
 * Task context (it sleeps). Return: the number of BENCHERR lines, or a
 * negative errno if the run could not start (bad parameters, no memory).
 */
int bench_run_params(const struct bench_params *p, const char *glob, struct bench_sink *sink);

/**
 * bench_run - run the benchmarks selected by @glob with the command line's parameters
 * @glob: as for bench_run_params()
 *
 * Prints BENCHSTART, BENCHINFO, BENCH/BENCHERR and BENCHDONE lines on
 * the console (without printk's timestamps, as the peer's lines).
 *
 * Return: the number of BENCHERR lines, or a negative errno.
 */
int bench_run(const char *glob);

/* At boot: with bench.run=1, bench_run(bench.filter) and end QEMU with the result. */
void bench_boot(void);

/*
 * The architecture's part of the second BENCHINFO line, written to buf:
 * cpu_model="..." apic=<LAPIC interface or none> x2apic=<0|1> and how
 * device interrupts are delivered. Returns the length written.
 */
int arch_bench_info(char *buf, size_t size);

#endif
