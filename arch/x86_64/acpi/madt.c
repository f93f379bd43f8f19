/*
 * MADT parsing (ACPI 6.5, 5.2.12 "Multiple APIC Description Table"): turn
 * the table's variable-length entries into struct madt_info, refusing any
 * entry whose length does not fit, and say which GSI an ISA IRQ arrives
 * on (5.2.12.5 "Interrupt Source Override Structure").
 */
#define pr_fmt(fmt) "ACPI: " fmt
#include <asm/acpi.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/errno.h>

#define NR_ISA_IRQS		16

struct madt_info acpi_madt;
bool acpi_madt_found;

/*
 * The smallest length of each entry type this file reads; 0 for types it
 * skips. Longer entries are allowed: later ACPI revisions may extend them.
 */
static const u8 madt_entry_size[] = {
	[ACPI_MADT_TYPE_LOCAL_APIC] = sizeof(struct acpi_madt_local_apic),
	[ACPI_MADT_TYPE_IO_APIC] = sizeof(struct acpi_madt_io_apic),
	[ACPI_MADT_TYPE_INTERRUPT_OVERRIDE] = sizeof(struct acpi_madt_interrupt_override),
	[ACPI_MADT_TYPE_NMI_SOURCE] = sizeof(struct acpi_madt_nmi_source),
	[ACPI_MADT_TYPE_LOCAL_APIC_NMI] = sizeof(struct acpi_madt_local_apic_nmi),
	[ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE] = sizeof(struct acpi_madt_local_apic_override),
	[ACPI_MADT_TYPE_LOCAL_X2APIC] = sizeof(struct acpi_madt_local_x2apic),
	[ACPI_MADT_TYPE_LOCAL_X2APIC_NMI] = sizeof(struct acpi_madt_local_x2apic_nmi),
};

/* The arrays of struct madt_info, to report each overflow once per parse. */
enum madt_array { MADT_CPUS, MADT_IOAPICS, MADT_OVERRIDES, MADT_NMI_SOURCES, MADT_LAPIC_NMIS };

struct madt_parse {
	struct madt_info *out;
	unsigned int capped;		/* bit per enum madt_array: overflow reported */
	bool lapic_overridden;		/* a type-5 entry was seen: */
	u64 lapic_override;		/* its address, applied after the walk */
};

/* Whether an array holding nr of max has room; warns the first time it has not. */
static bool has_room(struct madt_parse *p, int nr, int max, enum madt_array which,
		     const char *what)
{
	if (nr < max)
		return true;
	if (!(p->capped & (1u << which))) {
		p->capped |= 1u << which;
		pr_warn("MADT lists more than %d %s; ignoring the rest\n", max, what);
	}
	return false;
}

static void add_cpu(struct madt_parse *p, u32 apic_id, u32 uid, u32 flags, bool x2apic)
{
	struct madt_info *m = p->out;

	if (apic_id == (x2apic ? 0xffffffffu : 0xffu))
		return;			/* a placeholder entry: no processor */
	for (int i = 0; i < m->nr_cpus; i++) {
		if (m->cpus[i].apic_id == apic_id) {
			pr_warn("MADT lists APIC ID %u twice; ignoring the second\n", apic_id);
			return;
		}
	}
	if (!has_room(p, m->nr_cpus, NR_CPUS, MADT_CPUS, "processors"))
		return;
	m->cpus[m->nr_cpus++] = (struct madt_cpu){
		.apic_id = apic_id,
		.acpi_uid = uid,
		.enabled = flags & ACPI_MADT_ENABLED,
		.online_capable = flags & ACPI_MADT_ONLINE_CAPABLE,
		.x2apic = x2apic,
	};
}

static void add_lapic_nmi(struct madt_parse *p, u32 uid, u16 flags, u8 lint)
{
	struct madt_info *m = p->out;

	if (lint > 1) {
		pr_warn("MADT local APIC NMI on LINT%u, which does not exist; ignored\n", lint);
		return;
	}
	if (has_room(p, m->nr_lapic_nmis, MADT_MAX_LAPIC_NMIS, MADT_LAPIC_NMIS,
		     "local APIC NMI entries"))
		m->lapic_nmis[m->nr_lapic_nmis++] = (struct madt_lapic_nmi){ uid, flags, lint };
}

/* Record one entry whose length was checked against madt_entry_size[]. */
static void parse_entry(struct madt_parse *p, const struct acpi_subtable_header *e)
{
	struct madt_info *m = p->out;

	switch (e->type) {
	case ACPI_MADT_TYPE_LOCAL_APIC: {
		const struct acpi_madt_local_apic *a = (const void *)e;

		add_cpu(p, a->id, a->processor_id, a->lapic_flags, false);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_X2APIC: {
		const struct acpi_madt_local_x2apic *a = (const void *)e;

		add_cpu(p, a->local_apic_id, a->uid, a->lapic_flags, true);
		break;
	}
	case ACPI_MADT_TYPE_IO_APIC: {
		const struct acpi_madt_io_apic *a = (const void *)e;

		if (has_room(p, m->nr_ioapics, MADT_MAX_IOAPICS, MADT_IOAPICS, "IOAPICs"))
			m->ioapics[m->nr_ioapics++] = (struct madt_ioapic){
				a->id, a->address, a->global_irq_base };
		break;
	}
	case ACPI_MADT_TYPE_INTERRUPT_OVERRIDE: {
		const struct acpi_madt_interrupt_override *a = (const void *)e;

		if (has_room(p, m->nr_overrides, MADT_MAX_OVERRIDES, MADT_OVERRIDES,
			     "interrupt source overrides"))
			m->overrides[m->nr_overrides++] = (struct madt_override){
				a->bus, a->source_irq, a->global_irq, a->inti_flags };
		break;
	}
	case ACPI_MADT_TYPE_NMI_SOURCE: {
		const struct acpi_madt_nmi_source *a = (const void *)e;

		if (has_room(p, m->nr_nmi_sources, MADT_MAX_NMI_SOURCES, MADT_NMI_SOURCES,
			     "NMI sources"))
			m->nmi_sources[m->nr_nmi_sources++] = (struct madt_nmi_source){
				a->inti_flags, a->global_irq };
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_APIC_NMI: {
		const struct acpi_madt_local_apic_nmi *a = (const void *)e;

		add_lapic_nmi(p, a->processor_id == 0xff ? MADT_ALL_PROCESSORS : a->processor_id,
			      a->inti_flags, a->lint);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_X2APIC_NMI: {
		const struct acpi_madt_local_x2apic_nmi *a = (const void *)e;

		add_lapic_nmi(p, a->uid, a->inti_flags, a->lint);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE:
		p->lapic_overridden = true;
		p->lapic_override = ((const struct acpi_madt_local_apic_override *)e)->address;
		break;
	default:
		break;			/* other architectures' or unused types */
	}
}

int acpi_parse_madt(const struct acpi_table_header *table, struct madt_info *out)
{
	const struct acpi_table_madt *madt = (const void *)table;
	struct madt_parse p = { .out = out };
	u32 len, off;

	memset(out, 0, sizeof(*out));
	if (acpi_validate_table(table, ACPI_SIG_MADT, 0))
		return -EINVAL;
	len = table->length;
	if (len < sizeof(*madt)) {
		pr_warn("[APIC] length %u is shorter than the %zu-byte MADT header\n", len,
			sizeof(*madt));
		return -EINVAL;
	}
	out->lapic_addr = madt->lapic_address;
	out->flags = madt->flags;

	/* each step moves on by at least 2 bytes, and never past len */
	for (off = sizeof(*madt); off < len; ) {
		const struct acpi_subtable_header *e = (const void *)((const u8 *)table + off);
		u8 need;

		if (len - off < sizeof(*e)) {
			pr_warn("[APIC] %u byte left at offset %u: not an entry\n", len - off, off);
			goto bad;
		}
		if (e->length < sizeof(*e)) {
			pr_warn("[APIC] entry at offset %u (type %u) has length %u, less than 2\n",
				off, e->type, e->length);
			goto bad;
		}
		if (e->length > len - off) {
			pr_warn("[APIC] entry at offset %u (type %u, %u bytes) runs past the end of the %u-byte table\n",
				off, e->type, e->length, len);
			goto bad;
		}
		need = e->type < ARRAY_SIZE(madt_entry_size) ? madt_entry_size[e->type] : 0;
		if (e->length < need) {
			pr_warn("[APIC] type %u entry at offset %u has length %u, shorter than its %u-byte layout\n",
				e->type, off, e->length, need);
			goto bad;
		}
		parse_entry(&p, e);
		off += e->length;
	}
	if (p.lapic_overridden)
		out->lapic_addr = p.lapic_override;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

int acpi_madt_isa_irq_to_gsi(const struct madt_info *madt, unsigned int isa_irq, u32 *gsi,
			     u16 *inti_flags)
{
	if (isa_irq >= NR_ISA_IRQS)
		return -EINVAL;
	for (int i = 0; i < madt->nr_overrides; i++) {
		const struct madt_override *o = &madt->overrides[i];

		if (o->bus == 0 && o->source_irq == isa_irq) {
			*gsi = o->gsi;
			*inti_flags = o->flags;
			return 0;
		}
	}
	*gsi = isa_irq;			/* identity-mapped, edge, active high */
	*inti_flags = 0;
	return 0;
}

int acpi_madt_gsi_to_isa_irq(const struct madt_info *madt, u32 gsi)
{
	for (int i = 0; i < madt->nr_overrides; i++) {
		const struct madt_override *o = &madt->overrides[i];

		if (o->bus == 0 && o->source_irq < NR_ISA_IRQS && o->gsi == gsi)
			return o->source_irq;
	}
	if (gsi >= NR_ISA_IRQS)
		return -1;
	/* identity, unless an override moved IRQ gsi to another GSI */
	for (int i = 0; i < madt->nr_overrides; i++) {
		if (madt->overrides[i].bus == 0 && madt->overrides[i].source_irq == gsi)
			return -1;
	}
	return (int)gsi;
}

int acpi_isa_irq_to_gsi(unsigned int isa_irq, u32 *gsi, u16 *inti_flags)
{
	if (!acpi_madt_found)
		return -ENODEV;
	return acpi_madt_isa_irq_to_gsi(&acpi_madt, isa_irq, gsi, inti_flags);
}

int acpi_gsi_to_isa_irq(u32 gsi)
{
	if (!acpi_madt_found)
		return -1;
	return acpi_madt_gsi_to_isa_irq(&acpi_madt, gsi);
}

static const char *const inti_polarity[] = { "conforming", "active high", "reserved", "active low" };
static const char *const inti_trigger[] = { "conforming", "edge", "reserved", "level" };

#define INTI_POLARITY(f)	inti_polarity[(f) & ACPI_INTI_POLARITY_MASK]
#define INTI_TRIGGER(f)		inti_trigger[((f) & ACPI_INTI_TRIGGER_MASK) >> 2]

void acpi_madt_print(const struct madt_info *m)
{
	pr_info("MADT: local APIC at %#llx%s\n", (unsigned long long)m->lapic_addr,
		m->flags & ACPI_MADT_PCAT_COMPAT ? ", PC-AT dual 8259s present" : "");
	for (int i = 0; i < m->nr_cpus; i++) {
		const struct madt_cpu *c = &m->cpus[i];

		pr_info("MADT: CPU APIC ID %#x UID %u %s%s\n", c->apic_id, c->acpi_uid,
			c->enabled ? "enabled" : c->online_capable ? "online-capable" : "disabled",
			c->x2apic ? " (x2APIC entry)" : "");
	}
	for (int i = 0; i < m->nr_ioapics; i++)
		pr_info("MADT: IOAPIC ID %u at %#x, GSI base %u\n", m->ioapics[i].id,
			m->ioapics[i].addr, m->ioapics[i].gsi_base);
	for (int i = 0; i < m->nr_overrides; i++) {
		const struct madt_override *o = &m->overrides[i];

		pr_info("MADT: bus %u IRQ %u -> GSI %u, %s, %s\n", o->bus, o->source_irq, o->gsi,
			INTI_TRIGGER(o->flags), INTI_POLARITY(o->flags));
	}
	for (int i = 0; i < m->nr_nmi_sources; i++)
		pr_info("MADT: NMI source GSI %u, %s, %s\n", m->nmi_sources[i].gsi,
			INTI_TRIGGER(m->nmi_sources[i].flags), INTI_POLARITY(m->nmi_sources[i].flags));
	for (int i = 0; i < m->nr_lapic_nmis; i++) {
		const struct madt_lapic_nmi *n = &m->lapic_nmis[i];

		if (n->acpi_uid == MADT_ALL_PROCESSORS)
			pr_info("MADT: NMI on LINT%u of every CPU, %s, %s\n", n->lint,
				INTI_TRIGGER(n->flags), INTI_POLARITY(n->flags));
		else
			pr_info("MADT: NMI on LINT%u of UID %u, %s, %s\n", n->lint, n->acpi_uid,
				INTI_TRIGGER(n->flags), INTI_POLARITY(n->flags));
	}
}
