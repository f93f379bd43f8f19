/* The 8254 PIT (Intel 82C54 datasheet): channel 0 (IRQ 0) and channel 2 (the speaker gate). */
#ifndef ASM_I8253_H
#define ASM_I8253_H

#include <kernel/types.h>

#define PIT_TICK_RATE	1193182ul	/* Hz */

/*
 * Calibration helper on channel 2, which needs no interrupt: count down
 * `count` PIT ticks; pit_gate_expired() turns true when it is done.
 */
void pit_gate_start(u16 count);
bool pit_gate_expired(void);
void pit_gate_stop(void);

/* Channel 0 as a clock-event device on IRQ 0 (periodic and one-shot). */
int pit_clockevent_init(void);

#endif
