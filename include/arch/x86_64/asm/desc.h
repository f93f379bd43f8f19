/* GDT, TSS and IDT descriptors (Intel SDM vol. 3A, 3.4.5, 7.7, 6.14.1). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/segment.h>
#include <asm/trapnr.h>

struct desc_ptr {
	u16 size;		/* limit: bytes - 1 */
	u64 address;
} __packed;

/* 64-bit TSS: only the stack pointers and the I/O map base matter. */
struct tss_struct {
	u32 reserved0;
	u64 sp0;		/* RSP loaded on a ring 3 -> 0 transition */
	u64 sp1;
	u64 sp2;
	u64 reserved1;
	u64 ist[7];		/* Interrupt Stack Table: ist[0] is IST1 */
	u64 reserved2;
	u16 reserved3;
	u16 io_bitmap_base;	/* beyond the limit: no I/O bitmap */
} __packed;
_Static_assert(sizeof(struct tss_struct) == 104, "64-bit TSS is 104 bytes");

/* 16-byte IDT gate, as in the seeds' gate_struct64. */
struct gate_desc {
	u16 offset_low;
	u16 segment;
	u16 bits;		/* ist:3, zero:5, type:4, zero:1, dpl:2, p:1 */
	u16 offset_middle;
	u32 offset_high;
	u32 reserved;
} __packed;
_Static_assert(sizeof(struct gate_desc) == 16, "IDT gate is 16 bytes");

#define GATE_INTERRUPT		0xe
#define GATE_TRAP		0xf

static inline unsigned long gate_offset(const struct gate_desc *g)
{
	return g->offset_low | ((unsigned long)g->offset_middle << 16) |
	       ((unsigned long)g->offset_high << 32);
}
static inline unsigned int gate_type(const struct gate_desc *g) { return (g->bits >> 8) & 0xf; }
static inline unsigned int gate_dpl(const struct gate_desc *g) { return (g->bits >> 13) & 3; }
static inline unsigned int gate_ist(const struct gate_desc *g) { return g->bits & 7; }
static inline bool gate_present(const struct gate_desc *g) { return g->bits >> 15; }

extern struct gate_desc idt_table[NR_VECTORS];

static inline void load_idt(const struct desc_ptr *p) { __asm__ __volatile__("lidt %0" :: "m"(*p)); }
static inline void load_gdt(const struct desc_ptr *p) { __asm__ __volatile__("lgdt %0" :: "m"(*p)); }
static inline void load_tr(u16 sel) { __asm__ __volatile__("ltr %0" :: "r"(sel)); }
static inline void store_idt(struct desc_ptr *p) { __asm__ __volatile__("sidt %0" : "=m"(*p)); }
static inline void store_gdt(struct desc_ptr *p) { __asm__ __volatile__("sgdt %0" : "=m"(*p)); }
static inline u16 store_tr(void) { u16 s; __asm__ __volatile__("str %0" : "=r"(s)); return s; }


#endif
