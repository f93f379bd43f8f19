/*
 * 16550 UART on COM1 (I/O base 0x3f8, IRQ 4), after the National
 * Semiconductor PC16550D datasheet. Transmit is polled: it waits for the
 * holding register to empty (LSR.THRE) before each byte, which Bochs
 * insists on; "\n" goes out as "\r\n". Receive is interrupt-driven once
 * serial_irq_init() ran: the IRQ 4 handler empties the receiver into the
 * console input queue. serial_getc() still polls, for the panic path.
 *
 * Loopback (MCR bit 4) feeds the transmitter back into the receiver, for
 * tests. QEMU's model (hw/char/serial.c) raises IRQ 4 for looped-back
 * data like for any received data and does not gate the line with OUT2
 * (MCR bit 3); on a real PC the datasheet forces OUT2 inactive in
 * loopback, which cuts IRQ 4 off, so loopback interrupts are a property
 * of the emulator. OUT2 stays set here as a PC needs it outside loopback.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/interrupt.h>
#include <kernel/spinlock.h>
#include <kernel/errno.h>
#include <asm/io.h>

#define COM1		0x3f8
#define COM1_IRQ	4
#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_IER_RDI	0x01	/* received data available (and FIFO timeout) */
#define UART_IIR	2	/* interrupt identification (read) */
#define UART_IIR_NO_INT	0x01	/* no interrupt pending */
#define UART_DLL	0	/* divisor latch low (DLAB = 1) */
#define UART_DLM	1	/* divisor latch high (DLAB = 1) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT2	0x08	/* on a PC: connects the IRQ output to the interrupt controller */
#define UART_MCR_LOOP	0x10	/* loopback */
#define UART_LSR	5	/* line status */
#define UART_LSR_DR	0x01	/* data ready */
#define UART_LSR_THRE	0x20	/* transmit holding register empty */
#define UART_LSR_TEMT	0x40	/* transmitter empty (holding and shift register) */
#define UART_MSR	6	/* modem status */
#define UART_LCR_DLAB	0x80
#define BAUD_BASE	115200
#define UART_FIFO_SIZE	16

/* Bytes one interrupt takes at most: more than the FIFO holds, so a stuck DR cannot hold the CPU. */
#define RX_PASS_LIMIT	256
/* Console output kept during a loopback window; a test window prints nothing, a stray printk fits. */
#define HOLD_SIZE	1024
/* Polls of LSR before a transmit gives up on a wedged UART (over 1 ms at 115200 baud). */
#define TX_SPINS	100000

static DEFINE_SPINLOCK(uart_lock);	/* orders THR, IER, MCR and the state below */
static bool irq_claimed;		/* L: uart_lock; IRQ 4 is ours */
static bool in_loopback;		/* L: uart_lock */
static u8 mcr_normal = UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2;	/* MCR outside loopback */
static char hold_buf[HOLD_SIZE];	/* L: uart_lock; console output held in loopback */
static unsigned int hold_len;		/* L: uart_lock */
static struct serial_stats stats;	/* L: uart_lock */

static void uart_init(unsigned int baud)
{
	unsigned int div = BAUD_BASE / baud;

	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + UART_DLL, div & 0xff);
	outb(COM1 + UART_DLM, div >> 8);
	outb(COM1 + UART_LCR, 0x03);		/* 8N1 */
	/*
	 * Keep what was typed before the kernel ran (QEMU holds piped input
	 * back until the receiver has room): turning the FIFOs on, or
	 * clearing them, would throw it away.
	 */
	for (int i = 0; i < UART_FIFO_SIZE && (inb(COM1 + UART_LSR) & UART_LSR_DR); i++)
		console_input_push((char)inb(COM1 + UART_RBR));
	/*
	 * FIFOs on and cleared, receive trigger at 1 byte: console input is
	 * typing, and each keystroke should interrupt at once rather than
	 * after the 4-character timeout a deeper trigger level waits for.
	 */
	outb(COM1 + UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
	outb(COM1 + UART_MCR, mcr_normal);
}

/* Wait for the holding register to empty, then write; uart_lock held. */
static void __uart_tx(u8 c)
{
	for (int i = 0; i < TX_SPINS && !(inb(COM1 + UART_LSR) & UART_LSR_THRE); i++)
		;
	outb(COM1 + UART_THR, c);
}

/* Wait until the last byte has left the shift register; uart_lock held. */
static void __uart_drain_tx(void)
{
	for (int i = 0; i < TX_SPINS && !(inb(COM1 + UART_LSR) & UART_LSR_TEMT); i++)
		;
}

/* Leave loopback: what the receiver still holds is test data, not input; uart_lock held. */
static void __loopback_leave(void)
{
	__uart_drain_tx();
	outb(COM1 + UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR);
	while (inb(COM1 + UART_LSR) & UART_LSR_DR)
		inb(COM1 + UART_RBR);
	outb(COM1 + UART_MCR, mcr_normal);
	in_loopback = false;
}

/* Transmit or, in a loopback window, hold; uart_lock held. */
static void __uart_put(u8 c)
{
	if (!in_loopback) {
		__uart_tx(c);
	} else if (hold_len < HOLD_SIZE) {
		hold_buf[hold_len++] = (char)c;
	} else {
		stats.held_dropped++;
	}
}

void serial_putc(char c)
{
	unsigned long flags;

	spin_lock_irqsave(&uart_lock, flags);
	__uart_put((u8)c);
	spin_unlock_irqrestore(&uart_lock, flags);
}

