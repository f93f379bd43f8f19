/*
 * The built-in 8x16 console font (kernel/drivers/font_8x16.c): one glyph
 * per printable ASCII character, sixteen bytes of eight pixels each,
 * bit 7 the leftmost pixel.
 */
#ifndef KERNEL_FONT_H
#define KERNEL_FONT_H

#include <kernel/types.h>

#define FONT_WIDTH	8
#define FONT_HEIGHT	16
#define FONT_FIRST	0x20		/* ' ' */
#define FONT_LAST	0x7e		/* '~' */
#define FONT_COUNT	(FONT_LAST - FONT_FIRST + 1)

extern const u8 font_8x16[FONT_COUNT][FONT_HEIGHT];

/* The glyph of c; characters without one (control, non-ASCII) get '?'. */
static inline const u8 *font_glyph(unsigned char c)
{
	if (c < FONT_FIRST || c > FONT_LAST)
		c = '?';
	return font_8x16[c - FONT_FIRST];
}

#endif
