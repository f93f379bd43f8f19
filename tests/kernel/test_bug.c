/*
 * BUG() and WARN() (include/kernel/bug.h, kernel/bug.c): a WARN reports
 * and execution goes on after its ud2; a BUG oopses, caught here with
 * ktest_try(). The reports are read back from the log buffer, which
 * names this file and the line of each site.
 */
#include <kernel/ktest.h>
#include <kernel/bug.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <asm/trapnr.h>

extern struct bug_entry __start___bug_table[], __stop___bug_table[];


static int count_str(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

/* Where an entry's ud2 is, and its file name (both stored relative to the entry). */
static unsigned long entry_addr(const struct bug_entry *b)
{
	return (unsigned long)&b->bug_addr + b->bug_addr;
}

static const char *entry_file(const struct bug_entry *b)
{
	return (const char *)&b->file + b->file;
}

/* Whether addr is in function fn, or in a part GCC split off it (fn.cold). */
static bool in_function(unsigned long addr, const char *fn)
{
	const char *name = kallsyms_lookup(addr, NULL, NULL);
	size_t n = strlen(fn);

	return name && !strncmp(name, fn, n) && (!name[n] || name[n] == '.');
}

/* Conditions the compiler cannot see through, so that each site is really tested. */
static volatile int one = 1, zero;

static void warn_on_true_continues(struct ktest *t)
{
	unsigned long before = warn_count;
	char want[96];
	bool ret;
	int line;
	volatile bool after = false;

	ret = WARN_ON(one), line = __LINE__;
	after = true;
	EXPECT_TRUE(t, ret);
	EXPECT_TRUE(t, after);
	EXPECT_EQ(t, warn_count, before + 1);
	snprintf(want, sizeof(want), "WARNING: CPU: 0 at %s:%d warn_on_true_continues",
		 __FILE__, line);
	EXPECT_NOT_NULL(t, strstr(ktest_log(), want));
	EXPECT_STREQ(t, __FILE__, "tests/kernel/test_bug.c");
}

static void warn_on_false_does_nothing(struct ktest *t)
{
	unsigned long before = warn_count;
	char tail_before[64], tail_after[64];
	size_t n = log_buf_copy(tail_before, sizeof(tail_before));

	EXPECT_FALSE(t, WARN_ON(zero));
	EXPECT_FALSE(t, WARN_ON_ONCE(zero));
	EXPECT_FALSE(t, WARN(zero, "bug-test: never printed\n"));
	EXPECT_EQ(t, warn_count, before);
	EXPECT_EQ(t, log_buf_copy(tail_after, sizeof(tail_after)), n);
	EXPECT_EQ(t, memcmp(tail_before, tail_after, n), 0);	/* nothing logged */
}

static void warn_on_once_fires_once(struct ktest *t)
{
	unsigned long before = warn_count;
	int fired = 0;

	/* once per boot: a second run (the shell's ktest command) finds them spent */
	for (const struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++)
		if ((b->flags & BUGFLAG_DONE) && in_function(entry_addr(b), __func__))
			ktest_skip(t, "the _ONCE sites already fired in an earlier run");

	for (int i = 0; i < 3; i++)		/* one call site, executed three times */
		fired += WARN_ON_ONCE(one);
	EXPECT_EQ(t, fired, 3);			/* the condition is still returned each time */
	EXPECT_EQ(t, warn_count, before + 1);

	before = warn_count;
	for (int i = 0; i < 2; i++)
		WARN_ONCE(one, "bug-test: warn once %d\n", 1234);
	EXPECT_EQ(t, warn_count, before + 1);
	EXPECT_EQ(t, count_str(ktest_log(), "bug-test: warn once 1234\n"), 1);
}

static void warn_prints_message(struct ktest *t)
{
	const char *msg, *report;
	char want[96];
	bool ret;
	int line;

	ret = WARN(one, "bug-test: warn message %d\n", 42), line = __LINE__;
	EXPECT_TRUE(t, ret);
	snprintf(want, sizeof(want), "WARNING: CPU: 0 at %s:%d ", __FILE__, line);
	msg = strstr(ktest_log(), "bug-test: warn message 42\n");
	ASSERT_NOT_NULL(t, msg);
	report = strstr(msg, want);
	EXPECT_NOT_NULL(t, report);			/* the report follows the message */
	EXPECT_EQ(t, strncmp(msg - 18, "<4>[", 4), 0);	/* printed as a warning */
	EXPECT_NOT_NULL(t, strstr(msg, "------------[ cut here ]------------\n"));
	EXPECT_NOT_NULL(t, strstr(msg, "---[ end trace ]---\n"));
}

static int bug_line;

static noinline void hit_bug(void *arg)
{
	bug_line = __LINE__ + 1;
	BUG();
}

static noinline void hit_bug_on(void *arg)
{
	BUG_ON(zero);				/* false: goes on */
	BUG_ON(one);
}

static void bug_caught_as_oops(struct ktest *t)
{
	struct ktest_catch c;
	char want[96];

	ASSERT_EQ(t, ktest_try(hit_bug, NULL, &c), KTEST_CAUGHT_OOPS);
	EXPECT_EQ(t, c.trapnr, X86_TRAP_UD);
	EXPECT_STREQ(t, c.msg, "invalid opcode");
	EXPECT_TRUE(t, in_function(c.rip, "hit_bug"));
	EXPECT_EQ(t, *(const u16 *)c.rip, 0x0b0f);		/* it stopped at the ud2 */
	snprintf(want, sizeof(want), "kernel BUG at %s:%d!\n", __FILE__, bug_line);
	EXPECT_NOT_NULL(t, strstr(ktest_log(), want));

	ASSERT_EQ(t, ktest_try(hit_bug_on, NULL, &c), KTEST_CAUGHT_OOPS);
	EXPECT_EQ(t, c.trapnr, X86_TRAP_UD);
	EXPECT_TRUE(t, in_function(c.rip, "hit_bug_on"));
}

static void bug_on_false_does_nothing(struct ktest *t)
{
	unsigned long before = warn_count;
	volatile bool after = false;

	BUG_ON(zero);
	BUG_ON(0);
	after = true;
	EXPECT_TRUE(t, after);
	EXPECT_EQ(t, warn_count, before);
}

static int warn_site_line;

static noinline bool warn_site(bool cond)
{
	warn_site_line = __LINE__ + 1;
	return WARN_ON(cond);
}

static void find_bug_finds_warn_site(struct ktest *t)
{
	const struct bug_entry *found = NULL;
	unsigned long addr = 0, before;
	int sites = 0;

	EXPECT_FALSE(t, warn_site(false));
	for (const struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++) {
		if (in_function(entry_addr(b), "warn_site")) {
			found = b;
			addr = entry_addr(b);
			sites++;
		}
	}
	ASSERT_EQ(t, sites, 1);
	EXPECT_TRUE(t, find_bug(addr) == found);
	EXPECT_EQ(t, *(const u16 *)addr, 0x0b0f);		/* ud2 */
	EXPECT_EQ(t, found->line, warn_site_line);
	EXPECT_STREQ(t, entry_file(found), __FILE__);
	EXPECT_TRUE(t, found->flags & BUGFLAG_WARNING);
	EXPECT_FALSE(t, found->flags & BUGFLAG_ONCE);
	EXPECT_NULL(t, find_bug(addr + 1));
	EXPECT_NULL(t, find_bug((unsigned long)warn_site - 1));

	before = warn_count;
	EXPECT_TRUE(t, warn_site(true));
	EXPECT_EQ(t, warn_count, before + 1);
}

/* Every entry in the table points at a ud2 in the kernel's text, with a file and line. */
static void bug_table_entries_valid(struct ktest *t)
{
	int n = 0, bad = 0;

	for (const struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++, n++) {
		unsigned long addr = entry_addr(b);

		if (*(const u16 *)addr != 0x0b0f || !kallsyms_lookup(addr, NULL, NULL) ||
		    !*entry_file(b) || !b->line) {
			if (bad++ < 5)
				ktest_fail(t, __FILE__, __LINE__, "bad entry %d: %pS %s:%u",
					   n, (void *)addr, entry_file(b), b->line);
		}
	}
	EXPECT_GE(t, n, 8);		/* at least this file's sites */
	EXPECT_EQ(t, bad, 0);
}

static struct ktest_case bug_cases[] = {
	KTEST_CASE(warn_on_true_continues),
	KTEST_CASE(warn_on_false_does_nothing),
	KTEST_CASE(warn_on_once_fires_once),
	KTEST_CASE(warn_prints_message),
	KTEST_CASE(bug_caught_as_oops),
	KTEST_CASE(bug_on_false_does_nothing),
	KTEST_CASE(find_bug_finds_warn_site),
	KTEST_CASE(bug_table_entries_valid),
	{},
};
KTEST_SUITE(bug, bug_cases);
