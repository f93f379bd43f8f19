; Bare interrupt handlers for the benchmarks' hardware limits
; (arch/x86_64/bench/): their IDT gates point here directly, past
; entry.asm, so nothing of the kernel's entry path runs. Kernel mode
; only (the benchmarks raise them from ring 0, so no SWAPGS), and they
; touch no per-CPU data.
;
; bench_iret_stub: `int $BENCH_IRET_VECTOR` lands here and returns.
;
; bench_eoi_stub_xapic / _x2apic: a self-IPI on BENCH_EOI_VECTOR lands
; here. The first instructions take the stop timestamp the way the C side
; does (lfence; rdtsc) into bench_eoi_stamp, which the measuring thread
; polls; then the local APIC gets its EOI (the xAPIC's MMIO register, or
; the x2APIC's MSR) and the stub returns. Stack on entry: the CPU's
; 5-word interrupt frame; what the stub pushes it pops.

%include "asm-offsets.inc"

bits 64
extern xapic_mmio

section .text

global bench_iret_stub:function (bench_iret_stub.end - bench_iret_stub)
align 16
bench_iret_stub:
	iretq
.end:

global bench_eoi_stub_xapic:function (bench_eoi_stub_xapic.end - bench_eoi_stub_xapic)
align 16
bench_eoi_stub_xapic:
	push	rax
	push	rdx
	lfence
	rdtsc
	shl	rdx, 32
	or	rax, rdx
	mov	[rel bench_eoi_stamp], rax
	mov	rax, [rel xapic_mmio]
	mov	dword [rax + APIC_EOI], 0
	pop	rdx
	pop	rax
	iretq
.end:

global bench_eoi_stub_x2apic:function (bench_eoi_stub_x2apic.end - bench_eoi_stub_x2apic)
align 16
bench_eoi_stub_x2apic:
	push	rax
	push	rcx
	push	rdx
	lfence
	rdtsc
	shl	rdx, 32
	or	rax, rdx
	mov	[rel bench_eoi_stamp], rax
	mov	ecx, X2APIC_MSR_EOI
	xor	eax, eax
	xor	edx, edx
	wrmsr
	pop	rdx
	pop	rcx
	pop	rax
	iretq
.end:

section .data
global bench_eoi_stamp
align 8
bench_eoi_stamp:
	dq	0
