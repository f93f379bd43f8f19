/*
 * The stack protector: the canary lives at %gs:40 in this CPU's per-CPU
 * area (struct fixed_percpu_data), is random with a zero low byte, and
 * a function whose canary was overwritten panics on return instead of
 * returning through a corrupted frame.
 */
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <asm/percpu.h>
#include <asm/msr.h>

extern const char *stack_canary_source;

static int bits_set(unsigned long v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static void canary_at_gs_40(struct ktest *t)
{
	unsigned long via_gs, via_msr;

	__asm__ __volatile__("movq %%gs:40, %0" : "=r"(via_gs));
	via_msr = *(unsigned long *)(rdmsr(MSR_GS_BASE) + 40);
	EXPECT_EQ(t, via_gs, via_msr);
	EXPECT_EQ(t, via_gs, this_cpu_read(fixed_percpu_data.stack_canary));
	EXPECT_EQ(t, (unsigned long)&fixed_percpu_data.stack_canary, 40);
	EXPECT_NE(t, via_gs, 0);
	EXPECT_EQ(t, via_gs & 0xff, 0);		/* stops string overflows reproducing it */
	/* not a trivial pattern: plenty of the 56 random bits both set and clear */
	EXPECT_GE(t, bits_set(via_gs), 8);
	EXPECT_LE(t, bits_set(via_gs), 48);
	ktest_info(t, "canary seeded from %s", stack_canary_source);
	EXPECT_TRUE(t, !strcmp(stack_canary_source, "RDRAND") || !strcmp(stack_canary_source, "TSC"));
}

/* The compiler placed the canary check in this function (it has an array). */
static noinline void smash_stack(void *arg)
{
	char buf[16];
	size_t n = *(size_t *)arg;

	/*
	 * Write past the end of buf over the canary (the slot between the
	 * locals and the saved frame pointer). n comes from the caller, so
	 * the compiler cannot see the overflow.
	 */
	memset(buf, 0x41, n);
	__asm__ __volatile__("" :: "r"(buf) : "memory");
}

static void smashed_canary_is_caught(struct ktest *t)
{
	struct ktest_catch c;
	size_t n = 32;

	EXPECT_EQ(t, ktest_try(smash_stack, &n, &c), KTEST_CAUGHT_PANIC);
	EXPECT_TRUE(t, str_has_prefix(c.msg, "stack-protector: Kernel stack is corrupted in: smash_stack"));
	ktest_info(t, "caught: %s", c.msg);
}

static void intact_canary_returns(struct ktest *t)
{
	struct ktest_catch c;
	size_t n = 16;		/* fills buf exactly */

	EXPECT_EQ(t, ktest_try(smash_stack, &n, &c), KTEST_CAUGHT_NOTHING);
}

static struct ktest_case stackprotector_cases[] = {
	KTEST_CASE(canary_at_gs_40),
	KTEST_CASE(smashed_canary_is_caught),
	KTEST_CASE(intact_canary_returns),
	{},
};
KTEST_SUITE(stackprotector, stackprotector_cases);
