/*
 * The ktest framework itself (kernel/ktest/ktest.c): ktest_try() catching
 * oopses and panics, nesting, the flags it restores, and the check macros.
 * Checks meant to fail are made on separate struct ktest objects named
 * "fake (failure expected)", so their reports in the log are no alarm and
 * the running case stays clean.
 */
#include <kernel/ktest.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/bug.h>
#include <asm/irqflags.h>
#include <asm/trapnr.h>

#define FAKE_FAILING	"fake (failure expected)"

static volatile bool reached;		/* set by code that must (or must not) run */
static volatile int sink;

static noinline void plain_fn(void *arg)
{
	*(int *)arg += 1;
}

static noinline void null_read(void *arg)
{
	int *volatile p = NULL;

	sink = *p;
	reached = true;
}

static noinline void do_panic(void *arg)
{
	panic("ktest-test: panic %d", 7);
}

static noinline void do_long_panic(void *arg)
{
	panic("ktest-test: %0150d", 1);		/* longer than ktest_catch.msg */
}

static void try_normal_function(struct ktest *t)
{
	struct ktest_catch c;
	int calls = 0;

	memset(&c, 0xff, sizeof(c));
	EXPECT_EQ(t, ktest_try(plain_fn, &calls, &c), KTEST_CAUGHT_NOTHING);
	EXPECT_EQ(t, calls, 1);
	EXPECT_EQ(t, c.caught, KTEST_CAUGHT_NOTHING);		/* *c is reset */
	EXPECT_EQ(t, c.msg[0], '\0');
	EXPECT_EQ(t, c.trapnr, 0);
}

static void try_catches_panic(struct ktest *t)
{
	struct ktest_catch c;

	EXPECT_EQ(t, ktest_try(do_panic, NULL, &c), KTEST_CAUGHT_PANIC);
	EXPECT_EQ(t, c.caught, KTEST_CAUGHT_PANIC);
	EXPECT_STREQ(t, c.msg, "ktest-test: panic 7");
	EXPECT_EQ(t, c.trapnr, -1);
	EXPECT_EQ(t, oops_in_progress, 0);			/* panic's claim undone */
	/* so a second panic is caught too, not treated as a panic inside a panic */
	EXPECT_EQ(t, ktest_try(do_long_panic, NULL, &c), KTEST_CAUGHT_PANIC);
	EXPECT_EQ(t, strlen(c.msg), sizeof(c.msg) - 1);	/* cut to fit */
	EXPECT_EQ(t, strncmp(c.msg, "ktest-test: 0000", 16), 0);
}

static void try_catches_null_read(struct ktest *t)
{
	struct ktest_catch c;

	reached = false;
	ASSERT_EQ(t, ktest_try(null_read, NULL, &c), KTEST_CAUGHT_OOPS);
	EXPECT_FALSE(t, reached);				/* nothing after the fault ran */
	EXPECT_EQ(t, c.trapnr, X86_TRAP_PF);
	EXPECT_EQ(t, c.error_code & 6, 0);			/* a read, in kernel mode */
	EXPECT_STREQ(t, kallsyms_lookup(c.rip, NULL, NULL), "null_read");
	/* the faulting stack: just below this frame */
	EXPECT_LT(t, c.rsp, (unsigned long)&c);
	EXPECT_GT(t, c.rsp, (unsigned long)&c - 4096);
	EXPECT_NE(t, c.msg[0], '\0');
	EXPECT_EQ(t, oops_in_progress, 0);
}

struct nested {
	enum ktest_caught inner;
	struct ktest_catch c;
	void (*fn)(void *);
};

static noinline void outer_fn(void *arg)
{
	struct nested *n = arg;

	n->inner = ktest_try(n->fn, NULL, &n->c);
	reached = true;
}

static void nested_try(struct ktest *t)
{
	struct nested n = { .fn = null_read };
	struct ktest_catch outer;

	reached = false;
	EXPECT_EQ(t, ktest_try(outer_fn, &n, &outer), KTEST_CAUGHT_NOTHING);
	EXPECT_EQ(t, n.inner, KTEST_CAUGHT_OOPS);
	EXPECT_TRUE(t, reached);				/* the outer function went on */

	n.fn = do_panic;
	reached = false;
	EXPECT_EQ(t, ktest_try(outer_fn, &n, &outer), KTEST_CAUGHT_NOTHING);
	EXPECT_EQ(t, n.inner, KTEST_CAUGHT_PANIC);
	EXPECT_STREQ(t, n.c.msg, "ktest-test: panic 7");
	EXPECT_TRUE(t, reached);

	/* the outer catcher is still the one armed afterwards */
	EXPECT_EQ(t, ktest_try(null_read, NULL, &outer), KTEST_CAUGHT_OOPS);
}

/* The RFLAGS bits a caught crash must give back as they were. */
#define SYSTEM_FLAGS (X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_IOPL | \
		      X86_EFLAGS_NT | X86_EFLAGS_AC)

static void irq_flag_restored(struct ktest *t)
{
	unsigned long before = native_save_fl(), flags;
	struct ktest_catch c;

	ktest_try(null_read, NULL, &c);
	EXPECT_EQ(t, native_save_fl() & SYSTEM_FLAGS, before & SYSTEM_FLAGS);
	ktest_try(do_panic, NULL, &c);				/* panic() disables interrupts */
	EXPECT_EQ(t, native_save_fl() & SYSTEM_FLAGS, before & SYSTEM_FLAGS);

	local_irq_save(flags);
	ktest_try(null_read, NULL, &c);
	EXPECT_TRUE(t, irqs_disabled());
	ktest_try(do_panic, NULL, &c);
	EXPECT_TRUE(t, irqs_disabled());
	local_irq_restore(flags);
	EXPECT_EQ(t, native_save_fl() & X86_EFLAGS_IF, before & X86_EFLAGS_IF);
	if (!(before & X86_EFLAGS_IF))
		ktest_info(t, "interrupts are off in test cases: only IF=0 was checked");
}

static int object;
static void *volatile p_object = &object, *volatile p_null;

/* Run one check on a fresh object and see that it failed, or did not. */
#define FAILS(check) do {							\
	struct ktest f = { .name = FAKE_FAILING };				\
	check;									\
	if (!f.failed)								\
		ktest_fail(t, __FILE__, __LINE__, "%s did not fail", #check);	\
} while (0)
#define PASSES(check) do {							\
	struct ktest f = { .name = "fake" };					\
	check;									\
	if (f.failed)								\
		ktest_fail(t, __FILE__, __LINE__, "%s failed", #check);		\
} while (0)

static void expect_marks_its_own_object(struct ktest *t)
{
	struct ktest other = { .name = FAKE_FAILING };

	EXPECT_EQ(&other, 1 + 1, 3);
	EXPECT_TRUE(t, other.failed);
	EXPECT_FALSE(t, t->failed);			/* not the running case */
	EXPECT_FALSE(t, other.skipped);

	FAILS(EXPECT_EQ(&f, 1, 2));		PASSES(EXPECT_EQ(&f, 2, 2));
	FAILS(EXPECT_NE(&f, 2, 2));		PASSES(EXPECT_NE(&f, 1, 2));
	FAILS(EXPECT_LT(&f, 2, 2));		PASSES(EXPECT_LT(&f, 1, 2));
	FAILS(EXPECT_LE(&f, 3, 2));		PASSES(EXPECT_LE(&f, 2, 2));
	FAILS(EXPECT_GT(&f, 2, 2));		PASSES(EXPECT_GT(&f, 3, 2));
	FAILS(EXPECT_GE(&f, 1, 2));		PASSES(EXPECT_GE(&f, 2, 2));
	FAILS(EXPECT_TRUE(&f, 0));		PASSES(EXPECT_TRUE(&f, 1));
	FAILS(EXPECT_FALSE(&f, 1));		PASSES(EXPECT_FALSE(&f, 0));
	FAILS(EXPECT_NULL(&f, p_object));	PASSES(EXPECT_NULL(&f, p_null));
	FAILS(EXPECT_NOT_NULL(&f, p_null));	PASSES(EXPECT_NOT_NULL(&f, p_object));
	FAILS(EXPECT_STREQ(&f, "a", "b"));	PASSES(EXPECT_STREQ(&f, "a", "a"));
	FAILS(EXPECT_STREQ(&f, "a", p_null));
	/* signed values compare as signed */
	FAILS(EXPECT_LT(&f, 1, -1));		PASSES(EXPECT_LT(&f, -2, -1));
}

