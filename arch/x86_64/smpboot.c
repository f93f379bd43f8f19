/*
 * Bringing up the secondary CPUs (Intel SDM vol. 3A, 9.4; the MP start-up
 * algorithm of 9.4.4 with the delays of the "INIT-SIPI-SIPI" sequence).
 *
 * setup_arch() decides which CPUs are possible (the MADT's enabled or
 * online-capable processors, nosmp, maxcpus=N) and gives each a per-CPU
 * area, so per-CPU structures exist for all of them from early boot.
 * smp_init(), in pid 1, starts them one at a time: an idle task, an IRQ
 * stack, the trampoline below 1 MiB, INIT, 10 ms, STARTUP, 200 us,
 * STARTUP; the new CPU switches to long mode and ends up in
 * start_secondary(), which sets up its GDT, TSS, IST stacks, IDT, local
 * APIC and timer, marks itself online and idles. A CPU that does not
 * come online within a second is put back to sleep with INIT and its
 * CPU number goes to the next candidate.
 */
#define pr_fmt(fmt) "smp: " fmt
#include <asm/smp.h>
#include <asm/apic.h>
#include <asm/acpi.h>
#include <asm/processor.h>
#include <asm/hw_irq.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <kernel/smp.h>
#include <kernel/trace_events.h>
#include <kernel/sched.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/mm.h>
#include <kernel/bug.h>
#include <kernel/errno.h>
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/bootinfo.h>

unsigned int nr_cpu_ids = 1;
unsigned int nr_online_cpus = 1;
struct cpumask __cpu_online_mask = { { 1 } };	/* the boot CPU */
u32 x86_cpu_to_apicid[NR_CPUS];

/* Candidates beyond the possible ones, tried in turn if one fails to start. */
static u32 candidate_apicid[NR_CPUS];
static unsigned int nr_candidates;

static bool nosmp;
static unsigned long maxcpus = NR_CPUS;
/* When the command line left CPUs out: how many the MADT has, and why ("nosmp") */
static int limit_total;
static char limit_why[24];

static int nosmp_setup(const char *val)
{
	nosmp = true;
	return 0;
}
early_param("nosmp", nosmp_setup);

static int maxcpus_setup(const char *val)
{
	if (!val || kstrtoul(val, 0, &maxcpus))
		return -EINVAL;
	return 0;
}
early_param("maxcpus", maxcpus_setup);

/* Read by secondary_startup_64 (lib/trampoline.asm) on the CPU being started. */
u64 smpboot_cr3, smpboot_stack, smpboot_gs_base;

extern char trampoline_start[], trampoline_end[], trampoline_params[];
extern char secondary_startup_64[];

static u32 boot_cpu_apicid(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return b >> 24;		/* the initial APIC ID */
}

void smp_prepare_cpus(void)
{
	unsigned int limit = nosmp ? 1 : (unsigned int)min(maxcpus ? maxcpus : 1, (unsigned long)NR_CPUS);
	u32 bsp = boot_cpu_apicid();

	x86_cpu_to_apicid[0] = bsp;
	nr_cpu_ids = 1;
	nr_candidates = 0;
	if (!acpi_madt_found || !boot_cpu_has(X86_FEATURE_APIC))
		return;
	for (int i = 0; i < acpi_madt.nr_cpus; i++) {
		const struct madt_cpu *c = &acpi_madt.cpus[i];

		if (c->apic_id == bsp || !(c->enabled || c->online_capable))
			continue;
		if (nr_cpu_ids < limit)
			x86_cpu_to_apicid[nr_cpu_ids++] = c->apic_id;
		else if (nr_candidates < NR_CPUS)
			candidate_apicid[nr_candidates++] = c->apic_id;
	}
	if (nosmp || maxcpus < (unsigned long)acpi_madt.nr_cpus) {
		limit_total = acpi_madt.nr_cpus;
		if (nosmp)
			snprintf(limit_why, sizeof(limit_why), "nosmp");
		else
			snprintf(limit_why, sizeof(limit_why), "maxcpus=%lu", maxcpus);
		pr_info("%u of %d CPUs possible (%s)\n", nr_cpu_ids, limit_total, limit_why);
		/* the ones left out are not candidates to replace a failed CPU */
		nr_candidates = 0;
	}
	nr_cpu_ids = setup_per_cpu_areas(nr_cpu_ids);
}

