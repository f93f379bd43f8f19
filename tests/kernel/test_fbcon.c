/*
 * kernel/drivers/fbcon.c: the font, glyphs drawn into framebuffers of
 * several pixel formats (ordinary memory set up here, so these run on
 * every machine), scrolling and wrapping, and -- when the boot has a
 * graphics framebuffer (UEFI) -- printk's text read back from the real
 * screen's pixels and the screen's write-combining mapping.
 */
#include <kernel/ktest.h>
#include <kernel/fbcon.h>
#include <kernel/font.h>
#include <kernel/slab.h>
#include <kernel/errno.h>
#include <kernel/timer.h>
#include <kernel/string.h>
#include <asm/pgtable.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>

#define SENTINEL	0x5a		/* bytes fbcon must not touch */

/* A framebuffer in RAM: cols x rows cells, each line padded with pad sentinel bytes. */
struct fake_fb {
	u8 *mem;
	size_t size;
	struct boot_framebuffer fmt;
};

static void fake_fb_alloc(struct ktest *t, struct fake_fb *f, u32 cols, u32 rows, u8 bpp,
			  u32 pad)
{
	u32 bytes_pp = (bpp + 7) / 8;

	f->fmt = (struct boot_framebuffer){
		.width = cols * FONT_WIDTH, .height = rows * FONT_HEIGHT, .bpp = bpp, .type = 1,
		.pitch = cols * FONT_WIDTH * bytes_pp + pad,
	};
	if (bpp == 16) {		/* RGB 5:6:5 */
		f->fmt.red_pos = 11, f->fmt.red_size = 5;
		f->fmt.green_pos = 5, f->fmt.green_size = 6;
		f->fmt.blue_pos = 0, f->fmt.blue_size = 5;
	} else {			/* x:R:G:B, as GOP's blue-green-red-reserved */
		f->fmt.red_pos = 16, f->fmt.red_size = 8;
		f->fmt.green_pos = 8, f->fmt.green_size = 8;
		f->fmt.blue_pos = 0, f->fmt.blue_size = 8;
	}
	f->size = (size_t)f->fmt.pitch * f->fmt.height;
	f->mem = kmalloc(f->size, GFP_KERNEL);
	ASSERT_NOT_NULL(t, f->mem);
	memset(f->mem, SENTINEL, f->size);
}

/* Whether the padding after every line still holds the sentinel. */
static bool padding_untouched(const struct fake_fb *f)
{
	u32 used = f->fmt.width * ((f->fmt.bpp + 7) / 8);

	for (u32 y = 0; y < f->fmt.height; y++) {
		for (u32 x = used; x < f->fmt.pitch; x++) {
			if (f->mem[(size_t)y * f->fmt.pitch + x] != SENTINEL)
				return false;
		}
	}
	return true;
}

/* Every pixel of cell (col, row) is the glyph of c in fg on bg (rows from first_row on). */
static bool cell_is(const struct fbcon *fc, u32 col, u32 row, char c, u32 first_row)
{
	const u8 *g = font_glyph(c);

	for (u32 y = first_row; y < FONT_HEIGHT; y++) {
		for (u32 x = 0; x < FONT_WIDTH; x++) {
			u32 want = g[y] & (0x80 >> x) ? fc->fg : fc->bg;

			if (fbcon_read_pixel(fc, col * FONT_WIDTH + x, row * FONT_HEIGHT + y) != want)
				return false;
		}
	}
	return true;
}

/* Row row of the text read back from the pixels, into buf (cols + 1 bytes); '#' for no glyph. */
static void read_row(const struct fbcon *fc, u32 row, char *buf)
{
	for (u32 col = 0; col < fc->cols; col++) {
		int c = fbcon_read_cell(fc, col, row);

		buf[col] = c < 0 ? '#' : (char)c;
	}
	buf[fc->cols] = '\0';
}

