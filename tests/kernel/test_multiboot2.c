/*
 * arch/x86_64/multiboot2.c: multiboot2_parse() on information structures
 * built here (Multiboot2 specification 1.0, 3.6), well-formed and not,
 * parsed into this file's own struct boot_info; then the real one the
 * loader gave at boot.
 */
#include <kernel/ktest.h>
#include <kernel/bootinfo.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <asm/page.h>

#define MB2_MAGIC	0x36d76289	/* in EAX at entry (spec 3.2) */
#define BUF_SIZE	8192

static u64 mbi_buf[BUF_SIZE / 8];	/* the spec requires 8-byte alignment */
static struct boot_info bi;		/* never the global boot_info */

/* Build an information structure: tags appended at 8-byte boundaries. */
struct mbi_builder {
	u8 *p;
	u32 off;
};

static void mbi_begin(struct mbi_builder *b)
{
	memset(mbi_buf, 0, sizeof(mbi_buf));
	b->p = (u8 *)mbi_buf;
	b->off = 8;			/* after total_size and reserved */
}

static u8 *mbi_tag(struct mbi_builder *b, u32 type, u32 size)
{
	u8 *tag = b->p + b->off;

	((u32 *)tag)[0] = type;
	((u32 *)tag)[1] = size;
	b->off += ALIGN_UP(size, 8);
	return tag;
}

static void mbi_string(struct mbi_builder *b, u32 type, const char *s)
{
	u8 *tag = mbi_tag(b, type, 8 + strlen(s) + 1);

	memcpy(tag + 8, s, strlen(s) + 1);
}

static void mbi_set_total(struct mbi_builder *b, u32 total)
{
	((u32 *)b->p)[0] = total;
}

/* The end tag, and total_size covering everything so far. */
static void mbi_end(struct mbi_builder *b)
{
	mbi_tag(b, 0, 8);
	mbi_set_total(b, b->off);
}

static void mbi_mmap(struct mbi_builder *b, const struct memmap_entry *e, int n, u32 entry_size)
{
	u8 *tag = mbi_tag(b, 6, 16 + n * entry_size);

	((u32 *)tag)[2] = entry_size;
	((u32 *)tag)[3] = 0;		/* entry_version */
	for (int i = 0; i < n; i++) {
		u8 *ent = tag + 16 + i * entry_size;

		*(u64 *)ent = e[i].base;
		*(u64 *)(ent + 8) = e[i].len;
		*(u32 *)(ent + 16) = e[i].type;
	}
}

static void mbi_acpi(struct mbi_builder *b, bool new, const char *oem)
{
	u32 len = new ? 36 : 20;
	u8 *tag = mbi_tag(b, new ? 15 : 14, 8 + len);

	memcpy(tag + 8, "RSD PTR ", 8);
	memcpy(tag + 8 + 9, oem, 6);
	tag[8 + 15] = new ? 2 : 0;	/* revision */
	if (new)
		tag[8 + 35] = 0xa5;	/* last byte of the 36 */
}

static int parse(void)
{
	memset(&bi, 0, sizeof(bi));
	bi.mbi_start = 0x10000;
	return multiboot2_parse(mbi_buf, &bi);
}

static const struct memmap_entry test_map[] = {
	{ 0x0, 0x9fc00, MEMMAP_USABLE },
	{ 0x9fc00, 0x400, MEMMAP_RESERVED },
	{ 0x100000, 0x1fee0000, MEMMAP_USABLE },
	{ 0x1ffe0000, 0x10000, MEMMAP_ACPI_RECLAIMABLE },
	{ 0x1fff0000, 0x10000, MEMMAP_ACPI_NVS },
	{ 0x20000000, 0x1000, MEMMAP_BAD },
	{ 0xfffc0000, 0x40000, 7 },		/* a type this parser does not know */
};

/* Every tag the kernel reads, plus two it does not, in one structure. */
static void build_full(struct mbi_builder *b, bool acpi_new_first)
{
	u8 *tag;

	mbi_begin(b);
	mbi_string(b, 1, "root=/dev/sda1 ktest.x=\"a b\"");
	mbi_string(b, 2, "GRUB 2.06-ktest");
	tag = mbi_tag(b, 4, 16);
	((u32 *)tag)[2] = 639;
	((u32 *)tag)[3] = 523136;
	mbi_tag(b, 21, 12);			/* load base address: not used, skipped */
	mbi_mmap(b, test_map, ARRAY_SIZE(test_map), 24);
	tag = mbi_tag(b, 3, 16 + 11);
	((u32 *)tag)[2] = 0x400000;
	((u32 *)tag)[3] = 0x401234;
	memcpy(tag + 16, "initrd arg", 11);
	tag = mbi_tag(b, 8, 38);
	*(u64 *)(tag + 8) = 0xfd000000;
	((u32 *)tag)[4] = 4096;			/* pitch */
	((u32 *)tag)[5] = 1024;			/* width */
	((u32 *)tag)[6] = 768;			/* height */
	tag[28] = 32;				/* bpp */
	tag[29] = 1;				/* RGB */
	tag[32] = 16, tag[33] = 8;		/* red position, size */
	tag[34] = 8, tag[35] = 8;
	tag[36] = 0, tag[37] = 8;
	mbi_tag(b, 0x1234, 24);			/* a type from the future */
	mbi_acpi(b, acpi_new_first, acpi_new_first ? "NEWOEM" : "OLDOEM");
	mbi_acpi(b, !acpi_new_first, acpi_new_first ? "OLDOEM" : "NEWOEM");
	mbi_end(b);
}

static void full_structure_parsed(struct ktest *t)
{
	struct mbi_builder b;

	build_full(&b, false);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.mbi_end, 0x10000 + b.off);
	EXPECT_STREQ(t, bi.cmdline, "root=/dev/sda1 ktest.x=\"a b\"");
	EXPECT_STREQ(t, bi.loader_name, "GRUB 2.06-ktest");
	EXPECT_EQ(t, bi.mem_lower_kb, 639);
	EXPECT_EQ(t, bi.mem_upper_kb, 523136);

	ASSERT_EQ(t, bi.nr_memmap, (int)ARRAY_SIZE(test_map));
	for (size_t i = 0; i < ARRAY_SIZE(test_map); i++) {
		EXPECT_EQ(t, bi.memmap[i].base, test_map[i].base);
		EXPECT_EQ(t, bi.memmap[i].len, test_map[i].len);
		if (i < ARRAY_SIZE(test_map) - 1)
			EXPECT_EQ(t, bi.memmap[i].type, test_map[i].type);
	}
	EXPECT_EQ(t, bi.memmap[6].type, MEMMAP_RESERVED);	/* unknown types are reserved */

	ASSERT_EQ(t, bi.nr_modules, 1);
	EXPECT_EQ(t, bi.modules[0].start, 0x400000);
	EXPECT_EQ(t, bi.modules[0].end, 0x401234);
	EXPECT_STREQ(t, bi.modules[0].cmdline, "initrd arg");

	ASSERT_TRUE(t, bi.has_framebuffer);
	EXPECT_EQ(t, bi.fb.addr, 0xfd000000);
	EXPECT_EQ(t, bi.fb.pitch, 4096);
	EXPECT_EQ(t, bi.fb.width, 1024);
	EXPECT_EQ(t, bi.fb.height, 768);
	EXPECT_EQ(t, bi.fb.bpp, 32);
	EXPECT_EQ(t, bi.fb.type, 1);
	EXPECT_EQ(t, bi.fb.red_pos, 16);
	EXPECT_EQ(t, bi.fb.red_size, 8);
	EXPECT_EQ(t, bi.fb.green_pos, 8);
	EXPECT_EQ(t, bi.fb.green_size, 8);
	EXPECT_EQ(t, bi.fb.blue_pos, 0);
	EXPECT_EQ(t, bi.fb.blue_size, 8);

	EXPECT_EQ(t, bi.rsdp_version, 2);
	EXPECT_EQ(t, memcmp(bi.rsdp, "RSD PTR ", 8), 0);
	EXPECT_EQ(t, memcmp(bi.rsdp + 9, "NEWOEM", 6), 0);
	EXPECT_EQ(t, bi.rsdp[35], 0xa5);
	EXPECT_EQ(t, bi.unknown_tags, 2);
}

static void acpi_new_rsdp_preferred(struct ktest *t)
{
	struct mbi_builder b;

	build_full(&b, true);			/* new first, then old */
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.rsdp_version, 2);
	EXPECT_EQ(t, memcmp(bi.rsdp + 9, "NEWOEM", 6), 0);
	EXPECT_EQ(t, bi.rsdp[35], 0xa5);

	mbi_begin(&b);				/* only the old one */
	mbi_acpi(&b, false, "OLDOEM");
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.rsdp_version, 1);
	EXPECT_EQ(t, memcmp(bi.rsdp + 9, "OLDOEM", 6), 0);
}

static void minimal_structure(struct ktest *t)
{
	struct mbi_builder b;

	mbi_begin(&b);
	mbi_end(&b);
	EXPECT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.nr_memmap, 0);
	EXPECT_EQ(t, bi.cmdline[0], '\0');
	EXPECT_FALSE(t, bi.has_framebuffer);
	EXPECT_EQ(t, bi.rsdp_version, 0);
	EXPECT_EQ(t, bi.mbi_end, 0x10000 + 16);
}

