/* Control registers and other privileged instructions. */
#ifndef ASM_SPECIAL_INSNS_H
#define ASM_SPECIAL_INSNS_H

#include <kernel/types.h>

#define DEFINE_CR(n)								\
	static inline unsigned long read_cr##n(void)				\
	{									\
		unsigned long v;						\
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v) :: "memory"); \
		return v;							\
	}									\
	static inline void write_cr##n(unsigned long v)				\
	{									\
		__asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory");	\
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline unsigned long read_dr6(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%dr6, %0" : "=r"(v));
	return v;
}

static inline void write_dr6(unsigned long v) { __asm__ __volatile__("mov %0, %%dr6" :: "r"(v)); }

static inline void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

/* Flush the whole TLB except global pages, by reloading CR3. */
static inline void flush_tlb_local(void) { write_cr3(read_cr3()); }

static inline unsigned long read_rsp(void)
{
	unsigned long sp;
	__asm__ __volatile__("mov %%rsp, %0" : "=r"(sp));
	return sp;
}

static inline unsigned long read_rbp(void)
{
	unsigned long bp;
	__asm__ __volatile__("mov %%rbp, %0" : "=r"(bp));
	return bp;
}

static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }

#endif