static void font_is_complete(struct ktest *t)
{
	int blank = 0;

	for (int a = 0; a < FONT_COUNT; a++) {
		const u8 *g = font_8x16[a];
		int lit = 0;

		/* rows 0-1 and 14-15 stay blank: line spacing and the cursor's place */
		EXPECT_EQ(t, g[0] | g[1] | g[14] | g[15], 0);
		for (int y = 0; y < FONT_HEIGHT; y++)
			lit += g[y] != 0;
		blank += !lit;
		if (!lit)
			EXPECT_EQ(t, a + FONT_FIRST, ' ');
		/* no two characters look alike, or text could not be read back */
		for (int b = a + 1; b < FONT_COUNT; b++) {
			if (!memcmp(g, font_8x16[b], FONT_HEIGHT))
				ktest_fail(t, __FILE__, __LINE__, "'%c' and '%c' have the same glyph",
					   a + FONT_FIRST, b + FONT_FIRST);
		}
	}
	EXPECT_EQ(t, blank, 1);
	/* characters outside the font are shown as '?' */
	EXPECT_EQ(t, font_glyph('\x01'), font_glyph('?'));
	EXPECT_EQ(t, font_glyph(0xe9), font_glyph('?'));
}

static void draws_glyph_32bpp(struct ktest *t)
{
	struct fake_fb f;
	struct fbcon fc;

	fake_fb_alloc(t, &f, 4, 2, 32, 12);
	ASSERT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), 0);
	EXPECT_EQ(t, fc.cols, 4);
	EXPECT_EQ(t, fc.rows, 2);
	EXPECT_EQ(t, fc.fg, 0x00aaaaaa);	/* light grey, x:R:G:B */
	EXPECT_EQ(t, fc.bg, 0);
	/* cleared, with the cursor in the first cell */
	EXPECT_TRUE(t, cell_is(&fc, 0, 0, ' ', 0) == false);
	EXPECT_TRUE(t, cell_is(&fc, 1, 0, ' ', 0));
	EXPECT_TRUE(t, cell_is(&fc, 3, 1, ' ', 0));
	fbcon_write_text(&fc, "A", 1);
	EXPECT_TRUE(t, cell_is(&fc, 0, 0, 'A', 0));
	/* by hand: row 3 of 'A' is ...#...., row 8 is #######. */
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 3, 3), 0x00aaaaaa);
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 2, 3), 0);
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 6, 8), 0x00aaaaaa);
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 7, 8), 0);
	/* the cursor moved on: an underline in rows 14-15 of the next cell */
	EXPECT_TRUE(t, cell_is(&fc, 1, 0, ' ', 0) == false);
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 8 + 0, 15), 0x00aaaaaa);
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 8 + 7, 14), 0x00aaaaaa);
	EXPECT_EQ(t, fbcon_read_pixel(&fc, 8 + 0, 13), 0);
	EXPECT_EQ(t, fbcon_read_cell(&fc, 0, 0), 'A');
	EXPECT_EQ(t, fbcon_read_cell(&fc, 1, 0), ' ');	/* the cursor rows are not read */
	EXPECT_TRUE(t, padding_untouched(&f));
	/* a pixel that is neither colour is no glyph */
	*(u32 *)f.mem = 0x00123456;
	EXPECT_EQ(t, fbcon_read_cell(&fc, 0, 0), -1);
	fbcon_release(&fc);
	kfree(f.mem);
}

