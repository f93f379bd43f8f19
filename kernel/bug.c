/* The BUG/WARN table lookup and report (Linux's lib/bug.c). */
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <kernel/kallsyms.h>
#include <asm/traps.h>
#include <asm/percpu.h>

extern struct bug_entry __start___bug_table[], __stop___bug_table[];

unsigned long warn_count;

static unsigned long bug_addr(const struct bug_entry *b)
{
	return (unsigned long)&b->bug_addr + b->bug_addr;
}

static const char *bug_file(const struct bug_entry *b)
{
	return (const char *)((unsigned long)&b->file + b->file);
}

const struct bug_entry *find_bug(unsigned long addr)
{
	for (struct bug_entry *b = __start___bug_table; b < __stop___bug_table; b++)
		if (bug_addr(b) == addr)
			return b;
	return NULL;
}

enum bug_trap_type report_bug(unsigned long addr, struct pt_regs *regs)
{
	struct bug_entry *b = (struct bug_entry *)find_bug(addr);

	if (!b)
		return BUG_TRAP_TYPE_NONE;
	if (b->flags & BUGFLAG_WARNING) {
		if (b->flags & BUGFLAG_DONE)
			return BUG_TRAP_TYPE_WARN;
		if (b->flags & BUGFLAG_ONCE)
			b->flags |= BUGFLAG_DONE;
		warn_count++;
		printk(KERN_WARNING "------------[ cut here ]------------\n");
		printk(KERN_WARNING "WARNING: CPU: %d at %s:%u %pS\n", smp_processor_id(),
		       bug_file(b), b->line, (void *)addr);
		show_regs(regs);
		printk(KERN_WARNING "---[ end trace ]---\n");
		return BUG_TRAP_TYPE_WARN;
	}
	printk(KERN_EMERG "------------[ cut here ]------------\n");
	printk(KERN_EMERG "kernel BUG at %s:%u!\n", bug_file(b), b->line);
	return BUG_TRAP_TYPE_BUG;
}
