/*
 * The PS/2 keyboard path without a keyboard: controller command 0xD2
 * makes the i8042 present a byte as keyboard data, which raises IRQ 1 as
 * a key would. Each byte must be exactly one IRQ 1 in the interrupt table
 * and reach the handler; set 1 codes must come out of the console input
 * queue as the right characters, in order, with both shift keys tracked;
 * the editing keys must come out as a terminal's escape sequences and
 * Ctrl with a letter as its control character;
 * breaks, modifiers and unknown codes must make no character. The suite
 * keeps what was queued before it and gives it back afterwards.
 */
#include <kernel/ktest.h>
#include <kernel/i8042.h>
#include <kernel/console.h>
#include <kernel/irqdesc.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <asm/irqflags.h>
#include <asm/special_insns.h>

/* How long a byte may take from the 0xD2 command to the handler: generous for a loaded TCG host. */
#define ARRIVAL_TIMEOUT_NS	(200 * NSEC_PER_MSEC)
/* Quiet time after the last byte in which no further IRQ 1 may come. */
#define SETTLE_NS		(5 * NSEC_PER_MSEC)

static char saved_input[CONSOLE_INPUT_SIZE];
static int nr_saved = -1;	/* -1: init did not save the queue */

static unsigned long bytes_seen(void)
{
	struct i8042_stats st;

	i8042_get_stats(&st);
	return st.bytes;
}

/* Inject one byte and wait until the handler has read it; false on timeout. */
static bool send(struct ktest *t, u8 byte)
{
	unsigned long before = bytes_seen();
	u64 start = ktime_get_ns();

	if (i8042_inject(byte)) {
		ktest_info(t, "the controller refused byte %#x", byte);
		return false;
	}
	while (bytes_seen() == before) {
		if (ktime_get_ns() - start > ARRIVAL_TIMEOUT_NS) {
			ktest_info(t, "byte %#x did not arrive", byte);
			return false;
		}
		cpu_relax();
	}
	return true;
}

static bool send_all(struct ktest *t, const u8 *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!send(t, bytes[i]))
			return false;
	return true;
}

static void one_irq1_per_byte(struct ktest *t)
{
	static const u8 bytes[] = { 0x1e, 0x9e, 0x39, 0xb9, 0x3b, 0xbb, 0xe0, 0x48 };
	struct irq_desc *desc = irq_to_desc(I8042_KBD_IRQ);
	unsigned long irqs0, unhandled0 = desc->unhandled_total;
	struct i8042_stats st0, st;
	char buf[16];

	i8042_get_stats(&st0);
	for (size_t i = 0; i < ARRAY_SIZE(bytes); i++) {
		irqs0 = kstat_irqs_total(I8042_KBD_IRQ);
		ASSERT_TRUE(t, send(t, bytes[i]));
		ndelay(SETTLE_NS);
		EXPECT_EQ(t, kstat_irqs_total(I8042_KBD_IRQ) - irqs0, 1);
		i8042_get_stats(&st);
		EXPECT_EQ(t, st.last_byte, bytes[i]);
	}
	EXPECT_EQ(t, st.bytes - st0.bytes, ARRAY_SIZE(bytes));
	EXPECT_EQ(t, st.none, st0.none);
	/* the handler said IRQ_HANDLED each time */
	EXPECT_EQ(t, desc->unhandled_total, unhandled0);
	EXPECT_EQ(t, st.aux, st0.aux);
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, "a \x1b[A");	/* E0 48 is cursor up */
}

static void keys_arrive_in_order(struct ktest *t)
{
	static const u8 bytes[] = {
		0x1e, 0x9e,			/* a */
		0x2a, 0x1e, 0x9e, 0xaa,		/* left shift + a */
		0x1c, 0x9c,			/* enter */
		0x36, 0x02, 0x82, 0xb6,		/* right shift + 1 */
		0x02, 0x82, 0x39, 0xb9,		/* 1, space */
		0x0e, 0x8e,			/* backspace */
		0x33, 0x34, 0x35, 0x27, 0x28,	/* , . / ; ' */
		0x2a, 0x33, 0x35, 0x0c, 0xaa,	/* shifted: < ? _ */
	};
	struct i8042_stats st0, st;
	char buf[64];

	i8042_get_stats(&st0);
	ASSERT_TRUE(t, send_all(t, bytes, ARRAY_SIZE(bytes)));
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, "aA\n!1 \b,./;'<?_");
	i8042_get_stats(&st);
	EXPECT_EQ(t, st.chars - st0.chars, strlen("aA\n!1 \b,./;'<?_"));
}

