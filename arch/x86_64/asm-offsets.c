/*
 * Offsets and constants that NASM code needs, taken from the C definitions
 * so they are never typed twice. The Makefile compiles this file to
 * assembly and turns each "->NAME value" marker into a %define in
 * build/include/generated/asm-offsets.inc.
 */
#include <kernel/types.h>
#include <asm/ptrace.h>
#include <asm/percpu.h>
#include <asm/trapnr.h>
#include <asm/segment.h>
#include <asm/page.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <kernel/setjmp.h>
#include <kernel/sched.h>
#include <asm/smp.h>
#include <asm/apic.h>

#define DEFINE(sym, val) __asm__ __volatile__("\n.ascii \"->" #sym " %0\"" :: "i"((long)(val)))
#define OFFSET(sym, str, mem) DEFINE(sym, offsetof(struct str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(PT_REGS_R15, pt_regs, r15);
	OFFSET(PT_REGS_RBX, pt_regs, rbx);
	OFFSET(PT_REGS_RBP, pt_regs, rbp);
	OFFSET(PT_REGS_RDI, pt_regs, rdi);
	OFFSET(PT_REGS_ORIG_RAX, pt_regs, orig_rax);
	OFFSET(PT_REGS_RIP, pt_regs, rip);
	OFFSET(PT_REGS_CS, pt_regs, cs);
	OFFSET(PT_REGS_RFLAGS, pt_regs, rflags);
	OFFSET(TASK_SP, task_struct, sp);
	OFFSET(PT_REGS_RSP, pt_regs, rsp);
	DEFINE(PT_REGS_SIZE, sizeof(struct pt_regs));

	OFFSET(JMP_BUF_RBX, jmp_buf_regs, rbx);
	OFFSET(JMP_BUF_RBP, jmp_buf_regs, rbp);
	OFFSET(JMP_BUF_R12, jmp_buf_regs, r12);
	OFFSET(JMP_BUF_R13, jmp_buf_regs, r13);
	OFFSET(JMP_BUF_R14, jmp_buf_regs, r14);
	OFFSET(JMP_BUF_R15, jmp_buf_regs, r15);
	OFFSET(JMP_BUF_RSP, jmp_buf_regs, rsp);
	OFFSET(JMP_BUF_RIP, jmp_buf_regs, rip);
	OFFSET(JMP_BUF_RFLAGS, jmp_buf_regs, rflags);

	DEFINE(ERROR_CODE_VECTOR_MASK, ERROR_CODE_VECTOR_MASK);
	DEFINE(IST_VECTOR_MASK, IST_VECTOR_MASK);
	DEFINE(NR_VECTORS, NR_VECTORS);
	DEFINE(NR_EXCEPTION_VECTORS, NR_EXCEPTION_VECTORS);

	DEFINE(__KERNEL_CS, __KERNEL_CS);
	DEFINE(__KERNEL_DS, __KERNEL_DS);
	DEFINE(KERNEL_VMA, KERNEL_VMA);
	DEFINE(KERNEL_PHYS_BASE, KERNEL_PHYS_BASE);
	DEFINE(PAGE_OFFSET, PAGE_OFFSET);
	DEFINE(MSR_GS_BASE, MSR_GS_BASE);
	DEFINE(APIC_EOI, APIC_EOI);
	DEFINE(X2APIC_MSR_EOI, X2APIC_MSR_BASE + (APIC_EOI >> 4));
	DEFINE(MSR_EFER, MSR_EFER);
	DEFINE(EFER_LME, EFER_LME);
	DEFINE(EFER_NXE, EFER_NXE);
	DEFINE(X86_CR0_PG, X86_CR0_PG);
	DEFINE(X86_CR0_WP, X86_CR0_WP);
	DEFINE(X86_CR0_PE, X86_CR0_PE);
	DEFINE(X86_CR4_PAE, X86_CR4_PAE);
	DEFINE(TRAMPOLINE_BASE, TRAMPOLINE_BASE);
	DEFINE(X86_CR4_PGE, X86_CR4_PGE);
}
