; Exception and interrupt entry: one stub per vector, two common paths.
;
; The stack as each step leaves it (addresses grow upwards; P = the
; struct pt_regs the C code receives, see include/arch/x86_64/asm/ptrace.h):
;
;   CPU pushes (on the current stack, the TSS RSP0 stack, or an IST
;   stack; in 64-bit mode the CPU first aligns RSP to 16 bytes):
;        P+160  ss
;        P+152  rsp
;        P+144  rflags
;        P+136  cs
;        P+128  rip
;        P+120  error code        (only vectors in ERROR_CODE_VECTOR_MASK)
;
;   the stub for vector V:
;        P+120  orig_rax          pushes -1 for an exception without an
;                                 error code, V for an interrupt (V >= 32)
;        P+112  rdi               saved, then edi = V; jumps to a common path
;
;   common path (x86_entry_common, or x86_entry_paranoid for IST vectors):
;        P+104 .. P+0             rsi rdx rcx rax r8 r9 r10 r11 rbx rbp
;                                 r12 r13 r14 r15: struct pt_regs complete
;        P-8   rip of the interrupted code    \ a frame record, so that a
;        P-16  rbp of the interrupted code    / frame-pointer unwinder (ours,
;                                               or gdb) walks on into the
;                                               interrupted code; rbp = P-16
;        P-24  padding: RSP is 16-byte aligned at the call
;        call x86_entry_dispatch(P, V)
;
; GS: the kernel runs with GS base = this CPU's per-CPU area. Entry from
; ring 3 must SWAPGS first. Ordinary vectors use interrupt gates, so nothing
; can interrupt them before the check of the saved CS. IST vectors (NMI,
; #MC, #DB, #BP, #DF) can arrive anywhere, even between a ring-3 entry and
; its SWAPGS, so their "paranoid" path asks the GS_BASE MSR itself.

%include "asm-offsets.inc"

bits 64
extern x86_entry_dispatch

section .text.entry
global __entry_text_start
__entry_text_start:

; ---------------------------------------------------------------------------
; The 256 stubs, each 16-byte aligned.
; ---------------------------------------------------------------------------
global x86_vector_stubs:function (x86_vector_stubs_end - x86_vector_stubs)
align 16
x86_vector_stubs:
%assign vec 0
%rep NR_VECTORS
align 16
x86_vector_stub_ %+ vec:
  %if vec < NR_EXCEPTION_VECTORS
    %if ((ERROR_CODE_VECTOR_MASK >> vec) & 1) == 0
	push	qword -1		; no CPU error code: orig_rax = -1
    %endif
  %else
	push	qword vec		; interrupt: orig_rax = vector
  %endif
	push	rdi
	mov	edi, vec
  %if vec < NR_EXCEPTION_VECTORS && ((IST_VECTOR_MASK >> vec) & 1)
	jmp	x86_entry_paranoid
  %else
	jmp	x86_entry_common
  %endif
%assign vec vec + 1
%endrep
x86_vector_stubs_end:

; Push the rest of struct pt_regs (rdi is already saved).
%macro SAVE_REGS 0
	push	rsi
	push	rdx
	push	rcx
	push	rax
	push	r8
	push	r9
	push	r10
	push	r11
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
%endmacro

%macro RESTORE_REGS 0
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	pop	r11
	pop	r10
	pop	r9
	pop	r8
	pop	rax
	pop	rcx
	pop	rdx
	pop	rsi
	pop	rdi
%endmacro

; Build the frame record described above and call the C dispatcher
; with rdi = struct pt_regs *, rsi = vector (passed in edi by the stub).
%macro CALL_DISPATCH 0
	mov	esi, edi
	mov	rdi, rsp
	push	qword [rsp + PT_REGS_RIP]
	push	rbp
	mov	rbp, rsp
	sub	rsp, 8
	cld
	call	x86_entry_dispatch
	add	rsp, 24
%endmacro

; ---------------------------------------------------------------------------
; Ordinary vectors: interrupt gates, so the saved CS tells whether we came
; from ring 3 (and need SWAPGS) with no race.
; ---------------------------------------------------------------------------
global x86_entry_common:function (x86_entry_common.end - x86_entry_common)
x86_entry_common:
	test	byte [rsp + PT_REGS_CS - PT_REGS_RDI], 3
	jz	.1
	swapgs
.1:	SAVE_REGS
	CALL_DISPATCH
	RESTORE_REGS
	test	byte [rsp + PT_REGS_CS - PT_REGS_ORIG_RAX], 3
	jz	.2
	swapgs
.2:	add	rsp, 8			; drop orig_rax
	iretq
.end:

; ---------------------------------------------------------------------------
; IST vectors: read GS_BASE; a kernel address (bit 63 set) means GS is
; already the kernel's. ebx remembers whether to swap back (rbx is saved
; in pt_regs and preserved across the C call).
; ---------------------------------------------------------------------------
global x86_entry_paranoid:function (x86_entry_paranoid.end - x86_entry_paranoid)
x86_entry_paranoid:
	SAVE_REGS
	mov	r12d, edi		; vector
	mov	ecx, MSR_GS_BASE
	rdmsr
	xor	ebx, ebx
	test	edx, edx
	js	.1
	swapgs
	mov	ebx, 1
.1:	mov	edi, r12d
	CALL_DISPATCH
	test	ebx, ebx
	jz	.2
	swapgs
.2:	RESTORE_REGS
	add	rsp, 8
	iretq
.end:

global __entry_text_end
__entry_text_end:

; The stub addresses, for the IDT set-up in idt.c.
section .rodata
global x86_vector_stub_table
align 8
x86_vector_stub_table:
%assign vec 0
%rep NR_VECTORS
	dq	x86_vector_stub_ %+ vec
%assign vec vec + 1
%endrep
