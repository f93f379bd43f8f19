/*
 * Framebuffer text console: printk's text drawn in 8x16 glyphs into the
 * linear framebuffer the loader set up (on UEFI there is no VGA text
 * mode). The characters live in a text buffer; the cells whose character
 * differs from what is drawn are drawn again, so a scroll moves text in
 * RAM and redraws only what changed, and the framebuffer (write-combining,
 * slow to read) is only ever written.
 *
 * A scroll still redraws most of the screen, milliseconds of work, and
 * printk calls consoles with interrupts off: drawn there, every line of a
 * burst would hold interrupts off that long (lost ticks, a hard-lockup
 * report from the buddy CPU). So once timers run, the boot console's
 * write only updates the text, and a timer draws it every
 * FBCON_DRAW_MS with interrupts on -- as Linux moved console printing out
 * of printk's caller into printer threads. While an oops is printed the
 * write draws at once, since the machine may not live to run the timer.
 */
#define pr_fmt(fmt) "fbcon: " fmt
#include <kernel/fbcon.h>
#include <kernel/font.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/vmalloc.h>
#include <kernel/errno.h>
#include <kernel/timer.h>
#include <kernel/jiffies.h>

#define CURSOR_FIRST_ROW	14	/* an underline in the two rows no glyph uses */
#define REPLAY_SIZE		(64 * 1024)
#define FBCON_DRAW_MS		20

static struct fbcon boot_fbcon;
static bool boot_fbcon_up;
static bool boot_fbcon_deferred;	/* the draw timer runs */
static bool boot_fbcon_dirty;		/* text changed since the timer last drew */
static struct timer_list draw_timer;

/* A channel of 8 bits scaled to size bits, at pos. */
static u32 channel(u8 v, u8 pos, u8 size)
{
	if (!size)
		return 0;
	return (u32)(v >> (8 - size)) << pos;
}

u32 fbcon_pixel(const struct fbcon *fc, u8 r, u8 g, u8 b)
{
	return channel(r, fc->red_pos, fc->red_size) | channel(g, fc->green_pos, fc->green_size) |
	       channel(b, fc->blue_pos, fc->blue_size);
}

static inline u8 *pixel_addr(const struct fbcon *fc, u32 x, u32 y)
{
	return fc->screen + (size_t)y * fc->pitch + (size_t)x * fc->bytes_pp;
}

static inline void put_pixel(u8 *p, u8 bytes_pp, u32 v)
{
	switch (bytes_pp) {
	case 4:
		*(volatile u32 *)p = v;
		break;
	case 3:
		((volatile u8 *)p)[0] = v;
		((volatile u8 *)p)[1] = v >> 8;
		((volatile u8 *)p)[2] = v >> 16;
		break;
	case 2:
		*(volatile u16 *)p = v;
		break;
	default:
		*(volatile u8 *)p = v;
		break;
	}
}

u32 fbcon_read_pixel(const struct fbcon *fc, u32 x, u32 y)
{
	const volatile u8 *p = pixel_addr(fc, x, y);

	switch (fc->bytes_pp) {
	case 4:
		return *(const volatile u32 *)p;
	case 3:
		return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16;
	case 2:
		return *(const volatile u16 *)p;
	default:
		return *p;
	}
}

/*
 * The eight pixels of every pattern of glyph-row bits, in the screen's
 * format: a glyph row is then one copy of 8 to 32 bytes, a few 64-bit
 * stores instead of eight pixel writes (a scroll redraws the screen).
 */
static void build_row_table(struct fbcon *fc)
{
	u32 stride = FONT_WIDTH * fc->bytes_pp;

	for (u32 bits = 0; bits < 256; bits++) {
		u8 *p = fc->row_pixels + bits * stride;

		for (u32 x = 0; x < FONT_WIDTH; x++, p += fc->bytes_pp)
			put_pixel(p, fc->bytes_pp, bits & (0x80 >> x) ? fc->fg : fc->bg);
	}
}

static void draw_cell(struct fbcon *fc, u32 col, u32 row, u8 c, bool cursor)
{
	const u8 *glyph = font_glyph(c);
	u32 words = FONT_WIDTH * fc->bytes_pp / 8;	/* 1 to 4: the stride is 8 to 32 bytes */

	for (u32 y = 0; y < FONT_HEIGHT; y++) {
		u8 bits = glyph[y] | (cursor && y >= CURSOR_FIRST_ROW ? 0xff : 0);
		volatile u64 *dst = (volatile u64 *)pixel_addr(fc, col * FONT_WIDTH,
							      row * FONT_HEIGHT + y);
		const u64 *src = (const u64 *)(fc->row_pixels + bits * words * 8);

		for (u32 w = 0; w < words; w++)
			dst[w] = src[w];
	}
}

/*
 * Draw every cell that differs from what is on the screen, and move the
 * cursor. The text may change meanwhile (a printk on this or another
 * CPU): each cell's character is read once and what was drawn is
 * recorded, so a cell drawn stale is drawn again next time.
 */
static void sync_screen(struct fbcon *fc)
{
	u32 row = READ_ONCE(fc->row), col = READ_ONCE(fc->col);
	u32 cursor = row < fc->rows && col < fc->cols ? row * fc->cols + col : FBCON_NO_CELL;
	u32 old_cursor = READ_ONCE(fc->cursor_shown);

	for (u32 i = 0; i < fc->cols * fc->rows; i++) {
		u8 c = READ_ONCE(fc->text[i]);
		bool was = i == old_cursor, is = i == cursor;

		if (c != fc->shown[i] || was != is) {
			draw_cell(fc, i % fc->cols, i / fc->cols, c, is);
			fc->shown[i] = c;
		}
	}
	WRITE_ONCE(fc->cursor_shown, cursor);
}

static u32 newline(struct fbcon *fc, u32 row)
{
	if (++row < fc->rows)
		return row;
	memmove(fc->text, fc->text + fc->cols, (size_t)(fc->rows - 1) * fc->cols);
	memset(fc->text + (size_t)(fc->rows - 1) * fc->cols, ' ', fc->cols);
	return fc->rows - 1;
}

/*
 * Put text into the text buffer. The position is worked on in locals and
 * clamped first: printk serializes writers, except an NMI or an oops
 * that prints without its lock, and two writers at once may garble the
 * text but must not write outside it.
 */
static void put_text(struct fbcon *fc, const char *s, size_t n)
{
	u32 row = min(READ_ONCE(fc->row), fc->rows - 1), col = min(READ_ONCE(fc->col), fc->cols);

	for (size_t i = 0; i < n; i++) {
		u8 c = s[i];

		if (c == '\n') {
			row = newline(fc, row);
			col = 0;
		} else if (c == '\r') {
			col = 0;
		} else if (c == '\b') {
			/* back over a wrap too, so the shell's line editor can edit a long line */
			if (col)
				col--;
			else if (row)
				row--, col = fc->cols - 1;
		} else if (c == '\t') {
			col = (col + 8) & ~7u;
			if (col >= fc->cols) {
				row = newline(fc, row);
				col = 0;
			}
		} else if (c >= FONT_FIRST) {
			/* a character wraps when it would not fit, as a terminal does */
			if (col >= fc->cols) {
				row = newline(fc, row);
				col = 0;
			}
			fc->text[row * fc->cols + col++] = c;
		}
	}
	WRITE_ONCE(fc->row, row);
	WRITE_ONCE(fc->col, col);
}

void fbcon_write_text(struct fbcon *fc, const char *s, size_t n)
{
	put_text(fc, s, n);
	sync_screen(fc);
}

int fbcon_read_cell(const struct fbcon *fc, u32 col, u32 row)
{
	u8 rows[CURSOR_FIRST_ROW];

	if (col >= fc->cols || row >= fc->rows)
		return -1;
	for (u32 y = 0; y < CURSOR_FIRST_ROW; y++) {
		rows[y] = 0;
		for (u32 x = 0; x < FONT_WIDTH; x++) {
			u32 v = fbcon_read_pixel(fc, col * FONT_WIDTH + x, row * FONT_HEIGHT + y);

			if (v == fc->fg)
				rows[y] |= 0x80 >> x;
			else if (v != fc->bg)
				return -1;
		}
	}
	for (int c = FONT_FIRST; c <= FONT_LAST; c++) {
		if (!memcmp(font_8x16[c - FONT_FIRST], rows, sizeof(rows)))
			return c;
	}
	return -1;
}

static bool channel_ok(u8 pos, u8 size, u8 bits)
{
	return size <= 8 && pos + size <= bits;
}

int fbcon_setup(struct fbcon *fc, void *screen, const struct boot_framebuffer *fb)
{
	u8 bytes_pp = (fb->bpp + 7) / 8;

	memset(fc, 0, sizeof(*fc));
	if (fb->type != 1 || fb->bpp < 8 || fb->bpp > 32 ||
	    !channel_ok(fb->red_pos, fb->red_size, fb->bpp) ||
	    !channel_ok(fb->green_pos, fb->green_size, fb->bpp) ||
	    !channel_ok(fb->blue_pos, fb->blue_size, fb->bpp) ||
	    fb->width < FONT_WIDTH || fb->height < FONT_HEIGHT ||
	    fb->pitch < (u64)fb->width * bytes_pp)
		return -EINVAL;
	*fc = (struct fbcon){
		.screen = screen, .pitch = fb->pitch, .width = fb->width, .height = fb->height,
		.bytes_pp = bytes_pp,
		.red_pos = fb->red_pos, .red_size = fb->red_size,
		.green_pos = fb->green_pos, .green_size = fb->green_size,
		.blue_pos = fb->blue_pos, .blue_size = fb->blue_size,
		.cols = fb->width / FONT_WIDTH, .rows = fb->height / FONT_HEIGHT,
		.cursor_shown = FBCON_NO_CELL,
	};
	fc->fg = fbcon_pixel(fc, 0xaa, 0xaa, 0xaa);	/* VGA's light grey */
	fc->bg = fbcon_pixel(fc, 0, 0, 0);
	fc->text = kmalloc((size_t)fc->cols * fc->rows, GFP_KERNEL);
	fc->shown = kmalloc((size_t)fc->cols * fc->rows, GFP_KERNEL);
	fc->row_pixels = kmalloc(256 * FONT_WIDTH * bytes_pp, GFP_KERNEL);
	if (!fc->text || !fc->shown || !fc->row_pixels) {
		fbcon_release(fc);
		return -ENOMEM;
	}
	/* the whole screen, margins too, then every cell is a drawn space */
	for (u32 y = 0; y < fc->height; y++) {
		u8 *p = pixel_addr(fc, 0, y);

		for (u32 x = 0; x < fc->width; x++, p += bytes_pp)
			put_pixel(p, bytes_pp, fc->bg);
	}
	build_row_table(fc);
	memset(fc->text, ' ', (size_t)fc->cols * fc->rows);
	memset(fc->shown, ' ', (size_t)fc->cols * fc->rows);
	sync_screen(fc);				/* the cursor */
	return 0;
}