int serial_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(COM1 + UART_RBR);
}

/* The printk console: called under printk's lock, with interrupts off. */
static void serial_write(struct console *con, const char *s, size_t n)
{
	unsigned long flags;
	bool locked = true;

	local_irq_save(flags);
	/* an oops may have stopped a CPU inside the lock: do not wait for it then */
	if (oops_in_progress)
		locked = spin_trylock(&uart_lock);
	else
		spin_lock(&uart_lock);
	/* the report of an oops must get out, and not into the receiver */
	if (oops_in_progress && in_loopback)
		__loopback_leave();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			__uart_put('\r');
		__uart_put((u8)s[i]);
	}
	if (locked)
		spin_unlock(&uart_lock);
	local_irq_restore(flags);
}

static struct console serial_console = { .name = "ttyS0", .write = serial_write };

void serial_console_init(void)
{
	uart_init(115200);
	register_console(&serial_console);
}

/*
 * IRQ 4: while the UART reports an interrupt (IIR bit 0 clear), take
 * every byte it holds. Only the receive interrupt is enabled, so reading
 * RBR until LSR.DR clears is what acknowledges it; MSR is read too, in
 * case a modem-status interrupt got enabled behind our back.
 */
static irqreturn_t serial_interrupt(int irq, void *dev_id)
{
	irqreturn_t ret = IRQ_NONE;
	unsigned int n = 0;

	spin_lock(&uart_lock);
	while (n < RX_PASS_LIMIT && !(inb(COM1 + UART_IIR) & UART_IIR_NO_INT)) {
		ret = IRQ_HANDLED;
		if (!(inb(COM1 + UART_LSR) & UART_LSR_DR)) {
			inb(COM1 + UART_MSR);
			n++;
			continue;
		}
		while (n < RX_PASS_LIMIT && (inb(COM1 + UART_LSR) & UART_LSR_DR)) {
			console_input_push((char)inb(COM1 + UART_RBR));
			stats.rx_bytes++;
			n++;
		}
	}
	if (ret == IRQ_HANDLED)
		stats.rx_irqs++;
	else
		stats.rx_none++;
	spin_unlock(&uart_lock);
	return ret;
}

int serial_irq_init(void)
{
	static int dev_id;	/* identifies our action on the line */
	unsigned long flags;
	int ret;

	ret = request_irq(COM1_IRQ, serial_interrupt, 0, "serial", &dev_id);
	if (ret) {
		pr_err("serial: cannot claim IRQ %d (%d): console input stays unavailable\n",
		       COM1_IRQ, ret);
		return ret;
	}
	spin_lock_irqsave(&uart_lock, flags);
	irq_claimed = true;
	/*
	 * Start from a quiet UART: read LSR, RBR, IIR and MSR, which clears
	 * every interrupt source (keeping a byte that is really there). The
	 * RBR read also tells QEMU the receiver has room: its mon:stdio mux
	 * holds back input that came while it had none, and hands it over
	 * only on a read of RBR or on new input.
	 */
	if (inb(COM1 + UART_LSR) & UART_LSR_DR)
		console_input_push((char)inb(COM1 + UART_RBR));
	else
		inb(COM1 + UART_RBR);
	inb(COM1 + UART_IIR);
	inb(COM1 + UART_MSR);
	outb(COM1 + UART_IER, UART_IER_RDI);
	spin_unlock_irqrestore(&uart_lock, flags);
	pr_info("serial: ttyS0 at I/O %#x, IRQ %d, receive by interrupt\n", COM1, COM1_IRQ);
	return 0;
}

bool serial_set_rx_irq(bool on)
{
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&uart_lock, flags);
	was = inb(COM1 + UART_IER) & UART_IER_RDI;
	/* without our handler on IRQ 4 the interrupt would go to nobody */
	if (irq_claimed)
		outb(COM1 + UART_IER, on ? UART_IER_RDI : 0);
	spin_unlock_irqrestore(&uart_lock, flags);
	return was;
}

int serial_loopback_begin(void)
{
	unsigned long flags;

	spin_lock_irqsave(&uart_lock, flags);
	if (in_loopback) {
		spin_unlock_irqrestore(&uart_lock, flags);
		return -EBUSY;
	}
	/* what the console wrote before must reach the line, not the receiver */
	__uart_drain_tx();
	in_loopback = true;
	hold_len = 0;
	outb(COM1 + UART_MCR, mcr_normal | UART_MCR_LOOP);
	spin_unlock_irqrestore(&uart_lock, flags);
	return 0;
}

int serial_loopback_xmit(u8 byte)
{
	unsigned long flags;
	int ret = -EINVAL;

	spin_lock_irqsave(&uart_lock, flags);
	if (in_loopback) {
		__uart_tx(byte);
		ret = 0;
	}
	spin_unlock_irqrestore(&uart_lock, flags);
	return ret;
}

void serial_loopback_end(void)
{
	unsigned long flags;

	spin_lock_irqsave(&uart_lock, flags);
	if (in_loopback) {
		__loopback_leave();
		for (unsigned int i = 0; i < hold_len; i++)
			__uart_tx((u8)hold_buf[i]);
		hold_len = 0;
	}
	spin_unlock_irqrestore(&uart_lock, flags);
}

void serial_get_stats(struct serial_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&uart_lock, flags);
	*st = stats;
	spin_unlock_irqrestore(&uart_lock, flags);
}
