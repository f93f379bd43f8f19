/*
 * kernel/lib/string.c: the memory and string functions, the number
 * parsers (kstrtoul/kstrtol) and the glob matcher that ktest.filter uses.
 * -ffreestanding implies -fno-builtin, so every call here reaches the
 * kernel's own implementation rather than a compiler expansion.
 */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/errno.h>

#define LONG_MIN_ (-__LONG_MAX__ - 1)

static void mem_copy_and_set(struct ktest *t)
{
	char buf[16], src[] = "0123456789";

	memset(buf, 'x', sizeof(buf));
	EXPECT_TRUE(t, memcpy(buf, src, 11) == buf);
	EXPECT_STREQ(t, buf, "0123456789");
	EXPECT_EQ(t, buf[11], 'x');			/* nothing past n */
	EXPECT_TRUE(t, memcpy(buf, "zz", 0) == buf);	/* n = 0 copies nothing */
	EXPECT_EQ(t, buf[0], '0');

	EXPECT_TRUE(t, memset(buf, 0x1ab, 4) == buf);	/* only the low byte of c */
	EXPECT_EQ(t, (u8)buf[0], 0xab);
	EXPECT_EQ(t, (u8)buf[3], 0xab);
	EXPECT_EQ(t, buf[4], '4');
	memset(buf + 4, 0, 0);
	EXPECT_EQ(t, buf[4], '4');
}

/* memmove must give the result of copying through a temporary buffer. */
static void memmove_overlap(struct ktest *t)
{
	char buf[16];

	strlcpy(buf, "abcdefghij", sizeof(buf));
	EXPECT_TRUE(t, memmove(buf + 2, buf, 6) == buf + 2);	/* dst above src: copy backwards */
	EXPECT_STREQ(t, buf, "ababcdefij");

	strlcpy(buf, "abcdefghij", sizeof(buf));
	memmove(buf, buf + 3, 7);				/* dst below src: copy forwards */
	EXPECT_STREQ(t, buf, "defghijhij");

	strlcpy(buf, "abcdefghij", sizeof(buf));
	memmove(buf + 1, buf, 9);				/* by one byte, the worst case */
	EXPECT_STREQ(t, buf, "aabcdefghi");

	strlcpy(buf, "abcdefghij", sizeof(buf));
	memmove(buf, buf, 10);					/* dst == src */
	memmove(buf + 5, buf, 0);
	EXPECT_STREQ(t, buf, "abcdefghij");

	strlcpy(buf, "abcdefghij", sizeof(buf));
	memmove(buf + 6, buf, 4);				/* no overlap */
	EXPECT_STREQ(t, buf, "abcdefabcd");
}

static void mem_compare_and_search(struct ktest *t)
{
	const char s[] = "abc\0def";

	EXPECT_EQ(t, memcmp("abc", "abc", 3), 0);
	EXPECT_LT(t, memcmp("abc", "abd", 3), 0);
	EXPECT_GT(t, memcmp("abd", "abc", 3), 0);
	EXPECT_EQ(t, memcmp("abX", "abY", 2), 0);
	EXPECT_EQ(t, memcmp("a", "b", 0), 0);
	EXPECT_GT(t, memcmp("\x80", "\x01", 1), 0);	/* bytes compare as unsigned */

	EXPECT_TRUE(t, memchr(s, 'd', sizeof(s)) == s + 4);	/* past an embedded NUL */
	EXPECT_TRUE(t, memchr(s, '\0', sizeof(s)) == s + 3);
	EXPECT_NULL(t, memchr(s, 'd', 4));
	EXPECT_NULL(t, memchr(s, 'a', 0));
	EXPECT_TRUE(t, memchr(s, 0x161, 3) == s);		/* c is taken as unsigned char */
}

static void str_length_and_compare(struct ktest *t)
{
	EXPECT_EQ(t, strlen(""), 0);
	EXPECT_EQ(t, strlen("hello"), 5);
	EXPECT_EQ(t, strnlen("hello", 3), 3);
	EXPECT_EQ(t, strnlen("hello", 10), 5);
	EXPECT_EQ(t, strnlen("hello", 0), 0);

	EXPECT_EQ(t, strcmp("", ""), 0);
	EXPECT_EQ(t, strcmp("abc", "abc"), 0);
	EXPECT_LT(t, strcmp("abc", "abd"), 0);
	EXPECT_LT(t, strcmp("ab", "abc"), 0);		/* a prefix sorts first */
	EXPECT_GT(t, strcmp("abc", "ab"), 0);
	EXPECT_GT(t, strcmp("\xff", "a"), 0);		/* unsigned chars */

	EXPECT_EQ(t, strncmp("abcX", "abcY", 3), 0);
	EXPECT_LT(t, strncmp("abcX", "abcY", 4), 0);
	EXPECT_EQ(t, strncmp("abc", "abc", 10), 0);	/* stops at the NUL */
	EXPECT_LT(t, strncmp("ab", "abc", 10), 0);
	EXPECT_EQ(t, strncmp("x", "y", 0), 0);
}

static void str_search(struct ktest *t)
{
	const char *s = "hello";

	EXPECT_TRUE(t, strchr(s, 'l') == s + 2);		/* the first one */
	EXPECT_TRUE(t, strchr(s, 'h') == s);
	EXPECT_NULL(t, strchr(s, 'z'));
	EXPECT_TRUE(t, strchr(s, '\0') == s + 5);		/* the terminator is searchable */

	EXPECT_TRUE(t, str_has_prefix("loglevel=4", "loglevel"));
	EXPECT_TRUE(t, str_has_prefix("abc", ""));
	EXPECT_TRUE(t, str_has_prefix("abc", "abc"));
	EXPECT_FALSE(t, str_has_prefix("ab", "abc"));
	EXPECT_FALSE(t, str_has_prefix("abc", "b"));
}

static void strlcpy_truncates(struct ktest *t)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(t, strlcpy(buf, "abc", sizeof(buf)), 3);
	EXPECT_STREQ(t, buf, "abc");

	EXPECT_EQ(t, strlcpy(buf, "0123456789", sizeof(buf)), 10);	/* the source length */
	EXPECT_STREQ(t, buf, "0123456");

	EXPECT_EQ(t, strlcpy(buf, "1234567", sizeof(buf)), 7);		/* exactly fits */
	EXPECT_STREQ(t, buf, "1234567");

	EXPECT_EQ(t, strlcpy(buf, "abc", 1), 3);
	EXPECT_STREQ(t, buf, "");

	buf[0] = 'q';
	EXPECT_EQ(t, strlcpy(buf, "abc", 0), 3);		/* size 0 writes nothing */
	EXPECT_EQ(t, buf[0], 'q');
}

static void kstrtoul_bases(struct ktest *t)
{
	unsigned long v;

	EXPECT_EQ(t, kstrtoul("0", 10, &v), 0);
	EXPECT_EQ(t, v, 0);
	EXPECT_EQ(t, kstrtoul("12345", 10, &v), 0);
	EXPECT_EQ(t, v, 12345);
	EXPECT_EQ(t, kstrtoul("777", 8, &v), 0);
	EXPECT_EQ(t, v, 0777);
	EXPECT_EQ(t, kstrtoul("ff", 16, &v), 0);
	EXPECT_EQ(t, v, 0xff);
	EXPECT_EQ(t, kstrtoul("0xFf", 16, &v), 0);		/* base 16 allows the prefix */
	EXPECT_EQ(t, v, 0xff);
	EXPECT_EQ(t, kstrtoul("DeadBeef", 16, &v), 0);
	EXPECT_EQ(t, v, 0xdeadbeef);
	/* base 0 picks the base from the prefix, as C's strtoul does */
	EXPECT_EQ(t, kstrtoul("0x1F", 0, &v), 0);
	EXPECT_EQ(t, v, 0x1f);
	EXPECT_EQ(t, kstrtoul("0X10", 0, &v), 0);
	EXPECT_EQ(t, v, 16);
	EXPECT_EQ(t, kstrtoul("017", 0, &v), 0);
	EXPECT_EQ(t, v, 017);
	EXPECT_EQ(t, kstrtoul("17", 0, &v), 0);
	EXPECT_EQ(t, v, 17);
	EXPECT_EQ(t, kstrtoul("0", 0, &v), 0);
	EXPECT_EQ(t, v, 0);
	EXPECT_EQ(t, kstrtoul("18446744073709551615", 10, &v), 0);	/* ULONG_MAX */
	EXPECT_EQ(t, v, ~0ul);
	EXPECT_EQ(t, kstrtoul("0xffffffffffffffff", 0, &v), 0);
	EXPECT_EQ(t, v, ~0ul);
}

static void kstrtoul_errors(struct ktest *t)
{
	unsigned long v = 42;

	EXPECT_EQ(t, kstrtoul("", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("", 0, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("12abc", 10, &v), -EINVAL);	/* trailing junk */
	EXPECT_EQ(t, kstrtoul("12 ", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul(" 12", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("-1", 10, &v), -EINVAL);		/* unsigned */
	EXPECT_EQ(t, kstrtoul("8", 8, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("08", 0, &v), -EINVAL);		/* octal by its prefix */
	EXPECT_EQ(t, kstrtoul("0x", 0, &v), -EINVAL);		/* a prefix without digits */
	EXPECT_EQ(t, kstrtoul("0x", 16, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("0xg", 0, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("a", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtoul("18446744073709551616", 10, &v), -ERANGE);	/* ULONG_MAX + 1 */
	EXPECT_EQ(t, kstrtoul("0x10000000000000000", 0, &v), -ERANGE);
	EXPECT_EQ(t, kstrtoul("99999999999999999999999", 10, &v), -ERANGE);
	EXPECT_EQ(t, v, 42);				/* untouched on every error */
}

static void kstrtol_limits(struct ktest *t)
{
	long v = 42;

	EXPECT_EQ(t, kstrtol("-42", 10, &v), 0);
	EXPECT_EQ(t, v, -42);
	EXPECT_EQ(t, kstrtol("42", 10, &v), 0);
	EXPECT_EQ(t, v, 42);
	EXPECT_EQ(t, kstrtol("-0x10", 0, &v), 0);
	EXPECT_EQ(t, v, -16);
	EXPECT_EQ(t, kstrtol("-0", 10, &v), 0);
	EXPECT_EQ(t, v, 0);
	EXPECT_EQ(t, kstrtol("9223372036854775807", 10, &v), 0);
	EXPECT_EQ(t, v, __LONG_MAX__);
	EXPECT_EQ(t, kstrtol("-9223372036854775808", 10, &v), 0);
	EXPECT_EQ(t, v, LONG_MIN_);
	EXPECT_EQ(t, kstrtol("0x7fffffffffffffff", 0, &v), 0);
	EXPECT_EQ(t, v, __LONG_MAX__);

	v = 42;
	EXPECT_EQ(t, kstrtol("9223372036854775808", 10, &v), -ERANGE);	/* LONG_MAX + 1 */
	EXPECT_EQ(t, kstrtol("-9223372036854775809", 10, &v), -ERANGE);	/* LONG_MIN - 1 */
	EXPECT_EQ(t, kstrtol("18446744073709551615", 10, &v), -ERANGE);
	EXPECT_EQ(t, kstrtol("-", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtol("", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtol("--1", 10, &v), -EINVAL);
	EXPECT_EQ(t, kstrtol("-1x", 10, &v), -EINVAL);
	EXPECT_EQ(t, v, 42);
}

static void glob_match_patterns(struct ktest *t)
{
	EXPECT_TRUE(t, glob_match("", ""));
	EXPECT_FALSE(t, glob_match("", "a"));
	EXPECT_TRUE(t, glob_match("abc", "abc"));
	EXPECT_FALSE(t, glob_match("abc", "ab"));
	EXPECT_FALSE(t, glob_match("ab", "abc"));
	EXPECT_TRUE(t, glob_match("*", ""));
	EXPECT_TRUE(t, glob_match("*", "anything"));
	EXPECT_TRUE(t, glob_match("**", ""));
	EXPECT_TRUE(t, glob_match("?", "a"));
	EXPECT_FALSE(t, glob_match("?", ""));
	EXPECT_FALSE(t, glob_match("?", "ab"));
	EXPECT_TRUE(t, glob_match("a?c", "abc"));
	EXPECT_TRUE(t, glob_match("*.c", "test_string.c"));
	EXPECT_TRUE(t, glob_match("*.c", ".c"));
	EXPECT_FALSE(t, glob_match("*.c", "test.h"));
	EXPECT_FALSE(t, glob_match("*.c", "test.cc"));
	/* cases where the first place a '*' could end is the wrong one */
	EXPECT_TRUE(t, glob_match("a*b*c", "axxbyyc"));
	EXPECT_TRUE(t, glob_match("a*b*c", "abbbcbc"));
	EXPECT_FALSE(t, glob_match("a*b*c", "axxbyy"));
	EXPECT_TRUE(t, glob_match("*ab", "aab"));
	EXPECT_TRUE(t, glob_match("a*a", "aaa"));
	EXPECT_FALSE(t, glob_match("a*a", "ab"));
	EXPECT_TRUE(t, glob_match("*a*b", "xaybzb"));
	EXPECT_TRUE(t, glob_match("*?", "x"));
	EXPECT_FALSE(t, glob_match("*?", ""));
	EXPECT_TRUE(t, glob_match("percpu.*", "percpu.this_cpu_ops"));
	EXPECT_FALSE(t, glob_match("percpu.*", "percpu"));
}

static struct ktest_case string_cases[] = {
	KTEST_CASE(mem_copy_and_set),
	KTEST_CASE(memmove_overlap),
	KTEST_CASE(mem_compare_and_search),
	KTEST_CASE(str_length_and_compare),
	KTEST_CASE(str_search),
	KTEST_CASE(strlcpy_truncates),
	KTEST_CASE(kstrtoul_bases),
	KTEST_CASE(kstrtoul_errors),
	KTEST_CASE(kstrtol_limits),
	KTEST_CASE(glob_match_patterns),
	{},
};
KTEST_SUITE(string, string_cases);
