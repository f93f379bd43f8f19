/*
 * kernel/printk.c: what reaches a console and what reaches the log
 * buffer. A capturing console is registered around each case (the
 * suite's init/exit), so every case sees exactly the bytes printk wrote;
 * console_loglevel is set to its default there and restored afterwards.
 */
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>

struct capture {
	struct console con;
	char buf[2048];
	size_t len;
};

/* Called with printk's lock held: must not printk. */
static void capture_write(struct console *con, const char *s, size_t n)
{
	struct capture *c = container_of(con, struct capture, con);

	for (size_t i = 0; i < n && c->len + 1 < sizeof(c->buf); i++)
		c->buf[c->len++] = s[i];
	c->buf[c->len] = '\0';
}

static struct capture cap = { .con = { .name = "ktest-capture", .write = capture_write } };
static int saved_loglevel;

static void cap_reset(void)
{
	cap.len = 0;
	cap.buf[0] = '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/*
 * Parse printk's "[%5lu.%06lu] " stamp at s. Returns the time in
 * microseconds and sets *rest past the stamp, or returns -1 if s does not
 * start with one.
 */
static long parse_stamp(const char *s, const char **rest)
{
	const char *p = s;
	unsigned long sec = 0, us = 0;
	int digits = 0;

	if (*p++ != '[')
		return -1;
	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		sec = sec * 10 + (*p++ - '0');
	if (*p++ != '.')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		us = us * 10 + (*p - '0');
	if (digits != 6 || p[0] != ']' || p[1] != ' ')
		return -1;
	/* seconds are right-aligned in 5 columns: "[    0.000123] " is 15 characters */
	if (sec < 100000 && p + 2 - s != 15)
		return -1;
	if (rest)
		*rest = p + 2;
	return (long)(sec * 1000000 + us);
}

static int printk_init(struct ktest *t)
{
	saved_loglevel = console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	cap_reset();
	register_console(&cap.con);
	return 0;
}

static void printk_exit(struct ktest *t)
{
	unregister_console(&cap.con);
	console_loglevel = saved_loglevel;
}

static void info_line_has_timestamp(struct ktest *t)
{
	const char *rest = NULL;
	char want[sizeof(cap.buf) + 4];

	pr_info("printk-test: an info line\n");
	ASSERT_GE(t, parse_stamp(cap.buf, &rest), 0);
	EXPECT_STREQ(t, rest, "printk-test: an info line\n");
	/* the log holds the same line, after its level */
	snprintf(want, sizeof(want), "<6>%s", cap.buf);
	EXPECT_TRUE(t, ends_with(ktest_log(), want));
}

static void debug_only_in_log(struct ktest *t)
{
	const char *line, *rest = NULL;

	printk(KERN_DEBUG "printk-test: a debug line\n");
	EXPECT_EQ(t, cap.len, 0);			/* 7 is not below console_loglevel 7 */
	line = strstr(ktest_log(), "<7>[");
	ASSERT_NOT_NULL(t, line);
	while (strstr(line + 1, "<7>["))		/* the last debug line */
		line = strstr(line + 1, "<7>[");
	EXPECT_GE(t, parse_stamp(line + 3, &rest), 0);
	EXPECT_STREQ(t, rest, "printk-test: a debug line\n");
}

static void console_loglevel_filters(struct ktest *t)
{
	console_loglevel = 8;				/* everything */
	printk(KERN_DEBUG "printk-test: debug at loglevel 8\n");
	EXPECT_NOT_NULL(t, strstr(cap.buf, "printk-test: debug at loglevel 8\n"));

	cap_reset();
	console_loglevel = 4;				/* as `quiet`: errors and worse */
	printk(KERN_WARNING "printk-test: warning at loglevel 4\n");
	EXPECT_EQ(t, cap.len, 0);
	printk(KERN_ERR "printk-test: error at loglevel 4\n");
	EXPECT_NOT_NULL(t, strstr(cap.buf, "printk-test: error at loglevel 4\n"));
	/* hidden or not, both went to the log */
	EXPECT_NOT_NULL(t, strstr(ktest_log(), "printk-test: warning at loglevel 4\n"));

	cap_reset();
	console_loglevel = 0;
	printk(KERN_EMERG "printk-test: emerg at loglevel 0\n");
	EXPECT_EQ(t, cap.len, 0);
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
}

static void cont_continues_line(struct ktest *t)
{
	const char *rest = NULL;

	printk(KERN_INFO "printk-test: cont a");
	pr_cont("b");
	pr_cont("c\n");
	ASSERT_GE(t, parse_stamp(cap.buf, &rest), 0);
	EXPECT_STREQ(t, rest, "printk-test: cont abc\n");	/* one stamp for the line */
	EXPECT_NOT_NULL(t, strstr(ktest_log(), "printk-test: cont abc\n"));

	/* a continuation has the level of the line it continues */
	cap_reset();
	printk(KERN_DEBUG "printk-test: hidden a");
	pr_cont("b\n");
	EXPECT_EQ(t, cap.len, 0);
	EXPECT_NOT_NULL(t, strstr(ktest_log(), "printk-test: hidden ab\n"));

	/* a new message (not KERN_CONT) ends the open line first */
	cap_reset();
	printk(KERN_INFO "printk-test: first");
	printk(KERN_INFO "printk-test: second\n");
	ASSERT_GE(t, parse_stamp(cap.buf, &rest), 0);
	EXPECT_EQ(t, strncmp(rest, "printk-test: first\n", 19), 0);
	EXPECT_GE(t, parse_stamp(rest + 19, &rest), 0);
	EXPECT_STREQ(t, rest, "printk-test: second\n");
}

static void default_level(struct ktest *t)
{
	const char *rest = NULL;
	char want[sizeof(cap.buf) + 4];

	EXPECT_EQ(t, LOGLEVEL_DEFAULT, 4);
	printk("printk-test: no level\n");
	ASSERT_GE(t, parse_stamp(cap.buf, &rest), 0);	/* 4 < 7: on the console */
	EXPECT_STREQ(t, rest, "printk-test: no level\n");
	snprintf(want, sizeof(want), "<%d>%s", LOGLEVEL_DEFAULT, cap.buf);
	EXPECT_TRUE(t, ends_with(ktest_log(), want));
}

static void multi_line_prefix_per_line(struct ktest *t)
{
	const char *p = cap.buf, *l;

	pr_info("printk-test: line 1\nprintk-test: line 2\nprintk-test: line 3\n");
	for (int i = 1; i <= 3; i++) {
		char want[32];

		snprintf(want, sizeof(want), "printk-test: line %d\n", i);
		ASSERT_GE(t, parse_stamp(p, &p), 0);
		EXPECT_EQ(t, strncmp(p, want, strlen(want)), 0);
		p += strlen(want);
	}
	EXPECT_EQ(t, *p, '\0');
	/* each line is tagged with its level in the log */
	l = strstr(ktest_log(), "printk-test: line 1\n");
	ASSERT_NOT_NULL(t, l);
	l += strlen("printk-test: line 1\n");
	EXPECT_EQ(t, strncmp(l, "<6>[", 4), 0);
	EXPECT_GE(t, parse_stamp(l + 3, &l), 0);
	EXPECT_EQ(t, strncmp(l, "printk-test: line 2\n<6>[", 24), 0);
}

static void console_write_bypasses_log(struct ktest *t)
{
	EXPECT_EQ(t, console_printf("printk-test: raw %d\n", 42), 20);
	EXPECT_STREQ(t, cap.buf, "printk-test: raw 42\n");	/* no stamp */
	cap_reset();
	console_loglevel = 0;				/* and no level filter */
	console_write("printk-test: raw write\n", 23);
	EXPECT_STREQ(t, cap.buf, "printk-test: raw write\n");
	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	EXPECT_NULL(t, strstr(ktest_log(), "printk-test: raw 42"));
	EXPECT_NULL(t, strstr(ktest_log(), "printk-test: raw write"));
}

static void timestamps_never_go_backwards(struct ktest *t)
{
	const char *p;
	long prev = -1;
	int lines = 0;

	for (int i = 0; i < 20; i++)
		pr_info("printk-test: tick %d\n", i);
	/* every line of the log's tail (the first may be cut: skip it) */
	p = strchr(ktest_log(), '\n');
	ASSERT_NOT_NULL(t, p);
	for (p++; *p; p = strchr(p, '\n') + 1) {
		long us;

		ASSERT_TRUE(t, p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>');
		us = parse_stamp(p + 3, NULL);
		ASSERT_GE(t, us, 0);
		EXPECT_GE(t, us, prev);
		prev = us;
		lines++;
		if (!strchr(p, '\n'))
			break;
	}
	EXPECT_GE(t, lines, 20);
	EXPECT_GT(t, prev, 0);				/* the TSC is calibrated by now */
}

static void unregister_stops_output(struct ktest *t)
{
	EXPECT_EQ(t, unregister_console(&cap.con), 0);
	pr_info("printk-test: after unregister\n");
	EXPECT_EQ(t, cap.len, 0);
	EXPECT_EQ(t, unregister_console(&cap.con), -ENODEV);
	register_console(&cap.con);
	pr_info("printk-test: registered again\n");
	EXPECT_NOT_NULL(t, strstr(cap.buf, "printk-test: registered again\n"));
}

static void log_buf_copy_takes_the_end(struct ktest *t)
{
	char tail[11];

	pr_info("printk-test: 0123456789\n");
	EXPECT_EQ(t, log_buf_copy(tail, 10), 10);
	tail[10] = '\0';
	EXPECT_STREQ(t, tail, "123456789\n");
	EXPECT_EQ(t, log_buf_copy(tail, 0), 0);
}

static struct ktest_case printk_cases[] = {
	KTEST_CASE(info_line_has_timestamp),
	KTEST_CASE(debug_only_in_log),
	KTEST_CASE(console_loglevel_filters),
	KTEST_CASE(cont_continues_line),
	KTEST_CASE(default_level),
	KTEST_CASE(multi_line_prefix_per_line),
	KTEST_CASE(console_write_bypasses_log),
	KTEST_CASE(timestamps_never_go_backwards),
	KTEST_CASE(unregister_stops_output),
	KTEST_CASE(log_buf_copy_takes_the_end),
	{},
};
KTEST_SUITE(printk, printk_cases, .init = printk_init, .exit = printk_exit);
