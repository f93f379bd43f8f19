; The real-mode trampoline that secondary CPUs start in (Intel SDM vol. 3A,
; 9.4 "Multiple-processor initialization" and 9.9 "Mode switching").
;
; smpboot.c copies this blob to TRAMPOLINE_BASE (below 1 MiB, page
; aligned) and fills in its parameter block; the STARTUP IPI's vector is
; TRAMPOLINE_BASE >> 12, so an AP begins here in real mode with
; CS = TRAMPOLINE_BASE >> 4 and IP = 0. It then goes
;
;   real mode --lgdt, CR0.PE--> 32-bit protected mode --CR4.PAE, CR3,
;   EFER.LME, CR0.PG--> long mode (still on the low, identity-mapped copy)
;   --> an absolute jump to secondary_startup_64 in the kernel's text.
;
; Until then every address is the blob's physical one: TRAMPOLINE_BASE
; plus the offset of the label in the blob (TR(label)). The page tables
; loaded here (tr_cr3, built by smpboot.c) map the low 2 MiB 1:1 and the
; kernel's higher half as the kernel's own tables do.

%include "asm-offsets.inc"

%define TR(label)	(TRAMPOLINE_BASE + (label) - trampoline_start)

TR_CS32		equ 0x18		; 32-bit code in tr_gdt; 0x08 and 0x10 are the kernel's CS/DS

bits 16
section .rodata
align 16
global trampoline_start, trampoline_end
trampoline_start:
	cli
	cld
	mov	ax, cs
	mov	ds, ax
	; the GDT pointer holds a linear address, so DS-relative is only how we find it
	o32 lgdt [tr_gdtr - trampoline_start]
	; INIT leaves CR0.CD and CR0.NW set (caches off): load CR0 whole, not OR into it
	mov	eax, X86_CR0_PE
	mov	cr0, eax
	jmp	dword TR_CS32:TR(tr_protected)

bits 32
tr_protected:
	mov	ax, __KERNEL_DS
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	mov	eax, cr4
	or	eax, X86_CR4_PAE
	mov	cr4, eax
	mov	eax, [TR(tr_cr3)]
	mov	cr3, eax
	mov	ecx, MSR_EFER
	rdmsr
	or	eax, [TR(tr_efer)]
	wrmsr
	mov	eax, cr0
	or	eax, X86_CR0_PG | X86_CR0_WP | X86_CR0_PE
	mov	cr0, eax
	jmp	__KERNEL_CS:TR(tr_long)

bits 64
tr_long:
	mov	rax, [TR(tr_entry)]
	jmp	rax

align 8
tr_gdt:
	dq	0				; null
	dq	0x00af9a000000ffff		; 0x08: 64-bit code (__KERNEL_CS)
	dq	0x00cf92000000ffff		; 0x10: data (__KERNEL_DS)
	dq	0x00cf9a000000ffff		; 0x18: 32-bit code
tr_gdt_end:
tr_gdtr:
	dw	tr_gdt_end - tr_gdt - 1
	dd	TR(tr_gdt)

; The parameter block, filled in by smpboot.c (struct trampoline_params).
align 8
global trampoline_params
trampoline_params:
tr_cr3:		dd	0		; physical address of the trampoline page tables
tr_efer:	dd	0		; EFER bits to set: LME, and NXE when the BSP uses NX
tr_entry:	dq	0		; secondary_startup_64
trampoline_end:

; ---------------------------------------------------------------------------
; In the kernel's text, reached from the trampoline in long mode with the
; trampoline's page tables: switch to the kernel's tables, the new CPU's
; idle stack and per-CPU area (smpboot.c sets the three smpboot_*
; variables before each STARTUP IPI), and call start_secondary().
; ---------------------------------------------------------------------------
bits 64
section .text
extern smpboot_cr3, smpboot_stack, smpboot_gs_base, start_secondary
global secondary_startup_64:function (secondary_startup_64.end - secondary_startup_64)
secondary_startup_64:
	mov	rax, [rel smpboot_cr3]
	mov	cr3, rax
	mov	rsp, [rel smpboot_stack]
	mov	ecx, MSR_GS_BASE
	mov	eax, [rel smpboot_gs_base]
	mov	edx, [rel smpboot_gs_base + 4]
	wrmsr
	xor	ebp, ebp		; the end of every backtrace on this stack
	call	start_secondary
	ud2
.end:
