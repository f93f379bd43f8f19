/* Stopping the machine: halt, reset, and QEMU's isa-debug-exit. */
#ifndef ASM_REBOOT_H
#define ASM_REBOOT_H

#include <kernel/compiler.h>

/* isa-debug-exit (iobase 0xf4): QEMU exits with status (value << 1) | 1. */
#define QEMU_EXIT_PORT		0xf4
#define QEMU_EXIT_SUCCESS	0x10	/* status 33: all tests passed */
#define QEMU_EXIT_FAILURE	0x11	/* status 35: some tests failed */
#define QEMU_EXIT_DIED		0x12	/* status 37: the kernel died (oops/panic) */

/* Bochs's shutdown port: "Shutdown" written there, a byte at a time, ends Bochs. */
#define BOCHS_SHUTDOWN_PORT	0x8900
/* Bochs's "port 0xe9 hack": bytes written there appear on its console. */
#define BOCHS_DEBUG_PORT	0xe9

/*
 * End QEMU with the given code (isa-debug-exit), or Bochs through its
 * shutdown port; returns only under neither.
 */
void qemu_exit(unsigned int code);

/* Stop this CPU for good, interrupts off. */
void machine_halt(void) __noreturn;
/* Reset the machine (ACPI-less: keyboard controller, then the 0xcf9 port, then a triple fault). */
void machine_restart(void) __noreturn;
/* Reset after a delay in seconds (0: at once). */
void machine_restart_after(long seconds) __noreturn;
/* Power off: under QEMU through isa-debug-exit (status 33), else halt. */
void machine_power_off(void) __noreturn;

#endif
