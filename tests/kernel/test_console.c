/*
 * The boot consoles: a printk reaches the VGA text screen (read back from
 * its buffer at 0xb8000) and the 16550 is programmed for 115200 8N1.
 */
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/bootinfo.h>
#include <kernel/string.h>
#include <asm/page.h>
#include <asm/io.h>

#define COM1	0x3f8

/* Whether the 80x25 screen shows text anywhere (characters only, attributes ignored). */
static bool screen_shows(const char *text)
{
	const u16 *cells = phys_to_virt(0xb8000);
	size_t n = strlen(text);

	for (int row = 0; row < 25; row++) {
		for (int col = 0; col + (int)n <= 80; col++) {
			size_t i = 0;
			while (i < n && (char)(cells[row * 80 + col + i] & 0xff) == text[i])
				i++;
			if (i == n)
				return true;
		}
	}
	return false;
}

static void vga_shows_printk(struct ktest *t)
{
	static const char marker[] = "ktest-vga-marker-7f3a";

	if (boot_info.has_framebuffer && boot_info.fb.type != 2)
		ktest_skip(t, "the loader set a graphics mode: no VGA text console");
	EXPECT_FALSE(t, screen_shows(marker));
	printk(KERN_INFO "%s\n", marker);
	EXPECT_TRUE(t, screen_shows(marker));
	/* below the console loglevel, nothing reaches the screen */
	printk(KERN_DEBUG "%s-debug\n", marker);
	EXPECT_FALSE(t, screen_shows("ktest-vga-marker-7f3a-debug"));
}

static void uart_is_115200_8n1(struct ktest *t)
{
	u8 lcr = inb(COM1 + 3), dll, dlm;

	EXPECT_EQ(t, lcr & 0x3f, 0x03);		/* 8 data bits, 1 stop bit, no parity */
	outb(COM1 + 3, lcr | 0x80);		/* DLAB: read the divisor */
	dll = inb(COM1 + 0);
	dlm = inb(COM1 + 1);
	outb(COM1 + 3, lcr);
	EXPECT_EQ(t, dll | (dlm << 8), 1);	/* 115200 / 1 */
	/*
	 * The transmitter empties: at once under QEMU, within a character
	 * time (87 us at 115200) under Bochs, which sends at the line rate.
	 */
	bool ready = false;

	for (int i = 0; i < 100000 && !ready; i++)
		ready = inb(COM1 + 5) & 0x20;
	EXPECT_TRUE(t, ready);
}

static struct ktest_case console_cases[] = {
	KTEST_CASE(vga_shows_printk),
	KTEST_CASE(uart_is_115200_8n1),
	{},
};
KTEST_SUITE(console, console_cases);
