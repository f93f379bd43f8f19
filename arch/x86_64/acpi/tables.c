/*
 * ACPI table discovery (ACPI 6.5, 5.2.5 "Root System Description Pointer"
 * to 5.2.8 "Extended System Description Table"): find the RSDP, walk the
 * XSDT or RSDT, check every table's header and checksum before use, keep
 * the good ones mapped, and hand the MADT to madt.c. Nothing from the
 * firmware is trusted: a table must lie in memory the memory map
 * describes, its length is bounded, and its checksum is verified.
 */
#define pr_fmt(fmt) "ACPI: " fmt
#include <asm/acpi.h>
#include <asm/page.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/vmalloc.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/errno.h>

/* Tables kept at boot. QEMU has about 8; big servers a few dozen (SSDTs). */
#define ACPI_MAX_TABLES		64

/*
 * How much of an RSDP given by address acpi_parse_tables_from_rsdp() may
 * read. Every revision so far is 36 bytes; a longer length field is
 * accepted up to this, a larger one taken as corruption.
 */
#define ACPI_RSDP_MAX_SIZE	1024

/* The legacy areas the RSDP may be in on a BIOS machine (ACPI 6.5, 5.2.5.1). */
#define BIOS_EBDA_SEGMENT_PTR	0x40e	/* u16: the EBDA's real-mode segment */
#define BIOS_EBDA_SCAN_SIZE	1024	/* its first KiB */
#define BIOS_ROM_AREA_START	0xe0000
#define BIOS_ROM_AREA_END	0x100000
#define BIOS_LOW_MEM_END	0xa0000	/* the EBDA lies below the VGA hole */

struct acpi_table_desc {
	phys_addr_t pa;
	const struct acpi_table_header *table;	/* mapped for the kernel's lifetime */
};

/* I: filled by acpi_table_init() at boot; read-only afterwards, so read without a lock. */
static struct acpi_table_desc acpi_tables[ACPI_MAX_TABLES];
static int acpi_nr_tables;

bool acpi_disabled;

static int acpi_param_setup(const char *val)
{
	if (!val || strcmp(val, "off"))
		return -EINVAL;
	acpi_disabled = true;
	return 0;
}
early_param("acpi", acpi_param_setup);

/* sig (four bytes) as printable text for messages: garbage shows as '?'. */
static const char *sig_str(const char *sig, char buf[ACPI_NAMESEG_SIZE + 1])
{
	for (int i = 0; i < ACPI_NAMESEG_SIZE; i++)
		buf[i] = sig[i] >= ' ' && sig[i] <= '~' ? sig[i] : '?';
	buf[ACPI_NAMESEG_SIZE] = '\0';
	return buf;
}

/* "[APIC 0x000000001FFE192F]", or "[APIC]" when the address is unknown. */
static const char *table_tag(const struct acpi_table_header *t, phys_addr_t pa, char *buf,
			     size_t size)
{
	char sig[ACPI_NAMESEG_SIZE + 1];

	if (pa)
		snprintf(buf, size, "[%s 0x%016llX]", sig_str(t->signature, sig),
			 (unsigned long long)pa);
	else
		snprintf(buf, size, "[%s]", sig_str(t->signature, sig));
	return buf;
}

/*
 * Whether [pa, pa + len) is memory the firmware described (usable RAM,
 * ACPI data or NVS, reserved: any memory-map type but "bad"), or the
 * first MiB. This keeps a stray pointer away from MMIO and from
 * addresses no memory answers at.
 */
static bool phys_range_described(phys_addr_t pa, u64 len)
{
	phys_addr_t end = pa + len, cur = pa;

	if (!len || end < pa)
		return false;
	while (cur < end) {
		phys_addr_t next = cur < BIOS_ROM_AREA_END ? BIOS_ROM_AREA_END : cur;

		for (int i = 0; i < boot_info.nr_memmap; i++) {
			const struct memmap_entry *m = &boot_info.memmap[i];

			if (m->type != MEMMAP_BAD && cur >= m->base && cur - m->base < m->len &&
			    m->base + m->len > next)
				next = m->base + m->len;
		}
		if (next <= cur)
			return false;
		cur = next;
	}
	return true;
}

/* The length check of acpi_validate_table(), which needs only the header mapped. */
static int check_table_length(const struct acpi_table_header *t, phys_addr_t pa)
{
	char tag[32];

	if (t->length < sizeof(*t)) {
		pr_warn("%s length %u is shorter than the %zu-byte table header\n",
			table_tag(t, pa, tag, sizeof(tag)), t->length, sizeof(*t));
		return -EINVAL;
	}
	if (t->length > ACPI_MAX_TABLE_SIZE) {
		pr_warn("%s length %u is over the %u-byte limit\n",
			table_tag(t, pa, tag, sizeof(tag)), t->length, ACPI_MAX_TABLE_SIZE);
		return -EINVAL;
	}
	return 0;
}

int acpi_validate_table(const struct acpi_table_header *table, const char *signature,
			phys_addr_t pa)
{
	char tag[32];
	u8 sum;

	if (signature && memcmp(table->signature, signature, ACPI_NAMESEG_SIZE)) {
		pr_warn("%s is not the %.4s table expected there\n",
			table_tag(table, pa, tag, sizeof(tag)), signature);
		return -EINVAL;
	}
	if (check_table_length(table, pa))
		return -EINVAL;
	sum = acpi_checksum(table, table->length);
	if (sum) {
		pr_warn("%s checksum is wrong: the %u bytes sum to %#04x, not 0\n",
			table_tag(table, pa, tag, sizeof(tag)), table->length, sum);
		return -EINVAL;
	}
	return 0;
}

/*
 * Map the table at pa and check it (its signature too, if signature is
 * not NULL). Returns 0 with the mapping in *out (memunmap() it); -EFAULT
 * if pa is not described memory or cannot be mapped; -EINVAL if the
 * header or checksum is bad, with the signature found in sig. Every error
 * is reported.
 */
static int acpi_map_table(phys_addr_t pa, const char *signature,
			  const struct acpi_table_header **out, char sig[ACPI_NAMESEG_SIZE])
{
	const struct acpi_table_header *h;
	u32 len;

	*out = NULL;
	memset(sig, 0, ACPI_NAMESEG_SIZE);
	if (!phys_range_described(pa, sizeof(*h))) {
		pr_warn("table address %#llx is not memory the firmware described; ignored\n",
			(unsigned long long)pa);
		return -EFAULT;
	}
	h = memremap(pa, sizeof(*h));
	if (!h) {
		pr_warn("table at %#llx cannot be mapped; ignored\n", (unsigned long long)pa);
		return -EFAULT;
	}
	memcpy(sig, h->signature, ACPI_NAMESEG_SIZE);
	len = h->length;
	if (check_table_length(h, pa)) {
		memunmap(h);
		return -EINVAL;
	}
	memunmap(h);
	if (!phys_range_described(pa, len)) {
		char s[ACPI_NAMESEG_SIZE + 1];

		pr_warn("[%s 0x%016llX] length %u runs past the memory the firmware described\n",
			sig_str(sig, s), (unsigned long long)pa, len);
		return -EINVAL;
	}
	h = memremap(pa, len);
	if (!h) {
		pr_warn("table at %#llx (%u bytes) cannot be mapped; ignored\n",
			(unsigned long long)pa, len);
		return -EFAULT;
	}
	/* the firmware could change the length between the two reads */
	if (h->length != len || acpi_validate_table(h, signature, pa)) {
		memunmap(h);
		return -EINVAL;
	}
	*out = h;
	return 0;
}

/* One line per table, laid out as Linux prints them. */
static void print_table(const struct acpi_table_header *t, phys_addr_t pa)
{
	char sig[ACPI_NAMESEG_SIZE + 1];

	pr_info("%s 0x%016llX %06X (v%02u %-6.6s %-8.8s %08X %-4.4s %08X)\n",
		sig_str(t->signature, sig), (unsigned long long)pa, t->length,
		(unsigned int)t->revision, t->oem_id, t->oem_table_id, t->oem_revision,
		t->asl_compiler_id, t->asl_compiler_revision);
}

/* Keep a checked table for acpi_get_table(); false if the list is full. */
static bool keep_table(const struct acpi_table_header *t, phys_addr_t pa)
{
	if (acpi_nr_tables == ACPI_MAX_TABLES) {
		char sig[ACPI_NAMESEG_SIZE + 1];

		pr_warn("more than %d tables; %s at %#llx not kept\n", ACPI_MAX_TABLES,
			sig_str(t->signature, sig), (unsigned long long)pa);
		return false;
	}
	acpi_tables[acpi_nr_tables++] = (struct acpi_table_desc){ pa, t };
	return true;
}

const struct acpi_table_header *acpi_get_table(const char *signature, int instance)
{
	if (!signature || strnlen(signature, ACPI_NAMESEG_SIZE + 1) != ACPI_NAMESEG_SIZE)
		return NULL;
	for (int i = 0; i < acpi_nr_tables; i++) {
		if (!memcmp(acpi_tables[i].table->signature, signature, ACPI_NAMESEG_SIZE) &&
		    instance-- == 0)
			return acpi_tables[i].table;
	}
	return NULL;
}

/*
 * Check the RSDP at p, of which avail bytes may be read. what names where
 * it came from for the warnings; NULL makes the check quiet (the scan).
 */
static int rsdp_check(const void *p, size_t avail, const char *what)
{
	const struct acpi_rsdp_v2 *rsdp = p;
	u8 sum;

	if (avail < sizeof(rsdp->v1) || memcmp(rsdp->v1.signature, ACPI_SIG_RSDP, 8)) {
		if (what)
			pr_warn("RSDP %s: no \"RSD PTR \" signature\n", what);
		return -EINVAL;
	}
	sum = acpi_checksum(rsdp, sizeof(rsdp->v1));
	if (sum) {
		if (what)
			pr_warn("RSDP %s: checksum is wrong: the first 20 bytes sum to %#04x, not 0\n",
				what, sum);
		return -EINVAL;
	}
	/* a 2.0 RSDP the loader copied only the 1.0 part of is used as a 1.0 one */
	if (rsdp->v1.revision < 2 || avail < sizeof(*rsdp))
		return 0;
	if (rsdp->length < sizeof(*rsdp) || rsdp->length > avail) {
		if (what)
			pr_warn("RSDP %s: revision %u length %u is outside %zu..%zu bytes\n", what,
				rsdp->v1.revision, rsdp->length, sizeof(*rsdp), avail);
		return -EINVAL;
	}
	sum = acpi_checksum(rsdp, rsdp->length);
	if (sum) {
		if (what)
			pr_warn("RSDP %s: extended checksum is wrong: the %u bytes sum to %#04x, not 0\n",
				what, rsdp->length, sum);
		return -EINVAL;
	}
	return 0;
}

/* Whether a checked RSDP leads to an XSDT (revision 2+, and the 2.0 part is there). */
static bool rsdp_has_xsdt(const struct acpi_rsdp_v2 *rsdp, size_t avail)
{
	return rsdp->v1.revision >= 2 && avail >= sizeof(*rsdp);
}

/* Search [start, start + len) of the first MiB; returns the RSDP's address and the bytes after it. */
static phys_addr_t scan_area(phys_addr_t start, size_t len, size_t *avail)
{
	const u8 *area = memremap(start, len);
	phys_addr_t found = 0;

	if (!area)
		return 0;
	for (size_t off = 0; off + sizeof(struct acpi_rsdp_v1) <= len; off += 16) {
		if (!rsdp_check(area + off, len - off, NULL)) {
			found = start + off;
			*avail = len - off;
			break;
		}
	}
	memunmap(area);
	return found;
}

static phys_addr_t scan_rsdp(size_t *avail)
{
	const u16 *ptr = memremap(BIOS_EBDA_SEGMENT_PTR, sizeof(u16));
	phys_addr_t ebda = ptr ? (phys_addr_t)*ptr << 4 : 0, pa = 0;

	memunmap(ptr);
	/* a segment outside conventional memory is not an EBDA */
	if (ebda >= 0x400 && ebda + BIOS_EBDA_SCAN_SIZE <= BIOS_LOW_MEM_END)
		pa = scan_area(ebda, BIOS_EBDA_SCAN_SIZE, avail);
	if (!pa)
		pa = scan_area(BIOS_ROM_AREA_START, BIOS_ROM_AREA_END - BIOS_ROM_AREA_START, avail);
	return pa;
}

phys_addr_t acpi_scan_rsdp(void)
{
	size_t avail;

	return scan_rsdp(&avail);
}

/* The root table's i-th entry: a table's physical address. */
static phys_addr_t root_entry(const struct acpi_table_header *root, bool xsdt, u32 i)
{
	if (xsdt)
		return ((const struct acpi_table_xsdt *)root)->entry[i];
	return ((const struct acpi_table_rsdt *)root)->entry[i];
}

/*
 * Map the root table the RSDP names: the XSDT when there is a usable one,
 * else the RSDT. Returns 0 with the table in *root and *xsdt saying which.
 */
static int map_root(const struct acpi_rsdp_v2 *rsdp, size_t avail,
		    const struct acpi_table_header **root, phys_addr_t *root_pa, bool *xsdt)
{
	char sig[ACPI_NAMESEG_SIZE];

	*xsdt = false;
	if (rsdp_has_xsdt(rsdp, avail)) {
		if (!rsdp->xsdt_address)
			pr_warn("RSDP revision %u has no XSDT address; using the RSDT\n",
				rsdp->v1.revision);
		else if (!acpi_map_table(rsdp->xsdt_address, ACPI_SIG_XSDT, root, sig)) {
			*root_pa = rsdp->xsdt_address;
			*xsdt = true;
			return 0;
		} else
			pr_warn("XSDT at %#llx unusable; trying the RSDT\n",
				(unsigned long long)rsdp->xsdt_address);
	}
	if (!rsdp->v1.rsdt_address) {
		pr_warn("RSDP names no usable root table (RSDT address 0)\n");
		return -EINVAL;
	}
	if (acpi_map_table(rsdp->v1.rsdt_address, ACPI_SIG_RSDT, root, sig)) {
		pr_warn("RSDT at %#x unusable: no ACPI tables\n", rsdp->v1.rsdt_address);
		return -EINVAL;
	}
	*root_pa = rsdp->v1.rsdt_address;
	return 0;
}

/*
 * The walk behind acpi_table_init() and acpi_parse_tables_from_rsdp(),
 * from an RSDP of which avail bytes are readable. With keep (boot), every
 * good table is printed, listed for acpi_get_table() and stays mapped;
 * without, everything mapped here is unmapped before returning.
 */
static int acpi_walk(const void *rsdp_va, size_t avail, bool keep, struct madt_info *out)
{
	const struct acpi_rsdp_v2 *rsdp = rsdp_va;
	const struct acpi_table_header *root;
	phys_addr_t root_pa;
	int madt_err = -ENODEV;
	bool xsdt, madt_done = false;
	u32 esize, n, rest;
	char tag[32];

	memset(out, 0, sizeof(*out));
	if (rsdp_check(rsdp, avail, "given"))
		return -EINVAL;
	if (map_root(rsdp, avail, &root, &root_pa, &xsdt))
		return -EINVAL;
	if (keep) {
		print_table(root, root_pa);
		if (!keep_table(root, root_pa))
			keep = false;
	}

	esize = xsdt ? sizeof(u64) : sizeof(u32);
	n = (root->length - sizeof(*root)) / esize;
	rest = (root->length - sizeof(*root)) % esize;
	if (rest)
		pr_warn("%s ends in a partial %u-byte entry; ignored\n",
			table_tag(root, root_pa, tag, sizeof(tag)), rest);
	for (u32 i = 0; i < n; i++) {
		phys_addr_t pa = root_entry(root, xsdt, i);
		const struct acpi_table_header *t;
		char sig[ACPI_NAMESEG_SIZE];
		bool is_madt;
		int err;

		if (!pa) {
			pr_warn("%s entry %u is 0; skipped\n",
				table_tag(root, root_pa, tag, sizeof(tag)), i);
			continue;
		}
		err = acpi_map_table(pa, NULL, &t, sig);
		is_madt = !memcmp(sig, ACPI_SIG_MADT, ACPI_NAMESEG_SIZE);
		if (err) {
			/* a corrupt MADT is an error, unless a good one follows */
			if (is_madt && err == -EINVAL && !madt_done)
				madt_err = -EINVAL;
			continue;
		}
		if (keep)
			print_table(t, pa);
		if (is_madt && !madt_done) {
			err = acpi_parse_madt(t, out);
			madt_done = !err;
			if (err)
				madt_err = err;
		}
		if (!keep || !keep_table(t, pa))
			memunmap(t);
	}
	if (!keep)
		memunmap(root);
	if (madt_done)
		return 0;
	if (madt_err == -ENODEV)
		pr_warn("no MADT (APIC table) among the %u tables of the %s\n", n,
			xsdt ? "XSDT" : "RSDT");
	memset(out, 0, sizeof(*out));
	return madt_err;
}

int acpi_parse_tables_from_rsdp(const void *rsdp, struct madt_info *out)
{
	return acpi_walk(rsdp, ACPI_RSDP_MAX_SIZE, false, out);
}

int acpi_table_init(void)
{
	static bool done;
	static int result;
	const struct acpi_rsdp_v2 *rsdp = NULL;
	size_t avail = 0, scan_avail = 0;
	phys_addr_t pa;

	if (acpi_disabled) {
		pr_info("disabled by acpi=off: no ACPI tables used\n");
		return -ENODEV;
	}
	if (done)
		return result;
	done = true;

	pa = scan_rsdp(&scan_avail);
	if (boot_info.rsdp_version) {
		avail = boot_info.rsdp_version >= 2 ? sizeof(struct acpi_rsdp_v2) :
						      sizeof(struct acpi_rsdp_v1);
		if (!rsdp_check(boot_info.rsdp, avail, "from the loader")) {
			rsdp = (const void *)boot_info.rsdp;
			/* print the firmware's address when the BIOS copy is the same one */
			if (pa && memcmp(phys_to_virt(pa), rsdp, sizeof(rsdp->v1)))
				pa = 0;
		} else {
			pr_warn("ignoring the loader's RSDP; searching the BIOS areas\n");
		}
	}
	if (!rsdp && pa) {
		rsdp = memremap(pa, scan_avail);
		avail = scan_avail;
	}
	if (!rsdp) {
		pr_warn("no RSDP from the loader nor in the BIOS areas: no ACPI\n");
		result = -ENODEV;
		return result;
	}

	pr_info("RSDP 0x%016llX %06zX (v%02u %-6.6s)%s\n", (unsigned long long)pa,
		rsdp_has_xsdt(rsdp, avail) ? (size_t)rsdp->length : sizeof(rsdp->v1),
		(unsigned int)rsdp->v1.revision, rsdp->v1.oem_id,
		(const void *)rsdp == boot_info.rsdp ? " from the loader" : "");
	result = acpi_walk(rsdp, avail, true, &acpi_madt);
	if ((const void *)rsdp != boot_info.rsdp)
		memunmap(rsdp);
	acpi_madt_found = result == 0;
	if (!result)
		acpi_madt_print(&acpi_madt);
	else
		pr_warn("no usable MADT (error %d): the interrupt code must use the 8259 PIC\n",
			result);
	return result;
}
