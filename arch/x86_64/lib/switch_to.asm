; The context switch and the first return of a new kernel thread.
;
; A task that is not running keeps its callee-saved registers on its own
; stack, under the address saved in task_struct.sp (TASK_SP):
;
;        sp+48  return address: into __schedule(), or ret_from_fork
;        sp+40  rbp
;        sp+32  rbx             a new thread: the function to run
;        sp+24  r12             a new thread: its argument
;        sp+16  r13
;        sp+8   r14
;        sp+0   r15
;
; Everything else is caller-saved under the SysV ABI, so the C caller has
; already saved what it needs. RFLAGS is not switched: __schedule() runs
; with interrupts off on both sides.

%include "asm-offsets.inc"

bits 64
section .text
extern schedule_tail

; struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next)
; Returns, on next's stack, the task that was switched away from (prev
; of the switch that resumes it, "last" in Linux).
global __switch_to_asm:function (__switch_to_asm.end - __switch_to_asm)
__switch_to_asm:
	push	rbp
	push	rbx
	push	r12
	push	r13
	push	r14
	push	r15
	mov	[rdi + TASK_SP], rsp
	mov	rsp, [rsi + TASK_SP]
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbx
	pop	rbp
	mov	rax, rdi
	ret
.end:

; A new thread's first "return" from __switch_to_asm lands here, with
; rax = the task switched away from, rbx = fn, r12 = arg. rbp is 0, so
; a backtrace ends here.
global ret_from_fork:function (ret_from_fork.end - ret_from_fork)
ret_from_fork:
	mov	rdi, rax
	call	schedule_tail
	mov	rdi, r12
	call	rbx
	ud2				; fn must not return (kthread() ends in do_exit)
.end:
