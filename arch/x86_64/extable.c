/* The exception table: lookup, fixup, and the fault-tolerant reads built on it. */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <asm/percpu.h>
#include <asm/processor-flags.h>
#include <asm/page.h>
#include <kernel/errno.h>

extern struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static DEFINE_PER_CPU(struct fixup_record, fixup_record);

static unsigned long ex_insn(const struct exception_table_entry *e)
{
	return (unsigned long)&e->insn + e->insn;
}

static unsigned long ex_fixup(const struct exception_table_entry *e)
{
	return (unsigned long)&e->fixup + e->fixup;
}

/* Insertion sort: the table is small and sorted once, before it becomes read-only. */
void sort_extable(void)
{
	struct exception_table_entry *t = __start___ex_table;
	long n = __stop___ex_table - __start___ex_table;

	for (long i = 1; i < n; i++) {
		unsigned long insn = ex_insn(&t[i]), fix = ex_fixup(&t[i]);
		int type = t[i].type;
		long j = i - 1;

		for (; j >= 0 && ex_insn(&t[j]) > insn; j--) {
			unsigned long ji = ex_insn(&t[j]), jf = ex_fixup(&t[j]);
			t[j + 1].insn = (int)(ji - (unsigned long)&t[j + 1].insn);
			t[j + 1].fixup = (int)(jf - (unsigned long)&t[j + 1].fixup);
			t[j + 1].type = t[j].type;
		}
		t[j + 1].insn = (int)(insn - (unsigned long)&t[j + 1].insn);
		t[j + 1].fixup = (int)(fix - (unsigned long)&t[j + 1].fixup);
		t[j + 1].type = type;
	}
}

const struct exception_table_entry *search_exception_tables(unsigned long addr)
{
	const struct exception_table_entry *lo = __start___ex_table, *hi = __stop___ex_table;

	while (lo < hi) {
		const struct exception_table_entry *mid = lo + (hi - lo) / 2;
		unsigned long a = ex_insn(mid);

		if (a == addr)
			return mid;
		if (a < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct fixup_record *this_cpu_fixup_record(void)
{
	return this_cpu_ptr(&fixup_record);
}

bool fixup_exception(struct pt_regs *regs, int trapnr, unsigned long error_code,
		     unsigned long fault_addr)
{
	const struct exception_table_entry *e = search_exception_tables(regs->rip);
	struct fixup_record *r;

	if (!e)
		return false;
	r = this_cpu_ptr(&fixup_record);
	r->count++;
	r->trapnr = trapnr;
	r->error_code = error_code;
	r->rip = regs->rip;
	r->cr2 = fault_addr;
	r->regs = (unsigned long)regs;
	r->fixup = ex_fixup(e);
	regs->rip = r->fixup;
	return true;
}

static int get_kernel_byte(const u8 *p, u8 *val)
{
	int err = 0;
	u8 v = 0;

	__asm__ __volatile__("1:	movb (%[p]), %[v]\n"
			     "2:\n"
			     " .pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[efault], %[err]\n"
			     "	jmp 2b\n"
			     " .popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : [err] "+r"(err), [v] "+q"(v)
			     : [p] "r"(p), [efault] "i"(-EFAULT));
	*val = v;
	return err;
}

long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	const u8 *s = src;
	u8 *d = dst;

	for (size_t i = 0; i < size; i++) {
		if (!is_canonical((unsigned long)(s + i)) || get_kernel_byte(s + i, d + i))
			return -EFAULT;
	}
	return 0;
}
