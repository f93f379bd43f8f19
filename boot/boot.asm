; The 32-bit entry: from the multiboot2 hand-off to the higher-half 64-bit
; kernel (Intel SDM vol. 3A, 9.8.5 "Initializing IA-32e Mode").
;
; The loader leaves us in 32-bit protected mode with paging off, EAX =
; the multiboot2 magic and EBX = the physical address of the boot
; information. This code is linked at its physical address (linker.ld,
; .boot); the rest of the kernel is linked at KERNEL_VMA + physical.
;
; Steps: check the magic and CPUID long-mode support (and say why we stop
; if either fails, on COM1 and on the VGA text screen); build boot page
; tables; enable PAE, long mode, NX and paging; load a 64-bit GDT; jump to
; 64-bit code, then to the higher half; set the boot stack and this CPU's
; GS base (the stack-protector canary is read from %gs:40 by every C
; function) and call x86_64_start_kernel(mbi physical address).
;
; Boot page tables: 4 GiB with 2 MiB pages, mapped three times: at 0
; (identity, for the switch itself), at PAGE_OFFSET (the direct map) and at
; KERNEL_VMA (the image, -2 GiB). paging_init() replaces them with the
; final, finely grained tables.

%include "asm-offsets.inc"

MB2_BOOT_MAGIC	equ 0x36d76289
MB1_BOOT_MAGIC	equ 0x2badb002
COM1		equ 0x3f8
VGA_TEXT	equ 0xb8000
PTE_P		equ 1 << 0
PTE_W		equ 1 << 1
PTE_PS		equ 1 << 7

section .boot.text
bits 32
global _start
_start:
	cli
	cld
	mov	esp, boot32_stack_top
	mov	edi, eax		; multiboot magic
	mov	esi, ebx		; boot information

	call	serial_init32

	cmp	edi, MB2_BOOT_MAGIC
	jne	.bad_magic

	; CPUID present? (EFLAGS.ID can be toggled)
	pushfd
	pop	eax
	mov	ecx, eax
	xor	eax, 1 << 21
	push	eax
	popfd
	pushfd
	pop	eax
	push	ecx
	popfd
	cmp	eax, ecx
	je	.no_long_mode

	mov	eax, 0x80000000
	cpuid
	cmp	eax, 0x80000001
	jb	.no_long_mode
	mov	eax, 0x80000001
	cpuid
	test	edx, 1 << 29		; LM
	jz	.no_long_mode
	xor	ebp, ebp		; EFER bits to set besides LME
	test	edx, 1 << 20		; NX
	jz	.1
	mov	ebp, EFER_NXE
.1:
	call	build_boot_page_tables

	mov	eax, cr4
	or	eax, X86_CR4_PAE
	mov	cr4, eax
	mov	eax, boot_pml4
	mov	cr3, eax
	mov	ecx, MSR_EFER
	rdmsr
	or	eax, EFER_LME
	or	eax, ebp
	wrmsr
	mov	eax, cr0
	or	eax, X86_CR0_PG | X86_CR0_WP | X86_CR0_PE
	mov	cr0, eax

	lgdt	[boot_gdt_ptr]
	jmp	__KERNEL_CS:.long_mode

.bad_magic:
	mov	ebx, msg_magic
	call	print32
	mov	eax, edi
	call	print_hex32
	mov	ebx, msg_magic2
	cmp	edi, MB1_BOOT_MAGIC
	jne	.2
	mov	ebx, msg_magic_mb1
.2:	call	print32
	jmp	halt32

.no_long_mode:
	mov	ebx, msg_nolm
	call	print32
	jmp	halt32

bits 64
.long_mode:
	mov	ax, __KERNEL_DS
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	xor	eax, eax
	mov	fs, ax
	mov	gs, ax
	mov	rax, x86_64_entry_high
	jmp	rax

bits 32
; Identity + direct map + kernel map of the first 4 GiB, 2 MiB pages.
build_boot_page_tables:
	; four page directories, one per GiB
	mov	edi, boot_pd
	mov	eax, PTE_P | PTE_W | PTE_PS
	xor	edx, edx
	mov	ecx, 4 * 512
.pd:	mov	[edi], eax
	mov	[edi + 4], edx
	add	eax, 1 << 21
	adc	edx, 0
	add	edi, 8
	loop	.pd
	; low PDPT: four entries for 0-4 GiB (shared by identity and direct map)
	mov	edi, boot_pdpt_low
	mov	eax, boot_pd + (PTE_P | PTE_W)
	mov	ecx, 4
.pdpt:	mov	[edi], eax
	add	eax, 4096
	add	edi, 8
	loop	.pdpt
	; high PDPT: entry 510 (-2 GiB) maps the first GiB for the kernel image
	mov	dword [boot_pdpt_high + 510 * 8], boot_pd + (PTE_P | PTE_W)
	; PML4: 0 (identity), 256 (PAGE_OFFSET), 511 (KERNEL_VMA)
	mov	dword [boot_pml4 + 0 * 8], boot_pdpt_low + (PTE_P | PTE_W)
	mov	dword [boot_pml4 + 256 * 8], boot_pdpt_low + (PTE_P | PTE_W)
	mov	dword [boot_pml4 + 511 * 8], boot_pdpt_high + (PTE_P | PTE_W)
	ret

; COM1 at 115200 8N1, polled: enough to explain why we stop.
serial_init32:
	mov	dx, COM1 + 1
	xor	al, al
	out	dx, al			; IER: no interrupts
	mov	dx, COM1 + 3
	mov	al, 0x80
	out	dx, al			; LCR: DLAB
	mov	dx, COM1 + 0
	mov	al, 1
	out	dx, al			; divisor low: 115200 baud
	mov	dx, COM1 + 1
	xor	al, al
	out	dx, al			; divisor high
	mov	dx, COM1 + 3
	mov	al, 0x03
	out	dx, al			; LCR: 8N1
	mov	dx, COM1 + 2
	mov	al, 0xc7
	out	dx, al			; FCR: FIFO on, cleared
	ret

; Print the NUL-terminated string at ebx on COM1 and the VGA text screen.
print32:
	push	eax
	push	ebx
.next:	mov	al, [ebx]
	test	al, al
	jz	.done
	call	putc32
	inc	ebx
	jmp	.next
.done:	pop	ebx
	pop	eax
	ret

; Print eax as 8 hex digits.
print_hex32:
	push	ecx
	push	edx
	mov	edx, eax
	mov	ecx, 8
.digit:	rol	edx, 4
	mov	eax, edx
	and	eax, 0xf
	mov	al, [hex_digits + eax]
	call	putc32
	loop	.digit
	pop	edx
	pop	ecx
	ret

; One character in al to COM1 (waiting for THRE) and to the VGA screen.
putc32:
	push	ecx
	push	edx
	push	eax
	mov	dx, COM1 + 5
.wait:	in	al, dx
	test	al, 0x20
	jz	.wait
	mov	eax, [esp]
	mov	dx, COM1
	out	dx, al
	cmp	al, 10
	je	.newline
	mov	edx, [vga_pos]
	mov	ah, 0x4f		; white on red
	mov	[VGA_TEXT + edx * 2], ax
	inc	dword [vga_pos]
	jmp	.out
.newline:
	mov	eax, [vga_pos]
	xor	edx, edx
	mov	ecx, 80
	div	ecx
	inc	eax
	mul	ecx
	mov	[vga_pos], eax
.out:	pop	eax
	pop	edx
	pop	ecx
	ret

halt32:
	cli
	hlt
	jmp	halt32

section .boot.data
align 8
boot_gdt:
	dq	0
	dq	0x00af9a000000ffff	; 0x08: 64-bit kernel code
	dq	0x00cf92000000ffff	; 0x10: kernel data
boot_gdt_end:
boot_gdt_ptr:
	dw	boot_gdt_end - boot_gdt - 1
	dd	boot_gdt

vga_pos:	dd	0
hex_digits:	db	"0123456789abcdef"
msg_magic:	db	10, "boot: not started by a multiboot2 boot loader (EAX = 0x", 0
msg_magic2:	db	", expected 0x36d76289).", 10
		db	"boot: load this kernel with GRUB's multiboot2 command (make run builds such an ISO). Halting.", 10, 0
msg_magic_mb1:	db	", a multiboot1 loader).", 10
		db	"boot: this kernel needs multiboot2: use GRUB's multiboot2 command, not multiboot or QEMU -kernel. Halting.", 10, 0
msg_nolm:	db	10, "boot: this CPU does not support 64-bit long mode (CPUID 0x80000001 EDX.LM = 0).", 10
		db	"boot: this is an x86_64 kernel; use qemu-system-x86_64 with a 64-bit CPU model. Halting.", 10, 0

section .boot.bss nobits alloc write
align 4096
boot_pml4:	resb	4096
boot_pdpt_low:	resb	4096
boot_pdpt_high:	resb	4096
boot_pd:	resb	4 * 4096
boot32_stack:	resb	1024
boot32_stack_top:

; ---------------------------------------------------------------------------
; 64-bit, higher half.
; ---------------------------------------------------------------------------
section .text
bits 64
x86_64_entry_high:
	mov	rsp, boot_stack_top
	xor	ebp, ebp
	; GS base = this (the boot) CPU's per-CPU area: the template itself.
	mov	ecx, MSR_GS_BASE
	mov	rax, __per_cpu_load
	mov	rdx, rax
	shr	rdx, 32
	wrmsr
	mov	edi, esi		; boot information (physical)
	call	x86_64_start_kernel
.hang:	cli
	hlt
	jmp	.hang

extern x86_64_start_kernel
extern __per_cpu_load

section .bss
align 4096
global boot_stack, boot_stack_top
boot_stack:	resb	16384
boot_stack_top:
