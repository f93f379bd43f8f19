/*
 * GDT layout and selectors. The order of the user entries is fixed by
 * SYSRET, which loads SS from STAR[63:48]+8 and CS from STAR[63:48]+16
 * (Intel SDM vol. 2B, SYSRET), as in Linux's segment.h.
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_USER32_CS	3	/* base for SYSRET; never loaded */
#define GDT_ENTRY_USER_DS	4
#define GDT_ENTRY_USER_CS	5
#define GDT_ENTRY_TSS		6	/* 16 bytes: entries 6 and 7 */
#define GDT_ENTRY_SPARE		8	/* free for tests that need a descriptor of their own */
#define GDT_ENTRIES		9

#define __KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define __USER32_CS		(GDT_ENTRY_USER32_CS * 8 + 3)
#define __USER_DS		(GDT_ENTRY_USER_DS * 8 + 3)
#define __USER_CS		(GDT_ENTRY_USER_CS * 8 + 3)
#define __TSS_SEL		(GDT_ENTRY_TSS * 8)

#endif
