/* How this machine delivers interrupts, decided once at boot (arch/x86_64/irq/irqinit.c). */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <kernel/types.h>

enum irq_mode {
	IRQ_MODE_PIC,		/* 8259A, through LINT0 (virtual wire) when there is a LAPIC */
	IRQ_MODE_APIC,		/* IOAPIC(s) and the LAPIC; the 8259A fully masked */
};

extern enum irq_mode irq_mode;
/* Why PIC mode was chosen, for the boot log and the tests ("noapic", "no MADT", ...). */
extern const char *irq_mode_reason;

struct madt_info;
/*
 * The boot's choice: APIC mode only with a LAPIC, a usable MADT
 * (acpi_result 0) that lists an IOAPIC, and no `noapic`; anything less
 * falls back to PIC mode. *reason says why.
 */
enum irq_mode irq_select_mode(bool noapic_given, bool have_lapic, int acpi_result,
			     const struct madt_info *madt, const char **reason);
/* Set up the interrupt controllers and the vector table (boot CPU). */
void init_IRQ(void);
/* The IRQ of a PCI device from its firmware-set Interrupt Line; negative errno if none. */
int pcibios_irq_for_line(unsigned int line);
/* Start the clock-event devices: the LAPIC timer in APIC mode, the PIT in PIC mode. */
void time_init(void);

#endif
