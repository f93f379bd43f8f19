/*
 * The benchmark runner (include/kernel/bench.h): parameters from the
 * command line, the "bench/0" thread bound to CPU 0, the iteration loop,
 * the two ways of waiting (spin and sleep, as the Linux peer uses them),
 * nearest-rank statistics, and the console output in the peer's format.
 */
#define pr_fmt(fmt) "bench: " fmt
#include <kernel/bench.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/vmalloc.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/jiffies.h>
#include <kernel/errno.h>
#include <kernel/init.h>
#include <kernel/sort.h>
#include <asm/special_insns.h>
#include <asm/reboot.h>

/* ---- statistics ---- */

u64 bench_quantile(const u64 *s, unsigned int n, unsigned int num, unsigned int den)
{
	u64 rank = ((u64)n * num + den - 1) / den;	/* ceil(n * p) */

	return s[rank ? rank - 1 : 0];
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

bool bench_selected(const struct bench *b, const char *name)
{
	char one[64];

	if (!b->glob || !*b->glob)
		return true;
	for (const char *p = b->glob;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		strlcpy(one, p, min(n + 1, sizeof(one)));
		if (glob_match(one, name))
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

void bench_report(struct bench *b, const char *name, u64 *s, unsigned int n)
{
	struct bench_result r = { .name = name, .n = n };

	if (!bench_selected(b, name) || !n)
		return;
	sort(s, n, sizeof(*s), cmp_u64, NULL);
	r.median = bench_quantile(s, n, 50, 100);
	r.p99 = bench_quantile(s, n, 99, 100);
	r.min = s[0];
	b->sink->result(b->sink, &r);
}

void bench_err(struct bench *b, const char *name, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	b->errors++;
	b->sink->error(b->sink, name, reason);
}

void bench_info(struct bench *b, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	b->sink->info(b->sink, text);
}

/* ---- waiting and iterating ---- */

void bench_stop_init(struct bench_stop *s)
{
	s->t = 0;
	s->done = 0;
	init_completion(&s->c);
}

int bench_spin_wait(struct bench *b, struct bench_stop *s)
{
	u64 start = bench_ts();

	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) {
		cpu_relax();
		if (bench_ts() - start > b->spin_limit)
			return -ETIMEDOUT;
	}
	return 0;
}

int bench_sleep_wait(struct bench *b, struct bench_stop *s)
{
	return wait_for_completion_timeout(&s->c, b->sleep_jiffies) ? 0 : -ETIMEDOUT;
}

int bench_latency(struct bench *b, const char *name_a, const char *name_b, bench_iter_fn iter)
{
	unsigned int total = b->p.warmup + b->p.iters;

	for (unsigned int i = 0; i < total; i++) {
		u64 a = 0, c = 0;
		int ret = iter(b, &a, &c);

		if (ret) {
			bench_err(b, name_a, "failed at iteration %u: %d", i, ret);
			return ret;
		}
		if (i >= b->p.warmup) {
			b->samples[0][i - b->p.warmup] = a;
			if (name_b)
				b->samples[1][i - b->p.warmup] = c;
		}
		/* between iterations only, never inside a timed region */
		if ((i & 255) == 255)
			cond_resched();
	}
	bench_report(b, name_a, b->samples[0], b->p.iters);
	if (name_b)
		bench_report(b, name_b, b->samples[1], b->p.iters);
	return 0;
}

/* ---- the run ---- */

static bool def_selected(const struct bench *b, const struct bench_def *d)
{
	return bench_selected(b, d->names[0]) || (d->names[1] && bench_selected(b, d->names[1]));
}

struct bench_run_ctx {
	struct bench b;
	struct completion finished;
};

static int bench_thread(void *data)
{
	struct bench_run_ctx *ctx = data;
	struct bench *b = &ctx->b;
	char arch[160];

	bench_info(b, "kernel=\"%s\" tsc_khz=%lu cpu=%d online_cpus=%u iters=%u warmup=%u",
		   kernel_version, bench_cycles_per_ms(), smp_processor_id(), num_online_cpus(),
		   b->p.iters, b->p.warmup);
	arch_bench_info(arch, sizeof(arch));
	/* full: a wake-up switches at the next preempt_enable() or interrupt return */
	bench_info(b, "%s preempt=full HZ=%d", arch, HZ);
	for (const struct bench_def *d = __start_bench_defs; d < __stop_bench_defs; d++)
		if (def_selected(b, d))
			d->run(b);
	complete(&ctx->finished);
	/* stay until kthread_stop(): a thread that ends by itself frees its task at once */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

int bench_run_params(const struct bench_params *p, const char *glob, struct bench_sink *sink)
{
	struct bench_run_ctx *ctx;
	struct task_struct *t;
	int ret;

	if (!p->iters || !p->timeout_ms || !p->wq_items || !p->wq_reps || p->wq_reps > p->iters)
		return -EINVAL;
	ctx = vmalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	memset(ctx, 0, sizeof(*ctx));
	ctx->b.p = *p;
	ctx->b.glob = glob;
	ctx->b.sink = sink;
	/* 3 GHz when the TSC rate is unknown, as the peer */
	ctx->b.spin_limit = (u64)(bench_cycles_per_ms() ? bench_cycles_per_ms() : 3000000) *
			    p->timeout_ms;
	ctx->b.sleep_jiffies = msecs_to_jiffies(p->timeout_ms);
	init_completion(&ctx->finished);
	ret = -ENOMEM;
	ctx->b.samples[0] = vmalloc((size_t)p->iters * sizeof(u64));
	ctx->b.samples[1] = vmalloc((size_t)p->iters * sizeof(u64));
	if (!ctx->b.samples[0] || !ctx->b.samples[1])
		goto out;
	t = kthread_create(bench_thread, ctx, "bench/%u", 0);
	if (IS_ERR(t)) {
		ret = (int)PTR_ERR(t);
		goto out;
	}
	kthread_bind(t, 0);
	wake_up_process(t);
	wait_for_completion(&ctx->finished);
	kthread_stop(t);
	ret = (int)ctx->b.errors;
out:
	vfree(ctx->b.samples[0]);
	vfree(ctx->b.samples[1]);
	vfree(ctx);
	return ret;
}

/* ---- the console, in the peer's format ---- */

static void console_info(struct bench_sink *sink, const char *text)
{
	console_printf("BENCHINFO %s\n", text);
}

static void console_result(struct bench_sink *sink, const struct bench_result *r)
{
	console_printf("BENCH %s median=%llu p99=%llu min=%llu n=%u\n", r->name,
		       (unsigned long long)r->median, (unsigned long long)r->p99,
		       (unsigned long long)r->min, r->n);
}

static void console_error(struct bench_sink *sink, const char *name, const char *reason)
{
	console_printf("BENCHERR %s %s\n", name, reason);
}

static struct bench_sink console_sink = {
	.info = console_info,
	.result = console_result,
	.error = console_error,
};

static void param(const char *name, unsigned int *val)
{
	unsigned long v;

	if (!cmdline_get_ulong(name, &v))
		*val = v > ~0u ? ~0u : (unsigned int)v;
}

int bench_run(const char *glob)
{
	struct bench_params p = BENCH_PARAMS_DEFAULT;
	int ret;

	param("bench.iters", &p.iters);
	param("bench.warmup", &p.warmup);
	param("bench.wq_items", &p.wq_items);
	param("bench.wq_reps", &p.wq_reps);
	param("bench.wq_warmup_reps", &p.wq_warmup_reps);
	param("bench.timeout_ms", &p.timeout_ms);
	console_printf("BENCHSTART\n");
	ret = bench_run_params(&p, glob, &console_sink);
	if (ret < 0)
		console_printf("BENCHERR run cannot start: %d\n", ret);
	console_printf("BENCHDONE\n");
	return ret;
}

void bench_boot(void)
{
	char glob[128];
	unsigned long run = 0;
	int ret;

	cmdline_get_ulong("bench.run", &run);
	if (!run)
		return;
	ret = bench_run(cmdline_get("bench.filter", glob, sizeof(glob)));
	qemu_exit(ret ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
}
