/*
 * MSI on x86 as an irq_chip, "PCI-MSI" (PCI Local Bus spec 3.0, 6.8.1;
 * the message format is Intel SDM vol. 3A, 11.11). A device writes the
 * message data to the message address; the address 0xfee00000 | (APIC ID
 * << 12) reaches a LAPIC directly, and the data holds the vector, fixed
 * delivery, edge-triggered. There is no line to mask at an IOAPIC, so
 * masking uses the capability's per-vector mask bit when the device has
 * one; devices without it (QEMU's edu) cannot be masked, which edge flow
 * copes with: a message that comes while disabled is marked PENDING and
 * resent on enable.
 *
 * Affinity: the vector is allocated on the least loaded CPU of the
 * default affinity, and a move rewrites address and data at once from
 * irq_set_affinity(). The address (destination) and data (vector) are
 * two separate config writes, and a device that cannot be masked may
 * send between them; so the new vector is chosen free on both CPUs and
 * bound on both, and the data is written first: a message sent between
 * the writes goes to (old CPU, new vector), one after to (new CPU, new
 * vector), and both run this line's handler. The old CPU's two vectors
 * are then released (vector.c frees them once nothing is pending there).
 * A device with per-vector masking is masked around the writes as well.
 */
#define pr_fmt(fmt) "msi: " fmt
#include <asm/hw_irq.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/io_apic.h>
#include <asm/smp.h>
#include <kernel/pci.h>
#include <kernel/irqdesc.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

#define MSI_ADDR_BASE		0xfee00000u
#define MSI_ADDR_DEST_SHIFT	12

struct msi_line {
	struct irq_cfg cfg;		/* vector and CPU */
	struct pci_dev *dev;
	int cap;			/* offset of the MSI capability */
	u16 ctrl;			/* message control as found */
};

static struct msi_line msi_lines[NR_IRQS];

static int data_offset(const struct msi_line *l)
{
	return l->cap + ((l->ctrl & PCI_MSI_FLAGS_64BIT) ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32);
}

