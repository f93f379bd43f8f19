/*
 * ACPI table discovery and MADT parsing (arch/x86_64/acpi/) and
 * memremap(). First the tables QEMU's firmware built (pc and q35 list the
 * same MADT: one CPU, the IOAPIC at 0xfec00000, IRQ0 on GSI 2, NMI on
 * LINT1); then crafted RSDP/XSDT/RSDT/MADT copies in kmalloc memory, a
 * good set that must parse to exactly the expected result and corrupted
 * ones that must each be refused with the right error and a warning.
 */
#include <kernel/ktest.h>
#include <kernel/slab.h>
#include <kernel/vmalloc.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/bug.h>
#include <asm/acpi.h>
#include <asm/irq.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/cpufeature.h>

/* ---- log checks ------------------------------------------------------- */

/*
 * Warnings are checked in the log after a mark printed just before the
 * call, so that an identical line from an earlier case cannot count.
 */
struct log_mark {
	char text[40];
};

static void log_mark(struct log_mark *m)
{
	static unsigned int seq;

	snprintf(m->text, sizeof(m->text), "ktest-acpi mark %u;", ++seq);
	pr_debug("%s\n", m->text);
}

/* How many times needle was logged since the mark. */
static int logged_since(const struct log_mark *m, const char *needle)
{
	const char *p = strstr(ktest_log(), m->text);
	int n = 0;

	while (p && (p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

#define EXPECT_LOGGED(t, m, needle) do {					\
	if (!logged_since(m, needle))						\
		ktest_fail(t, __FILE__, __LINE__, "no \"%s\" in the log", needle); \
} while (0)

/* ---- crafted tables --------------------------------------------------- */

#define MADT_CAPACITY	4096	/* room for the over-capacity case */
#define ROOT_CAPACITY	256
#define MADT_LAPIC_ADDR	0xfee00000u
#define OVERRIDE_ADDR	0x0000000123456000ull

/* A crafted set in kmalloc memory: RSDP 2.0 -> XSDT and RSDT -> FACP, MADT. */
struct fake_acpi {
	struct acpi_rsdp_v2 *rsdp;
	struct acpi_table_header *xsdt, *rsdt, *facp, *madt;
	struct madt_info *info, *want;	/* parse result, expectation */
};

static struct acpi_table_header *new_table(const char *sig, size_t capacity)
{
	struct acpi_table_header *h = kzalloc(capacity, GFP_KERNEL);

	if (!h)
		return NULL;
	memcpy(h->signature, sig, 4);
	h->length = sizeof(*h);
	h->revision = 1;
	memcpy(h->oem_id, "KTEST ", 6);
	memcpy(h->oem_table_id, "ACPITEST", 8);
	h->oem_revision = 1;
	memcpy(h->asl_compiler_id, "KTST", 4);
	h->asl_compiler_revision = 1;
	return h;
}

static void fix_checksum(struct acpi_table_header *h)
{
	h->checksum = 0;
	h->checksum = -acpi_checksum(h, h->length);
}

static void fix_rsdp(struct acpi_rsdp_v2 *r)
{
	r->v1.checksum = 0;
	r->v1.checksum = -acpi_checksum(r, sizeof(r->v1));
	r->extended_checksum = 0;
	r->extended_checksum = -acpi_checksum(r, sizeof(*r));
}

/* Append len bytes to table h (whose buffer must have room) and count them in its length. */
static void append(struct acpi_table_header *h, const void *p, size_t len)
{
	memcpy((u8 *)h + h->length, p, len);
	h->length += len;
}

#define ADD_ENTRY(h, type, ...) do {						\
	type __e = { __VA_ARGS__ };						\
	append(h, &__e, sizeof(__e));						\
} while (0)

static void root_add(struct acpi_table_header *root, phys_addr_t pa)
{
	if (!memcmp(root->signature, "XSDT", 4)) {
		u64 e = pa;
		append(root, &e, sizeof(e));
	} else {
		u32 e = (u32)pa;
		append(root, &e, sizeof(e));
	}
}

static void root_reset(struct acpi_table_header *root)
{
	root->length = sizeof(*root);
}

#define HDR(type, len)	{ (type), (len) }

/*
 * The MADT every crafted case starts from: each entry type, plus entries
 * the parser must leave out (APIC ID 0xff, an unknown type) and one
 * longer than its layout (allowed: later revisions extend entries).
 */
static void build_madt(struct acpi_table_header *m)
{
	struct acpi_table_madt *madt = (void *)m;

	m->length = sizeof(*madt);
	madt->lapic_address = MADT_LAPIC_ADDR;
	madt->flags = ACPI_MADT_PCAT_COMPAT;
	ADD_ENTRY(m, struct acpi_madt_local_apic, HDR(0, 8), 0, 0, ACPI_MADT_ENABLED);
	ADD_ENTRY(m, struct acpi_madt_local_apic, HDR(0, 8), 1, 1, ACPI_MADT_ONLINE_CAPABLE);
	ADD_ENTRY(m, struct acpi_madt_local_apic, HDR(0, 8), 2, 0xff, ACPI_MADT_ENABLED);
	ADD_ENTRY(m, struct acpi_madt_local_x2apic, HDR(9, 16), 0, 0x100, ACPI_MADT_ENABLED, 3);
	ADD_ENTRY(m, struct acpi_madt_io_apic, HDR(1, 12), 2, 0, 0xfec00000, 0);
	ADD_ENTRY(m, struct acpi_madt_io_apic, HDR(1, 12), 3, 0, 0xfec01000, 24);
	ADD_ENTRY(m, struct acpi_madt_interrupt_override, HDR(2, 10), 0, 0, 2, 0);
	ADD_ENTRY(m, struct acpi_madt_interrupt_override, HDR(2, 10), 0, 9, 9, 0xd);
	ADD_ENTRY(m, struct acpi_madt_interrupt_override, HDR(2, 10), 0, 5, 20, 0xf);
	ADD_ENTRY(m, struct acpi_madt_nmi_source, HDR(3, 8), 0x5, 30);
	ADD_ENTRY(m, struct acpi_madt_local_apic_nmi, HDR(4, 6), 0xff, 0, 1);
	ADD_ENTRY(m, struct acpi_madt_local_apic_nmi, HDR(4, 6), 1, 0xd, 0);
	ADD_ENTRY(m, struct acpi_madt_local_x2apic_nmi, HDR(10, 12), 0x5, 3, 1, { 0 });
	ADD_ENTRY(m, struct acpi_madt_local_apic_override, HDR(5, 12), 0, OVERRIDE_ADDR);
	{
		u8 unknown[6] = { 0x7f, 6, 1, 2, 3, 4 };
		append(m, unknown, sizeof(unknown));
	}
	{
		u8 longer[10] = { 0, 10, 4, 4, ACPI_MADT_ENABLED, 0, 0, 0, 0xee, 0xee };
		append(m, longer, sizeof(longer));
	}
	fix_checksum(m);
}

/* What build_madt()'s table must parse to. */
static void build_want(struct madt_info *w)
{
	memset(w, 0, sizeof(*w));
	w->lapic_addr = OVERRIDE_ADDR;
	w->flags = ACPI_MADT_PCAT_COMPAT;
	w->nr_cpus = 4;
	w->cpus[0] = (struct madt_cpu){ 0, 0, true, false, false };
	w->cpus[1] = (struct madt_cpu){ 1, 1, false, true, false };
	w->cpus[2] = (struct madt_cpu){ 0x100, 3, true, false, true };
	w->cpus[3] = (struct madt_cpu){ 4, 4, true, false, false };
	w->nr_ioapics = 2;
	w->ioapics[0] = (struct madt_ioapic){ 2, 0xfec00000, 0 };
	w->ioapics[1] = (struct madt_ioapic){ 3, 0xfec01000, 24 };
	w->nr_overrides = 3;
	w->overrides[0] = (struct madt_override){ 0, 0, 2, 0 };
	w->overrides[1] = (struct madt_override){ 0, 9, 9, 0xd };
	w->overrides[2] = (struct madt_override){ 0, 5, 20, 0xf };
	w->nr_nmi_sources = 1;
	w->nmi_sources[0] = (struct madt_nmi_source){ 0x5, 30 };
	w->nr_lapic_nmis = 3;
	w->lapic_nmis[0] = (struct madt_lapic_nmi){ MADT_ALL_PROCESSORS, 0, 1 };
	w->lapic_nmis[1] = (struct madt_lapic_nmi){ 1, 0xd, 0 };
	w->lapic_nmis[2] = (struct madt_lapic_nmi){ 3, 0x5, 1 };
}

/* Point the RSDP at the root tables and the roots at the FACP and MADT, checksums fixed. */
static void link_fake(struct fake_acpi *f)
{
	root_reset(f->xsdt);
	root_reset(f->rsdt);
	root_add(f->xsdt, virt_to_phys(f->facp));
	root_add(f->xsdt, virt_to_phys(f->madt));
	root_add(f->rsdt, virt_to_phys(f->facp));
	root_add(f->rsdt, virt_to_phys(f->madt));
	fix_checksum(f->xsdt);
	fix_checksum(f->rsdt);
	memcpy(f->rsdp->v1.signature, ACPI_SIG_RSDP, 8);
	memcpy(f->rsdp->v1.oem_id, "KTEST ", 6);
	f->rsdp->v1.revision = 2;
	f->rsdp->v1.rsdt_address = (u32)virt_to_phys(f->rsdt);
	f->rsdp->length = sizeof(*f->rsdp);
	f->rsdp->xsdt_address = virt_to_phys(f->xsdt);
	fix_rsdp(f->rsdp);
}

static void free_fake(struct fake_acpi *f)
{
	kfree(f->rsdp);
	kfree(f->xsdt);
	kfree(f->rsdt);
	kfree(f->facp);
	kfree(f->madt);
	kfree(f->info);
	kfree(f->want);
	kfree(f);
}

/* Before each case: a fresh, good crafted set in t->priv. */
static char saved_cmdline[COMMAND_LINE_SIZE];
static bool saved_acpi_disabled;

static int acpi_test_init(struct ktest *t)
{
	struct fake_acpi *f = kzalloc(sizeof(*f), GFP_KERNEL);

	strlcpy(saved_cmdline, boot_command_line, sizeof(saved_cmdline));
	saved_acpi_disabled = acpi_disabled;
	if (!f)
		return -ENOMEM;
	t->priv = f;
	f->rsdp = kzalloc(sizeof(*f->rsdp), GFP_KERNEL);
	f->xsdt = new_table("XSDT", ROOT_CAPACITY);
	f->rsdt = new_table("RSDT", ROOT_CAPACITY);
	f->facp = new_table("FACP", 64);
	f->madt = new_table("APIC", MADT_CAPACITY);
	f->info = kzalloc(sizeof(*f->info), GFP_KERNEL);
	f->want = kzalloc(sizeof(*f->want), GFP_KERNEL);
	if (!f->rsdp || !f->xsdt || !f->rsdt || !f->facp || !f->madt || !f->info || !f->want)
		return -ENOMEM;
	fix_checksum(f->facp);
	build_madt(f->madt);
	build_want(f->want);
	link_fake(f);
	return 0;
}

static void acpi_test_exit(struct ktest *t)
{
	if (t->priv)
		free_fake(t->priv);
	t->priv = NULL;
	acpi_disabled = saved_acpi_disabled;
	cmdline_set(saved_cmdline);
}

/* Every field of two parsed MADTs. */
static void expect_madt_eq(struct ktest *t, const struct madt_info *got,
			   const struct madt_info *want)
{
	EXPECT_EQ(t, got->lapic_addr, want->lapic_addr);
	EXPECT_EQ(t, got->flags, want->flags);
	ASSERT_EQ(t, got->nr_cpus, want->nr_cpus);
	for (int i = 0; i < want->nr_cpus; i++) {
		const struct madt_cpu *g = &got->cpus[i], *w = &want->cpus[i];
		if (g->apic_id != w->apic_id || g->acpi_uid != w->acpi_uid ||
		    g->enabled != w->enabled || g->online_capable != w->online_capable ||
		    g->x2apic != w->x2apic)
			ktest_fail(t, __FILE__, __LINE__, "cpus[%d]: APIC ID %#x UID %u en %d oc %d x2 %d, want %#x %u %d %d %d",
				   i, g->apic_id, g->acpi_uid, g->enabled, g->online_capable, g->x2apic,
				   w->apic_id, w->acpi_uid, w->enabled, w->online_capable, w->x2apic);
	}
	ASSERT_EQ(t, got->nr_ioapics, want->nr_ioapics);
	for (int i = 0; i < want->nr_ioapics; i++) {
		EXPECT_EQ(t, got->ioapics[i].id, want->ioapics[i].id);
		EXPECT_EQ(t, got->ioapics[i].addr, want->ioapics[i].addr);
		EXPECT_EQ(t, got->ioapics[i].gsi_base, want->ioapics[i].gsi_base);
	}
	ASSERT_EQ(t, got->nr_overrides, want->nr_overrides);
	for (int i = 0; i < want->nr_overrides; i++) {
		EXPECT_EQ(t, got->overrides[i].bus, want->overrides[i].bus);
		EXPECT_EQ(t, got->overrides[i].source_irq, want->overrides[i].source_irq);
		EXPECT_EQ(t, got->overrides[i].gsi, want->overrides[i].gsi);
		EXPECT_EQ(t, got->overrides[i].flags, want->overrides[i].flags);
	}
	ASSERT_EQ(t, got->nr_nmi_sources, want->nr_nmi_sources);
	for (int i = 0; i < want->nr_nmi_sources; i++) {
		EXPECT_EQ(t, got->nmi_sources[i].flags, want->nmi_sources[i].flags);
		EXPECT_EQ(t, got->nmi_sources[i].gsi, want->nmi_sources[i].gsi);
	}
	ASSERT_EQ(t, got->nr_lapic_nmis, want->nr_lapic_nmis);
	for (int i = 0; i < want->nr_lapic_nmis; i++) {
		EXPECT_EQ(t, got->lapic_nmis[i].acpi_uid, want->lapic_nmis[i].acpi_uid);
		EXPECT_EQ(t, got->lapic_nmis[i].flags, want->lapic_nmis[i].flags);
		EXPECT_EQ(t, got->lapic_nmis[i].lint, want->lapic_nmis[i].lint);
	}
}

/* A parse that failed leaves nothing behind. */
static void expect_madt_empty(struct ktest *t, const struct madt_info *m)
{
	EXPECT_EQ(t, m->lapic_addr, 0);
	EXPECT_EQ(t, m->nr_cpus, 0);
	EXPECT_EQ(t, m->nr_ioapics, 0);
	EXPECT_EQ(t, m->nr_overrides, 0);
}

/* Whether the memory map describes the byte at pa (the parser then maps it). */
static bool memmap_describes(phys_addr_t pa)
{
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		if (pa >= boot_info.memmap[i].base &&
		    pa - boot_info.memmap[i].base < boot_info.memmap[i].len)
			return true;
	}
	return pa < 0x100000;
}

/* A tiny deterministic generator for garbage and fuzzing. */
static u32 rnd_state;

static u32 rnd(void)
{
	rnd_state = rnd_state * 1664525u + 1013904223u;
	return rnd_state >> 8;
}

/* ---- the firmware's tables -------------------------------------------- */

static u32 boot_apic_id(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

static void require_boot_madt(struct ktest *t)
{
	if (acpi_disabled)
		ktest_skip(t, "booted with acpi=off");
	ASSERT_TRUE(t, acpi_madt_found);
}

static void real_rsdp_and_tables_found(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	const struct acpi_table_header *madt, *facp, *root;
	phys_addr_t scanned = acpi_scan_rsdp();

	require_boot_madt(t);
	/* QEMU's SeaBIOS keeps the RSDP in the BIOS area; GRUB passes a copy */
	EXPECT_NE(t, boot_info.rsdp_version, 0);
	if (boot_info.efi_bits) {
		/* UEFI (OVMF) has it in the EFI configuration table only: GRUB's copy is the way */
		ktest_info(t, "UEFI: RSDP from the loader; BIOS area scan found %s",
			   scanned ? "one too" : "none");
		EXPECT_EQ(t, boot_info.rsdp_version, 2);
	} else {
		ASSERT_NE(t, scanned, 0);
		EXPECT_EQ(t, scanned % 16, 0);
		EXPECT_TRUE(t, scanned >= 0xe0000 && scanned < 0x100000);
		EXPECT_EQ(t, memcmp(phys_to_virt(scanned), boot_info.rsdp, sizeof(struct acpi_rsdp_v1)), 0);
	}

	madt = acpi_get_table("APIC", 0);
	ASSERT_NOT_NULL(t, madt);
	EXPECT_EQ(t, acpi_checksum(madt, madt->length), 0);
	EXPECT_EQ(t, memcmp(madt->oem_id, "BOCHS ", 6), 0);
	facp = acpi_get_table("FACP", 0);
	ASSERT_NOT_NULL(t, facp);
	EXPECT_EQ(t, acpi_checksum(facp, facp->length), 0);
	root = acpi_get_table("RSDT", 0) ? acpi_get_table("RSDT", 0) : acpi_get_table("XSDT", 0);
	EXPECT_NOT_NULL(t, root);
	/* one MADT; unknown or malformed signatures find nothing */
	EXPECT_NULL(t, acpi_get_table("APIC", 1));
	EXPECT_NULL(t, acpi_get_table("APIC", -1));
	EXPECT_NULL(t, acpi_get_table("NONE", 0));
	EXPECT_NULL(t, acpi_get_table("API", 0));
	EXPECT_NULL(t, acpi_get_table("APICX", 0));
	EXPECT_NULL(t, acpi_get_table(NULL, 0));
	/* kept mapped read-only; the boot parse is what the kept table says */
	EXPECT_NOT_NULL(t, lookup_address((unsigned long)madt, NULL));
	EXPECT_EQ(t, acpi_parse_madt(madt, f->info), 0);
	expect_madt_eq(t, f->info, &acpi_madt);
}

static void real_madt_lists_boot_cpu(struct ktest *t)
{
	u32 id = boot_apic_id();
	int found = -1;

	require_boot_madt(t);
	ASSERT_GE(t, acpi_madt.nr_cpus, 1);
	for (int i = 0; i < acpi_madt.nr_cpus; i++) {
		if (acpi_madt.cpus[i].apic_id == id)
			found = i;
	}
	ASSERT_GE(t, found, 0);
	EXPECT_TRUE(t, acpi_madt.cpus[found].enabled);
	EXPECT_FALSE(t, acpi_madt.cpus[found].x2apic);
	EXPECT_LE(t, acpi_madt.nr_cpus, NR_CPUS);
}

static void real_madt_one_ioapic(struct ktest *t)
{
	require_boot_madt(t);
	ASSERT_EQ(t, acpi_madt.nr_ioapics, 1);
	EXPECT_EQ(t, acpi_madt.ioapics[0].addr, 0xfec00000);
	EXPECT_EQ(t, acpi_madt.ioapics[0].gsi_base, 0);
}

/*
 * QEMU's MADT (OEM table ID "BXPC    ") has the SCI override and the
 * LINT1 NMI entry; the Bochs BIOS's ("BXPCAPIC", under make test-bochs)
 * has neither.
 */
static bool bochs_bios_madt(void)
{
	const struct acpi_table_header *madt = acpi_get_table("APIC", 0);

	return madt && !memcmp(madt->oem_table_id, "BXPCAPIC", 8);
}

static void real_madt_irq0_override(struct ktest *t)
{
	bool irq0 = false;
	u32 gsi = 0xdead;
	u16 flags = 0xdead;

	require_boot_madt(t);
	for (int i = 0; i < acpi_madt.nr_overrides; i++) {
		const struct madt_override *o = &acpi_madt.overrides[i];
		if (o->bus == 0 && o->source_irq == 0 && o->gsi == 2)
			irq0 = true;
	}
	EXPECT_TRUE(t, irq0);
	EXPECT_EQ(t, acpi_isa_irq_to_gsi(0, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 2);
	EXPECT_EQ(t, flags, 0);
	EXPECT_EQ(t, acpi_isa_irq_to_gsi(1, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 1);
	EXPECT_EQ(t, flags, 0);
	/* the SCI (IRQ 9 on both machines) is level-triggered, active high */
	EXPECT_EQ(t, acpi_isa_irq_to_gsi(9, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 9);
	if (!bochs_bios_madt())
		EXPECT_EQ(t, flags & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_TRIGGER_LEVEL);
	EXPECT_EQ(t, acpi_isa_irq_to_gsi(16, &gsi, &flags), -EINVAL);
	EXPECT_EQ(t, acpi_gsi_to_isa_irq(2), 0);
	EXPECT_EQ(t, acpi_gsi_to_isa_irq(1), 1);
	EXPECT_EQ(t, acpi_gsi_to_isa_irq(0), -1);	/* IRQ 0 moved to GSI 2 */
	EXPECT_EQ(t, acpi_gsi_to_isa_irq(23), -1);
}

static void real_madt_lapic_nmi_lint1(struct ktest *t)
{
	bool lint1 = false;

	require_boot_madt(t);
	if (bochs_bios_madt())
		ktest_skip(t, "the Bochs BIOS's MADT has no LAPIC NMI entry");
	for (int i = 0; i < acpi_madt.nr_lapic_nmis; i++) {
		const struct madt_lapic_nmi *n = &acpi_madt.lapic_nmis[i];
		if (n->lint == 1 && n->acpi_uid == MADT_ALL_PROCESSORS)
			lint1 = true;
	}
	EXPECT_TRUE(t, lint1);
}

static void real_madt_lapic_addr_and_pcat(struct ktest *t)
{
	require_boot_madt(t);
	EXPECT_EQ(t, acpi_madt.lapic_addr, 0xfee00000);
	EXPECT_EQ(t, acpi_madt.flags & ACPI_MADT_PCAT_COMPAT, ACPI_MADT_PCAT_COMPAT);
}

/* The same walk again, from the loader's copy and from the BIOS area, keeps nothing mapped. */
static void real_tables_walk_again(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct vmap_stats a, b;
	phys_addr_t scanned = acpi_scan_rsdp();

	require_boot_madt(t);
	vmap_get_stats(&a);
	ASSERT_EQ(t, acpi_parse_tables_from_rsdp(boot_info.rsdp, f->info), 0);
	expect_madt_eq(t, f->info, &acpi_madt);
	if (!boot_info.efi_bits) {		/* UEFI: no RSDP in the BIOS area */
		ASSERT_NE(t, scanned, 0);
		ASSERT_EQ(t, acpi_parse_tables_from_rsdp(phys_to_virt(scanned), f->info), 0);
		expect_madt_eq(t, f->info, &acpi_madt);
	}
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
}

/* ---- memremap() ------------------------------------------------------- */

/* QEMU's tables are in "reserved" memory: mapped in the vmap area, cached and read-only. */
static void memremap_maps_reserved_read_only(struct ktest *t)
{
	const struct acpi_table_header *kept;
	struct vmap_stats a, b;
	phys_addr_t pa;
	const u8 *p;
	u64 *pte;

	require_boot_madt(t);
	kept = acpi_get_table("APIC", 0);
	ASSERT_NOT_NULL(t, kept);
	pa = slow_virt_to_phys((unsigned long)kept);
	ASSERT_NE(t, pa, (phys_addr_t)-1);
	if (slow_virt_to_phys(PAGE_OFFSET + pa) == pa)
		ktest_skip(t, "the tables are in the direct map on this machine");
	EXPECT_TRUE(t, (unsigned long)kept >= VMAP_START && (unsigned long)kept < VMAP_END);

	vmap_get_stats(&a);
	p = memremap(pa, kept->length);
	ASSERT_NOT_NULL(t, p);
	EXPECT_TRUE(t, (unsigned long)p >= VMAP_START && (unsigned long)p < VMAP_END);
	EXPECT_EQ(t, (unsigned long)p % PAGE_SIZE, pa % PAGE_SIZE);
	EXPECT_EQ(t, memcmp(p, kept, kept->length), 0);
	pte = lookup_address((unsigned long)p, NULL);
	ASSERT_NOT_NULL(t, pte);
	EXPECT_EQ(t, *pte & _PAGE_RW, 0);
	EXPECT_EQ(t, *pte & (_PAGE_PCD | _PAGE_PWT), 0);
	EXPECT_EQ(t, *pte & _PAGE_NX, __supported_pte_mask & _PAGE_NX);
	EXPECT_TRUE(t, vmap_is_guard(ALIGN_UP((unsigned long)p + kept->length, PAGE_SIZE)));
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas + 1);
	memunmap(p);
	EXPECT_NULL(t, lookup_address((unsigned long)p, NULL));
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
}

/* RAM is already in the direct map: memremap() gives that address and memunmap() leaves it. */
static void memremap_ram_uses_direct_map(struct ktest *t)
{
	struct vmap_stats a, b;
	unsigned long warns = warn_count;
	u8 *buf = kmalloc(64, GFP_KERNEL);
	void *p;

	ASSERT_NOT_NULL(t, buf);
	vmap_get_stats(&a);
	p = memremap(virt_to_phys(buf), 64);
	EXPECT_TRUE(t, p == buf);
	memunmap(p);
	memunmap(NULL);
	/* the first MiB (BIOS area) is direct-mapped too */
	EXPECT_TRUE(t, memremap(0xe0000, 0x20000) == phys_to_virt(0xe0000));
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, warn_count, warns);
	buf[63] = 1;				/* still mapped */
	kfree(buf);
}

/* A range that starts in RAM and ends in reserved memory is mapped as a whole. */
static void memremap_straddles_ram_and_reserved(struct ktest *t)
{
	const struct memmap_entry *res = NULL;
	const u8 *p;

	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		if (m->type == MEMMAP_RESERVED && m->base > 0x100000 && IS_ALIGNED(m->base, PAGE_SIZE) &&
		    slow_virt_to_phys(PAGE_OFFSET + m->base - 1) == m->base - 1 &&
		    slow_virt_to_phys(PAGE_OFFSET + m->base) == (phys_addr_t)-1)
			res = m;
	}
	if (!res)
		ktest_skip(t, "no reserved range right after direct-mapped RAM");
	p = memremap(res->base - 16, 32);
	ASSERT_NOT_NULL(t, p);
	EXPECT_TRUE(t, (unsigned long)p >= VMAP_START && (unsigned long)p < VMAP_END);
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)p), res->base - 16);
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)p + 16), res->base);
	EXPECT_EQ(t, p[0], *(const u8 *)phys_to_virt(res->base - 16));
	memunmap(p);
	EXPECT_NULL(t, lookup_address((unsigned long)p, NULL));
}

static void memremap_refuses_bad_ranges(struct ktest *t)
{
	struct vmap_stats a, b;

	vmap_get_stats(&a);
	EXPECT_NULL(t, memremap(~0ull - 10, 100));		/* wraps around */
	EXPECT_NULL(t, memremap(1ull << 52, PAGE_SIZE));	/* beyond any physical address */
	vmap_get_stats(&b);
	EXPECT_EQ(t, b.areas, a.areas);
	EXPECT_EQ(t, b.pages, a.pages);
}

/* Each unmap function takes back only its own kind of area. */
static void memunmap_refuses_other_areas(struct ktest *t)
{
	const struct acpi_table_header *kept;
	unsigned long warns;
	void *v, *m;

	require_boot_madt(t);
	kept = acpi_get_table("APIC", 0);
	ASSERT_NOT_NULL(t, kept);
	m = memremap(slow_virt_to_phys((unsigned long)kept), 16);
	v = vmalloc(PAGE_SIZE);
	ASSERT_NOT_NULL(t, m);
	ASSERT_NOT_NULL(t, v);
	if (!((unsigned long)m >= VMAP_START && (unsigned long)m < VMAP_END))
		ktest_skip(t, "the tables are in the direct map on this machine");
	warns = warn_count;
	memunmap(v);
	EXPECT_EQ(t, warn_count, warns + 1);
	EXPECT_NOT_NULL(t, lookup_address((unsigned long)v, NULL));
	vfree(m);
	iounmap(m);
	EXPECT_EQ(t, warn_count, warns + 3);
	EXPECT_EQ(t, memcmp(m, kept, 16), 0);		/* still mapped */
	memunmap(m);
	vfree(v);
	EXPECT_EQ(t, warn_count, warns + 3);
	EXPECT_NULL(t, lookup_address((unsigned long)m, NULL));
}

/* ---- crafted tables: the good set ------------------------------------- */

static void synthetic_madt_parses_exactly(struct ktest *t)
{
	struct fake_acpi *f = t->priv;

	ASSERT_EQ(t, acpi_parse_madt(f->madt, f->info), 0);
	expect_madt_eq(t, f->info, f->want);
}

static void synthetic_tables_via_xsdt(struct ktest *t)
{
	struct fake_acpi *f = t->priv;

	ASSERT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	expect_madt_eq(t, f->info, f->want);
}

/* Revision 0: only the RSDT counts, whatever follows the first 20 bytes. */
static void synthetic_tables_via_rsdt(struct ktest *t)
{
	struct fake_acpi *f = t->priv;

	f->rsdp->v1.revision = 0;
	f->rsdp->xsdt_address = 0xdeadbeef000ull;
	f->rsdp->extended_checksum ^= 0x55;
	f->rsdp->v1.checksum = 0;
	f->rsdp->v1.checksum = -acpi_checksum(f->rsdp, 20);
	ASSERT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	expect_madt_eq(t, f->info, f->want);
}

/* With both, the XSDT is used: the RSDT here leads to a different MADT. */
static void synthetic_xsdt_preferred(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct acpi_table_header *other = new_table("APIC", 128);
	struct acpi_table_madt *om = (void *)other;

	ASSERT_NOT_NULL(t, other);
	other->length = sizeof(*om);
	om->lapic_address = 0xfee00000;
	ADD_ENTRY(other, struct acpi_madt_local_apic, HDR(0, 8), 7, 7, ACPI_MADT_ENABLED);
	fix_checksum(other);
	root_reset(f->rsdt);
	root_add(f->rsdt, virt_to_phys(other));
	fix_checksum(f->rsdt);
	f->rsdp->v1.rsdt_address = virt_to_phys(f->rsdt);
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	EXPECT_EQ(t, f->info->lapic_addr, OVERRIDE_ADDR);
	EXPECT_EQ(t, f->info->nr_cpus, 4);
	/* and the RSDT when the XSDT address is 0 */
	f->rsdp->xsdt_address = 0;
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	EXPECT_EQ(t, f->info->lapic_addr, 0xfee00000);
	ASSERT_EQ(t, f->info->nr_cpus, 1);
	EXPECT_EQ(t, f->info->cpus[0].apic_id, 7);
	kfree(other);
}

static void synthetic_irq_gsi_mapping(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	u32 gsi;
	u16 flags;

	ASSERT_EQ(t, acpi_parse_madt(f->madt, f->info), 0);
	EXPECT_EQ(t, acpi_madt_isa_irq_to_gsi(f->info, 0, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 2);
	EXPECT_EQ(t, flags, 0);
	EXPECT_EQ(t, acpi_madt_isa_irq_to_gsi(f->info, 9, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 9);
	EXPECT_EQ(t, flags, ACPI_INTI_TRIGGER_LEVEL | ACPI_INTI_POLARITY_HIGH);
	EXPECT_EQ(t, acpi_madt_isa_irq_to_gsi(f->info, 5, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 20);
	EXPECT_EQ(t, flags, ACPI_INTI_TRIGGER_LEVEL | ACPI_INTI_POLARITY_LOW);
	EXPECT_EQ(t, acpi_madt_isa_irq_to_gsi(f->info, 15, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 15);
	EXPECT_EQ(t, flags, 0);
	EXPECT_EQ(t, acpi_madt_isa_irq_to_gsi(f->info, 16, &gsi, &flags), -EINVAL);
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 2), 0);
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 9), 9);
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 20), 5);
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 1), 1);
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 0), -1);	/* IRQ 0 is on GSI 2 */
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 5), -1);	/* IRQ 5 is on GSI 20 */
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 30), -1);
	/* an override on another bus is not an ISA one */
	f->info->overrides[0].bus = 1;
	EXPECT_EQ(t, acpi_madt_isa_irq_to_gsi(f->info, 0, &gsi, &flags), 0);
	EXPECT_EQ(t, gsi, 0);
	EXPECT_EQ(t, acpi_madt_gsi_to_isa_irq(f->info, 2), 2);
}

/* ---- crafted tables: corruption --------------------------------------- */

static void bad_rsdp_signature_and_checksum(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	log_mark(&m);
	f->rsdp->v1.checksum ^= 1;
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "RSDP given: checksum is wrong");
	expect_madt_empty(t, f->info);

	log_mark(&m);
	fix_rsdp(f->rsdp);
	f->rsdp->v1.signature[4] = 'X';
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "no \"RSD PTR \" signature");
}

static void bad_rsdp_extended_checksum(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	log_mark(&m);
	f->rsdp->xsdt_address += 8;		/* the 20-byte checksum still holds */
	EXPECT_EQ(t, acpi_checksum(f->rsdp, 20), 0);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "extended checksum is wrong");

	/* a 2.0 length shorter than the structure, or absurd */
	log_mark(&m);
	f->rsdp->xsdt_address -= 8;
	f->rsdp->length = 20;
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	f->rsdp->length = 0xffffffff;
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_EQ(t, logged_since(&m, "length"), 2);
}

static void rsdt_bad_checksum(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	f->rsdp->v1.revision = 0;
	fix_rsdp(f->rsdp);
	f->rsdt->checksum ^= 0x80;
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "checksum is wrong");
	EXPECT_LOGGED(t, &m, "RSDT at");
	/* the wrong table where the RSDT should be */
	memcpy(f->rsdt->signature, "XSDT", 4);
	fix_checksum(f->rsdt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "is not the RSDT table expected there");
}

static void xsdt_truncated(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	f->xsdt->length = 20;			/* shorter than a header */
	fix_checksum(f->xsdt);
	f->rsdp->v1.rsdt_address = 0;
	fix_rsdp(f->rsdp);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "length 20 is shorter than the 36-byte table header");
	EXPECT_LOGGED(t, &m, "RSDT address 0");

	/* with a good RSDT beside it, the walk falls back to it */
	f->rsdp->v1.rsdt_address = virt_to_phys(f->rsdt);
	fix_rsdp(f->rsdp);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	EXPECT_LOGGED(t, &m, "trying the RSDT");
	expect_madt_eq(t, f->info, f->want);
}

/* A root table whose length leaves half an entry: the whole entries are used. */
static void xsdt_partial_entry(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	f->xsdt->length += 4;
	fix_checksum(f->xsdt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	EXPECT_LOGGED(t, &m, "partial 4-byte entry");
	expect_madt_eq(t, f->info, f->want);
}

static void madt_missing(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	root_reset(f->xsdt);
	root_add(f->xsdt, virt_to_phys(f->facp));
	fix_checksum(f->xsdt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -ENODEV);
	EXPECT_LOGGED(t, &m, "no MADT");
	expect_madt_empty(t, f->info);
	/* no entries at all */
	root_reset(f->xsdt);
	fix_checksum(f->xsdt);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -ENODEV);
}

static void madt_bad_checksum(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct acpi_table_header *good;
	struct log_mark m;

	f->madt->checksum += 1;
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_EQ(t, logged_since(&m, "[APIC"), 2);
	EXPECT_LOGGED(t, &m, "checksum is wrong");
	expect_madt_empty(t, f->info);

	/* a good MADT after the corrupt one is used */
	good = new_table("APIC", MADT_CAPACITY);
	ASSERT_NOT_NULL(t, good);
	build_madt(good);
	root_add(f->xsdt, virt_to_phys(good));
	fix_checksum(f->xsdt);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	expect_madt_eq(t, f->info, f->want);
	kfree(good);
}

/*
 * What the boot decides from the tables: APIC mode from a good set with an
 * IOAPIC; PIC mode, with the reason, from a corrupt or missing MADT, one
 * without IOAPICs, no LAPIC, or `noapic` (arch/x86_64/irq/irqinit.c).
 */
static void bad_tables_fall_back_to_pic_mode(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	const char *reason;
	int err;

	err = acpi_parse_tables_from_rsdp(f->rsdp, f->info);
	ASSERT_EQ(t, err, 0);
	EXPECT_EQ(t, irq_select_mode(false, true, err, f->info, &reason), IRQ_MODE_APIC);
	EXPECT_EQ(t, irq_select_mode(true, true, err, f->info, &reason), IRQ_MODE_PIC);
	EXPECT_STREQ(t, reason, "noapic on the command line");
	EXPECT_EQ(t, irq_select_mode(false, false, err, f->info, &reason), IRQ_MODE_PIC);
	EXPECT_STREQ(t, reason, "no local APIC");
	f->info->nr_ioapics = 0;
	EXPECT_EQ(t, irq_select_mode(false, true, err, f->info, &reason), IRQ_MODE_PIC);
	EXPECT_STREQ(t, reason, "the MADT lists no IOAPIC");
	/* a MADT with a bad checksum: the parse fails and the boot would use the PIC */
	f->madt->checksum += 1;
	err = acpi_parse_tables_from_rsdp(f->rsdp, f->info);
	EXPECT_EQ(t, err, -EINVAL);
	EXPECT_EQ(t, irq_select_mode(false, true, err, f->info, &reason), IRQ_MODE_PIC);
	EXPECT_STREQ(t, reason, "no usable ACPI MADT");
	/* no MADT in the root table at all */
	root_reset(f->xsdt);
	root_add(f->xsdt, virt_to_phys(f->facp));
	fix_checksum(f->xsdt);
	root_reset(f->rsdt);
	root_add(f->rsdt, virt_to_phys(f->facp));
	fix_checksum(f->rsdt);
	err = acpi_parse_tables_from_rsdp(f->rsdp, f->info);
	EXPECT_EQ(t, err, -ENODEV);
	EXPECT_EQ(t, irq_select_mode(false, true, err, f->info, &reason), IRQ_MODE_PIC);
}

static void madt_truncated(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	/* shorter than the MADT's own 44-byte header */
	f->madt->length = 40;
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_EQ(t, logged_since(&m, "shorter than the 44-byte MADT header"), 2);
	/* cut in the middle of the last entry */
	build_madt(f->madt);
	f->madt->length -= 3;
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "runs past the end");
	/* cut one byte into an entry header */
	build_madt(f->madt);
	f->madt->length += 1;
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "1 byte left");
	expect_madt_empty(t, f->info);
}

static void madt_entry_length_zero(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;
	u8 e[2] = { ACPI_MADT_TYPE_IO_APIC, 0 };

	/* length 0 would loop forever at the same offset */
	append(f->madt, e, 2);
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "has length 0, less than 2");
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	/* and length 1 would land inside the entry */
	build_madt(f->madt);
	e[1] = 1;
	append(f->madt, e, 2);
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "has length 1, less than 2");
}

static void madt_entry_past_end(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;
	u8 e[12] = { ACPI_MADT_TYPE_IO_APIC, 200 };

	append(f->madt, e, sizeof(e));
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "runs past the end");
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	expect_madt_empty(t, f->info);
}

/* An entry shorter than its type's layout would be read past its end. */
static void madt_entry_shorter_than_layout(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;
	u8 e[6] = { ACPI_MADT_TYPE_LOCAL_X2APIC, 6 };

	append(f->madt, e, sizeof(e));
	fix_checksum(f->madt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_LOGGED(t, &m, "shorter than its 16-byte layout");
}

static void table_length_absurd(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	f->madt->length = 0xfffffff0;
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_madt(f->madt, f->info), -EINVAL);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	EXPECT_EQ(t, logged_since(&m, "over the 1048576-byte limit"), 2);
	/* the root table too */
	build_madt(f->madt);
	f->xsdt->length = ACPI_MAX_TABLE_SIZE + 1;
	f->rsdp->v1.rsdt_address = 0;
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
}

/* Root-table entries that are 0, garbage, MMIO or beyond memory are skipped. */
static void root_entries_pointing_at_garbage(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	phys_addr_t beyond = 0;
	struct log_mark m;
	u8 *junk = kmalloc(256, GFP_KERNEL);
	u8 *named = kmalloc(256, GFP_KERNEL);

	ASSERT_NOT_NULL(t, junk);
	ASSERT_NOT_NULL(t, named);
	rnd_state = 12345;
	for (int i = 0; i < 256; i++)
		junk[i] = (u8)rnd();
	/* a plausible header that is not a table: bad checksum */
	memcpy(named, f->facp, 64);
	memcpy(named, "SSDT", 4);
	named[9] ^= 0x5a;
	for (int i = 0; i < boot_info.nr_memmap; i++)
		beyond = max(beyond, boot_info.memmap[i].base + boot_info.memmap[i].len);
	beyond = ALIGN_UP(beyond, PAGE_SIZE);

	root_reset(f->xsdt);
	root_add(f->xsdt, virt_to_phys(junk));
	root_add(f->xsdt, 0);
	root_add(f->xsdt, virt_to_phys(named));
	root_add(f->xsdt, beyond);				/* no memory there */
	root_add(f->xsdt, ~0ull - 8);				/* wraps around */
	if (!memmap_describes(0xfec00000))
		root_add(f->xsdt, 0xfec00000);			/* IOAPIC registers */
	root_add(f->xsdt, virt_to_phys(f->madt));
	fix_checksum(f->xsdt);
	log_mark(&m);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	expect_madt_eq(t, f->info, f->want);
	EXPECT_LOGGED(t, &m, "entry 1 is 0");
	EXPECT_LOGGED(t, &m, "[SSDT 0x");
	EXPECT_GE(t, logged_since(&m, "is not memory the firmware described"), 2);

	/* garbage alone: no MADT */
	root_reset(f->xsdt);
	root_add(f->xsdt, virt_to_phys(junk));
	root_add(f->xsdt, beyond);
	fix_checksum(f->xsdt);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -ENODEV);
	kfree(junk);
	kfree(named);
}

/* The RSDP's own pointers at memory that is no table. */
static void root_pointer_unusable(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct log_mark m;

	f->rsdp->v1.revision = 0;
	f->rsdp->v1.rsdt_address = 0;
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	if (!memmap_describes(0xfee00000)) {
		f->rsdp->v1.rsdt_address = 0xfee00000;	/* the local APIC's registers */
		fix_rsdp(f->rsdp);
		log_mark(&m);
		EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
		EXPECT_LOGGED(t, &m, "not memory the firmware described");
	}
	/* an XSDT address beyond memory, and no RSDT */
	f->rsdp->v1.revision = 2;
	f->rsdp->v1.rsdt_address = 0;
	f->rsdp->xsdt_address = 1ull << 51;
	fix_rsdp(f->rsdp);
	EXPECT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), -EINVAL);
	expect_madt_empty(t, f->info);
}

/* More entries than the arrays hold: the first ones are kept, one warning per array. */
static void madt_arrays_capped(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct acpi_table_header *h = f->madt;
	struct log_mark m;

	h->length = sizeof(struct acpi_table_madt);
	for (int i = 0; i < NR_CPUS + 4; i++)
		ADD_ENTRY(h, struct acpi_madt_local_apic, HDR(0, 8), i, i, ACPI_MADT_ENABLED);
	for (int i = 0; i < MADT_MAX_IOAPICS + 2; i++)
		ADD_ENTRY(h, struct acpi_madt_io_apic, HDR(1, 12), i, 0, 0xfec00000 + i * 0x1000, i * 24);
	for (int i = 0; i < MADT_MAX_OVERRIDES + 4; i++)
		ADD_ENTRY(h, struct acpi_madt_interrupt_override, HDR(2, 10), 0, i, i + 100, 0);
	for (int i = 0; i < MADT_MAX_NMI_SOURCES + 2; i++)
		ADD_ENTRY(h, struct acpi_madt_nmi_source, HDR(3, 8), 0, 200 + i);
	for (int i = 0; i < MADT_MAX_LAPIC_NMIS + 4; i++)
		ADD_ENTRY(h, struct acpi_madt_local_apic_nmi, HDR(4, 6), i, 0, 1);
	ASSERT_TRUE(t, h->length <= MADT_CAPACITY);
	fix_checksum(h);
	log_mark(&m);
	ASSERT_EQ(t, acpi_parse_tables_from_rsdp(f->rsdp, f->info), 0);
	EXPECT_EQ(t, f->info->nr_cpus, NR_CPUS);
	EXPECT_EQ(t, f->info->cpus[NR_CPUS - 1].apic_id, NR_CPUS - 1);
	EXPECT_EQ(t, f->info->nr_ioapics, MADT_MAX_IOAPICS);
	EXPECT_EQ(t, f->info->ioapics[MADT_MAX_IOAPICS - 1].gsi_base, (MADT_MAX_IOAPICS - 1) * 24);
	EXPECT_EQ(t, f->info->nr_overrides, MADT_MAX_OVERRIDES);
	EXPECT_EQ(t, f->info->nr_nmi_sources, MADT_MAX_NMI_SOURCES);
	EXPECT_EQ(t, f->info->nr_lapic_nmis, MADT_MAX_LAPIC_NMIS);
	EXPECT_EQ(t, logged_since(&m, "MADT lists more than"), 5);
	EXPECT_EQ(t, logged_since(&m, "processors; ignoring the rest"), 1);
	EXPECT_EQ(t, logged_since(&m, "IOAPICs; ignoring the rest"), 1);
}

/* Duplicate and invalid processor entries, and NMI entries naming a LINT that does not exist. */
static void madt_odd_processor_entries(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	struct acpi_table_header *h = f->madt;
	struct log_mark m;

	h->length = sizeof(struct acpi_table_madt);
	ADD_ENTRY(h, struct acpi_madt_local_apic, HDR(0, 8), 0, 3, ACPI_MADT_ENABLED);
	ADD_ENTRY(h, struct acpi_madt_local_x2apic, HDR(9, 16), 0, 3, ACPI_MADT_ENABLED, 9);
	ADD_ENTRY(h, struct acpi_madt_local_x2apic, HDR(9, 16), 0, 0xffffffff, ACPI_MADT_ENABLED, 10);
	ADD_ENTRY(h, struct acpi_madt_local_apic, HDR(0, 8), 5, 5, 0);
	ADD_ENTRY(h, struct acpi_madt_local_apic_nmi, HDR(4, 6), 0xff, 0, 2);
	fix_checksum(h);
	log_mark(&m);
	ASSERT_EQ(t, acpi_parse_madt(h, f->info), 0);
	ASSERT_EQ(t, f->info->nr_cpus, 2);
	EXPECT_EQ(t, f->info->cpus[0].apic_id, 3);
	EXPECT_FALSE(t, f->info->cpus[0].x2apic);
	EXPECT_EQ(t, f->info->cpus[1].apic_id, 5);
	EXPECT_FALSE(t, f->info->cpus[1].enabled);
	EXPECT_FALSE(t, f->info->cpus[1].online_capable);
	EXPECT_EQ(t, f->info->nr_lapic_nmis, 0);
	EXPECT_LOGGED(t, &m, "APIC ID 3 twice");
	EXPECT_LOGGED(t, &m, "LINT2");
	EXPECT_EQ(t, f->info->lapic_addr, MADT_LAPIC_ADDR);	/* no override here */
}

/*
 * Random damage to the entries (checksum fixed, so the parser must rely
 * on its length checks): every result is 0 or -EINVAL and within bounds.
 */
static void madt_fuzz_never_crashes(struct ktest *t)
{
	struct fake_acpi *f = t->priv;
	int console = console_loglevel, ok = 0, bad = 0, other = 0, over = 0;

	rnd_state = 0xacb1;
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;	/* the warnings go to the log only */
	for (int round = 0; round < 400; round++) {
		struct acpi_table_header *h = f->madt;
		int err;

		build_madt(h);
		for (int n = 1 + rnd() % 4; n; n--)
			((u8 *)h)[sizeof(struct acpi_table_madt) +
				  rnd() % (h->length - sizeof(struct acpi_table_madt))] = (u8)rnd();
		if (round % 8 == 0)
			h->length = sizeof(*h) + rnd() % (MADT_CAPACITY - sizeof(*h));
		fix_checksum(h);
		err = acpi_parse_madt(h, f->info);
		ok += err == 0;
		bad += err == -EINVAL;
		other += err && err != -EINVAL;
		over += f->info->nr_cpus > NR_CPUS || f->info->nr_ioapics > MADT_MAX_IOAPICS ||
			f->info->nr_overrides > MADT_MAX_OVERRIDES ||
			f->info->nr_nmi_sources > MADT_MAX_NMI_SOURCES ||
			f->info->nr_lapic_nmis > MADT_MAX_LAPIC_NMIS;
	}
	console_loglevel = console;
	ktest_info(t, "%d parsed, %d refused", ok, bad);
	EXPECT_EQ(t, other, 0);
	EXPECT_EQ(t, over, 0);
	EXPECT_GT(t, ok, 0);
	EXPECT_GT(t, bad, 0);
}

/* ---- acpi=off --------------------------------------------------------- */

static void acpi_off_on_command_line(struct ktest *t)
{
	bool found = acpi_madt_found;
	struct log_mark m;

	cmdline_set("acpi=off");
	parse_early_params();
	EXPECT_TRUE(t, acpi_disabled);
	log_mark(&m);
	EXPECT_EQ(t, acpi_table_init(), -ENODEV);
	EXPECT_LOGGED(t, &m, "disabled by acpi=off");
	EXPECT_EQ(t, acpi_madt_found, found);		/* the boot result stays */
	/* other values are refused */
	acpi_disabled = false;
	cmdline_set("acpi=maybe");
	log_mark(&m);
	parse_early_params();
	EXPECT_FALSE(t, acpi_disabled);
	EXPECT_LOGGED(t, &m, "bad value 'maybe' for parameter 'acpi'");
}

static struct ktest_case acpi_cases[] = {
	KTEST_CASE(real_rsdp_and_tables_found),
	KTEST_CASE(real_madt_lists_boot_cpu),
	KTEST_CASE(real_madt_one_ioapic),
	KTEST_CASE(real_madt_irq0_override),
	KTEST_CASE(real_madt_lapic_nmi_lint1),
	KTEST_CASE(real_madt_lapic_addr_and_pcat),
	KTEST_CASE(real_tables_walk_again),
	KTEST_CASE(memremap_maps_reserved_read_only),
	KTEST_CASE(memremap_ram_uses_direct_map),
	KTEST_CASE(memremap_straddles_ram_and_reserved),
	KTEST_CASE(memremap_refuses_bad_ranges),
	KTEST_CASE(memunmap_refuses_other_areas),
	KTEST_CASE(synthetic_madt_parses_exactly),
	KTEST_CASE(synthetic_tables_via_xsdt),
	KTEST_CASE(synthetic_tables_via_rsdt),
	KTEST_CASE(synthetic_xsdt_preferred),
	KTEST_CASE(synthetic_irq_gsi_mapping),
	KTEST_CASE(bad_rsdp_signature_and_checksum),
	KTEST_CASE(bad_rsdp_extended_checksum),
	KTEST_CASE(rsdt_bad_checksum),
	KTEST_CASE(xsdt_truncated),
	KTEST_CASE(xsdt_partial_entry),
	KTEST_CASE(madt_missing),
	KTEST_CASE(madt_bad_checksum),
	KTEST_CASE(bad_tables_fall_back_to_pic_mode),
	KTEST_CASE(madt_truncated),
	KTEST_CASE(madt_entry_length_zero),
	KTEST_CASE(madt_entry_past_end),
	KTEST_CASE(madt_entry_shorter_than_layout),
	KTEST_CASE(table_length_absurd),
	KTEST_CASE(root_entries_pointing_at_garbage),
	KTEST_CASE(root_pointer_unusable),
	KTEST_CASE(madt_arrays_capped),
	KTEST_CASE(madt_odd_processor_entries),
	KTEST_CASE(madt_fuzz_never_crashes),
	KTEST_CASE(acpi_off_on_command_line),
	{},
};
KTEST_SUITE(acpi, acpi_cases, .init = acpi_test_init, .exit = acpi_test_exit);
