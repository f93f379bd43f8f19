/* Bits of RFLAGS and the control registers (Intel SDM vol. 3A, 2.3 and 2.5). */
#ifndef ASM_PROCESSOR_FLAGS_H
#define ASM_PROCESSOR_FLAGS_H

#define X86_EFLAGS_CF		(1ul << 0)
#define X86_EFLAGS_FIXED	(1ul << 1)	/* always 1 */
#define X86_EFLAGS_ZF		(1ul << 6)
#define X86_EFLAGS_TF		(1ul << 8)	/* single-step trap */
#define X86_EFLAGS_IF		(1ul << 9)	/* maskable interrupts enabled */
#define X86_EFLAGS_DF		(1ul << 10)
#define X86_EFLAGS_IOPL		(3ul << 12)
#define X86_EFLAGS_NT		(1ul << 14)
#define X86_EFLAGS_RF		(1ul << 16)
#define X86_EFLAGS_AC		(1ul << 18)	/* alignment check / SMAP override */
#define X86_EFLAGS_ID		(1ul << 21)

#define X86_CR0_PE		(1ul << 0)
#define X86_CR0_MP		(1ul << 1)	/* WAIT honours TS */
#define X86_CR0_EM		(1ul << 2)	/* x87 emulation: #NM on x87 */
#define X86_CR0_TS		(1ul << 3)	/* task switched: #NM on x87/SSE */
#define X86_CR0_NE		(1ul << 5)	/* native x87 errors as #MF */
#define X86_CR0_WP		(1ul << 16)	/* ring 0 honours read-only pages */
#define X86_CR0_AM		(1ul << 18)	/* alignment mask */
#define X86_CR0_PG		(1ul << 31)

#define X86_CR4_VME		(1ul << 0)
#define X86_CR4_DE		(1ul << 3)
#define X86_CR4_PSE		(1ul << 4)
#define X86_CR4_PAE		(1ul << 5)
#define X86_CR4_MCE		(1ul << 6)
#define X86_CR4_PGE		(1ul << 7)
#define X86_CR4_OSFXSR		(1ul << 9)	/* FXSAVE/SSE enabled */
#define X86_CR4_OSXMMEXCPT	(1ul << 10)	/* unmasked SSE errors raise #XM */
#define X86_CR4_UMIP		(1ul << 11)
#define X86_CR4_FSGSBASE	(1ul << 16)
#define X86_CR4_OSXSAVE		(1ul << 18)
#define X86_CR4_SMEP		(1ul << 20)
#define X86_CR4_SMAP		(1ul << 21)

#endif
