/*
 * The vector map (IDT entries 32-255):
 *
 *   0x20-0x2f  the 8259 PIC's IRQ 0-15 in PIC mode (ICW2 bases 0x20/0x28)
 *   0x20-0xee  in APIC mode: device IRQs, assigned on demand (never 0x80)
 *   0x80       int $0x80, the system-call gate
 *   0xef       the int_dispatch benchmark's line (an irq_desc, raised by int)
 *   0xf0-0xff  system vectors: handled directly, never shared with devices
 */
#ifndef ASM_IRQ_VECTORS_H
#define ASM_IRQ_VECTORS_H

#include <asm/trapnr.h>

#define ISA_IRQ_VECTOR(irq)		(FIRST_EXTERNAL_VECTOR + (irq))
#define FIRST_DYNAMIC_VECTOR		FIRST_EXTERNAL_VECTOR
#define LAST_DYNAMIC_VECTOR		0xee
/* Raised by `int` on CPU 0 for the int_dispatch benchmark: kept out of dynamic allocation. */
#define BENCH_DISPATCH_VECTOR		0xef

#define FIRST_SYSTEM_VECTOR		0xf0
#define LOCAL_TIMER_VECTOR		0xf0	/* the LAPIC timer (clock events) */
#define IRQ_RESEND_VECTOR		0xf1	/* software resend of PENDING edge IRQs */
#define BENCH_IRET_VECTOR		0xf3	/* benchmarks: a gate straight to an iretq-only stub */
#define BENCH_EOI_VECTOR		0xf4	/* benchmarks: a gate to a stub that only stamps and EOIs */
#define IRQ_WORK_VECTOR			0xf6	/* irq_work: self-IPIs, and IPIs for work queued on another CPU */
#define CALL_FUNCTION_SINGLE_VECTOR	0xfb	/* run this CPU's call queue (one target) */
#define CALL_FUNCTION_VECTOR		0xfc	/* run this CPU's call queue (a mask of targets) */
#define RESCHEDULE_VECTOR		0xfd	/* reschedule IPI */
#define ERROR_APIC_VECTOR		0xfe	/* LAPIC internal errors (ESR) */
/* SPURIOUS_APIC_VECTOR (0xff) is in asm/trapnr.h: its low 4 bits must be 1111 on old APICs */

#endif
