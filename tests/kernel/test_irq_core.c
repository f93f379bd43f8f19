/*
 * The generic IRQ layer's promises, on IPI-SIM lines (asm/irq_sim.h): real
 * interrupts raised by self-IPIs, through the IDT, the entry code, the IRQ
 * stack, the vector table and the flow handlers. Request/free and their
 * error codes, shared handlers and their accounting, nested disable, edge
 * replay, the flows' chip calls, and what a handler sees of its context.
 */
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <kernel/interrupt.h>
#include <kernel/irqdesc.h>
#include <kernel/slab.h>
#include <kernel/string.h>
#include <kernel/errno.h>
#include <kernel/kernel.h>
#include <kernel/bug.h>
#include <asm/irq_sim.h>
#include <asm/hw_irq.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/apic.h>
#include <asm/traps.h>
#include <asm/pgtable.h>
#include <kernel/vmalloc.h>

/* What handlers saw, in the order they ran. */
#define MAX_EVENTS 16
static struct {
	int n;
	int who[MAX_EVENTS];		/* dev_id's number */
	irqreturn_t ret[4];		/* what handler i returns */
} seen;

struct test_dev {
	int id;
};
static struct test_dev devs[4] = { { 0 }, { 1 }, { 2 }, { 3 } };

static irqreturn_t record_handler(int irq, void *dev_id)
{
	struct test_dev *d = dev_id;

	if (seen.n < MAX_EVENTS)
		seen.who[seen.n] = d->id;
	seen.n++;
	return seen.ret[d->id];
}

/* Let pending self-IPIs in: interrupts on, a few instructions, and back. */
static void let_interrupts_in(void)
{
	unsigned long flags = native_save_fl();

	local_irq_enable();
	for (int i = 0; i < 100; i++)
		cpu_relax();
	if (!(flags & X86_EFLAGS_IF))
		local_irq_disable();
}

static void reset_seen(void)
{
	memset(&seen, 0, sizeof(seen));
	for (int i = 0; i < 4; i++)
		seen.ret[i] = IRQ_HANDLED;
}

static int sim_irq = -1;

static int irq_core_init(struct ktest *t)
{
	reset_seen();
	sim_irq = irq_sim_create(NULL, NULL);
	if (sim_irq == -ENODEV)
		ktest_skip(t, "no local APIC: IPI-SIM lines need one");
	return sim_irq < 0;
}

static void irq_core_exit(struct ktest *t)
{
	struct irq_desc *desc = sim_irq >= 0 ? irq_to_desc(sim_irq) : NULL;

	if (!desc)
		return;
	/* free whatever a failed case left behind */
	for (int i = 0; i < 4; i++)
		for (struct irqaction *a = desc->action; a; a = a->next)
			if (a->dev_id == &devs[i]) {
				free_irq(sim_irq, &devs[i]);
				break;
			}
	irq_sim_destroy(sim_irq);
	sim_irq = -1;
}

static void request_fire_free(struct ktest *t)
{
	static const char name[] = "ktest-dev";
	const void *ret;

	ASSERT_EQ(t, request_irq(sim_irq, record_handler, 0, name, &devs[0]), 0);
	EXPECT_FALSE(t, irq_sim_masked(sim_irq));	/* started: unmasked */
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 1);
	EXPECT_EQ(t, kstat_irqs_cpu(sim_irq, 0), 1);
	irq_sim_fire(sim_irq);
	irq_sim_fire(sim_irq);		/* coalesces or not: at least one more, at most two */
	let_interrupts_in();
	EXPECT_GE(t, seen.n, 2);
	EXPECT_LE(t, seen.n, 3);
	ret = free_irq(sim_irq, &devs[0]);
	EXPECT_EQ(t, (unsigned long)ret, (unsigned long)name);	/* free_irq returns the name */
	EXPECT_TRUE(t, irq_sim_masked(sim_irq));	/* shut down: masked */
	int before = seen.n;
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, before);			/* no handler any more */
	/* freeing twice is refused with a warning */
	unsigned long warns = warn_count;
	EXPECT_NULL(t, free_irq(sim_irq, &devs[0]));
	EXPECT_EQ(t, warn_count, warns + 1);
}

