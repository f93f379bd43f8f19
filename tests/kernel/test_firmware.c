/*
 * What the firmware changes (legacy BIOS or UEFI, as the loader's EFI
 * system table tag says): which console shows printk, where the ACPI
 * tables come from, and that the SMP trampoline's low page is RAM the
 * firmware left us.
 */
#include <kernel/ktest.h>
#include <kernel/bootinfo.h>
#include <kernel/printk.h>
#include <kernel/fbcon.h>
#include <asm/acpi.h>
#include <asm/smp.h>

extern char trampoline_start[], trampoline_end[];

static const char *firmware_name(void)
{
	return boot_info.efi_bits ? "UEFI" : "legacy BIOS";
}

static void console_matches_firmware(struct ktest *t)
{
	bool text_mode = !boot_info.has_framebuffer || boot_info.fb.type == 2;

	ktest_info(t, "%s; %s", firmware_name(),
		   text_mode ? "VGA text mode" : "graphics framebuffer");
	/* UEFI has no VGA text mode: GRUB must have handed us a framebuffer */
	if (boot_info.efi_bits)
		EXPECT_FALSE(t, text_mode);
	EXPECT_EQ(t, console_registered("vga"), text_mode);
	EXPECT_EQ(t, console_registered("fbcon"), !text_mode);
	EXPECT_EQ(t, fbcon_boot() != NULL, !text_mode);
	EXPECT_TRUE(t, console_registered("ttyS0"));	/* the tests' console, everywhere */
}

static void acpi_from_loader(struct ktest *t)
{
	if (!acpi_madt_found)
		ktest_skip(t, "no ACPI MADT (acpi=off?)");
	/*
	 * GRUB copies the RSDP into its information on both firmwares; on
	 * UEFI that copy is the only way to it (no BIOS area to search).
	 */
	EXPECT_NE(t, boot_info.rsdp_version, 0);
	if (boot_info.efi_bits)
		EXPECT_EQ(t, boot_info.rsdp_version, 2);	/* UEFI requires ACPI 2.0+ */
	EXPECT_NOT_NULL(t, acpi_get_table("APIC", 0));
	EXPECT_NOT_NULL(t, acpi_get_table("FACP", 0));
}

static void trampoline_page_is_ram(struct ktest *t)
{
	phys_addr_t start = TRAMPOLINE_BASE, end = start + (trampoline_end - trampoline_start);
	bool usable = false;

	EXPECT_LE(t, end, 0x100000);			/* real mode reaches the first MiB only */
	for (int i = 0; i < boot_info.nr_memmap; i++) {
		const struct memmap_entry *m = &boot_info.memmap[i];

		if (m->type == MEMMAP_USABLE && m->base <= start && end <= m->base + m->len)
			usable = true;
	}
	ktest_info(t, "trampoline [%#lx-%#lx) under %s", (unsigned long)start,
		   (unsigned long)end, firmware_name());
	EXPECT_TRUE(t, usable);
}

static struct ktest_case firmware_cases[] = {
	KTEST_CASE(console_matches_firmware),
	KTEST_CASE(acpi_from_loader),
	KTEST_CASE(trampoline_page_is_ram),
	{},
};
KTEST_SUITE(firmware, firmware_cases);
