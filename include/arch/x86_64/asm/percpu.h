/*
 * Per-CPU variables, reached through the GS base as in Linux x86-64.
 *
 * DEFINE_PER_CPU() puts a variable in .data..percpu, which linker.ld links
 * at address 0: a variable's "address" is its offset inside a CPU's copy.
 * Each CPU's GS base points at its own copy, so %gs:var is that CPU's
 * instance, and this_cpu_off (the copy's address) turns an offset into a
 * pointer. The first 48 bytes hold struct fixed_percpu_data, whose
 * stack_canary lands at %gs:40, where GCC's -mstack-protector-guard=tls
 * looks for it.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define NR_CPUS			64

#define DEFINE_PER_CPU(type, name) \
	__section(".data..percpu") __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define DEFINE_PER_CPU_FIRST(type, name) \
	__section(".data..percpu..first") __typeof__(type) name

struct fixed_percpu_data {
	char gs_base[40];		/* reserved: GCC fixes the canary at 40 */
	unsigned long stack_canary;	/* %gs:40, checked by -fstack-protector */
};
_Static_assert(offsetof(struct fixed_percpu_data, stack_canary) == 40, "canary at %gs:40");

DECLARE_PER_CPU(struct fixed_percpu_data, fixed_percpu_data);
DECLARE_PER_CPU(unsigned long, this_cpu_off);
DECLARE_PER_CPU(int, cpu_number);

/* Address of each CPU's copy; per_cpu_ptr() adds it to a variable's offset. */
extern unsigned long __per_cpu_offset[NR_CPUS];

/* Template of the section, as loaded with the image (linker.ld). */
extern char __per_cpu_load[], __per_cpu_start[], __per_cpu_end[];

#define __pcpu_op(op, var, val)							\
	do {									\
		switch (sizeof(var)) {						\
		case 1: __asm__ __volatile__(op "b %1, %%gs:%c0" :: "i"(&(var)), "qi"((u8)(unsigned long)(val)) : "memory"); break; \
		case 2: __asm__ __volatile__(op "w %1, %%gs:%c0" :: "i"(&(var)), "ri"((u16)(unsigned long)(val)) : "memory"); break; \
		case 4: __asm__ __volatile__(op "l %1, %%gs:%c0" :: "i"(&(var)), "ri"((u32)(unsigned long)(val)) : "memory"); break; \
		case 8: __asm__ __volatile__(op "q %1, %%gs:%c0" :: "i"(&(var)), "re"((u64)(unsigned long)(val)) : "memory"); break; \
		}								\
	} while (0)

/* Read this CPU's instance of var: one instruction, safe against interrupts. */
#define this_cpu_read(var)							\
	({									\
		unsigned long __v;						\
		switch (sizeof(var)) {						\
		case 1: { u8 __t; __asm__ __volatile__("movb %%gs:%c1, %0" : "=q"(__t) : "i"(&(var)) : "memory"); __v = __t; break; } \
		case 2: { u16 __t; __asm__ __volatile__("movw %%gs:%c1, %0" : "=r"(__t) : "i"(&(var)) : "memory"); __v = __t; break; } \
		case 4: { u32 __t; __asm__ __volatile__("movl %%gs:%c1, %0" : "=r"(__t) : "i"(&(var)) : "memory"); __v = __t; break; } \
		default: __asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(__v) : "i"(&(var)) : "memory"); break; \
		}								\
		(__typeof__(var))__v;						\
	})

#define this_cpu_write(var, val)	__pcpu_op("mov", var, val)
#define this_cpu_add(var, val)		__pcpu_op("add", var, val)
#define this_cpu_sub(var, val)		__pcpu_op("sub", var, val)
#define this_cpu_or(var, val)		__pcpu_op("or", var, val)
#define this_cpu_and(var, val)		__pcpu_op("and", var, val)
#define this_cpu_inc(var)		this_cpu_add(var, 1)
#define this_cpu_dec(var)		this_cpu_sub(var, 1)

#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + __per_cpu_offset[cpu]))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((unsigned long)(ptr) + this_cpu_read(this_cpu_off)))

static inline int smp_processor_id(void) { return this_cpu_read(cpu_number); }

#endif
