/*
 * The IDT: 256 gates pointing at entry.asm's stubs (Intel SDM vol. 3A,
 * 6.14.1), built from const tables as Linux's arch/x86/kernel/idt.c.
 *
 * Every gate is an interrupt gate, so IF is clear on entry. The seeds'
 * i386 Linux used trap gates for most exceptions; x86-64 Linux does not,
 * because a trap gate lets an interrupt in before the entry code has
 * executed SWAPGS, and that interrupt would then run on the user's GS.
 * Handlers that may run with interrupts on re-enable them themselves
 * (cond_local_irq_enable() in traps.c). DPL 3 (callable from ring 3 by
 * `int n`) only for int3 and the int $0x80 system call; every other vector
 * raises #GP when user code tries `int n` on it. #DF, NMI, #DB/#BP and
 * #MC switch to their IST stacks, whatever the interrupted stack was.
 */
#include <asm/desc.h>
#include <asm/trapnr.h>
#include <asm/segment.h>
#include <asm/processor.h>
#include <kernel/bug.h>

struct idt_data {
	u8 vector;
	u8 type;
	u8 dpl;
	u8 ist;
};

#define G(_vec, _type, _dpl, _ist) { .vector = (_vec), .type = (_type), .dpl = (_dpl), .ist = (_ist) }
/* interrupt gate, kernel only */
#define INTG(vec)		G(vec, GATE_INTERRUPT, 0, 0)
/* interrupt gate callable from ring 3 ("system" gate) */
#define SYSG(vec)		G(vec, GATE_INTERRUPT, 3, 0)
/* interrupt gate on an IST stack */
#define ISTG(vec, ist)		G(vec, GATE_INTERRUPT, 0, ist)
#define SYSISTG(vec, ist)	G(vec, GATE_INTERRUPT, 3, ist)

static const struct idt_data def_idts[] = {
	INTG(X86_TRAP_DE),
	ISTG(X86_TRAP_DB, IST_INDEX_DB),
	ISTG(X86_TRAP_NMI, IST_INDEX_NMI),
	SYSISTG(X86_TRAP_BP, IST_INDEX_DB),
	INTG(X86_TRAP_OF),
	INTG(X86_TRAP_BR),
	INTG(X86_TRAP_UD),
	INTG(X86_TRAP_NM),
	ISTG(X86_TRAP_DF, IST_INDEX_DF),
	INTG(X86_TRAP_OLD_MF),
	INTG(X86_TRAP_TS),
	INTG(X86_TRAP_NP),
	INTG(X86_TRAP_SS),
	INTG(X86_TRAP_GP),
	INTG(X86_TRAP_PF),
	INTG(X86_TRAP_SPURIOUS),
	INTG(X86_TRAP_MF),
	INTG(X86_TRAP_AC),
	ISTG(X86_TRAP_MC, IST_INDEX_MCE),
	INTG(X86_TRAP_XF),
	INTG(X86_TRAP_VE),
	INTG(X86_TRAP_CP),
	INTG(X86_TRAP_VC),
	SYSG(IA32_SYSCALL_VECTOR),
};

struct gate_desc idt_table[NR_VECTORS] __aligned(4096);
static const struct desc_ptr idt_descr = { sizeof(idt_table) - 1, (u64)idt_table };

extern const unsigned long x86_vector_stub_table[NR_VECTORS];

static void set_gate_addr(const struct idt_data *d, unsigned long addr)
{
	struct gate_desc *g = &idt_table[d->vector];

	g->offset_low = addr & 0xffff;
	g->segment = __KERNEL_CS;
	g->bits = d->ist | (d->type << 8) | (d->dpl << 13) | (1u << 15);
	g->offset_middle = (addr >> 16) & 0xffff;
	g->offset_high = addr >> 32;
	g->reserved = 0;
}

static void set_gate(const struct idt_data *d)
{
	set_gate_addr(d, x86_vector_stub_table[d->vector]);
}

void idt_set_handler(unsigned int vector, const void *addr)
{
	struct idt_data d = INTG(vector);

	BUG_ON(vector < NR_EXCEPTION_VECTORS || vector >= NR_VECTORS);
	set_gate_addr(&d, addr ? (unsigned long)addr : x86_vector_stub_table[vector]);
}

void idt_setup(void)
{
	/* everything not in the table: a kernel-only interrupt gate */
	for (unsigned int v = 0; v < NR_VECTORS; v++) {
		struct idt_data d = INTG(v);
		set_gate(&d);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(def_idts); i++) {
		/* entry.asm picks the paranoid GS path from IST_VECTOR_MASK */
		BUG_ON(def_idts[i].vector < NR_EXCEPTION_VECTORS &&
		       !!def_idts[i].ist != !!(IST_VECTOR_MASK & (1u << def_idts[i].vector)));
		set_gate(&def_idts[i]);
	}
	idt_load();
}

void idt_load(void)
{
	load_idt(&idt_descr);
}
