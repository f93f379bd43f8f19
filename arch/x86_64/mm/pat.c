/*
 * The page attribute table (Intel SDM vol. 3A, 12.12 "Page Attribute
 * Table"): every CPU loads the same table, Linux's, whose entry 1 is
 * write-combining, so that a framebuffer can be mapped WC by PWT alone.
 */
#include <asm/pgtable.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>

void pat_init_cpu(void)
{
	/*
	 * Only entries that no mapping uses yet change (1, 5 and 7: PWT
	 * alone, or the PTE's PAT bit, which the kernel never sets), so the
	 * SDM's cache and TLB flush around a PAT change is not needed here.
	 */
	if (boot_cpu_has(X86_FEATURE_PAT))
		wrmsr(MSR_IA32_CR_PAT, PAT_LINUX);
}

u64 pgprot_writecombine(void)
{
	/* without a PAT, PWT alone would mean write-through: uncached instead, as Linux does */
	return boot_cpu_has(X86_FEATURE_PAT) ? PAGE_KERNEL | _PAGE_PWT : PAGE_KERNEL_NOCACHE;
}
