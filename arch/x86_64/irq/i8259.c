/*
 * The 8259A pair as an irq_chip, "XT-PIC" (Intel 8259A datasheet;
 * ICW = initialization command word, OCW = operation command word).
 *
 * Remapped to vectors 0x20-0x2f (master 0x20, slave 0x28), all lines
 * masked except the cascade (IR2) until a handler is requested. Acked by
 * masking the line and sending a specific EOI (to the slave and then the
 * master's cascade input for IRQ 8-15). A spurious interrupt shows up as
 * IRQ 7 or 15 with nothing in service (a request that went away before
 * the CPU acknowledged it): it is counted and dropped before the flow
 * handler, and not EOIed, except that a spurious IRQ 15 still EOIs the
 * master, which did see the cascade.
 */
#define pr_fmt(fmt) "i8259: " fmt
#include <asm/i8259.h>
#include <asm/hw_irq.h>
#include <asm/io.h>
#include <kernel/irqdesc.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>

#define ICW1_INIT	0x10
#define ICW1_ICW4	0x01	/* ICW4 follows */
#define ICW4_8086	0x01
#define OCW3_READ_IRR	0x0a
#define OCW3_READ_ISR	0x0b
#define EOI_SPECIFIC	0x60	/* OCW2: specific EOI, level in bits 0-2 */

static DEFINE_SPINLOCK(i8259A_lock);
static u16 cached_imr = 0xffff;		/* L: i8259A_lock */
unsigned long i8259_spurious_count[2];

static void write_imr(void)
{
	outb(PIC_MASTER_DATA, cached_imr & 0xff);
	outb(PIC_SLAVE_DATA, cached_imr >> 8);
}

static void i8259_mask(struct irq_data *d)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259A_lock, flags);
	cached_imr |= 1u << d->hwirq;
	write_imr();
	spin_unlock_irqrestore(&i8259A_lock, flags);
}

static void i8259_unmask(struct irq_data *d)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259A_lock, flags);
	cached_imr &= ~(1u << d->hwirq);
	write_imr();
	spin_unlock_irqrestore(&i8259A_lock, flags);
}

static u8 read_reg(u16 cmd_port, u8 ocw3)
{
	outb(cmd_port, ocw3);
	return inb(cmd_port);
}

u16 i8259_read_isr(void)
{
	return read_reg(PIC_MASTER_CMD, OCW3_READ_ISR) | read_reg(PIC_SLAVE_CMD, OCW3_READ_ISR) << 8;
}

u16 i8259_read_irr(void)
{
	return read_reg(PIC_MASTER_CMD, OCW3_READ_IRR) | read_reg(PIC_SLAVE_CMD, OCW3_READ_IRR) << 8;
}

u16 i8259_read_imr(void)
{
	return inb(PIC_MASTER_DATA) | inb(PIC_SLAVE_DATA) << 8;
}

/* Whether IRQ 7/15 is spurious: its in-service bit is clear. Called with the lock held. */
static bool spurious_8259A_irq(unsigned int irq)
{
	u8 isr = irq < 8 ? read_reg(PIC_MASTER_CMD, OCW3_READ_ISR) : read_reg(PIC_SLAVE_CMD, OCW3_READ_ISR);

	return !(isr & (1u << (irq & 7)));
}

static void i8259_mask_ack(struct irq_data *d)
{
	unsigned int irq = d->hwirq;
	unsigned long flags;

	spin_lock_irqsave(&i8259A_lock, flags);
	cached_imr |= 1u << irq;
	write_imr();
	if (irq >= 8) {
		outb(PIC_SLAVE_CMD, EOI_SPECIFIC | (irq & 7));
		outb(PIC_MASTER_CMD, EOI_SPECIFIC | PIC_CASCADE_IR);
	} else {
		outb(PIC_MASTER_CMD, EOI_SPECIFIC | irq);
	}
	spin_unlock_irqrestore(&i8259A_lock, flags);
}

/*
 * IRQ 7 and 15 first: a request that vanished before the CPU acknowledged
 * it makes the 8259A report its lowest-priority input with nothing in
 * service. That is counted and dropped before the flow handler, so no
 * handler sees it and nothing is EOIed -- except the master's cascade
 * input for a spurious IRQ 15: the master did deliver the slave's request.
 */
