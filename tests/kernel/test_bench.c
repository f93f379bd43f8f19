/*
 * The benchmark suite (kernel/bench/, arch/x86_64/bench/) as a functional
 * test, never a timing one: each benchmark runs with tiny counts and must
 * report n samples with min <= median <= p99 and no BENCHERR, except
 * where the machine cannot give what it needs (no local APIC: no
 * self-IPI and no MSI; no edu device), where exactly one BENCHERR and no
 * figures are the right answer. Also: nearest-rank quantiles and sort()
 * on known arrays, the filter, parameter checks, and that every
 * registered benchmark is covered here.
 */
#include <kernel/ktest.h>
#include <kernel/trace.h>
#include <kernel/bench.h>
#include <kernel/sort.h>
#include <kernel/edu.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>
#include <asm/apic.h>

#define MAX_RECORDS	24

/* Records what a run reports, instead of printing it. */
static struct {
	struct bench_sink sink;
	struct bench_result res[MAX_RECORDS];
	char res_names[MAX_RECORDS][32];
	unsigned int nres;
	char errs[MAX_RECORDS][160];
	unsigned int nerr;
	unsigned int ninfo;
} rec;

static struct ktest *cur;

static void rec_info(struct bench_sink *s, const char *text)
{
	rec.ninfo++;
	ktest_info(cur, "BENCHINFO %s", text);
}

static void rec_result(struct bench_sink *s, const struct bench_result *r)
{
	ktest_info(cur, "BENCH %s median=%llu p99=%llu min=%llu n=%u", r->name,
		   (unsigned long long)r->median, (unsigned long long)r->p99,
		   (unsigned long long)r->min, r->n);
	if (rec.nres < MAX_RECORDS) {
		strlcpy(rec.res_names[rec.nres], r->name, sizeof(rec.res_names[0]));
		rec.res[rec.nres] = *r;
		rec.res[rec.nres].name = rec.res_names[rec.nres];
		rec.nres++;
	}
}

static void rec_error(struct bench_sink *s, const char *name, const char *reason)
{
	ktest_info(cur, "BENCHERR %s %s", name, reason);
	if (rec.nerr < MAX_RECORDS)
		snprintf(rec.errs[rec.nerr++], sizeof(rec.errs[0]), "%s %s", name, reason);
}

/* Tiny counts; a generous timeout, since a slow, shared host must not fail a functional test. */
static const struct bench_params tiny = {
	.iters = 30, .warmup = 5, .wq_items = 50, .wq_reps = 2, .wq_warmup_reps = 1,
	.timeout_ms = 10000,
};

static int run(struct ktest *t, const char *glob)
{
	memset(&rec, 0, sizeof(rec));
	rec.sink.info = rec_info;
	rec.sink.result = rec_result;
	rec.sink.error = rec_error;
	cur = t;
	return bench_run_params(&tiny, glob, &rec.sink);
}

static const struct bench_result *result_of(const char *name)
{
	for (unsigned int i = 0; i < rec.nres; i++)
		if (!strcmp(rec.res[i].name, name))
			return &rec.res[i];
	return NULL;
}

/* name reported, with want samples and ordered statistics. */
static void expect_result(struct ktest *t, const char *name, unsigned int want)
{
	const struct bench_result *r = result_of(name);

	if (!r) {
		ktest_fail(t, __FILE__, __LINE__, "no BENCH line for %s", name);
		return;
	}
	EXPECT_EQ(t, r->n, want);
	EXPECT_LE(t, r->min, r->median);
	EXPECT_LE(t, r->median, r->p99);
}

/* Run the benchmark(s) of glob: each name reports, and nothing fails. */
static void expect_clean_run(struct ktest *t, const char *glob, const char *const *names,
			     unsigned int want)
{
	int ret = run(t, glob);

	EXPECT_EQ(t, ret, 0);
	EXPECT_EQ(t, rec.nerr, 0);
	for (; *names; names++)
		expect_result(t, *names, want);
	EXPECT_GE(t, rec.ninfo, 2);	/* the two opening BENCHINFO lines */
}

/* The machine lacks what the benchmark needs: one BENCHERR naming it, and no figures. */
static void expect_cannot_run(struct ktest *t, const char *glob, const char *const *names,
			      const char *why)
{
	int ret = run(t, glob);

	EXPECT_EQ(t, ret, 1);
	ASSERT_EQ(t, rec.nerr, 1);
	EXPECT_EQ(t, strncmp(rec.errs[0], names[0], strlen(names[0])), 0);
	EXPECT_EQ(t, rec.nres, 0);
	ktest_skip(t, "%s: reported as BENCHERR, as it should be", why);
}

#define NAMES(...)	((const char *const[]){ __VA_ARGS__, NULL })

static void empty(struct ktest *t)
{
	expect_clean_run(t, "empty", NAMES("empty"), tiny.iters);
}

static void irq_work_selfipi(struct ktest *t)
{
	if (!lapic_is_enabled())
		expect_cannot_run(t, "irq_work_selfipi", NAMES("irq_work_selfipi"), "no local APIC");
	expect_clean_run(t, "irq_work_selfipi", NAMES("irq_work_selfipi"), tiny.iters);
}

static void tasklets(struct ktest *t)
{
	expect_clean_run(t, "tasklet_*", NAMES("tasklet_latency", "tasklet_hi_latency",
					       "tasklet_bh_latency"), tiny.iters);
}

static void softirq_from_hardirq(struct ktest *t)
{
	if (!lapic_is_enabled())
		expect_cannot_run(t, "softirq_from_hardirq", NAMES("softirq_from_hardirq"),
				  "no local APIC");
	expect_clean_run(t, "softirq_from_hardirq", NAMES("softirq_from_hardirq"), tiny.iters);
}

static void wq_latency(struct ktest *t)
{
	expect_clean_run(t, "wq_latency_*", NAMES("wq_latency_bound", "wq_latency_unbound"),
			 tiny.iters);
}

static void wq_throughput(struct ktest *t)
{
	expect_clean_run(t, "wq_throughput", NAMES("wq_throughput"), tiny.wq_reps);
}

static void edu_intx(struct ktest *t)
{
	if (!edu_count())
		expect_cannot_run(t, "edu_hardirq", NAMES("edu_hardirq"), "no edu device");
	expect_clean_run(t, "edu_hardirq,edu_thread", NAMES("edu_hardirq", "edu_thread"), tiny.iters);
}

static void edu_msi(struct ktest *t)
{
	if (!edu_count())
		expect_cannot_run(t, "edu_msi_hardirq", NAMES("edu_msi_hardirq"), "no edu device");
	if (!lapic_is_enabled())
		expect_cannot_run(t, "edu_msi_hardirq", NAMES("edu_msi_hardirq"),
				  "no local APIC: no MSI");
	expect_clean_run(t, "edu_msi_*", NAMES("edu_msi_hardirq", "edu_msi_thread"), tiny.iters);
}

static void int_roundtrip_bare(struct ktest *t)
{
	expect_clean_run(t, "int_roundtrip_bare", NAMES("int_roundtrip_bare"), tiny.iters);
}

static void int_dispatch(struct ktest *t)
{
	expect_clean_run(t, "int_dispatch", NAMES("int_dispatch"), tiny.iters);
}

/* Its own run of int_dispatch with tracing off and on; tracing is off again afterwards. */
static void trace_on_cost(struct ktest *t)
{
	const struct bench_result *r;

	EXPECT_FALSE(t, trace_is_on());
	EXPECT_EQ(t, run(t, "trace_on_cost"), 0);
	EXPECT_EQ(t, rec.nerr, 0);
	r = result_of("trace_on_cost");
	ASSERT_NOT_NULL(t, r);
	/* differences of two runs' quantiles: no order among them to check */
	EXPECT_EQ(t, r->n, tiny.iters);
	EXPECT_NULL(t, result_of("int_dispatch"));	/* not selected */
	EXPECT_FALSE(t, trace_is_on());
}

