/*
 * Driver for QEMU's edu device (see include/kernel/edu.h): map BAR0, and
 * a handler that behaves as a shared-line driver must: it reads the
 * device's interrupt status, returns IRQ_NONE when its device raised
 * nothing, and otherwise acknowledges (which lowers INTx) and returns
 * IRQ_HANDLED.
 */
#define pr_fmt(fmt) "edu: " fmt
#include <kernel/edu.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>
#include <asm/io.h>

static struct edu_dev edus[EDU_MAX_DEVICES];
static int nr_edus;

int edu_count(void)
{
	return nr_edus;
}

struct edu_dev *edu_get(int index)
{
	return index >= 0 && index < nr_edus ? &edus[index] : NULL;
}

static u32 edu_read(struct edu_dev *edu, u32 reg)
{
	return readl((u8 *)edu->mmio + reg);
}

static void edu_write(struct edu_dev *edu, u32 reg, u32 v)
{
	writel(v, (u8 *)edu->mmio + reg);
}

void edu_raise(struct edu_dev *edu, u32 bits)
{
	edu_write(edu, EDU_REG_IRQ_RAISE, bits ? bits : 1);
}

u32 edu_status(struct edu_dev *edu)
{
	return edu_read(edu, EDU_REG_IRQ_STATUS);
}

void edu_ack(struct edu_dev *edu, u32 bits)
{
	edu_write(edu, EDU_REG_IRQ_ACK, bits);
}

static irqreturn_t edu_interrupt(int irq, void *dev_id)
{
	struct edu_dev *edu = dev_id;
	u32 status = edu_status(edu);

	if (!status) {
		edu->irqs_none++;
		return IRQ_NONE;
	}
	if (READ_ONCE(edu->ack))
		edu_ack(edu, status);
	edu->irqs_handled++;
	if (edu->on_irq)
		edu->on_irq(edu, status);
	return IRQ_HANDLED;
}

int edu_request_irq(struct edu_dev *edu, bool msi)
{
	return edu_request_threaded_irq(edu, msi, edu_interrupt, NULL, 0);
}

int edu_request_threaded_irq(struct edu_dev *edu, bool msi, irq_handler_t handler,
			     irq_handler_t thread_fn, unsigned long irqflags)
{
	int ret = pci_alloc_irq_vectors(edu->pdev, 1, 1, msi ? PCI_IRQ_MSI : PCI_IRQ_LEGACY);

	if (ret < 0)
		return ret;
	edu->irq = pci_irq_vector(edu->pdev, 0);
	edu->msi = edu->pdev->msi_enabled;
	if (msi)
		pci_set_master(edu->pdev);	/* a message is a DMA write */
	if (!edu->msi)
		irqflags |= IRQF_SHARED;	/* the edus share their INTx line */
	ret = request_threaded_irq(edu->irq, handler, thread_fn, irqflags, edu->name, edu);
	if (ret) {
		pci_free_irq_vectors(edu->pdev);
		edu->irq = 0;
	}
	return ret;
}

void edu_free_irq(struct edu_dev *edu)
{
	if (edu->irq <= 0)
		return;
	free_irq(edu->irq, edu);
	if (edu->msi)
		pci_clear_master(edu->pdev);
	pci_free_irq_vectors(edu->pdev);
	edu->irq = 0;
	edu->msi = false;
}

int edu_init(void)
{
	for (struct pci_dev *pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	     pdev && nr_edus < EDU_MAX_DEVICES; pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, pdev)) {
		struct edu_dev *edu = &edus[nr_edus];

		if (pci_enable_device(pdev))
			continue;
		edu->mmio = pci_iomap(pdev, 0, 0);
		if (!edu->mmio) {
			pci_err(pdev, "cannot map BAR0\n");
			continue;
		}
		edu->pdev = pdev;
		edu->index = nr_edus;
		edu->ack = true;
		snprintf(edu->name, sizeof(edu->name), "edu%d", nr_edus);
		/* a status left by the firmware or a previous boot would look like an interrupt */
		edu_ack(edu, edu_status(edu));
		pr_info("%s at %s: id %#x, INTx pin %c line %u\n", edu->name, pci_name(pdev),
			edu_read(edu, EDU_REG_ID), 'A' + pdev->pin - 1, pdev->interrupt_line);
		nr_edus++;
	}
	return nr_edus;
}
