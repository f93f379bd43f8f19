/*
 * What the boot loader told us, in a loader-neutral form (filled from
 * the multiboot2 tags by arch/x86_64/multiboot2.c).
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <kernel/types.h>

#define MEMMAP_MAX		128
#define BOOT_MODULES_MAX	8

enum memmap_type {
	MEMMAP_USABLE = 1,
	MEMMAP_RESERVED = 2,
	MEMMAP_ACPI_RECLAIMABLE = 3,
	MEMMAP_ACPI_NVS = 4,
	MEMMAP_BAD = 5,
};

struct memmap_entry {
	u64 base;
	u64 len;
	u32 type;
};

struct boot_module {
	phys_addr_t start, end;		/* [start, end) */
	char cmdline[64];
};

struct boot_framebuffer {
	phys_addr_t addr;
	u32 pitch, width, height;
	u8 bpp;
	u8 type;			/* 0 indexed, 1 RGB, 2 EGA text */
	u8 red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct boot_info {
	u32 mbi_magic;
	phys_addr_t mbi_start, mbi_end;	/* the loader's information structure */
	char cmdline[1024];		/* the kernel command line */
	char loader_name[64];
	u32 mem_lower_kb, mem_upper_kb;	/* basic memory information */
	int nr_memmap;
	struct memmap_entry memmap[MEMMAP_MAX];
	int nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	bool has_framebuffer;
	struct boot_framebuffer fb;
	/*
	 * The firmware: 32 or 64 when the loader ran on UEFI and gave the EFI
	 * system table's address (a 32- or 64-bit one), 0 on a legacy BIOS.
	 */
	int efi_bits;
	phys_addr_t efi_systab;
	/* ACPI RSDP as the loader copied it: version 1 (20 bytes) or 2 (36 bytes) */
	int rsdp_version;		/* 0: none */
	u8 rsdp[36];
	u32 unknown_tags;
};

extern struct boot_info boot_info;

/*
 * Parse the multiboot2 information at mbi (a kernel virtual address).
 * Returns 0, or -EINVAL if it is malformed (then boot_info holds what was
 * read before the fault was found).
 */
int multiboot2_parse(const void *mbi, struct boot_info *bi);

#endif