static void selfipi_bare(struct ktest *t)
{
	if (!lapic_is_enabled())
		expect_cannot_run(t, "selfipi_bare", NAMES("selfipi_bare"), "no local APIC");
	expect_clean_run(t, "selfipi_bare", NAMES("selfipi_bare"), tiny.iters);
}

static void ctx_switch(struct ktest *t)
{
	expect_clean_run(t, "ctx_switch", NAMES("ctx_switch"), tiny.iters);
}

/* Every registered benchmark has a case above (a new one must bring its test). */
static void every_benchmark_is_tested(struct ktest *t)
{
	static const char *const tested[] = {
		"empty", "irq_work_selfipi", "tasklet_latency", "tasklet_hi_latency",
		"tasklet_bh_latency", "softirq_from_hardirq", "wq_latency_bound",
		"wq_latency_unbound", "wq_throughput", "edu_hardirq", "edu_thread",
		"edu_msi_hardirq", "edu_msi_thread", "int_roundtrip_bare", "int_dispatch",
		"selfipi_bare", "ctx_switch", "trace_on_cost",
	};
	unsigned int n = 0;

	for (const struct bench_def *d = __start_bench_defs; d < __stop_bench_defs; d++) {
		for (int k = 0; k < 2 && d->names[k]; k++) {
			bool found = false;

			for (unsigned int i = 0; i < ARRAY_SIZE(tested); i++)
				found |= !strcmp(tested[i], d->names[k]);
			if (!found)
				ktest_fail(t, __FILE__, __LINE__, "benchmark %s has no test", d->names[k]);
			n++;
		}
	}
	EXPECT_EQ(t, n, ARRAY_SIZE(tested));
	/* the peer's order first: empty, then irq_work_selfipi */
	EXPECT_STREQ(t, __start_bench_defs[0].names[0], "empty");
	EXPECT_STREQ(t, __start_bench_defs[1].names[0], "irq_work_selfipi");
}

/* A filter of several globs selects exactly what they match. */
static void filter_selects(struct ktest *t)
{
	EXPECT_EQ(t, run(t, "empty,int_*"), 0);
	/* int_dispatch's run also reports trace_on_cost, which int_* does not select */
	EXPECT_EQ(t, rec.nres, 3);
	EXPECT_NOT_NULL(t, result_of("empty"));
	EXPECT_NOT_NULL(t, result_of("int_roundtrip_bare"));
	EXPECT_NOT_NULL(t, result_of("int_dispatch"));
	/* one result of a benchmark that reports two */
	if (edu_count()) {
		EXPECT_EQ(t, run(t, "edu_thread"), 0);
		EXPECT_EQ(t, rec.nres, 1);
		EXPECT_NOT_NULL(t, result_of("edu_thread"));
	}
	EXPECT_EQ(t, run(t, "no_such_benchmark"), 0);
	EXPECT_EQ(t, rec.nres, 0);
	EXPECT_EQ(t, rec.nerr, 0);
}

static void bad_params_refused(struct ktest *t)
{
	struct bench_params p = tiny;

	memset(&rec, 0, sizeof(rec));
	p.iters = 0;
	EXPECT_EQ(t, bench_run_params(&p, "empty", &rec.sink), -EINVAL);
	p = tiny;
	p.wq_reps = p.iters + 1;	/* its samples would not fit */
	EXPECT_EQ(t, bench_run_params(&p, "empty", &rec.sink), -EINVAL);
	p = tiny;
	p.timeout_ms = 0;
	EXPECT_EQ(t, bench_run_params(&p, "empty", &rec.sink), -EINVAL);
}

/* q(p) = s[ceil(p * n) - 1] on sorted arrays. */
static void quantile_nearest_rank(struct ktest *t)
{
	static u64 s[20000];
	u64 three[3] = { 10, 20, 30 }, one[1] = { 7 };

	for (unsigned int i = 0; i < ARRAY_SIZE(s); i++)
		s[i] = 1000 + i;
	/* the peer's n = 20000: s[9999] and s[19799] */
	EXPECT_EQ(t, bench_quantile(s, 20000, 50, 100), 1000 + 9999);
	EXPECT_EQ(t, bench_quantile(s, 20000, 99, 100), 1000 + 19799);
	/* n = 20 (wq_throughput): s[9], and p99 is the maximum s[19] */
	EXPECT_EQ(t, bench_quantile(s, 20, 50, 100), 1000 + 9);
	EXPECT_EQ(t, bench_quantile(s, 20, 99, 100), 1000 + 19);
	/* n = 100: s[49], s[98] */
	EXPECT_EQ(t, bench_quantile(s, 100, 50, 100), 1000 + 49);
	EXPECT_EQ(t, bench_quantile(s, 100, 99, 100), 1000 + 98);
	/* n = 3: ceil(1.5) = 2, ceil(2.97) = 3 */
	EXPECT_EQ(t, bench_quantile(three, 3, 50, 100), 20);
	EXPECT_EQ(t, bench_quantile(three, 3, 99, 100), 30);
	EXPECT_EQ(t, bench_quantile(three, 3, 1, 100), 10);
	EXPECT_EQ(t, bench_quantile(one, 1, 50, 100), 7);
	EXPECT_EQ(t, bench_quantile(one, 1, 99, 100), 7);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u8(const void *a, const void *b)
{
	return *(const u8 *)a - *(const u8 *)b;
}

/* sort(): ascending, the same multiset, for worst-case shapes and a large pseudo-random array. */
static void sort_orders(struct ktest *t)
{
	static u64 v[20000];
	u64 sum = 0, xor = 0, sum2 = 0, xor2 = 0, x = 12345;
	u64 rev[7] = { 7, 6, 5, 4, 3, 2, 1 }, dup[6] = { 3, 1, 3, 1, 2, 3 };
	u8 bytes[5] = { 9, 0, 255, 9, 1 };
	bool ordered = true;

	sort(rev, 7, sizeof(u64), cmp_u64, NULL);
	for (unsigned int i = 0; i < 7; i++)
		EXPECT_EQ(t, rev[i], i + 1);
	sort(dup, 6, sizeof(u64), cmp_u64, NULL);
	EXPECT_TRUE(t, dup[0] == 1 && dup[1] == 1 && dup[2] == 2 && dup[3] == 3 && dup[5] == 3);
	sort(bytes, 5, 1, cmp_u8, NULL);	/* the byte-wise swap */
	EXPECT_TRUE(t, bytes[0] == 0 && bytes[1] == 1 && bytes[2] == 9 && bytes[3] == 9 &&
		       bytes[4] == 255);
	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		v[i] = x >> 40;		/* 24 bits: duplicates too */
		sum += v[i];
		xor ^= v[i];
	}
	sort(v, ARRAY_SIZE(v), sizeof(u64), cmp_u64, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
		if (i && v[i - 1] > v[i])
			ordered = false;
		sum2 += v[i];
		xor2 ^= v[i];
	}
	EXPECT_TRUE(t, ordered);
	EXPECT_EQ(t, sum2, sum);
	EXPECT_EQ(t, xor2, xor);
}

static struct ktest_case bench_cases[] = {
	KTEST_CASE(quantile_nearest_rank),
	KTEST_CASE(sort_orders),
	KTEST_CASE(bad_params_refused),
	KTEST_CASE(every_benchmark_is_tested),
	KTEST_CASE(filter_selects),
	KTEST_CASE(empty),
	KTEST_CASE(irq_work_selfipi),
	KTEST_CASE(tasklets),
	KTEST_CASE(softirq_from_hardirq),
	KTEST_CASE(wq_latency),
	KTEST_CASE(wq_throughput),
	KTEST_CASE(edu_intx),
	KTEST_CASE(edu_msi),
	KTEST_CASE(int_roundtrip_bare),
	KTEST_CASE(int_dispatch),
	KTEST_CASE(trace_on_cost),
	KTEST_CASE(selfipi_bare),
	KTEST_CASE(ctx_switch),
	{}
};

KTEST_SUITE(bench, bench_cases);
