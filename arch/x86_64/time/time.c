/*
 * Which timer drives the tick: the LAPIC timer in APIC mode (the PIT if
 * that fails), the PIT on IRQ 0 in PIC mode, so that PIC mode exercises
 * the 8259A path with a real device.
 */
#include <asm/irq.h>
#include <asm/apic.h>
#include <asm/i8253.h>
#include <kernel/printk.h>

void time_init(void)
{
	if (irq_mode == IRQ_MODE_APIC && lapic_timer_init() == 0)
		return;
	if (pit_clockevent_init())
		pr_err("time: no clock-event device: no tick\n");
}
