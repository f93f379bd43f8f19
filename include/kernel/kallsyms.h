/*
 * The kernel's own symbol table, embedded in the image (.ksyms, built by
 * tools/gen_ksyms.py between the two links): addresses to names for
 * backtraces and %pS.
 */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H

#include <kernel/types.h>

#define KSYM_NAME_LEN	128

/*
 * Find the symbol containing addr. Returns its name and sets *offset and
 * *size (either may be NULL), or returns NULL if addr is in no symbol.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);
/* The address of the symbol called name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);
/* "name+0xoff/0xsize", or "0x<addr>" if unknown. Returns the length. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);
/* As sprint_symbol for a return address: looked up at addr - 1 (a call may end its function). */
int sprint_backtrace(char *buf, size_t size, unsigned long addr);
/* "name", or "0x<addr>" if unknown. */
int sprint_symbol_name(char *buf, size_t size, unsigned long addr);
/* Number of entries in the table. */
unsigned long kallsyms_count(void);
/*
 * Call fn(data, name, addr) for every symbol, in address order (Linux's
 * kallsyms_on_each_symbol()). A nonzero return from fn ends the walk and
 * is returned; otherwise 0.
 */
int kallsyms_on_each_symbol(int (*fn)(void *data, const char *name, unsigned long addr),
			    void *data);

#endif