/*
 * The trampoline's page tables: the low 2 MiB 1:1 (the trampoline runs
 * there when paging comes on) and the kernel's higher half shared with
 * the kernel's own tables. All below 4 GiB: 32-bit code loads CR3.
 */
static int build_trampoline_tables(u32 *cr3)
{
	phys_addr_t pml4 = frame_alloc(), pdpt = frame_alloc(), pd = frame_alloc();
	u64 *kernel = phys_to_virt(read_cr3() & PAGE_MASK);
	u64 *t4, *t3, *t2;

	if (!pml4 || !pdpt || !pd || pml4 >> 32 || pdpt >> 32 || pd >> 32)
		return -ENOMEM;
	t4 = phys_to_virt(pml4);
	t3 = phys_to_virt(pdpt);
	t2 = phys_to_virt(pd);
	memset(t4, 0, PAGE_SIZE);
	memset(t3, 0, PAGE_SIZE);
	memset(t2, 0, PAGE_SIZE);
	t2[0] = 0 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	t3[0] = pd | _PAGE_PRESENT | _PAGE_RW;
	t4[0] = pdpt | _PAGE_PRESENT | _PAGE_RW;
	for (int i = 256; i < 512; i++)
		t4[i] = kernel[i];
	*cr3 = (u32)pml4;
	return 0;
}

/*
 * Whether the firmware's memory map calls [start, end) usable RAM. The
 * first MiB is never handed out by the frame allocator, but the firmware
 * may keep data of its own there (a BIOS's EBDA, a UEFI's reserved
 * pages), which a trampoline copied over would destroy.
 */
static bool memmap_usable(phys_addr_t start, phys_addr_t end)
{
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];

		if (m->type == MEMMAP_USABLE && m->base <= start && end <= m->base + m->len)
			return true;
	}
	return false;
}

static int setup_trampoline(void)
{
	size_t size = trampoline_end - trampoline_start;
	struct trampoline_params *p;
	u32 cr3;

	if (!memmap_usable(TRAMPOLINE_BASE, TRAMPOLINE_BASE + size)) {
		pr_err("the trampoline's page at %#lx is not usable RAM in the memory map\n",
		       TRAMPOLINE_BASE);
		return -EBUSY;
	}
	if (build_trampoline_tables(&cr3))
		return -ENOMEM;
	memcpy(phys_to_virt(TRAMPOLINE_BASE), trampoline_start, size);
	p = phys_to_virt(TRAMPOLINE_BASE + (trampoline_params - trampoline_start));
	p->cr3 = cr3;
	p->efer = EFER_LME | (u32)(rdmsr(MSR_EFER) & EFER_NXE);
	p->entry = (u64)secondary_startup_64;
	smpboot_cr3 = read_cr3();
	return 0;
}

static void send_init(u32 apicid)
{
	apic->send_icr(APIC_DM_INIT | APIC_ICR_LEVELTRIG | APIC_ICR_ASSERT, apicid);
	udelay(10000);
	/* the de-assert is ignored by modern CPUs and needed by the 82489DX; harmless either way */
	apic->send_icr(APIC_DM_INIT | APIC_ICR_LEVELTRIG, apicid);
}

static bool wait_online(int cpu, unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;

	while (!cpu_online(cpu)) {
		if (ktime_get_ns() > end)
			return false;
		udelay(100);
	}
	return true;
}

/* Start the CPU with this APIC ID as CPU number cpu. */
static int do_boot_cpu(int cpu, u32 apicid)
{
	struct task_struct *idle = idle_task(cpu);

	if (!idle) {
		idle = sched_create_idle(cpu);
		if (!idle)
			return -ENOMEM;
	}
	if (!per_cpu(cpu_irq_stack, cpu).end && irq_init_percpu_irqstack(cpu))
		return -ENOMEM;
	x86_cpu_to_apicid[cpu] = apicid;
	per_cpu(cpu_task_stack, cpu) = (struct stack_info){ STACK_TYPE_TASK,
		(unsigned long)idle->stack, (unsigned long)idle->stack + THREAD_SIZE };
	smpboot_stack = (unsigned long)idle->stack + THREAD_SIZE;
	smpboot_gs_base = __per_cpu_offset[cpu];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	send_init(apicid);
	for (int i = 0; i < 2 && !cpu_online(cpu); i++) {
		apic->send_icr(APIC_DM_STARTUP | (TRAMPOLINE_BASE >> 12), apicid);
		udelay(200);
	}
	if (wait_online(cpu, 1000))
		return 0;
	/* back to wait-for-SIPI, so it cannot wake up later as a CPU we gave away */
	apic->send_icr(APIC_DM_INIT | APIC_ICR_LEVELTRIG | APIC_ICR_ASSERT, apicid);
	return -EIO;
}

void set_cpu_online(int cpu)
{
	WARN_ON(cpu != (int)nr_online_cpus);
	__atomic_or_fetch(&__cpu_online_mask.bits[cpu / 64], 1ull << (cpu % 64), __ATOMIC_RELEASE);
	__atomic_store_n(&nr_online_cpus, cpu + 1, __ATOMIC_RELEASE);
}

/* The first C code a secondary CPU runs, on its idle task's stack. */
void __noreturn __no_stack_protector start_secondary(void)
{
	int cpu = smp_processor_id();

	cpu_init_features();
	gdt_init_cpu();
	idt_load();
	if (ist_stacks_alloc_cpu())
		panic("CPU%d: no memory for the IST stacks", cpu);
	lapic_setup_cpu();
	lapic_setup_lint(false);
	sched_start_secondary();
	if (lapic_timer_setup_cpu())
		pr_err("CPU%d: no LAPIC timer: no tick here\n", cpu);
	pr_info("CPU%d (APIC ID %u) is up\n", cpu, lapic_read_id());
	set_cpu_online(cpu);
	/*
	 * A kernel mapping removed before we were online was not shot down
	 * here: drop whatever the TLB took in meanwhile (see tlb.c).
	 */
	__flush_tlb_all();
	local_irq_enable();
	cpu_idle_loop();
}

static void reschedule_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	this_cpu_inc(irq_stat.resched_irqs);
	/* nothing else: need_resched is set, and the way out of this interrupt acts on it */
}

void smp_send_reschedule(int cpu)
{
	if (cpu != smp_processor_id() && cpu_online(cpu)) {
		trace_ipi_send_cpu((unsigned int)cpu, RESCHEDULE_VECTOR);
		apic_send_ipi(x86_cpu_to_apicid[cpu], RESCHEDULE_VECTOR);
	}
}

/* One line for the log: "brought up 2 of 4 CPUs (maxcpus=2); failed: APIC ID 3". */
static void report_bring_up(const char *failed_ids)
{
	char line[160];
	int n = snprintf(line, sizeof(line), "brought up %u", num_online_cpus());

	if (limit_total)
		n += snprintf(line + n, sizeof(line) - n, " of %d CPUs (%s)", limit_total, limit_why);
	else
		n += snprintf(line + n, sizeof(line) - n, " CPU%s", num_online_cpus() > 1 ? "s" : "");
	if (failed_ids)
		snprintf(line + n, sizeof(line) - n, "; failed: APIC ID%s", failed_ids);
	pr_info("%s\n", line);
}

void smp_init(void)
{
	unsigned int next_candidate = 0, failed = 0;
	char failed_ids[96] = "";
	size_t n = 0;

	if (nr_cpu_ids == 1) {
		report_bring_up(NULL);
		return;
	}
	if (!lapic_is_enabled() || setup_trampoline() || lapic_timer_calibrate()) {
		pr_err("cannot start the other CPUs (no local APIC, no trampoline page, or no memory)\n");
		nr_cpu_ids = 1;
		return;
	}
	sysvec_register(RESCHEDULE_VECTOR, reschedule_interrupt, "Rescheduling interrupts");
	smp_ipi_init();
	nmi_backtrace_init();
	for (int cpu = 1; cpu < (int)nr_cpu_ids; cpu++) {
		u32 apicid = x86_cpu_to_apicid[cpu];

		while (do_boot_cpu(cpu, apicid)) {
			failed++;
			n += scnprintf(failed_ids + n, sizeof(failed_ids) - n, " %u", apicid);
			pr_err("CPU with APIC ID %u did not come up\n", apicid);
			if (next_candidate >= nr_candidates)
				break;
			apicid = candidate_apicid[next_candidate++];
		}
		if (!cpu_online(cpu))
			break;
	}
	nr_cpu_ids = num_online_cpus();
	report_bring_up(failed ? failed_ids : NULL);
}
