/*
 * Real device interrupts from QEMU's edu devices (tools/qemu.sh adds two,
 * on one INTx line): INTx level-triggered through the IOAPIC (fasteoi) or
 * the 8259A (level flow), MSI edge-triggered straight to the LAPIC, two
 * devices sharing a line, level and edge behaviour across disable/enable,
 * and the nobody-cared path disabling a stuck line, polling it, and
 * enabling it again after the back-off.
 */
#include <kernel/ktest.h>
#include "spin_wait.h"
#include <kernel/edu.h>
#include <kernel/irqdesc.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/errno.h>
#include <asm/irq.h>
#include <asm/io_apic.h>
#include <asm/hw_irq.h>
#include <asm/special_insns.h>

static struct edu_dev *edu0, *edu1;

static int edu_suite_init(struct ktest *t)
{
	edu0 = edu_get(0);
	edu1 = edu_get(1);
	if (!edu0)
		ktest_skip(t, "no edu device (tools/qemu.sh adds them unless EDU=0)");
	for (int i = 0; i < edu_count(); i++) {
		struct edu_dev *e = edu_get(i);
		e->irqs_handled = e->irqs_none = 0;
		e->ack = true;
		e->on_irq = NULL;
	}
	return 0;
}

static void edu_suite_exit(struct ktest *t)
{
	for (int i = 0; i < edu_count(); i++) {
		edu_free_irq(edu_get(i));
		edu_ack(edu_get(i), edu_status(edu_get(i)));
	}
}