static void bad_total_size(struct ktest *t)
{
	struct mbi_builder b;

	mbi_begin(&b);
	mbi_end(&b);
	mbi_set_total(&b, 8);			/* no room for any tag */
	EXPECT_EQ(t, parse(), -EINVAL);
	mbi_set_total(&b, 0);
	EXPECT_EQ(t, parse(), -EINVAL);
	mbi_set_total(&b, 15);
	EXPECT_EQ(t, parse(), -EINVAL);
	mbi_set_total(&b, (1u << 20) + 8);	/* over 1 MiB: refused before reading on */
	EXPECT_EQ(t, parse(), -EINVAL);
	mbi_set_total(&b, ~0u);
	EXPECT_EQ(t, parse(), -EINVAL);
}

static void tag_past_total_size(struct ktest *t)
{
	struct mbi_builder b;
	u8 *tag;

	mbi_begin(&b);
	mbi_string(&b, 1, "a command line");	/* 23 bytes: runs past a total of 24 */
	mbi_end(&b);
	mbi_set_total(&b, 24);
	EXPECT_EQ(t, parse(), -EINVAL);

	mbi_begin(&b);
	tag = mbi_tag(&b, 2, 8);
	((u32 *)tag)[1] = 4;			/* smaller than a tag header */
	mbi_end(&b);
	EXPECT_EQ(t, parse(), -EINVAL);

	/* sizes near 4 GiB, where offset + size wraps around in 32 bits */
	mbi_begin(&b);
	tag = mbi_tag(&b, 0x1234, 8);
	((u32 *)tag)[1] = 0xfffffffc;		/* would align up to 0: the same tag forever */
	mbi_end(&b);
	EXPECT_EQ(t, parse(), -EINVAL);

	mbi_begin(&b);
	tag = mbi_tag(&b, 1, 16);
	memcpy(tag + 8, "abc", 4);
	((u32 *)tag)[1] = 0xfffffff8;		/* would wrap back to offset 0 */
	mbi_end(&b);
	EXPECT_EQ(t, parse(), -EINVAL);
}

static void missing_end_tag(struct ktest *t)
{
	struct mbi_builder b;

	mbi_begin(&b);
	mbi_string(&b, 1, "no end");
	mbi_tag(&b, 0x1234, 16);
	mbi_set_total(&b, b.off);		/* tags up to the end, but no type 0 */
	EXPECT_EQ(t, parse(), -EINVAL);
	mbi_set_total(&b, b.off + 4);		/* four bytes left: not even a header */
	EXPECT_EQ(t, parse(), -EINVAL);
}

static void bad_memory_map(struct ktest *t)
{
	struct mbi_builder b;
	u8 *tag;

	mbi_begin(&b);
	mbi_mmap(&b, test_map, 2, 16);		/* entries smaller than the 24 the spec gives */
	mbi_end(&b);
	EXPECT_EQ(t, parse(), -EINVAL);

	mbi_begin(&b);
	tag = mbi_tag(&b, 6, 8);		/* no room for entry_size */
	mbi_end(&b);
	EXPECT_EQ(t, parse(), -EINVAL);

	/* an entry_size far larger than the tag: no entry may come from outside it */
	mbi_begin(&b);
	mbi_mmap(&b, test_map, 1, 24);
	tag = b.p + 8;
	((u32 *)tag)[2] = 0xfffffff8;
	mbi_end(&b);
	parse();
	EXPECT_EQ(t, bi.nr_memmap, 0);

	/* a larger entry_size (a later spec version) is stepped over */
	mbi_begin(&b);
	mbi_mmap(&b, test_map, 3, 32);
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	ASSERT_EQ(t, bi.nr_memmap, 3);
	EXPECT_EQ(t, bi.memmap[2].base, test_map[2].base);
	EXPECT_EQ(t, bi.memmap[2].len, test_map[2].len);
}

static void long_strings_truncated(struct ktest *t)
{
	static char s[1100];
	struct mbi_builder b;
	u8 *tag;

	memset(s, 'c', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	mbi_begin(&b);
	mbi_string(&b, 1, s);
	s[100] = '\0';
	mbi_string(&b, 2, s);
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, strlen(bi.cmdline), sizeof(bi.cmdline) - 1);
	EXPECT_EQ(t, bi.cmdline[sizeof(bi.cmdline) - 2], 'c');
	EXPECT_EQ(t, strlen(bi.loader_name), sizeof(bi.loader_name) - 1);

	/* a string without its NUL stops at the end of its tag */
	mbi_begin(&b);
	tag = mbi_tag(&b, 1, 12);
	memcpy(tag + 8, "abcdXXXX", 8);		/* the last four are padding, not string */
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_STREQ(t, bi.cmdline, "abcd");
}