static irqreturn_t thread_fn(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static void request_errors(struct ktest *t)
{
	int nochip = irq_alloc_desc_from(NR_IRQS_LEGACY);
	struct kmalloc_stats before, after;

	EXPECT_EQ(t, request_irq(NR_IRQS, record_handler, 0, "x", &devs[0]), -EINVAL);
	EXPECT_EQ(t, request_irq(100000, record_handler, 0, "x", &devs[0]), -EINVAL);
	EXPECT_EQ(t, request_threaded_irq(sim_irq, NULL, NULL, 0, "x", &devs[0]), -EINVAL);
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "x", NULL), -EINVAL);
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED | IRQF_NO_AUTOEN, "x",
				 &devs[0]), -EINVAL);
	/* a thread function alone needs ONESHOT, so the line stays masked until it ran */
	EXPECT_EQ(t, request_threaded_irq(sim_irq, NULL, thread_fn, 0, "x", &devs[0]), -EINVAL);
	/* a line without an interrupt chip */
	ASSERT_GE(t, nochip, 0);
	EXPECT_EQ(t, request_irq(nochip, record_handler, 0, "x", &devs[0]), -ENOSYS);
	irq_free_desc(nochip);
	/* out of memory: -ENOMEM, and nothing allocated is left behind */
	kmalloc_get_stats(&before);
	kmalloc_inject_failures(1);
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, 0, "x", &devs[0]), -ENOMEM);
	kmalloc_inject_failures(0);
	kmalloc_get_stats(&after);
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		EXPECT_EQ(t, after.classes[i].in_use, before.classes[i].in_use);
	EXPECT_EQ(t, after.failed, before.failed + 1);
	EXPECT_NULL(t, irq_to_desc(sim_irq)->action);
	/* none of these installed anything */
	EXPECT_NULL(t, irq_to_desc(sim_irq)->action);
	EXPECT_EQ(t, irq_to_desc(sim_irq)->depth, 1);
}

static void shared_handlers_in_order(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(sim_irq);

	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "a", &devs[0]), 0);
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "b", &devs[1]), 0);
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "c", &devs[2]), 0);
	seen.ret[0] = IRQ_NONE;
	seen.ret[1] = IRQ_HANDLED;
	seen.ret[2] = IRQ_NONE;
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	ASSERT_EQ(t, seen.n, 3);
	EXPECT_EQ(t, seen.who[0], 0);
	EXPECT_EQ(t, seen.who[1], 1);
	EXPECT_EQ(t, seen.who[2], 2);
	/* one handler claimed it: not unhandled */
	EXPECT_EQ(t, desc->unhandled_total, 0);
	EXPECT_EQ(t, desc->irq_count, 1);
	/* nobody claims it: one unhandled interrupt */
	seen.ret[1] = IRQ_NONE;
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 6);
	EXPECT_EQ(t, desc->unhandled_total, 1);
	EXPECT_EQ(t, desc->irqs_unhandled, 1);
	EXPECT_EQ(t, desc->irq_count, 2);
	/* removing the middle one keeps the others in order */
	free_irq(sim_irq, &devs[1]);
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	ASSERT_EQ(t, seen.n, 8);
	EXPECT_EQ(t, seen.who[6], 0);
	EXPECT_EQ(t, seen.who[7], 2);
	EXPECT_FALSE(t, irq_sim_masked(sim_irq));	/* still started: others remain */
	free_irq(sim_irq, &devs[0]);
	free_irq(sim_irq, &devs[2]);
	EXPECT_TRUE(t, irq_sim_masked(sim_irq));
}

