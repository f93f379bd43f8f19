/* Signal numbers (Linux's x86 values): what a fault would send a task, named in reports. */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#define SIGILL	4
#define SIGTRAP	5
#define SIGBUS	7
#define SIGFPE	8
#define SIGSEGV	11

#endif
