/*
 * The framebuffer text console (kernel/drivers/fbcon.c): text in 8x16
 * cells (include/kernel/font.h) drawn into a linear RGB framebuffer, for
 * machines without VGA text mode (UEFI). A struct fbcon can also be set
 * up on ordinary memory with any pixel format, which is how the tests
 * check the drawing on every machine.
 */
#ifndef KERNEL_FBCON_H
#define KERNEL_FBCON_H

#include <kernel/types.h>
#include <kernel/printk.h>
#include <kernel/bootinfo.h>

#define FBCON_NO_CELL	0xffffffffu

struct fbcon {
	u8 *screen;			/* the first pixel, mapped */
	u32 pitch, width, height;	/* bytes per line; pixels */
	u8 bytes_pp;			/* 1 to 4 */
	u8 red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
	u32 fg, bg;			/* pixel values of the text and the background */
	u32 cols, rows;			/* text cells */
	u32 col, row;			/* where the next character goes */
	u8 *text;			/* cols * rows characters: what the screen should show */
	u8 *shown;			/* what is drawn in each cell now */
	u8 *row_pixels;			/* 256 patterns of 8 pixels: see build_row_table() */
	u32 cursor_shown;		/* the cell with the cursor drawn in it, or FBCON_NO_CELL */
	struct console con;
};

/**
 * fbcon_setup - start a text console on a framebuffer
 * @fc: the console to fill in
 * @screen: the framebuffer's first pixel, already mapped
 * @fb: its geometry and pixel format (only type 1, direct RGB, 8 to 32 bpp)
 *
 * Clears the screen to the background colour (light grey text on black,
 * as VGA's default) and allocates the text buffers. Does not register a
 * printk console.
 *
 * Return: 0; -EINVAL if the format is not one fbcon draws or the screen
 * is smaller than one cell; -ENOMEM.
 */
int fbcon_setup(struct fbcon *fc, void *screen, const struct boot_framebuffer *fb);
/* Free what fbcon_setup() allocated (not the framebuffer). */
void fbcon_release(struct fbcon *fc);
/* Write text as a console does: '\n', '\r', '\b', '\t' move, the bottom line scrolls up. */
void fbcon_write_text(struct fbcon *fc, const char *s, size_t n);
/* The pixel value for a colour of 8 bits per channel, in fc's format. */
u32 fbcon_pixel(const struct fbcon *fc, u8 r, u8 g, u8 b);
/* Read back the pixel at (x, y). */
u32 fbcon_read_pixel(const struct fbcon *fc, u32 x, u32 y);
/*
 * Read the character drawn in a cell back from its pixels, by matching
 * them against the font (the cursor rows are ignored): the character,
 * or -1 if the pixels are no glyph.
 */
int fbcon_read_cell(const struct fbcon *fc, u32 col, u32 row);

/*
 * The boot console: when the loader left a graphics framebuffer (type 1),
 * map it write-combining, show the log so far and register the printk
 * console "fbcon". Needs the vmap area and kmalloc.
 */
void fbcon_init(void);
/*
 * From now on printk only updates the boot console's text and a timer
 * draws it every 20 ms, with interrupts on (see fbcon.c). Needs timers.
 */
void fbcon_start_deferred(void);
/* The boot console, or NULL if there is none. */
struct fbcon *fbcon_boot(void);

#endif
