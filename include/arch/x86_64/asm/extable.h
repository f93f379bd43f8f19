/*
 * Exception fixups, as Linux's exception table: an instruction that is
 * allowed to fault registers itself with a resume address. When it
 * faults in ring 0, the trap handler finds the entry and continues at the
 * fixup instead of oopsing. Entries are 32-bit offsets relative to the
 * entry, so the table is position independent and small.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#include <kernel/compiler.h>
#include <kernel/types.h>

#define EX_TYPE_DEFAULT		0	/* resume at the fixup */

#ifndef __ASSEMBLER__
struct exception_table_entry {
	int insn;		/* faulting instruction, relative to &insn */
	int fixup;		/* resume address, relative to &fixup */
	int type;
};

/* For inline asm: register the faulting instruction `from`, resume at `to`. */
#define _ASM_EXTABLE_TYPE(from, to, type)				\
	" .pushsection __ex_table, \"a\"\n"				\
	" .balign 4\n"							\
	" .long (" #from ") - .\n"					\
	" .long (" #to ") - .\n"					\
	" .long " __stringify(type) "\n"				\
	" .popsection\n"
#define _ASM_EXTABLE(from, to)	_ASM_EXTABLE_TYPE(from, to, EX_TYPE_DEFAULT)

struct pt_regs;

/*
 * What the last fixup on this CPU handled: tests read it to check the
 * vector, error code and RIP of an exception they raised on purpose.
 */
struct fixup_record {
	unsigned long count;		/* fixups so far on this CPU */
	int trapnr;
	unsigned long error_code;
	unsigned long rip;		/* where the exception hit */
	unsigned long cr2;		/* page faults only */
	unsigned long regs;		/* where the pt_regs frame was: the stack used */
	unsigned long fixup;		/* where execution resumed */
};

const struct exception_table_entry *search_exception_tables(unsigned long addr);
/* If regs->rip has a fixup, record the event, resume there and return true. */
bool fixup_exception(struct pt_regs *regs, int trapnr, unsigned long error_code,
		     unsigned long fault_addr);
/* Sort the table by address (once, at boot) for the binary search. */
void sort_extable(void);
/* The last fixup on this CPU. */
struct fixup_record *this_cpu_fixup_record(void);

/*
 * Read size bytes of kernel memory that may be unmapped (a bad RIP, a
 * pointer in an oops). Returns 0, or -EFAULT if any byte faulted.
 */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);
#endif

#endif
