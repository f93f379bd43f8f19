/*
 * Per-CPU GDT and 64-bit TSS (Intel SDM vol. 3A, 3.4.5 and 8.7).
 * The GDT holds flat kernel and user segments in the order SYSRET needs
 * (asm/segment.h) and the TSS descriptor; the TSS gives RSP0 for entries
 * from ring 3 and the Interrupt Stack Table.
 */
#include <asm/processor.h>
#include <asm/desc.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <kernel/string.h>
#include <kernel/bug.h>

#define SEG_64_CODE(dpl)	(0x00af9a000000ffffull | ((u64)(dpl) << 45))
#define SEG_32_CODE(dpl)	(0x00cf9a000000ffffull | ((u64)(dpl) << 45))
#define SEG_DATA(dpl)		(0x00cf92000000ffffull | ((u64)(dpl) << 45))
#define SEG_TYPE_TSS_AVAIL	0x9ull

DEFINE_PER_CPU(u64, gdt_page[GDT_ENTRIES]) __aligned(16);
DEFINE_PER_CPU(struct tss_struct, cpu_tss) __aligned(16);
DEFINE_PER_CPU(struct stack_info, cpu_task_stack);
DEFINE_PER_CPU(struct stack_info, cpu_ist_stacks[N_EXCEPTION_STACKS]);
DEFINE_PER_CPU(struct stack_info, cpu_irq_stack);

/*
 * The boot CPU's IST stacks until paging_init() makes guarded ones
 * (ist_stacks_alloc_cpu()); an exception during early boot still lands
 * on a good stack.
 */
static char early_ist_stacks[N_EXCEPTION_STACKS][EXCEPTION_STKSZ] __aligned(16);
extern char boot_stack[], boot_stack_top[];

static void set_tss_desc(u64 *gdt, const struct tss_struct *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	gdt[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (SEG_TYPE_TSS_AVAIL << 40) |
		 (1ull << 47) | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[1] = base >> 32;
}

void gdt_init_cpu(void)
{
	u64 *gdt = this_cpu_ptr(&gdt_page[0]);
	struct tss_struct *tss = this_cpu_ptr(&cpu_tss);
	struct stack_info *ist = this_cpu_ptr(&cpu_ist_stacks[0]);
	struct stack_info *task = this_cpu_ptr(&cpu_task_stack);
	struct desc_ptr gdtr = { GDT_ENTRIES * 8 - 1, (u64)gdt };

	memset(gdt, 0, GDT_ENTRIES * 8);
	gdt[GDT_ENTRY_KERNEL_CS] = SEG_64_CODE(0);
	gdt[GDT_ENTRY_KERNEL_DS] = SEG_DATA(0);
	gdt[GDT_ENTRY_USER32_CS] = SEG_32_CODE(3);
	gdt[GDT_ENTRY_USER_DS] = SEG_DATA(3);
	gdt[GDT_ENTRY_USER_CS] = SEG_64_CODE(3);

	memset(tss, 0, sizeof(*tss));
	tss->io_bitmap_base = sizeof(*tss);	/* no I/O permission bitmap */
	if (smp_processor_id() == 0 && !task->end) {
		task->type = STACK_TYPE_TASK;
		task->begin = (unsigned long)boot_stack;
		task->end = (unsigned long)boot_stack_top;
		for (int i = 0; i < N_EXCEPTION_STACKS; i++) {
			ist[i].type = STACK_TYPE_EXCEPTION + i;
			ist[i].begin = (unsigned long)early_ist_stacks[i];
			ist[i].end = ist[i].begin + EXCEPTION_STKSZ;
		}
	}
	tss->sp0 = task->end;
	for (int i = 0; i < N_EXCEPTION_STACKS; i++)
		tss->ist[i] = ist[i].end;
	set_tss_desc(&gdt[GDT_ENTRY_TSS], tss);

	load_gdt(&gdtr);
	/* reload CS with a far return; DS, ES, SS with the kernel data segment */
	__asm__ __volatile__("pushq %0\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "movl %1, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     :: "i"(__KERNEL_CS), "i"(__KERNEL_DS) : "rax", "memory");
	load_tr(__TSS_SEL);
}

const char *stack_type_name(enum stack_type type)
{
	static const char *const ist_names[N_EXCEPTION_STACKS] = {
		[IST_INDEX_DF - 1] = "#DF", [IST_INDEX_NMI - 1] = "NMI",
		[IST_INDEX_DB - 1] = "#DB", [IST_INDEX_MCE - 1] = "#MC",
	};

	if (type == STACK_TYPE_TASK)
		return "TASK";
	if (type == STACK_TYPE_IRQ)
		return "IRQ";
	if (type >= STACK_TYPE_EXCEPTION && type <= STACK_TYPE_EXCEPTION_LAST)
		return ist_names[type - STACK_TYPE_EXCEPTION];
	return "UNKNOWN";
}

bool get_stack_info(unsigned long addr, struct stack_info *info)
{
	const struct stack_info *task = this_cpu_ptr(&cpu_task_stack);
	const struct stack_info *ist = this_cpu_ptr(&cpu_ist_stacks[0]);
	const struct stack_info *irq = this_cpu_ptr(&cpu_irq_stack);

	if (addr >= task->begin && addr < task->end) {
		*info = *task;
		return true;
	}
	if (addr >= irq->begin && addr < irq->end) {
		*info = *irq;
		return true;
	}
	for (int i = 0; i < N_EXCEPTION_STACKS; i++) {
		if (addr >= ist[i].begin && addr < ist[i].end) {
			*info = ist[i];
			return true;
		}
	}
	info->type = STACK_TYPE_UNKNOWN;
	return false;
}