static void draws_glyph_24bpp_and_16bpp(struct ktest *t)
{
	struct fake_fb f;
	struct fbcon fc;

	fake_fb_alloc(t, &f, 3, 1, 24, 5);	/* a pitch that is no multiple of 8 */
	ASSERT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), 0);
	fbcon_write_text(&fc, "Wq", 2);
	EXPECT_TRUE(t, cell_is(&fc, 0, 0, 'W', 0));
	EXPECT_TRUE(t, cell_is(&fc, 1, 0, 'q', 0));
	/* 'W' row 3 is ##...##.: bytes B, G, R of the first pixel */
	EXPECT_EQ(t, f.mem[3 * f.fmt.pitch + 0], 0xaa);
	EXPECT_EQ(t, f.mem[3 * f.fmt.pitch + 2], 0xaa);
	EXPECT_EQ(t, f.mem[3 * f.fmt.pitch + 3 * 2], 0);
	EXPECT_EQ(t, fbcon_read_cell(&fc, 1, 0), 'q');
	EXPECT_TRUE(t, padding_untouched(&f));
	fbcon_release(&fc);
	kfree(f.mem);

	fake_fb_alloc(t, &f, 2, 1, 16, 2);
	ASSERT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), 0);
	/* 0xaa in 5:6:5 is 21, 42, 21 */
	EXPECT_EQ(t, fc.fg, 21u << 11 | 42u << 5 | 21u);
	fbcon_write_text(&fc, "~", 1);
	EXPECT_TRUE(t, cell_is(&fc, 0, 0, '~', 0));
	EXPECT_EQ(t, fbcon_read_cell(&fc, 0, 0), '~');
	EXPECT_TRUE(t, padding_untouched(&f));
	fbcon_release(&fc);
	kfree(f.mem);
}

static void pixel_formats(struct ktest *t)
{
	struct fake_fb f;
	struct fbcon fc;

	fake_fb_alloc(t, &f, 1, 1, 32, 0);
	f.fmt.red_pos = 0, f.fmt.blue_pos = 16;		/* R:G:B:x in memory */
	ASSERT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), 0);
	EXPECT_EQ(t, fbcon_pixel(&fc, 0xff, 0, 0), 0xff);
	EXPECT_EQ(t, fbcon_pixel(&fc, 0, 0, 0xff), 0xff0000);
	EXPECT_EQ(t, fbcon_pixel(&fc, 0, 0x80, 0), 0x8000);
	fbcon_release(&fc);

	/* what fbcon cannot draw on */
	f.fmt.type = 0;					/* indexed colour */
	EXPECT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), -EINVAL);
	f.fmt.type = 2;					/* EGA text: vgacon's */
	EXPECT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), -EINVAL);
	f.fmt.type = 1;
	f.fmt.pitch = f.fmt.width * 4 - 1;		/* lines overlap */
	EXPECT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), -EINVAL);
	f.fmt.pitch = f.fmt.width * 4;
	f.fmt.height = FONT_HEIGHT - 1;			/* not one cell high */
	EXPECT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), -EINVAL);
	f.fmt.height = FONT_HEIGHT;
	f.fmt.red_pos = 30;				/* red past the pixel */
	EXPECT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), -EINVAL);
	kfree(f.mem);
}

static void scrolls_and_wraps(struct ktest *t)
{
	struct fake_fb f;
	struct fbcon fc;
	char row[8];

	fake_fb_alloc(t, &f, 3, 2, 32, 4);
	ASSERT_EQ(t, fbcon_setup(&fc, f.mem, &f.fmt), 0);
	fbcon_write_text(&fc, "ab\ncd", 5);
	read_row(&fc, 0, row);
	EXPECT_STREQ(t, row, "ab ");
	read_row(&fc, 1, row);
	EXPECT_STREQ(t, row, "cd ");
	/* a newline on the last line moves everything up one line */
	fbcon_write_text(&fc, "\nef", 3);
	read_row(&fc, 0, row);
	EXPECT_STREQ(t, row, "cd ");
	read_row(&fc, 1, row);
	EXPECT_STREQ(t, row, "ef ");
	/* a fourth character on a three-cell line wraps */
	fbcon_write_text(&fc, "\nwxyz", 5);
	read_row(&fc, 0, row);
	EXPECT_STREQ(t, row, "wxy");
	read_row(&fc, 1, row);
	EXPECT_STREQ(t, row, "z  ");
	/* carriage return, backspace, tab */
	fbcon_write_text(&fc, "\rq\b!", 4);
	read_row(&fc, 1, row);
	EXPECT_STREQ(t, row, "!  ");
	fbcon_write_text(&fc, "\t", 1);
	read_row(&fc, 0, row);
	EXPECT_STREQ(t, row, "!  ");			/* the tab went past the line: a new one */
	read_row(&fc, 1, row);
	EXPECT_STREQ(t, row, "   ");
	/* a backspace at the start of a line goes back over the wrap (the shell's editor needs it) */
	fbcon_write_text(&fc, "\b#", 2);
	read_row(&fc, 0, row);
	EXPECT_STREQ(t, row, "! #");
	EXPECT_TRUE(t, padding_untouched(&f));
	fbcon_release(&fc);
	kfree(f.mem);
}

/* Whether the real screen shows text on some line (read back from its pixels). */
static bool screen_shows(const struct fbcon *fc, const char *text)
{
	char *line = kmalloc(fc->cols + 1, GFP_KERNEL);
	bool found = false;

	if (!line)
		return false;
	for (u32 row = 0; row < fc->rows && !found; row++) {
		read_row(fc, row, line);
		found = strstr(line, text) != NULL;
	}
	kfree(line);
	return found;
}

/*
 * Whether text appears on the real screen within 5 s: the console is
 * drawn from a timer every 20 ms, and another CPU's printk may scroll
 * the screen while we read it.
 */
static bool screen_shows_soon(const struct fbcon *fc, const char *text)
{
	for (int i = 0; i < 250; i++) {
		if (screen_shows(fc, text))
			return true;
		msleep(20);
	}
	return false;
}

static void shows_printk(struct ktest *t)
{
	static const char marker[] = "ktest-fbcon-marker-41c9";
	struct fbcon *fc = fbcon_boot();

	if (!fc)
		ktest_skip(t, "no framebuffer console (the loader left VGA text mode)");
	EXPECT_FALSE(t, screen_shows(fc, marker));
	printk(KERN_INFO "%s\n", marker);
	EXPECT_TRUE(t, screen_shows_soon(fc, marker));
	/* below the console loglevel nothing is drawn: not by the time a later line is */
	printk(KERN_DEBUG "%s-debug\n", marker);
	printk(KERN_INFO "%s-after\n", marker);
	EXPECT_TRUE(t, screen_shows_soon(fc, "ktest-fbcon-marker-41c9-after"));
	EXPECT_FALSE(t, screen_shows(fc, "ktest-fbcon-marker-41c9-debug"));
}

static void screen_mapped_write_combining(struct ktest *t)
{
	struct fbcon *fc = fbcon_boot();
	u64 *pte;

	if (!fc)
		ktest_skip(t, "no framebuffer console (the loader left VGA text mode)");
	pte = lookup_address((unsigned long)fc->screen, NULL);
	ASSERT_NOT_NULL(t, pte);
	EXPECT_EQ(t, *pte & PTE_ADDR_MASK, boot_info.fb.addr & PTE_ADDR_MASK);
	if (boot_cpu_has(X86_FEATURE_PAT)) {
		/* PWT alone selects PAT entry 1, which must hold WC (1) */
		EXPECT_EQ(t, *pte & (_PAGE_PCD | _PAGE_PWT), _PAGE_PWT);
		EXPECT_EQ(t, rdmsr(MSR_IA32_CR_PAT) >> 8 & 0xff, 1);
	} else {
		EXPECT_EQ(t, *pte & (_PAGE_PCD | _PAGE_PWT), _PAGE_PCD | _PAGE_PWT);
	}
}

static struct ktest_case fbcon_cases[] = {
	KTEST_CASE(font_is_complete),
	KTEST_CASE(draws_glyph_32bpp),
	KTEST_CASE(draws_glyph_24bpp_and_16bpp),
	KTEST_CASE(pixel_formats),
	KTEST_CASE(scrolls_and_wraps),
	KTEST_CASE(shows_printk),
	KTEST_CASE(screen_mapped_write_combining),
	{},
};
KTEST_SUITE(fbcon, fbcon_cases);
