/*
 * Kernel threads (kernel/kthread.c): a created thread waits in TASK_NEW
 * until woken, kthread_run() starts it, kthread_stop() hands back its
 * return value (-EINTR when it never ran), kthread_bind() and
 * kthread_data(), and every stopped thread is unlisted and freed: 200
 * create/stop rounds leave the kmalloc and vmap counters where they were.
 * ksoftirqd/0 exists and is bound to CPU 0.
 */
#include "sched_test.h"
#include <kernel/errno.h>
#include <kernel/slab.h>
#include <kernel/vmalloc.h>
#include <kernel/spinlock.h>
#include <kernel/interrupt.h>

static struct st_threads threads;
static volatile int ran, runs;

static void kthread_suite_exit(struct ktest *t)
{
	st_stop_all(&threads);
}

/* Marks that it ran, then waits to be stopped; returns 42. */
static int wait_for_stop_fn(void *data)
{
	WRITE_ONCE(ran, 1);
	__atomic_add_fetch(&runs, 1, __ATOMIC_SEQ_CST);
	while (!kthread_should_stop())
		msleep(1);
	return 42;
}

static void create_does_not_run(struct ktest *t)
{
	struct task_struct *p;

	ran = 0;
	p = st_track(&threads, kthread_create(wait_for_stop_fn, NULL, "kt-%s", "new"));
	ASSERT_FALSE(t, IS_ERR(p));
	EXPECT_STREQ(t, p->comm, "kt-new");
	EXPECT_TRUE(t, p->flags & PF_KTHREAD);
	EXPECT_GT(t, p->pid, 1);
	EXPECT_EQ(t, READ_ONCE(p->__state), TASK_NEW);
	EXPECT_TRUE(t, find_task_by_pid(p->pid) == p);
	msleep(30);
	EXPECT_EQ(t, ran, 0);
	EXPECT_EQ(t, READ_ONCE(p->__state), TASK_NEW);
	EXPECT_EQ(t, p->nr_switches, 0);
	/* the first wake-up starts it */
	EXPECT_EQ(t, wake_up_process(p), 1);
	EXPECT_TRUE(t, wait_until(ran, 2000));
	EXPECT_NE(t, READ_ONCE(p->__state), TASK_NEW);
	EXPECT_EQ(t, st_stop(&threads, p), 42);
}

static void run_and_stop_returns_value(struct ktest *t)
{
	struct task_struct *p;
	int pid;

	ran = 0;
	p = st_track(&threads, kthread_run(wait_for_stop_fn, NULL, "kt-run"));
	ASSERT_FALSE(t, IS_ERR(p));
	pid = p->pid;
	EXPECT_TRUE(t, wait_until(ran, 2000));
	EXPECT_EQ(t, st_stop(&threads, p), 42);
	/* gone from the task list once stopped */
	/* reaped once its CPU (maybe another) has switched away from it */
	EXPECT_TRUE(t, wait_until(!find_task_by_pid(pid), 2000));
}

static void stop_before_run_is_eintr(struct ktest *t)
{
	struct task_struct *p;
	int pid;

	ran = 0;
	p = kthread_create(wait_for_stop_fn, NULL, "kt-never");
	ASSERT_FALSE(t, IS_ERR(p));
	pid = p->pid;
	EXPECT_EQ(t, kthread_stop(p), -EINTR);
	EXPECT_EQ(t, ran, 0);		/* its function never ran */
	/* reaped once its CPU (maybe another) has switched away from it */
	EXPECT_TRUE(t, wait_until(!find_task_by_pid(pid), 2000));
}

static int should_stop_fn(void *data)
{
	int loops = 0;

	while (!kthread_should_stop()) {
		loops++;
		msleep(1);
	}
	/* seen only after kthread_stop(): report how long it looped */
	return loops;
}

static void should_stop_seen(struct ktest *t)
{
	struct task_struct *p = st_track(&threads, kthread_run(should_stop_fn, NULL, "kt-loop"));

	ASSERT_FALSE(t, IS_ERR(p));
	msleep(20);
	EXPECT_GT(t, st_stop(&threads, p), 0);
}

static void *seen_data;