static void pause_ms(unsigned int ms)
{
	u64 end = ktime_get_ns() + ms * NSEC_PER_MSEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

static void intx_is_level(struct ktest *t)
{
	struct irq_desc *desc;
	unsigned int before;

	ASSERT_EQ(t, edu_request_irq(edu0, false), 0);
	EXPECT_FALSE(t, edu0->msi);
	desc = irq_to_desc(edu0->irq);
	ASSERT_NOT_NULL(t, desc);
	EXPECT_TRUE(t, irqd_is_level_type(&desc->irq_data));
	if (irq_mode == IRQ_MODE_APIC) {
		struct ioapic_line_info info;

		EXPECT_STREQ(t, desc->irq_data.chip->name, "IO-APIC");
		EXPECT_STREQ(t, desc->name, "fasteoi");
		ASSERT_TRUE(t, ioapic_line_info(edu0->irq, &info));
		EXPECT_TRUE(t, info.level);
		EXPECT_FALSE(t, info.masked);
		EXPECT_EQ(t, info.gsi, edu0->pdev->interrupt_line);	/* no override moves 10/11 */
		ktest_info(t, "IRQ %d: GSI %u, vector %#x, %s", edu0->irq, info.gsi, info.vector,
			   info.active_low ? "active low" : "active high (MADT override)");
	} else {
		EXPECT_STREQ(t, desc->irq_data.chip->name, "XT-PIC");
		EXPECT_EQ(t, edu0->irq, edu0->pdev->interrupt_line);
	}
	/* counted on the CPU the line goes to (spread by default: see test_irq_affinity.c) */
	before = kstat_irqs_cpu(edu0->irq, irq_effective_cpu(edu0->irq));
	edu_raise(edu0, 0x4);
	EXPECT_TRUE(t, wait_for(&edu0->irqs_handled, 1, 1000));
	EXPECT_EQ(t, edu_status(edu0), 0);		/* the handler acknowledged it */
	EXPECT_EQ(t, kstat_irqs_cpu(edu0->irq, irq_effective_cpu(edu0->irq)), before + 1);
	pause_ms(20);
	EXPECT_EQ(t, edu0->irqs_handled, 1);		/* once: the line went low */
}

static void msi_is_edge(struct ktest *t)
{
	struct irq_desc *desc;
	u16 cmd;

	ASSERT_EQ(t, edu_request_irq(edu0, true), 0);
	ASSERT_TRUE(t, edu0->msi);
	desc = irq_to_desc(edu0->irq);
	EXPECT_STREQ(t, desc->irq_data.chip->name, "PCI-MSI");
	EXPECT_STREQ(t, desc->name, "edge");
	EXPECT_GE(t, edu0->irq, NR_IRQS_LEGACY);
	pci_read_config_word(edu0->pdev, PCI_COMMAND, &cmd);
	EXPECT_TRUE(t, cmd & PCI_COMMAND_INTX_DISABLE);	/* MSI replaces the pin */
	for (unsigned long i = 1; i <= 3; i++) {
		edu_raise(edu0, 0x1);
		EXPECT_TRUE(t, wait_for(&edu0->irqs_handled, i, 1000));
	}
	EXPECT_EQ(t, edu0->irqs_handled, 3);		/* one message per raise */
	EXPECT_EQ(t, irq_set_affinity(edu0->irq, &(struct cpumask){ { 1 } }), 0);	/* CPU 0 */
	EXPECT_EQ(t, irq_effective_cpu(edu0->irq), 0);
	edu_free_irq(edu0);
	pci_read_config_word(edu0->pdev, PCI_COMMAND, &cmd);
	EXPECT_FALSE(t, cmd & PCI_COMMAND_INTX_DISABLE);
}

static void shared_line(struct ktest *t)
{
	struct irq_desc *desc;
	unsigned long unhandled;

	if (!edu1)
		ktest_skip(t, "one edu device only: nothing to share with");
	ASSERT_EQ(t, edu_request_irq(edu0, false), 0);
	ASSERT_EQ(t, edu_request_irq(edu1, false), 0);
	ASSERT_EQ(t, edu0->irq, edu1->irq);
	desc = irq_to_desc(edu0->irq);
	unhandled = desc->unhandled_total;
	/*
	 * edu0 raises: its handler takes it, edu1's says it was not its device.
	 * edu1's handler runs last, maybe on another CPU: wait for it.
	 */
	edu_raise(edu0, 0x1);
	EXPECT_TRUE(t, wait_for(&edu1->irqs_none, 1, 1000));
	EXPECT_EQ(t, edu0->irqs_handled, 1);
	EXPECT_EQ(t, edu1->irqs_handled, 0);
	EXPECT_EQ(t, edu1->irqs_none, 1);
	/* and the other way round */
	edu_raise(edu1, 0x1);
	EXPECT_TRUE(t, wait_for(&edu1->irqs_handled, 1, 1000));
	EXPECT_EQ(t, edu0->irqs_handled, 1);
	EXPECT_EQ(t, edu0->irqs_none, 1);
	/* both at once: one interrupt, both handled */
	edu_raise(edu0, 0x1);
	edu_raise(edu1, 0x1);
	EXPECT_TRUE(t, wait_for(&edu1->irqs_handled, 2, 1000));
	EXPECT_TRUE(t, wait_for(&edu0->irqs_handled, 2, 1000));
	/* someone always claimed it: nothing counted as unhandled */
	EXPECT_EQ(t, desc->unhandled_total, unhandled);
	EXPECT_EQ(t, edu_status(edu0) | edu_status(edu1), 0);
}

/* A level line disabled while the device asserts: nothing until enable, then it fires by itself. */
static void level_held_while_disabled(struct ktest *t)
{
	unsigned int resends = this_cpu_read(irq_stat.resend_irqs);

	ASSERT_EQ(t, edu_request_irq(edu0, false), 0);
	disable_irq(edu0->irq);
	edu_raise(edu0, 0x2);
	pause_ms(20);
	EXPECT_EQ(t, edu0->irqs_handled, 0);
	EXPECT_EQ(t, edu_status(edu0), 0x2);		/* still asserting */
	enable_irq(edu0->irq);
	EXPECT_TRUE(t, wait_for(&edu0->irqs_handled, 1, 1000));
	EXPECT_EQ(t, edu_status(edu0), 0);
	EXPECT_EQ(t, this_cpu_read(irq_stat.resend_irqs), resends);	/* no software resend for level */
}

/* An MSI that came while disabled is replayed on enable, exactly once. */
static void msi_replayed_on_enable(struct ktest *t)
{
	struct irq_desc *desc;

	ASSERT_EQ(t, edu_request_irq(edu0, true), 0);
	desc = irq_to_desc(edu0->irq);
	disable_irq(edu0->irq);
	edu_raise(edu0, 0x1);
	pause_ms(20);
	EXPECT_EQ(t, edu0->irqs_handled, 0);
	EXPECT_TRUE(t, desc->istate & IRQS_PENDING);
	enable_irq(edu0->irq);
	EXPECT_TRUE(t, wait_for(&edu0->irqs_handled, 1, 1000));
	pause_ms(20);
	EXPECT_EQ(t, edu0->irqs_handled, 1);
	EXPECT_FALSE(t, desc->istate & (IRQS_PENDING | IRQS_REPLAY));
}

/*
 * The nobody-cared path: a handler that never claims a level interrupt
 * while the device keeps asserting. After 100,000 interrupts with more
 * than 99,900 unhandled the line is disabled and reported; the tick then
 * polls its handler; once the "device" recovers (the handler starts
 * acknowledging), the line is enabled again after the back-off.
 */
static struct {
	struct edu_dev *edu;
	volatile bool recovered;
	volatile unsigned long calls, polled, handled;
} storm;

static irqreturn_t storm_handler(int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	u32 status = edu_status(storm.edu);

	storm.calls++;
	if (desc->istate & IRQS_POLL_INPROGRESS)
		storm.polled++;
	/* the "driver" sees its line was given up on, and fixes its device from then on */
	if (desc->istate & IRQS_SPURIOUS_DISABLED)
		storm.recovered = true;
	if (!storm.recovered || !status)
		return IRQ_NONE;
	edu_ack(storm.edu, status);
	storm.handled++;
	return IRQ_HANDLED;
}

static void nobody_cared(struct ktest *t)
{
	struct irq_desc *desc;
	unsigned long mark, t0;
	const char *log;
	char want[48];
	int irq;

	memset((void *)&storm, 0, sizeof(storm));
	storm.edu = edu0;
	ASSERT_EQ(t, pci_alloc_irq_vectors(edu0->pdev, 1, 1, PCI_IRQ_LEGACY), 1);
	irq = pci_irq_vector(edu0->pdev, 0);
	desc = irq_to_desc(irq);
	ASSERT_EQ(t, request_irq(irq, storm_handler, IRQF_SHARED, "storm", &storm), 0);
	mark = ktest_log_mark();
	t0 = ktime_get_ns();
	edu_raise(edu0, 0x8);
	/* the storm: about 100,000 interrupts, then the line is switched off */
	for (u64 end = ktime_get_ns() + 20 * NSEC_PER_SEC;
	     !(READ_ONCE(desc->istate) & IRQS_SPURIOUS_DISABLED) && ktime_get_ns() < end;)
		cpu_relax();
	ASSERT_TRUE(t, desc->istate & IRQS_SPURIOUS_DISABLED);
	ktest_info(t, "IRQ %d disabled after %lu handler calls in %lu ms", irq, storm.calls,
		   (unsigned long)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	EXPECT_GE(t, storm.calls, 100000);
	EXPECT_TRUE(t, irqd_irq_disabled(&desc->irq_data));
	log = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, log);
	snprintf(want, sizeof(want), "irq %d: nobody cared", irq);
	EXPECT_NOT_NULL(t, strstr(log, want));
	EXPECT_NOT_NULL(t, strstr(log, "storm_handler"));
	snprintf(want, sizeof(want), "Disabling IRQ #%d", irq);
	EXPECT_NOT_NULL(t, strstr(log, want));
	/* disabled, the line is quiet; the tick polls the handler meanwhile, which services the device */
	EXPECT_TRUE(t, wait_for(&storm.polled, 1, 1000));
	EXPECT_TRUE(t, wait_for(&storm.handled, 1, 1000));
	EXPECT_EQ(t, storm.handled, storm.polled);	/* serviced by the poll, not by an interrupt */
	EXPECT_EQ(t, edu_status(edu0), 0);
	/* after the back-off (100 ms the first time) the line comes back */
	for (u64 end = ktime_get_ns() + 2 * NSEC_PER_SEC;
	     (READ_ONCE(desc->istate) & IRQS_SPURIOUS_DISABLED) && ktime_get_ns() < end;)
		cpu_relax();
	EXPECT_FALSE(t, desc->istate & IRQS_SPURIOUS_DISABLED);
	EXPECT_FALSE(t, irqd_irq_disabled(&desc->irq_data));
	EXPECT_EQ(t, desc->spurious_trips, 1);
	EXPECT_NOT_NULL(t, strstr(ktest_log_since(mark), "enabling again after its nobody-cared back-off"));
	/* and it works as a line again */
	unsigned long handled = storm.handled;
	edu_raise(edu0, 0x8);
	EXPECT_TRUE(t, wait_for(&storm.handled, handled + 1, 1000));
	free_irq(irq, &storm);
	pci_free_irq_vectors(edu0->pdev);
}

static struct ktest_case edu_cases[] = {
	KTEST_CASE(intx_is_level),
	KTEST_CASE(msi_is_edge),
	KTEST_CASE(shared_line),
	KTEST_CASE(level_held_while_disabled),
	KTEST_CASE(msi_replayed_on_enable),
	KTEST_CASE(nobody_cared),
	{},
};
KTEST_SUITE(edu, edu_cases, .init = edu_suite_init, .exit = edu_suite_exit);
