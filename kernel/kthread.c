/*
 * Kernel threads (Linux's kernel/kthread.c): creation in TASK_NEW, the
 * stop protocol (kthread_stop() sets a flag, wakes the thread and waits
 * for it to exit) and binding to a CPU.
 */
#define pr_fmt(fmt) "kthread: " fmt
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/completion.h>
#include <kernel/slab.h>
#include <kernel/vmalloc.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>
#include <kernel/bug.h>
#include <asm/processor.h>
#include <asm/switch_to.h>

struct kthread {
	int (*threadfn)(void *data);
	void *data;
	bool should_stop;
	bool started;			/* threadfn was called */
	int result;
	struct completion exited;	/* completed by the thread's exit */
};

static struct kthread *to_kthread(struct task_struct *k)
{
	WARN_ON(!(k->flags & PF_KTHREAD));
	return k->kthread;
}

void __noreturn kthread_exit(long result)
{
	do_exit(result);
}

/* From do_exit(): however the thread ends (an oops too), kthread_stop() gets the code and stops waiting. */
void kthread_exit_notify(struct task_struct *tsk, long code)
{
	tsk->kthread->result = (int)code;
	complete_all(&tsk->kthread->exited);
}

/* Every kthread starts here, on its own stack, with interrupts on and preempt_count 0. */
static void __noreturn kthread(void *arg)
{
	struct task_struct *self = arg;
	struct kthread *kt = self->kthread;
	int ret = -EINTR;

	if (!READ_ONCE(kt->should_stop)) {
		kt->started = true;
		ret = kt->threadfn(kt->data);
	}
	kthread_exit(ret);
}

static struct task_struct *__kthread_create(int (*threadfn)(void *), void *data, const char *name)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct kthread *kt = kzalloc(sizeof(*kt), GFP_KERNEL);

	if (!p || !kt)
		goto nomem;
	p->stack = vmalloc_stack(THREAD_SIZE);
	if (!p->stack)
		goto nomem;
	kt->threadfn = threadfn;
	kt->data = data;
	init_completion(&kt->exited);
	p->kthread = kt;
	p->flags = PF_KTHREAD;
	sched_init_task(p, name);
	arch_setup_new_thread(p, kthread, p);
	return p;
nomem:
	kfree(kt);
	kfree(p);
	return ERR_PTR(-ENOMEM);
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *namefmt, ...)
{
	char name[TASK_COMM_LEN];
	va_list ap;

	va_start(ap, namefmt);
	vsnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	return __kthread_create(threadfn, data, name);
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data, unsigned int cpu,
					  const char *namefmt)
{
	char name[TASK_COMM_LEN];
	struct task_struct *p;

	/* namefmt takes the CPU number, as "ksoftirqd/%u" */
	snprintf(name, sizeof(name), namefmt, cpu);
	p = __kthread_create(threadfn, data, name);
	if (!IS_ERR(p))
		kthread_bind(p, cpu);
	return p;
}

void kthread_bind(struct task_struct *k, unsigned int cpu)
{
	struct cpumask m = cpumask_of(cpu);

	if (WARN_ON(READ_ONCE(k->__state) != TASK_NEW))
		return;
	set_cpus_allowed_ptr(k, &m);
	k->cpu = (int)cpu;
	k->flags |= PF_NO_SETAFFINITY;
}

bool kthread_should_stop(void)
{
	return READ_ONCE(to_kthread(current)->should_stop);
}

void *kthread_data(struct task_struct *k)
{
	return to_kthread(k)->data;
}

int kthread_stop(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);
	int ret;

	might_sleep();
	WARN_ON(k == current);
	get_task_struct(k);
	WRITE_ONCE(kt->should_stop, true);
	if (READ_ONCE(k->__state) == TASK_NEW)
		wake_up_new_task(k);
	else
		wake_up_process(k);
	wait_for_completion(&kt->exited);
	ret = kt->result;
	put_task_struct(k);	/* the last reference also frees kt */
	return ret;
}
