/*
 * kernel/cmdline.c: splitting the command line into words, looking up
 * values, and early_param() dispatch. Each case replaces the command line
 * with cmdline_set(); the suite's init saves the boot one and its exit
 * restores it, so a failed ASSERT cannot leave a test line behind.
 */
#include <kernel/ktest.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>

static char saved_cmdline[COMMAND_LINE_SIZE];

/* What the test-only parameter below was last given. */
static struct {
	int calls;
	bool had_value;
	char value[64];
} probe;

/* A parameter no one else claims: it records its value; "bad" is refused. */
static int ktest_param_probe_setup(const char *val)
{
	probe.calls++;
	probe.had_value = val != NULL;
	strlcpy(probe.value, val ? val : "", sizeof(probe.value));
	return val && !strcmp(val, "bad") ? -EINVAL : 0;
}
early_param("ktest_param_probe", ktest_param_probe_setup);

static int cmdline_test_init(struct ktest *t)
{
	strlcpy(saved_cmdline, boot_command_line, sizeof(saved_cmdline));
	memset(&probe, 0, sizeof(probe));
	return 0;
}

static void cmdline_test_exit(struct ktest *t)
{
	cmdline_set(saved_cmdline);
}

/* cmdline_get() into a scratch buffer; NULL if name is absent. */
static const char *get(const char *name)
{
	static char buf[COMMAND_LINE_SIZE];

	return cmdline_get(name, buf, sizeof(buf));
}

static void bare_words_and_values(struct ktest *t)
{
	char buf[8];

	cmdline_set("  quiet\tktest.a=1   ktest.b= novalue  ");
	EXPECT_TRUE(t, cmdline_has("quiet"));
	EXPECT_TRUE(t, cmdline_has("novalue"));
	EXPECT_TRUE(t, cmdline_has("ktest.a"));
	EXPECT_FALSE(t, cmdline_has("missing"));
	EXPECT_STREQ(t, get("quiet"), "");		/* a bare word: the empty value */
	EXPECT_STREQ(t, get("ktest.a"), "1");
	EXPECT_STREQ(t, get("ktest.b"), "");		/* "name=" */
	EXPECT_NULL(t, get("missing"));
	EXPECT_TRUE(t, cmdline_get("ktest.a", buf, sizeof(buf)) == buf);	/* returns buf */

	cmdline_set("");
	EXPECT_FALSE(t, cmdline_has("quiet"));
	EXPECT_NULL(t, get("ktest.a"));
}

static void last_occurrence_wins(struct ktest *t)
{
	cmdline_set("x=1 y=a x=2 x=3");
	EXPECT_STREQ(t, get("x"), "3");
	EXPECT_STREQ(t, get("y"), "a");
	cmdline_set("x=1 x");
	EXPECT_STREQ(t, get("x"), "");
}

static void quoted_values(struct ktest *t)
{
	cmdline_set("msg=\"hello world\" next=1 q=\"a b\"c u=\"open to the end");
	EXPECT_STREQ(t, get("msg"), "hello world");
	EXPECT_STREQ(t, get("next"), "1");		/* the quote ended the value's spaces */
	EXPECT_STREQ(t, get("q"), "a bc");
	EXPECT_STREQ(t, get("u"), "open to the end");
	EXPECT_FALSE(t, cmdline_has("world\""));
}

static void values_containing_equals(struct ktest *t)
{
	cmdline_set("opt=a=b=c ktest.filter=suite.case=x");
	EXPECT_STREQ(t, get("opt"), "a=b=c");
	EXPECT_STREQ(t, get("ktest.filter"), "suite.case=x");
	EXPECT_FALSE(t, cmdline_has("a"));
}

static void names_match_whole_words(struct ktest *t)
{
	char long_word[80], prefix[64];

	cmdline_set("loglevel2=5 loglevel_x=3 xloglevel=2");
	EXPECT_NULL(t, get("loglevel"));
	EXPECT_STREQ(t, get("loglevel2"), "5");
	cmdline_set("loglevel=4 loglevel2=5");
	EXPECT_STREQ(t, get("loglevel"), "4");
	EXPECT_STREQ(t, get("loglevel2"), "5");
	EXPECT_NULL(t, get("log"));
	EXPECT_NULL(t, get("loglevel="));

	/* a name longer than the parser keeps must not match its first 63 characters */
	memset(long_word, 'n', 70);
	strlcpy(long_word + 70, "=1", sizeof(long_word) - 70);
	strlcpy(prefix, long_word, sizeof(prefix));
	cmdline_set(long_word);
	EXPECT_EQ(t, strlen(prefix), 63);
	EXPECT_FALSE(t, cmdline_has(prefix));
	/* while a 63-character name is found */
	memset(long_word, 'm', 63);
	strlcpy(long_word + 63, "=7", sizeof(long_word) - 63);
	memset(prefix, 'm', 63);
	prefix[63] = '\0';
	cmdline_set(long_word);
	EXPECT_STREQ(t, get(prefix), "7");
}

