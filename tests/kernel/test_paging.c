/*
 * The kernel page tables (arch/x86_64/mm/paging.c): map_page() and
 * friends on a page of the vmap area, the #PF error codes each kind of
 * forbidden access raises (Intel SDM vol. 3A, 4.7), and the permissions
 * paging_init() gave the kernel image and the direct map (W^X, NX, no
 * identity map). Faulting accesses are made through exception-table
 * fixups, or inside ktest_try() where the faulting RIP is not a label.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/vmalloc.h>
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <asm/pgtable.h>
#include <asm/extable.h>
#include <asm/traps.h>
#include <asm/trapnr.h>
#include <asm/cpufeature.h>
#include <asm/special_insns.h>

extern char _text[], _etext[], __start_rodata[], __end_rodata[], _sdata[];
extern char __bss_start[], __bss_stop[], _end[];

/* #PF error code bits (SDM vol. 3A, 4.7) */
#define PF_PROT		0x1ul	/* 0: not present, 1: protection or reserved bit */
#define PF_WRITE	0x2ul
#define PF_RSVD		0x8ul
#define PF_INSTR	0x10ul

#define PTE_RSVD_BIT	(1ull << 51)	/* reserved while MAXPHYADDR < 52 */
#define RET_INSN	0xc3

/* A read-only object and a page of .bss, to show the image's permissions. */
static const u32 rodata_word = 0x5eed1e55;
static u8 data_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* One access that may fault, and what this CPU's fixup record says about it. */
struct probe {
	unsigned long faults;		/* fixups the access took: 0 or 1 */
	unsigned long insn;		/* the accessing instruction */
	struct fixup_record rec;
	u64 val;			/* what a read returned */
};

static void probe_begin(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	p->faults = this_cpu_fixup_record()->count;
}

static void probe_end(struct probe *p)
{
	p->rec = *this_cpu_fixup_record();
	p->faults = p->rec.count - p->faults;
}

static void probe_read(unsigned long addr, struct probe *p)
{
	u64 val = 0;

	probe_begin(p);
	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	movq (%2), %1\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "=&r"(p->insn), "+r"(val) : "r"(addr) : "memory");
	probe_end(p);
	p->val = val;
}

static void probe_write(unsigned long addr, u8 val, struct probe *p)
{
	probe_begin(p);
	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	movb %b1, (%2)\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "=&r"(p->insn) : "q"(val), "r"(addr) : "memory");
	probe_end(p);
}

/* One page fault, caught by the fixup at the access. */
#define EXPECT_PF(t, p, ec, addr) do {						\
	EXPECT_EQ(t, (p)->faults, 1);						\
	EXPECT_EQ(t, (p)->rec.trapnr, X86_TRAP_PF);				\
	EXPECT_EQ(t, (p)->rec.error_code, (ec));				\
	EXPECT_EQ(t, (p)->rec.cr2, (unsigned long)(addr));			\
	EXPECT_EQ(t, (p)->rec.rip, (p)->insn);					\
} while (0)

/*
 * Executing at an address that is not a label: ktest_try() catches the
 * oops. The oops report itself reads memory around RIP (and may fault
 * again), so a die notifier records the first #PF's CR2 before that.
 */
static struct {
	bool armed;
	unsigned long cr2;
} pf_seen;

static int pf_snoop(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == DIE_PAGE_FAULT && pf_seen.armed) {
		pf_seen.armed = false;
		pf_seen.cr2 = read_cr2();
	}
	return NOTIFY_DONE;
}

static struct notifier_block pf_snoop_nb = { .notifier_call = pf_snoop, .priority = 200 };

static void call_at(void *addr)
{
	((void (*)(void))addr)();
}

static enum ktest_caught try_exec(unsigned long addr, struct ktest_catch *c)
{
	pf_seen.armed = true;
	pf_seen.cr2 = 0;
	register_die_notifier(&pf_snoop_nb);
	ktest_try(call_at, (void *)addr, c);
	unregister_die_notifier(&pf_snoop_nb);
	pf_seen.armed = false;
	return c->caught;
}

