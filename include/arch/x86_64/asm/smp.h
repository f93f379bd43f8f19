/* Secondary-CPU bring-up (arch/x86_64/smpboot.c, lib/trampoline.asm). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <kernel/types.h>

/*
 * Where the real-mode trampoline is copied: page-aligned, below 1 MiB
 * (the STARTUP IPI's vector is its page number), in the first MiB that
 * the frame allocator never hands out, clear of the BIOS data area.
 */
#define TRAMPOLINE_BASE		0x8000ul

/* The trampoline's parameter block (trampoline_params in trampoline.asm). */
struct trampoline_params {
	u32 cr3;		/* physical address of the trampoline page tables */
	u32 efer;		/* EFER bits to set */
	u64 entry;		/* secondary_startup_64 */
};

/* The CPU number -> APIC ID map (from the MADT; CPU 0 is the boot CPU). */
extern u32 x86_cpu_to_apicid[];

/* In setup_arch(), once the MADT is read: decide the possible CPUs and give each a per-CPU area. */
void smp_prepare_cpus(void);
/* Allocate and set up per-CPU areas for CPUs 1..n-1; returns how many CPUs have one. */
unsigned int setup_per_cpu_areas(unsigned int n);

/* Install the function-call IPI handlers (arch/x86_64/ipi.c); from smp_init(). */
void smp_ipi_init(void);
/* Take backtrace NMIs (arch/x86_64/hw_nmi.c); from smp_init(), once the other CPUs can be reached. */
void nmi_backtrace_init(void);

#endif
