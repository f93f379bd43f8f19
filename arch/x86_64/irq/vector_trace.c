/*
 * The recorder of the vector events (Linux's x86 irq_vectors
 * tracepoints, one pair for every vector here): x86_handle_interrupt()
 * records irq_vector_entry after irq_enter() and irq_vector_exit before
 * irq_exit(), so softirqs run on the way out come after the exit, as in
 * Linux. A device vector is recorded with the IRQ bound to it on this
 * CPU, a system vector with its name.
 */
#include <kernel/trace_events.h>
#include <asm/hw_irq.h>

void __trace_irq_vector(unsigned int id, unsigned int vector)
{
	struct trace_slot s;
	struct trace_entry *e = trace_reserve(&s, id);
	const char *name;

	if (!e)
		return;
	e->vector.vector = vector;
	e->vector.irq = x86_vector_info(vector, &name);
	e->vector.name = (unsigned long)name;
	trace_commit(&s);
}