/* Both shifts are tracked apart: releasing one while the other is held keeps shift on. */
static void both_shift_keys(struct ktest *t)
{
	static const u8 bytes[] = {
		0x2a, 0x36, 0x10,		/* both down, q */
		0xaa, 0x10,			/* left up: still shifted */
		0x2a, 0xb6, 0x10,		/* left down, right up: still shifted */
		0xaa, 0x10,			/* both up */
	};
	char buf[16];

	ASSERT_TRUE(t, send_all(t, bytes, ARRAY_SIZE(bytes)));
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, "QQQq");
}

/* Breaks, modifiers, function keys and prefixed sequences make no character, and do not eat the next key. */
static void unknown_codes_dropped(struct ktest *t)
{
	static const u8 bytes[] = {
		0x01, 0x81,			/* escape */
		0x3b, 0xbb, 0x58, 0xd8,		/* F1, F12 */
		0x1d, 0x9d, 0x38, 0xb8,		/* ctrl, alt */
		0x3a, 0xba,			/* caps lock */
		0xe0, 0x2a, 0xe0, 0x37,		/* print screen: a fake shift inside */
		0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5,	/* pause */
		0x7f, 0xfa,			/* no key; an ACK */
		0x30, 0xb0,			/* b */
	};
	struct i8042_stats st0, st;
	char buf[16];

	i8042_get_stats(&st0);
	ASSERT_TRUE(t, send_all(t, bytes, ARRAY_SIZE(bytes)));
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, "b");
	i8042_get_stats(&st);
	EXPECT_EQ(t, st.chars - st0.chars, 1);
	EXPECT_EQ(t, st.ignored - st0.ignored, ARRAY_SIZE(bytes) - 1);
}

/* The editing keys come out as a terminal's escape sequences, so the shell edits alike from both. */
static void editing_keys_make_sequences(struct ktest *t)
{
	static const u8 bytes[] = {
		0xe0, 0x48, 0xe0, 0xc8,		/* up */
		0xe0, 0x50, 0xe0, 0xd0,		/* down */
		0xe0, 0x4d, 0xe0, 0xcd,		/* right */
		0xe0, 0x4b, 0xe0, 0xcb,		/* left */
		0xe0, 0x47, 0xe0, 0xc7,		/* home */
		0xe0, 0x4f, 0xe0, 0xcf,		/* end */
		0xe0, 0x53, 0xe0, 0xd3,		/* delete */
		0xe0, 0xaa, 0xe0, 0x48,		/* up with a fake shift release before it */
	};
	static const char want[] = "\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[3~\x1b[A";
	char buf[64];

	ASSERT_TRUE(t, send_all(t, bytes, ARRAY_SIZE(bytes)));
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, want);
}

/* Either Ctrl with a letter makes its control character; other keys stay as they are. */
static void ctrl_letters(struct ktest *t)
{
	static const u8 bytes[] = {
		0x1d, 0x2e, 0xae, 0x9d,		/* left ctrl + c */
		0xe0, 0x1d, 0x16, 0x96,		/* right ctrl + u */
		0x02, 0x82, 0xe0, 0x9d,		/* (right ctrl still down) 1, release */
		0x2e, 0xae,			/* c again, no ctrl */
	};
	char buf[16];

	ASSERT_TRUE(t, send_all(t, bytes, ARRAY_SIZE(bytes)));
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, "\x03\x15" "1c");
}

static int i8042_suite_init(struct ktest *t)
{
	/* the cases wait for interrupts */
	if (irqs_disabled())
		return -EINVAL;
	nr_saved = (int)console_input_drain(saved_input, sizeof(saved_input));
	return 0;
}

/* Release both shifts whatever the case did, drop what it left queued, give back what was there before. */
static void i8042_suite_exit(struct ktest *t)
{
	char junk[CONSOLE_INPUT_SIZE];

	if (nr_saved < 0)
		return;
	send(t, 0xaa);
	send(t, 0xb6);
	send(t, 0x9d);
	send(t, 0xe0);
	send(t, 0x9d);
	console_input_drain(junk, sizeof(junk));
	for (int i = 0; i < nr_saved; i++)
		console_input_push(saved_input[i]);
	nr_saved = -1;
}

static struct ktest_case i8042_cases[] = {
	KTEST_CASE(one_irq1_per_byte),
	KTEST_CASE(keys_arrive_in_order),
	KTEST_CASE(both_shift_keys),
	KTEST_CASE(unknown_codes_dropped),
	KTEST_CASE(editing_keys_make_sequences),
	KTEST_CASE(ctrl_letters),
	{},
};
KTEST_SUITE(i8042, i8042_cases, .init = i8042_suite_init, .exit = i8042_suite_exit);
