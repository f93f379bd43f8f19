/*
 * BUG() and WARN(), as in Linux: both execute ud2 and record the place in
 * __bug_table (file, line, flags). The #UD handler finds the entry:
 * a BUG oopses ("kernel BUG at file:line!"), a WARN prints the warning
 * with registers and a backtrace, then resumes after the ud2.
 */
#ifndef KERNEL_BUG_H
#define KERNEL_BUG_H

#include <kernel/compiler.h>
#include <kernel/types.h>
#include <kernel/printk.h>

#define BUGFLAG_WARNING		(1 << 0)
#define BUGFLAG_ONCE		(1 << 1)
#define BUGFLAG_DONE		(1 << 2)	/* a WARN_ONCE that has fired */

struct bug_entry {
	int bug_addr;		/* ud2, relative to this field */
	int file;		/* file name, relative to this field */
	u16 line;
	u16 flags;
};

/*
 * The "memory" clobber: the ud2 runs the #UD handler, which reads and
 * writes memory (warn_count, the entry's flags, the log) as a function
 * call would. Without it the compiler may keep values in registers across
 * the trap, so that code after a WARN reads stale memory and the handler
 * sees stores not yet made. It only constrains code on the branch that
 * warns, never the path taken when the condition is false.
 */
#define __BUG_FLAGS(flags)							\
	__asm__ __volatile__("1:\tud2\n"					\
			     ".pushsection __bug_table, \"aw\"\n"		\
			     "2:\t.long 1b - 2b\n"				\
			     "\t.long %c0 - 2b - 4\n"				\
			     "\t.word %c1, %c2\n"				\
			     "\t.org 2b + %c3\n"				\
			     ".popsection"					\
			     :: "i"(__FILE__), "i"(__LINE__), "i"(flags),	\
				"i"(sizeof(struct bug_entry)) : "memory")

#define BUG()			do { __BUG_FLAGS(0); __builtin_unreachable(); } while (0)
#define BUG_ON(cond)		do { if (unlikely(cond)) BUG(); } while (0)

#define __WARN_FLAGS(flags)	__BUG_FLAGS(BUGFLAG_WARNING | (flags))

#define WARN_ON(cond) ({							\
	bool __c = !!(cond);							\
	if (unlikely(__c))							\
		__WARN_FLAGS(0);						\
	unlikely(__c);								\
})

#define WARN_ON_ONCE(cond) ({							\
	bool __c = !!(cond);							\
	if (unlikely(__c))							\
		__WARN_FLAGS(BUGFLAG_ONCE);					\
	unlikely(__c);								\
})

#define WARN(cond, fmt, ...) ({							\
	bool __c = !!(cond);							\
	if (unlikely(__c)) {							\
		printk(KERN_WARNING fmt, ##__VA_ARGS__);			\
		__WARN_FLAGS(0);						\
	}									\
	unlikely(__c);								\
})

#define WARN_ONCE(cond, fmt, ...) ({						\
	static bool __warned;							\
	bool __c = !!(cond);							\
	if (unlikely(__c) && !__warned) {					\
		__warned = true;						\
		printk(KERN_WARNING fmt, ##__VA_ARGS__);			\
		__WARN_FLAGS(BUGFLAG_ONCE);					\
	}									\
	unlikely(__c);								\
})

struct pt_regs;

enum bug_trap_type { BUG_TRAP_TYPE_NONE, BUG_TRAP_TYPE_WARN, BUG_TRAP_TYPE_BUG };

/* Called by the #UD handler: report the BUG/WARN at regs->rip, if any. */
enum bug_trap_type report_bug(unsigned long addr, struct pt_regs *regs);
const struct bug_entry *find_bug(unsigned long addr);
/* Number of WARNs reported since boot. */
extern unsigned long warn_count;

void panic(const char *fmt, ...) __printf(1, 2) __noreturn __cold;

#endif
