/*
 * The local APIC (Intel SDM vol. 3A, chapter 11): one accessor over the
 * xAPIC (MMIO) and x2APIC (MSR) register interfaces, enabling through the
 * spurious-vector register, LINT0/LINT1, the error and spurious vectors,
 * EOI and self IPIs. The timer is in lapic_timer.c.
 */
#define pr_fmt(fmt) "apic: " fmt
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/msr.h>
#include <asm/cpufeature.h>
#include <asm/acpi.h>
#include <kernel/interrupt.h>
#include <kernel/vmalloc.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/bug.h>

const struct apic_ops *apic;
volatile u8 *xapic_mmio;
static bool nox2apic;

static int nox2apic_setup(const char *val)
{
	nox2apic = true;
	return 0;
}
early_param("nox2apic", nox2apic_setup);

/* xAPIC: 32-bit registers at 16-byte steps in the MMIO page. */
static u32 xapic_read(u32 reg)
{
	return *(volatile u32 *)(xapic_mmio + reg);
}

static void xapic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(xapic_mmio + reg) = v;
}

/* Until the LAPIC has accepted the last send (bounded: a stuck bit must not hang us). */
static void xapic_wait_icr_idle(void)
{
	for (int i = 0; i < 1000000 && (xapic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
}

static void xapic_send_icr(u32 low, u32 dest)
{
	unsigned long flags;

	/*
	 * Two writes make one send: an interrupt handler sending an IPI of
	 * its own between them would retarget ours, so interrupts stay off.
	 * A send_self() we interrupted may not be accepted yet: wait first.
	 */
	local_irq_save(flags);
	xapic_wait_icr_idle();
	xapic_write(APIC_ICR2, dest << 24);	/* the destination first: writing ICR sends */
	xapic_write(APIC_ICR, low);
	xapic_wait_icr_idle();
	local_irq_restore(flags);
}

/*
 * The "self" shorthand ignores the destination field (SDM vol. 3A,
 * 11.6.1), so one ICR write sends: no ICR2 write, and no need to keep
 * interrupts off to hold two writes together. Then wait until it is
 * accepted, as send_icr does; the interrupt itself may come before.
 */
static void xapic_send_self(unsigned int vector)
{
	xapic_write(APIC_ICR, APIC_DEST_SELF | APIC_DM_FIXED | vector);
	xapic_wait_icr_idle();
}

static u32 xapic_read_id(void)
{
	return xapic_read(APIC_ID) >> 24;
}

static void xapic_eoi(void)
{
	xapic_write(APIC_EOI, 0);
}

const struct apic_ops xapic_ops = {
	.name = "xAPIC",
	.read = xapic_read,
	.write = xapic_write,
	.send_icr = xapic_send_icr,
	.send_self = xapic_send_self,
	.read_id = xapic_read_id,
	.eoi = xapic_eoi,
};

/* x2APIC: the registers are MSRs; ICR is one 64-bit MSR with the destination on top. */
static u64 native_msr_read(u32 msr)
{
	return rdmsr(msr);
}

static void native_msr_write(u32 msr, u64 val)
{
	wrmsr(msr, val);
}

struct x2apic_msr_io x2apic_msr = { native_msr_read, native_msr_write };

static u32 x2apic_read(u32 reg)
{
	return (u32)x2apic_msr.read(x2apic_reg_to_msr(reg));
}

static void x2apic_write(u32 reg, u32 v)
{
	x2apic_msr.write(x2apic_reg_to_msr(reg), v);
}

static void x2apic_send_icr(u32 low, u32 dest)
{
	/* no delivery-status bit to poll in x2APIC mode: the write is the send */
	x2apic_msr.write(x2apic_reg_to_msr(APIC_ICR), ((u64)dest << 32) | low);
}

/* The x2APIC's SELF IPI register (SDM vol. 3A, 11.12.11): the vector alone. */
static void x2apic_send_self(unsigned int vector)
{
	x2apic_msr.write(x2apic_reg_to_msr(APIC_SELF_IPI), vector);
}

static u32 x2apic_read_id(void)
{
	return x2apic_read(APIC_ID);
}

static void x2apic_eoi(void)
{
	x2apic_write(APIC_EOI, 0);
}

const struct apic_ops x2apic_ops = {
	.name = "x2APIC",
	.read = x2apic_read,
	.write = x2apic_write,
	.send_icr = x2apic_send_icr,
	.send_self = x2apic_send_self,
	.read_id = x2apic_read_id,
	.eoi = x2apic_eoi,
};

bool x2apic_mode(void)
{
	return apic == &x2apic_ops;
}

u32 lapic_read_id(void)
{
	return apic ? apic->read_id() : 0;
}

/* NMI to ourselves by our own ID: the "self" shorthand is only for fixed vectors. */
void apic_send_self_nmi(void)
{
	apic->send_icr(APIC_DM_NMI | APIC_ICR_ASSERT, apic->read_id());
}

void apic_send_ipi(u32 apicid, unsigned int vector)
{
	apic->send_icr(APIC_DM_FIXED | APIC_ICR_ASSERT | vector, apicid);
}

bool lapic_vector_in_service(unsigned int vector)
{
	return apic && (apic_read(APIC_ISR + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

bool lapic_vector_requested(unsigned int vector)
{
	return apic && (apic_read(APIC_IRR + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

/* Vector 0xff: the APIC had nothing left to deliver. No EOI: nothing is in service. */
static void spurious_interrupt(struct pt_regs *regs)
{
	this_cpu_inc(irq_stat.spurious_apic);
}

/* The error vector: the ESR says what went wrong (SDM vol. 3A, 11.5.3). */
static void error_interrupt(struct pt_regs *regs)
{
	static const char *const bits[8] = {
		"send checksum", "receive checksum", "send accept", "receive accept",
		"redirectable IPI", "send illegal vector", "received illegal vector",
		"illegal register address",
	};
	u32 esr;

	apic_write(APIC_ESR, 0);	/* latch the errors into the readable register */
	esr = apic_read(APIC_ESR);
	this_cpu_inc(irq_stat.error_apic);
	pr_err("CPU%d: APIC error interrupt, ESR %#x:", smp_processor_id(), esr);
	for (int i = 0; i < 8; i++)
		if (esr & (1u << i))
			pr_cont(" [%s]", bits[i]);
	pr_cont("\n");
	apic_eoi();
}

/* The software-resend vector: run the flow handlers of the queued edge IRQs. */
static void resend_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	this_cpu_inc(irq_stat.resend_irqs);
	irq_resend_run_pending();
}

void arch_irq_resend_raise(void)
{
	if (apic) {
		apic_send_self_ipi(IRQ_RESEND_VECTOR);
	} else {
		/* no APIC to raise a vector with: run them now, as an interrupt would */
		unsigned long flags;

		local_irq_save(flags);
		irq_enter();
		irq_resend_run_pending();
		irq_exit();
		local_irq_restore(flags);
	}
}

/*
 * LINT0 and LINT1. In PIC mode LINT0 is the "virtual wire" that carries
 * the 8259's INTR (ExtINT); in APIC mode it is masked. LINT1 is the NMI
 * pin wherever the MADT's LAPIC NMI entries say, with their polarity and
 * trigger (PC default: LINT1, edge, active high).
 */
void lapic_setup_lint(bool pic_mode)
{
	u32 lint[2] = { APIC_LVT_MASKED, APIC_DM_NMI };

	if (!apic)
		return;
	if (pic_mode)
		lint[0] = APIC_DM_EXTINT;
	if (acpi_madt_found && acpi_madt.nr_lapic_nmis) {
		lint[1] = APIC_LVT_MASKED;
		for (int i = 0; i < acpi_madt.nr_lapic_nmis; i++) {
			const struct madt_lapic_nmi *n = &acpi_madt.lapic_nmis[i];
			u32 v = APIC_DM_NMI;

			if (n->lint > 1)
				continue;
			if ((n->flags & ACPI_INTI_POLARITY_MASK) == 3)
				v |= APIC_LVT_ACTIVE_LOW;
			if ((n->flags & ACPI_INTI_TRIGGER_MASK) == 0xc)
				v |= APIC_LVT_LEVEL;
			lint[n->lint] = v;
		}
	}
	apic_write(APIC_LVT0, lint[0]);
	apic_write(APIC_LVT1, lint[1]);
}

static bool any_in_service(void)
{
	for (u32 r = 0; r < 8; r++)
		if (apic_read(APIC_ISR + r * 0x10))
			return true;
	return false;
}

int lapic_init(void)
{
	u64 base;
	unsigned long phys;

	if (!boot_cpu_has(X86_FEATURE_APIC)) {
		pr_info("no local APIC on this CPU\n");
		return -ENODEV;
	}
	base = rdmsr(MSR_IA32_APICBASE);
	if (base & APIC_BASE_MSR_EXTD) {
		/* the firmware chose x2APIC; going back needs a full disable: stay */
		apic = &x2apic_ops;
	} else if (boot_cpu_has(X86_FEATURE_X2APIC) && !nox2apic) {
		wrmsr(MSR_IA32_APICBASE, base | APIC_BASE_MSR_ENABLE | APIC_BASE_MSR_EXTD);
		apic = &x2apic_ops;
	} else {
		phys = base & 0xfffff000ul;
		if (acpi_madt_found && acpi_madt.lapic_addr && acpi_madt.lapic_addr != phys)
			pr_warn("MADT puts the LAPIC at %#llx, the MSR at %#lx; using the MSR\n",
				(unsigned long long)acpi_madt.lapic_addr, phys);
		wrmsr(MSR_IA32_APICBASE, base | APIC_BASE_MSR_ENABLE);
		xapic_mmio = ioremap(phys, 4096);
		if (!xapic_mmio)
			return -ENOMEM;
		apic = &xapic_ops;
	}
	sysvec_register(SPURIOUS_APIC_VECTOR, spurious_interrupt, "Spurious interrupts");
	sysvec_register(ERROR_APIC_VECTOR, error_interrupt, "APIC errors");
	sysvec_register(IRQ_RESEND_VECTOR, resend_interrupt, "IRQ resend");
	irq_work_init_vector();
	lapic_setup_cpu();
	return 0;
}

/*
 * Program this CPU's local APIC: the boot CPU from lapic_init(), each
 * secondary CPU as it starts, in the mode (xAPIC or x2APIC) the boot CPU
 * chose.
 */
void lapic_setup_cpu(void)
{
	u64 base = rdmsr(MSR_IA32_APICBASE);

	if (apic == &x2apic_ops)
		wrmsr(MSR_IA32_APICBASE, base | APIC_BASE_MSR_ENABLE | APIC_BASE_MSR_EXTD);
	else if (!(base & APIC_BASE_MSR_ENABLE))
		wrmsr(MSR_IA32_APICBASE, base | APIC_BASE_MSR_ENABLE);
	/* enabled, with 0xff as the spurious vector; accept every priority */
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);
	apic_write(APIC_TASKPRI, 0);
	/* nothing local until asked for: timer, thermal, performance counters */
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	if (((apic_read(APIC_LVR) >> 16) & 0xff) >= 4)
		apic_write(APIC_LVTPC, APIC_LVT_MASKED);
	if (((apic_read(APIC_LVR) >> 16) & 0xff) >= 5)
		apic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	/* a vector left in service by the firmware would block lower ones */
	for (int i = 0; i < 256 && any_in_service(); i++)
		apic_eoi();
	pr_info("CPU%d: local APIC %u (%s, version %#x, %u LVT entries) enabled\n",
		smp_processor_id(), apic->read_id(), apic->name, apic_read(APIC_LVR) & 0xff,
		((apic_read(APIC_LVR) >> 16) & 0xff) + 1);
}
