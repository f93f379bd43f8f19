/*
 * COM1 receive interrupts, tested in the 16550's loopback mode: what the
 * test transmits comes back as received data, which must raise IRQ 4 and
 * arrive, in order, in the console input queue; with the receive
 * interrupt off in IER, it must not. Loopback IRQs are what QEMU does
 * (hw/char/serial.c raises IRQ 4 for looped-back data and OUT2 does not
 * gate it); a real PC cuts IRQ 4 off in loopback. The serial console
 * holds its output during each window, so the KTAP lines cannot loop
 * back. The suite keeps what was queued before it, and IER, and gives
 * them back afterwards.
 */
#include <kernel/ktest.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/irqdesc.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <asm/irqflags.h>
#include <asm/special_insns.h>
#include <asm/io.h>

#define COM1			0x3f8
#define COM1_IRQ		4
#define UART_IER		1	/* interrupt enable */
#define UART_IER_RDI		0x01	/* received data available */
/* From transmit to the handler: generous for a loaded TCG host. */
#define ARRIVAL_TIMEOUT_NS	(200 * NSEC_PER_MSEC)
/* Quiet time in which no (further) IRQ 4 may come. */
#define SETTLE_NS		(5 * NSEC_PER_MSEC)

static char saved_input[CONSOLE_INPUT_SIZE];
static int nr_saved = -1;		/* -1: init did not save the queue */
static bool saved_rx_irq;		/* IER bit 0 before the case */

static struct serial_stats stats_now(void)
{
	struct serial_stats st;

	serial_get_stats(&st);
	return st;
}

/* Wait until the handler has taken `total` bytes since boot; false on timeout. */
static bool wait_rx_bytes(unsigned long total)
{
	u64 start = ktime_get_ns();

	while (stats_now().rx_bytes < total) {
		if (ktime_get_ns() - start > ARRIVAL_TIMEOUT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

/*
 * Every IRQ 4 the interrupt table counted reached the handler, which
 * either took bytes (rx_irqs) or found the UART quiet (rx_none). In APIC
 * mode QEMU gives extra, empty ones: its IOAPIC takes every raise of an
 * edge-triggered pin as a new edge, and the UART raises again while bytes
 * remain (after each RBR read, and on its FIFO timeout), so IRQ_NONE
 * answers are correct there; its 8259 tracks the line level and does not.
 */
static void check_accounting(struct ktest *t, const struct serial_stats *st0, unsigned long irqs0,
			     unsigned long unhandled0)
{
	struct serial_stats st = stats_now();
	unsigned long irqs = kstat_irqs_total(COM1_IRQ) - irqs0;

	ktest_info(t, "IRQ 4: %lu interrupts, %lu with data, %lu empty", irqs,
		   st.rx_irqs - st0->rx_irqs, st.rx_none - st0->rx_none);
	EXPECT_EQ(t, irqs, (st.rx_irqs - st0->rx_irqs) + (st.rx_none - st0->rx_none));
	/* the empty ones, and only they, were answered IRQ_NONE */
	EXPECT_EQ(t, irq_to_desc(COM1_IRQ)->unhandled_total - unhandled0, st.rx_none - st0->rx_none);
}

static unsigned long unhandled_now(void)
{
	return irq_to_desc(COM1_IRQ)->unhandled_total;
}

/* One byte at a time: each raises IRQ 4 and is taken by one handler run; the bytes queue in order. */
static void loopback_bytes_raise_irq4(struct ktest *t)
{
	static const char msg[] = "Hello, 16550!\r";
	struct serial_stats st0 = stats_now();
	unsigned long irqs0 = kstat_irqs_total(COM1_IRQ), unhandled0 = unhandled_now(), irqs;
	unsigned int silent = 0;
	size_t sent;
	char buf[32];

	ASSERT_EQ(t, serial_loopback_begin(), 0);
	for (sent = 0; sent < strlen(msg); sent++) {
		irqs = kstat_irqs_total(COM1_IRQ);
		if (serial_loopback_xmit((u8)msg[sent]) || !wait_rx_bytes(st0.rx_bytes + sent + 1))
			break;
		silent += kstat_irqs_total(COM1_IRQ) == irqs;
	}
	ndelay(SETTLE_NS);
	serial_loopback_end();
	EXPECT_EQ(t, sent, strlen(msg));
	EXPECT_EQ(t, silent, 0);
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, msg);
	EXPECT_EQ(t, stats_now().rx_irqs - st0.rx_irqs, strlen(msg));
	check_accounting(t, &st0, irqs0, unhandled0);
}

/* Bytes that pile up while interrupts are off are all taken, in order, when they come back on. */
static void loopback_burst_in_order(struct ktest *t)
{
	static const char msg[] = "0123456789abcdef";	/* the whole 16-byte FIFO */
	struct serial_stats st0 = stats_now();
	unsigned long irqs0 = kstat_irqs_total(COM1_IRQ), unhandled0 = unhandled_now(), flags;
	char buf[32];
	int ret = 0;

	ASSERT_EQ(t, serial_loopback_begin(), 0);
	local_irq_save(flags);
	for (size_t i = 0; i < strlen(msg) && !ret; i++)
		ret = serial_loopback_xmit((u8)msg[i]);
	local_irq_restore(flags);
	EXPECT_EQ(t, ret, 0);
	EXPECT_TRUE(t, wait_rx_bytes(st0.rx_bytes + strlen(msg)));
	ndelay(SETTLE_NS);
	serial_loopback_end();
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, msg);
	/* one handler run takes what piled up; a later byte may need a second */
	EXPECT_GE(t, stats_now().rx_irqs - st0.rx_irqs, 1);
	EXPECT_LE(t, stats_now().rx_irqs - st0.rx_irqs, strlen(msg));
	check_accounting(t, &st0, irqs0, unhandled0);
}

/*
 * IER bit 0 off: the looped-back bytes wait in the receiver without an
 * interrupt. Turning it on raises IRQ 4 for them at once.
 */
static void ier_off_no_irq(struct ktest *t)
{
	static const char msg[] = "xyz";
	struct serial_stats st0 = stats_now();
	unsigned long irqs0 = kstat_irqs_total(COM1_IRQ);
	char buf[16];
	int ret = 0;

	EXPECT_TRUE(t, serial_set_rx_irq(false));
	ASSERT_EQ(t, serial_loopback_begin(), 0);
	for (size_t i = 0; i < strlen(msg) && !ret; i++)
		ret = serial_loopback_xmit((u8)msg[i]);
	EXPECT_EQ(t, ret, 0);
	ndelay(SETTLE_NS);
	EXPECT_EQ(t, kstat_irqs_total(COM1_IRQ), irqs0);
	EXPECT_EQ(t, stats_now().rx_bytes, st0.rx_bytes);
	EXPECT_EQ(t, console_getc_nonblock(), -1);

	EXPECT_FALSE(t, serial_set_rx_irq(true));
	EXPECT_TRUE(t, wait_rx_bytes(st0.rx_bytes + strlen(msg)));
	serial_loopback_end();
	EXPECT_GE(t, kstat_irqs_total(COM1_IRQ) - irqs0, 1);
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, msg);
}

/* What printk writes during a window is held, not looped back into the input, and written out after. */
static void console_output_held(struct ktest *t)
{
	struct serial_stats st0 = stats_now();
	char buf[16];

	ASSERT_EQ(t, serial_loopback_begin(), 0);
	EXPECT_EQ(t, serial_loopback_begin(), -EBUSY);
	printk(KERN_INFO "uart_irq: this line was held during a loopback window\n");
	EXPECT_EQ(t, serial_loopback_xmit('!'), 0);
	EXPECT_TRUE(t, wait_rx_bytes(st0.rx_bytes + 1));
	ndelay(SETTLE_NS);
	serial_loopback_end();
	serial_loopback_end();		/* a second end is harmless */
	EXPECT_EQ(t, serial_loopback_xmit('?'), -EINVAL);
	console_input_drain(buf, sizeof(buf));
	EXPECT_STREQ(t, buf, "!");
	EXPECT_EQ(t, stats_now().rx_bytes - st0.rx_bytes, 1);
	EXPECT_EQ(t, stats_now().held_dropped, st0.held_dropped);
	EXPECT_NOT_NULL(t, strstr(ktest_log(), "this line was held during a loopback window"));
}

/* The driver claimed IRQ 4 at boot and left the receive interrupt on (the other cases rely on it). */
static void receive_irq_on_after_boot(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(COM1_IRQ);

	EXPECT_TRUE(t, saved_rx_irq);
	ASSERT_NOT_NULL(t, desc->action);
	EXPECT_STREQ(t, desc->action->name, "serial");
}

static int uart_irq_suite_init(struct ktest *t)
{
	/* the cases wait for interrupts */
	if (irqs_disabled())
		return -EINVAL;
	saved_rx_irq = inb(COM1 + UART_IER) & UART_IER_RDI;
	nr_saved = (int)console_input_drain(saved_input, sizeof(saved_input));
	return 0;
}

/* Whatever a case did: out of loopback, IER as before, test bytes dropped, earlier input back. */
static void uart_irq_suite_exit(struct ktest *t)
{
	char junk[CONSOLE_INPUT_SIZE];

	serial_loopback_end();
	if (nr_saved < 0)
		return;
	serial_set_rx_irq(saved_rx_irq);
	console_input_drain(junk, sizeof(junk));
	for (int i = 0; i < nr_saved; i++)
		console_input_push(saved_input[i]);
	nr_saved = -1;
}

static struct ktest_case uart_irq_cases[] = {
	KTEST_CASE(receive_irq_on_after_boot),
	KTEST_CASE(loopback_bytes_raise_irq4),
	KTEST_CASE(loopback_burst_in_order),
	KTEST_CASE(ier_off_no_irq),
	KTEST_CASE(console_output_held),
	{},
};
KTEST_SUITE(uart_irq, uart_irq_cases, .init = uart_irq_suite_init, .exit = uart_irq_suite_exit);
