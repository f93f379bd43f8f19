/*
 * The I/O APICs as an irq_chip, "IO-APIC" (Intel 82093AA datasheet).
 *
 * Every IOAPIC the MADT lists serves the GSIs from its base up. ISA IRQs
 * keep their numbers (0-15) and go to the GSI the MADT's interrupt source
 * overrides give them (IRQ 0 -> GSI 2 on QEMU), with the override's
 * polarity and trigger, ISA's edge/active-high otherwise; other GSIs use
 * their GSI as IRQ number. Edge lines use handle_edge_irq (ack = LAPIC
 * EOI), level lines handle_fasteoi_irq (one EOI at the end; the LAPIC
 * broadcasts it to the IOAPIC, clearing Remote IRR). Each line gets a
 * vector when it starts up, on one CPU (physical destination): the least
 * loaded of its affinity.
 *
 * Moving a live line (IRQCHIP_MOVE_DEFERRED) waits for its next
 * interrupt, as in Linux. A level line's EOI reaches the IOAPIC as a
 * broadcast naming a vector, and clears Remote IRR only in entries with
 * that vector: had the entry been given a new vector while an interrupt
 * was in service, that EOI would match nothing, Remote IRR would stay
 * set and the pin would never deliver again. So the move is made in the
 * line's own EOI: mask the entry, EOI (the old vector is still in it, so
 * Remote IRR clears), then, with the entry masked and Remote IRR clear,
 * write the new destination and vector, and unmask. A level interrupt
 * cannot be lost that way: if the device still asserts, the IOAPIC sees
 * the level when the entry is unmasked and delivers it to the new CPU.
 * An edge line moves in its ack, masked only for the three register
 * writes (an 82093AA may drop an edge arriving in that window, as it may
 * in Linux; QEMU's keeps it pending). The old vector is released to
 * vector.c, which frees it once its CPU holds nothing for it.
 */
#define pr_fmt(fmt) "ioapic: " fmt
#include <asm/io_apic.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/acpi.h>
#include <asm/hw_irq.h>
#include <kernel/irqdesc.h>
#include <kernel/vmalloc.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/errno.h>

#define IOAPIC_REGSEL	0x00	/* register select */
#define IOAPIC_WINDOW	0x10	/* data window */
#define IOAPIC_REG_ID	0x00
#define IOAPIC_REG_VER	0x01	/* bits 16-23: highest redirection entry */
#define IOAPIC_REG_RTE(pin)	(0x10 + 2 * (pin))	/* low dword; high at + 1 */

#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_REMOTE_IRR	(1u << 14)
#define RTE_ACTIVE_LOW	(1u << 13)
#define RTE_PENDING	(1u << 12)	/* delivery status */
#define RTE_DM_NMI	(4u << 8)	/* delivery mode NMI */

struct ioapic {
	volatile u32 *base;
	u8 id;
	u32 gsi_base;
	unsigned int nr_pins;
};

/* Per line: where it is and where it goes. */
struct ioapic_line {
	struct irq_cfg cfg;		/* vector and CPU (asm/hw_irq.h) */
	int ioapic;
	unsigned int pin;
	u32 gsi;
	bool level, active_low;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static int nr_ioapics;
static struct ioapic_line lines[NR_IRQS];
static DEFINE_SPINLOCK(ioapic_lock);	/* serializes register-select/window pairs */

static u32 io_read(struct ioapic *io, u32 reg)
{
	io->base[IOAPIC_REGSEL / 4] = reg;
	return io->base[IOAPIC_WINDOW / 4];
}

static void io_write(struct ioapic *io, u32 reg, u32 v)
{
	io->base[IOAPIC_REGSEL / 4] = reg;
	io->base[IOAPIC_WINDOW / 4] = v;
}

/*
 * Program a line's redirection entry from its state; masked as asked.
 * The entry is masked first, so that no interrupt goes out while one half
 * is old and the other new (old vector to the new CPU, or the reverse).
 */
/* The low half of a line's redirection entry, from its state. */
static u32 rte_low(const struct ioapic_line *l, bool masked)
{
	return l->cfg.vector | (l->level ? RTE_LEVEL : 0) | (l->active_low ? RTE_ACTIVE_LOW : 0) |
	       (masked ? RTE_MASKED : 0);
}

static void write_rte(struct ioapic_line *l, bool masked)
{
	struct ioapic *io = &ioapics[l->ioapic];
	u32 low = rte_low(l, masked);
	/* the CPU whose vector table has the line, whichever CPU writes the entry */
	u32 dest = x86_cpu_to_apicid[l->cfg.cpu];
	unsigned long flags;

	spin_lock_irqsave(&ioapic_lock, flags);
	io_write(io, IOAPIC_REG_RTE(l->pin), io_read(io, IOAPIC_REG_RTE(l->pin)) | RTE_MASKED);
	io_write(io, IOAPIC_REG_RTE(l->pin) + 1, dest << 24);
	io_write(io, IOAPIC_REG_RTE(l->pin), low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

/* The entry's low half as the IOAPIC has it now (Remote IRR, mask). */
static u32 read_rte_low(struct ioapic_line *l)
{
	unsigned long flags;
	u32 low;

	spin_lock_irqsave(&ioapic_lock, flags);
	low = io_read(&ioapics[l->ioapic], IOAPIC_REG_RTE(l->pin));
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return low;
}

/*
 * Mask or unmask a line by writing the low half its state gives (the
 * entry always holds exactly that: write_rte() is the only other writer,
 * and the bits it does not set are read-only), so no read is needed
 * first. After masking, one read of the window waits until the IOAPIC
 * has the write (Linux's io_apic_sync): the handler may quieten the
 * device only once the line can no longer fire.
 */
static void set_masked(struct irq_data *d, bool masked)
{
	struct ioapic_line *l = d->chip_data;
	struct ioapic *io = &ioapics[l->ioapic];
	unsigned long flags;

	spin_lock_irqsave(&ioapic_lock, flags);
	io_write(io, IOAPIC_REG_RTE(l->pin), rte_low(l, masked));
	if (masked)
		(void)io->base[IOAPIC_WINDOW / 4];
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

static void ioapic_mask(struct irq_data *d)
{
	set_masked(d, true);
}

static void ioapic_unmask(struct irq_data *d)
{
	set_masked(d, false);
}

static unsigned int ioapic_startup(struct irq_data *d)
{
	struct ioapic_line *l = d->chip_data;
	struct irq_desc *desc = irq_to_desc(d->irq);

	/* irq_startup() placed it already; if that failed, its old CPU */
	if (!l->cfg.vector) {
		int v = irq_alloc_vector(desc, l->cfg.cpu);

		if (v < 0) {
			pr_err("no vector left for IRQ %u\n", d->irq);
			return 0;
		}
		l->cfg.vector = v;
		d->effective_affinity = cpumask_of(l->cfg.cpu);
	}
	write_rte(l, false);
	return 0;
}

/* Edge lines: the LAPIC has the vector in service until EOI; a pending move is made first. */
static void ioapic_ack_edge(struct irq_data *d)
{
	irq_move_irq(d);
	apic_eoi();
}

/*
 * Level lines: the EOI is broadcast to the IOAPIC and clears Remote IRR.
 * A pending move: mask, EOI while the entry still has the old vector,
 * move (the chip refuses with -EBUSY if Remote IRR did not clear), unmask.
 */
static void ioapic_eoi_level(struct irq_data *d)
{
	bool masked;

	if (likely(!irqd_is_setaffinity_pending(d))) {
		apic_eoi();
		return;
	}
	masked = irqd_irq_masked(d);
	if (!masked)
		ioapic_mask(d);
	apic_eoi();
	irq_move_masked_irq(d);
	if (!masked)
		ioapic_unmask(d);
}

static int ioapic_set_type(struct irq_data *d, unsigned int type)
{
	struct ioapic_line *l = d->chip_data;
	struct irq_desc *desc = irq_to_desc(d->irq);

	if (type == IRQ_TYPE_NONE)
		return 0;
	if (type == IRQ_TYPE_EDGE_BOTH)
		return -EINVAL;		/* an IOAPIC pin sees one edge */
	l->level = type & IRQ_TYPE_LEVEL_MASK;
	l->active_low = type & (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_EDGE_FALLING);
	desc->handle_irq = l->level ? handle_fasteoi_irq : handle_edge_irq;
	desc->name = l->level ? "fasteoi" : "edge";
	if (l->cfg.vector)
		write_rte(l, irqd_irq_masked(d));
	return 0;
}

/*
 * Route the line to a CPU of dest. The core calls this only while the
 * entry is masked (not started, or from ack/eoi through irq_move_irq()),
 * or when the line may stay where it is.
 */
static int ioapic_set_affinity(struct irq_data *d, const struct cpumask *dest, bool force)
{
	struct ioapic_line *l = d->chip_data;
	struct irq_desc *desc = irq_to_desc(d->irq);
	struct irq_cfg old = l->cfg;
	unsigned int cpu;
	int v;

	if (old.vector && cpumask_test_cpu(old.cpu, dest)) {
		d->effective_affinity = cpumask_of(old.cpu);
		return 0;
	}
	/* an interrupt still in service: its EOI will name the old vector (see the top) */
	if (old.vector && (read_rte_low(l) & RTE_REMOTE_IRR))
		return -EBUSY;
	v = irq_alloc_vector_mask(desc, dest, &cpu, NULL);
	if (v < 0)
		return v;
	l->cfg = (struct irq_cfg){ (unsigned int)v, cpu };
	if (old.vector) {
		write_rte(l, read_rte_low(l) & RTE_MASKED);
		irq_release_vector(old.cpu, old.vector);
	}
	d->effective_affinity = cpumask_of(cpu);
	return 0;
}

/* Raise the vector again through the LAPIC, as a retrigger of the line. */
static int ioapic_retrigger(struct irq_data *d)
{
	return irq_cfg_retrigger(&((struct ioapic_line *)d->chip_data)->cfg);
}

struct irq_chip ioapic_chip = {
	.name = "IO-APIC",
	.irq_startup = ioapic_startup,
	.irq_mask = ioapic_mask,
	.irq_unmask = ioapic_unmask,
	.irq_ack = ioapic_ack_edge,
	.irq_eoi = ioapic_eoi_level,
	.irq_set_type = ioapic_set_type,
	.irq_set_affinity = ioapic_set_affinity,
	.irq_retrigger = ioapic_retrigger,
	.flags = IRQCHIP_MOVE_DEFERRED,
};

/* The IOAPIC and pin of a GSI; -1 if no IOAPIC serves it. */
static int find_gsi(u32 gsi, unsigned int *pin)
{
	for (int i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return i;
		}
	}
	return -1;
}

/* IRQ_TYPE_* from MPS INTI flags, with the bus default for "conforms". */
static unsigned int inti_to_type(u16 flags, bool isa)
{
	bool level = (flags & ACPI_INTI_TRIGGER_MASK) ? (flags & ACPI_INTI_TRIGGER_MASK) == 0xc : !isa;
	bool low = (flags & ACPI_INTI_POLARITY_MASK) ? (flags & ACPI_INTI_POLARITY_MASK) == 3 : !isa;

	if (level)
		return low ? IRQ_TYPE_LEVEL_LOW : IRQ_TYPE_LEVEL_HIGH;
	return low ? IRQ_TYPE_EDGE_FALLING : IRQ_TYPE_EDGE_RISING;
}

static int setup_line(unsigned int irq, u32 gsi, unsigned int type)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct ioapic_line *l;
	unsigned int pin;
	int io = find_gsi(gsi, &pin);

	if (io < 0 || !desc)
		return -ENODEV;
	l = &lines[irq];
	*l = (struct ioapic_line){ .ioapic = io, .pin = pin, .gsi = gsi };
	irq_set_chip_and_handler_name(irq, &ioapic_chip, handle_edge_irq, "edge");
	irq_set_chip_data(irq, l);
	irq_set_hwirq(irq, gsi);
	irq_set_irq_type(irq, type);
	return 0;
}

int ioapic_gsi_to_irq(u32 gsi, bool pci)
{
	int isa = acpi_gsi_to_isa_irq(gsi);
	unsigned int irq = isa >= 0 ? (unsigned int)isa : gsi;
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned int pin;

	if (find_gsi(gsi, &pin) < 0 || !desc)
		return -ENODEV;
	if (desc->irq_data.chip != &ioapic_chip || desc->irq_data.hwirq != gsi) {
		int ret = setup_line(irq, gsi, pci ? IRQ_TYPE_LEVEL_LOW : IRQ_TYPE_EDGE_RISING);
		if (ret)
			return ret;
	}
	return (int)irq;
}

int ioapic_pci_line_to_irq(unsigned int line)
{
	u32 gsi;
	u16 flags;
	int irq;

	if (line >= NR_IRQS_LEGACY)
		return ioapic_gsi_to_irq(line, true);
	if (acpi_isa_irq_to_gsi(line, &gsi, &flags))
		return -ENODEV;
	irq = ioapic_gsi_to_irq(gsi, true);
	if (irq < 0)
		return irq;
	/* a PCI line: level, active low, unless the MADT overrides it */
	if (!irq_to_desc(irq)->action)
		irq_set_irq_type(irq, (flags & (ACPI_INTI_POLARITY_MASK | ACPI_INTI_TRIGGER_MASK)) ?
					      inti_to_type(flags, false) : IRQ_TYPE_LEVEL_LOW);
	return irq;
}

bool ioapic_line_info(unsigned int irq, struct ioapic_line_info *info)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct ioapic_line *l;
	u32 low;
	unsigned long flags;

	if (!desc || desc->irq_data.chip != &ioapic_chip)
		return false;
	l = desc->irq_data.chip_data;
	spin_lock_irqsave(&ioapic_lock, flags);
	low = io_read(&ioapics[l->ioapic], IOAPIC_REG_RTE(l->pin));
	info->dest = io_read(&ioapics[l->ioapic], IOAPIC_REG_RTE(l->pin) + 1) >> 24;
	spin_unlock_irqrestore(&ioapic_lock, flags);
	info->ioapic = l->ioapic;
	info->pin = l->pin;
	info->gsi = l->gsi;
	info->vector = low & 0xff;
	info->level = low & RTE_LEVEL;
	info->active_low = low & RTE_ACTIVE_LOW;
	info->masked = low & RTE_MASKED;
	info->remote_irr = low & RTE_REMOTE_IRR;
	return true;
}

static bool gsi_is_nmi_source(u32 gsi)
{
	for (int i = 0; i < acpi_madt.nr_nmi_sources; i++)
		if (acpi_madt.nmi_sources[i].gsi == gsi)
			return true;
	return false;
}

unsigned int ioapic_gsi_end(void)
{
	unsigned int end = NR_IRQS_LEGACY;

	for (int i = 0; i < nr_ioapics; i++)
		end = max(end, ioapics[i].gsi_base + ioapics[i].nr_pins);
	return end;
}

int ioapic_init(void)
{
	for (int i = 0; i < acpi_madt.nr_ioapics && nr_ioapics < MADT_MAX_IOAPICS; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];

		io->base = ioremap(acpi_madt.ioapics[i].addr, 4096);
		if (!io->base) {
			pr_err("cannot map IOAPIC %u at %#x\n", acpi_madt.ioapics[i].id,
			       acpi_madt.ioapics[i].addr);
			continue;
		}
		io->id = acpi_madt.ioapics[i].id;
		io->gsi_base = acpi_madt.ioapics[i].gsi_base;
		io->nr_pins = ((io_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < io->nr_pins; pin++)
			io_write(io, IOAPIC_REG_RTE(pin), RTE_MASKED);
		pr_info("IOAPIC[%d]: apic_id %u, version %#x, address %#x, GSI %u-%u\n", nr_ioapics,
			io->id, io_read(io, IOAPIC_REG_VER) & 0xff, acpi_madt.ioapics[i].addr,
			io->gsi_base, io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
	if (!nr_ioapics)
		return -ENODEV;
	/* NMI sources (MADT type 3): pins wired to NMI, delivered as NMI to the boot CPU */
	for (int i = 0; i < acpi_madt.nr_nmi_sources; i++) {
		const struct madt_nmi_source *n = &acpi_madt.nmi_sources[i];
		unsigned int pin;
		int io = find_gsi(n->gsi, &pin);
		unsigned int type = inti_to_type(n->flags, true);
		u32 low = RTE_DM_NMI | ((type & IRQ_TYPE_LEVEL_MASK) ? RTE_LEVEL : 0) |
			  ((type & (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_EDGE_FALLING)) ? RTE_ACTIVE_LOW : 0);

		if (io < 0)
			continue;
		io_write(&ioapics[io], IOAPIC_REG_RTE(pin) + 1, lapic_read_id() << 24);
		io_write(&ioapics[io], IOAPIC_REG_RTE(pin), low);
		pr_info("GSI %u is an NMI source\n", n->gsi);
	}
	/* the ISA IRQs, through the overrides; a GSI another ISA IRQ took is left alone (IRQ 2) */
	for (unsigned int irq = 0; irq < NR_IRQS_LEGACY; irq++) {
		u32 gsi;
		u16 flags;
		int owner;

		if (acpi_isa_irq_to_gsi(irq, &gsi, &flags))
			continue;
		owner = acpi_gsi_to_isa_irq(gsi);
		if ((owner >= 0 && (unsigned int)owner != irq) || gsi_is_nmi_source(gsi))
			continue;
		if (setup_line(irq, gsi, inti_to_type(flags, true)) == 0 && gsi != irq)
			pr_info("IRQ %u -> GSI %u (%s, %s)\n", irq, gsi,
				irqd_is_level_type(irq_get_irq_data(irq)) ? "level" : "edge",
				lines[irq].active_low ? "active low" : "active high");
	}
	return 0;
}
