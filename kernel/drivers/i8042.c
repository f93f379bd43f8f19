/*
 * The i8042 PS/2 controller (port 0x60 data, 0x64 status/command; IBM
 * PS/2 Technical Reference, "Keyboard/Auxiliary Device Controller") and
 * the keyboard on its first port. The controller translates the
 * keyboard's scan code set 2 into set 1, which the IRQ 1 handler turns
 * into ASCII for the console: letters, digits, space, enter, backspace,
 * tab and punctuation, with either shift; Ctrl with a letter; and the
 * cursor and editing keys as a terminal's escape sequences (ESC [ A for
 * Up...), which the shell's line editor understands. One byte is read per interrupt,
 * so each byte the controller presents is one IRQ 1.
 */
#define pr_fmt(fmt) "i8042: " fmt
#include <kernel/i8042.h>
#include <kernel/console.h>
#include <kernel/interrupt.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <asm/io.h>
#include <asm/tsc.h>

#define I8042_DATA		0x60
#define I8042_STATUS		0x64	/* read */
#define I8042_COMMAND		0x64	/* write */

#define I8042_STR_OBF		0x01	/* status: output buffer full (a byte for us) */
#define I8042_STR_IBF		0x02	/* status: input buffer full (the controller is busy) */
#define I8042_STR_AUXDATA	0x20	/* status: the byte is from the mouse port */

#define I8042_CMD_CTL_RCTR	0x20	/* read the configuration byte */
#define I8042_CMD_CTL_WCTR	0x60	/* write the configuration byte */
#define I8042_CMD_AUX_DISABLE	0xa7
#define I8042_CMD_CTL_TEST	0xaa	/* self-test: answers 0x55 */
#define I8042_CMD_KBD_DISABLE	0xad
#define I8042_CMD_KBD_ENABLE	0xae
#define I8042_CMD_KBD_WRITE_OBUF 0xd2	/* the next data byte comes back as keyboard data */
#define I8042_TEST_OK		0x55

#define I8042_CTR_KBDINT	0x01	/* configuration: keyboard data raises IRQ 1 */
#define I8042_CTR_AUXINT	0x02	/* configuration: mouse data raises IRQ 12 */
#define I8042_CTR_KBDDIS	0x10	/* configuration: keyboard clock off */
#define I8042_CTR_AUXDIS	0x20	/* configuration: mouse clock off */
#define I8042_CTR_XLATE		0x40	/* configuration: translate set 2 to set 1 */

/* 1 us polls of the status register before the controller counts as gone: 20 ms. */
#define I8042_TIMEOUT_US	20000
/* Bytes a flush throws away at most: more than any controller buffers. */
#define I8042_BUFFER_SIZE	16

/* Scan code set 1 (make codes; a break is the make code | 0x80). */
#define SC_LSHIFT		0x2a
#define SC_RSHIFT		0x36
#define SC_BREAK		0x80
#define SC_EXTENDED		0xe0	/* one more byte follows */
#define SC_PAUSE		0xe1	/* two more bytes follow */
#define SC_ENTER		0x1c
#define SC_SLASH		0x35
#define SC_CTRL			0x1d	/* left Ctrl; E0 1D is the right one */
/* after E0: the cursor and editing keys */
#define SC_E0_HOME		0x47
#define SC_E0_UP		0x48
#define SC_E0_LEFT		0x4b
#define SC_E0_RIGHT		0x4d
#define SC_E0_END		0x4f
#define SC_E0_DOWN		0x50
#define SC_E0_DELETE		0x53
#define I8042_MAX_SEQ		4	/* the longest input one key makes: ESC [ 3 ~ */

static const char keymap[][2] = {	/* [code] = { plain, shifted } */
	[0x02] = { '1', '!' }, [0x03] = { '2', '@' }, [0x04] = { '3', '#' },
	[0x05] = { '4', '$' }, [0x06] = { '5', '%' }, [0x07] = { '6', '^' },
	[0x08] = { '7', '&' }, [0x09] = { '8', '*' }, [0x0a] = { '9', '(' },
	[0x0b] = { '0', ')' }, [0x0c] = { '-', '_' }, [0x0d] = { '=', '+' },
	[0x0e] = { '\b', '\b' }, [0x0f] = { '\t', '\t' },
	[0x10] = { 'q', 'Q' }, [0x11] = { 'w', 'W' }, [0x12] = { 'e', 'E' },
	[0x13] = { 'r', 'R' }, [0x14] = { 't', 'T' }, [0x15] = { 'y', 'Y' },
	[0x16] = { 'u', 'U' }, [0x17] = { 'i', 'I' }, [0x18] = { 'o', 'O' },
	[0x19] = { 'p', 'P' }, [0x1a] = { '[', '{' }, [0x1b] = { ']', '}' },
	[0x1c] = { '\n', '\n' },
	[0x1e] = { 'a', 'A' }, [0x1f] = { 's', 'S' }, [0x20] = { 'd', 'D' },
	[0x21] = { 'f', 'F' }, [0x22] = { 'g', 'G' }, [0x23] = { 'h', 'H' },
	[0x24] = { 'j', 'J' }, [0x25] = { 'k', 'K' }, [0x26] = { 'l', 'L' },
	[0x27] = { ';', ':' }, [0x28] = { '\'', '"' }, [0x29] = { '`', '~' },
	[0x2b] = { '\\', '|' },
	[0x2c] = { 'z', 'Z' }, [0x2d] = { 'x', 'X' }, [0x2e] = { 'c', 'C' },
	[0x2f] = { 'v', 'V' }, [0x30] = { 'b', 'B' }, [0x31] = { 'n', 'N' },
	[0x32] = { 'm', 'M' }, [0x33] = { ',', '<' }, [0x34] = { '.', '>' },
	[0x35] = { '/', '?' }, [0x37] = { '*', '*' }, [0x39] = { ' ', ' ' },
};

static DEFINE_SPINLOCK(i8042_lock);	/* orders command sequences and the handler's reads */
static bool present;			/* L: i8042_lock; set up, IRQ 1 ours */
/* Decoder state and counters, L: i8042_lock (the handler writes them). */
static bool lshift, rshift;		/* L: the shift keys held down */
static bool lctrl, rctrl;		/* L: the Ctrl keys held down */
static unsigned int skip;		/* L: bytes of an extended sequence still to come */
static u8 prefix;			/* L: the prefix those bytes belong to */
static struct i8042_stats stats;	/* L */

static int __wait_write(void)
{
	for (int i = 0; i < I8042_TIMEOUT_US; i++) {
		if (!(inb(I8042_STATUS) & I8042_STR_IBF))
			return 0;
		udelay(1);
	}
	return -ETIMEDOUT;
}

static int __ctl_write(u8 cmd)
{
	int ret = __wait_write();

	if (!ret)
		outb(I8042_COMMAND, cmd);
	return ret;
}

static int __data_write(u8 v)
{
	int ret = __wait_write();

	if (!ret)
		outb(I8042_DATA, v);
	return ret;
}

static int __data_read(u8 *v)
{
	for (int i = 0; i < I8042_TIMEOUT_US; i++) {
		if (inb(I8042_STATUS) & I8042_STR_OBF) {
			*v = inb(I8042_DATA);
			return 0;
		}
		udelay(1);
	}
	return -ETIMEDOUT;
}

/* Throw away what the controller holds (keys pressed at boot, old answers). */
static void __flush(void)
{
	for (int i = 0; i < I8042_BUFFER_SIZE && (inb(I8042_STATUS) & I8042_STR_OBF); i++) {
		inb(I8042_DATA);
		udelay(50);
	}
}

static int __write_ctr(u8 ctr)
{
	int ret = __ctl_write(I8042_CMD_CTL_WCTR);

	return ret ? ret : __data_write(ctr);
}

/*
 * The extended (E0-prefixed) keys that make input: keypad Enter and /,
 * and the editing keys as the escape sequences a VT100-style terminal
 * sends for them, so the line editor treats a key on this keyboard and
 * the same key on the serial terminal alike.
 */
static const char *extended_key(u8 code)
{
	switch (code) {
	case SC_ENTER:		return "\n";		/* keypad Enter */
	case SC_SLASH:		return "/";		/* keypad / */
	case SC_E0_UP:		return "\x1b[A";
	case SC_E0_DOWN:	return "\x1b[B";
	case SC_E0_RIGHT:	return "\x1b[C";
	case SC_E0_LEFT:	return "\x1b[D";
	case SC_E0_HOME:	return "\x1b[H";
	case SC_E0_END:		return "\x1b[F";
	case SC_E0_DELETE:	return "\x1b[3~";
	default:		return NULL;
	}
}

/*
 * The input a set 1 byte makes, into out (up to I8042_MAX_SEQ bytes, not
 * terminated); returns how many bytes. Updates the shift, control and
 * prefix state.
 */
static int decode(u8 code, char *out)
{
	const char *seq;
	bool extended;
	char c;
	int n = 0;

	if (skip) {
		skip--;
		extended = prefix == SC_EXTENDED;
		if (extended && (code & ~SC_BREAK) == SC_CTRL)
			rctrl = !(code & SC_BREAK);	/* right Ctrl is E0 1D */
		seq = extended && !(code & SC_BREAK) ? extended_key(code) : NULL;
		while (seq && seq[n] && n < I8042_MAX_SEQ)
			out[n] = seq[n], n++;
		return n;
	}
	if (code == SC_EXTENDED || code == SC_PAUSE) {
		prefix = code;
		skip = code == SC_EXTENDED ? 1 : 2;
		return 0;
	}
	switch (code) {
	case SC_LSHIFT:
		lshift = true;
		return 0;
	case SC_RSHIFT:
		rshift = true;
		return 0;
	case SC_CTRL:
		lctrl = true;
		return 0;
	case SC_LSHIFT | SC_BREAK:
		lshift = false;
		return 0;
	case SC_RSHIFT | SC_BREAK:
		rshift = false;
		return 0;
	case SC_CTRL | SC_BREAK:
		lctrl = false;
		return 0;
	}
	if (code & SC_BREAK || code >= ARRAY_SIZE(keymap))
		return 0;
	c = keymap[code][lshift || rshift];
	/* Ctrl with a letter is the control character (Ctrl-C is 0x03), as on a terminal */
	if (c && (lctrl || rctrl) && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c &= 0x1f;
	if (!c)
		return 0;
	out[0] = c;
	return 1;
}

/* Sees each keyboard byte first, in the handler (Linux's i8042 filter); under i8042_lock. */
static bool (*i8042_filter)(u8 data, u8 str);

int i8042_install_filter(bool (*filter)(u8 data, u8 str))
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&i8042_lock, flags);
	if (i8042_filter)
		ret = -EBUSY;
	else
		i8042_filter = filter;
	spin_unlock_irqrestore(&i8042_lock, flags);
	return ret;
}

int i8042_remove_filter(bool (*filter)(u8 data, u8 str))
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&i8042_lock, flags);
	if (i8042_filter != filter)
		ret = -EINVAL;
	else
		i8042_filter = NULL;
	spin_unlock_irqrestore(&i8042_lock, flags);
	return ret;
}

