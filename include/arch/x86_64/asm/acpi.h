/*
 * The ACPI tables the interrupt code needs (ACPI 6.5, sections 5.2.5-5.2.12):
 * the RSDP that points at the root table (RSDT or XSDT), the header every
 * table starts with, and the MADT ("APIC"), which lists the local APICs,
 * the IOAPICs and how ISA IRQs map onto global system interrupts (GSIs).
 * arch/x86_64/acpi/ finds and checks them at boot (tables.c) and parses
 * the MADT into struct madt_info (madt.c).
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/percpu.h>

#define ACPI_SIG_RSDP		"RSD PTR "	/* 8 bytes, no NUL */
#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_FADT		"FACP"
#define ACPI_NAMESEG_SIZE	4

/*
 * The largest table accepted. Real MADTs are a few KiB even with hundreds
 * of CPUs and QEMU's biggest table (the DSDT) is under 16 KiB; a length
 * beyond this is taken as corruption rather than mapped.
 */
#define ACPI_MAX_TABLE_SIZE	(1u << 20)

/* Root System Description Pointer, ACPI 1.0 (revision 0): 20 bytes. */
struct acpi_rsdp_v1 {
	char signature[8];		/* "RSD PTR " */
	u8 checksum;			/* these 20 bytes sum to 0 */
	char oem_id[6];
	u8 revision;			/* 0: ACPI 1.0; 2: ACPI 2.0 and later */
	u32 rsdt_address;		/* physical */
} __packed;

/* The ACPI 2.0+ RSDP (revision >= 2): the 1.0 part, then the XSDT's address. */
struct acpi_rsdp_v2 {
	struct acpi_rsdp_v1 v1;
	u32 length;			/* of the whole structure: 36 */
	u64 xsdt_address;		/* physical */
	u8 extended_checksum;		/* all length bytes sum to 0 */
	u8 reserved[3];
} __packed;

/* The header of every table except the RSDP (and FACS). */
struct acpi_table_header {
	char signature[ACPI_NAMESEG_SIZE];
	u32 length;			/* of the table, header included */
	u8 revision;
	u8 checksum;			/* all length bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char asl_compiler_id[4];
	u32 asl_compiler_revision;
} __packed;

/* Root tables: the header, then the physical addresses of the other tables. */
struct acpi_table_rsdt {
	struct acpi_table_header header;
	u32 entry[];
} __packed;

struct acpi_table_xsdt {
	struct acpi_table_header header;
	u64 entry[];			/* not 8-byte aligned: offset 36 */
} __packed;

/* Multiple APIC Description Table: the header, then variable-length entries. */
struct acpi_table_madt {
	struct acpi_table_header header;
	u32 lapic_address;		/* physical, unless a type-5 entry overrides it */
	u32 flags;			/* ACPI_MADT_PCAT_COMPAT */
} __packed;

#define ACPI_MADT_PCAT_COMPAT	(1u << 0)	/* dual 8259s present: mask them in APIC mode */

/* Every MADT entry starts with its type and its length in bytes (header included). */
struct acpi_subtable_header {
	u8 type;
	u8 length;
} __packed;

enum acpi_madt_type {
	ACPI_MADT_TYPE_LOCAL_APIC = 0,
	ACPI_MADT_TYPE_IO_APIC = 1,
	ACPI_MADT_TYPE_INTERRUPT_OVERRIDE = 2,
	ACPI_MADT_TYPE_NMI_SOURCE = 3,
	ACPI_MADT_TYPE_LOCAL_APIC_NMI = 4,
	ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE = 5,
	ACPI_MADT_TYPE_LOCAL_X2APIC = 9,
	ACPI_MADT_TYPE_LOCAL_X2APIC_NMI = 10,
};

/* Flags of the processor entries (types 0 and 9). */
#define ACPI_MADT_ENABLED		(1u << 0)	/* usable now */
#define ACPI_MADT_ONLINE_CAPABLE	(1u << 1)	/* can be enabled later (ACPI 6.3+) */

/* Type 0: one processor and its xAPIC ID. */
struct acpi_madt_local_apic {
	struct acpi_subtable_header header;
	u8 processor_id;		/* ACPI processor UID */
	u8 id;				/* local APIC ID; 0xff: invalid */
	u32 lapic_flags;
} __packed;

/* Type 1: one IOAPIC, whose inputs are GSIs global_irq_base... */
struct acpi_madt_io_apic {
	struct acpi_subtable_header header;
	u8 id;
	u8 reserved;
	u32 address;			/* physical, of its register window */
	u32 global_irq_base;
} __packed;

/* Type 2: ISA IRQ source_irq is wired to GSI global_irq, with these INTI flags. */
struct acpi_madt_interrupt_override {
	struct acpi_subtable_header header;
	u8 bus;				/* 0: ISA */
	u8 source_irq;
	u32 global_irq;
	u16 inti_flags;
} __packed;

/* Type 3: a GSI that is an NMI source. */
struct acpi_madt_nmi_source {
	struct acpi_subtable_header header;
	u16 inti_flags;
	u32 global_irq;
} __packed;

/* Type 4: which LINT pin of a processor's local APIC carries NMI. */
struct acpi_madt_local_apic_nmi {
	struct acpi_subtable_header header;
	u8 processor_id;		/* ACPI processor UID; 0xff: all */
	u16 inti_flags;
	u8 lint;			/* 0: LINT0, 1: LINT1 */
} __packed;

/* Type 5: the 64-bit local APIC address, replacing the MADT header's. */
struct acpi_madt_local_apic_override {
	struct acpi_subtable_header header;
	u16 reserved;
	u64 address;
} __packed;

/* Type 9: one processor with a 32-bit x2APIC ID. */
struct acpi_madt_local_x2apic {
	struct acpi_subtable_header header;
	u16 reserved;
	u32 local_apic_id;		/* 0xffffffff: invalid */
	u32 lapic_flags;
	u32 uid;			/* ACPI processor UID */
} __packed;

/* Type 10: type 4 for x2APIC processors. */
struct acpi_madt_local_x2apic_nmi {
	struct acpi_subtable_header header;
	u16 inti_flags;
	u32 uid;			/* 0xffffffff: all */
	u8 lint;
	u8 reserved[3];
} __packed;

_Static_assert(sizeof(struct acpi_rsdp_v1) == 20, "ACPI 1.0 RSDP is 20 bytes");
_Static_assert(sizeof(struct acpi_rsdp_v2) == 36, "ACPI 2.0 RSDP is 36 bytes");
_Static_assert(offsetof(struct acpi_rsdp_v2, xsdt_address) == 24, "RSDP XsdtAddress at 24");
_Static_assert(sizeof(struct acpi_table_header) == 36, "table header is 36 bytes");
_Static_assert(sizeof(struct acpi_table_rsdt) == 36 && sizeof(struct acpi_table_xsdt) == 36,
	       "root table entries start at 36");
_Static_assert(sizeof(struct acpi_table_madt) == 44, "MADT entries start at 44");
_Static_assert(sizeof(struct acpi_subtable_header) == 2, "MADT entry header");
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "MADT type 0");
_Static_assert(sizeof(struct acpi_madt_io_apic) == 12, "MADT type 1");
_Static_assert(sizeof(struct acpi_madt_interrupt_override) == 10, "MADT type 2");
_Static_assert(sizeof(struct acpi_madt_nmi_source) == 8, "MADT type 3");
_Static_assert(sizeof(struct acpi_madt_local_apic_nmi) == 6, "MADT type 4");
_Static_assert(sizeof(struct acpi_madt_local_apic_override) == 12, "MADT type 5");
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT type 9");
_Static_assert(sizeof(struct acpi_madt_local_x2apic_nmi) == 12, "MADT type 10");

/*
 * The parsed MADT. The array sizes are what a PC or a QEMU machine needs
 * with room to spare (one IOAPIC, one or two NMI lines per CPU); entries
 * beyond them are left out with a warning.
 */
#define MADT_MAX_IOAPICS	8
#define MADT_MAX_OVERRIDES	16	/* one per ISA IRQ */
#define MADT_MAX_NMI_SOURCES	8
#define MADT_MAX_LAPIC_NMIS	16

/* MPS INTI flags (MADT ISO / NMI entries): polarity bits 0-1, trigger bits 2-3 */
#define ACPI_INTI_POLARITY_MASK	0x3	/* 0 conforms to bus, 1 active high, 3 active low */
#define ACPI_INTI_TRIGGER_MASK	0xc	/* 0 conforms, 4 edge, 0xc level */
#define ACPI_INTI_POLARITY_HIGH	0x1
#define ACPI_INTI_POLARITY_LOW	0x3
#define ACPI_INTI_TRIGGER_EDGE	0x4
#define ACPI_INTI_TRIGGER_LEVEL	0xc

#define MADT_ALL_PROCESSORS	0xffffffffu	/* acpi_uid of an NMI entry for every CPU */

/* A processor (type 0 or 9). Entries with an invalid APIC ID or a repeated one are left out. */
struct madt_cpu {
	u32 apic_id;
	u32 acpi_uid;
	bool enabled;			/* usable now */
	bool online_capable;		/* not enabled, but may be brought up later */
	bool x2apic;			/* from a type-9 entry */
};

struct madt_ioapic {
	u8 id;
	u32 addr;			/* physical */
	u32 gsi_base;			/* its first input's GSI */
};

struct madt_override {
	u8 bus;				/* 0: ISA (the only bus ACPI defines here) */
	u8 source_irq;
	u32 gsi;
	u16 flags;			/* ACPI_INTI_* */
};

struct madt_nmi_source {
	u16 flags;			/* ACPI_INTI_* */
	u32 gsi;
};

struct madt_lapic_nmi {
	u32 acpi_uid;			/* 0xffffffff = all processors */
	u16 flags;			/* ACPI_INTI_* */
	u8 lint;			/* 0: LINT0, 1: LINT1 */
};

struct madt_info {
	u64 lapic_addr;			/* MADT header's, or the type-5 override's */
	u32 flags;			/* bit 0: PC-AT compatible dual 8259s present */
	int nr_cpus;
	struct madt_cpu cpus[NR_CPUS];	/* in MADT order: the boot CPU is usually first */
	int nr_ioapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	int nr_overrides;
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	int nr_nmi_sources;
	struct madt_nmi_source nmi_sources[MADT_MAX_NMI_SOURCES];
	int nr_lapic_nmis;
	struct madt_lapic_nmi lapic_nmis[MADT_MAX_LAPIC_NMIS];
};

/*
 * What acpi_table_init() found. Written once at boot, before any other
 * CPU or interrupt runs; read-only afterwards.
 */
extern struct madt_info acpi_madt;
extern bool acpi_madt_found;
/* Set by acpi=off on the command line: acpi_table_init() then does nothing. */
extern bool acpi_disabled;

/**
 * acpi_checksum - the 8-bit sum of len bytes at p
 * @p: the bytes
 * @len: how many
 *
 * Every ACPI checksum field is chosen so that this is 0 over its range.
 */
static inline u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/**
 * acpi_table_init - find and check the ACPI tables at boot, and parse the MADT
 *
 * Takes the RSDP the loader copied into boot_info (the 2.0 one if it gave
 * both), else searches the first KiB of the EBDA and 0xE0000-0xFFFFF;
 * walks the XSDT (or the RSDT), keeps every table whose header and
 * checksum are good mapped for the kernel's lifetime (acpi_get_table())
 * and parses the first good MADT into acpi_madt. Prints one line per
 * table, as Linux does. Call once, from setup_arch(), after the vmap area
 * is ready.
 *
 * Return: 0 when acpi_madt holds the MADT (acpi_madt_found is then true);
 * -ENODEV when ACPI is off (acpi=off), there is no RSDP, or no MADT;
 * -EINVAL when the RSDP, the root table or the MADT is corrupt. In every
 * error case a warning says what was wrong and the interrupt code should
 * fall back to the 8259 PIC.
 */
int acpi_table_init(void);

/**
 * acpi_get_table - a table acpi_table_init() kept
 * @signature: its four-character signature, e.g. "APIC" or "FACP"
 * @instance: 0 for the first table with this signature, 1 for the second...
 *
 * Return: the table, mapped for the kernel's lifetime with its header and
 * checksum checked (it is readable for header.length bytes), or NULL.
 */
const struct acpi_table_header *acpi_get_table(const char *signature, int instance);

/**
 * acpi_validate_table - check a table's header and checksum
 * @table: the table; readable for table->length bytes once that length
 *	is found sane
 * @signature: the signature it must have, or NULL for any
 * @pa: its physical address, for the warning (0 if unknown)
 *
 * Return: 0, or -EINVAL with a warning if the signature differs, the
 * length is shorter than a header or over ACPI_MAX_TABLE_SIZE, or the
 * bytes do not sum to 0.
 */
int acpi_validate_table(const struct acpi_table_header *table, const char *signature,
			phys_addr_t pa);

/**
 * acpi_parse_madt - parse a MADT held in memory
 * @madt: the table (the "APIC" header and its entries), readable for
 *	madt->length bytes
 * @out: filled with what the entries say; zeroed on error
 *
 * Checks the header and checksum, then walks every entry. Entries of
 * unknown types are skipped; entries past an array's capacity are left
 * out with one warning per array. Processors with the invalid APIC ID
 * (0xff, or 0xffffffff for x2APIC) or an ID already listed are left out.
 * A type-5 entry replaces the header's local APIC address.
 *
 * Return: 0; or -EINVAL with a warning if the header is bad, the table is
 * shorter than the MADT header, or an entry is shorter than 2 bytes,
 * shorter than its type's layout, or runs past the table's end.
 */
int acpi_parse_madt(const struct acpi_table_header *madt, struct madt_info *out);

/**
 * acpi_parse_tables_from_rsdp - find and parse the MADT starting from an RSDP
 * @rsdp: the RSDP at a kernel virtual address (20 bytes for revision 0,
 *	its length field's worth for revision 2); the tables it leads to
 *	are reached by physical address
 * @out: the parsed MADT; zeroed on error
 *
 * The walk acpi_table_init() does, without keeping anything: every table
 * it maps is unmapped before it returns. The XSDT is used when the RSDP's
 * revision is 2 or more and the XSDT's address is non-zero and its header
 * good; otherwise the RSDT. Root-table entries that are zero, point at
 * memory the firmware's memory map does not describe, or at a table with
 * a bad header are skipped with a warning.
 *
 * Return: 0 with *out filled; -ENODEV if no table is a MADT; -EINVAL if
 * the RSDP or the root table is bad, or every MADT found is corrupt.
 */
int acpi_parse_tables_from_rsdp(const void *rsdp, struct madt_info *out);

/**
 * acpi_scan_rsdp - search the legacy BIOS areas for the RSDP
 *
 * Looks at the first KiB of the EBDA (whose segment the BIOS data area
 * holds at 0x40e), then 0xE0000-0xFFFFF, on 16-byte boundaries, for the
 * signature with a good checksum (and a good extended checksum for
 * revision 2 and later).
 *
 * Return: its physical address, or 0 if there is none (UEFI machines).
 */
phys_addr_t acpi_scan_rsdp(void);

/**
 * acpi_madt_print - print a parsed MADT, one line per entry kept
 * @madt: the parsed MADT
 *
 * acpi_table_init() prints the boot MADT this way.
 */
void acpi_madt_print(const struct madt_info *madt);

/**
 * acpi_madt_isa_irq_to_gsi - the GSI an ISA IRQ arrives on, per a parsed MADT
 * @madt: the parsed MADT
 * @isa_irq: 0-15
 * @gsi: the GSI
 * @inti_flags: the override's ACPI_INTI_* flags; 0 (conforms to ISA:
 *	edge, active high) when there is no override
 *
 * Return: 0, or -EINVAL if isa_irq is not an ISA IRQ.
 */
int acpi_madt_isa_irq_to_gsi(const struct madt_info *madt, unsigned int isa_irq, u32 *gsi,
			     u16 *inti_flags);

/**
 * acpi_madt_gsi_to_isa_irq - the ISA IRQ that arrives on a GSI, per a parsed MADT
 * @madt: the parsed MADT
 * @gsi: the GSI
 *
 * Return: the IRQ whose override names gsi; else gsi itself if it is
 * below 16 and no override moves IRQ gsi elsewhere; else -1.
 */
int acpi_madt_gsi_to_isa_irq(const struct madt_info *madt, u32 gsi);

/**
 * acpi_isa_irq_to_gsi - acpi_madt_isa_irq_to_gsi() on the boot MADT
 * @isa_irq: 0-15
 * @gsi: the GSI
 * @inti_flags: ACPI_INTI_* flags, 0 without an override
 *
 * Return: 0, -EINVAL for an IRQ above 15, -ENODEV if no MADT was found.
 */
int acpi_isa_irq_to_gsi(unsigned int isa_irq, u32 *gsi, u16 *inti_flags);

/**
 * acpi_gsi_to_isa_irq - acpi_madt_gsi_to_isa_irq() on the boot MADT
 * @gsi: the GSI
 *
 * Return: the ISA IRQ, or -1 if none (or no MADT was found).
 */
int acpi_gsi_to_isa_irq(u32 gsi);

#endif
