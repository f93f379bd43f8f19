/*
 * The kernel page tables. paging_init() replaces the boot tables (2 MiB
 * pages, everything writable and executable) with the final ones:
 *   - the kernel image at KERNEL_VMA in 4 KiB pages: text read-only and
 *     executable; rodata, the symbol table and the exception tables
 *     read-only and NX; data, per-CPU and bss writable and NX;
 *   - the direct map of RAM (and of the first MiB) at PAGE_OFFSET, NX,
 *     with 1 GiB or 2 MiB pages where alignment allows;
 *   - no identity map: a NULL dereference faults.
 * Page-table pages come from the frame allocator and are reached through
 * the direct map.
 */
#define pr_fmt(fmt) "paging: " fmt
#include <asm/pgtable.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <kernel/mm.h>
#include <kernel/bootinfo.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/spinlock.h>
#include <kernel/bug.h>

#define PTRS_PER_TABLE	512

u64 __supported_pte_mask = ~_PAGE_NX;
static u64 *kernel_pml4;		/* the tables paging_init() built */
static DEFINE_SPINLOCK(pgtable_lock);	/* serializes changes to the kernel tables */

extern char _text[], _etext[], __start_rodata[], __end_rodata[], _sdata[], __bss_stop[];
extern char __start_ksyms[], _end[];

static unsigned int index_at(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PTRS_PER_TABLE - 1);
}

static u64 *table_of(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

static u64 *current_pml4(void)
{
	return phys_to_virt(read_cr3() & PTE_ADDR_MASK);
}

static u64 *alloc_table(void)
{
	phys_addr_t pa = frame_alloc();
	u64 *t;

	if (!pa)
		return NULL;
	phys_to_page(pa)->owner = PAGE_OWNER_PGTABLE;
	t = phys_to_virt(pa);
	memset(t, 0, PAGE_SIZE);
	return t;
}

/*
 * Replace the large page in *entry (level 2 or 3) by a table of 512
 * entries of the next size down with the same protection.
 */
static int split_large(u64 *entry, int level)
{
	u64 *t = alloc_table();
	u64 flags = *entry & PTE_FLAGS_MASK, base = *entry & PTE_ADDR_MASK;
	u64 step = 1ull << (PAGE_SHIFT + 9 * (level - 2));

	if (!t)
		return -ENOMEM;
	if (level == 2)
		flags &= ~_PAGE_PSE;
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		t[i] = (base + i * step) | flags;
	/* the new table's entries decide; the upper entry just permits */
	*entry = virt_to_phys(t) | _PAGE_PRESENT | _PAGE_RW;
	flush_tlb_local();
	return 0;
}

/* Walk to the entry for va at `level`, creating tables (and splitting large pages) if create. */
static u64 *walk(u64 *pml4, unsigned long va, int level, bool create, int *err)
{
	u64 *table = pml4;

	for (int l = 4; l > level; l--) {
		u64 *e = &table[index_at(va, l)];

		if (!(*e & _PAGE_PRESENT)) {
			u64 *t;
			if (!create)
				return NULL;
			t = alloc_table();
			if (!t) {
				*err = -ENOMEM;
				return NULL;
			}
			*e = virt_to_phys(t) | _PAGE_PRESENT | _PAGE_RW;
		} else if (*e & _PAGE_PSE) {
			if (!create)
				return NULL;
			*err = split_large(e, l);
			if (*err)
				return NULL;
		}
		table = table_of(*e);
	}
	return &table[index_at(va, level)];
}

int map_page(unsigned long va, phys_addr_t pa, u64 prot)
{
	unsigned long flags;
	int err = 0;
	u64 *pte;

	if ((va | pa) & ~PAGE_MASK || pa & ~PTE_ADDR_MASK || !is_canonical(va))
		return -EINVAL;
	spin_lock_irqsave(&pgtable_lock, flags);
	/* mapped already (maybe by a large page): refuse without splitting anything */
	if (lookup_address(va, NULL)) {
		spin_unlock_irqrestore(&pgtable_lock, flags);
		return -EEXIST;
	}
	pte = walk(current_pml4(), va, 1, true, &err);
	if (pte && (*pte & _PAGE_PRESENT))
		err = -EEXIST;
	else if (pte)
		*pte = pa | (prot & __supported_pte_mask);
	spin_unlock_irqrestore(&pgtable_lock, flags);
	return err;
}

/*
 * Clear (unmap) or re-protect the 4 KiB mapping of va. Any CPU may hold
 * the old entry in its TLB, so with flush every online CPU drops it
 * (after the lock is released: the other CPUs may be spinning on it with
 * interrupts off) before this returns. A change that only adds rights is
 * flushed too: there is no spurious-fault handler to forgive a stale,
 * narrower entry.
 */
static int change_pte(unsigned long va, bool unmap, u64 prot, bool flush)
{
	unsigned long flags;
	int err = 0;
	bool changed = false;
	u64 *pte;

	if (va & ~PAGE_MASK || !is_canonical(va))
		return -EINVAL;
	spin_lock_irqsave(&pgtable_lock, flags);
	pte = walk(current_pml4(), va, 1, false, &err);
	if (!pte || !(*pte & _PAGE_PRESENT)) {
		err = -ENOENT;
	} else {
		u64 old = *pte;

		*pte = unmap ? 0 : (old & PTE_ADDR_MASK) | (prot & __supported_pte_mask);
		changed = *pte != old;
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
	if (changed && flush)
		flush_tlb_kernel_range(va, va + PAGE_SIZE);
	return err;
}

int unmap_page(unsigned long va)
{
	return change_pte(va, true, 0, true);
}

int unmap_page_noflush(unsigned long va)
{
	return change_pte(va, true, 0, false);
}

int protect_page(unsigned long va, u64 prot)
{
	return change_pte(va, false, prot, true);
}

u64 *lookup_address(unsigned long va, int *level)
{
	u64 *table = current_pml4();

	if (!is_canonical(va))
		return NULL;
	for (int l = 4; l >= 1; l--) {
		u64 *e = &table[index_at(va, l)];

		if (!(*e & _PAGE_PRESENT))
			return NULL;
		if (l == 1 || (l <= 3 && (*e & _PAGE_PSE))) {
			if (level)
				*level = l;
			return e;
		}
		table = table_of(*e);
	}
	return NULL;
}

phys_addr_t slow_virt_to_phys(unsigned long va)
{
	int level;
	u64 *e = lookup_address(va, &level);
	u64 size;

	if (!e)
		return (phys_addr_t)-1;
	size = 1ull << (PAGE_SHIFT + 9 * (level - 1));
	return (*e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
}

void dump_pagetable(unsigned long addr)
{
	static const char *const names[] = { "", "PTE", "PMD", "PUD", "PGD" };
	u64 *table = current_pml4();

	printk(KERN_ALERT "page table walk for %016lx (CR3 %016lx):", addr, read_cr3());
	if (!is_canonical(addr)) {
		pr_cont(" non-canonical\n");
		return;
	}
	for (int l = 4; l >= 1; l--) {
		u64 e = table[index_at(addr, l)];

		pr_cont(" %s %016llx", names[l], (unsigned long long)e);
		if (!(e & _PAGE_PRESENT) || l == 1 || (l <= 3 && (e & _PAGE_PSE)))
			break;
		table = table_of(e);
	}
	pr_cont("\n");
}

/* Map [va, va + size) to pa with the largest pages alignment allows. */
static void map_range(u64 *pml4, unsigned long va, phys_addr_t pa, u64 size, u64 prot)
{
	bool gb = boot_cpu_has(X86_FEATURE_GBPAGES);
	int err = 0;

	prot &= __supported_pte_mask;
	while (size) {
		u64 *e;

		if (gb && size >= PUD_SIZE && !((va | pa) & (PUD_SIZE - 1))) {
			e = walk(pml4, va, 3, true, &err);
			BUG_ON(!e);
			*e = pa | prot | _PAGE_PSE;
			va += PUD_SIZE, pa += PUD_SIZE, size -= PUD_SIZE;
		} else if (size >= PMD_SIZE && !((va | pa) & (PMD_SIZE - 1))) {
			e = walk(pml4, va, 2, true, &err);
			BUG_ON(!e);
			*e = pa | prot | _PAGE_PSE;
			va += PMD_SIZE, pa += PMD_SIZE, size -= PMD_SIZE;
		} else {
			e = walk(pml4, va, 1, true, &err);
			BUG_ON(!e);
			*e = pa | prot;
			va += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE;
		}
	}
}

static void map_kernel_section(u64 *pml4, const char *start, const char *end, u64 prot)
{
	unsigned long s = (unsigned long)start, e = ALIGN_UP((unsigned long)end, PAGE_SIZE);

	for (unsigned long va = s; va < e; va += PAGE_SIZE) {
		int err = 0;
		u64 *pte = walk(pml4, va, 1, true, &err);

		BUG_ON(!pte);
		*pte = (va - KERNEL_VMA) | (prot & __supported_pte_mask);
	}
}

struct phys_range {
	phys_addr_t start, end;
};

/* Sort ranges by start and merge overlapping or touching ones; returns the new count. */
static int merge_ranges(struct phys_range *r, int n)
{
	int out = 0;

	for (int i = 1; i < n; i++) {
		struct phys_range x = r[i];
		int j = i - 1;
		for (; j >= 0 && r[j].start > x.start; j--)
			r[j + 1] = r[j];
		r[j + 1] = x;
	}
	for (int i = 0; i < n; i++) {
		if (r[i].end <= r[i].start)
			continue;
		if (out && r[i].start <= r[out - 1].end)
			r[out - 1].end = max(r[out - 1].end, r[i].end);
		else
			r[out++] = r[i];
	}
	return out;
}

void paging_init(void)
{
	static struct phys_range ram[MEMMAP_MAX + 1];
	unsigned long direct = 0;
	u64 *pml4;
	int nr;

	if (rdmsr(MSR_EFER) & EFER_NXE)
		__supported_pte_mask |= _PAGE_NX;
	pml4 = alloc_table();
	if (!pml4)
		panic("paging: no memory for the kernel page tables");

	map_kernel_section(pml4, _text, _etext, PAGE_KERNEL_RX);
	map_kernel_section(pml4, __start_rodata, __end_rodata, PAGE_KERNEL_RO);
	map_kernel_section(pml4, __end_rodata, __bss_stop, PAGE_KERNEL);	/* per-CPU, data, bss */
	map_kernel_section(pml4, __start_ksyms, _end, PAGE_KERNEL_RO);

	/* the first MiB (VGA text buffer, BIOS data) and every RAM range, merged */
	nr = 0;
	ram[nr++] = (struct phys_range){ 0, 0x100000 };
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];

		if (m->type == MEMMAP_USABLE || m->type == MEMMAP_ACPI_RECLAIMABLE ||
		    m->type == MEMMAP_ACPI_NVS)
			ram[nr++] = (struct phys_range){ ALIGN_DOWN(m->base, PAGE_SIZE),
							 ALIGN_UP(m->base + m->len, PAGE_SIZE) };
	}
	nr = merge_ranges(ram, nr);
	for (int i = 0; i < nr; i++) {
		map_range(pml4, PAGE_OFFSET + ram[i].start, ram[i].start,
			  ram[i].end - ram[i].start, PAGE_KERNEL);
		direct += ram[i].end - ram[i].start;
	}

	kernel_pml4 = pml4;
	write_cr3(virt_to_phys(pml4));
	pr_info("kernel tables at %#lx: text RX, rodata RO+NX, data RW+NX%s; %lu MiB direct-mapped\n",
		(unsigned long)virt_to_phys(pml4),
		(__supported_pte_mask & _PAGE_NX) ? "" : " (no NX on this CPU)", direct >> 20);
}