static void sharing_refused(struct ktest *t)
{
	unsigned long mark = ktest_log_mark();
	const char *since;

	/* the first did not ask to share */
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, 0, "first", &devs[0]), 0);
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "second", &devs[1]), -EBUSY);
	free_irq(sim_irq, &devs[0]);
	/* both share, but the trigger types differ */
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED | IRQF_TRIGGER_RISING, "first",
				 &devs[0]), 0);
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED | IRQF_TRIGGER_HIGH, "second",
				 &devs[1]), -EBUSY);
	/* no trigger given: the line's type, which matches */
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "third", &devs[2]), 0);
	/* ONESHOT and PERCPU must agree */
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED | IRQF_ONESHOT, "fourth",
				 &devs[3]), -EBUSY);
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED | IRQF_PERCPU, "fourth",
				 &devs[3]), -EBUSY);
	since = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, since);
	EXPECT_NOT_NULL(t, strstr(since, "Flags mismatch irq"));
	/* IRQF_PROBE_SHARED: refused quietly */
	mark = ktest_log_mark();
	EXPECT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED | IRQF_PROBE_SHARED |
				 IRQF_TRIGGER_HIGH, "quiet", &devs[3]), -EBUSY);
	since = ktest_log_since(mark);
	ASSERT_NOT_NULL(t, since);
	EXPECT_NULL(t, strstr(since, "(quiet)"));
	free_irq(sim_irq, &devs[0]);
	free_irq(sim_irq, &devs[2]);
}

static void disable_depth_nests(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(sim_irq);
	unsigned long warns;

	ASSERT_EQ(t, request_irq(sim_irq, record_handler, 0, "nest", &devs[0]), 0);
	EXPECT_EQ(t, desc->depth, 0);
	disable_irq(sim_irq);
	disable_irq_nosync(sim_irq);
	EXPECT_EQ(t, desc->depth, 2);
	EXPECT_TRUE(t, irqd_irq_disabled(&desc->irq_data));
	enable_irq(sim_irq);
	EXPECT_EQ(t, desc->depth, 1);
	EXPECT_TRUE(t, irqd_irq_disabled(&desc->irq_data));
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 0);		/* still disabled */
	enable_irq(sim_irq);
	EXPECT_EQ(t, desc->depth, 0);
	EXPECT_FALSE(t, irqd_irq_disabled(&desc->irq_data));
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 1);		/* the edge that came while disabled */
	/* one enable too many: a warning, and nothing changes */
	warns = warn_count;
	enable_irq(sim_irq);
	EXPECT_EQ(t, warn_count, warns + 1);
	EXPECT_EQ(t, desc->depth, 0);
	free_irq(sim_irq, &devs[0]);
}

/*
 * Lazy disable: the line stays unmasked until an interrupt arrives; the
 * flow then masks it and keeps the edge as PENDING; enable_irq() resends
 * it (here through the chip's retrigger), exactly once.
 */
static void edge_replayed_on_enable(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(sim_irq);
	struct irq_sim_calls c0, c1;

	ASSERT_EQ(t, request_irq(sim_irq, record_handler, 0, "replay", &devs[0]), 0);
	disable_irq(sim_irq);
	EXPECT_FALSE(t, irq_sim_masked(sim_irq));	/* lazy: not masked yet */
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 0);
	EXPECT_TRUE(t, desc->istate & IRQS_PENDING);
	EXPECT_TRUE(t, irq_sim_masked(sim_irq));	/* masked when the edge came */
	c0 = irq_sim_calls(sim_irq);
	enable_irq(sim_irq);
	let_interrupts_in();
	c1 = irq_sim_calls(sim_irq);
	EXPECT_EQ(t, seen.n, 1);
	EXPECT_EQ(t, c1.retrigger, c0.retrigger + 1);
	EXPECT_FALSE(t, desc->istate & (IRQS_PENDING | IRQS_REPLAY));
	EXPECT_FALSE(t, irq_sim_masked(sim_irq));
	/* nothing pending: enabling resends nothing */
	disable_irq(sim_irq);
	enable_irq(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 1);
	EXPECT_EQ(t, irq_sim_calls(sim_irq).retrigger, c1.retrigger);
	free_irq(sim_irq, &devs[0]);
}