static void handle_8259_spurious_check(struct irq_desc *desc)
{
	unsigned int irq = desc->irq_data.hwirq;
	unsigned long flags;
	bool spurious;

	spin_lock_irqsave(&i8259A_lock, flags);
	spurious = spurious_8259A_irq(irq);
	if (spurious && irq == 15)
		outb(PIC_MASTER_CMD, EOI_SPECIFIC | PIC_CASCADE_IR);
	spin_unlock_irqrestore(&i8259A_lock, flags);
	if (spurious) {
		i8259_spurious_count[irq == 15]++;
		this_cpu_inc(irq_stat.pic_spurious);
		return;
	}
	handle_level_irq(desc);
}

/*
 * The PIC cannot raise an interrupt again on request; returning 0 makes
 * the core resend a pending edge in software.
 */
static int i8259_retrigger(struct irq_data *d)
{
	return 0;
}

struct irq_chip i8259A_chip = {
	.name = "XT-PIC",
	.irq_mask = i8259_mask,
	.irq_unmask = i8259_unmask,
	.irq_mask_ack = i8259_mask_ack,
	.irq_retrigger = i8259_retrigger,
};

#define ELCR_PORT(irq)		(0x4d0 + (irq) / 8)
#define ELCR_EDGE_ONLY		(1u << 0 | 1u << 1 | 1u << 2 | 1u << 8 | 1u << 13)

void elcr_set_level_irq(unsigned int irq)
{
	unsigned long flags;
	u8 v;

	if (irq >= 16 || (ELCR_EDGE_ONLY & (1u << irq)))
		return;
	spin_lock_irqsave(&i8259A_lock, flags);
	v = inb(ELCR_PORT(irq));
	if (!(v & (1u << (irq % 8))))
		outb(ELCR_PORT(irq), v | 1u << (irq % 8));
	spin_unlock_irqrestore(&i8259A_lock, flags);
}

void init_8259A(void)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259A_lock, flags);
	outb(PIC_MASTER_DATA, 0xff);		/* mask everything while we program it */
	outb(PIC_SLAVE_DATA, 0xff);
	outb(PIC_MASTER_CMD, ICW1_INIT | ICW1_ICW4);	/* ICW1: edge triggered, cascade, ICW4 */
	io_delay();
	outb(PIC_MASTER_DATA, ISA_IRQ_VECTOR(0));	/* ICW2: vector base 0x20 */
	io_delay();
	outb(PIC_MASTER_DATA, 1u << PIC_CASCADE_IR);	/* ICW3: a slave on IR2 */
	io_delay();
	outb(PIC_MASTER_DATA, ICW4_8086);		/* ICW4: 8086 mode, normal EOI */
	io_delay();
	outb(PIC_SLAVE_CMD, ICW1_INIT | ICW1_ICW4);
	io_delay();
	outb(PIC_SLAVE_DATA, ISA_IRQ_VECTOR(8));	/* vector base 0x28 */
	io_delay();
	outb(PIC_SLAVE_DATA, PIC_CASCADE_IR);		/* ICW3: slave identity 2 */
	io_delay();
	outb(PIC_SLAVE_DATA, ICW4_8086);
	io_delay();
	cached_imr = 0xffff & ~(1u << PIC_CASCADE_IR);
	write_imr();
	spin_unlock_irqrestore(&i8259A_lock, flags);
}

void mask_8259A(void)
{
	unsigned long flags;

	spin_lock_irqsave(&i8259A_lock, flags);
	cached_imr = 0xffff;
	write_imr();
	spin_unlock_irqrestore(&i8259A_lock, flags);
}

void i8259_setup_legacy_irqs(void)
{
	irq_reserve_legacy_vectors();
	for (unsigned int irq = 0; irq < NR_IRQS_LEGACY; irq++) {
		struct irq_desc *desc = irq_to_desc(irq);

		/* level flow: ISA edges work with it too (masked while handled), as in Linux */
		irq_set_chip_and_handler_name(irq, &i8259A_chip,
					      irq == 7 || irq == 15 ? handle_8259_spurious_check :
								      handle_level_irq, "level");
		irq_set_hwirq(irq, irq);
		irq_bind_vector(desc, 0, ISA_IRQ_VECTOR(irq));
		desc->irq_data.state |= IRQ_TYPE_EDGE_RISING;
	}
	pr_info("8259A PICs at vectors %#x-%#x, all masked but the cascade\n",
		ISA_IRQ_VECTOR(0), ISA_IRQ_VECTOR(15));
}