static irqreturn_t i8042_interrupt(int irq, void *dev_id)
{
	irqreturn_t ret = IRQ_HANDLED;
	char seq[I8042_MAX_SEQ];
	u8 status, data;
	int n;

	spin_lock(&i8042_lock);
	status = inb(I8042_STATUS);
	if (!(status & I8042_STR_OBF)) {
		stats.none++;
		ret = IRQ_NONE;
		goto out;
	}
	data = inb(I8042_DATA);
	if (status & I8042_STR_AUXDATA) {
		stats.aux++;
		goto out;
	}
	stats.bytes++;
	stats.last_byte = data;
	if (i8042_filter && i8042_filter(data, status)) {
		stats.ignored++;	/* the filter took it: no character */
		goto out;
	}
	n = decode(data, seq);
	if (!n)
		stats.ignored++;
	for (int i = 0; i < n; i++)
		if (!console_input_push(seq[i]))
			stats.chars++;
out:
	spin_unlock(&i8042_lock);
	return ret;
}

int i8042_init(void)
{
	static int dev_id;	/* identifies our action on the line */
	unsigned long flags;
	u8 ctr = 0, answer = 0;
	int ret;

	/* no controller: the bus floats high */
	if (inb(I8042_STATUS) == 0xff) {
		pr_info("no controller\n");
		return -ENODEV;
	}
	spin_lock_irqsave(&i8042_lock, flags);
	ret = __ctl_write(I8042_CMD_KBD_DISABLE);
	if (!ret)
		ret = __ctl_write(I8042_CMD_AUX_DISABLE);
	__flush();
	if (!ret)
		ret = __ctl_write(I8042_CMD_CTL_RCTR);
	if (!ret)
		ret = __data_read(&ctr);
	/* no interrupts while the controller is tested; the mouse port stays off for good */
	ctr &= ~(I8042_CTR_KBDINT | I8042_CTR_AUXINT);
	ctr |= I8042_CTR_AUXDIS | I8042_CTR_KBDDIS;
	if (!ret)
		ret = __write_ctr(ctr);
	if (!ret)
		ret = __ctl_write(I8042_CMD_CTL_TEST);
	if (!ret)
		ret = __data_read(&answer);
	/* some controllers reset themselves in the self-test: write the configuration again */
	if (!ret)
		ret = __write_ctr(ctr);
	spin_unlock_irqrestore(&i8042_lock, flags);
	if (ret) {
		pr_err("controller does not answer (%d)\n", ret);
		return -EIO;
	}
	if (answer != I8042_TEST_OK) {
		pr_err("self-test failed: %#x\n", answer);
		return -ENODEV;
	}

	ret = request_irq(I8042_KBD_IRQ, i8042_interrupt, 0, "i8042", &dev_id);
	if (ret) {
		pr_err("cannot claim IRQ %d (%d)\n", I8042_KBD_IRQ, ret);
		return ret;
	}
	spin_lock_irqsave(&i8042_lock, flags);
	ctr |= I8042_CTR_KBDINT | I8042_CTR_XLATE;
	ctr &= ~I8042_CTR_KBDDIS;
	ret = __write_ctr(ctr);
	if (!ret)
		ret = __ctl_write(I8042_CMD_KBD_ENABLE);
	present = !ret;
	spin_unlock_irqrestore(&i8042_lock, flags);
	if (ret) {
		free_irq(I8042_KBD_IRQ, &dev_id);
		pr_err("cannot enable the keyboard port (%d)\n", ret);
		return -EIO;
	}
	pr_info("PS/2 keyboard port at %#x,%#x, IRQ %d (configuration %#x)\n", I8042_DATA,
		I8042_STATUS, I8042_KBD_IRQ, ctr);
	return 0;
}

int i8042_inject(u8 byte)
{
	unsigned long flags;
	int ret = -ENODEV;

	spin_lock_irqsave(&i8042_lock, flags);
	if (present) {
		ret = __ctl_write(I8042_CMD_KBD_WRITE_OBUF);
		if (!ret)
			ret = __data_write(byte);
	}
	spin_unlock_irqrestore(&i8042_lock, flags);
	return ret;
}

void i8042_get_stats(struct i8042_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&i8042_lock, flags);
	*st = stats;
	spin_unlock_irqrestore(&i8042_lock, flags);
}
