/*
 * ktest: in-kernel tests, reported as KTAP version 1
 * (Linux Documentation/dev-tools/ktap.rst) on the console.
 *
 * A suite is a named list of cases; each case is a function taking a
 * struct ktest. EXPECT_* record a failure and go on; ASSERT_* record it
 * and end the case; ktest_skip() ends it as skipped. Each case runs
 * inside a try-catch: an oops or panic in it fails that case (with the
 * oops in the log) and the run continues with the next one.
 *
 *	static void my_case(struct ktest *t) { EXPECT_EQ(t, 1 + 1, 2); }
 *	static struct ktest_case my_cases[] = { KTEST_CASE(my_case), {} };
 *	KTEST_SUITE(my_suite, my_cases);
 *
 * Crash tests must bring the kernel down; each gets a boot of its own
 * (ktest.crash=name), and the host runner checks the console for the
 * expected text: KTEST_CRASH(name, "expected text", fn).
 *
 * Command line: ktest.run=1 runs all selected suites at boot and ends
 * QEMU with the result; ktest.filter=GLOB[,GLOB...] selects suites ("suite" or
 * "suite.case" globs).
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/setjmp.h>

struct ktest {
	const char *name;
	bool failed;
	bool skipped;
	char skip_reason[96];
	jmp_buf abort_env;		/* ASSERT failures and skips return here */
	void *priv;			/* for the suite's init/exit */
	void *catcher;			/* the try-catch the case runs in */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;	/* ends with an entry whose run is NULL */
	int (*init)(struct ktest *t);	/* before each case; nonzero fails it */
	void (*exit)(struct ktest *t);	/* after each case */
};

#define KTEST_CASE(fn)		{ #fn, fn }

/* The suite is called `id`; its variable gets a prefix, so any name is free to use. */
#define KTEST_SUITE(id, casearray, ...)						\
	static struct ktest_suite __ktest_suite_##id = {			\
		.name = #id, .cases = casearray, ##__VA_ARGS__ };		\
	static struct ktest_suite *const __ktest_ptr_##id			\
	__used __section(".ktest_suites") __aligned(8) = &__ktest_suite_##id

struct ktest_crash {
	const char *name;
	const char *expect;		/* text the console must show */
	void (*run)(void);
};

#define KTEST_CRASH(cname, expect_text, fn)					\
	static const struct ktest_crash __ktest_crash_##cname			\
	__used __section(".ktest_crashes") __aligned(8) = { #cname, expect_text, fn }

/*
 * Boot tests: a boot of its own with extra command line that runs no
 * suite; the host runner checks the console for the expected text and a
 * clean end: KTEST_BOOT(name, "acpi=off", "PIC mode"). KTEST_BOOT_SMP
 * gives the machine that many CPUs, whatever SMP the run uses (for
 * nosmp and maxcpus=, which mean nothing on one CPU).
 */
struct ktest_boot {
	const char *name;
	const char *cmdline;
	const char *expect;
	unsigned int smp;		/* CPUs for this boot; 0: the run's */
};

#define KTEST_BOOT_SMP(bname, ncpus, cmd, expect_text)				\
	static const struct ktest_boot __ktest_boot_##bname			\
	__used __section(".ktest_boots") __aligned(8) =			\
		{ #bname, cmd, expect_text, ncpus }
#define KTEST_BOOT(bname, cmd, expect_text) KTEST_BOOT_SMP(bname, 0, cmd, expect_text)

/* Report a failed check (used by the macros). */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);
void ktest_fail_binary(struct ktest *t, const char *file, int line, const char *check,
		       const char *left, const char *right, unsigned long long l,
		       unsigned long long r);
/* End the current case now (after a failed ASSERT). */
void ktest_abort(struct ktest *t) __noreturn;
/* End the current case as skipped. */
void ktest_skip(struct ktest *t, const char *fmt, ...) __printf(2, 3) __noreturn;
/* Print a diagnostic line ("# ...") inside the current case. */
void ktest_info(struct ktest *t, const char *fmt, ...) __printf(2, 3);

/* Compared as C compares the two operands (the signedness warning is the test writer's to mind). */
#define __KTEST_BINARY(t, abort, check, op, left, right) do {			\
	__typeof__(left) __l = (left);						\
	__typeof__(right) __r = (right);					\
	_Pragma("GCC diagnostic push")						\
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"")			\
	bool __ok = __l op __r;							\
	_Pragma("GCC diagnostic pop")						\
	if (!__ok) {								\
		ktest_fail_binary(t, __FILE__, __LINE__, check "(" #left ", " #right ")", \
				  #left, #right, (unsigned long long)(uintptr_t)__l, \
				  (unsigned long long)(uintptr_t)__r);	\
		if (abort)							\
			ktest_abort(t);						\
	}									\
} while (0)

/* text: the check's argument as written, for the report (not cond, which may be negated) */
#define __KTEST_TRUE(t, abort, check, cond, text) do {				\
	if (!(cond)) {								\
		ktest_fail(t, __FILE__, __LINE__, check "(%s) failed", text);	\
		if (abort)							\
			ktest_abort(t);						\
	}									\
} while (0)

#define EXPECT_TRUE(t, c)	__KTEST_TRUE(t, 0, "EXPECT_TRUE", (c), #c)
#define EXPECT_FALSE(t, c)	__KTEST_TRUE(t, 0, "EXPECT_FALSE", !(c), #c)
#define EXPECT_EQ(t, a, b)	__KTEST_BINARY(t, 0, "EXPECT_EQ", ==, a, b)
#define EXPECT_NE(t, a, b)	__KTEST_BINARY(t, 0, "EXPECT_NE", !=, a, b)
#define EXPECT_LT(t, a, b)	__KTEST_BINARY(t, 0, "EXPECT_LT", <, a, b)
#define EXPECT_LE(t, a, b)	__KTEST_BINARY(t, 0, "EXPECT_LE", <=, a, b)
#define EXPECT_GT(t, a, b)	__KTEST_BINARY(t, 0, "EXPECT_GT", >, a, b)
#define EXPECT_GE(t, a, b)	__KTEST_BINARY(t, 0, "EXPECT_GE", >=, a, b)
#define EXPECT_NULL(t, p)	__KTEST_TRUE(t, 0, "EXPECT_NULL", (p) == NULL, #p)
#define EXPECT_NOT_NULL(t, p)	__KTEST_TRUE(t, 0, "EXPECT_NOT_NULL", (p) != NULL, #p)
#define ASSERT_TRUE(t, c)	__KTEST_TRUE(t, 1, "ASSERT_TRUE", (c), #c)
#define ASSERT_FALSE(t, c)	__KTEST_TRUE(t, 1, "ASSERT_FALSE", !(c), #c)
#define ASSERT_EQ(t, a, b)	__KTEST_BINARY(t, 1, "ASSERT_EQ", ==, a, b)
#define ASSERT_NE(t, a, b)	__KTEST_BINARY(t, 1, "ASSERT_NE", !=, a, b)
#define ASSERT_LT(t, a, b)	__KTEST_BINARY(t, 1, "ASSERT_LT", <, a, b)
#define ASSERT_GE(t, a, b)	__KTEST_BINARY(t, 1, "ASSERT_GE", >=, a, b)
#define ASSERT_GT(t, a, b)	__KTEST_BINARY(t, 1, "ASSERT_GT", >, a, b)
#define ASSERT_LE(t, a, b)	__KTEST_BINARY(t, 1, "ASSERT_LE", <=, a, b)
#define ASSERT_NOT_NULL(t, p)	__KTEST_TRUE(t, 1, "ASSERT_NOT_NULL", (p) != NULL, #p)

#define EXPECT_STREQ(t, a, b) do {						\
	const char *__a = (a), *__b = (b);					\
	if (!__a || !__b || strcmp(__a, __b))					\
		ktest_fail(t, __FILE__, __LINE__,				\
			   "EXPECT_STREQ(%s, %s) failed: %s == \"%s\", %s == \"%s\"", \
			   #a, #b, #a, __a ? __a : "(null)", #b, __b ? __b : "(null)"); \
} while (0)

/* What ktest_try() caught. */
enum ktest_caught { KTEST_CAUGHT_NOTHING, KTEST_CAUGHT_OOPS, KTEST_CAUGHT_PANIC };

struct ktest_catch {
	enum ktest_caught caught;
	int trapnr;			/* oops: the exception vector */
	long error_code;
	unsigned long rip, rsp;		/* oops: where it happened */
	char msg[128];			/* oops: die() string; panic: the message */
};

/*
 * Run fn(arg) and catch an oops or panic in it, as KUnit's try-catch.
 * Returns what was caught (also in *c). For tests of code that is meant
 * to crash: the oops report is still printed.
 */
enum ktest_caught ktest_try(void (*fn)(void *), void *arg, struct ktest_catch *c);

/*
 * The end of the kernel log (up to 16 KiB, "<level>[time] text" lines) as
 * a NUL-terminated string in a static buffer, for tests that check what
 * was printed. Valid until the next call.
 */
const char *ktest_log(void);
/*
 * Mark the log: ktest_log_since(mark) is then the text logged after that
 * point, or NULL if it has scrolled out of the window ktest_log() shows.
 */
unsigned long ktest_log_mark(void);
const char *ktest_log_since(unsigned long mark);

/*
 * Capture what a show_*(print) function prints: ktest_capture_start(),
 * then pass ktest_capture_print as its print function; ktest_captured()
 * is the text so far (up to 8 KiB, NUL-terminated).
 */
void ktest_capture_start(void);
int ktest_capture_print(const char *fmt, ...) __printf(1, 2);
const char *ktest_captured(void);

/* Run the suites selected by glob (NULL: all) and print KTAP; returns the number of failed cases. */
int ktest_run(const char *glob);
/* Run the crash test called name (boot with ktest.crash=name); returns only if it did not crash. */
void ktest_run_crash(const char *name);
/* Boot-time entry: ktest.run / ktest.crash on the command line. Returns if neither is set. */
void ktest_boot(void);
bool ktest_booted_for_tests(void);

#endif
