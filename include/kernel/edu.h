/*
 * QEMU's "edu" educational PCI device (1234:11e8, QEMU docs/specs/edu.rst):
 * a test device that raises its interrupt on command. Writing bits to
 * 0x60 ORs them into the interrupt status (0x24) and raises INTx (level,
 * until the status is cleared through 0x64) or, with MSI enabled, sends
 * one message per write.
 */
#ifndef KERNEL_EDU_H
#define KERNEL_EDU_H

#include <kernel/interrupt.h>
#include <kernel/pci.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_REG_ID		0x00	/* 0x010000ed */
#define EDU_REG_LIVENESS	0x04	/* reads back the inverse of what was written */
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_MAX_DEVICES		8

struct edu_dev {
	struct pci_dev *pdev;
	void *mmio;			/* BAR0 */
	int index;
	int irq;			/* after edu_request_irq() */
	bool msi;
	/* the default handler: ack what the device says, then call this (hard-IRQ context) */
	void (*on_irq)(struct edu_dev *edu, u32 status);
	bool ack;			/* the default handler acknowledges (true unless a test wants a storm) */
	unsigned long irqs_handled;	/* interrupts this device raised and the handler took */
	unsigned long irqs_none;	/* handler calls where this device had nothing */
	char name[16];			/* "edu0" */
};

/* Find and map every edu device (at boot). Returns how many. */
int edu_init(void);
int edu_count(void);
struct edu_dev *edu_get(int index);

/* Raise the device's interrupt with status bits (bit 0 if bits is 0). */
void edu_raise(struct edu_dev *edu, u32 bits);
u32 edu_status(struct edu_dev *edu);
void edu_ack(struct edu_dev *edu, u32 bits);

/*
 * Give the device an IRQ and install the default handler: MSI if msi,
 * else INTx with IRQF_SHARED (the edus share a line). Returns 0 or -errno.
 */
int edu_request_irq(struct edu_dev *edu, bool msi);
/*
 * The same with the caller's handlers (dev_id is edu) and IRQF_* flags,
 * e.g. a threaded handler: request_threaded_irq() on the device's MSI or
 * INTx (IRQF_SHARED is added for INTx). Free with edu_free_irq().
 */
int edu_request_threaded_irq(struct edu_dev *edu, bool msi, irq_handler_t handler,
			     irq_handler_t thread_fn, unsigned long irqflags);
void edu_free_irq(struct edu_dev *edu);

#endif
