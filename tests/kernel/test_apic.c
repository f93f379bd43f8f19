/*
 * The interrupt controllers as programmed: the LAPIC's registers and its
 * two accessor back-ends, the error vector, the IOAPIC's redirection
 * entries, the 8259A in each mode and its spurious IRQ 7/15, and the
 * system vectors.
 */
#include <kernel/ktest.h>
#include <kernel/irqdesc.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>
#include <kernel/smp.h>
#include <kernel/atomic.h>
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/smp.h>
#include <asm/i8259.h>
#include <asm/irq.h>
#include <asm/hw_irq.h>
#include <asm/msr.h>
#include <asm/acpi.h>
#include <asm/cpufeature.h>
#include <asm/special_insns.h>

static void need_lapic(struct ktest *t)
{
	if (!lapic_is_enabled())
		ktest_skip(t, "no local APIC");
}

static void let_interrupts_in(void)
{
	local_irq_enable();
	for (int i = 0; i < 100; i++)
		cpu_relax();
}

static void lapic_registers(struct ktest *t)
{
	u64 base;

	need_lapic(t);
	base = rdmsr(MSR_IA32_APICBASE);
	EXPECT_TRUE(t, base & APIC_BASE_MSR_ENABLE);
	EXPECT_TRUE(t, base & APIC_BASE_MSR_BSP);
	EXPECT_EQ(t, !!(base & APIC_BASE_MSR_EXTD), x2apic_mode());
	/* software-enabled with 0xff as the spurious vector; every priority accepted */
	EXPECT_EQ(t, apic_read(APIC_SPIV) & 0x1ff, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);
	EXPECT_EQ(t, apic_read(APIC_TASKPRI) & 0xff, 0);
	EXPECT_EQ(t, apic_read(APIC_LVTERR) & 0x100ff, ERROR_APIC_VECTOR);
	/* LINT0: virtual wire in PIC mode, masked in APIC mode; LINT1: NMI per the MADT */
	if (irq_mode == IRQ_MODE_PIC)
		EXPECT_EQ(t, apic_read(APIC_LVT0) & 0x10700, APIC_DM_EXTINT);
	else
		EXPECT_TRUE(t, apic_read(APIC_LVT0) & APIC_LVT_MASKED);
	EXPECT_EQ(t, apic_read(APIC_LVT1) & 0x10700, APIC_DM_NMI);
	EXPECT_EQ(t, lapic_read_id(), acpi_madt_found ? acpi_madt.cpus[0].apic_id : lapic_read_id());
	if (!x2apic_mode())
		EXPECT_EQ(t, base & 0xfffff000, APIC_DEFAULT_PHYS_BASE);
}

/*
 * Both accessor back-ends against fake register files: the xAPIC one on a
 * scratch page (MMIO offsets, ICR2 before ICR, a self IPI in one ICR
 * write, 8-bit ID), the x2APIC one on a fake MSR space (MSR 0x800 +
 * offset/16, one 64-bit ICR write with the destination on top, self IPIs
 * through the SELF IPI register, full 32-bit ID). Interrupts are off
 * meanwhile, so nothing needs the real LAPIC. On a CPU with x2APIC the
 * live one is also compared with the MMIO view.
 */
static u32 fake_mmio[1024] __aligned(4096);
static struct {
	u32 msr[64];
	u32 writes, icr_writes;
	u64 last_icr;
} fake_msr;

static u64 fake_rdmsr(u32 msr)
{
	return msr >= X2APIC_MSR_BASE && msr < X2APIC_MSR_BASE + 64 ? fake_msr.msr[msr - X2APIC_MSR_BASE] : ~0ull;
}

static void fake_wrmsr(u32 msr, u64 val)
{
	fake_msr.writes++;
	if (msr == x2apic_reg_to_msr(APIC_ICR)) {
		fake_msr.icr_writes++;
		fake_msr.last_icr = val;
	}
	if (msr >= X2APIC_MSR_BASE && msr < X2APIC_MSR_BASE + 64)
		fake_msr.msr[msr - X2APIC_MSR_BASE] = (u32)val;
}

/*
 * The accessor's back-ends are global: while the test points them at fake
 * registers, another CPU's EOI or IPI would go there and be lost (an EOI
 * lost leaves that CPU's LAPIC taking no more interrupts). So the other
 * CPUs wait with interrupts off, in a function call from this one, until
 * the real registers are back.
 */
