/* CPUID and the features the kernel cares about (Intel SDM vol. 2A, CPUID). */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <kernel/types.h>

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

/* Feature bits, numbered word * 32 + bit like Linux's X86_FEATURE_*. */
enum {
	CPUID_1_ECX, CPUID_1_EDX, CPUID_7_EBX, CPUID_7_ECX, CPUID_8001_ECX, CPUID_8001_EDX,
	NCAPWORDS
};
#define F(word, bit)		((word) * 32 + (bit))
#define X86_FEATURE_SSE3	F(CPUID_1_ECX, 0)
#define X86_FEATURE_X2APIC	F(CPUID_1_ECX, 21)
#define X86_FEATURE_TSC_DEADLINE F(CPUID_1_ECX, 24)
#define X86_FEATURE_XSAVE	F(CPUID_1_ECX, 26)
#define X86_FEATURE_RDRAND	F(CPUID_1_ECX, 30)
#define X86_FEATURE_HYPERVISOR	F(CPUID_1_ECX, 31)
#define X86_FEATURE_FPU		F(CPUID_1_EDX, 0)
#define X86_FEATURE_TSC		F(CPUID_1_EDX, 4)
#define X86_FEATURE_MSR		F(CPUID_1_EDX, 5)
#define X86_FEATURE_MCE		F(CPUID_1_EDX, 7)
#define X86_FEATURE_APIC	F(CPUID_1_EDX, 9)
#define X86_FEATURE_PGE		F(CPUID_1_EDX, 13)
#define X86_FEATURE_MCA		F(CPUID_1_EDX, 14)
#define X86_FEATURE_PAT		F(CPUID_1_EDX, 16)
#define X86_FEATURE_FXSR	F(CPUID_1_EDX, 24)
#define X86_FEATURE_SSE		F(CPUID_1_EDX, 25)
#define X86_FEATURE_SSE2	F(CPUID_1_EDX, 26)
#define X86_FEATURE_FSGSBASE	F(CPUID_7_EBX, 0)
#define X86_FEATURE_SMEP	F(CPUID_7_EBX, 7)
#define X86_FEATURE_SMAP	F(CPUID_7_EBX, 20)
#define X86_FEATURE_UMIP	F(CPUID_7_ECX, 2)
#define X86_FEATURE_NX		F(CPUID_8001_EDX, 20)
#define X86_FEATURE_GBPAGES	F(CPUID_8001_EDX, 26)
#define X86_FEATURE_RDTSCP	F(CPUID_8001_EDX, 27)
#define X86_FEATURE_LM		F(CPUID_8001_EDX, 29)

struct cpuinfo_x86 {
	u32 capability[NCAPWORDS];
	u32 max_leaf, max_ext_leaf;
	u8 family, model, stepping;
	char vendor[13];
	char model_name[49];
};

extern struct cpuinfo_x86 boot_cpu_data;

static inline bool boot_cpu_has(unsigned int f)
{
	return (boot_cpu_data.capability[f / 32] >> (f % 32)) & 1;
}

/* Fill boot_cpu_data from CPUID. */
void cpu_detect(void);

#endif
