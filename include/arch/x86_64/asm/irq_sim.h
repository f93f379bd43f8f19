/*
 * "IPI-SIM": interrupt lines for tests, raised by software through the
 * local APIC (an IPI on the line's vector to the line's CPU, a self-IPI
 * when raised there), so that they travel the
 * real path: IDT stub, entry, IRQ stack, vector table, flow handler. Each
 * line behaves as an edge-triggered device line with a mask bit: an edge
 * fired while masked is latched and delivered on unmask.
 */
#ifndef ASM_IRQ_SIM_H
#define ASM_IRQ_SIM_H

#include <kernel/irq.h>

extern struct irq_chip irq_sim_chip;

/* A new line with flow handler handle (NULL: handle_edge_irq); returns its IRQ or -errno. */
int irq_sim_create(irq_flow_handler_t handle, const char *flow_name);
void irq_sim_destroy(unsigned int irq);
/* Raise the line: delivered at once if unmasked and interrupts are on. */
void irq_sim_fire(unsigned int irq);
/* Whether the chip has the line masked, and how many raises it latched meanwhile. */
bool irq_sim_masked(unsigned int irq);
unsigned int irq_sim_latched(unsigned int irq);
/* Chip calls so far (for checking the flow handlers' use of the chip). */
struct irq_sim_calls {
	unsigned int mask, unmask, ack, eoi, retrigger;
};
struct irq_sim_calls irq_sim_calls(unsigned int irq);

#endif