static void get_ulong_values(struct ktest *t)
{
	unsigned long v;
	char line[128];

	cmdline_set("a=0x1f b=42 c=017 d=abc e=-1 f= g h=18446744073709551616 i=12junk");
	EXPECT_EQ(t, cmdline_get_ulong("a", &v), 0);
	EXPECT_EQ(t, v, 0x1f);
	EXPECT_EQ(t, cmdline_get_ulong("b", &v), 0);
	EXPECT_EQ(t, v, 42);
	EXPECT_EQ(t, cmdline_get_ulong("c", &v), 0);
	EXPECT_EQ(t, v, 017);
	v = 99;
	EXPECT_EQ(t, cmdline_get_ulong("d", &v), -EINVAL);
	EXPECT_EQ(t, cmdline_get_ulong("e", &v), -EINVAL);
	EXPECT_EQ(t, cmdline_get_ulong("f", &v), -EINVAL);
	EXPECT_EQ(t, cmdline_get_ulong("g", &v), -EINVAL);	/* bare: no number */
	EXPECT_EQ(t, cmdline_get_ulong("h", &v), -ERANGE);
	EXPECT_EQ(t, cmdline_get_ulong("i", &v), -EINVAL);
	EXPECT_EQ(t, cmdline_get_ulong("missing", &v), -ENOENT);
	EXPECT_EQ(t, v, 99);					/* untouched on errors */

	/* a value too long to hold must be refused, not parsed from its first part */
	snprintf(line, sizeof(line), "z=0x%040d1 y=0x%028d1", 0, 0);
	cmdline_set(line);
	EXPECT_EQ(t, cmdline_get_ulong("z", &v), -ERANGE);
	EXPECT_EQ(t, v, 99);
	EXPECT_EQ(t, cmdline_get_ulong("y", &v), 0);		/* 31 characters still fit */
	EXPECT_EQ(t, v, 1);
}

static void long_values_truncated(struct ktest *t)
{
	char small[5], one[1] = { 'x' }, line[COMMAND_LINE_SIZE + 100];

	cmdline_set("long=abcdefghijklmnop");
	EXPECT_TRUE(t, cmdline_get("long", small, sizeof(small)) == small);
	EXPECT_STREQ(t, small, "abcd");
	EXPECT_NOT_NULL(t, cmdline_get("long", one, sizeof(one)));
	EXPECT_EQ(t, one[0], '\0');

	/* the whole line is capped at COMMAND_LINE_SIZE - 1 characters */
	memset(line, 'w', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	cmdline_set(line);
	EXPECT_EQ(t, strlen(boot_command_line), COMMAND_LINE_SIZE - 1);
}

static void early_param_dispatch(struct ktest *t)
{
	cmdline_set("ktest_unknown_word ktest_param_probe=hello ktest_unknown=1");
	parse_early_params();
	EXPECT_EQ(t, probe.calls, 1);
	EXPECT_TRUE(t, probe.had_value);
	EXPECT_STREQ(t, probe.value, "hello");

	memset(&probe, 0, sizeof(probe));
	cmdline_set("ktest_param_probe");			/* bare: called with NULL */
	parse_early_params();
	EXPECT_EQ(t, probe.calls, 1);
	EXPECT_FALSE(t, probe.had_value);

	memset(&probe, 0, sizeof(probe));
	cmdline_set("ktest_param_probe=1 ktest_param_probe=\"two words\"");
	parse_early_params();
	EXPECT_EQ(t, probe.calls, 2);				/* once per occurrence */
	EXPECT_STREQ(t, probe.value, "two words");

	memset(&probe, 0, sizeof(probe));
	cmdline_set("ktest_param_probe2=x ktest_param_prob=y xktest_param_probe=z");
	parse_early_params();
	EXPECT_EQ(t, probe.calls, 0);
}

static void early_param_bad_value_warns(struct ktest *t)
{
	static char logbuf[2048];
	const char *want = "cmdline: bad value 'bad' for parameter 'ktest_param_probe'; ignored\n";
	size_t n;

	cmdline_set("ktest_param_probe=bad");
	parse_early_params();
	EXPECT_EQ(t, probe.calls, 1);
	n = log_buf_copy(logbuf, sizeof(logbuf) - 1);
	logbuf[n] = '\0';
	ASSERT_GE(t, n, strlen(want));
	EXPECT_STREQ(t, logbuf + n - strlen(want), want);
	EXPECT_EQ(t, strncmp(logbuf + n - strlen(want) - 18, "<4>[", 4), 0);	/* a warning */
}

static struct ktest_case cmdline_cases[] = {
	KTEST_CASE(bare_words_and_values),
	KTEST_CASE(last_occurrence_wins),
	KTEST_CASE(quoted_values),
	KTEST_CASE(values_containing_equals),
	KTEST_CASE(names_match_whole_words),
	KTEST_CASE(get_ulong_values),
	KTEST_CASE(long_values_truncated),
	KTEST_CASE(early_param_dispatch),
	KTEST_CASE(early_param_bad_value_warns),
	{},
};
KTEST_SUITE(cmdline, cmdline_cases, .init = cmdline_test_init, .exit = cmdline_test_exit);
