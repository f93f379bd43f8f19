/* Exception vectors (Intel SDM vol. 3A, table 6-1) and the IST slots. */
#ifndef ASM_TRAPNR_H
#define ASM_TRAPNR_H

#define X86_TRAP_DE		0	/* divide error */
#define X86_TRAP_DB		1	/* debug */
#define X86_TRAP_NMI		2	/* non-maskable interrupt */
#define X86_TRAP_BP		3	/* breakpoint (int3) */
#define X86_TRAP_OF		4	/* overflow (into) */
#define X86_TRAP_BR		5	/* bound range exceeded */
#define X86_TRAP_UD		6	/* invalid opcode */
#define X86_TRAP_NM		7	/* device not available */
#define X86_TRAP_DF		8	/* double fault */
#define X86_TRAP_OLD_MF		9	/* coprocessor segment overrun */
#define X86_TRAP_TS		10	/* invalid TSS */
#define X86_TRAP_NP		11	/* segment not present */
#define X86_TRAP_SS		12	/* stack segment fault */
#define X86_TRAP_GP		13	/* general protection */
#define X86_TRAP_PF		14	/* page fault */
#define X86_TRAP_SPURIOUS	15	/* reserved */
#define X86_TRAP_MF		16	/* x87 floating-point error */
#define X86_TRAP_AC		17	/* alignment check */
#define X86_TRAP_MC		18	/* machine check */
#define X86_TRAP_XF		19	/* SIMD floating-point exception */
#define X86_TRAP_VE		20	/* virtualization exception */
#define X86_TRAP_CP		21	/* control protection */
#define X86_TRAP_HV		28	/* hypervisor injection */
#define X86_TRAP_VC		29	/* VMM communication */
#define X86_TRAP_SX		30	/* security exception */
#define NR_EXCEPTION_VECTORS	32

#define IA32_SYSCALL_VECTOR	0x80	/* int $0x80, callable from ring 3 */
#define SPURIOUS_APIC_VECTOR	0xff
#define FIRST_EXTERNAL_VECTOR	0x20
#define NR_VECTORS		256

/*
 * Vectors for which the CPU pushes an error code. Written once here;
 * entry.asm generates its stubs from ERROR_CODE_VECTOR_MASK.
 */
#define ERROR_CODE_VECTOR_MASK	((1 << 8) | (1 << 10) | (1 << 11) | (1 << 12) | \
				 (1 << 13) | (1 << 14) | (1 << 17) | (1 << 21) | \
				 (1 << 29) | (1 << 30))

/* Interrupt Stack Table slots (1-based, as the IDT's IST field), as the seeds. */
#define IST_INDEX_DF		1	/* double fault */
#define IST_INDEX_NMI		2
#define IST_INDEX_DB		3	/* #DB and #BP */
#define IST_INDEX_MCE		4
#define N_EXCEPTION_STACKS	4

/* Vectors whose gates use an IST stack; their entry is "paranoid" about GS. */
#define IST_VECTOR_MASK		((1 << X86_TRAP_DB) | (1 << X86_TRAP_NMI) | (1 << X86_TRAP_BP) | \
				 (1 << X86_TRAP_DF) | (1 << X86_TRAP_MC))

#endif
