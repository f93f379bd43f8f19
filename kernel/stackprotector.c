/*
 * The stack protector's failure path. GCC (-fstack-protector-strong)
 * stores the canary from %gs:40 below the return address of functions
 * with arrays or address-taken locals, and calls __stack_chk_fail() when
 * it has changed at return. As in Linux, that is a panic: the stack, and
 * so the return address, can no longer be trusted.
 */
#include <kernel/bug.h>

void __stack_chk_fail(void);
void __noreturn __stack_chk_fail(void)
{
	panic("stack-protector: Kernel stack is corrupted in: %pB", __builtin_return_address(0));
}
