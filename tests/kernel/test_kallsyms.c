/*
 * kernel/kallsyms.c over the table tools/gen_ksyms.py embeds: lookups at
 * the edges of functions, name round trips, and the table's own shape
 * (sorted, no two symbols overlapping), including NASM labels, which
 * carry no size of their own.
 */
#include <kernel/ktest.h>
#include <kernel/kallsyms.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/bug.h>

/* Entry points written in NASM (arch/x86_64/entry.asm, lib/setjmp.asm). */
extern char x86_entry_common[];

/* A function of this file, so that a static symbol is looked up too. */
static noinline int kallsyms_probe_fn(int x)
{
	barrier();
	return x * 3 + 1;
}

/* Check the symbol containing fn at its first, middle and last byte, and one past it. */
static void check_function(struct ktest *t, const char *want, const void *fn)
{
	unsigned long addr = (unsigned long)fn, size = 0, off = 1, size2, off2;
	const char *name = kallsyms_lookup(addr, &size, &off);

	if (!name) {
		ktest_fail(t, __FILE__, __LINE__, "%s at %#lx: not in the table", want, addr);
		return;
	}
	EXPECT_STREQ(t, name, want);
	EXPECT_EQ(t, off, 0);
	EXPECT_GT(t, size, 0);
	EXPECT_TRUE(t, kallsyms_lookup(addr + size / 2, NULL, &off2) == name);
	EXPECT_EQ(t, off2, size / 2);
	EXPECT_TRUE(t, kallsyms_lookup(addr + size - 1, &size2, &off2) == name);
	EXPECT_EQ(t, off2, size - 1);
	EXPECT_EQ(t, size2, size);
	/* one past the end: the next symbol starting exactly there, or none */
	name = kallsyms_lookup(addr + size, NULL, &off2);
	if (name) {
		EXPECT_EQ(t, off2, 0);
		EXPECT_TRUE(t, strcmp(name, want) != 0);
	}
	/* a NULL size or offset pointer is allowed */
	EXPECT_NOT_NULL(t, kallsyms_lookup(addr, NULL, NULL));
}

static void lookup_functions(struct ktest *t)
{
	check_function(t, "vsnprintf", vsnprintf);
	check_function(t, "kallsyms_lookup", kallsyms_lookup);
	check_function(t, "printk", printk);
	check_function(t, "memcpy", memcpy);
	check_function(t, "panic", panic);
	check_function(t, "kallsyms_probe_fn", kallsyms_probe_fn);
	EXPECT_EQ(t, kallsyms_probe_fn(1), 4);
}

static void lookup_outside_the_image(struct ktest *t)
{
	unsigned long size = 7, off = 7;

	EXPECT_NULL(t, kallsyms_lookup(0, &size, &off));
	EXPECT_NULL(t, kallsyms_lookup(0x100000, &size, &off));
	EXPECT_NULL(t, kallsyms_lookup(~0ul, &size, &off));
	EXPECT_EQ(t, size, 7);			/* untouched when nothing is found */
	EXPECT_EQ(t, off, 7);
}

static void lookup_name_round_trips(struct ktest *t)
{
	static const struct { const char *name; const void *addr; } syms[] = {
		{ "vsnprintf", vsnprintf },
		{ "kallsyms_lookup_name", kallsyms_lookup_name },
		{ "printk", printk },
		{ "strlcpy", strlcpy },
		{ "kallsyms_probe_fn", kallsyms_probe_fn },
		{ "setjmp", setjmp },
	};

	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		unsigned long addr = kallsyms_lookup_name(syms[i].name), off = 1;
		const char *name;

		EXPECT_EQ(t, addr, (unsigned long)syms[i].addr);
		name = kallsyms_lookup(addr, NULL, &off);
		EXPECT_STREQ(t, name, syms[i].name);
		EXPECT_EQ(t, off, 0);
	}
	EXPECT_EQ(t, kallsyms_lookup_name("no_such_symbol_ktest"), 0);
	EXPECT_EQ(t, kallsyms_lookup_name(""), 0);
	EXPECT_EQ(t, kallsyms_lookup_name("vsnprint"), 0);	/* whole names only */
}

static void nasm_entry_points(struct ktest *t)
{
	static const struct { const char *name; const void *addr; } syms[] = {
		{ "setjmp", setjmp },
		{ "longjmp", longjmp },
		{ "x86_entry_common", x86_entry_common },
	};

	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		unsigned long size = 0, off = 1;
		const char *name = kallsyms_lookup((unsigned long)syms[i].addr, &size, &off);

		EXPECT_EQ(t, kallsyms_lookup_name(syms[i].name), (unsigned long)syms[i].addr);
		EXPECT_STREQ(t, name, syms[i].name);
		EXPECT_EQ(t, off, 0);
		/* no size in the object file: gen_ksyms.py gives it one */
		EXPECT_GT(t, size, 0);
	}
}

struct walk {
	struct ktest *t;
	unsigned long count, prev_addr, prev_end;
	const char *prev_name;
	unsigned long bad;		/* failures reported, to keep the log short */
};

static int check_symbol(void *data, const char *name, unsigned long addr)
{
	struct walk *w = data;
	unsigned long size = 0, off = 1;
	const char *found = kallsyms_lookup(addr, &size, &off);
	bool ok = true;

	if (w->count && addr <= w->prev_addr) {
		ktest_fail(w->t, __FILE__, __LINE__, "not sorted: %s at %#lx after %s at %#lx",
			   name, addr, w->prev_name, w->prev_addr);
		ok = false;
	}
	if (w->count && addr < w->prev_end) {
		ktest_fail(w->t, __FILE__, __LINE__, "%s at %#lx starts inside %s (ends %#lx)",
			   name, addr, w->prev_name, w->prev_end);
		ok = false;
	}
	if (found != name || off != 0 || !size) {
		ktest_fail(w->t, __FILE__, __LINE__, "%s at %#lx: lookup gives %s+%#lx/%#lx",
			   name, addr, found ? found : "(none)", off, size);
		ok = false;
	}
	if (!*name) {
		ktest_fail(w->t, __FILE__, __LINE__, "empty name at %#lx", addr);
		ok = false;
	}
	w->count++;
	w->prev_addr = addr;
	w->prev_end = addr + size;
	w->prev_name = name;
	w->bad += !ok;
	return w->bad >= 5;		/* stop after a few reports */
}

static void table_sorted_without_overlaps(struct ktest *t)
{
	struct walk w = { .t = t };

	kallsyms_on_each_symbol(check_symbol, &w);
	EXPECT_EQ(t, w.bad, 0);
	EXPECT_EQ(t, w.count, kallsyms_count());
	EXPECT_GT(t, kallsyms_count(), 100);
	/* every symbol is in the higher half: gen_ksyms.py drops the 32-bit boot code */
	EXPECT_GE(t, w.prev_addr, 0xffffffff80000000ul);
}

static int first_symbol(void *data, const char *name, unsigned long addr)
{
	*(unsigned long *)data = addr;
	return 1;
}

static int count_symbol(void *data, const char *name, unsigned long addr)
{
	(*(unsigned long *)data)++;
	return 0;
}

static void walk_stops_on_nonzero(struct ktest *t)
{
	unsigned long first = 0, n = 0;

	EXPECT_EQ(t, kallsyms_on_each_symbol(first_symbol, &first), 1);
	EXPECT_GE(t, first, 0xffffffff80000000ul);
	EXPECT_EQ(t, kallsyms_on_each_symbol(count_symbol, &n), 0);
	EXPECT_EQ(t, n, kallsyms_count());
}

static void sprint_symbol_formats(struct ktest *t)
{
	char buf[KSYM_NAME_LEN + 48], want[KSYM_NAME_LEN + 48];
	unsigned long size = 0;

	kallsyms_lookup((unsigned long)printk, &size, NULL);
	snprintf(want, sizeof(want), "printk+0x3/0x%lx", size);
	EXPECT_EQ(t, sprint_symbol(buf, sizeof(buf), (unsigned long)printk + 3), (int)strlen(want));
	EXPECT_STREQ(t, buf, want);
	EXPECT_EQ(t, sprint_symbol_name(buf, sizeof(buf), (unsigned long)printk + 3), 6);
	EXPECT_STREQ(t, buf, "printk");
	EXPECT_EQ(t, sprint_symbol(buf, sizeof(buf), 0x1234), 6);
	EXPECT_STREQ(t, buf, "0x1234");
	EXPECT_EQ(t, sprint_symbol_name(buf, sizeof(buf), 0x1234), 6);
	EXPECT_STREQ(t, buf, "0x1234");
	/* a small buffer truncates but still reports the full length */
	EXPECT_EQ(t, sprint_symbol_name(buf, 4, (unsigned long)printk), 6);
	EXPECT_STREQ(t, buf, "pri");
}

static struct ktest_case kallsyms_cases[] = {
	KTEST_CASE(lookup_functions),
	KTEST_CASE(lookup_outside_the_image),
	KTEST_CASE(lookup_name_round_trips),
	KTEST_CASE(nasm_entry_points),
	KTEST_CASE(table_sorted_without_overlaps),
	KTEST_CASE(walk_stops_on_nonzero),
	KTEST_CASE(sprint_symbol_formats),
	{},
};
KTEST_SUITE(kallsyms, kallsyms_cases);
