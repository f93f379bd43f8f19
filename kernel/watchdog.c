/*
 * The lockup detectors (Linux's kernel/watchdog.c with the "buddy" hard
 * lockup detector of watchdog_buddy.c, which needs no perf counter).
 *
 * Soft lockup: kernel code kept a CPU for more than 2 × watchdog_thresh
 * seconds without letting that CPU's watchdog/N thread (SCHED_FIFO 99)
 * run; the CPU's own tick notices and prints what it interrupted.
 * Hard lockup: a CPU took no tick for watchdog_thresh seconds (interrupts
 * off, or stuck in a handler); the next online CPU, its buddy, notices
 * from its own tick and asks the stuck CPU for an NMI backtrace, which an
 * NMI gets even from a CPU with interrupts off. Times come from the TSC
 * clock, not jiffies, because the CPU that advances jiffies may be the
 * stuck one.
 */
#include <kernel/nmi.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include <asm/hw_irq.h>

static unsigned int watchdog_thresh_ms = WATCHDOG_THRESH_DEFAULT * 1000;
static bool soft_enabled = true, hard_enabled = true;
static bool softlockup_panic, hardlockup_panic;
static bool watchdog_running;		/* the threads exist and the tick checks */

struct watchdog_cpu {
	struct task_struct *thread;	/* watchdog/N */
	u64 touch_ns;			/* when watchdog/N last ran (0: touched, restart the clock) */
	u64 kick_ns;			/* when the tick last woke it */
	u64 soft_reported_ns;		/* the last soft lockup report of this stall, or 0 */
	unsigned long ticks;		/* ticks taken: the buddy watches this */
	bool hard_touched;		/* touch_nmi_watchdog(): skip one hard check */
	/* the buddy this CPU watches */
	int buddy;
	unsigned long buddy_ticks;
	u64 buddy_seen_ns;
	bool buddy_reported;
};
static DEFINE_PER_CPU(struct watchdog_cpu, watchdog_cpu);

static u64 thresh_ns(void)
{
	return (u64)READ_ONCE(watchdog_thresh_ms) * NSEC_PER_MSEC;
}

void touch_softlockup_watchdog(void)
{
	this_cpu_write(watchdog_cpu.touch_ns, 0);
}

void touch_nmi_watchdog(void)
{
	this_cpu_write(watchdog_cpu.hard_touched, true);
	touch_softlockup_watchdog();
}

unsigned int watchdog_set_thresh(unsigned int secs)
{
	return watchdog_set_thresh_ms(secs * 1000) / 1000;
}

unsigned int watchdog_set_thresh_ms(unsigned int ms)
{
	unsigned int old = __atomic_exchange_n(&watchdog_thresh_ms, ms, __ATOMIC_SEQ_CST);
	int cpu;

	/* start every clock afresh, so the new threshold does not report an old stall */
	for_each_online_cpu(cpu) {
		WRITE_ONCE(per_cpu(watchdog_cpu, cpu).touch_ns, 0);
		WRITE_ONCE(per_cpu(watchdog_cpu, cpu).buddy_seen_ns, 0);
	}
	return old;
}

/* Soft: has watchdog/N run within 2 × thresh? Reported again every further 2 × thresh. */
static void check_soft(struct watchdog_cpu *w, u64 now)
{
	u64 touch = READ_ONCE(w->touch_ns), limit = 2 * thresh_ns();
	struct task_struct *p = current;

	if (!touch) {
		WRITE_ONCE(w->touch_ns, now);
		w->soft_reported_ns = 0;
		return;
	}
	if (now - touch <= limit || (w->soft_reported_ns && now - w->soft_reported_ns <= limit))
		return;
	w->soft_reported_ns = now;
	pr_emerg("BUG: soft lockup - CPU#%d stuck for %llus! [%s:%d]\n", smp_processor_id(),
		 (unsigned long long)((now - touch) / NSEC_PER_SEC), p->comm, p->pid);
	pr_emerg("(no watchdog/%d run for %llu ms)\n", smp_processor_id(),
		 (unsigned long long)((now - touch) / NSEC_PER_MSEC));
	if (get_irq_regs())
		show_regs(get_irq_regs());
	else
		dump_stack();
	if (softlockup_panic)
		panic("softlockup: hung tasks");
}

