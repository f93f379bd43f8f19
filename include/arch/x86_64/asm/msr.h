/* Model-specific registers (Intel SDM vol. 4) and their accessors. */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#include <kernel/types.h>

#define MSR_EFER		0xc0000080	/* extended feature enables */
#define MSR_STAR		0xc0000081	/* SYSCALL/SYSRET selectors */
#define MSR_LSTAR		0xc0000082	/* SYSCALL 64-bit entry point */
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101	/* active GS base */
#define MSR_KERNEL_GS_BASE	0xc0000102	/* swapped in by SWAPGS */
#define MSR_IA32_APICBASE	0x0000001b
#define MSR_IA32_MISC_ENABLE	0x000001a0
#define MSR_IA32_DEBUGCTL	0x000001d9
#define MSR_IA32_CR_PAT		0x00000277	/* page attribute table */

#define EFER_SCE		(1u << 0)	/* SYSCALL enable */
#define EFER_LME		(1u << 8)	/* long mode enable */
#define EFER_LMA		(1u << 10)	/* long mode active */
#define EFER_NXE		(1u << 11)	/* no-execute enable */

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

/* rdmsr/wrmsr that return -EIO instead of oopsing on a #GP (absent MSR). */
int rdmsr_safe(u32 msr, u64 *val);
int wrmsr_safe(u32 msr, u64 val);

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* lfence; rdtsc: the TSC read ordered after all earlier instructions, as rdtsc_ordered(). */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((u64)hi << 32) | lo;
}

#endif
