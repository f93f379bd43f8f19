/*
 * Hard-IRQ entry and exit, and softirqs (Linux's kernel/softirq.c).
 *
 * A softirq is one of NR_SOFTIRQS handlers, raised by setting its bit in
 * this CPU's pending mask. Pending softirqs run:
 *   - in irq_exit(), when the outermost hard IRQ returns to a context
 *     that is not itself in interrupt (or bh-disabled) context;
 *   - in local_bh_enable(), at the outermost enable;
 *   - in ksoftirqd/N, when __do_softirq() gave up: it restarts at most
 *     MAX_SOFTIRQ_RESTART times and for at most MAX_SOFTIRQ_TIME, then
 *     hands the rest to the thread, so a flood cannot starve tasks.
 * Handlers run with interrupts on and SOFTIRQ_OFFSET in preempt_count
 * (in_serving_softirq()), never nested on one CPU.
 */
#define pr_fmt(fmt) "softirq: " fmt
#include <kernel/interrupt.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <kernel/printk.h>
#include <kernel/bug.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/kallsyms.h>
#include <kernel/kernel.h>
#include <kernel/trace_events.h>
#include <asm/softirq_stack.h>

/*
 * Restart at most 10 times and for 2 ms (Linux's values): enough to
 * finish the work a burst of interrupts raised, short enough that a
 * softirq flood reaches ksoftirqd, where the scheduler shares the CPU.
 */
#define MAX_SOFTIRQ_RESTART	10
#define MAX_SOFTIRQ_TIME_NS	(2 * NSEC_PER_MSEC)

const char *const softirq_to_name[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"
};

static struct softirq_action softirq_vec[NR_SOFTIRQS];

static DEFINE_PER_CPU(unsigned int, softirq_pending);
static DEFINE_PER_CPU(unsigned long, softirq_counts[NR_SOFTIRQS]);
static DEFINE_PER_CPU(struct task_struct *, ksoftirqd);

unsigned int local_softirq_pending(void)
{
	return this_cpu_read(softirq_pending);
}

unsigned int softirq_pending_cpu(int cpu)
{
	return READ_ONCE(per_cpu(softirq_pending, cpu));
}

unsigned long kstat_softirqs_cpu(unsigned int nr, int cpu)
{
	return per_cpu(softirq_counts[nr], cpu);
}

struct task_struct *ksoftirqd_task(int cpu)
{
	return per_cpu(ksoftirqd, cpu);
}

void open_softirq(int nr, void (*action)(struct softirq_action *))
{
	softirq_vec[nr].action = action;
}

void (*softirq_action_of(unsigned int nr))(struct softirq_action *)
{
	return softirq_vec[nr].action;
}

void __raise_softirq_irqoff(unsigned int nr)
{
	trace_softirq_raise(nr);
	this_cpu_or(softirq_pending, 1u << nr);
}

static void wakeup_softirqd(void)
{
	struct task_struct *tsk = this_cpu_read(ksoftirqd);

	if (tsk)
		wake_up_process(tsk);
}

void raise_softirq_irqoff(unsigned int nr)
{
	__raise_softirq_irqoff(nr);
	/*
	 * In interrupt or bh-disabled context, irq_exit() or local_bh_enable()
	 * runs it soon; from plain task context nothing would, so wake the thread.
	 */
	if (!in_interrupt())
		wakeup_softirqd();
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

/* ksoftirqd is already on the job: let it, rather than run softirqs at every irq_exit. */
static bool ksoftirqd_running(unsigned int pending)
{
	struct task_struct *tsk = this_cpu_read(ksoftirqd);

	if (pending & (1u << HI_SOFTIRQ | 1u << TASKLET_SOFTIRQ))
		return false;
	return tsk && task_is_running(tsk) && current != tsk;
}

/*
 * Run the pending softirqs, interrupts off on entry and exit. Each pass
 * takes the whole pending mask and runs its handlers lowest number
 * first with interrupts on; what was raised meanwhile makes another pass.
 */
void __do_softirq(void)
{
	u64 end = ktime_get_ns() + MAX_SOFTIRQ_TIME_NS;
	int restart = MAX_SOFTIRQ_RESTART;
	unsigned int pending = local_softirq_pending();

	preempt_count_add(SOFTIRQ_OFFSET);
restart:
	this_cpu_write(softirq_pending, 0);
	local_irq_enable();
	while (pending) {
		unsigned int nr = __builtin_ctz(pending);
		struct softirq_action *h = &softirq_vec[nr];
		unsigned int count = preempt_count();

		pending &= pending - 1;
		this_cpu_ptr(&softirq_counts[0])[nr]++;	/* only softirqs on this CPU write it */
		trace_softirq_entry(nr);
		if (likely(h->action))
			h->action(h);
		else
			pr_err("softirq %u (%s) raised but never opened\n", nr, softirq_to_name[nr]);
		trace_softirq_exit(nr);
		if (unlikely(preempt_count() != count)) {
			pr_err("huh, entered softirq %u %s %ps with preempt_count %08x, exited with %08x?\n",
			       nr, softirq_to_name[nr], h->action, count, preempt_count());
			preempt_count_sub(preempt_count() - count);
		}
	}
	local_irq_disable();
	pending = local_softirq_pending();
	if (pending) {
		if (ktime_get_ns() < end && !need_resched() && --restart)
			goto restart;
		wakeup_softirqd();
	}
	preempt_count_sub(SOFTIRQ_OFFSET);
}

/* do_softirq()'s body, inlined into local_bh_enable()'s path, which is where it runs most. */
static __always_inline void __do_softirq_if_pending(void)
{
	unsigned long flags;

	if (in_interrupt())
		return;
	local_irq_save(flags);
	if (local_softirq_pending() && !ksoftirqd_running(local_softirq_pending()))
		do_softirq_own_stack();
	local_irq_restore(flags);
}

void do_softirq(void)
{
	__do_softirq_if_pending();
}

void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	WARN_ON_ONCE(in_hardirq());
	WARN_ON_ONCE(softirq_count() < cnt);
	/* keep preemption off until the softirqs ran, so nothing runs them elsewhere in between */
	preempt_count_sub(cnt - 1);
	if (unlikely(!in_interrupt() && local_softirq_pending()))
		__do_softirq_if_pending();
	preempt_count_sub(1);
	/* a wake-up by a softirq may want the CPU now */
	if (unlikely(need_resched()) && preemptible())
		preempt_schedule();
}

/*
 * Leave hard-IRQ context: at the outermost level, back to task context,
 * run the pending softirqs (on the IRQ stack, with interrupts on).
 */
void irq_exit(void)
{
	WARN_ON_ONCE(!irqs_disabled());
	WARN_ON_ONCE(!in_hardirq());
	preempt_count_sub(HARDIRQ_OFFSET);
	if (!in_interrupt() && local_softirq_pending() && !ksoftirqd_running(local_softirq_pending()))
		do_softirq_own_stack();
}

/* ---- ksoftirqd ---- */

static int ksoftirqd_fn(void *unused)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!local_softirq_pending()) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		local_irq_disable();
		if (local_softirq_pending())
			__do_softirq();		/* on this thread's stack, as Linux */
		local_irq_enable();
		cond_resched();
	}
	return 0;
}

void softirq_init_threads(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *t = kthread_create_on_cpu(ksoftirqd_fn, NULL, (unsigned int)cpu,
							      "ksoftirqd/%u");

		if (IS_ERR(t))
			panic("cannot create ksoftirqd/%d", cpu);
		per_cpu(ksoftirqd, cpu) = t;
		wake_up_process(t);
	}
}

/* The /proc/softirqs table, in Linux's layout. */
void show_softirqs(int (*print)(const char *fmt, ...))
{
	int cpu;

	print("%20s", "");
	for_each_online_cpu(cpu)
		print("CPU%-8d", cpu);
	print("\n");
	for (int nr = 0; nr < NR_SOFTIRQS; nr++) {
		print("%12s:", softirq_to_name[nr]);
		for_each_online_cpu(cpu)
			print(" %10lu", kstat_softirqs_cpu(nr, cpu));
		print("\n");
	}
}

void softirq_init(void)
{
	tasklet_init_softirqs();
}
