; call_on_stack(fn, arg, stack_top): run fn(arg) on another stack and come
; back. The frame-pointer chain starts afresh (rbp = 0) on the new stack,
; so backtraces end there instead of wandering onto the old one.
bits 64
section .text

global call_on_stack:function (call_on_stack.end - call_on_stack)
call_on_stack:				; rdi = fn, rsi = arg, rdx = stack top
	push	rbp
	mov	rbp, rsp
	push	rbx
	mov	rbx, rsp
	mov	rsp, rdx
	mov	rax, rdi
	mov	rdi, rsi
	xor	ebp, ebp
	call	rax
	mov	rsp, rbx
	pop	rbx
	pop	rbp
	ret
.end:
