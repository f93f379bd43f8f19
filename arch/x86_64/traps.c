/*
 * Exception handlers for vectors 0-31 (Intel SDM vol. 3A, 6.15) and the
 * C side of the entry path. Each handler first offers the event to the
 * die chain, then handles what it can; a kernel-mode fault goes to its
 * exception-table fixup if the faulting instruction registered one, and
 * otherwise oopses with the vector's name and decoded error code.
 * There is no ring 3 yet, so no signals: the signal numbers in the table
 * are the ones do_trap() will send once user tasks exist.
 */
#include <asm/traps.h>
#include <asm/extable.h>
#include <asm/special_insns.h>
#include <asm/processor.h>
#include <asm/irqflags.h>
#include <asm/msr.h>
#include <asm/io.h>
#include <asm/cpufeature.h>
#include <asm/pgtable.h>
#include <asm/hw_irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/bug.h>
#include <kernel/preempt.h>
#include <kernel/errno.h>
#include <kernel/kernel.h>
#include <kernel/signal.h>


#define DR6_BS		(1ul << 14)	/* single step */
#define DR6_RESERVED	0xffff0ff0ul

/* #PF error code bits (SDM vol. 3A, 4.7) */
#define PF_PROT		(1ul << 0)	/* 0: not present, 1: protection */
#define PF_WRITE	(1ul << 1)
#define PF_USER		(1ul << 2)
#define PF_RSVD		(1ul << 3)
#define PF_INSTR	(1ul << 4)

typedef void (*exc_handler_t)(struct pt_regs *regs, unsigned long error_code, int trapnr);

struct exc_info {
	const char *name;
	const char *mnemonic;
	int signr;
	exc_handler_t handler;
};

static const struct exc_info exc_table[NR_EXCEPTION_VECTORS];

DEFINE_PER_CPU(unsigned long, nmi_count);

const char *trap_name(unsigned int vector)
{
	return vector < NR_EXCEPTION_VECTORS ? exc_table[vector].name : NULL;
}

const char *trap_mnemonic(unsigned int vector)
{
	return vector < NR_EXCEPTION_VECTORS ? exc_table[vector].mnemonic : NULL;
}

static void cond_local_irq_enable(struct pt_regs *regs)
{
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_enable();
}

static void cond_local_irq_disable(struct pt_regs *regs)
{
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_disable();
}

/*
 * The common end of most handlers (the seeds' do_trap): a fault with a
 * fixup resumes there; anything else is an oops. Ring 3 does not exist
 * yet, so a user-mode fault is as fatal as a kernel one.
 */
static void do_trap(int trapnr, struct pt_regs *regs, unsigned long error_code,
		    unsigned long fault_addr)
{
	if (!user_mode(regs) && fixup_exception(regs, trapnr, error_code, fault_addr))
		return;
	die(exc_table[trapnr].name, regs, error_code, trapnr);
}

/* The handler of every vector that needs nothing special. */
static void do_error_trap(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	if (notify_die(DIE_TRAP, exc_table[trapnr].name, regs, error_code, trapnr,
		       exc_table[trapnr].signr) == NOTIFY_STOP)
		return;
	cond_local_irq_enable(regs);
	do_trap(trapnr, regs, error_code, 0);
	cond_local_irq_disable(regs);
}

/* Selector error code (#GP, #NP, #SS, #TS): SDM vol. 3A, 6.13. */
int selector_error_describe(unsigned long ec, char *buf, size_t size)
{
	static const char *const tables[] = { "GDT", "IDT", "LDT", "IDT" };

	if (!ec)
		return scnprintf(buf, size, "no selector");
	return scnprintf(buf, size, "%s index %lu (selector 0x%04lx)%s", tables[(ec >> 1) & 3],
			 (ec >> 3) & 0x1fff, ec & 0xfff8, (ec & 1) ? ", external event" : "");
}

static void print_selector_error(const char *what, unsigned long ec)
{
	char buf[80];

	if (!ec)
		return;
	selector_error_describe(ec, buf, sizeof(buf));
	pr_alert("%s: error code 0x%04lx: %s\n", what, ec, buf);
}

/* #PF error code (SDM vol. 3A, 4.7), worded as Linux's page-fault oops. */
int pf_error_describe(unsigned long ec, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s %s, %s%s", (ec & PF_USER) ? "user" : "supervisor",
			 (ec & PF_INSTR) ? "instruction fetch" : (ec & PF_WRITE) ? "write access" :
			 "read access",
			 !(ec & PF_PROT) ? "not-present page" :
			 (ec & PF_RSVD) ? "reserved bit violation" : "permissions violation",
			 (ec & PF_INSTR) && (ec & PF_PROT) ? " (NX)" : "");
}

static void do_general_protection(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	if (notify_die(DIE_GPF, "general protection fault", regs, error_code, X86_TRAP_GP,
		       SIGSEGV) == NOTIFY_STOP)
		return;
	cond_local_irq_enable(regs);
	if (!user_mode(regs) && fixup_exception(regs, X86_TRAP_GP, error_code, 0))
		goto out;
	print_selector_error("general protection fault", error_code);
	die("general protection fault", regs, error_code, X86_TRAP_GP);
out:
	cond_local_irq_disable(regs);
}

static void do_invalid_op(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	if (!user_mode(regs)) {
		switch (report_bug(regs->rip, regs)) {
		case BUG_TRAP_TYPE_WARN:
			regs->rip += 2;		/* past the ud2 */
			return;
		case BUG_TRAP_TYPE_BUG:
			die("invalid opcode", regs, error_code, X86_TRAP_UD);
			return;
		case BUG_TRAP_TYPE_NONE:
			break;
		}
	}
	do_error_trap(regs, error_code, trapnr);
}

static void do_coprocessor_error(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	u16 fsw;

	__asm__ __volatile__("fnstsw %0" : "=a"(fsw));
	if (!user_mode(regs) && !search_exception_tables(regs->rip))
		pr_alert("x87 error: FSW 0x%04x\n", fsw);
	do_error_trap(regs, fsw, X86_TRAP_MF);
}

static void do_simd_coprocessor_error(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	u32 mxcsr;

	__asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
	if (!user_mode(regs) && !search_exception_tables(regs->rip))
		pr_alert("SIMD error: MXCSR 0x%08x\n", mxcsr);
	do_error_trap(regs, mxcsr, X86_TRAP_XF);
}

static void do_debug(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	unsigned long dr6 = read_dr6();

	write_dr6(DR6_RESERVED);	/* DR6 is sticky: clear it for the next #DB */
	if (notify_die(DIE_DEBUG, "debug", regs, dr6, X86_TRAP_DB, SIGTRAP) == NOTIFY_STOP)
		return;
	if (user_mode(regs)) {
		do_trap(X86_TRAP_DB, regs, dr6, 0);
		return;
	}
	/* A single step in the kernel ends here: do not trap again on return. */
	if (dr6 & DR6_BS)
		regs->rflags &= ~X86_EFLAGS_TF;
	if (fixup_exception(regs, X86_TRAP_DB, dr6, 0))
		return;
	/* As Linux: a stray kernel #DB (e.g. a leftover TF) is reported and ignored. */
	pr_warn("debug: unexpected #DB in the kernel at %pS, DR6 0x%lx; ignored\n",
		(void *)regs->rip, dr6);
}

static void do_int3(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	if (notify_die(DIE_INT3, "int3", regs, error_code, X86_TRAP_BP, SIGTRAP) == NOTIFY_STOP)
		return;
	do_trap(X86_TRAP_BP, regs, 0, 0);
}

/* NMI handlers, tried in order until one claims the NMI. */
static struct nmiaction *nmi_actions;

int register_nmi_handler(unsigned int type, struct nmiaction *action)
{
	unsigned long flags;

	if (type != NMI_LOCAL || !action->handler)
		return -EINVAL;
	local_irq_save(flags);
	action->next = nmi_actions;
	WRITE_ONCE(nmi_actions, action);
	local_irq_restore(flags);
	return 0;
}

void unregister_nmi_handler(unsigned int type, struct nmiaction *action)
{
	unsigned long flags;

	local_irq_save(flags);
	for (struct nmiaction **p = &nmi_actions; *p; p = &(*p)->next) {
		if (*p == action) {
			WRITE_ONCE(*p, action->next);
			break;
		}
	}
	local_irq_restore(flags);
}

static void do_nmi(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	int handled = 0;

	preempt_count_add(NMI_OFFSET + HARDIRQ_OFFSET);
	this_cpu_inc(nmi_count);
	for (struct nmiaction *a = READ_ONCE(nmi_actions); a; a = a->next)
		handled += a->handler(NMI_LOCAL, regs);
	if (!handled && notify_die(DIE_NMI, "nmi", regs, 0, X86_TRAP_NMI, 0) != NOTIFY_STOP) {
		/* system control port B: bit 7 memory parity/SERR, bit 6 I/O check */
		u8 reason = inb(0x61);

		pr_emerg("Uhhuh. NMI received for unknown reason %02x on CPU %d.\n", reason,
			 smp_processor_id());
		pr_emerg("Dazed and confused, but trying to continue\n");
	}
	preempt_count_sub(NMI_OFFSET + HARDIRQ_OFFSET);
}

static void do_double_fault(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	const struct stack_info *task = this_cpu_ptr(&cpu_task_stack);
	unsigned long cr2 = read_cr2();

	notify_die(DIE_TRAP, "double fault", regs, error_code, X86_TRAP_DF, SIGSEGV);
	if (!user_mode(regs) && fixup_exception(regs, X86_TRAP_DF, error_code, cr2))
		return;
	/*
	 * A kernel stack overflow: the push that hit the guard page raised #PF,
	 * and delivering that #PF on the same stack faulted again.
	 */
	if (cr2 >= task->begin - PAGE_SIZE && cr2 < task->begin) {
		pr_emerg("BUG: %s stack guard page was hit at %016lx (stack is %016lx..%016lx)\n",
			 stack_type_name(task->type), cr2, task->begin, task->end - 1);
		die("kernel stack overflow (double-fault)", regs, error_code, X86_TRAP_DF);
		return;
	}
	die("double fault", regs, error_code, X86_TRAP_DF);
}

static void do_machine_check(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	int logged = 0;
	u64 cap, status;

	notify_die(DIE_TRAP, "machine check", regs, error_code, X86_TRAP_MC, SIGBUS);
	if (boot_cpu_has(X86_FEATURE_MCA) && rdmsr_safe(0x179, &cap) == 0) {	/* MCG_CAP */
		for (unsigned int b = 0; b < (cap & 0xff); b++) {
			if (rdmsr_safe(0x401 + 4 * b, &status) || !(status >> 63))	/* MCi_STATUS.VAL */
				continue;
			pr_emerg("machine check: bank %u status %016llx\n", b, (unsigned long long)status);
			logged++;
		}
	}
	if (!user_mode(regs) && fixup_exception(regs, X86_TRAP_MC, error_code, 0))
		return;
	if (!logged)
		pr_emerg("machine check: no bank holds an error (raised by software?)\n");
	die("machine check", regs, error_code, X86_TRAP_MC);
}

static void page_fault_oops(struct pt_regs *regs, unsigned long ec, unsigned long address)
{
	char what[96];

	pf_error_describe(ec, what, sizeof(what));
	pr_alert("BUG: unable to handle page fault for address: %016lx\n", address);
	pr_alert("#PF: error_code(0x%04lx) - %s, in %s mode\n", ec, what,
		 user_mode(regs) ? "user" : "kernel");
	if ((ec & PF_INSTR) && (ec & PF_PROT))
		pr_crit("kernel tried to execute NX-protected page - exploit attempt?\n");
	dump_pagetable(address);
	die("Oops", regs, ec, X86_TRAP_PF);
}

static void do_page_fault(struct pt_regs *regs, unsigned long error_code, int trapnr)
{
	unsigned long address = read_cr2();	/* before anything can fault again */

	if (notify_die(DIE_PAGE_FAULT, "page fault", regs, error_code, X86_TRAP_PF, SIGSEGV) ==
	    NOTIFY_STOP)
		return;
	cond_local_irq_enable(regs);
	/* No demand paging and no user space: a fault is fixed up or is a bug. */
	if (!user_mode(regs) && fixup_exception(regs, X86_TRAP_PF, error_code, address))
		goto out;
	page_fault_oops(regs, error_code, address);
out:
	cond_local_irq_disable(regs);
}