void fbcon_release(struct fbcon *fc)
{
	kfree(fc->text);
	kfree(fc->shown);
	kfree(fc->row_pixels);
	fc->text = fc->shown = fc->row_pixels = NULL;
}

static void fbcon_console_write(struct console *con, const char *s, size_t n)
{
	put_text(&boot_fbcon, s, n);
	if (READ_ONCE(boot_fbcon_deferred) && !oops_in_progress)
		WRITE_ONCE(boot_fbcon_dirty, true);
	else
		sync_screen(&boot_fbcon);
}

/* TIMER_SOFTIRQ, interrupts on: draw what printk wrote since the last run. */
static void draw_timer_fn(struct timer_list *timer)
{
	if (__atomic_exchange_n(&boot_fbcon_dirty, false, __ATOMIC_SEQ_CST))
		sync_screen(&boot_fbcon);
	mod_timer(&draw_timer, jiffies + msecs_to_jiffies(FBCON_DRAW_MS));
}

void fbcon_start_deferred(void)
{
	if (!boot_fbcon_up)
		return;
	timer_setup(&draw_timer, draw_timer_fn, TIMER_PINNED);
	WRITE_ONCE(boot_fbcon_deferred, true);
	mod_timer(&draw_timer, jiffies + msecs_to_jiffies(FBCON_DRAW_MS));
}

/*
 * Show what printk logged before the console existed, as the console
 * would have: each line without its "<level>" tag, and only the lines
 * below console_loglevel.
 */
static void replay_log(struct fbcon *fc)
{
	char *buf = kmalloc(REPLAY_SIZE, GFP_KERNEL);
	size_t n, i = 0;

	if (!buf)
		return;
	n = log_buf_copy(buf, REPLAY_SIZE);
	/* a full buffer may start mid-line: begin at the first whole one */
	if (n == REPLAY_SIZE) {
		while (i < n && buf[i] != '\n')
			i++;
		i++;
	}
	while (i < n) {
		size_t end = i;
		int level = LOGLEVEL_DEFAULT;

		while (end < n && buf[end] != '\n')
			end++;
		if (end - i >= 3 && buf[i] == '<' && buf[i + 2] == '>') {
			level = buf[i + 1] - '0';
			i += 3;
		}
		if (level < console_loglevel)
			fbcon_write_text(fc, buf + i, end - i + (end < n));
		i = end + 1;
	}
	kfree(buf);
}

void fbcon_init(void)
{
	const struct boot_framebuffer *fb = &boot_info.fb;
	size_t size = (size_t)fb->pitch * fb->height;
	void *screen;
	int err;

	if (!boot_info.has_framebuffer || fb->type != 1)
		return;		/* no framebuffer, or VGA text mode (vgacon's) */
	screen = ioremap_wc(fb->addr, size);
	if (!screen) {
		pr_err("cannot map the framebuffer at %#lx (%zu bytes)\n",
		       (unsigned long)fb->addr, size);
		return;
	}
	err = fbcon_setup(&boot_fbcon, screen, fb);
	if (err) {
		pr_err("no console on the %ux%u %u bpp framebuffer: error %d\n",
		       fb->width, fb->height, fb->bpp, err);
		iounmap(screen);
		return;
	}
	replay_log(&boot_fbcon);
	boot_fbcon.con = (struct console){ .name = "fbcon", .write = fbcon_console_write };
	register_console(&boot_fbcon.con);
	boot_fbcon_up = true;
	pr_info("%ux%u text on the %ux%u framebuffer at %#lx (%u bpp)\n", boot_fbcon.cols,
		boot_fbcon.rows, fb->width, fb->height, (unsigned long)fb->addr, fb->bpp);
}

struct fbcon *fbcon_boot(void)
{
	return boot_fbcon_up ? &boot_fbcon : NULL;
}