static bool log_has(const char *text)
{
	static char logbuf[2048];
	size_t n = log_buf_copy(logbuf, sizeof(logbuf) - 1), len = strlen(text);

	logbuf[n] = '\0';
	for (const char *p = logbuf; *p; p++)
		if (!strncmp(p, text, len))
			return true;
	return false;
}

/* A report names the check as written, with both values. */
static void failure_reports(struct ktest *t)
{
	struct ktest f = { .name = FAKE_FAILING };
	int x = 3;

	EXPECT_FALSE(&f, x == 3);
	EXPECT_TRUE(t, log_has(FAKE_FAILING ": " __FILE__));
	EXPECT_TRUE(t, log_has("EXPECT_FALSE(x == 3) failed\n"));
	EXPECT_EQ(&f, x, 5);
	EXPECT_TRUE(t, log_has("EXPECT_EQ(x, 5) failed: x == 3 (0x3), 5 == 5 (0x5)\n"));
	EXPECT_STREQ(&f, "ab", "cd");
	EXPECT_TRUE(t, log_has("failed: \"ab\" == \"ab\", \"cd\" == \"cd\"\n"));
}

static noinline void fake_assert_fails(struct ktest *f)
{
	ASSERT_EQ(f, 1 + 1, 3);
	reached = true;
}

static noinline void fake_asserts_pass(struct ktest *f)
{
	ASSERT_EQ(f, 2, 2);
	ASSERT_TRUE(f, 1);
	ASSERT_NOT_NULL(f, p_object);
	reached = true;
}

static noinline void fake_skips(struct ktest *f)
{
	ktest_skip(f, "no %s here", "device");
	reached = true;
}

static noinline void inner_assert(void *arg)
{
	ASSERT_TRUE((struct ktest *)arg, 0);
	reached = true;
}

static noinline void fake_assert_in_nested_try(struct ktest *f)
{
	struct ktest_catch c;

	ktest_try(inner_assert, f, &c);
	reached = true;
}

/*
 * Run fn on fake as the runner runs a case: an ASSERT or skip in it
 * returns to the setjmp here, and ktest_abort() re-arms the catcher of
 * the case that is running (this one).
 */
static noinline void run_fake(struct ktest *t, struct ktest *fake, void (*fn)(struct ktest *))
{
	fake->catcher = t->catcher;
	reached = false;
	if (setjmp(fake->abort_env) == 0)
		fn(fake);
}

static void assert_ends_case_early(struct ktest *t)
{
	struct ktest fail = { .name = FAKE_FAILING }, pass = { .name = "fake" };
	struct ktest skip = { .name = "fake (skip expected)" }, nested = { .name = FAKE_FAILING };
	struct ktest_catch c;

	run_fake(t, &fail, fake_assert_fails);
	EXPECT_TRUE(t, fail.failed);
	EXPECT_FALSE(t, reached);			/* the code after the ASSERT */

	run_fake(t, &pass, fake_asserts_pass);
	EXPECT_FALSE(t, pass.failed);
	EXPECT_TRUE(t, reached);

	run_fake(t, &skip, fake_skips);
	EXPECT_TRUE(t, skip.skipped);
	EXPECT_FALSE(t, skip.failed);
	EXPECT_STREQ(t, skip.skip_reason, "no device here");
	EXPECT_FALSE(t, reached);

	/* an ASSERT inside a nested ktest_try() leaves it, and its catcher, behind */
	run_fake(t, &nested, fake_assert_in_nested_try);
	EXPECT_TRUE(t, nested.failed);
	EXPECT_FALSE(t, reached);
	EXPECT_EQ(t, ktest_try(null_read, NULL, &c), KTEST_CAUGHT_OOPS);
	EXPECT_FALSE(t, t->failed);
}

static struct ktest_case ktest_cases[] = {
	KTEST_CASE(try_normal_function),
	KTEST_CASE(try_catches_panic),
	KTEST_CASE(try_catches_null_read),
	KTEST_CASE(nested_try),
	KTEST_CASE(irq_flag_restored),
	KTEST_CASE(expect_marks_its_own_object),
	KTEST_CASE(failure_reports),
	KTEST_CASE(assert_ends_case_early),
	{},
};
KTEST_SUITE(ktest, ktest_cases);