/* A level line is still asserted when unmasked: nothing is resent for it. */
static void level_not_resent(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(sim_irq);
	unsigned int retrig;

	irq_set_handler(sim_irq, handle_level_irq);
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_TRIGGER_HIGH, "level", &devs[0]), 0);
	EXPECT_TRUE(t, irqd_is_level_type(&desc->irq_data));
	disable_irq(sim_irq);
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_TRUE(t, desc->istate & IRQS_PENDING);
	retrig = irq_sim_calls(sim_irq).retrigger;
	enable_irq(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, irq_sim_calls(sim_irq).retrigger, retrig);
	EXPECT_FALSE(t, desc->istate & IRQS_PENDING);
	free_irq(sim_irq, &devs[0]);
}

static void no_autoen(struct ktest *t)
{
	struct irq_desc *desc = irq_to_desc(sim_irq);

	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_NO_AUTOEN, "later", &devs[0]), 0);
	EXPECT_EQ(t, desc->depth, 1);
	EXPECT_TRUE(t, irq_sim_masked(sim_irq));
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 0);
	EXPECT_EQ(t, irq_sim_latched(sim_irq), 1);
	enable_irq(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 1);			/* the latched edge, on unmask */
	EXPECT_EQ(t, desc->depth, 0);
	free_irq(sim_irq, &devs[0]);
}

/* What a hard-IRQ handler sees of its context. */
static struct {
	unsigned int preempt;
	bool hardirq, interrupt, task, nmi, irqs_off;
	enum stack_type stack;
	struct pt_regs *regs;
	bool sync_warned;
} ctx;

static irqreturn_t context_handler(int irq, void *dev_id)
{
	struct stack_info info;
	unsigned long warns = warn_count;

	ctx.preempt = preempt_count();
	ctx.hardirq = in_hardirq() && in_irq();
	ctx.interrupt = in_interrupt();
	ctx.task = in_task();
	ctx.nmi = in_nmi();
	ctx.irqs_off = irqs_disabled();
	get_stack_info(read_rsp(), &info);
	ctx.stack = info.type;
	ctx.regs = get_irq_regs();
	/* waiting for oneself would deadlock: refused with a warning */
	synchronize_irq(irq);
	ctx.sync_warned = warn_count == warns + 1;
	return IRQ_HANDLED;
}

static void handler_context(struct ktest *t)
{
	unsigned int before = this_cpu_read(irq_stat.irq_stack_switches), after;

	memset(&ctx, 0, sizeof(ctx));
	ASSERT_EQ(t, request_irq(sim_irq, context_handler, 0, "ctx", &devs[0]), 0);
	EXPECT_TRUE(t, in_task());
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, ctx.preempt & HARDIRQ_MASK, HARDIRQ_OFFSET);
	EXPECT_TRUE(t, ctx.hardirq);
	EXPECT_TRUE(t, ctx.interrupt);
	EXPECT_FALSE(t, ctx.task);
	EXPECT_FALSE(t, ctx.nmi);
	EXPECT_TRUE(t, ctx.irqs_off);
	EXPECT_EQ(t, ctx.stack, STACK_TYPE_IRQ);
	EXPECT_NOT_NULL(t, ctx.regs);
	EXPECT_TRUE(t, ctx.sync_warned);
	/* (the tick may have switched too meanwhile) */
	after = this_cpu_read(irq_stat.irq_stack_switches);
	EXPECT_GE(t, after, before + 1);
	EXPECT_NULL(t, get_irq_regs());
	EXPECT_EQ(t, preempt_count() & HARDIRQ_MASK, 0);
	/* the IRQ stack has a guard page below it */
	EXPECT_TRUE(t, vmap_is_guard(this_cpu_ptr(&cpu_irq_stack)->begin - 1));
	EXPECT_NULL(t, lookup_address(this_cpu_ptr(&cpu_irq_stack)->begin - 1, NULL));
	free_irq(sim_irq, &devs[0]);
}

