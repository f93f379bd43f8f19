/*
 * The tracer's pid -> comm cache (Linux's saved_cmdlines): records hold
 * only a pid, and a task may be gone when its records are printed, so
 * its name is saved when it switches or is woken while tracing, and for
 * every task when tracing starts. A writer that finds the cache busy
 * (another CPU saving) just skips: the name is saved again next time.
 */
#include "internals.h"
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/list.h>

#define SAVED_COMMS	256	/* a power of two: slot = pid % SAVED_COMMS */

static struct {
	int pid;
	char comm[TASK_COMM_LEN];
} saved[SAVED_COMMS];
static DEFINE_SPINLOCK(saved_lock);

/* Any context; interrupts off (the recorders call it inside a record). */
void trace_save_comm(const struct task_struct *p)
{
	unsigned int slot = (unsigned int)p->pid & (SAVED_COMMS - 1);

	if (!p->pid || !arch_spin_trylock(&saved_lock))
		return;
	if (saved[slot].pid != p->pid || strncmp(saved[slot].comm, p->comm, TASK_COMM_LEN)) {
		saved[slot].pid = p->pid;
		trace_copy_name(saved[slot].comm, TASK_COMM_LEN, p->comm);
	}
	arch_spin_unlock(&saved_lock);
}

void trace_save_all_comms(void)
{
	struct task_struct *p;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks)
		trace_save_comm(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

const char *trace_find_comm(int pid, char *buf, size_t size)
{
	unsigned int slot = (unsigned int)pid & (SAVED_COMMS - 1);
	struct task_struct *p;
	unsigned long flags;
	bool found = false;

	if (pid == 0) {
		trace_copy_name(buf, size, "<idle>");
		return buf;
	}
	spin_lock_irqsave(&saved_lock, flags);
	if (saved[slot].pid == pid) {
		trace_copy_name(buf, size, saved[slot].comm);
		found = true;
	}
	spin_unlock_irqrestore(&saved_lock, flags);
	if (found)
		return buf;
	/* not saved (or its slot reused): the live task, if it still exists */
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &all_tasks, tasks) {
		if (p->pid == pid) {
			trace_copy_name(buf, size, p->comm);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!found)
		trace_copy_name(buf, size, "<...>");
	return buf;
}