static void memory_map_capped(struct ktest *t)
{
	static struct memmap_entry many[MEMMAP_MAX + 2];
	struct mbi_builder b;

	for (int i = 0; i < MEMMAP_MAX + 2; i++)
		many[i] = (struct memmap_entry){ 0x100000ull * i, 0x1000, MEMMAP_USABLE };
	mbi_begin(&b);
	mbi_mmap(&b, many, MEMMAP_MAX + 2, 24);
	mbi_end(&b);
	ASSERT_GE(t, BUF_SIZE, b.off);
	EXPECT_EQ(t, parse(), 0);		/* the rest is ignored, with a warning */
	EXPECT_EQ(t, bi.nr_memmap, MEMMAP_MAX);
	EXPECT_EQ(t, bi.memmap[MEMMAP_MAX - 1].base, 0x100000ull * (MEMMAP_MAX - 1));
}

static bool has_usable_range(const struct boot_info *info, u64 addr)
{
	for (int i = 0; i < info->nr_memmap; i++) {
		const struct memmap_entry *m = &info->memmap[i];

		if (m->type == MEMMAP_USABLE && m->base <= addr && addr - m->base < m->len)
			return true;
	}
	return false;
}

/* The EFI system table tags (11: 32-bit, 12: 64-bit) say the firmware is UEFI. */
static void efi_system_table_tags(struct ktest *t)
{
	struct mbi_builder b;
	u8 *tag;

	mbi_begin(&b);
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.efi_bits, 0);			/* a legacy BIOS */

	mbi_begin(&b);
	tag = mbi_tag(&b, 12, 16);
	*(u64 *)(tag + 8) = 0x1f9ee018ull;
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.efi_bits, 64);
	EXPECT_EQ(t, bi.efi_systab, 0x1f9ee018);

	mbi_begin(&b);
	tag = mbi_tag(&b, 11, 12);
	*(u32 *)(tag + 8) = 0x7f00c018;
	mbi_end(&b);
	ASSERT_EQ(t, parse(), 0);
	EXPECT_EQ(t, bi.efi_bits, 32);
	EXPECT_EQ(t, bi.efi_systab, 0x7f00c018);

	mbi_begin(&b);
	mbi_tag(&b, 12, 12);				/* too short for a 64-bit address */
	mbi_end(&b);
	EXPECT_EQ(t, parse(), -EINVAL);
}

/* The structure GRUB gave at boot: parsed, and parsed the same way again. */
static void real_boot_info(struct ktest *t)
{
	const struct boot_info *g = &boot_info;
	const char *p;
	bool grub = false;

	EXPECT_EQ(t, g->mbi_magic, MB2_MAGIC);
	EXPECT_LT(t, g->mbi_start, g->mbi_end);
	EXPECT_LE(t, g->mbi_end - g->mbi_start, 1u << 20);
	ASSERT_TRUE(t, g->nr_memmap > 0);
	EXPECT_TRUE(t, has_usable_range(g, KERNEL_PHYS_BASE));	/* where we run */
	EXPECT_TRUE(t, has_usable_range(g, 0x100000));
	for (p = g->loader_name; *p && !grub; p++)
		grub = !strncmp(p, "GRUB", 4);
	EXPECT_TRUE(t, grub);

	memset(&bi, 0, sizeof(bi));
	bi.mbi_start = g->mbi_start;
	ASSERT_EQ(t, multiboot2_parse(phys_to_virt(g->mbi_start), &bi), 0);
	EXPECT_EQ(t, bi.mbi_end, g->mbi_end);
	EXPECT_STREQ(t, bi.cmdline, g->cmdline);
	EXPECT_STREQ(t, bi.loader_name, g->loader_name);
	ASSERT_EQ(t, bi.nr_memmap, g->nr_memmap);
	EXPECT_EQ(t, memcmp(bi.memmap, g->memmap, g->nr_memmap * sizeof(bi.memmap[0])), 0);
	EXPECT_EQ(t, bi.rsdp_version, g->rsdp_version);
	EXPECT_EQ(t, bi.has_framebuffer, g->has_framebuffer);
	EXPECT_EQ(t, bi.efi_bits, g->efi_bits);
	EXPECT_EQ(t, bi.efi_systab, g->efi_systab);
	ktest_info(t, "firmware: %s", g->efi_bits ? "UEFI" : "legacy BIOS");
}

static struct ktest_case multiboot2_cases[] = {
	KTEST_CASE(full_structure_parsed),
	KTEST_CASE(acpi_new_rsdp_preferred),
	KTEST_CASE(minimal_structure),
	KTEST_CASE(bad_total_size),
	KTEST_CASE(tag_past_total_size),
	KTEST_CASE(missing_end_tag),
	KTEST_CASE(bad_memory_map),
	KTEST_CASE(long_strings_truncated),
	KTEST_CASE(memory_map_capped),
	KTEST_CASE(efi_system_table_tags),
	KTEST_CASE(real_boot_info),
	{},
};
KTEST_SUITE(multiboot2, multiboot2_cases);