/* An NMI inside a hard-IRQ handler: in_nmi() there, and the handler resumes intact. */
static struct {
	bool in_nmi, in_hardirq;
	enum stack_type stack;
	int hits;
} nmi_seen;

static int nested_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct stack_info info;

	nmi_seen.hits++;
	nmi_seen.in_nmi = in_nmi();
	nmi_seen.in_hardirq = in_hardirq();
	get_stack_info(read_rsp(), &info);
	nmi_seen.stack = info.type;
	return NMI_HANDLED;
}

static struct nmiaction nested_nmi = { .handler = nested_nmi_handler, .name = "ktest-nested" };
static volatile bool nmi_in_handler_done;

static irqreturn_t nmi_raising_handler(int irq, void *dev_id)
{
	apic_send_self_nmi();
	/* the NMI is taken right away, even with interrupts off */
	for (int i = 0; i < 1000 && !nmi_seen.hits; i++)
		cpu_relax();
	nmi_in_handler_done = in_hardirq() && !in_nmi() && nmi_seen.hits == 1;
	return IRQ_HANDLED;
}

static void nmi_inside_hardirq(struct ktest *t)
{
	memset(&nmi_seen, 0, sizeof(nmi_seen));
	nmi_in_handler_done = false;
	ASSERT_EQ(t, register_nmi_handler(NMI_LOCAL, &nested_nmi), 0);
	ASSERT_EQ(t, request_irq(sim_irq, nmi_raising_handler, 0, "nmi-raiser", &devs[0]), 0);
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	unregister_nmi_handler(NMI_LOCAL, &nested_nmi);
	free_irq(sim_irq, &devs[0]);
	EXPECT_EQ(t, nmi_seen.hits, 1);
	EXPECT_TRUE(t, nmi_seen.in_nmi);
	EXPECT_TRUE(t, nmi_seen.in_hardirq);
	EXPECT_EQ(t, nmi_seen.stack, STACK_TYPE_EXCEPTION + IST_INDEX_NMI - 1);
	EXPECT_TRUE(t, nmi_in_handler_done);
	EXPECT_FALSE(t, in_nmi());
}

/* Each flow calls the chip as its design says. */
static irqreturn_t eoi_myself(int irq, void *dev_id)
{
	/* handle_simple_irq does no chip calls: the "parent" (us) must EOI */
	apic_eoi();
	return record_handler(irq, dev_id);
}

static void flows_call_the_chip(struct ktest *t)
{
	static const struct {
		irq_flow_handler_t flow;
		const char *name;
		unsigned int mask, unmask, ack, eoi;
	} flows[] = {
		{ handle_edge_irq, "edge", 0, 0, 1, 0 },
		{ handle_fasteoi_irq, "fasteoi", 0, 0, 0, 1 },
		{ handle_level_irq, "level", 1, 1, 1, 0 },
		{ handle_percpu_irq, "percpu", 0, 0, 1, 1 },
		{ handle_simple_irq, "simple", 0, 0, 0, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(flows); i++) {
		struct irq_sim_calls c0, c1;
		bool simple = flows[i].flow == handle_simple_irq;

		reset_seen();
		irq_set_handler(sim_irq, flows[i].flow);
		ASSERT_EQ(t, request_irq(sim_irq, simple ? eoi_myself : record_handler,
					 flows[i].flow == handle_percpu_irq ? IRQF_PERCPU : 0,
					 flows[i].name, &devs[0]), 0);
		c0 = irq_sim_calls(sim_irq);
		irq_sim_fire(sim_irq);
		let_interrupts_in();
		c1 = irq_sim_calls(sim_irq);
		ktest_info(t, "%s: mask %u unmask %u ack %u eoi %u", flows[i].name,
			   c1.mask - c0.mask, c1.unmask - c0.unmask, c1.ack - c0.ack, c1.eoi - c0.eoi);
		EXPECT_EQ(t, seen.n, 1);
		EXPECT_EQ(t, c1.mask - c0.mask, flows[i].mask);
		EXPECT_EQ(t, c1.unmask - c0.unmask, flows[i].unmask);
		EXPECT_EQ(t, c1.ack - c0.ack, flows[i].ack);
		EXPECT_EQ(t, c1.eoi - c0.eoi, flows[i].eoi);
		free_irq(sim_irq, &devs[0]);
	}
	irq_set_handler(sim_irq, handle_edge_irq);
}

/* A vector with nothing behind it is acked and counted, and interrupts keep working. */
static void vector_without_handler(struct ktest *t)
{
	struct irq_desc dummy;
	int v = irq_alloc_vector(&dummy, 0);
	unsigned int bad = this_cpu_read(irq_stat.bad_vector);

	ASSERT_GT(t, v, 0);
	irq_free_vector(0, v);		/* allocated and freed: surely unused now */
	apic_send_self_ipi(v);
	let_interrupts_in();
	EXPECT_EQ(t, this_cpu_read(irq_stat.bad_vector), bad + 1);
	EXPECT_FALSE(t, lapic_vector_in_service(v));	/* it was EOIed */
	EXPECT_NOT_NULL(t, strstr(ktest_log(), "No irq handler for vector"));
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, 0, "after", &devs[0]), 0);
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	EXPECT_EQ(t, seen.n, 1);
	free_irq(sim_irq, &devs[0]);
}

static void interrupt_table_row(struct ktest *t)
{
	const char *out;
	char want[160];
	int n;

	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "alpha", &devs[0]), 0);
	ASSERT_EQ(t, request_irq(sim_irq, record_handler, IRQF_SHARED, "beta", &devs[1]), 0);
	irq_sim_fire(sim_irq);
	let_interrupts_in();
	ktest_capture_start();
	show_interrupts(ktest_capture_print);
	out = ktest_captured();
	/* fired on this CPU (0): one there, none on the others */
	n = snprintf(want, sizeof(want), "%4d:", sim_irq);
	for (int cpu = 0; cpu < (int)num_online_cpus() && n < (int)sizeof(want) - 24; cpu++)
		n += snprintf(want + n, sizeof(want) - n, " %11u", cpu == smp_processor_id());
	snprintf(want + n, sizeof(want) - n, "  IPI-SIM");
	EXPECT_NOT_NULL(t, strstr(out, want));
	EXPECT_NOT_NULL(t, strstr(out, "-edge      alpha, beta"));
	EXPECT_NOT_NULL(t, strstr(out, " LOC:"));
	EXPECT_NOT_NULL(t, strstr(out, " NMI:"));
	free_irq(sim_irq, &devs[0]);
	free_irq(sim_irq, &devs[1]);
}

static struct ktest_case irq_core_cases[] = {
	KTEST_CASE(request_fire_free),
	KTEST_CASE(request_errors),
	KTEST_CASE(shared_handlers_in_order),
	KTEST_CASE(sharing_refused),
	KTEST_CASE(disable_depth_nests),
	KTEST_CASE(edge_replayed_on_enable),
	KTEST_CASE(level_not_resent),
	KTEST_CASE(no_autoen),
	KTEST_CASE(handler_context),
	KTEST_CASE(nmi_inside_hardirq),
	KTEST_CASE(flows_call_the_chip),
	KTEST_CASE(vector_without_handler),
	KTEST_CASE(interrupt_table_row),
	{},
};
KTEST_SUITE(irq_core, irq_core_cases, .init = irq_core_init, .exit = irq_core_exit);