static atomic_t parked;
static volatile bool unpark;

static void park_here(void *unused)
{
	atomic_inc(&parked);
	while (!READ_ONCE(unpark))
		cpu_relax();
}

static void park_other_cpus(void)
{
	atomic_set(&parked, 0);
	unpark = false;
	preempt_disable();
	smp_call_function(park_here, NULL, 0);
	while (atomic_read(&parked) < (int)num_online_cpus() - 1)
		cpu_relax();
}

static void unpark_other_cpus(void)
{
	WRITE_ONCE(unpark, true);
	preempt_enable();
}

static void accessor_backends(struct ktest *t)
{
	volatile u8 *saved_mmio = xapic_mmio;
	struct x2apic_msr_io saved_io = x2apic_msr;
	unsigned long flags;

	memset(fake_mmio, 0, sizeof(fake_mmio));
	memset(&fake_msr, 0, sizeof(fake_msr));
	park_other_cpus();
	local_irq_save(flags);
	/* xAPIC */
	xapic_mmio = (volatile u8 *)fake_mmio;
	fake_mmio[APIC_ID / 4] = 0x07000000;
	EXPECT_EQ(t, xapic_ops.read_id(), 7);
	xapic_ops.write(APIC_TASKPRI, 0x20);
	EXPECT_EQ(t, fake_mmio[APIC_TASKPRI / 4], 0x20);
	xapic_ops.send_icr(APIC_DM_FIXED | 0x41, 3);
	EXPECT_EQ(t, fake_mmio[APIC_ICR2 / 4], 3u << 24);
	EXPECT_EQ(t, fake_mmio[APIC_ICR / 4], APIC_DM_FIXED | 0x41);
	/* a self IPI is one ICR write with the shorthand; ICR2 is left alone */
	fake_mmio[APIC_ICR2 / 4] = 0x5a;
	xapic_ops.send_self(0x42);
	EXPECT_EQ(t, fake_mmio[APIC_ICR / 4], APIC_DEST_SELF | APIC_DM_FIXED | 0x42);
	EXPECT_EQ(t, fake_mmio[APIC_ICR2 / 4], 0x5a);
	fake_mmio[APIC_EOI / 4] = 0xdead;
	xapic_ops.eoi();
	EXPECT_EQ(t, fake_mmio[APIC_EOI / 4], 0);
	xapic_mmio = saved_mmio;
	/* x2APIC */
	x2apic_msr = (struct x2apic_msr_io){ fake_rdmsr, fake_wrmsr };
	EXPECT_EQ(t, x2apic_reg_to_msr(APIC_ID), 0x802);
	EXPECT_EQ(t, x2apic_reg_to_msr(APIC_EOI), 0x80b);
	EXPECT_EQ(t, x2apic_reg_to_msr(APIC_ICR), 0x830);
	fake_msr.msr[APIC_ID >> 4] = 0x12345;
	EXPECT_EQ(t, x2apic_ops.read_id(), 0x12345);	/* 32 bits, not 8 */
	x2apic_ops.send_icr(APIC_DM_NMI | APIC_ICR_ASSERT, 0x12345);
	EXPECT_EQ(t, fake_msr.icr_writes, 1);		/* one write, no ICR2 */
	EXPECT_EQ(t, fake_msr.last_icr, (0x12345ull << 32) | APIC_DM_NMI | APIC_ICR_ASSERT);
	/* a self IPI goes to the SELF IPI register (MSR 0x83f), not ICR */
	x2apic_ops.send_self(0x42);
	EXPECT_EQ(t, fake_msr.icr_writes, 1);
	EXPECT_EQ(t, fake_msr.msr[0x3f], 0x42);
	fake_msr.msr[APIC_EOI >> 4] = 0xdead;
	x2apic_ops.eoi();
	EXPECT_EQ(t, fake_msr.msr[APIC_EOI >> 4], 0);
	x2apic_msr = saved_io;
	local_irq_restore(flags);
	unpark_other_cpus();
	if (x2apic_mode())
		EXPECT_EQ(t, lapic_read_id(), (u32)rdmsr(0x802));
	else
		ktest_info(t, "xAPIC mode (%s): x2APIC back-end checked against fake MSRs only",
			   boot_cpu_has(X86_FEATURE_X2APIC) ? "nox2apic" : "the CPU has no x2APIC");
}

/*
 * The error vector and the ESR report: a read of a reserved register
 * (offset 0x40) records "illegal register address" in the ESR (SDM vol.
 * 3A, 11.5.3). Hardware then raises the error vector; QEMU records the
 * error but raises nothing, so the test sends the vector itself and checks
 * that the handler reads the ESR and names the error.
 */
static void error_vector(struct ktest *t)
{
	unsigned int err = this_cpu_read(irq_stat.error_apic);
	unsigned long mark;
	const char *log;

	need_lapic(t);
	if (x2apic_mode())
		ktest_skip(t, "x2APIC mode: a reserved register is an absent MSR (#GP), not an APIC error");
	mark = ktest_log_mark();
	local_irq_disable();
	(void)apic_read(0x40);
	let_interrupts_in();
	if (this_cpu_read(irq_stat.error_apic) == err) {
		ktest_info(t, "no error interrupt from the LAPIC (QEMU does not raise one): sending vector %#x",
			   ERROR_APIC_VECTOR);
		apic_send_self_ipi(ERROR_APIC_VECTOR);
		let_interrupts_in();
	}
	EXPECT_EQ(t, this_cpu_read(irq_stat.error_apic), err + 1);
	EXPECT_FALSE(t, lapic_vector_in_service(ERROR_APIC_VECTOR));	/* the handler EOIed */
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	EXPECT_NOT_NULL(t, strstr(log, "APIC error interrupt, ESR 0x80: [illegal register address]"));
}

static void system_vectors(struct ktest *t)
{
	struct irq_desc **table = this_cpu_ptr(&vector_irq[0]);

	/* no device IRQ ever lands on a system vector or on int $0x80 */
	for (unsigned int v = FIRST_SYSTEM_VECTOR; v < NR_VECTORS; v++)
		EXPECT_NULL(t, table[v]);
	EXPECT_NULL(t, table[IA32_SYSCALL_VECTOR]);
	EXPECT_EQ(t, SPURIOUS_APIC_VECTOR & 0xf, 0xf);
	EXPECT_GE(t, LOCAL_TIMER_VECTOR, FIRST_SYSTEM_VECTOR);
	EXPECT_GT(t, FIRST_SYSTEM_VECTOR, LAST_DYNAMIC_VECTOR);
}

static void ioapic_routing(struct ktest *t)
{
	struct ioapic_line_info info;
	u32 gsi;
	u16 flags;

	if (irq_mode != IRQ_MODE_APIC) {
		EXPECT_EQ(t, i8259_read_imr() & 0x4, 0);	/* PIC mode: the cascade is open */
		ktest_skip(t, "PIC mode (%s): no IOAPIC in use", irq_mode_reason);
	}
	/* the 8259A is fully masked in APIC mode */
	EXPECT_EQ(t, i8259_read_imr(), 0xffff);
	/* IRQ 0 through its override (GSI 2 on QEMU), edge, active high */
	ASSERT_EQ(t, acpi_isa_irq_to_gsi(0, &gsi, &flags), 0);
	ASSERT_TRUE(t, ioapic_line_info(0, &info));
	EXPECT_EQ(t, info.gsi, gsi);
	EXPECT_FALSE(t, info.level);
	EXPECT_FALSE(t, info.active_low);
	EXPECT_EQ(t, irq_get_irq_data(0)->hwirq, gsi);
	/* unrequested ISA lines stay masked; a requested one has its vector on its effective CPU */
	ASSERT_TRUE(t, ioapic_line_info(3, &info));
	EXPECT_TRUE(t, info.masked);
	ASSERT_TRUE(t, ioapic_line_info(8, &info));	/* the RTC driver requested it */
	if (irq_to_desc(8)->action) {
		int cpu = irq_effective_cpu(8);

		EXPECT_FALSE(t, info.masked);
		ASSERT_GE(t, cpu, 0);
		EXPECT_EQ(t, info.dest, x86_cpu_to_apicid[cpu]);
		EXPECT_EQ(t, per_cpu_ptr(&vector_irq[0], cpu)[info.vector], irq_to_desc(8));
	}
	/* an IOAPIC pin sees one edge only */
	EXPECT_EQ(t, irq_set_irq_type(3, IRQ_TYPE_EDGE_BOTH), -EINVAL);
	/* switching a line to level changes its flow to fasteoi, and back */
	ASSERT_EQ(t, irq_set_irq_type(3, IRQ_TYPE_LEVEL_LOW), 0);
	EXPECT_EQ(t, (unsigned long)irq_to_desc(3)->handle_irq, (unsigned long)handle_fasteoi_irq);
	ASSERT_EQ(t, irq_set_irq_type(3, IRQ_TYPE_EDGE_RISING), 0);
	EXPECT_EQ(t, (unsigned long)irq_to_desc(3)->handle_irq, (unsigned long)handle_edge_irq);
	/* affinity: an offline CPU is refused (tests/kernel/test_irq_affinity.c does the moves) */
	EXPECT_EQ(t, irq_set_affinity(8, &(struct cpumask){ { 1ull << (NR_CPUS - 1) } }), -EINVAL);
}

static void pic_mode_vectors_and_masks(struct ktest *t)
{
	struct irq_desc **table = this_cpu_ptr(&vector_irq[0]);
	u16 imr;

	if (irq_mode != IRQ_MODE_PIC)
		ktest_skip(t, "APIC mode: the 8259A is masked (see ioapic_routing)");
	/* IRQ n on vector 0x20 + n, the XT-PIC chip */
	for (unsigned int irq = 0; irq < NR_IRQS_LEGACY; irq++) {
		EXPECT_EQ(t, table[ISA_IRQ_VECTOR(irq)], irq_to_desc(irq));
		EXPECT_STREQ(t, irq_to_desc(irq)->irq_data.chip->name, "XT-PIC");
	}
	/* open: the timer, the cascade, and what drivers requested; closed: the rest */
	imr = i8259_read_imr();
	for (unsigned int irq = 0; irq < NR_IRQS_LEGACY; irq++) {
		bool open = irq == PIC_CASCADE_IR || irq_to_desc(irq)->action;

		if (open == !!(imr & (1u << irq)))
			ktest_fail(t, __FILE__, __LINE__, "IRQ %u is %s, requested %d", irq,
				   (imr & (1u << irq)) ? "masked" : "open", !!irq_to_desc(irq)->action);
	}
	EXPECT_TRUE(t, irq_to_desc(0)->action);		/* the PIT tick */
}

/*
 * Spurious IRQ 7 and 15: a self-IPI on their vectors looks to the kernel
 * exactly like the 8259A reporting them with nothing in service. They
 * must be counted and must reach no handler. (The self-IPI leaves the
 * vector in the LAPIC's in-service register, which a real ExtINT does
 * not; the test EOIs it.)
 */
static int spurious_handler_calls;

static irqreturn_t spurious_victim(int irq, void *dev)
{
	spurious_handler_calls++;
	return IRQ_HANDLED;
}

static void pic_spurious_7_and_15(struct ktest *t)
{
	unsigned long c7 = i8259_spurious_count[0], c15 = i8259_spurious_count[1];
	unsigned int stat = this_cpu_read(irq_stat.pic_spurious);
	int dev;

	if (irq_mode != IRQ_MODE_PIC)
		ktest_skip(t, "APIC mode: the 8259A is masked");
	need_lapic(t);
	spurious_handler_calls = 0;
	ASSERT_EQ(t, request_irq(7, spurious_victim, 0, "victim7", &dev), 0);
	local_irq_disable();
	apic_send_self_ipi(ISA_IRQ_VECTOR(7));
	let_interrupts_in();
	local_irq_disable();
	EXPECT_TRUE(t, lapic_vector_in_service(ISA_IRQ_VECTOR(7)));
	apic_eoi();
	apic_send_self_ipi(ISA_IRQ_VECTOR(15));
	let_interrupts_in();
	local_irq_disable();
	apic_eoi();
	local_irq_enable();
	free_irq(7, &dev);
	EXPECT_EQ(t, i8259_spurious_count[0], c7 + 1);
	EXPECT_EQ(t, i8259_spurious_count[1], c15 + 1);
	EXPECT_EQ(t, this_cpu_read(irq_stat.pic_spurious), stat + 2);
	EXPECT_EQ(t, spurious_handler_calls, 0);
	EXPECT_EQ(t, kstat_irqs_cpu(7, 0), 0);
}

static struct ktest_case apic_cases[] = {
	KTEST_CASE(lapic_registers),
	KTEST_CASE(accessor_backends),
	KTEST_CASE(error_vector),
	KTEST_CASE(system_vectors),
	KTEST_CASE(ioapic_routing),
	KTEST_CASE(pic_mode_vectors_and_masks),
	KTEST_CASE(pic_spurious_7_and_15),
	{},
};
KTEST_SUITE(apic, apic_cases);
