/*
 * The scheduler (kernel/sched/core.c): CPU shares by nice level, equal
 * shares at equal nice, SCHED_FIFO before SCHED_NORMAL and round robin
 * among equal FIFO tasks that yield, the callee-saved registers across a
 * switch, the idle task running while everyone sleeps, wake_up_process()
 * return values and a wake-up from an interrupt between
 * set_current_state() and schedule() that must not be lost.
 */
#include "sched_test.h"
#include <kernel/completion.h>
#include <kernel/wait.h>
#include <kernel/errno.h>
#include <kernel/interrupt.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>

static struct st_threads threads;
static volatile int stop;

static void sched_suite_exit(struct ktest *t)
{
	WRITE_ONCE(stop, 1);
	st_stop_all(&threads);
	WRITE_ONCE(stop, 0);
}

struct hog {
	struct task_struct *task;
	volatile unsigned long loops;
	u64 runtime;			/* sum_exec_runtime when measured */
};

/* Spin until told to stop: never sleeps, never yields. */
static int hog_fn(void *data)
{
	struct hog *h = data;

	while (!READ_ONCE(stop) && !kthread_should_stop())
		h->loops++;
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* Start one hog per nice value together, let them compete for ms, record their run times. */
static bool run_hogs(struct ktest *t, struct hog *h, const int *nice, int n, unsigned int ms)
{
	u64 t0;

	WRITE_ONCE(stop, 0);
	for (int i = 0; i < n; i++) {
		h[i].loops = 0;
		h[i].task = st_track(&threads, st_kthread_create(hog_fn, &h[i], "hog%d", nice[i]));
		if (IS_ERR(h[i].task))
			return false;
		set_user_nice(h[i].task, nice[i]);
	}
	/* wake them all before any runs, so they start on equal terms */
	preempt_disable();
	for (int i = 0; i < n; i++)
		wake_up_process(h[i].task);
	t0 = ktime_get_ns();
	preempt_enable();
	msleep(ms);
	t0 = ktime_get_ns() - t0;
	preempt_disable();
	for (int i = 0; i < n; i++)
		h[i].runtime = READ_ONCE(h[i].task->sum_exec_runtime);
	preempt_enable();
	WRITE_ONCE(stop, 1);
	ktest_info(t, "%u ms asked, %llu ms from the wake-ups to the count", ms, (unsigned long long)(t0 / NSEC_PER_MSEC));
	for (int i = 0; i < n; i++) {
		ktest_info(t, "nice %3d: %llu us, %lu loops, %lu switches", nice[i],
			   (unsigned long long)(h[i].runtime / 1000), h[i].loops, h[i].task->nr_switches);
		st_stop(&threads, h[i].task);
	}
	WRITE_ONCE(stop, 0);
	return true;
}

static void nice_levels_share(struct ktest *t)
{
	static const int nice[3] = { -20, 0, 19 };
	struct hog h[3];

	ASSERT_TRUE(t, run_hogs(t, h, nice, 3, 400));
	EXPECT_GT(t, h[0].runtime, h[1].runtime);
	EXPECT_GT(t, h[0].runtime, h[2].runtime);
	/* weight 88761 against 1024 + 15: nice -20 gets ~98 %; ask for 5x, which no fair split gives */
	EXPECT_GT(t, h[0].runtime, 5 * (h[1].runtime + h[2].runtime));
	/* the others still progress */
	EXPECT_GT(t, h[1].runtime, 0);
	EXPECT_GT(t, h[2].runtime, 0);
	EXPECT_GT(t, h[1].loops, 0);
	EXPECT_GT(t, h[2].loops, 0);
}

static void nice_0_vs_5(struct ktest *t)
{
	static const int nice[2] = { 0, 5 };
	struct hog h[2];

	/* weights 1024 and 335: 75 % and 25 %; ask for 1.5x */
	ASSERT_TRUE(t, run_hogs(t, h, nice, 2, 400));
	EXPECT_GT(t, 2 * h[0].runtime, 3 * h[1].runtime);
	EXPECT_GT(t, h[1].runtime, 0);
}

static void equal_nice_equal_share(struct ktest *t)
{
	static const int nice[2] = { 0, 0 };
	struct hog h[2];
	u64 a, b;

	ASSERT_TRUE(t, run_hogs(t, h, nice, 2, 400));
	a = h[0].runtime;
	b = h[1].runtime;
	EXPECT_GT(t, a, 50 * NSEC_PER_MSEC);
	EXPECT_GT(t, b, 50 * NSEC_PER_MSEC);
	/* 50/50 expected; within a factor of 2 either way */
	EXPECT_LT(t, a, 2 * b);
	EXPECT_LT(t, b, 2 * a);
	/* neither ever sleeps or yields: each got the CPU back many times, by tick preemption */
	EXPECT_GE(t, h[0].task->nr_switches, 5);
	EXPECT_GE(t, h[1].task->nr_switches, 5);
}

/* ---- FIFO ---- */

static volatile int seq;
static volatile int order[8];
static volatile unsigned long normal_loops;

static int fifo_first_fn(void *data)
{
	unsigned long before;

	order[0] = __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
	/* busy for 40 ms: the runnable normal task must not get the CPU meanwhile */
	before = normal_loops;
	udelay(40000);
	order[2] = normal_loops == before;
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static int normal_fn(void *data)
{
	order[1] = __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
	while (!READ_ONCE(stop) && !kthread_should_stop())
		normal_loops++;
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void fifo_runs_before_normal(struct ktest *t)
{
	struct task_struct *n, *f;

	seq = 0;
	memset((void *)order, 0, sizeof(order));
	n = st_track(&threads, st_kthread_create(normal_fn, NULL, "normal"));
	f = st_track(&threads, st_kthread_create(fifo_first_fn, NULL, "fifo"));
	ASSERT_FALSE(t, IS_ERR(n) || IS_ERR(f));
	ASSERT_EQ(t, sched_setscheduler_nocheck(f, SCHED_FIFO, 10), 0);
	EXPECT_EQ(t, f->policy, SCHED_FIFO);
	EXPECT_EQ(t, sched_setscheduler_nocheck(f, SCHED_FIFO, 0), -EINVAL);
	/* the normal one is woken first, yet the FIFO one runs first */
	preempt_disable();
	wake_up_process(n);
	wake_up_process(f);
	preempt_enable();
	EXPECT_TRUE(t, wait_until(order[0] && order[1], 3000));
	EXPECT_EQ(t, order[0], 1);
	EXPECT_EQ(t, order[1], 2);
	EXPECT_EQ(t, order[2], 1);
	WRITE_ONCE(stop, 1);
	st_stop(&threads, f);
	st_stop(&threads, n);
	WRITE_ONCE(stop, 0);
}

static volatile int rr_log[16];
static volatile int rr_n;

static int fifo_yield_fn(void *data)
{
	int id = (int)(long)data;

	for (int i = 0; i < 4; i++) {
		int k = __atomic_fetch_add(&rr_n, 1, __ATOMIC_SEQ_CST);

		if (k < 16)
			rr_log[k] = id;
		yield();
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* yield() puts a FIFO task behind the others of its priority (Linux's sched_yield()). */
static void fifo_yield_round_robin(struct ktest *t)
{
	struct task_struct *a, *b;
	char got[17] = { 0 };

	rr_n = 0;
	a = st_track(&threads, st_kthread_create(fifo_yield_fn, (void *)1L, "rr-a"));
	b = st_track(&threads, st_kthread_create(fifo_yield_fn, (void *)2L, "rr-b"));
	ASSERT_FALSE(t, IS_ERR(a) || IS_ERR(b));
	sched_setscheduler_nocheck(a, SCHED_FIFO, 20);
	sched_setscheduler_nocheck(b, SCHED_FIFO, 20);
	preempt_disable();
	wake_up_process(a);
	wake_up_process(b);
	preempt_enable();
	EXPECT_TRUE(t, wait_until(rr_n >= 8, 3000));
	for (int i = 0; i < 8; i++)
		got[i] = (char)('0' + rr_log[i]);
	ktest_info(t, "run order %s", got);
	EXPECT_STREQ(t, got, "12121212");
	st_stop(&threads, a);
	st_stop(&threads, b);
}

static DECLARE_COMPLETION(yield_done);

static int normal_yield_fn(void *data)
{
	int id = (int)(long)data;

	for (int i = 0; i < 4; i++) {
		int k = __atomic_fetch_add(&rr_n, 1, __ATOMIC_SEQ_CST);

		if (k < 16)
			rr_log[k] = id;
		if (k == 7)
			complete(&yield_done);
		yield();
	}
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/*
 * yield() from a normal task lets the other normal task run even when the
 * yielder's vruntime is still the least (Linux's skip buddy). The test
 * thread sleeps on a completion meanwhile, so only the two take turns.
 */
static void normal_yield_alternates(struct ktest *t)
{
	struct task_struct *a, *b;
	char got[17] = { 0 };

	rr_n = 0;
	reinit_completion(&yield_done);
	a = st_track(&threads, st_kthread_create(normal_yield_fn, (void *)1L, "yield-a"));
	b = st_track(&threads, st_kthread_create(normal_yield_fn, (void *)2L, "yield-b"));
	ASSERT_FALSE(t, IS_ERR(a) || IS_ERR(b));
	preempt_disable();
	wake_up_process(a);
	wake_up_process(b);
	preempt_enable();
	EXPECT_TRUE(t, wait_for_completion_timeout(&yield_done, 3 * HZ) > 0);
	for (int i = 0; i < 8; i++)
		got[i] = (char)('0' + rr_log[i]);
	ktest_info(t, "run order %s", got);
	EXPECT_TRUE(t, !strcmp(got, "12121212") || !strcmp(got, "21212121"));
	st_stop(&threads, a);
	st_stop(&threads, b);
}

/* ---- registers across a switch ---- */

/*
 * unsigned int st_check_callee_saved(unsigned long seed, void (*fn)(void)):
 * fill rbx, rbp, r12-r15 with values made from seed, call fn, and
 * return how many of them came back changed.
 */
asm(".pushsection .text\n"
    ".globl st_check_callee_saved\n"
    ".type st_check_callee_saved, @function\n"
    "st_check_callee_saved:\n"
    "	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
    "	push %rdi\n	push %rsi\n	sub $8, %rsp\n"
    "	mov %rdi, %rbx\n"
    "	mov %rdi, %r12\n	rol $8, %r12\n"
    "	mov %rdi, %r13\n	rol $16, %r13\n"
    "	mov %rdi, %r14\n	rol $24, %r14\n"
    "	mov %rdi, %r15\n	rol $32, %r15\n"
    "	mov %rdi, %rbp\n	rol $40, %rbp\n"
    "	call *8(%rsp)\n"
    "	xor %ecx, %ecx\n"
    "	mov 16(%rsp), %rax\n"
    "	cmp %rax, %rbx\n	setne %dl\n	movzbl %dl, %edx\n	add %edx, %ecx\n"
    "	rol $8, %rax\n	cmp %rax, %r12\n	setne %dl\n	movzbl %dl, %edx\n	add %edx, %ecx\n"
    "	rol $8, %rax\n	cmp %rax, %r13\n	setne %dl\n	movzbl %dl, %edx\n	add %edx, %ecx\n"
    "	rol $8, %rax\n	cmp %rax, %r14\n	setne %dl\n	movzbl %dl, %edx\n	add %edx, %ecx\n"
    "	rol $8, %rax\n	cmp %rax, %r15\n	setne %dl\n	movzbl %dl, %edx\n	add %edx, %ecx\n"
    "	rol $8, %rax\n	cmp %rax, %rbp\n	setne %dl\n	movzbl %dl, %edx\n	add %edx, %ecx\n"
    "	mov %ecx, %eax\n"
    "	add $24, %rsp\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbx\n	pop %rbp\n"
    "	ret\n"
    ".size st_check_callee_saved, . - st_check_callee_saved\n"
    ".popsection\n");
unsigned int st_check_callee_saved(unsigned long seed, void (*fn)(void));

static void do_yield(void) { yield(); }
static void do_sleep(void) { schedule_timeout_uninterruptible(1); }
static void do_spin(void) { udelay(3000); }	/* longer than a tick: preempted in here */
static void do_schedule(void) { set_current_state(TASK_RUNNING); schedule(); }

static void (*const reg_fns[])(void) = { do_yield, do_sleep, do_spin, do_schedule };

static volatile unsigned long reg_bad[3], reg_rounds[3];

/* Several threads doing the same at once, each with its own values. */
static int reg_fn(void *data)
{
	long id = (long)data;
	unsigned long seed = 0x0123456789abcdefUL ^ ((unsigned long)id * 0x1111111111111111UL);

	for (int i = 0; !kthread_should_stop(); i++) {
		reg_bad[id] += st_check_callee_saved(seed + (unsigned long)i, reg_fns[i % 4]);
		reg_rounds[id]++;
	}
	return 0;
}

static void callee_saved_registers(struct ktest *t)
{
	struct task_struct *p[3];
	unsigned int bad = 0;

	for (long i = 0; i < 3; i++) {
		reg_bad[i] = reg_rounds[i] = 0;
		p[i] = st_track(&threads, st_kthread_run(reg_fn, (void *)i, "regs%ld", i));
		ASSERT_FALSE(t, IS_ERR(p[i]));
	}
	for (int i = 0; i < 40; i++)
		bad += st_check_callee_saved(0xfedcba9876543210UL + (unsigned long)i, reg_fns[i % 4]);
	for (int i = 0; i < 3; i++) {
		st_stop(&threads, p[i]);
		ktest_info(t, "thread %d: %lu rounds, %lu registers changed", i, reg_rounds[i], reg_bad[i]);
		EXPECT_GT(t, reg_rounds[i], 4);
		EXPECT_EQ(t, reg_bad[i], 0);
	}
	EXPECT_EQ(t, bad, 0);
}

/* ---- idle ---- */

static void idle_runs_when_all_sleep(struct ktest *t)
{
	struct task_struct *idle = idle_task(0);
	u64 r0, r1;
	unsigned long s0, s1, c0, c1;

	ASSERT_NOT_NULL(t, idle);
	EXPECT_STREQ(t, idle->comm, "swapper/0");
	EXPECT_EQ(t, idle->pid, 0);
	EXPECT_TRUE(t, idle->flags & PF_IDLE);
	EXPECT_STREQ(t, current->comm, "init");
	EXPECT_EQ(t, current->pid, 1);
	r0 = READ_ONCE(idle->sum_exec_runtime);
	s0 = READ_ONCE(idle->nr_switches);
	c0 = nr_context_switches_cpu(0);
	msleep(200);
	r1 = READ_ONCE(idle->sum_exec_runtime);
	s1 = READ_ONCE(idle->nr_switches);
	c1 = nr_context_switches_cpu(0);
	ktest_info(t, "idle ran %llu ms of 200, switched in %lu times; %lu switches on CPU 0",
		   (unsigned long long)((r1 - r0) / NSEC_PER_MSEC), s1 - s0, c1 - c0);
	EXPECT_GT(t, r1 - r0, 100 * NSEC_PER_MSEC);
	EXPECT_GE(t, s1 - s0, 1);
	EXPECT_GE(t, c1 - c0, 2);
}

/* ---- wake-ups ---- */

static volatile int sleeper_go, sleeper_wakes;

static int sleeper_fn(void *data)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!READ_ONCE(sleeper_go) && !kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
		sleeper_wakes++;
		sleeper_go = 0;
	}
	return 0;
}

static void wake_up_process_returns(struct ktest *t)
{
	struct task_struct *p;

	sleeper_go = sleeper_wakes = 0;
	p = st_track(&threads, st_kthread_run(sleeper_fn, NULL, "sleeper"));
	ASSERT_FALSE(t, IS_ERR(p));
	ASSERT_TRUE(t, wait_until(task_sleeping(p), 2000));
	EXPECT_EQ(t, READ_ONCE(p->__state), TASK_INTERRUPTIBLE);
	preempt_disable();
	EXPECT_EQ(t, wake_up_process(p), 1);
	/* runnable now, though it has not run yet: nothing to wake */
	EXPECT_EQ(t, READ_ONCE(p->__state), TASK_RUNNING);
	EXPECT_EQ(t, wake_up_process(p), 0);
	preempt_enable();
	EXPECT_EQ(t, wake_up_process(current), 0);
	EXPECT_TRUE(t, wait_until(sleeper_wakes >= 1, 2000));
	/* a task that only waits for an uninterruptible wake-up ignores an interruptible one */
	ASSERT_TRUE(t, wait_until(task_sleeping(p), 2000));
	EXPECT_EQ(t, wake_up_state(p, TASK_UNINTERRUPTIBLE), 0);
	EXPECT_EQ(t, READ_ONCE(p->__state), TASK_INTERRUPTIBLE);
	st_stop(&threads, p);
}

struct waker {
	struct timer_list timer;
	struct task_struct *task;
	volatile int fired;
	volatile long state_seen;
	volatile int in_softirq;
};

static void waker_fn(struct timer_list *tl)
{
	struct waker *w = from_timer(w, tl, timer);

	w->state_seen = READ_ONCE(w->task->__state);
	w->in_softirq = !!in_serving_softirq();
	wake_up_process(w->task);
	w->fired = 1;
}

/*
 * The race-free pattern: the wake-up comes from an interrupt after
 * set_current_state() but before schedule(); schedule() must then
 * return at once instead of sleeping for ever (a timer 2 s away wakes
 * us in case it was lost, and the test sees that).
 */
static void wakeup_between_state_and_schedule(struct ktest *t)
{
	struct waker w = { .task = current }, backup = { .task = current };
	u64 t0, elapsed;

	timer_setup(&w.timer, waker_fn, 0);
	timer_setup(&backup.timer, waker_fn, 0);
	mod_timer(&backup.timer, jiffies + 2 * HZ);
	mod_timer(&w.timer, jiffies + 2);
	set_current_state(TASK_UNINTERRUPTIBLE);
	t0 = ktime_get_ns();
	while (!READ_ONCE(w.fired) && ktime_get_ns() - t0 < 3000 * NSEC_PER_MSEC)
		cpu_relax();
	/* the interrupt woke us already: the state is back to running */
	EXPECT_EQ(t, READ_ONCE(current->__state), TASK_RUNNING);
	t0 = ktime_get_ns();
	schedule();
	elapsed = ktime_get_ns() - t0;
	__set_current_state(TASK_RUNNING);
	del_timer_sync(&backup.timer);
	del_timer_sync(&w.timer);
	EXPECT_EQ(t, w.fired, 1);
	EXPECT_EQ(t, w.state_seen, TASK_UNINTERRUPTIBLE);
	EXPECT_EQ(t, w.in_softirq, 1);
	EXPECT_EQ(t, backup.fired, 0);
	EXPECT_LT(t, elapsed, 1000 * NSEC_PER_MSEC);
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(nice_levels_share),
	KTEST_CASE(nice_0_vs_5),
	KTEST_CASE(equal_nice_equal_share),
	KTEST_CASE(fifo_runs_before_normal),
	KTEST_CASE(fifo_yield_round_robin),
	KTEST_CASE(normal_yield_alternates),
	KTEST_CASE(callee_saved_registers),
	KTEST_CASE(idle_runs_when_all_sleep),
	KTEST_CASE(wake_up_process_returns),
	KTEST_CASE(wakeup_between_state_and_schedule),
	{},
};
KTEST_SUITE(sched, sched_cases, .exit = sched_suite_exit);