static bool have_nx(void)
{
	return __supported_pte_mask & _PAGE_NX;
}

/*
 * A test page: a one-page vmalloc() area whose page is unmapped here, so
 * the test owns an address the vmap allocator will not hand out, plus a
 * fresh frame to map there. test_page_put() puts vmalloc's own frame
 * back before vfree(), so the vmap statistics stay right.
 */
struct test_page {
	unsigned long va;
	phys_addr_t vm_pa;		/* vmalloc's frame, set aside */
	phys_addr_t pa;			/* the frame the test maps */
};

static void test_page_get(struct ktest *t, struct test_page *tp)
{
	void *p = vmalloc(PAGE_SIZE);

	ASSERT_NOT_NULL(t, p);
	tp->va = (unsigned long)p;
	tp->vm_pa = slow_virt_to_phys(tp->va);
	ASSERT_EQ(t, unmap_page(tp->va), 0);
	tp->pa = frame_alloc();
	ASSERT_NE(t, tp->pa, 0);
	memset(phys_to_virt(tp->pa), 0, PAGE_SIZE);
}

static void test_page_put(struct test_page *tp)
{
	unmap_page(tp->va);
	frame_free(tp->pa);
	map_page(tp->va, tp->vm_pa, PAGE_KERNEL);
	vfree((void *)tp->va);
}

static void map_fresh_frame(struct ktest *t)
{
	struct test_page tp;
	u64 *pte;
	u8 *direct, *mapped;
	int level = 0;

	test_page_get(t, &tp);
	direct = phys_to_virt(tp.pa);
	mapped = (u8 *)tp.va;
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		direct[i] = (u8)(i * 7 + 1);
	EXPECT_NULL(t, lookup_address(tp.va, NULL));
	EXPECT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), 0);
	pte = lookup_address(tp.va, &level);
	ASSERT_NOT_NULL(t, pte);
	EXPECT_EQ(t, level, 1);
	EXPECT_EQ(t, *pte & PTE_ADDR_MASK, tp.pa);
	EXPECT_EQ(t, *pte & (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER), _PAGE_PRESENT | _PAGE_RW);
	if (have_nx())
		EXPECT_TRUE(t, *pte & _PAGE_NX);
	EXPECT_EQ(t, slow_virt_to_phys(tp.va), tp.pa);
	EXPECT_EQ(t, slow_virt_to_phys(tp.va + 0x123), tp.pa + 0x123);
	EXPECT_EQ(t, slow_virt_to_phys(tp.va + PAGE_SIZE - 1), tp.pa + PAGE_SIZE - 1);
	/* the same bytes through both mappings, both ways */
	EXPECT_EQ(t, memcmp(mapped, direct, PAGE_SIZE), 0);
	for (int i = 0; i < (int)PAGE_SIZE; i += 61)
		mapped[i] = (u8)~i;
	for (int i = 0; i < (int)PAGE_SIZE; i += 61)
		EXPECT_EQ(t, direct[i], (u8)~i);
	EXPECT_EQ(t, phys_to_page(tp.pa)->owner, PAGE_OWNER_ALLOC);
	test_page_put(&tp);
}

static void map_rejects_bad_requests(struct ktest *t)
{
	static const unsigned long noncanonical[] = {
		0x0000800000000000ul, 0xff00000000000000ul, 0x7fff800000000000ul,
	};
	struct test_page tp;
	phys_addr_t other = frame_alloc();

	ASSERT_NE(t, other, 0);
	test_page_get(t, &tp);
	EXPECT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), 0);
	/* mapped already: refused, and the first mapping stays */
	EXPECT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), -EEXIST);
	EXPECT_EQ(t, map_page(tp.va, other, PAGE_KERNEL_RO), -EEXIST);
	EXPECT_EQ(t, slow_virt_to_phys(tp.va), tp.pa);
	EXPECT_TRUE(t, *lookup_address(tp.va, NULL) & _PAGE_RW);
	/* unaligned address or frame */
	EXPECT_EQ(t, map_page(tp.va + 8, other, PAGE_KERNEL), -EINVAL);
	EXPECT_EQ(t, map_page(tp.va + PAGE_SIZE, other + 0x10, PAGE_KERNEL), -EINVAL);
	/* a frame address beyond 52 bits would spill into the flag bits (NX) */
	EXPECT_EQ(t, map_page(tp.va + PAGE_SIZE, other | (1ull << 52), PAGE_KERNEL), -EINVAL);
	EXPECT_EQ(t, unmap_page(tp.va + 8), -EINVAL);
	EXPECT_EQ(t, protect_page(tp.va + 8, PAGE_KERNEL), -EINVAL);
	EXPECT_NULL(t, lookup_address(tp.va + PAGE_SIZE, NULL));
	for (size_t i = 0; i < ARRAY_SIZE(noncanonical); i++) {
		EXPECT_EQ(t, map_page(noncanonical[i], other, PAGE_KERNEL), -EINVAL);
		EXPECT_EQ(t, unmap_page(noncanonical[i]), -EINVAL);
		EXPECT_EQ(t, protect_page(noncanonical[i], PAGE_KERNEL), -EINVAL);
		EXPECT_NULL(t, lookup_address(noncanonical[i], NULL));
		EXPECT_EQ(t, slow_virt_to_phys(noncanonical[i]), (phys_addr_t)-1);
	}
	/* nothing mapped: nothing to unmap or protect */
	EXPECT_EQ(t, unmap_page(tp.va), 0);
	EXPECT_EQ(t, unmap_page(tp.va), -ENOENT);
	EXPECT_EQ(t, protect_page(tp.va, PAGE_KERNEL_RO), -ENOENT);
	EXPECT_NULL(t, lookup_address(tp.va, NULL));
	frame_free(other);
	test_page_put(&tp);
}

/*
 * map_page() over the direct map's large pages: refused, after splitting
 * the large page in its way into 4 KiB entries that must translate
 * exactly as it did, with the same protection.
 */
static void map_over_large_page_is_refused(struct ktest *t)
{
	phys_addr_t pa = frame_alloc(), other = frame_alloc();
	unsigned long va, start, bad = 0;
	int level = 0;

	ASSERT_NE(t, pa, 0);
	ASSERT_NE(t, other, 0);
	va = (unsigned long)phys_to_virt(pa);
	*(u64 *)va = 0xfeedf00d;
	ASSERT_NOT_NULL(t, lookup_address(va, &level));
	if (level == 1)
		ktest_info(t, "%#lx is already mapped by a 4 KiB page", va);
	EXPECT_EQ(t, map_page(va, other, PAGE_KERNEL), -EEXIST);
	/* refused without splitting the large page */
	{
		int after = 0;
		EXPECT_NOT_NULL(t, lookup_address(va, &after));
		EXPECT_EQ(t, after, level);
	}
	EXPECT_EQ(t, slow_virt_to_phys(va), pa);
	EXPECT_EQ(t, *(volatile u64 *)va, 0xfeedf00d);
	/* every page of the 2 MiB around it still maps its own frame, RW and NX */
	start = ALIGN_DOWN(va, PMD_SIZE);
	for (unsigned long a = start; a < start + PMD_SIZE; a += PAGE_SIZE) {
		u64 *e = lookup_address(a, NULL);
		u64 want = _PAGE_PRESENT | _PAGE_RW | (__supported_pte_mask & _PAGE_NX);

		if (!e || (*e & (want | _PAGE_USER)) != want || slow_virt_to_phys(a) != a - PAGE_OFFSET) {
			if (!bad++)
				ktest_info(t, "%#lx: entry %#llx", a, e ? (unsigned long long)*e : 0ull);
		}
	}
	EXPECT_EQ(t, bad, 0);
	frame_free(other);
	frame_free(pa);
}

static void unmapped_page_faults_not_present(struct ktest *t)
{
	struct test_page tp;
	unsigned long addr;
	struct probe p;

	test_page_get(t, &tp);
	addr = tp.va + 0x40;
	*(u64 *)phys_to_virt(tp.pa + 0x40) = 0x1122334455667788ull;
	ASSERT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), 0);
	probe_read(addr, &p);			/* fills the TLB entry unmap must flush */
	EXPECT_EQ(t, p.faults, 0);
	EXPECT_EQ(t, p.val, 0x1122334455667788ull);
	EXPECT_EQ(t, unmap_page(tp.va), 0);
	EXPECT_NULL(t, lookup_address(tp.va, NULL));
	EXPECT_EQ(t, slow_virt_to_phys(addr), (phys_addr_t)-1);
	probe_read(addr, &p);
	EXPECT_PF(t, &p, 0x0, addr);
	probe_write(addr, 0x5a, &p);
	EXPECT_PF(t, &p, PF_WRITE, addr);
	EXPECT_EQ(t, *(u8 *)phys_to_virt(tp.pa + 0x40), 0x88);
	EXPECT_EQ(t, unmap_page(tp.va), -ENOENT);
	test_page_put(&tp);
}

/* Unmap must flush the TLB: a new frame at the same address shows its own bytes. */
static void remap_shows_new_frame(struct ktest *t)
{
	struct test_page tp;
	phys_addr_t second = frame_alloc();
	volatile u64 *va;

	ASSERT_NE(t, second, 0);
	test_page_get(t, &tp);
	va = (volatile u64 *)tp.va;
	*(u64 *)phys_to_virt(tp.pa) = 0xaaaa;
	*(u64 *)phys_to_virt(second) = 0xbbbb;
	EXPECT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), 0);
	EXPECT_EQ(t, *va, 0xaaaa);
	EXPECT_EQ(t, unmap_page(tp.va), 0);
	EXPECT_EQ(t, map_page(tp.va, second, PAGE_KERNEL), 0);
	EXPECT_EQ(t, *va, 0xbbbb);
	EXPECT_EQ(t, unmap_page(tp.va), 0);
	frame_free(second);
	test_page_put(&tp);
}

static void read_only_page_faults_on_write(struct ktest *t)
{
	struct test_page tp;
	unsigned long addr;
	struct probe p;

	test_page_get(t, &tp);
	addr = tp.va + 0x7;
	ASSERT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), 0);
	probe_write(addr, 0x11, &p);		/* writable: no fault, and a dirty TLB entry */
	EXPECT_EQ(t, p.faults, 0);
	EXPECT_EQ(t, protect_page(tp.va, PAGE_KERNEL_RO), 0);
	EXPECT_FALSE(t, *lookup_address(tp.va, NULL) & _PAGE_RW);
	EXPECT_EQ(t, slow_virt_to_phys(tp.va), tp.pa);
	probe_write(addr, 0x22, &p);
	EXPECT_PF(t, &p, PF_PROT | PF_WRITE, addr);
	EXPECT_EQ(t, *(u8 *)phys_to_virt(tp.pa + 0x7), 0x11);
	probe_read(ALIGN_DOWN(addr, 8), &p);
	EXPECT_EQ(t, p.faults, 0);
	EXPECT_EQ(t, (p.val >> 56) & 0xff, 0x11);
	/* and writable again */
	EXPECT_EQ(t, protect_page(tp.va, PAGE_KERNEL), 0);
	probe_write(addr, 0x33, &p);
	EXPECT_EQ(t, p.faults, 0);
	EXPECT_EQ(t, *(u8 *)phys_to_virt(tp.pa + 0x7), 0x33);
	test_page_put(&tp);
}

static void nx_page_faults_on_execute(struct ktest *t)
{
	struct ktest_catch c;
	struct test_page tp;

	if (!have_nx())
		ktest_skip(t, "no NX on this CPU");
	test_page_get(t, &tp);
	memset(phys_to_virt(tp.pa), RET_INSN, PAGE_SIZE);
	EXPECT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL_RX), 0);
	EXPECT_FALSE(t, *lookup_address(tp.va, NULL) & _PAGE_NX);
	EXPECT_EQ(t, try_exec(tp.va, &c), KTEST_CAUGHT_NOTHING);
	EXPECT_EQ(t, protect_page(tp.va, PAGE_KERNEL), 0);
	EXPECT_TRUE(t, *lookup_address(tp.va, NULL) & _PAGE_NX);
	EXPECT_EQ(t, try_exec(tp.va, &c), KTEST_CAUGHT_OOPS);
	EXPECT_EQ(t, c.trapnr, X86_TRAP_PF);
	EXPECT_EQ(t, c.error_code, PF_INSTR | PF_PROT);
	EXPECT_EQ(t, c.rip, tp.va);
	EXPECT_EQ(t, pf_seen.cr2, tp.va);
	test_page_put(&tp);
}

/*
 * QEMU's TCG reports a reserved-bit #PF with P clear (target/i386
 * mmu_translate, 7.x), although the SDM (vol. 3A, 4.7) says RSVD is only
 * ever set together with P. Its CPUID hypervisor leaf names it.
 */
static bool under_qemu_tcg(void)
{
	u32 max, sig[3];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(0x40000000, &max, &sig[0], &sig[1], &sig[2]);
	return !memcmp(sig, "TCGTCGTCGTCG", sizeof(sig));
}

static void reserved_bit_faults(struct ktest *t)
{
	unsigned long want;
	struct test_page tp;
	u32 a, b, c, d;
	struct probe p;
	u64 *pte;

	if (boot_cpu_data.max_ext_leaf < 0x80000008)
		ktest_skip(t, "no CPUID leaf 0x80000008");
	cpuid(0x80000008, &a, &b, &c, &d);
	if ((a & 0xff) >= 52)
		ktest_skip(t, "MAXPHYADDR is %u: bit 51 is an address bit", a & 0xff);
	test_page_get(t, &tp);
	*(u64 *)phys_to_virt(tp.pa) = 42;
	ASSERT_EQ(t, map_page(tp.va, tp.pa, PAGE_KERNEL), 0);
	pte = lookup_address(tp.va, NULL);
	ASSERT_NOT_NULL(t, pte);
	*pte |= PTE_RSVD_BIT;
	invlpg(tp.va);
	probe_read(tp.va, &p);
	want = PF_RSVD | PF_PROT;
	if (p.rec.error_code == PF_RSVD && under_qemu_tcg()) {
		ktest_info(t, "QEMU TCG leaves P clear in a reserved-bit fault (SDM: RSVD implies P)");
		want = PF_RSVD;
	}
	EXPECT_PF(t, &p, want, tp.va);
	*pte &= ~PTE_RSVD_BIT;
	invlpg(tp.va);
	probe_read(tp.va, &p);
	EXPECT_EQ(t, p.faults, 0);
	EXPECT_EQ(t, p.val, 42);
	test_page_put(&tp);
}

static void kernel_text_is_read_only(struct ktest *t)
{
	unsigned long addr = (unsigned long)frame_alloc;
	u8 old = *(volatile u8 *)addr;
	struct probe p;

	/* the byte that is there already: harmless even if the write went through */
	probe_write(addr, old, &p);
	EXPECT_PF(t, &p, PF_PROT | PF_WRITE, addr);
	EXPECT_EQ(t, *(volatile u8 *)addr, old);
}

static void kernel_rodata_is_read_only(struct ktest *t)
{
	unsigned long addr = (unsigned long)&rodata_word;
	struct probe p;

	EXPECT_TRUE(t, addr >= (unsigned long)__start_rodata && addr < (unsigned long)__end_rodata);
	probe_write(addr, rodata_word & 0xff, &p);
	EXPECT_PF(t, &p, PF_PROT | PF_WRITE, addr);
	EXPECT_EQ(t, *(volatile const u32 *)&rodata_word, 0x5eed1e55);
}

/*
 * Call into a .bss page full of ret instructions. The page's own
 * address is the faulting RIP, so it can carry the fixup; the call has
 * pushed a return address by then, which the fixup pops.
 */
static void kernel_data_is_not_executable(struct ktest *t)
{
	struct probe p;

	if (!have_nx())
		ktest_skip(t, "no NX on this CPU");
	memset(data_page, RET_INSN, sizeof(data_page));
	EXPECT_TRUE(t, (unsigned long)data_page >= (unsigned long)__bss_start &&
		       (unsigned long)data_page < (unsigned long)__bss_stop);
	probe_begin(&p);
	p.insn = (unsigned long)data_page;
	__asm__ __volatile__("call %c[page]\n"
			     "jmp 3f\n"
			     "2:	add $8, %%rsp\n"
			     "3:\n"
			     _ASM_EXTABLE(%c[page], 2b)
			     :: [page] "i"(data_page) : "memory");
	probe_end(&p);
	EXPECT_PF(t, &p, PF_INSTR | PF_PROT, data_page);
}

static void null_is_not_mapped(struct ktest *t)
{
	u64 *pml4 = phys_to_virt(read_cr3() & PTE_ADDR_MASK);
	int present = 0;
	struct probe p;

	probe_read(0, &p);
	EXPECT_PF(t, &p, 0x0, 0);
	EXPECT_NULL(t, lookup_address(0, NULL));
	/* no identity map at all: the lower half of the PML4 is empty */
	for (int i = 0; i < 256; i++)
		present += !!(pml4[i] & _PAGE_PRESENT);
	EXPECT_EQ(t, present, 0);
	EXPECT_NULL(t, lookup_address(KERNEL_PHYS_BASE, NULL));
	EXPECT_NULL(t, lookup_address(virt_to_phys(_text), NULL));
}

/* Which protection a page of the image must have. */
static const char *image_region(unsigned long va, u64 *want)
{
	if (va >= (unsigned long)_text && va < (unsigned long)_etext) {
		*want = 0;				/* RX */
		return "text";
	}
	if (va >= (unsigned long)__start_rodata && va < (unsigned long)__end_rodata) {
		*want = _PAGE_NX;			/* RO + NX */
		return "rodata";
	}
	if (va >= (unsigned long)_sdata && va < (unsigned long)__bss_stop) {
		*want = _PAGE_RW | _PAGE_NX;		/* RW + NX */
		return va >= (unsigned long)__bss_start ? "bss" : "data";
	}
	return NULL;		/* per-CPU template, symbol table: only W^X is checked */
}

static void kernel_image_is_w_xor_x(struct ktest *t)
{
	unsigned long bad = 0, pages = 0;

	if (!have_nx())
		ktest_skip(t, "no NX on this CPU");
	EXPECT_EQ(t, (unsigned long)_text % PAGE_SIZE, 0);
	for (unsigned long va = (unsigned long)_text; va < (unsigned long)_end; va += PAGE_SIZE) {
		int level = 0;
		u64 *e = lookup_address(va, &level), want = 0;
		const char *what = image_region(va, &want);

		pages++;
		if (!e || level != 1) {
			if (!bad++)
				ktest_info(t, "%#lx: %s", va, e ? "not a 4 KiB page" : "not mapped");
			continue;
		}
		if ((*e & _PAGE_RW) && !(*e & _PAGE_NX)) {
			if (!bad++)
				ktest_info(t, "%#lx: writable and executable", va);
		} else if (what && (*e & (_PAGE_RW | _PAGE_NX)) != want) {
			if (!bad++)
				ktest_info(t, "%#lx (%s): entry %#llx", va, what, (unsigned long long)*e);
		} else if (slow_virt_to_phys(va) != va - KERNEL_VMA) {
			if (!bad++)
				ktest_info(t, "%#lx: maps %#lx", va, (unsigned long)slow_virt_to_phys(va));
		}
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_EQ(t, pages, ((unsigned long)_end - (unsigned long)_text) / PAGE_SIZE);
}

/* Count (and report the first) direct-map pages of pa that are missing, read-only or executable. */
static unsigned long check_direct_map(struct ktest *t, phys_addr_t pa, unsigned long *bad)
{
	unsigned long va = (unsigned long)phys_to_virt(pa) + 0x18;
	u64 *e = lookup_address(va, NULL);

	if (!e || (*e & (_PAGE_RW | _PAGE_NX)) != (_PAGE_RW | _PAGE_NX) ||
	    slow_virt_to_phys(va) != pa + 0x18) {
		if (!(*bad)++)
			ktest_info(t, "direct map of %#lx: entry %#llx", (unsigned long)pa,
				   e ? (unsigned long long)*e : 0ull);
	}
	return 1;
}

/* All RAM at PAGE_OFFSET, writable and NX; and executing there faults. */
static void direct_map_is_nx(struct ktest *t)
{
	unsigned long bad = 0, checked = 0;
	struct ktest_catch c;
	phys_addr_t pa;

	if (!have_nx())
		ktest_skip(t, "no NX on this CPU");
	/* the first MiB (VGA text, BIOS data) is in it too */
	checked += check_direct_map(t, 0, &bad);
	checked += check_direct_map(t, 0xb8000, &bad);
	/* each usable range: its ends and every 2 MiB boundary inside */
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];
		phys_addr_t start = ALIGN_UP(m->base, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(m->base + m->len, PAGE_SIZE);

		if (m->type != MEMMAP_USABLE || start >= end)
			continue;
		checked += check_direct_map(t, start, &bad);
		for (pa = ALIGN_UP(start + 1, PMD_SIZE); pa < end; pa += PMD_SIZE)
			checked += check_direct_map(t, pa, &bad);
		checked += check_direct_map(t, end - PAGE_SIZE, &bad);
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_GT(t, checked, 4);
	pa = frame_alloc();
	ASSERT_NE(t, pa, 0);
	memset(phys_to_virt(pa), RET_INSN, PAGE_SIZE);
	EXPECT_EQ(t, try_exec((unsigned long)phys_to_virt(pa), &c), KTEST_CAUGHT_OOPS);
	EXPECT_EQ(t, c.trapnr, X86_TRAP_PF);
	EXPECT_EQ(t, c.error_code, PF_INSTR | PF_PROT);
	EXPECT_EQ(t, c.rip, (unsigned long)phys_to_virt(pa));
	EXPECT_EQ(t, pf_seen.cr2, (unsigned long)phys_to_virt(pa));
	frame_free(pa);
}

/* Translations through large pages (direct map) and 4 KiB ones (image). */
static void translation_of_large_and_small_pages(struct ktest *t)
{
	unsigned long va = (unsigned long)phys_to_virt(0x345678);
	int level = 0;
	u64 *e = lookup_address(va, &level);

	ASSERT_NOT_NULL(t, e);
	EXPECT_TRUE(t, level == 2 || level == 3);
	EXPECT_TRUE(t, *e & _PAGE_PSE);
	EXPECT_EQ(t, slow_virt_to_phys(va), 0x345678);
	e = lookup_address((unsigned long)&rodata_word, &level);
	ASSERT_NOT_NULL(t, e);
	EXPECT_EQ(t, level, 1);
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)&rodata_word), virt_to_phys(&rodata_word));
	EXPECT_EQ(t, slow_virt_to_phys((unsigned long)data_page + 5), virt_to_phys(data_page) + 5);
}

static struct ktest_case paging_cases[] = {
	KTEST_CASE(map_fresh_frame),
	KTEST_CASE(map_rejects_bad_requests),
	KTEST_CASE(map_over_large_page_is_refused),
	KTEST_CASE(unmapped_page_faults_not_present),
	KTEST_CASE(remap_shows_new_frame),
	KTEST_CASE(read_only_page_faults_on_write),
	KTEST_CASE(nx_page_faults_on_execute),
	KTEST_CASE(reserved_bit_faults),
	KTEST_CASE(kernel_text_is_read_only),
	KTEST_CASE(kernel_rodata_is_read_only),
	KTEST_CASE(kernel_data_is_not_executable),
	KTEST_CASE(null_is_not_mapped),
	KTEST_CASE(kernel_image_is_w_xor_x),
	KTEST_CASE(direct_map_is_nx),
	KTEST_CASE(translation_of_large_and_small_pages),
	{},
};
KTEST_SUITE(mm_paging, paging_cases);