static int data_fn(void *data)
{
	seen_data = kthread_data(current);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

static void data_pointer(struct ktest *t)
{
	static int cookie;
	struct task_struct *p;

	seen_data = NULL;
	p = st_track(&threads, kthread_create(data_fn, &cookie, "kt-data"));
	ASSERT_FALSE(t, IS_ERR(p));
	EXPECT_TRUE(t, kthread_data(p) == &cookie);
	wake_up_process(p);
	EXPECT_TRUE(t, wait_until(seen_data, 2000));
	EXPECT_TRUE(t, seen_data == &cookie);
	st_stop(&threads, p);
}

static void bind_sets_cpu(struct ktest *t)
{
	struct task_struct *p;
	struct cpumask m = cpumask_of(0);
	unsigned long warns;

	ran = 0;
	p = st_track(&threads, kthread_create(wait_for_stop_fn, NULL, "kt-bound"));
	ASSERT_FALSE(t, IS_ERR(p));
	kthread_bind(p, 0);
	EXPECT_EQ(t, p->cpu, 0);
	EXPECT_TRUE(t, !memcmp(&p->cpus_allowed, &m, sizeof(m)));
	EXPECT_TRUE(t, p->flags & PF_NO_SETAFFINITY);
	wake_up_process(p);
	EXPECT_TRUE(t, wait_until(ran, 2000));
	EXPECT_EQ(t, p->cpu, 0);
	/* binding a thread that already runs is a bug: a warning, and nothing changes */
	warns = warn_count;
	p->flags &= ~PF_NO_SETAFFINITY;
	kthread_bind(p, 0);
	EXPECT_EQ(t, warn_count, warns + 1);
	EXPECT_FALSE(t, p->flags & PF_NO_SETAFFINITY);
	EXPECT_EQ(t, st_stop(&threads, p), 42);
}

static int exit_now_fn(void *data)
{
	return 7;
}

/* A thread that returns without being stopped is freed at its last switch. */
static void self_exit_frees(struct ktest *t)
{
	struct task_struct *p = kthread_create(exit_now_fn, NULL, "kt-exit");
	int pid;

	ASSERT_FALSE(t, IS_ERR(p));
	pid = p->pid;		/* before it runs: it may be gone by the time wake_up_process() returns */
	wake_up_process(p);
	EXPECT_TRUE(t, wait_until(!find_task_by_pid(pid), 2000));
}

static unsigned long kmalloc_objects(void)
{
	struct kmalloc_stats st;
	unsigned long n = 0;

	kmalloc_get_stats(&st);
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		n += st.classes[i].in_use;
	return n + st.large_allocs - st.large_frees;
}

static unsigned long nr_tasks(void)
{
	struct task_struct *p;
	unsigned long flags, n = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks)
		n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

/* 200 threads, half stopped before they ran and half after: nothing stays behind. */
static void no_leak_200(struct ktest *t)
{
	struct vmap_stats v0, v1;
	unsigned long k0, k1, n0, n1;
	int bad = 0;

	runs = 0;
	msleep(10);		/* let earlier cases' threads finish exiting */
	vmap_get_stats(&v0);
	k0 = kmalloc_objects();
	n0 = nr_tasks();
	for (int i = 0; i < 200; i++) {
		struct task_struct *p = kthread_create(wait_for_stop_fn, NULL, "kt-leak%d", i);

		if (IS_ERR(p)) {
			bad++;
			continue;
		}
		if (i & 1) {
			int want = READ_ONCE(runs) + 1;

			wake_up_process(p);
			/* until its function ran: on SMP it may have been switched in elsewhere but not got there yet */
			if (!wait_until(READ_ONCE(runs) >= want, 2000))
				bad++;
			if (kthread_stop(p) != 42)
				bad++;
		} else if (kthread_stop(p) != -EINTR) {
			bad++;
		}
	}
	/*
	 * The last thread may still be being freed on another CPU (its final
	 * reference goes once that CPU switched away from it): give that a
	 * moment. A real leak does not go away by waiting.
	 */
	wait_until((vmap_get_stats(&v1), v1.areas <= v0.areas && kmalloc_objects() <= k0 + 2), 1000);
	vmap_get_stats(&v1);
	k1 = kmalloc_objects();
	n1 = nr_tasks();
	ktest_info(t, "kmalloc objects %lu -> %lu, vmap areas %lu -> %lu, pages %lu -> %lu, tasks %lu -> %lu",
		   k0, k1, v0.areas, v1.areas, v0.pages, v1.pages, n0, n1);
	EXPECT_EQ(t, bad, 0);
	EXPECT_EQ(t, runs, 100);
	EXPECT_EQ(t, n1, n0);
	EXPECT_EQ(t, v1.areas, v0.areas);
	EXPECT_EQ(t, v1.pages, v0.pages);
	/* 200 leaked threads would be 400 objects: allow a couple from unrelated activity */
	EXPECT_LE(t, k1, k0 + 2);
}

/* The per-CPU softirq thread: there, named for its CPU, bound to it for good. */
static void ksoftirqd_bound(struct ktest *t)
{
	struct task_struct *k = ksoftirqd_task(0), *p, *found = NULL;
	struct cpumask m = cpumask_of(0);
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks)
		if (!strcmp(p->comm, "ksoftirqd/0"))
			found = p;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	ASSERT_NOT_NULL(t, found);
	EXPECT_TRUE(t, found == k);
	EXPECT_TRUE(t, k->flags & PF_KTHREAD);
	EXPECT_TRUE(t, k->flags & PF_NO_SETAFFINITY);
	EXPECT_EQ(t, k->cpu, 0);
	EXPECT_TRUE(t, !memcmp(&k->cpus_allowed, &m, sizeof(m)));
	EXPECT_NE(t, READ_ONCE(k->__state), TASK_NEW);
}

static struct ktest_case kthread_cases[] = {
	KTEST_CASE(create_does_not_run),
	KTEST_CASE(run_and_stop_returns_value),
	KTEST_CASE(stop_before_run_is_eintr),
	KTEST_CASE(should_stop_seen),
	KTEST_CASE(data_pointer),
	KTEST_CASE(bind_sets_cpu),
	KTEST_CASE(self_exit_frees),
	KTEST_CASE(no_leak_200),
	KTEST_CASE(ksoftirqd_bound),
	{},
};
KTEST_SUITE(kthread, kthread_cases, .exit = kthread_suite_exit);
