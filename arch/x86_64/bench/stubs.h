/* The bare handlers of stubs.asm, for the benchmarks in this directory. */
#ifndef ARCH_X86_64_BENCH_STUBS_H
#define ARCH_X86_64_BENCH_STUBS_H

#include <kernel/types.h>

extern const char bench_iret_stub[];		/* iretq */
extern const char bench_eoi_stub_xapic[];	/* stamp, xAPIC EOI, iretq */
extern const char bench_eoi_stub_x2apic[];	/* stamp, x2APIC EOI, iretq */
extern u64 bench_eoi_stamp;			/* lfence; rdtsc at the EOI stubs' entry; 0 until then */

#endif
