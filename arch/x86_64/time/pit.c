/*
 * The 8254 PIT (Intel 82C54 datasheet). Channel 0 drives IRQ 0 and is a
 * clock-event device: mode 2 (rate generator) for periodic, mode 0
 * (interrupt on terminal count) for one-shot. Channel 2, gated through
 * port 0x61 and readable there (OUT2), times calibrations without
 * interrupts.
 */
#define pr_fmt(fmt) "pit: " fmt
#include <asm/i8253.h>
#include <asm/io.h>
#include <kernel/clockchips.h>
#include <kernel/interrupt.h>
#include <kernel/jiffies.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>

#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PORT_B		0x61	/* bit 0: gate 2, bit 1: speaker, bit 5: OUT2 */

static DEFINE_SPINLOCK(pit_lock);
static u8 port_b_saved;

void pit_gate_start(u16 count)
{
	port_b_saved = inb(PORT_B);
	outb(PORT_B, (port_b_saved & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_MODE, 0xb0);				/* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
}

bool pit_gate_expired(void)
{
	return inb(PORT_B) & 0x20;
}

void pit_gate_stop(void)
{
	outb(PORT_B, port_b_saved);
}

static int pit_set_periodic(struct clock_event_device *dev)
{
	unsigned long latch = (PIT_TICK_RATE * dev->period_ns + 500000000) / 1000000000;
	unsigned long flags;

	spin_lock_irqsave(&pit_lock, flags);
	outb(PIT_MODE, 0x34);			/* channel 0, lo/hi byte, mode 2 */
	outb(PIT_CH0, latch & 0xff);
	outb(PIT_CH0, latch >> 8);
	spin_unlock_irqrestore(&pit_lock, flags);
	return 0;
}

static int pit_set_oneshot(struct clock_event_device *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&pit_lock, flags);
	outb(PIT_MODE, 0x30);			/* channel 0, mode 0: waits for a count, OUT low */
	spin_unlock_irqrestore(&pit_lock, flags);
	return 0;
}

static int pit_next_event(unsigned long delta, struct clock_event_device *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&pit_lock, flags);
	outb(PIT_MODE, 0x30);			/* channel 0, lo/hi byte, mode 0 */
	outb(PIT_CH0, delta & 0xff);
	outb(PIT_CH0, delta >> 8);
	spin_unlock_irqrestore(&pit_lock, flags);
	return 0;
}

static int pit_shutdown(struct clock_event_device *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&pit_lock, flags);
	outb(PIT_MODE, 0x30);			/* mode 0 and no count: the counter waits, OUT stays low */
	spin_unlock_irqrestore(&pit_lock, flags);
	return 0;
}

static struct clock_event_device pit_ce = {
	.name = "pit",
	.features = CLOCK_EVT_FEAT_PERIODIC | CLOCK_EVT_FEAT_ONESHOT,
	.set_state_periodic = pit_set_periodic,
	.set_state_oneshot = pit_set_oneshot,
	.set_state_shutdown = pit_shutdown,
	.set_next_event = pit_next_event,
	.rating = 50,
	.irq = 0,
};

static irqreturn_t pit_interrupt(int irq, void *dev_id)
{
	struct clock_event_device *dev = dev_id;

	dev->events++;
	if (dev->event_handler)
		dev->event_handler(dev);
	return IRQ_HANDLED;
}

int pit_clockevent_init(void)
{
	int ret = request_irq(0, pit_interrupt, IRQF_NOBALANCING | IRQF_IRQPOLL, "timer", &pit_ce);

	if (ret) {
		pr_err("cannot get IRQ 0: %d\n", ret);
		return ret;
	}
	/* a 16-bit counter: at most 65535 ticks (55 ms) per one-shot */
	clockevents_config_and_register(&pit_ce, PIT_TICK_RATE, 1, 0xffff);
	return 0;
}
