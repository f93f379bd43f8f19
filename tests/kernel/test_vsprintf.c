/*
 * kernel/lib/vsprintf.c: every conversion, flag, width, precision and
 * length modifier that include/kernel/kernel.h promises, checked against
 * what C11 7.21.6.1 requires, plus truncation and Linux's %pS/%ps.
 */
#include <kernel/ktest.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/kallsyms.h>

#define INT_MIN_	(-__INT_MAX__ - 1)
#define LONG_MIN_	(-__LONG_MAX__ - 1)
#define LLONG_MIN_	(-__LONG_LONG_MAX__ - 1)

/* Format into a buffer; fail unless the text and the returned length are as expected. */
static __printf(4, 5) void check_fmt(struct ktest *t, int line, const char *expect,
				     const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, expect) || n != (int)strlen(expect))
		ktest_fail(t, __FILE__, line, "format \"%s\": got \"%s\" (returned %d), want \"%s\" (%zu)",
			   fmt, buf, n, expect, strlen(expect));
}
#define CHECK(t, expect, fmt, ...) check_fmt(t, __LINE__, expect, fmt, ##__VA_ARGS__)

static void signed_decimal(struct ktest *t)
{
	CHECK(t, "0", "%d", 0);
	CHECK(t, "42", "%d", 42);
	CHECK(t, "-42", "%d", -42);
	CHECK(t, "-7", "%i", -7);
	CHECK(t, "2147483647", "%d", __INT_MAX__);
	CHECK(t, "-2147483648", "%d", INT_MIN_);
	CHECK(t, "a1b-2c", "a%db%dc", 1, -2);
}

static void unsigned_conversions(struct ktest *t)
{
	CHECK(t, "4294967295", "%u", ~0u);
	CHECK(t, "deadbeef", "%x", 0xdeadbeefu);
	CHECK(t, "DEADBEEF", "%X", 0xdeadbeefu);
	CHECK(t, "17", "%o", 017u);
	CHECK(t, "0", "%x", 0u);
	CHECK(t, "0", "%o", 0u);
}

static void alternate_form(struct ktest *t)
{
	CHECK(t, "0xff", "%#x", 0xffu);
	CHECK(t, "0XFF", "%#X", 0xffu);
	CHECK(t, "010", "%#o", 8u);
	/* zero takes no 0x, and is already its own leading octal 0 */
	CHECK(t, "0", "%#x", 0u);
	CHECK(t, "0", "%#o", 0u);
	CHECK(t, "0x0000ff", "%#08x", 0xffu);
	CHECK(t, "  0xff", "%#6x", 0xffu);
	CHECK(t, "00010", "%#05o", 8u);
	/* # raises an octal precision only as far as one leading 0 needs */
	CHECK(t, "010", "%#.3o", 8u);
	CHECK(t, "0010", "%#.4o", 8u);
	CHECK(t, "0", "%#.0o", 0u);
}

static void flags_and_width(struct ktest *t)
{
	CHECK(t, "+5", "%+d", 5);
	CHECK(t, "-5", "%+d", -5);
	CHECK(t, " 5", "% d", 5);
	CHECK(t, "-5", "% d", -5);
	CHECK(t, "   42", "%5d", 42);
	CHECK(t, "42   |", "%-5d|", 42);
	CHECK(t, "00042", "%05d", 42);
	CHECK(t, "-0042", "%05d", -42);
	CHECK(t, "+0042", "%+05d", 42);
	CHECK(t, " 0042", "% 05d", 42);
	CHECK(t, "42", "%1d", 42);			/* width is a minimum */
	CHECK(t, "000ff", "%05x", 0xffu);
}

/*
 * Flags that C defines but that do nothing in these combinations; gcc
 * warns about them, so its format check is off for this function only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void ignored_flags(struct ktest *t)
{
	CHECK(t, "+5", "%+ d", 5);			/* + wins over space */
	CHECK(t, "42   |", "%-05d|", 42);		/* - wins over 0 */
	/* + and space are for signed conversions only */
	CHECK(t, "5", "%+u", 5u);
	CHECK(t, "ff", "% x", 0xffu);
	CHECK(t, "17", "%+o", 017u);
	CHECK(t, "FF", "% X", 0xffu);
	CHECK(t, "  007", "%05.3d", 7);			/* 0 is ignored with a precision */
}
#pragma GCC diagnostic pop

