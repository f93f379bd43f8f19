/*
 * CPU identification (CPUID, Intel SDM vol. 2A) and the control-register
 * features every CPU enables: write protection in ring 0, native x87
 * error reporting (#MF), SSE with unmasked-exception reporting (#XM) so
 * that code that saves the FPU state may use it, global pages, and the
 * PAT (mm/pat.c).
 */
#include <asm/cpufeature.h>
#include <asm/special_insns.h>
#include <asm/processor-flags.h>
#include <asm/processor.h>
#include <asm/pgtable.h>
#include <kernel/string.h>

struct cpuinfo_x86 boot_cpu_data;

void cpu_detect(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 a, b, cx, d;

	cpuid(0, &a, &b, &cx, &d);
	c->max_leaf = a;
	memcpy(c->vendor + 0, &b, 4);
	memcpy(c->vendor + 4, &d, 4);
	memcpy(c->vendor + 8, &cx, 4);
	c->vendor[12] = '\0';
	if (c->max_leaf >= 1) {
		cpuid(1, &a, &b, &cx, &d);
		c->capability[CPUID_1_ECX] = cx;
		c->capability[CPUID_1_EDX] = d;
		c->family = (a >> 8) & 0xf;
		c->model = (a >> 4) & 0xf;
		if (c->family == 0xf)
			c->family += (a >> 20) & 0xff;
		if (c->family >= 6)
			c->model |= ((a >> 16) & 0xf) << 4;
		c->stepping = a & 0xf;
	}
	if (c->max_leaf >= 7) {
		cpuid_count(7, 0, &a, &b, &cx, &d);
		c->capability[CPUID_7_EBX] = b;
		c->capability[CPUID_7_ECX] = cx;
	}
	cpuid(0x80000000, &a, &b, &cx, &d);
	c->max_ext_leaf = a;
	if (c->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &cx, &d);
		c->capability[CPUID_8001_ECX] = cx;
		c->capability[CPUID_8001_EDX] = d;
	}
	if (c->max_ext_leaf >= 0x80000004) {
		u32 *p = (u32 *)c->model_name;
		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 4)
			cpuid(leaf, &p[0], &p[1], &p[2], &p[3]);
		c->model_name[48] = '\0';
	}
}

void cpu_init_features(void)
{
	/*
	 * CR4 is built from PAE (long mode needs it) up, not from what the
	 * firmware left: OVMF leaves DE on in the boot CPU, which the other
	 * CPUs, started from INIT, would not have.
	 */
	unsigned long cr0 = read_cr0(), cr4 = read_cr4() & X86_CR4_PAE;

	cr0 |= X86_CR0_WP | X86_CR0_NE | X86_CR0_MP;
	cr0 &= ~(X86_CR0_EM | X86_CR0_TS);
	write_cr0(cr0);
	if (boot_cpu_has(X86_FEATURE_FXSR))
		cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (boot_cpu_has(X86_FEATURE_PGE))
		cr4 |= X86_CR4_PGE;
	if (boot_cpu_has(X86_FEATURE_MCE))
		cr4 |= X86_CR4_MCE;
	write_cr4(cr4);
	pat_init_cpu();
	/* a clean x87 state: all exceptions masked */
	__asm__ __volatile__("fninit");
}
