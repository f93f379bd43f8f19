; Multiboot2 header (Multiboot2 specification 1.0, section 3.1), and a
; multiboot1 header (Multiboot 0.6.96, section 3.1) whose only purpose is
; that a multiboot1 loader (GRUB's "multiboot", QEMU -kernel) starts us
; and we can say clearly that this kernel needs multiboot2 instead of
; hanging silently. Both must sit in the first 8 KiB (32 KiB for mb2).

MB2_MAGIC		equ 0xe85250d6
MB2_ARCH_I386		equ 0		; 32-bit protected-mode entry
MB2_TAG_END		equ 0
MB2_TAG_INFO_REQ	equ 1
MB2_TAG_FRAMEBUFFER	equ 5
MB2_TAG_OPTIONAL	equ 1

MB1_MAGIC		equ 0x1badb002
MB1_FLAGS		equ 0x00000003	; page-align modules, give the memory map

section .multiboot
align 8
mb2_header:
	dd	MB2_MAGIC
	dd	MB2_ARCH_I386
	dd	mb2_header_end - mb2_header
	dd	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	; Ask for the tags the kernel parses (all optional: the loader may
	; not have them, e.g. no ACPI).
align 8
.info:	dw	MB2_TAG_INFO_REQ, MB2_TAG_OPTIONAL
	dd	.info_end - .info
	dd	1		; command line
	dd	3		; modules
	dd	6		; memory map
	dd	8		; framebuffer
	dd	11		; EFI 32-bit system table (says the firmware is UEFI)
	dd	12		; EFI 64-bit system table
	dd	14		; ACPI 1.0 RSDP
	dd	15		; ACPI 2.0+ RSDP
.info_end:

	; A framebuffer if the platform has no text mode (UEFI); grub.cfg
	; keeps VGA text mode on BIOS with gfxpayload=text.
align 8
.fb:	dw	MB2_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
	dd	20
	dd	0, 0, 32	; no preferred width or height; 32 bpp
align 8
.end:	dw	MB2_TAG_END, 0
	dd	8
mb2_header_end:

align 4
mb1_header:
	dd	MB1_MAGIC
	dd	MB1_FLAGS
	dd	-(MB1_MAGIC + MB1_FLAGS)
