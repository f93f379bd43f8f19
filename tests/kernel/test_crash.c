/*
 * Tests that need a boot of their own. Crash tests must bring the kernel
 * down (ktest.crash=NAME): tools/ktest.py checks the console for the text
 * given here and QEMU's "kernel died" exit status. Boot tests start the
 * kernel with extra command line and check what it says while coming up.
 */
#include <kernel/ktest.h>
#include <kernel/bug.h>
#include <kernel/compiler.h>

/*
 * Unbounded recursion runs the kernel stack into its guard page. The push
 * that faults cannot deliver its #PF on the same stack, so the CPU raises
 * #DF, which runs on its own IST stack and reports the overflow.
 */
static unsigned long recursion_limit = ~0ul;	/* a variable, so the compiler cannot see the end */

static noinline unsigned long recurse(unsigned long depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth == READ_ONCE(recursion_limit))
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void crash_stack_overflow(void)
{
	recurse(0);
}
KTEST_CRASH(stack_overflow, "kernel stack overflow (double-fault)", crash_stack_overflow);

/* BUG() oopses with the file and line, and the oops is fatal. */
static void crash_bug(void)
{
	BUG();
}
KTEST_CRASH(bug, "kernel BUG at tests/kernel/test_crash.c", crash_bug);

/*
 * Boots of their own that must come up in a given way: without ACPI the
 * kernel falls back to PIC mode; lapic_timer=oneshot runs the tick from
 * one-shot events.
 */
KTEST_BOOT(acpi_off_pic_mode, "acpi=off", "irq: PIC mode (no usable ACPI MADT)");
KTEST_BOOT(lapic_oneshot_tick, "lapic_timer=oneshot", "Hz (one-shot)");
