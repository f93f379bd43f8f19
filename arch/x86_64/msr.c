/* MSR accesses that survive an absent MSR: the #GP is fixed up to -EIO. */
#include <asm/msr.h>
#include <asm/extable.h>
#include <kernel/errno.h>

int rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;
	int err = 0;

	__asm__ __volatile__("1:	rdmsr\n"
			     "2:\n"
			     " .pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[eio], %[err]\n"
			     "	jmp 2b\n"
			     " .popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [err] "+r"(err), "+a"(lo), "+d"(hi)
			     : "c"(msr), [eio] "i"(-EIO));
	*val = ((u64)hi << 32) | lo;
	return err;
}

int wrmsr_safe(u32 msr, u64 val)
{
	int err = 0;

	__asm__ __volatile__("1:	wrmsr\n"
			     "2:\n"
			     " .pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[eio], %[err]\n"
			     "	jmp 2b\n"
			     " .popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [err] "+r"(err)
			     : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32)), [eio] "i"(-EIO)
			     : "memory");
	return err;
}