/* Hard: has the buddy taken a tick within thresh? One report per stall. */
static void check_buddy(struct watchdog_cpu *w, int cpu, u64 now)
{
	int buddy = cpumask_next(cpu, cpu_online_mask);
	unsigned long ticks;

	if (buddy >= (int)nr_cpu_ids)
		buddy = cpumask_first(cpu_online_mask);
	if (buddy == cpu)
		return;
	ticks = READ_ONCE(per_cpu(watchdog_cpu, buddy).ticks);
	if (buddy != w->buddy || ticks != w->buddy_ticks || !w->buddy_seen_ns ||
	    READ_ONCE(per_cpu(watchdog_cpu, buddy).hard_touched)) {
		WRITE_ONCE(per_cpu(watchdog_cpu, buddy).hard_touched, false);
		w->buddy = buddy;
		w->buddy_ticks = ticks;
		w->buddy_seen_ns = now;
		w->buddy_reported = false;
		return;
	}
	if (now - w->buddy_seen_ns <= thresh_ns() || w->buddy_reported)
		return;
	w->buddy_reported = true;
	pr_emerg("Watchdog detected hard LOCKUP on cpu %d (no tick for %llu ms; seen by cpu %d)\n",
		 buddy, (unsigned long long)((now - w->buddy_seen_ns) / NSEC_PER_MSEC), cpu);
	trigger_single_cpu_backtrace(buddy);
	if (hardlockup_panic)
		panic("Hard LOCKUP");
}

void watchdog_tick(void)
{
	struct watchdog_cpu *w = this_cpu_ptr(&watchdog_cpu);
	int cpu = smp_processor_id();
	u64 now;

	w->ticks++;
	if (!READ_ONCE(watchdog_running) || !READ_ONCE(watchdog_thresh_ms))
		return;
	now = ktime_get_ns();
	/* wake watchdog/N every 2/5 of the soft limit, as Linux's sample period */
	if (w->thread && now - w->kick_ns >= 2 * thresh_ns() / 5) {
		w->kick_ns = now;
		wake_up_process(w->thread);
	}
	if (soft_enabled && w->thread)
		check_soft(w, now);
	if (hard_enabled)
		check_buddy(w, cpu, now);
}

static int watchdog_thread(void *unused)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		this_cpu_write(watchdog_cpu.touch_ns, ktime_get_ns());
		schedule();
	}
	return 0;
}

void lockup_detector_init(void)
{
	int cpu, started = 0;

	if (!soft_enabled && !hard_enabled) {
		pr_info("watchdog: off\n");
		return;
	}
	for_each_online_cpu(cpu) {
		struct task_struct *p = kthread_create_on_cpu(watchdog_thread, NULL, cpu,
							     "watchdog/%u");

		if (IS_ERR(p)) {
			pr_err("watchdog: no thread for cpu %d (%ld)\n", cpu, PTR_ERR(p));
			continue;
		}
		sched_setscheduler_nocheck(p, SCHED_FIFO, MAX_RT_PRIO - 1);
		per_cpu(watchdog_cpu, cpu).thread = p;
		wake_up_process(p);
		started++;
	}
	WRITE_ONCE(watchdog_running, true);
	pr_info("watchdog: soft lockup %s (%us), hard lockup %s (%us, buddy CPUs%s), %d threads\n",
		soft_enabled ? "on" : "off", 2 * watchdog_thresh_ms / 1000,
		hard_enabled ? "on" : "off", watchdog_thresh_ms / 1000,
		num_online_cpus() > 1 ? "" : ": needs 2 CPUs", started);
}

/* Linux's parameters: watchdog_thresh=N (0: both off), nowatchdog, nosoftlockup,
 * nmi_watchdog=0|1|panic, softlockup_panic=0|1. */
static int thresh_setup(const char *val)
{
	unsigned long v;

	if (!val || kstrtoul(val, 0, &v) || v > 60)
		return -EINVAL;
	watchdog_thresh_ms = (unsigned int)v * 1000;
	if (!v)
		soft_enabled = hard_enabled = false;
	return 0;
}
early_param("watchdog_thresh", thresh_setup);

static int nowatchdog_setup(const char *val)
{
	soft_enabled = hard_enabled = false;
	return 0;
}
early_param("nowatchdog", nowatchdog_setup);

static int nosoftlockup_setup(const char *val)
{
	soft_enabled = false;
	return 0;
}
early_param("nosoftlockup", nosoftlockup_setup);

static int nmi_watchdog_setup(const char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "panic"))
		hard_enabled = hardlockup_panic = true;
	else if (!strcmp(val, "0"))
		hard_enabled = false;
	else if (!strcmp(val, "1"))
		hard_enabled = true;
	else
		return -EINVAL;
	return 0;
}
early_param("nmi_watchdog", nmi_watchdog_setup);

static int softlockup_panic_setup(const char *val)
{
	unsigned long v;

	if (!val || kstrtoul(val, 0, &v) || v > 1)
		return -EINVAL;
	softlockup_panic = v;
	return 0;
}
early_param("softlockup_panic", softlockup_panic_setup);
