/*
 * Interrupts of PCI devices: pci_alloc_irq_vectors() chooses MSI when the
 * device has the capability and the caller allows it, else the INTx pin
 * routed by the firmware (Linux's drivers/pci/msi/ and irq.c, reduced).
 */
#include <kernel/pci.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <asm/irq.h>

int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags)
{
	int ret;

	if (!dev || !min_vecs || max_vecs < min_vecs || !(flags & PCI_IRQ_ALL_TYPES))
		return -EINVAL;
	if (dev->msi_enabled || dev->irq > 0)
		return -EINVAL;		/* already allocated: free first */
	if ((flags & PCI_IRQ_MSI) && min_vecs == 1) {
		int cap = pci_find_capability(dev, PCI_CAP_ID_MSI);

		if (cap) {
			ret = arch_setup_msi_irq(dev, cap);
			if (ret > 0) {
				dev->irq = ret;
				dev->msi_enabled = true;
				return 1;
			}
		}
	}
	if ((flags & PCI_IRQ_LEGACY) && min_vecs == 1 && dev->pin) {
		ret = pcibios_irq_for_line(dev->interrupt_line);
		if (ret >= 0) {
			dev->irq = ret;
			pci_intx(dev, 1);
			return 1;
		}
	}
	return -ENOSPC;
}

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	if (!dev || nr || dev->irq <= 0)
		return -EINVAL;
	return dev->irq;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	if (!dev)
		return;
	if (dev->msi_enabled) {
		arch_teardown_msi_irq(dev, dev->irq);
		dev->msi_enabled = false;
		pci_intx(dev, 1);
	}
	dev->irq = 0;
}
