/*
 * Every exception ring 0 can raise, raised on purpose and resumed through
 * an exception-table fixup; the fixup record then says which vector,
 * error code and RIP the handler saw, and on which stack (IST or not)
 * the CPU delivered it. Vectors that cannot be raised here directly go
 * through `int n`; those that push an error code cannot (int n pushes
 * none) and are skipped with the reason.
 */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/preempt.h>
#include <asm/extable.h>
#include <asm/traps.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/processor-flags.h>
#include <asm/irqflags.h>
#include <asm/segment.h>
#include <asm/fpu.h>

#define NONCANONICAL	"0x8000000000000000"
#define DR6_BS		(1ul << 14)

static enum stack_type stack_of(unsigned long addr)
{
	struct stack_info info;

	get_stack_info(addr, &info);
	return info.type;
}

#define IST_STACK(ist)	(STACK_TYPE_EXCEPTION + (ist) - 1)

/*
 * Check the fixup that the asm just before took: exactly one, for trapnr
 * with error code ec at rip, delivered on the stack of type `stack`.
 */
#define CHECK_FIXUP(t, before, trap, ec, at, stack) do {			\
	struct fixup_record *__r = this_cpu_fixup_record();			\
	EXPECT_EQ(t, __r->count, (before) + 1);					\
	EXPECT_EQ(t, __r->trapnr, trap);					\
	EXPECT_EQ(t, __r->error_code, (unsigned long)(ec));			\
	EXPECT_EQ(t, __r->rip, at);						\
	EXPECT_EQ(t, stack_of(__r->regs), stack);				\
} while (0)

/* Vectors raised with `int n` (those without an error code), resumed by a fixup. */
#define DEFINE_RAISE_INT(v)							\
	static unsigned long raise_int_##v(void)				\
	{									\
		unsigned long rip;						\
		__asm__ __volatile__("lea 1f(%%rip), %0\n\t"			\
				     "int $" #v "\n"				\
				     "1:\n" _ASM_EXTABLE(1b, 1b)		\
				     : "=&r"(rip) :: "memory");			\
		return rip;							\
	}
static unsigned long fixups(void)
{
	return this_cpu_fixup_record()->count;
}

static void divide_error(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "xor %%eax, %%eax\n\t"
			     "xor %%edx, %%edx\n\t"
			     "xor %%ecx, %%ecx\n"
			     "1:	divl %%ecx\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "rax", "rcx", "rdx");
	CHECK_FIXUP(t, before, X86_TRAP_DE, 0, rip, STACK_TYPE_TASK);
}

/* TF set by popf: the instruction after popf runs, then #DB (a trap) fires. */
static void debug_single_step(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	__asm__ __volatile__("lea 2f(%%rip), %0\n\t"
			     "pushfq\n\t"
			     "orq $0x100, (%%rsp)\n\t"
			     "popfq\n"
			     "1:	nop\n"
			     "2:\n" _ASM_EXTABLE(2b, 2b)
			     : "=&r"(rip) :: "memory", "cc");
	CHECK_FIXUP(t, before, X86_TRAP_DB, this_cpu_fixup_record()->error_code, rip,
		    IST_STACK(IST_INDEX_DB));
	/* the "error code" of #DB is DR6: the single-step bit must be set */
	EXPECT_TRUE(t, this_cpu_fixup_record()->error_code & DR6_BS);
	EXPECT_FALSE(t, native_save_fl() & X86_EFLAGS_TF);
}

static void breakpoint(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	/* int3 is a trap: RIP is the instruction after it */
	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "int3\n"
			     "1:\n" _ASM_EXTABLE(1b, 1b)
			     : "=&r"(rip) :: "memory");
	CHECK_FIXUP(t, before, X86_TRAP_BP, 0, rip, IST_STACK(IST_INDEX_DB));
}

static void invalid_opcode(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	ud2\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "memory");
	CHECK_FIXUP(t, before, X86_TRAP_UD, 0, rip, STACK_TYPE_TASK);
}

