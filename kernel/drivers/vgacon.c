/*
 * VGA text console: 80x25 cells of (character, attribute) at 0xb8000,
 * scrolling, with the hardware cursor moved through the CRT controller
 * (index 0x3d4, data 0x3d5; registers 0x0e/0x0f hold the cursor offset).
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/bootinfo.h>
#include <kernel/string.h>
#include <asm/io.h>
#include <asm/page.h>

#define VGA_TEXT	0xb8000
#define COLS		80
#define ROWS		25
#define ATTR		0x07		/* light grey on black */

static u16 *screen;
static unsigned int col, row;

static void move_cursor(void)
{
	unsigned int pos = row * COLS + col;

	outb(0x3d4, 0x0e);
	outb(0x3d5, pos >> 8);
	outb(0x3d4, 0x0f);
	outb(0x3d5, pos & 0xff);
}

static void newline(void)
{
	col = 0;
	if (++row < ROWS)
		return;
	memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(u16));
	for (int i = 0; i < COLS; i++)
		screen[(ROWS - 1) * COLS + i] = ATTR << 8 | ' ';
	row = ROWS - 1;
}

static void vga_write(struct console *con, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n') {
			newline();
		} else if (c == '\r') {
			col = 0;
		} else if (c == '\b') {
			/* back over a wrap too, so the shell's line editor can edit a long line */
			if (col)
				col--;
			else if (row)
				row--, col = COLS - 1;
		} else if (c == '\t') {
			col = (col + 8) & ~7u;
			if (col >= COLS)
				newline();
		} else {
			screen[row * COLS + col] = ATTR << 8 | (u8)c;
			if (++col == COLS)
				newline();
		}
	}
	move_cursor();
}

static struct console vga_console = { .name = "vga", .write = vga_write };

void vga_console_init(void)
{
	/* a graphics framebuffer means there is no text mode to write to */
	if (boot_info.has_framebuffer && boot_info.fb.type != 2)
		return;
	screen = phys_to_virt(VGA_TEXT);
	for (int i = 0; i < COLS * ROWS; i++)
		screen[i] = ATTR << 8 | ' ';
	col = row = 0;
	register_console(&vga_console);
}
