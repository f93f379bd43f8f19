/*
 * Ticket spinlocks: FIFO-fair between CPUs. Each locker takes a ticket
 * (atomic fetch-and-add on `next`) and spins until `owner` reaches it.
 * spin_lock() disables preemption; the _irqsave variants also disable
 * local interrupts, for data that interrupt handlers share; the _bh
 * variants disable softirqs, for data that softirqs and tasklets share.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/preempt.h>
#include <kernel/bottom_half.h>
#include <asm/irqflags.h>
#include <asm/special_insns.h>

typedef struct spinlock {
	u16 owner;		/* ticket now being served */
	u16 next;		/* next ticket to hand out */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED	{ 0, 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l) { l->owner = l->next = 0; }

static inline void arch_spin_lock(spinlock_t *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline bool arch_spin_trylock(spinlock_t *l)
{
	u32 old = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);
	u16 owner = old & 0xffff, next = old >> 16;

	if (owner != next)
		return false;
	return __atomic_compare_exchange_n((u32 *)l, &old, old + (1u << 16), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void arch_spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	u32 v = __atomic_load_n((u32 *)l, __ATOMIC_RELAXED);
	return (v & 0xffff) != (v >> 16);
}

static inline void spin_lock(spinlock_t *l) { preempt_disable(); arch_spin_lock(l); }
static inline void spin_unlock(spinlock_t *l) { arch_spin_unlock(l); preempt_enable(); }
static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (arch_spin_trylock(l))
		return true;
	preempt_enable();
	return false;
}

#define spin_lock_irqsave(l, flags) \
	do { local_irq_save(flags); spin_lock(l); } while (0)
/* Interrupts back on before preemption is: a reschedule due meanwhile happens here. */
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	arch_spin_unlock(l);
	local_irq_restore(flags);
	preempt_enable();
}
static inline void spin_lock_irq(spinlock_t *l) { local_irq_disable(); spin_lock(l); }
static inline void spin_unlock_irq(spinlock_t *l)
{
	arch_spin_unlock(l);
	local_irq_enable();
	preempt_enable();
}
/* For data shared with softirqs, tasklets and timers (but not hard IRQs). */
static inline void spin_lock_bh(spinlock_t *l) { local_bh_disable(); spin_lock(l); }
static inline void spin_unlock_bh(spinlock_t *l) { spin_unlock(l); local_bh_enable(); }

#endif
