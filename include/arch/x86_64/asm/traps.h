/* Exception handling: die(), notify_die() and the NMI handler registry. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <kernel/types.h>
#include <kernel/notifier.h>
#include <asm/ptrace.h>
#include <asm/trapnr.h>
#include <asm/percpu.h>

/* Events on the die chain (Linux's enum die_val). */
enum die_val {
	DIE_OOPS = 1,		/* an oops is about to become fatal */
	DIE_TRAP,		/* an exception is about to be handled */
	DIE_NMI,
	DIE_INT3,
	DIE_DEBUG,
	DIE_GPF,
	DIE_PAGE_FAULT,
};

struct die_args {
	struct pt_regs *regs;
	const char *str;
	long err;
	int trapnr;
	int signr;
};

extern struct notifier_head die_chain;
int register_die_notifier(struct notifier_block *nb);
int unregister_die_notifier(struct notifier_block *nb);
int notify_die(enum die_val val, const char *str, struct pt_regs *regs, long err,
	       int trapnr, int signr);

/*
 * Report an oops for regs and stop: unless a die notifier takes over
 * (the test harness catching an expected crash), this panics.
 */
void die(const char *str, struct pt_regs *regs, long err, int trapnr);

/* The name of an exception vector ("page fault"), or NULL. */
const char *trap_name(unsigned int vector);
/* Its mnemonic ("#PF"), or NULL. */
const char *trap_mnemonic(unsigned int vector);

/* Decode error codes into words: "GDT index 8 (selector 0x0040)", "supervisor write access, ...". */
int selector_error_describe(unsigned long ec, char *buf, size_t size);
int pf_error_describe(unsigned long ec, char *buf, size_t size);

/* Print registers, code bytes and a backtrace, as an oops does. */
void show_regs(struct pt_regs *regs);
/* Print a backtrace starting at rip with frame pointer rbp. */
void show_trace(unsigned long rip, unsigned long rbp);
void dump_stack(void);

/* NMI handlers (Linux's register_nmi_handler for NMI_LOCAL). */
#define NMI_DONE	0
#define NMI_HANDLED	1
typedef int (*nmi_handler_t)(unsigned int type, struct pt_regs *regs);
struct nmiaction {
	nmi_handler_t handler;
	const char *name;
	struct nmiaction *next;
};
#define NMI_LOCAL	0
int register_nmi_handler(unsigned int type, struct nmiaction *action);
void unregister_nmi_handler(unsigned int type, struct nmiaction *action);

/* NMIs handled on this CPU. */
DECLARE_PER_CPU(unsigned long, nmi_count);

/* Entry from entry.asm. */
void x86_entry_dispatch(struct pt_regs *regs, unsigned long vector);

#endif
