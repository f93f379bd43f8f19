/*
 * IPI-SIM: test interrupt lines raised with IPIs to the line's CPU (see
 * asm/irq_sim.h): a self-IPI when raised there. Its vector exists only
 * in that CPU's vector table, as for any line, so raising it from another
 * CPU must still send it there.
 * The chip keeps a mask bit and a latch per line, and counts its calls,
 * so tests can check what the flow handlers did to the "controller".
 */
#include <asm/irq_sim.h>
#include <asm/hw_irq.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <kernel/irqdesc.h>
#include <kernel/errno.h>
#include <kernel/string.h>

struct sim_line {
	struct irq_cfg cfg;		/* its vector, on the boot CPU */
	bool masked;
	unsigned int latched;
	struct irq_sim_calls calls;
};

static struct sim_line sim_lines[NR_IRQS];

static struct sim_line *line_of(struct irq_data *d)
{
	return d->chip_data;
}

static void sim_mask(struct irq_data *d)
{
	line_of(d)->masked = true;
	line_of(d)->calls.mask++;
}

static void sim_unmask(struct irq_data *d)
{
	struct sim_line *l = line_of(d);

	l->calls.unmask++;
	l->masked = false;
	/* edges that came while masked are delivered now, once */
	if (l->latched) {
		l->latched = 0;
		apic_send_ipi(x86_cpu_to_apicid[l->cfg.cpu], l->cfg.vector);
	}
}

/* The self-IPI sits in the LAPIC's in-service register until EOI. */
static void sim_ack(struct irq_data *d)
{
	line_of(d)->calls.ack++;
	apic_eoi();
}

static void sim_eoi(struct irq_data *d)
{
	line_of(d)->calls.eoi++;
	apic_eoi();
}

static int sim_retrigger(struct irq_data *d)
{
	line_of(d)->calls.retrigger++;
	return irq_cfg_retrigger(&line_of(d)->cfg);
}

struct irq_chip irq_sim_chip = {
	.name = "IPI-SIM",
	.irq_mask = sim_mask,
	.irq_unmask = sim_unmask,
	.irq_ack = sim_ack,
	.irq_eoi = sim_eoi,
	.irq_retrigger = sim_retrigger,
};

int irq_sim_create(irq_flow_handler_t handle, const char *flow_name)
{
	int irq, vector;

	if (!lapic_is_enabled())
		return -ENODEV;
	irq = irq_alloc_desc_from(NR_IRQS_LEGACY);
	if (irq < 0)
		return irq;
	vector = irq_alloc_vector(irq_to_desc(irq), 0);
	if (vector < 0) {
		irq_free_desc(irq);
		return vector;
	}
	memset(&sim_lines[irq], 0, sizeof(sim_lines[irq]));
	sim_lines[irq].cfg.vector = vector;
	sim_lines[irq].masked = true;
	irq_set_chip_and_handler_name(irq, &irq_sim_chip, handle ? handle : handle_edge_irq,
				      flow_name ? flow_name : "edge");
	irq_set_chip_data(irq, &sim_lines[irq]);
	irq_set_hwirq(irq, vector);
	return irq;
}

void irq_sim_destroy(unsigned int irq)
{
	if (irq >= NR_IRQS || !sim_lines[irq].cfg.vector)
		return;
	irq_free_vector(0, sim_lines[irq].cfg.vector);
	sim_lines[irq].cfg.vector = 0;
	irq_free_desc(irq);
}

void irq_sim_fire(unsigned int irq)
{
	struct sim_line *l = &sim_lines[irq];

	if (l->masked)
		l->latched++;
	else
		apic_send_ipi(x86_cpu_to_apicid[l->cfg.cpu], l->cfg.vector);
}

bool irq_sim_masked(unsigned int irq)
{
	return sim_lines[irq].masked;
}

unsigned int irq_sim_latched(unsigned int irq)
{
	return sim_lines[irq].latched;
}

struct irq_sim_calls irq_sim_calls(unsigned int irq)
{
	return sim_lines[irq].calls;
}
