/*
 * Halt, reset and power-off. Reset tries the 8042 keyboard controller's
 * pulse-reset command, then the PCI reset control register (0xcf9), then
 * forces a triple fault with an empty IDT.
 */
#include <asm/reboot.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/desc.h>
#include <asm/tsc.h>
#include <kernel/printk.h>

void qemu_exit(unsigned int code)
{
	outl(QEMU_EXIT_PORT, code);
	/*
	 * Still here: no isa-debug-exit, so not QEMU as tools/qemu.sh starts
	 * it. Under Bochs, say the code on its debug port (0xe9, which
	 * tools/bochsrc.in turns on: Bochs prints it on its standard
	 * output, where tools/ktest.py finds it), then write "Shutdown" to
	 * its shutdown port, which ends Bochs. Elsewhere nothing listens.
	 */
	static const char hex[] = "0123456789abcdef";
	char msg[] = "isa-debug-exit 0x00\n";

	msg[17] = hex[(code >> 4) & 0xf];
	msg[18] = hex[code & 0xf];
	for (const char *s = msg; *s; s++)
		outb(BOCHS_DEBUG_PORT, *s);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, *s);
}

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void machine_restart(void)
{
	static const struct desc_ptr no_idt = { 0, 0 };

	local_irq_disable();
	for (int i = 0; i < 10000 && (inb(0x64) & 0x02); i++)	/* input buffer full */
		io_delay();
	outb(0x64, 0xfe);		/* 8042: pulse the reset line */
	udelay(50000);
	outb(0xcf9, 0x02);		/* reset control: prepare */
	udelay(50);
	outb(0xcf9, 0x06);		/* hard reset */
	udelay(50000);
	load_idt(&no_idt);
	__asm__ __volatile__("int3");	/* no IDT: triple fault */
	machine_halt();
}

void machine_restart_after(long seconds)
{
	for (long s = 0; s < seconds; s++)
		udelay(1000000);
	machine_restart();
}

void machine_power_off(void)
{
	pr_emerg("Power down\n");
	qemu_exit(QEMU_EXIT_SUCCESS);
	machine_halt();
}
