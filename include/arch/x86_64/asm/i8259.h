/* The two cascaded 8259A PICs (Intel 8259A datasheet). */
#ifndef ASM_I8259_H
#define ASM_I8259_H

#include <kernel/irq.h>

#define PIC_MASTER_CMD		0x20
#define PIC_MASTER_DATA		0x21
#define PIC_SLAVE_CMD		0xa0
#define PIC_SLAVE_DATA		0xa1
#define PIC_CASCADE_IR		2	/* the slave hangs off master input 2 */

extern struct irq_chip i8259A_chip;

/* Remap to vectors 0x20-0x2f, everything masked but the cascade. */
void init_8259A(void);
/* Mask all 16 lines (APIC mode: the IOAPIC takes over). */
void mask_8259A(void);
/* Hand IRQs 0-15 to the PIC: descriptors, vectors 0x20-0x2f, level flow. */
void i8259_setup_legacy_irqs(void);
/* The in-service (isr = true) or request register, 16 bits. */
u16 i8259_read_isr(void);
u16 i8259_read_irr(void);
/* The mask register, 16 bits (1 = masked). */
u16 i8259_read_imr(void);
/*
 * Make an IRQ level-triggered in the ELCR (edge/level control registers
 * at 0x4d0/0x4d1 of the PIIX/ICH south bridges), as Linux does for a PCI
 * line in PIC mode: SeaBIOS sets the PCI lines level, OVMF does not.
 * IRQs 0, 1, 2, 8 and 13 are always edge (the chipset ignores them).
 */
void elcr_set_level_irq(unsigned int irq);
/* Spurious IRQ 7/15 seen (nothing in service when the PIC signalled). */
extern unsigned long i8259_spurious_count[2];

#endif
