/* The I/O APICs (arch/x86_64/irq/ioapic.c). */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include <kernel/irq.h>

extern struct irq_chip ioapic_chip;

/* Map every IOAPIC the MADT lists, mask all pins, take over IRQs 0-15. */
int ioapic_init(void);
/* The IRQ number of a GSI, setting the line up (PCI: level, active low) if needed; -ENODEV. */
int ioapic_gsi_to_irq(u32 gsi, bool pci);
/* The IRQ of a PCI device whose Interrupt Line register (set by the firmware) says line. */
int ioapic_pci_line_to_irq(unsigned int line);

/* One past the highest GSI an IOAPIC serves (16 without IOAPICs): dynamic IRQs start there. */
unsigned int ioapic_gsi_end(void);

/* What a line's redirection entry holds now. */
struct ioapic_line_info {
	int ioapic;
	unsigned int pin;
	u32 gsi;
	u8 vector;
	u8 dest;		/* APIC ID */
	bool level, active_low, masked, remote_irr;
};
bool ioapic_line_info(unsigned int irq, struct ioapic_line_info *info);

#endif
