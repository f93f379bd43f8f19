/* Boot sequence entry points. */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include <kernel/compiler.h>

/* Generic boot, called by the architecture's entry once per-CPU data and the canary are set. */
void start_kernel(void) __noreturn;
/* Architecture set-up: boot information, CPU tables, memory. */
void setup_arch(void);
/* Move onto a guarded kernel stack and continue in fn(arg); does not return. */
void arch_switch_to_task_stack(void (*fn)(void *), void *arg) __noreturn;
/* The interactive console (kernel/shell.c). */
void shell_run(void) __noreturn;

extern const char kernel_version[];

#endif