/* With CR0.TS set, the next x87 instruction raises #NM. */
static void device_not_available(struct ktest *t)
{
	unsigned long before = fixups(), rip, cr0;

	kernel_fpu_begin();
	cr0 = read_cr0();
	write_cr0(cr0 | X86_CR0_TS);
	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	fnop\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "memory");
	write_cr0(cr0);
	kernel_fpu_end();
	CHECK_FIXUP(t, before, X86_TRAP_NM, 0, rip, STACK_TYPE_TASK);
}

/*
 * #DF on purpose: with gate 13 marked not present, a #GP cannot be
 * delivered; the resulting #NP is a second contributory exception, so the
 * CPU raises #DF instead (SDM vol. 3A, table 6-5). The SDM leaves the
 * saved RIP of a #DF undefined; QEMU reports the instruction that faulted.
 */
static void double_fault(struct ktest *t)
{
	unsigned long before = fixups(), rip, flags;
	u16 bits = idt_table[X86_TRAP_GP].bits;

	local_irq_save(flags);
	idt_table[X86_TRAP_GP].bits = bits & ~0x8000;
	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "movabs $" NONCANONICAL ", %%rax\n"
			     "1:	movq (%%rax), %%rax\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "rax", "memory");
	idt_table[X86_TRAP_GP].bits = bits;
	local_irq_restore(flags);
	CHECK_FIXUP(t, before, X86_TRAP_DF, 0, rip, IST_STACK(IST_INDEX_DF));
}

/* Loading a data segment whose descriptor is not present: #NP(selector). */
static void segment_not_present(struct ktest *t)
{
	u64 *gdt = this_cpu_ptr(&gdt_page[0]);
	unsigned long before = fixups(), rip;
	u16 sel = GDT_ENTRY_SPARE * 8;
	char what[80];

	gdt[GDT_ENTRY_SPARE] = 0x00cf12000000ffffull;	/* data, DPL 0, P = 0 */
	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	movw %1, %%fs\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) : "r"(sel) : "memory");
	gdt[GDT_ENTRY_SPARE] = 0;
	CHECK_FIXUP(t, before, X86_TRAP_NP, sel, rip, STACK_TYPE_TASK);
	selector_error_describe(this_cpu_fixup_record()->error_code, what, sizeof(what));
	EXPECT_STREQ(t, what, "GDT index 8 (selector 0x0040)");
}

/*
 * `int n` through a gate marked not present: #NP with an IDT error code
 * (n * 8 + 2). The IDT is shared by all CPUs, so the gate is one that no
 * interrupt ever uses: another CPU taking it meanwhile would fault too.
 */
#define NP_GATE_VECTOR	0xf2
static void segment_not_present_gate(struct ktest *t)
{
	unsigned long before = fixups(), rip, flags;
	u16 bits = idt_table[NP_GATE_VECTOR].bits;
	char what[80];

	local_irq_save(flags);
	idt_table[NP_GATE_VECTOR].bits = bits & ~0x8000;
	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	int %[vec]\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) : [vec] "i"(NP_GATE_VECTOR) : "memory");
	idt_table[NP_GATE_VECTOR].bits = bits;
	local_irq_restore(flags);
	/*
	 * The SDM's error code names the vector: n * 8 + 2 (IDT bit set).
	 * QEMU's TCG scales by the 16-byte gate size instead (n * 16 + 2).
	 */
	if (this_cpu_fixup_record()->error_code == NP_GATE_VECTOR * 16 + 2) {
		ktest_info(t, "QEMU reports error code n * 16 + 2 for a gate fault; the SDM says n * 8 + 2");
		CHECK_FIXUP(t, before, X86_TRAP_NP, NP_GATE_VECTOR * 16 + 2, rip, STACK_TYPE_TASK);
	} else {
		CHECK_FIXUP(t, before, X86_TRAP_NP, NP_GATE_VECTOR * 8 + 2, rip, STACK_TYPE_TASK);
	}
	selector_error_describe(NP_GATE_VECTOR * 8 + 2, what, sizeof(what));
	EXPECT_STREQ(t, what, "IDT index 242 (selector 0x0790)");
}

/* Loading SS with a not-present segment: #SS(selector). */
static void stack_segment(struct ktest *t)
{
	u64 *gdt = this_cpu_ptr(&gdt_page[0]);
	unsigned long before = fixups(), rip;
	u16 sel = GDT_ENTRY_SPARE * 8;

	gdt[GDT_ENTRY_SPARE] = 0x00cf12000000ffffull;	/* writable data, DPL 0, P = 0 */
	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	movw %1, %%ss\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) : "r"(sel) : "memory");
	gdt[GDT_ENTRY_SPARE] = 0;
	CHECK_FIXUP(t, before, X86_TRAP_SS, sel, rip, STACK_TYPE_TASK);
}

/* A non-canonical address used with RSP as base is an SS reference: #SS(0). */
static void stack_segment_noncanonical(struct ktest *t)
{
	unsigned long before = fixups(), rip;
	struct fixup_record *r = this_cpu_fixup_record();

	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "movabs $" NONCANONICAL ", %%rax\n"
			     "1:	movq (%%rsp, %%rax), %%rax\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "rax", "memory");
	EXPECT_EQ(t, r->count, before + 1);
	EXPECT_EQ(t, r->rip, rip);
	if (r->trapnr == X86_TRAP_GP)
		ktest_skip(t, "this CPU model (QEMU TCG) reports #GP, not #SS, for a non-canonical stack reference");
	CHECK_FIXUP(t, before, X86_TRAP_SS, 0, rip, STACK_TYPE_TASK);
}

static void general_protection(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "movabs $" NONCANONICAL ", %%rax\n"
			     "1:	movq (%%rax), %%rax\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "rax", "memory");
	CHECK_FIXUP(t, before, X86_TRAP_GP, 0, rip, STACK_TYPE_TASK);
}

/* A selector beyond the GDT limit: #GP(selector). */
static void general_protection_selector(struct ktest *t)
{
	unsigned long before = fixups(), rip;
	u16 sel = 20 * 8;
	char what[80];

	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	movw %1, %%fs\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) : "r"(sel) : "memory");
	CHECK_FIXUP(t, before, X86_TRAP_GP, sel, rip, STACK_TYPE_TASK);
	selector_error_describe(this_cpu_fixup_record()->error_code, what, sizeof(what));
	EXPECT_STREQ(t, what, "GDT index 20 (selector 0x00a0)");
	selector_error_describe(0x0d, what, sizeof(what));	/* TI (LDT) and EXT bits */
	EXPECT_STREQ(t, what, "LDT index 1 (selector 0x0008), external event");
}

static void page_fault_not_present(struct ktest *t)
{
	unsigned long before = fixups(), rip;
	char what[96];

	/* address 0: there is no identity map, so NULL is not present */
	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "xor %%eax, %%eax\n"
			     "1:	movq (%%rax), %%rax\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) :: "rax", "memory");
	CHECK_FIXUP(t, before, X86_TRAP_PF, 0, rip, STACK_TYPE_TASK);
	EXPECT_EQ(t, this_cpu_fixup_record()->cr2, 0);
	pf_error_describe(0, what, sizeof(what));
	EXPECT_STREQ(t, what, "supervisor read access, not-present page");
	pf_error_describe(0x3, what, sizeof(what));
	EXPECT_STREQ(t, what, "supervisor write access, permissions violation");
	pf_error_describe(0x11, what, sizeof(what));
	EXPECT_STREQ(t, what, "supervisor instruction fetch, permissions violation (NX)");
	pf_error_describe(0x9, what, sizeof(what));
	EXPECT_STREQ(t, what, "supervisor read access, reserved bit violation");
	pf_error_describe(0x6, what, sizeof(what));
	EXPECT_STREQ(t, what, "user write access, not-present page");
}

static const u64 read_only_word = 0x1234;

static void page_fault_write_protect(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	__asm__ __volatile__("lea 1f(%%rip), %0\n"
			     "1:	movq $0, (%1)\n"
			     "2:\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) : "r"(&read_only_word) : "memory");
	CHECK_FIXUP(t, before, X86_TRAP_PF, 0x3, rip, STACK_TYPE_TASK);
	EXPECT_EQ(t, this_cpu_fixup_record()->cr2, (unsigned long)&read_only_word);
	EXPECT_EQ(t, READ_ONCE(read_only_word), 0x1234);
}

/* A page of kernel .data, which is mapped NX: executing it must fault. */
static u8 nx_data_page[4096] __aligned(4096);

static void page_fault_nx(struct ktest *t)
{
	unsigned long before = fixups(), rip;

	nx_data_page[0] = 0xc3;		/* ret, were it executable */
	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "lea nx_data_page(%%rip), %%rax\n\t"
			     "jmp *%%rax\n"
			     "1:\n" _ASM_EXTABLE(nx_data_page, 1b)
			     : "=&r"(rip) :: "rax", "memory");
	CHECK_FIXUP(t, before, X86_TRAP_PF, 0x11, (unsigned long)nx_data_page, STACK_TYPE_TASK);
	EXPECT_EQ(t, this_cpu_fixup_record()->cr2, (unsigned long)nx_data_page);
	EXPECT_EQ(t, this_cpu_fixup_record()->fixup, rip);
}

/* An unmasked x87 divide-by-zero is reported as #MF at the next waiting instruction. */
static void x87_error(struct ktest *t)
{
	unsigned long before = fixups(), rip;
	u16 cw = 0x037f & ~0x0004;	/* default control word, zero-divide unmasked */

	kernel_fpu_begin();
	__asm__ __volatile__("fldcw %1\n\t"
			     "fld1\n\t"
			     "fldz\n\t"
			     "fdivrp\n\t"	/* 1 / 0: pending exception */
			     "lea 1f(%%rip), %0\n"
			     "1:	fwait\n"
			     "2:\n\t"
			     "fnclex\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip) : "m"(cw) : "memory");
	kernel_fpu_end();
	/* #MF has no error code: the handler records the FPU status word instead */
	CHECK_FIXUP(t, before, X86_TRAP_MF, this_cpu_fixup_record()->error_code, rip, STACK_TYPE_TASK);
	EXPECT_TRUE(t, this_cpu_fixup_record()->error_code & 0x4);	/* FSW.ZE */
	EXPECT_TRUE(t, this_cpu_fixup_record()->error_code & 0x80);	/* FSW.ES */
}

/* An unmasked SSE divide-by-zero raises #XM on the instruction itself (CR4.OSXMMEXCPT). */
DEFINE_RAISE_INT(19)

static void simd_error(struct ktest *t)
{
	unsigned long before = fixups(), rip;
	u32 mxcsr = 0x1f80 & ~(1u << 9), after = 0;	/* default MXCSR, zero-divide unmasked */
	struct fixup_record *r = this_cpu_fixup_record();

	kernel_fpu_begin();
	__asm__ __volatile__("ldmxcsr %2\n\t"
			     "xorps %%xmm0, %%xmm0\n\t"
			     "movl $1, %%eax\n\t"
			     "cvtsi2ss %%eax, %%xmm1\n\t"
			     "lea 1f(%%rip), %0\n"
			     "1:	divss %%xmm0, %%xmm1\n"
			     "2:\n\t"
			     "stmxcsr %1\n" _ASM_EXTABLE(1b, 2b)
			     : "=&r"(rip), "=m"(after) : "m"(mxcsr) : "rax", "memory");
	kernel_fpu_end();
	if (r->count == before && (after & 0x4)) {
		/*
		 * The CPU set MXCSR.ZE but raised nothing: QEMU 7.2's TCG never
		 * delivers #XM. Drive the #XM gate and handler with int $19.
		 */
		ktest_info(t, "no #XM from the CPU (MXCSR %#x); raising vector 19 with int $19", after);
		rip = raise_int_19();
		CHECK_FIXUP(t, before, X86_TRAP_XF, r->error_code, rip, STACK_TYPE_TASK);
		return;
	}
	/* #XM has no error code: the handler records MXCSR instead */
	CHECK_FIXUP(t, before, X86_TRAP_XF, r->error_code, rip, STACK_TYPE_TASK);
	EXPECT_TRUE(t, r->error_code & 0x4);	/* MXCSR.ZE */
}

/* NMI through `int $2`: the NMI path and its IST stack, without a fixup. */
static struct {
	int hits;
	unsigned long regs, rip, rsp;
	bool in_nmi;
	bool do_dump;
} nmi_probe;

static int nmi_probe_handler(unsigned int type, struct pt_regs *regs)
{
	nmi_probe.hits++;
	nmi_probe.regs = (unsigned long)regs;
	nmi_probe.rip = regs->rip;
	nmi_probe.rsp = read_rsp();
	nmi_probe.in_nmi = in_nmi();
	if (nmi_probe.do_dump)
		dump_stack();
	return NMI_HANDLED;
}

static struct nmiaction nmi_probe_action = { .handler = nmi_probe_handler, .name = "ktest" };

static unsigned long raise_nmi(void)
{
	unsigned long rip;

	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "int $2\n"
			     "1:\n" : "=&r"(rip) :: "memory");
	return rip;
}

static void nmi(struct ktest *t)
{
	unsigned long count = this_cpu_read(nmi_count), rip;

	memset(&nmi_probe, 0, sizeof(nmi_probe));
	ASSERT_EQ(t, register_nmi_handler(NMI_LOCAL, &nmi_probe_action), 0);
	rip = raise_nmi();
	unregister_nmi_handler(NMI_LOCAL, &nmi_probe_action);
	EXPECT_EQ(t, nmi_probe.hits, 1);
	EXPECT_EQ(t, nmi_probe.rip, rip);
	EXPECT_TRUE(t, nmi_probe.in_nmi);
	EXPECT_FALSE(t, in_nmi());
	EXPECT_EQ(t, this_cpu_read(nmi_count), count + 1);
	/* both the frame and the handler itself are on the NMI IST stack */
	EXPECT_EQ(t, stack_of(nmi_probe.regs), IST_STACK(IST_INDEX_NMI));
	EXPECT_EQ(t, stack_of(nmi_probe.rsp), IST_STACK(IST_INDEX_NMI));
}

/* A backtrace taken inside an exception handler crosses the exception frame into the interrupted code. */
static noinline void nmi_backtrace_caller(void)
{
	raise_nmi();
	barrier();
}

static void backtrace_crosses_exception_frame(struct ktest *t)
{
	const char *log;

	memset(&nmi_probe, 0, sizeof(nmi_probe));
	nmi_probe.do_dump = true;
	ASSERT_EQ(t, register_nmi_handler(NMI_LOCAL, &nmi_probe_action), 0);
	nmi_backtrace_caller();
	unregister_nmi_handler(NMI_LOCAL, &nmi_probe_action);
	log = ktest_log();
	const char *trace = strstr(log, "nmi_probe_handler+");
	ASSERT_NOT_NULL(t, trace);
	const char *frame = strstr(trace, "--- exception frame");
	ASSERT_NOT_NULL(t, frame);
	EXPECT_NOT_NULL(t, strstr(frame, "nmi_backtrace_caller+"));
	EXPECT_NOT_NULL(t, strstr(frame, "<TASK>"));
}

DEFINE_RAISE_INT(4) DEFINE_RAISE_INT(5) DEFINE_RAISE_INT(9) DEFINE_RAISE_INT(15)
DEFINE_RAISE_INT(18) DEFINE_RAISE_INT(20) DEFINE_RAISE_INT(22) DEFINE_RAISE_INT(23)
DEFINE_RAISE_INT(24) DEFINE_RAISE_INT(25) DEFINE_RAISE_INT(26) DEFINE_RAISE_INT(27)
DEFINE_RAISE_INT(28) DEFINE_RAISE_INT(31)

static const struct {
	int vector;
	unsigned long (*raise)(void);
	enum stack_type stack;
} int_vectors[] = {
	{ X86_TRAP_OF, raise_int_4, STACK_TYPE_TASK },
	{ X86_TRAP_BR, raise_int_5, STACK_TYPE_TASK },
	{ X86_TRAP_OLD_MF, raise_int_9, STACK_TYPE_TASK },
	{ X86_TRAP_SPURIOUS, raise_int_15, STACK_TYPE_TASK },
	{ X86_TRAP_MC, raise_int_18, IST_STACK(IST_INDEX_MCE) },
	{ X86_TRAP_VE, raise_int_20, STACK_TYPE_TASK },
	{ 22, raise_int_22, STACK_TYPE_TASK },
	{ 23, raise_int_23, STACK_TYPE_TASK },
	{ 24, raise_int_24, STACK_TYPE_TASK },
	{ 25, raise_int_25, STACK_TYPE_TASK },
	{ 26, raise_int_26, STACK_TYPE_TASK },
	{ 27, raise_int_27, STACK_TYPE_TASK },
	{ X86_TRAP_HV, raise_int_28, STACK_TYPE_TASK },
	{ 31, raise_int_31, STACK_TYPE_TASK },
};

static void int_n_vectors(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(int_vectors); i++) {
		unsigned long before = fixups();
		unsigned long rip = int_vectors[i].raise();

		ktest_info(t, "vector %d (%s)", int_vectors[i].vector,
			   trap_name(int_vectors[i].vector));
		CHECK_FIXUP(t, before, int_vectors[i].vector, 0, rip, int_vectors[i].stack);
	}
}

static void invalid_tss(struct ktest *t)
{
	ktest_skip(t, "#TS comes from task switches, which long mode does not have; "
		   "`int $10` would push no error code");
}

static void alignment_check(struct ktest *t)
{
	ktest_skip(t, "#AC is raised only at CPL 3 (ring 3 arrives with user mode)");
}

static void error_code_vectors_without_source(struct ktest *t)
{
	ktest_skip(t, "#CP (21), #VC (29) and #SX (30) push an error code, so `int n` cannot "
		   "stand in, and TCG offers no CET, SEV-ES or SVM to raise them");
}

/* The IDT as Linux lays it out: every gate present, DPL 3 only for int3 and int $0x80. */
static void idt_gates(struct ktest *t)
{
	extern const unsigned long x86_vector_stub_table[NR_VECTORS];
	struct desc_ptr idtr;

	store_idt(&idtr);
	EXPECT_EQ(t, idtr.address, (u64)idt_table);
	EXPECT_EQ(t, idtr.size, NR_VECTORS * 16 - 1);
	for (int v = 0; v < NR_VECTORS; v++) {
		const struct gate_desc *g = &idt_table[v];
		unsigned int ist = 0, dpl = (v == X86_TRAP_BP || v == IA32_SYSCALL_VECTOR) ? 3 : 0;

		if (v == X86_TRAP_DF)
			ist = IST_INDEX_DF;
		else if (v == X86_TRAP_NMI)
			ist = IST_INDEX_NMI;
		else if (v == X86_TRAP_DB || v == X86_TRAP_BP)
			ist = IST_INDEX_DB;
		else if (v == X86_TRAP_MC)
			ist = IST_INDEX_MCE;
		if (!gate_present(g) || g->segment != __KERNEL_CS || gate_type(g) != GATE_INTERRUPT ||
		    gate_dpl(g) != dpl || gate_ist(g) != ist ||
		    gate_offset(g) != x86_vector_stub_table[v]) {
			ktest_fail(t, __FILE__, __LINE__,
				   "gate %d: present %d sel %#x type %#x dpl %u ist %u offset %#lx",
				   v, gate_present(g), g->segment, gate_type(g), gate_dpl(g),
				   gate_ist(g), gate_offset(g));
		}
	}
	/* the stubs are 16 bytes apart, in the entry text */
	EXPECT_EQ(t, x86_vector_stub_table[1] - x86_vector_stub_table[0], 16);
	EXPECT_EQ(t, x86_vector_stub_table[255] - x86_vector_stub_table[0], 255 * 16);
}

/* The pt_regs a handler sees holds exactly the interrupted registers. */
static struct pt_regs trap_regs_copy;
static bool trap_regs_seen;

static int capture_trap_regs(struct notifier_block *nb, unsigned long action, void *data)
{
	struct die_args *args = data;

	if (action == DIE_TRAP && args->trapnr == X86_TRAP_UD && !trap_regs_seen) {
		trap_regs_copy = *args->regs;
		trap_regs_seen = true;
	}
	return NOTIFY_DONE;
}

static struct notifier_block capture_nb = { .notifier_call = capture_trap_regs };

static void pt_regs_layout(struct ktest *t)
{
	unsigned long rip, rsp, flags = native_save_fl();
	struct pt_regs *r = &trap_regs_copy;

	trap_regs_seen = false;
	register_die_notifier(&capture_nb);
	__asm__ __volatile__("push %%rbp\n\t"
			     "push %%rbx\n\t"
			     "push %%r12\n\t"
			     "push %%r13\n\t"
			     "push %%r14\n\t"
			     "push %%r15\n\t"
			     "lea 1f(%%rip), %%rax\n\t"
			     "mov %%rax, %0\n\t"
			     "mov %%rsp, %1\n\t"
			     "mov $0xa0a0a0a0, %%eax\n\t"
			     "mov $0xb0b0b0b0, %%ebx\n\t"
			     "mov $0xc0c0c0c0, %%ecx\n\t"
			     "mov $0xd0d0d0d0, %%edx\n\t"
			     "mov $0x51515151, %%esi\n\t"
			     "mov $0xd1d1d1d1, %%edi\n\t"
			     "mov $0xbbbbbbbb, %%ebp\n\t"
			     "mov $0x08080808, %%r8d\n\t"
			     "mov $0x09090909, %%r9d\n\t"
			     "mov $0x10101010, %%r10d\n\t"
			     "mov $0x11111111, %%r11d\n\t"
			     "mov $0x12121212, %%r12d\n\t"
			     "mov $0x13131313, %%r13d\n\t"
			     "mov $0x14141414, %%r14d\n\t"
			     "mov $0x15151515, %%r15d\n"
			     "1:	ud2\n"
			     "2:\n\t"
			     "pop %%r15\n\t"
			     "pop %%r14\n\t"
			     "pop %%r13\n\t"
			     "pop %%r12\n\t"
			     "pop %%rbx\n\t"
			     "pop %%rbp\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "=m"(rip), "=m"(rsp)
			     :: "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
	unregister_die_notifier(&capture_nb);
	ASSERT_TRUE(t, trap_regs_seen);
	EXPECT_EQ(t, r->rax, 0xa0a0a0a0);
	EXPECT_EQ(t, r->rbx, 0xb0b0b0b0);
	EXPECT_EQ(t, r->rcx, 0xc0c0c0c0);
	EXPECT_EQ(t, r->rdx, 0xd0d0d0d0);
	EXPECT_EQ(t, r->rsi, 0x51515151);
	EXPECT_EQ(t, r->rdi, 0xd1d1d1d1);
	EXPECT_EQ(t, r->rbp, 0xbbbbbbbb);
	EXPECT_EQ(t, r->r8, 0x08080808);
	EXPECT_EQ(t, r->r9, 0x09090909);
	EXPECT_EQ(t, r->r10, 0x10101010);
	EXPECT_EQ(t, r->r11, 0x11111111);
	EXPECT_EQ(t, r->r12, 0x12121212);
	EXPECT_EQ(t, r->r13, 0x13131313);
	EXPECT_EQ(t, r->r14, 0x14141414);
	EXPECT_EQ(t, r->r15, 0x15151515);
	EXPECT_EQ(t, r->orig_rax, (unsigned long)-1);	/* #UD pushes no error code */
	EXPECT_EQ(t, r->rip, rip);
	EXPECT_EQ(t, r->cs, __KERNEL_CS);
	EXPECT_EQ(t, r->ss, __KERNEL_DS);
	EXPECT_EQ(t, r->rsp, rsp);
	EXPECT_EQ(t, r->rflags & X86_EFLAGS_IF, flags & X86_EFLAGS_IF);
	EXPECT_TRUE(t, r->rflags & X86_EFLAGS_FIXED);
}

/* The DPL-3 system-call gate: unknown numbers give -ENOSYS, other registers survive. */
static void int80_gate(struct ktest *t)
{
	unsigned long rax = 999, rbx = 0x1b, rcx = 0x1c, rdx = 0x1d, rsi = 0x15, rdi = 0x1d1;

	__asm__ __volatile__("int $0x80"
			     : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi), "+D"(rdi)
			     :: "memory");
	EXPECT_EQ(t, (long)rax, -ENOSYS);
	EXPECT_EQ(t, rbx, 0x1b);
	EXPECT_EQ(t, rcx, 0x1c);
	EXPECT_EQ(t, rdx, 0x1d);
	EXPECT_EQ(t, rsi, 0x15);
	EXPECT_EQ(t, rdi, 0x1d1);
}

/* An unexpected kernel fault oopses: the report names the fault and symbolizes the trace. */
static noinline void oops_victim(void *arg)
{
	int *volatile p = NULL;

	*p = 1;
}

static noinline void oops_caller(void *arg)
{
	oops_victim(arg);
	barrier();
}

static void oops_report(struct ktest *t)
{
	struct ktest_catch c;
	const char *start;

	ASSERT_EQ(t, ktest_try(oops_caller, NULL, &c), KTEST_CAUGHT_OOPS);
	EXPECT_EQ(t, c.trapnr, X86_TRAP_PF);
	EXPECT_EQ(t, c.error_code, 0x2);
	EXPECT_STREQ(t, c.msg, "Oops");
	start = strstr(ktest_log(), "BUG: unable to handle page fault for address: 0000000000000000");
	ASSERT_NOT_NULL(t, start);
	EXPECT_NOT_NULL(t, strstr(start, "#PF: error_code(0x0002) - supervisor write access, not-present page"));
	EXPECT_NOT_NULL(t, strstr(start, "Oops: 0002 [#"));
	EXPECT_NOT_NULL(t, strstr(start, "RIP: 0008:oops_victim"));
	EXPECT_NOT_NULL(t, strstr(start, "Code: "));
	EXPECT_NOT_NULL(t, strstr(start, "CR2: 0000000000000000"));
	EXPECT_NOT_NULL(t, strstr(start, "Call Trace:"));
	EXPECT_NOT_NULL(t, strstr(start, " oops_caller+0x"));
}

static struct ktest_case exception_cases[] = {
	KTEST_CASE(divide_error),
	KTEST_CASE(debug_single_step),
	KTEST_CASE(nmi),
	KTEST_CASE(breakpoint),
	KTEST_CASE(invalid_opcode),
	KTEST_CASE(device_not_available),
	KTEST_CASE(double_fault),
	KTEST_CASE(invalid_tss),
	KTEST_CASE(segment_not_present),
	KTEST_CASE(segment_not_present_gate),
	KTEST_CASE(stack_segment),
	KTEST_CASE(stack_segment_noncanonical),
	KTEST_CASE(general_protection),
	KTEST_CASE(general_protection_selector),
	KTEST_CASE(page_fault_not_present),
	KTEST_CASE(page_fault_write_protect),
	KTEST_CASE(page_fault_nx),
	KTEST_CASE(x87_error),
	KTEST_CASE(alignment_check),
	KTEST_CASE(simd_error),
	KTEST_CASE(int_n_vectors),
	KTEST_CASE(error_code_vectors_without_source),
	KTEST_CASE(idt_gates),
	KTEST_CASE(pt_regs_layout),
	KTEST_CASE(int80_gate),
	KTEST_CASE(backtrace_crosses_exception_frame),
	KTEST_CASE(oops_report),
	{},
};
KTEST_SUITE(exceptions, exception_cases);
