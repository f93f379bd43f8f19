/* Interrupt-flag control (Linux's irqflags.h names). */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <kernel/types.h>
#include <asm/processor-flags.h>

static inline unsigned long native_save_fl(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) :: "memory");
	return f;
}

static inline void local_irq_disable(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ __volatile__("sti" ::: "memory"); }

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long f = native_save_fl();
	local_irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long f)
{
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

#define local_irq_save(flags)	do { (flags) = arch_local_irq_save(); } while (0)

static inline bool irqs_disabled(void) { return !(native_save_fl() & X86_EFLAGS_IF); }

/* Wait for an interrupt with interrupts enabled (sti's shadow covers hlt). */
static inline void safe_halt(void) { __asm__ __volatile__("sti; hlt" ::: "memory"); }
static inline void halt(void) { __asm__ __volatile__("hlt" ::: "memory"); }

#endif
