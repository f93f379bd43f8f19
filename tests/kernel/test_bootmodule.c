/*
 * A multiboot2 module end to end: tools/ktest.py's main boot has GRUB
 * load a module with a known header and command line; the kernel must
 * find it in the boot information, read it through the direct map, and
 * keep its frames out of the allocator.
 */
#include <kernel/ktest.h>
#include <kernel/bootinfo.h>
#include <kernel/string.h>
#include <kernel/mm.h>

#define MODULE_MAGIC	"KTEST-MODULE v1\n"
#define MODULE_SIZE	(16 + 256 * 64)

static void module_from_loader(struct ktest *t)
{
	const struct boot_module *m = &boot_info.modules[0];
	const u8 *data;

	if (!boot_info.nr_modules)
		ktest_skip(t, "booted without a module (tools/ktest.py's main boot adds one)");
	EXPECT_EQ(t, boot_info.nr_modules, 1);
	EXPECT_STREQ(t, m->cmdline, "ktest-module arg=1");
	ASSERT_EQ(t, m->end - m->start, MODULE_SIZE);
	EXPECT_EQ(t, m->start % PAGE_SIZE, 0);		/* GRUB page-aligns modules */
	data = phys_to_virt(m->start);
	EXPECT_EQ(t, memcmp(data, MODULE_MAGIC, 16), 0);
	for (int i = 0; i < 256 * 64; i++) {
		if (data[16 + i] != (u8)i) {
			ktest_fail(t, __FILE__, __LINE__, "module byte %d is %#x", 16 + i, data[16 + i]);
			break;
		}
	}
	for (phys_addr_t pa = ALIGN_DOWN(m->start, PAGE_SIZE); pa < m->end; pa += PAGE_SIZE) {
		EXPECT_TRUE(t, frame_in_use(pa));
		EXPECT_EQ(t, phys_to_page(pa)->owner, PAGE_OWNER_BOOT);
	}
}

static struct ktest_case bootmodule_cases[] = {
	KTEST_CASE(module_from_loader),
	{},
};
KTEST_SUITE(bootmodule, bootmodule_cases);
