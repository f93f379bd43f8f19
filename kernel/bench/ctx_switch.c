/*
 * ctx_switch: one wake-up and switch between two kernel threads on CPU 0,
 * both SCHED_NORMAL nice 0: the bench thread takes the start timestamp
 * and wake_up_process()es a thread "bench/ctx" that sleeps in schedule();
 * the stop timestamp is the first thing that thread does when schedule()
 * returns. The bench thread then sleeps until it is told (sleep wait),
 * so the switch happens either at once (the wake-up pre-empts it) or
 * when it blocks, whichever the scheduler decides. Each iteration starts
 * only once "bench/ctx" is asleep again.
 */
#include <kernel/bench.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/timer.h>

static struct bench_stop cs_stop;
static int cs_go;

static bool cs_task_asleep(struct task_struct *p)
{
	return READ_ONCE(p->__state) == TASK_INTERRUPTIBLE && !READ_ONCE(p->on_cpu);
}

static int cs_thread(void *unused)
{
	for (;;) {
		u64 t;

		set_current_state(TASK_INTERRUPTIBLE);
		if (!READ_ONCE(cs_go) && !kthread_should_stop())
			schedule();
		t = bench_ts();
		__set_current_state(TASK_RUNNING);
		if (kthread_should_stop())
			return 0;
		if (!READ_ONCE(cs_go))
			continue;
		WRITE_ONCE(cs_go, 0);
		WRITE_ONCE(cs_stop.t, t);
		complete(&cs_stop.c);
	}
}

static struct task_struct *cs_task;

static int ctx_switch_iter(struct bench *b, u64 *a, u64 *c)
{
	unsigned long end = jiffies + b->sleep_jiffies;
	u64 t0;

	/* untimed: the other thread must be asleep, or there is nothing to switch to */
	while (!cs_task_asleep(cs_task)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		yield();
	}
	bench_stop_arm(&cs_stop);
	WRITE_ONCE(cs_go, 1);
	t0 = bench_ts();
	wake_up_process(cs_task);
	if (bench_sleep_wait(b, &cs_stop))
		return -ETIMEDOUT;
	*a = cs_stop.t - t0;
	return 0;
}

static void ctx_switch_run(struct bench *b)
{
	bench_stop_init(&cs_stop);
	cs_go = 0;
	cs_task = kthread_create(cs_thread, NULL, "bench/ctx");
	if (IS_ERR(cs_task)) {
		bench_err(b, "ctx_switch", "cannot create a thread: %ld", PTR_ERR(cs_task));
		return;
	}
	kthread_bind(cs_task, 0);
	wake_up_process(cs_task);
	bench_latency(b, "ctx_switch", NULL, ctx_switch_iter);
	kthread_stop(cs_task);
}
BENCH_DEFINE(63, ctx_switch, ctx_switch_run, "ctx_switch");
