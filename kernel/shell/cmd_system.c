/*
 * Shell commands about the machine as a whole: uptime, memory, the
 * kernel log, the self-tests (`test [GLOB]`, the ktest suites with
 * KTAP output on the console), reboot and power-off (under QEMU,
 * isa-debug-exit ends the emulator with status 33).
 */
#include <kernel/shell.h>
#include <kernel/printk.h>
#include <kernel/ktest.h>
#include <kernel/jiffies.h>
#include <kernel/clockchips.h>
#include <kernel/time.h>
#include <kernel/mm.h>
#include <kernel/slab.h>
#include <kernel/vmalloc.h>
#include <asm/reboot.h>

static int cmd_uptime(struct shell *sh, int argc, char **argv)
{
	u64 ns = ktime_get_ns();

	if (argc != 1)
		return SHELL_USAGE;
	/* jiffies start 5 minutes before 0, as in Linux: count the boot CPU's ticks instead */
	sh->print("up %lu.%03lu s, %lu ticks on CPU0 (HZ=%d)\n", (unsigned long)(ns / NSEC_PER_SEC),
		  (unsigned long)(ns / NSEC_PER_MSEC % 1000), tick_count_cpu(0), HZ);
	return 0;
}
SHELL_COMMAND(uptime, "", "time since boot", cmd_uptime);

static int cmd_mem(struct shell *sh, int argc, char **argv)
{
	struct frame_stats fs;
	struct vmap_stats vs;

	if (argc != 1)
		return SHELL_USAGE;
	frame_get_stats(&fs);
	vmap_get_stats(&vs);
	sh->print("frames: %lu KiB total, %lu KiB free, %lu KiB reserved at boot; %lu allocs, %lu frees\n",
		  fs.total * 4, fs.free * 4, fs.boot_reserved * 4, fs.allocs, fs.frees);
	sh->print("vmap: %lu areas, %lu pages\n", vs.areas, vs.pages);
	kmalloc_print_stats(sh->print);
	return 0;
}
SHELL_COMMAND(mem, "", "page frames, vmap areas, kmalloc caches", cmd_mem);

static int cmd_dmesg(struct shell *sh, int argc, char **argv)
{
	static char buf[16384];		/* one shell thread at a time uses it */
	size_t n;

	if (argc != 1)
		return SHELL_USAGE;
	n = log_buf_copy(buf, sizeof(buf));
	sh->write(buf, n);
	return 0;
}
SHELL_COMMAND(dmesg, "", "the end of the kernel log", cmd_dmesg);

static int cmd_test(struct shell *sh, int argc, char **argv)
{
	int failed;

	if (argc > 2)
		return SHELL_USAGE;
	failed = ktest_run(argc == 2 ? argv[1] : NULL);
	sh->print("test: %d failed\n", failed);
	return 0;
}
SHELL_COMMAND(test, "[GLOB]", "run self-test suites (GLOB: suite or suite.case, commas between)",
	      cmd_test);

static int cmd_reboot(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	machine_restart();
}
SHELL_COMMAND(reboot, "", "reset the machine", cmd_reboot);

static int cmd_poweroff(struct shell *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_USAGE;
	sh->print("Power down.\n");
	machine_power_off();
}
SHELL_COMMAND(poweroff, "", "power off (QEMU exits)", cmd_poweroff);