static const struct exc_info exc_table[NR_EXCEPTION_VECTORS] = {
	[X86_TRAP_DE] = { "divide error", "#DE", SIGFPE, do_error_trap },
	[X86_TRAP_DB] = { "debug", "#DB", SIGTRAP, do_debug },
	[X86_TRAP_NMI] = { "NMI", "NMI", 0, do_nmi },
	[X86_TRAP_BP] = { "int3", "#BP", SIGTRAP, do_int3 },
	[X86_TRAP_OF] = { "overflow", "#OF", SIGSEGV, do_error_trap },
	[X86_TRAP_BR] = { "bounds", "#BR", SIGSEGV, do_error_trap },
	[X86_TRAP_UD] = { "invalid opcode", "#UD", SIGILL, do_invalid_op },
	[X86_TRAP_NM] = { "device not available", "#NM", SIGFPE, do_error_trap },
	[X86_TRAP_DF] = { "double fault", "#DF", SIGSEGV, do_double_fault },
	[X86_TRAP_OLD_MF] = { "coprocessor segment overrun", "#CSO", SIGFPE,
			      do_error_trap },
	[X86_TRAP_TS] = { "invalid TSS", "#TS", SIGSEGV, do_error_trap },
	[X86_TRAP_NP] = { "segment not present", "#NP", SIGBUS, do_error_trap },
	[X86_TRAP_SS] = { "stack segment", "#SS", SIGBUS, do_error_trap },
	[X86_TRAP_GP] = { "general protection fault", "#GP", SIGSEGV, do_general_protection },
	[X86_TRAP_PF] = { "page fault", "#PF", SIGSEGV, do_page_fault },
	[X86_TRAP_SPURIOUS] = { "spurious interrupt bug", "#SPURIOUS", 0,
				do_error_trap },
	[X86_TRAP_MF] = { "coprocessor error", "#MF", SIGFPE, do_coprocessor_error },
	[X86_TRAP_AC] = { "alignment check", "#AC", SIGBUS, do_error_trap },
	[X86_TRAP_MC] = { "machine check", "#MC", SIGBUS, do_machine_check },
	[X86_TRAP_XF] = { "SIMD coprocessor error", "#XM", SIGFPE, do_simd_coprocessor_error },
	[X86_TRAP_VE] = { "virtualization exception", "#VE", SIGSEGV, do_error_trap },
	[X86_TRAP_CP] = { "control protection fault", "#CP", SIGSEGV, do_error_trap },
	[22] = { "reserved exception 22", "#R22", 0, do_error_trap },
	[23] = { "reserved exception 23", "#R23", 0, do_error_trap },
	[24] = { "reserved exception 24", "#R24", 0, do_error_trap },
	[25] = { "reserved exception 25", "#R25", 0, do_error_trap },
	[26] = { "reserved exception 26", "#R26", 0, do_error_trap },
	[27] = { "reserved exception 27", "#R27", 0, do_error_trap },
	[X86_TRAP_HV] = { "hypervisor injection", "#HV", 0, do_error_trap },
	[X86_TRAP_VC] = { "VMM communication", "#VC", 0, do_error_trap },
	[X86_TRAP_SX] = { "security exception", "#SX", 0, do_error_trap },
	[31] = { "reserved exception 31", "#R31", 0, do_error_trap },
};

/* The int $0x80 gate. System calls arrive with ring 3 (issue 8); until then every number is unknown. */
static void do_int80_syscall(struct pt_regs *regs)
{
	regs->rax = (unsigned long)-ENOSYS;
}

void x86_entry_dispatch(struct pt_regs *regs, unsigned long vector)
{
	if (vector < NR_EXCEPTION_VECTORS) {
		unsigned long ec = ((unsigned long)ERROR_CODE_VECTOR_MASK >> vector) & 1 ? regs->orig_rax : 0;
		exc_table[vector].handler(regs, ec, (int)vector);
	} else if (vector == IA32_SYSCALL_VECTOR) {
		do_int80_syscall(regs);
	} else {
		x86_handle_interrupt(regs, (unsigned int)vector);
		/* back to kernel code that had interrupts on and preemption allowed: switch if a reschedule is due */
		if (!user_mode(regs) && (regs->rflags & X86_EFLAGS_IF) && !preempt_count() && need_resched())
			preempt_schedule_irq();
	}
}