static void precision(struct ktest *t)
{
	CHECK(t, "007", "%.3d", 7);
	CHECK(t, "-007", "%.3d", -7);
	CHECK(t, "  007", "%5.3d", 7);
	CHECK(t, "", "%.0d", 0);			/* zero with precision 0: no digits */
	CHECK(t, "", "%.0x", 0u);
	CHECK(t, "   ", "%3.0d", 0);
	CHECK(t, "12345", "%.2d", 12345);
	CHECK(t, "000a", "%.4x", 10u);
}

static void length_modifiers(struct ktest *t)
{
	CHECK(t, "-1", "%hhd", 255);			/* converted to signed char */
	CHECK(t, "0", "%hhu", 256);
	CHECK(t, "ff", "%hhx", 0x1ff);
	CHECK(t, "-1", "%hd", 65535);			/* converted to short */
	CHECK(t, "0", "%hu", 65536);
	CHECK(t, "2345", "%hx", 0x12345);
	CHECK(t, "-9223372036854775808", "%ld", LONG_MIN_);
	CHECK(t, "9223372036854775807", "%ld", __LONG_MAX__);
	CHECK(t, "18446744073709551615", "%lu", ~0ul);
	CHECK(t, "ffffffffffffffff", "%lx", ~0ul);
	CHECK(t, "-9223372036854775808", "%lld", LLONG_MIN_);
	CHECK(t, "-9223372036854775808", "%lli", LLONG_MIN_);
	CHECK(t, "18446744073709551615", "%llu", ~0ull);
	CHECK(t, "FFFFFFFFFFFFFFFF", "%llX", ~0ull);
	CHECK(t, "1777777777777777777777", "%llo", ~0ull);
	CHECK(t, "18446744073709551615", "%zu", (size_t)-1);
	CHECK(t, "-1", "%zd", (ssize_t)-1);
	CHECK(t, "fffffffffffffffe", "%zx", (size_t)-2);
	CHECK(t, "-3", "%td", (ptrdiff_t)-3);
	CHECK(t, "0x123456789", "%#lx", 0x123456789ul);
}

static void strings_and_chars(struct ktest *t)
{
	const char *volatile null = NULL;	/* volatile: keep gcc from warning about %s NULL */

	CHECK(t, "abc", "%s", "abc");
	CHECK(t, "", "%s", "");
	CHECK(t, "  abc", "%5s", "abc");
	CHECK(t, "abc  |", "%-5s|", "abc");
	CHECK(t, "ab", "%.2s", "abc");
	CHECK(t, "   ab", "%5.2s", "abc");
	CHECK(t, "abc", "%.10s", "abc");
	CHECK(t, "abcdef", "%2s", "abcdef");
	CHECK(t, "(null)", "%s", null);
	CHECK(t, "x", "%c", 'x');
	CHECK(t, "  x", "%3c", 'x');
	CHECK(t, "x  |", "%-3c|", 'x');
	CHECK(t, "%", "%%");
	CHECK(t, "100%", "%d%%", 100);
}

static void star_width_and_precision(struct ktest *t)
{
	CHECK(t, "   42", "%*d", 5, 42);
	CHECK(t, "42   |", "%*d|", -5, 42);		/* a negative width left-justifies */
	CHECK(t, "42   |", "%-*d|", 5, 42);
	CHECK(t, "ab", "%.*s", 2, "abcdef");
	CHECK(t, "abcdef", "%.*s", -1, "abcdef");	/* a negative precision is none */
	CHECK(t, "5", "%.*d", -1, 5);
	CHECK(t, "   abc", "%*.*s", 6, 3, "abcdef");
	CHECK(t, "00042", "%0*d", 5, 42);
}

static void pointers(struct ktest *t)
{
	CHECK(t, "0xffffffff80001234", "%p", (void *)0xffffffff80001234ul);
	CHECK(t, "0x0000000000001000", "%p", (void *)0x1000ul);
	/* NULL is a pointer like any other: the same 0x and width */
	CHECK(t, "0x0000000000000000", "%p", NULL);
}

/* Formats that -Wformat would reject, passed through a variable. */
static void odd_formats(struct ktest *t)
{
	const char *volatile fmt;
	char buf[32];

	fmt = "%y";			/* unknown conversion: printed as is */
	EXPECT_EQ(t, snprintf(buf, sizeof(buf), fmt, 0), 2);
	EXPECT_STREQ(t, buf, "%y");
	fmt = "abc%";			/* a lone % at the end */
	EXPECT_EQ(t, snprintf(buf, sizeof(buf), fmt, 0), 3);
	EXPECT_STREQ(t, buf, "abc");
	fmt = "%l";
	EXPECT_EQ(t, snprintf(buf, sizeof(buf), fmt, 0), 0);
	EXPECT_STREQ(t, buf, "");
}

