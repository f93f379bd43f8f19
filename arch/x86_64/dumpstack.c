/*
 * Oops reports: registers, control registers, the code bytes around RIP,
 * and a backtrace symbolized from the embedded symbol table. The
 * backtrace follows the frame-pointer chain across stacks (task, IST)
 * and across exception frames, which entry.asm links into the chain.
 */
#include <asm/traps.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/extable.h>
#include <asm/irqflags.h>
#include <asm/segment.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/bug.h>
#include <kernel/kallsyms.h>
#include <kernel/kernel.h>
#include <kernel/signal.h>

struct notifier_head die_chain;
static int die_counter;

int register_die_notifier(struct notifier_block *nb)
{
	return notifier_chain_register(&die_chain, nb);
}

int unregister_die_notifier(struct notifier_block *nb)
{
	return notifier_chain_unregister(&die_chain, nb);
}

int notify_die(enum die_val val, const char *str, struct pt_regs *regs, long err,
	       int trapnr, int signr)
{
	struct die_args args = { regs, str, err, trapnr, signr };

	return notifier_call_chain(&die_chain, val, &args);
}

/* "Code: " line: 42 bytes before RIP and 22 from it, the RIP byte in <>. */
static void show_code(unsigned long rip)
{
	enum { BEFORE = 42, AFTER = 22 };
	u8 code[BEFORE + AFTER];
	char line[3 * (BEFORE + AFTER) + 16];
	int n = 0;

	if (copy_from_kernel_nofault(code, (void *)(rip - BEFORE), sizeof(code))) {
		if (copy_from_kernel_nofault(code + BEFORE, (void *)rip, AFTER)) {
			printk(KERN_EMERG "Code: Unable to access opcode bytes at 0x%lx.\n", rip);
			return;
		}
		for (int i = BEFORE; i < BEFORE + AFTER; i++)
			n += scnprintf(line + n, sizeof(line) - n, i == BEFORE ? "<%02x> " : "%02x ", code[i]);
	} else {
		for (int i = 0; i < BEFORE + AFTER; i++)
			n += scnprintf(line + n, sizeof(line) - n, i == BEFORE ? "<%02x> " : "%02x ", code[i]);
	}
	printk(KERN_EMERG "Code: %s\n", line);
}

static bool in_entry_text(unsigned long addr)
{
	extern char __entry_text_start[], __entry_text_end[];

	return addr >= (unsigned long)__entry_text_start && addr < (unsigned long)__entry_text_end;
}

/* A return address prints with %pB (a call may be the last instruction of its function). */
static void print_frame(unsigned long addr, unsigned long repeats, bool exact)
{
	if (repeats > 1)
		printk(KERN_EMERG " %pB (%lu frames like this)\n", (void *)addr, repeats);
	else if (exact)
		printk(KERN_EMERG " %pS\n", (void *)addr);
	else
		printk(KERN_EMERG " %pB\n", (void *)addr);
}

/*
 * Walk the frame-pointer chain from rbp. Each record is {saved rbp,
 * return address}; records lie at rising addresses on one stack, and the
 * walk may move to another of this CPU's stacks (an IST stack's chain
 * continues on the task stack), which is marked "<TASK>" etc. The record
 * after a return into entry.asm is the one the entry code built from the
 * exception frame: it holds the interrupted RIP itself. Runs of the same
 * return address (deep recursion) print once with a count.
 */
/* ret, when not 0, is a caller's return address to print before the chain (see prologue_return()). */
static void __show_trace(unsigned long rip, unsigned long ret, unsigned long rbp)
{
	struct stack_info cur, next_info;
	unsigned long frame = rbp, last = 0, repeats = 0;
	bool exact = false;

	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " %pS\n", (void *)rip);
	if (ret)
		print_frame(ret, 1, false);
	if (!get_stack_info(frame, &cur))
		return;
	for (int depth = 0; depth < 1024; depth++) {
		unsigned long rec[2];

		if (frame & 7 || frame + 16 > cur.end ||
		    copy_from_kernel_nofault(rec, (void *)frame, sizeof(rec)) || !rec[1])
			break;
		if (exact || rec[1] != last) {
			if (repeats)
				print_frame(last, repeats, false);
			repeats = 0;
		}
		if (exact) {
			print_frame(rec[1], 1, true);
			last = 0;
		} else {
			last = rec[1];
			repeats++;
		}
		exact = in_entry_text(rec[1]);
		if (exact) {
			print_frame(last, repeats, false);
			repeats = 0;
			printk(KERN_EMERG " --- exception frame (pt_regs at %016lx) ---\n", rec[0] + 16);
		}
		/* the next record: higher on this stack, or on another stack of ours */
		if (!rec[0] || !get_stack_info(rec[0], &next_info))
			break;
		if (next_info.begin == cur.begin) {
			if (rec[0] <= frame)
				break;
		} else {
			if (repeats)
				print_frame(last, repeats, false);
			repeats = 0;
			last = 0;
			/* an exception record's RIP belongs to the stack it came from */
			printk(KERN_EMERG " <%s>\n", stack_type_name(next_info.type));
			cur = next_info;
		}
		frame = rec[0];
	}
	if (repeats)
		print_frame(last, repeats, false);
}

void show_trace(unsigned long rip, unsigned long rbp)
{
	__show_trace(rip, 0, rbp);
}

/*
 * Interrupted at a function's "push %rbp" or at the "mov %rsp, %rbp"
 * after it, the function has not linked its frame yet: the chain from
 * RBP starts at its caller's caller, and the caller would be missing
 * from the trace. Its return address is on the stack, at RSP or RSP + 8:
 * return it, or 0 when RIP is anywhere else. (QEMU's TCG seldom stops a
 * CPU there; Bochs, which takes interrupts between any two instructions,
 * often does.)
 */
static unsigned long prologue_return(const struct pt_regs *regs)
{
	unsigned long offset, ret;
	u8 code[4];

	if (!kallsyms_lookup(regs->rip, NULL, &offset) || offset > 1 ||
	    copy_from_kernel_nofault(code, (void *)(regs->rip - offset), sizeof(code)))
		return 0;
	if (code[0] != 0x55 || (offset == 1 && (code[1] != 0x48 || code[2] != 0x89 || code[3] != 0xe5)))
		return 0;
	if (copy_from_kernel_nofault(&ret, (void *)(regs->rsp + 8 * offset), sizeof(ret)))
		return 0;
	return ret;
}

void dump_stack(void)
{
	unsigned long rbp, rip;

	__asm__ __volatile__("mov %%rbp, %0; lea 0(%%rip), %1" : "=r"(rbp), "=r"(rip));
	printk(KERN_EMERG "CPU: %d\n", smp_processor_id());
	show_trace(rip, rbp);
}

void show_regs(struct pt_regs *regs)
{
	struct stack_info info;
	unsigned long fs = 0, gs = 0;

	get_stack_info(regs->rsp, &info);
	printk(KERN_EMERG "CPU: %d\n", smp_processor_id());
	printk(KERN_EMERG "RIP: %04lx:%pS\n", regs->cs & 0xffff, (void *)regs->rip);
	show_code(regs->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx (stack: %s)\n", regs->ss & 0xffff,
	       regs->rsp, regs->rflags, stack_type_name(info.type));
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->rax, regs->rbx, regs->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->rdx, regs->rsi, regs->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", regs->rbp, regs->r8, regs->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11, regs->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14, regs->r15);
	__asm__ __volatile__("mov %%fs, %0; mov %%gs, %1" : "=r"(fs), "=r"(gs));
	printk(KERN_EMERG "FS: %04lx GS: %04lx ORIG_RAX: %016lx\n", fs, gs, regs->orig_rax);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
	if (!user_mode(regs))
		__show_trace(regs->rip, prologue_return(regs), regs->rbp);
}

void die(const char *str, struct pt_regs *regs, long err, int trapnr)
{
	unsigned long flags;

	local_irq_save(flags);
	oops_in_progress++;
	printk(KERN_EMERG "%s: %04lx [#%d] CPU: %d", str, err & 0xffff, ++die_counter,
	       smp_processor_id());
	if (trapnr >= 0 && trap_mnemonic(trapnr))
		pr_cont(" %s (vector %d)", trap_mnemonic(trapnr), trapnr);
	pr_cont("\n");
	show_regs(regs);
	printk(KERN_EMERG "---[ end trace %04x ]---\n", die_counter);
	oops_in_progress--;
	/* the test harness may take over an oops it expected */
	if (notify_die(DIE_OOPS, str, regs, err, trapnr, 0) == NOTIFY_STOP) {
		local_irq_restore(flags);
		return;
	}
	/* an oops on the way out of an exception stack, or in a double fault, cannot be survived */
	if (trapnr == X86_TRAP_DF || trapnr == X86_TRAP_MC || trapnr == X86_TRAP_NMI)
		panic("Fatal exception");
	/* the task ends in the state the faulting code was in: interrupts on if they were */
	if (regs->rflags & X86_EFLAGS_IF)
		local_irq_enable();
	make_task_dead(SIGSEGV);
}