static int mask_offset(const struct msi_line *l)
{
	return l->cap + ((l->ctrl & PCI_MSI_FLAGS_64BIT) ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
}

static void write_addr(struct msi_line *l)
{
	u32 addr = MSI_ADDR_BASE | (x86_cpu_to_apicid[l->cfg.cpu] << MSI_ADDR_DEST_SHIFT);

	pci_write_config_dword(l->dev, l->cap + PCI_MSI_ADDRESS_LO, addr);
	if (l->ctrl & PCI_MSI_FLAGS_64BIT)
		pci_write_config_dword(l->dev, l->cap + PCI_MSI_ADDRESS_HI, 0);
}

/* vector, fixed delivery, edge */
static void write_data(struct msi_line *l, unsigned int vector)
{
	pci_write_config_word(l->dev, data_offset(l), (u16)vector);
}

/* Address and data for the line's vector on its CPU. */
static void write_msg(struct msi_line *l)
{
	write_addr(l);
	write_data(l, l->cfg.vector);
}

static void set_mask(struct irq_data *d, bool masked)
{
	struct msi_line *l = d->chip_data;

	if (l->ctrl & PCI_MSI_FLAGS_MASKBIT)
		pci_write_config_dword(l->dev, mask_offset(l), masked ? 1 : 0);
}

static void msi_mask(struct irq_data *d)
{
	set_mask(d, true);
}

static void msi_unmask(struct irq_data *d)
{
	set_mask(d, false);
}

static unsigned int msi_startup(struct irq_data *d)
{
	struct msi_line *l = d->chip_data;

	write_msg(l);
	set_mask(d, false);
	/* one vector (QSIZE 0), enabled; INTx off, as the spec wants with MSI */
	pci_write_config_word(l->dev, l->cap + PCI_MSI_FLAGS,
			      (l->ctrl & ~PCI_MSI_FLAGS_QSIZE) | PCI_MSI_FLAGS_ENABLE);
	pci_intx(l->dev, 0);
	return 0;
}

static void msi_shutdown(struct irq_data *d)
{
	struct msi_line *l = d->chip_data;

	set_mask(d, true);
	pci_write_config_word(l->dev, l->cap + PCI_MSI_FLAGS, l->ctrl & ~PCI_MSI_FLAGS_ENABLE);
}

static void msi_ack(struct irq_data *d)
{
	apic_eoi();
}

static int msi_set_affinity(struct irq_data *d, const struct cpumask *dest, bool force)
{
	struct msi_line *l = d->chip_data;
	struct irq_cfg old = l->cfg;
	bool mask = (l->ctrl & PCI_MSI_FLAGS_MASKBIT) && !irqd_irq_masked(d);
	unsigned int cpu;
	int v;

	if (cpumask_test_cpu(old.cpu, dest)) {
		d->effective_affinity = cpumask_of(old.cpu);
		return 0;
	}
	v = irq_alloc_vector_mask(irq_to_desc(d->irq), dest, &cpu, &old);
	if (v < 0)
		return v;
	if (mask)
		set_mask(d, true);
	write_data(l, (unsigned int)v);		/* (old CPU, new vector): bound there too */
	l->cfg = (struct irq_cfg){ (unsigned int)v, cpu };
	write_addr(l);				/* (new CPU, new vector) */
	if (mask)
		set_mask(d, false);
	if ((unsigned int)v != old.vector)
		irq_release_vector(old.cpu, (unsigned int)v);
	irq_release_vector(old.cpu, old.vector);
	d->hwirq = (unsigned long)v;
	d->effective_affinity = cpumask_of(cpu);
	return 0;
}

static int msi_retrigger(struct irq_data *d)
{
	return irq_cfg_retrigger(&((struct msi_line *)d->chip_data)->cfg);
}

struct irq_chip msi_chip = {
	.name = "PCI-MSI",
	.irq_startup = msi_startup,
	.irq_shutdown = msi_shutdown,
	.irq_mask = msi_mask,
	.irq_unmask = msi_unmask,
	.irq_ack = msi_ack,
	.irq_set_affinity = msi_set_affinity,
	.irq_retrigger = msi_retrigger,
	.flags = IRQCHIP_ONESHOT_SAFE,
};

int arch_setup_msi_irq(struct pci_dev *dev, int cap)
{
	struct msi_line *l;
	unsigned int cpu;
	int irq, vector;
	u16 ctrl;

	if (!lapic_is_enabled())
		return -ENODEV;		/* messages go to a LAPIC: none, no MSI */
	if (pci_read_config_word(dev, cap + PCI_MSI_FLAGS, &ctrl))
		return -EIO;
	/* above every GSI the IOAPICs serve, so no IOAPIC line can collide */
	irq = irq_alloc_desc_from(ioapic_gsi_end());
	if (irq < 0)
		return irq;
	/* placed once here; irq_startup() keeps it unless its affinity was changed meanwhile */
	vector = irq_alloc_vector_mask(irq_to_desc(irq), &irq_default_affinity, &cpu, NULL);
	if (vector == -EINVAL) {	/* irqaffinity= names no online CPU: any of them */
		struct cpumask online;

		irq_online_mask(&online);
		vector = irq_alloc_vector_mask(irq_to_desc(irq), &online, &cpu, NULL);
	}
	if (vector < 0) {
		irq_free_desc(irq);
		return vector;
	}
	l = &msi_lines[irq];
	*l = (struct msi_line){ .cfg = { (unsigned int)vector, cpu }, .dev = dev, .cap = cap,
				.ctrl = ctrl };
	irq_set_chip_and_handler_name(irq, &msi_chip, handle_edge_irq, "edge");
	irq_set_chip_data(irq, l);
	/* Linux shows the MSI "hwirq" as bus/devfn-derived; the vector says more here */
	irq_set_hwirq(irq, vector);
	irq_to_desc(irq)->irq_data.state |= IRQ_TYPE_EDGE_RISING;
	irq_to_desc(irq)->irq_data.effective_affinity = cpumask_of(cpu);
	pci_info(dev, "MSI: IRQ %d, vector %#x on CPU %u%s%s\n", irq, vector, cpu,
		 (ctrl & PCI_MSI_FLAGS_64BIT) ? ", 64-bit" : "",
		 (ctrl & PCI_MSI_FLAGS_MASKBIT) ? ", maskable" : ", not maskable");
	return irq;
}

void arch_teardown_msi_irq(struct pci_dev *dev, unsigned int irq)
{
	struct msi_line *l = irq < NR_IRQS ? &msi_lines[irq] : NULL;

	if (!l || l->dev != dev)
		return;
	irq_shutdown_vector(l->cfg.cpu, l->cfg.vector);
	l->dev = NULL;
	irq_free_desc(irq);
}
