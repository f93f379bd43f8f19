/*
 * Multiboot2 boot information (Multiboot2 specification 1.0, 3.6): a
 * total size, then 8-byte aligned tags, each with a type and a size,
 * ending with a type-0 tag. Each tag is checked against the total size
 * before it is read; unknown tags are skipped, as the spec requires.
 */
#define pr_fmt(fmt) "multiboot2: " fmt
#include <kernel/bootinfo.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/errno.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_EFI32		11	/* the EFI system table: booted through UEFI */
#define MB2_TAG_EFI64		12
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_MAX_SIZE		(1u << 20)	/* far more than any loader gives */

struct boot_info boot_info;

struct mb2_tag {
	u32 type;
	u32 size;
};

static void copy_string(char *dst, size_t size, const struct mb2_tag *tag, size_t offset)
{
	size_t max = tag->size > offset ? tag->size - offset : 0;
	size_t n = strnlen((const char *)tag + offset, max);

	if (n >= size)
		n = size - 1;
	memcpy(dst, (const char *)tag + offset, n);
	dst[n] = '\0';
}

static int parse_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const u8 *p = (const u8 *)tag;
	u32 entry_size;

	if (tag->size < 16)
		return -EINVAL;
	entry_size = *(const u32 *)(p + 8);
	if (entry_size < 24 || entry_size % 8)
		return -EINVAL;
	/* "entry_size <= size - off", not "off + entry_size <= size": that sum can wrap */
	for (u32 off = 16; entry_size <= tag->size - off; off += entry_size) {
		const u8 *e = p + off;
		struct memmap_entry *m;

		if (bi->nr_memmap == MEMMAP_MAX) {
			pr_warn("more than %d memory map entries; the rest ignored\n", MEMMAP_MAX);
			break;
		}
		m = &bi->memmap[bi->nr_memmap++];
		m->base = *(const u64 *)e;
		m->len = *(const u64 *)(e + 8);
		m->type = *(const u32 *)(e + 16);
		if (m->type < MEMMAP_USABLE || m->type > MEMMAP_BAD)
			m->type = MEMMAP_RESERVED;
	}
	return 0;
}

static void parse_framebuffer(const struct mb2_tag *tag, struct boot_info *bi)
{
	const u8 *p = (const u8 *)tag;
	struct boot_framebuffer *fb = &bi->fb;

	if (tag->size < 31)
		return;
	fb->addr = *(const u64 *)(p + 8);
	fb->pitch = *(const u32 *)(p + 16);
	fb->width = *(const u32 *)(p + 20);
	fb->height = *(const u32 *)(p + 24);
	fb->bpp = p[28];
	fb->type = p[29];
	if (fb->type == 1 && tag->size >= 38) {
		fb->red_pos = p[32];
		fb->red_size = p[33];
		fb->green_pos = p[34];
		fb->green_size = p[35];
		fb->blue_pos = p[36];
		fb->blue_size = p[37];
	}
	bi->has_framebuffer = true;
}

int multiboot2_parse(const void *mbi, struct boot_info *bi)
{
	u32 total = *(const u32 *)mbi;
	u32 off = 8;

	if (total < 16 || total > MB2_MAX_SIZE)
		return -EINVAL;
	bi->mbi_end = bi->mbi_start + total;
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *tag = (const struct mb2_tag *)((const u8 *)mbi + off);

		/*
		 * off <= total - 8 here, so "size > total - off" cannot wrap
		 * around in 32 bits as "off + size > total" would for a size
		 * near 4 GiB (which then also aligned up to 0: a loop forever).
		 */
		if (tag->size < 8 || tag->size > total - off)
			return -EINVAL;
		switch (tag->type) {
		case MB2_TAG_END:
			return 0;
		case MB2_TAG_CMDLINE:
			copy_string(bi->cmdline, sizeof(bi->cmdline), tag, 8);
			break;
		case MB2_TAG_LOADER_NAME:
			copy_string(bi->loader_name, sizeof(bi->loader_name), tag, 8);
			break;
		case MB2_TAG_MODULE:
			if (tag->size < 16)
				return -EINVAL;
			if (bi->nr_modules < BOOT_MODULES_MAX) {
				struct boot_module *m = &bi->modules[bi->nr_modules++];
				m->start = ((const u32 *)tag)[2];
				m->end = ((const u32 *)tag)[3];
				copy_string(m->cmdline, sizeof(m->cmdline), tag, 16);
			}
			break;
		case MB2_TAG_BASIC_MEMINFO:
			if (tag->size >= 16) {
				bi->mem_lower_kb = ((const u32 *)tag)[2];
				bi->mem_upper_kb = ((const u32 *)tag)[3];
			}
			break;
		case MB2_TAG_MMAP:
			if (parse_mmap(tag, bi))
				return -EINVAL;
			break;
		case MB2_TAG_FRAMEBUFFER:
			parse_framebuffer(tag, bi);
			break;
		case MB2_TAG_EFI32:
		case MB2_TAG_EFI64:
			if (tag->size < (tag->type == MB2_TAG_EFI64 ? 16u : 12u))
				return -EINVAL;
			bi->efi_bits = tag->type == MB2_TAG_EFI64 ? 64 : 32;
			bi->efi_systab = tag->type == MB2_TAG_EFI64 ? *(const u64 *)((const u8 *)tag + 8) :
					 *(const u32 *)((const u8 *)tag + 8);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			int version = tag->type == MB2_TAG_ACPI_NEW ? 2 : 1;
			size_t len = min((size_t)tag->size - 8, sizeof(bi->rsdp));
			/* prefer the ACPI 2.0+ copy when the loader gives both */
			if (version >= bi->rsdp_version) {
				memcpy(bi->rsdp, (const u8 *)tag + 8, len);
				bi->rsdp_version = version;
			}
			break;
		}
		default:
			bi->unknown_tags++;
			break;
		}
		off += ALIGN_UP(tag->size, 8);
	}
	return -EINVAL;		/* no end tag */
}
