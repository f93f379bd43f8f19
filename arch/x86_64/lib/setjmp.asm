; setjmp/longjmp (System V ABI: only rbx, rbp, r12-r15 and rsp survive a call).
; longjmp also restores RFLAGS, so the interrupt flag comes back as it was.
%include "asm-offsets.inc"

bits 64
section .text

global setjmp:function (setjmp.end - setjmp)
setjmp:					; rdi = jmp_buf
	mov	[rdi + JMP_BUF_RBX], rbx
	mov	[rdi + JMP_BUF_RBP], rbp
	mov	[rdi + JMP_BUF_R12], r12
	mov	[rdi + JMP_BUF_R13], r13
	mov	[rdi + JMP_BUF_R14], r14
	mov	[rdi + JMP_BUF_R15], r15
	lea	rax, [rsp + 8]		; the caller's rsp after we return
	mov	[rdi + JMP_BUF_RSP], rax
	mov	rax, [rsp]		; return address
	mov	[rdi + JMP_BUF_RIP], rax
	pushfq
	pop	qword [rdi + JMP_BUF_RFLAGS]
	xor	eax, eax
	ret
.end:

global longjmp:function (longjmp.end - longjmp)
longjmp:				; rdi = jmp_buf, esi = value
	mov	eax, esi
	test	eax, eax
	jnz	.1
	inc	eax
.1:	mov	rbx, [rdi + JMP_BUF_RBX]
	mov	rbp, [rdi + JMP_BUF_RBP]
	mov	r12, [rdi + JMP_BUF_R12]
	mov	r13, [rdi + JMP_BUF_R13]
	mov	r14, [rdi + JMP_BUF_R14]
	mov	r15, [rdi + JMP_BUF_R15]
	mov	rsp, [rdi + JMP_BUF_RSP]
	push	qword [rdi + JMP_BUF_RFLAGS]
	popfq
	jmp	[rdi + JMP_BUF_RIP]
.end:
