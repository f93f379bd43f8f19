; call_on_irq_stack(fn, arg, stack_top): run fn(arg) on the IRQ stack and
; come back. Unlike call_on_stack, the frame-pointer chain continues: rbp
; still points at this function's frame record on the old stack, so a
; backtrace taken on the IRQ stack walks on into the interrupted code.
bits 64
section .text

global call_on_irq_stack:function (call_on_irq_stack.end - call_on_irq_stack)
call_on_irq_stack:			; rdi = fn, rsi = arg, rdx = stack top
	push	rbp
	mov	rbp, rsp
	mov	rsp, rdx
	mov	rax, rdi
	mov	rdi, rsi
	call	rax
	mov	rsp, rbp
	pop	rbp
	ret
.end:
