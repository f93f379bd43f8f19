/*
 * The local APIC (Intel SDM vol. 3A, chapter 11), through one accessor
 * with two back-ends: xAPIC (registers in a 4 KiB MMIO page) and x2APIC
 * (the same registers as MSRs 0x800 + offset / 16).
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kernel/types.h>

/* Register offsets in the xAPIC page. */
#define APIC_ID		0x020	/* local APIC ID */
#define APIC_LVR	0x030	/* version: bits 0-7 version, 16-23 max LVT entry */
#define APIC_TASKPRI	0x080	/* task priority (TPR) */
#define APIC_EOI	0x0b0	/* end of interrupt: write 0 */
#define APIC_LDR	0x0d0	/* logical destination */
#define APIC_DFR	0x0e0	/* destination format (xAPIC only) */
#define APIC_SPIV	0x0f0	/* spurious vector and software enable */
#define APIC_ISR	0x100	/* in-service, 8 x 32 bits at 0x10 steps */
#define APIC_TMR	0x180	/* trigger mode (level), 8 x 32 bits */
#define APIC_IRR	0x200	/* request, 8 x 32 bits */
#define APIC_ESR	0x280	/* error status: write, then read */
#define APIC_ICR	0x300	/* interrupt command, low half */
#define APIC_ICR2	0x310	/* interrupt command, destination (xAPIC) */
#define APIC_LVTT	0x320	/* LVT timer */
#define APIC_LVTTHMR	0x330	/* LVT thermal */
#define APIC_LVTPC	0x340	/* LVT performance counter */
#define APIC_LVT0	0x350	/* LVT LINT0 */
#define APIC_LVT1	0x360	/* LVT LINT1 */
#define APIC_LVTERR	0x370	/* LVT error */
#define APIC_TMICT	0x380	/* timer initial count */
#define APIC_TMCCT	0x390	/* timer current count */
#define APIC_TDCR	0x3e0	/* timer divide configuration */
#define APIC_SELF_IPI	0x3f0	/* x2APIC only: self IPI */

#define APIC_SPIV_ENABLE	(1u << 8)	/* APIC software enable */
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_LEVEL		(1u << 15)	/* level-triggered (LINT0/1) */
#define APIC_LVT_ACTIVE_LOW	(1u << 13)
#define APIC_DM_FIXED		(0u << 8)
#define APIC_DM_NMI		(4u << 8)
#define APIC_DM_INIT		(5u << 8)
#define APIC_DM_STARTUP		(6u << 8)
#define APIC_ICR_LEVELTRIG	(1u << 15)
#define APIC_DM_EXTINT		(7u << 8)
#define APIC_ICR_BUSY		(1u << 12)	/* delivery status: send pending (xAPIC) */
#define APIC_ICR_ASSERT		(1u << 14)
#define APIC_DEST_SELF		(1u << 18)	/* shorthand: to this CPU */
#define APIC_DEST_ALLBUT	(3u << 18)	/* shorthand: all but this CPU */
#define APIC_TIMER_ONESHOT	(0u << 17)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_TSC_DEADLINE	(2u << 17)
#define APIC_TDCR_DIV_16	0x3

#define MSR_IA32_TSC_DEADLINE	0x6e0
#define APIC_BASE_MSR_BSP	(1u << 8)	/* IA32_APIC_BASE: boot processor */
#define APIC_BASE_MSR_EXTD	(1u << 10)	/* x2APIC mode */
#define APIC_BASE_MSR_ENABLE	(1u << 11)	/* global enable */
#define APIC_DEFAULT_PHYS_BASE	0xfee00000ul
#define X2APIC_MSR_BASE		0x800

/* One back-end of the accessor. */
struct apic_ops {
	const char *name;
	u32 (*read)(u32 reg);
	void (*write)(u32 reg, u32 v);
	/* ICR: low word (vector, mode, shorthand) to dest, waiting until it is accepted */
	void (*send_icr)(u32 low, u32 dest_apicid);
	/* a fixed interrupt on vector to this CPU, in one register write */
	void (*send_self)(unsigned int vector);
	/* the full APIC ID (8 bits in xAPIC mode, 32 in x2APIC) */
	u32 (*read_id)(void);
	void (*eoi)(void);
};

extern const struct apic_ops xapic_ops;
extern const struct apic_ops x2apic_ops;
/* The back-end in use; NULL when the CPU has no (usable) local APIC. */
extern const struct apic_ops *apic;

/* The MMIO page the xAPIC back-end uses (set up by lapic_init; tests may point it elsewhere briefly). */
extern volatile u8 *xapic_mmio;
/* The MSR accessors the x2APIC back-end uses (native; tests may substitute a fake register file). */
struct x2apic_msr_io {
	u64 (*read)(u32 msr);
	void (*write)(u32 msr, u64 val);
};
extern struct x2apic_msr_io x2apic_msr;
static inline u32 x2apic_reg_to_msr(u32 reg) { return X2APIC_MSR_BASE + (reg >> 4); }

static inline u32 apic_read(u32 reg) { return apic->read(reg); }
static inline void apic_write(u32 reg, u32 v) { apic->write(reg, v); }

/* End of interrupt for the vector in service on this CPU (no-op without an APIC). */
static inline void apic_eoi(void)
{
	if (apic)
		apic->eoi();
}
/* Whether this CPU's local APIC is enabled and used. */
static inline bool lapic_is_enabled(void)
{
	return apic != NULL;
}
/* Program this CPU's local APIC (the boot CPU's through lapic_init(), each AP's as it starts). */
void lapic_setup_cpu(void);
bool x2apic_mode(void);
u32 lapic_read_id(void);

/* IPIs to this CPU: a fixed-vector interrupt (one register write), or an NMI. */
static inline void apic_send_self_ipi(unsigned int vector)
{
	apic->send_self(vector);
}
void apic_send_self_nmi(void);
/* A fixed-vector IPI to the CPU with this APIC ID. */
void apic_send_ipi(u32 apicid, unsigned int vector);

/* Detect, map and enable the boot CPU's LAPIC (x2APIC when available; `nox2apic` forbids). */
int lapic_init(void);
/* Set the LINT0/1 entries: virtual wire (LINT0 = ExtINT) in PIC mode, masked in APIC mode; LINT1 per the MADT. */
void lapic_setup_lint(bool pic_mode);
/* Whether vector is set in this CPU's ISR / IRR. */
bool lapic_vector_in_service(unsigned int vector);
bool lapic_vector_requested(unsigned int vector);

/* The LAPIC timer as a clock-event device (calibrated; periodic, one-shot, TSC-deadline). */
int lapic_timer_init(void);
/* Measure the LAPIC timer's rate (once); register this CPU's timer as its clock-event device. */
int lapic_timer_calibrate(void);
int lapic_timer_setup_cpu(void);
/* Timer input frequency in Hz after the divider (0 before calibration). */
extern unsigned long lapic_timer_hz;

enum lapic_timer_mode { LAPIC_TIMER_PERIODIC, LAPIC_TIMER_ONESHOT, LAPIC_TIMER_DEADLINE };
/* Run the LAPIC timer in mode (re-driving the tick if it has it); -ENODEV without TSC-deadline. */
int lapic_timer_set_mode(enum lapic_timer_mode mode);
struct clock_event_device *lapic_clockevent(void);

#endif
