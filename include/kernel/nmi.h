/*
 * Backtraces of other CPUs through NMIs (Linux's linux/nmi.h and
 * lib/nmi_backtrace.c): the requester marks the CPUs it wants, sends
 * each an NMI, and each prints "NMI backtrace for cpu N" with the
 * registers and stack it was interrupted at. An NMI reaches a CPU that
 * has interrupts off or spins in a lock, which is what makes this the
 * tool for "what are the other CPUs doing" in a hang or a panic.
 */
#ifndef KERNEL_NMI_H
#define KERNEL_NMI_H

#include <kernel/cpumask.h>
#include <asm/ptrace.h>

/*
 * How long the requester waits for all to answer before it reports the
 * ones that did not (Linux waits 10 s too: a CPU that takes longer to
 * take an NMI and print a screen of text is as good as dead).
 */
#define NMI_BACKTRACE_TIMEOUT_MS	10000

/*
 * The generic half: mark the online CPUs in mask (less exclude_cpu if it
 * is not -1), print this CPU's own backtrace directly if it is marked,
 * raise() the NMI on the others and wait until each has printed or the
 * timeout has passed; the ones that did not answer are named. Returns
 * how many did not answer; one request at a time (a second concurrent
 * one returns -1 at once, as Linux ignores it).
 */
int nmi_trigger_cpumask_backtrace(const struct cpumask *mask, int exclude_cpu,
				  void (*raise)(const struct cpumask *mask));
/*
 * From the NMI handler (regs: where the NMI came in) or, for the
 * requesting CPU itself, with NULL: print this CPU's backtrace if it was
 * asked for, and say whether it was (so an NMI nobody asked for is still
 * handled as unknown).
 */
bool nmi_cpu_backtrace(struct pt_regs *regs);

/* The architecture's way in (arch/x86_64/hw_nmi.c): NMI IPIs through the local APIC. */
int arch_trigger_cpumask_backtrace(const struct cpumask *mask, int exclude_cpu);

/* Backtraces of every online CPU / all but this one / mask / one CPU. Return as above. */
int trigger_all_cpu_backtrace(void);
int trigger_allbutself_cpu_backtrace(void);
int trigger_cpumask_backtrace(const struct cpumask *mask);
int trigger_single_cpu_backtrace(int cpu);

/*
 * The lockup detectors (kernel/watchdog.c). Soft: a CPU kept by kernel
 * code for 2 × watchdog_thresh seconds without its watchdog/N thread
 * (FIFO 99) getting to run: "BUG: soft lockup - CPU#N stuck for Ns!".
 * Hard: a CPU with no tick for watchdog_thresh seconds, found by the next
 * online CPU (its buddy), which prints "Watchdog detected hard LOCKUP on
 * cpu N" and asks it for an NMI backtrace. Command line: watchdog_thresh=
 * (seconds, default 10; 0 turns both off), nowatchdog, nosoftlockup,
 * nmi_watchdog=0|1|panic, softlockup_panic=0|1.
 */
#define WATCHDOG_THRESH_DEFAULT	10

void lockup_detector_init(void);	/* the watchdog/N threads, once the CPUs are up */
void watchdog_tick(void);		/* from every CPU's tick, in hard-IRQ context */
/* For code that legitimately keeps the CPU (or its interrupts off) for long. */
void touch_softlockup_watchdog(void);
void touch_nmi_watchdog(void);		/* touches both */
/* As writing /proc/sys/kernel/watchdog_thresh (0 stops the checks); returns the old value. */
unsigned int watchdog_set_thresh(unsigned int secs);
/* The same in milliseconds, for tests that cannot wait 20 s for a report. */
unsigned int watchdog_set_thresh_ms(unsigned int ms);

#endif