static void truncation(struct ktest *t)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(t, snprintf(buf, 5, "%s", "hello world"), 11);	/* the full length */
	EXPECT_STREQ(t, buf, "hell");
	EXPECT_EQ(t, buf[5], 'X');					/* nothing past size */

	EXPECT_EQ(t, snprintf(buf, 4, "%d", 123456), 6);
	EXPECT_STREQ(t, buf, "123");

	EXPECT_EQ(t, snprintf(buf, 8, "%s", "1234567"), 7);		/* exactly fits */
	EXPECT_STREQ(t, buf, "1234567");

	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(t, snprintf(buf, 1, "abc"), 3);
	EXPECT_EQ(t, buf[0], '\0');
	EXPECT_EQ(t, buf[1], 'X');

	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(t, snprintf(buf, 0, "abc%d", 12), 5);		/* size 0: no write at all */
	EXPECT_EQ(t, buf[0], 'X');
	EXPECT_EQ(t, snprintf(NULL, 0, "%s-%d", "ab", 7), 4);		/* the sizing idiom */
}

static __printf(3, 4) int call_vscnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void scnprintf_stored_length(struct ktest *t)
{
	char buf[8];

	EXPECT_EQ(t, scnprintf(buf, sizeof(buf), "abc"), 3);
	EXPECT_EQ(t, scnprintf(buf, sizeof(buf), "hello world"), 7);
	EXPECT_STREQ(t, buf, "hello w");
	EXPECT_EQ(t, scnprintf(buf, 1, "abc"), 0);
	EXPECT_EQ(t, scnprintf(buf, 0, "abc"), 0);
	EXPECT_EQ(t, call_vscnprintf(buf, sizeof(buf), "%d", 1234), 4);
	EXPECT_EQ(t, call_vscnprintf(buf, 3, "%d", 1234), 2);
	EXPECT_STREQ(t, buf, "12");
	EXPECT_EQ(t, call_vscnprintf(buf, 0, "%d", 1234), 0);
}

static void symbols(struct ktest *t)
{
	unsigned long size, off;
	char expect[KSYM_NAME_LEN + 48];
	const char *name = kallsyms_lookup((unsigned long)vsnprintf, &size, &off);

	ASSERT_NOT_NULL(t, name);
	EXPECT_STREQ(t, name, "vsnprintf");
	ASSERT_TRUE(t, size > 5);

	snprintf(expect, sizeof(expect), "vsnprintf+0x0/0x%lx", size);
	CHECK(t, expect, "%pS", vsnprintf);
	snprintf(expect, sizeof(expect), "vsnprintf+0x5/0x%lx", size);
	CHECK(t, expect, "%pS", (char *)vsnprintf + 5);
	/* %pB: a return address, which may lie just past its function's end */
	snprintf(expect, sizeof(expect), "vsnprintf+0x5/0x%lx", size);
	CHECK(t, expect, "%pB", (char *)vsnprintf + 5);
	snprintf(expect, sizeof(expect), "vsnprintf+0x%lx/0x%lx", size, size);
	CHECK(t, expect, "%pB", (char *)vsnprintf + size);
	CHECK(t, "vsnprintf", "%ps", vsnprintf);
	CHECK(t, "vsnprintf", "%ps", (char *)vsnprintf + 5);
	/* below the kernel image: in no symbol, so the bare address */
	CHECK(t, "0x1000", "%pS", (void *)0x1000ul);
	CHECK(t, "0x1000", "%ps", (void *)0x1000ul);
	/* the letter after %p is consumed; the rest of the format goes on */
	CHECK(t, "<vsnprintf>", "<%ps>", vsnprintf);
	CHECK(t, "  vsnprintf|", "%11ps|", vsnprintf);
}

static struct ktest_case vsprintf_cases[] = {
	KTEST_CASE(signed_decimal),
	KTEST_CASE(unsigned_conversions),
	KTEST_CASE(alternate_form),
	KTEST_CASE(flags_and_width),
	KTEST_CASE(ignored_flags),
	KTEST_CASE(precision),
	KTEST_CASE(length_modifiers),
	KTEST_CASE(strings_and_chars),
	KTEST_CASE(star_width_and_precision),
	KTEST_CASE(pointers),
	KTEST_CASE(odd_formats),
	KTEST_CASE(truncation),
	KTEST_CASE(scnprintf_stored_length),
	KTEST_CASE(symbols),
	{},
};
KTEST_SUITE(vsprintf, vsprintf_cases);
