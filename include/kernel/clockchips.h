/*
 * Clock-event devices (Linux's clockchips.h): timers that raise an
 * interrupt once (one-shot) or every period. The tick code picks the best
 * one per CPU (highest rating) and drives it only through these ops.
 */
#ifndef KERNEL_CLOCKCHIPS_H
#define KERNEL_CLOCKCHIPS_H

#include <kernel/types.h>

enum clock_event_state {
	CLOCK_EVT_STATE_DETACHED,
	CLOCK_EVT_STATE_SHUTDOWN,
	CLOCK_EVT_STATE_PERIODIC,
	CLOCK_EVT_STATE_ONESHOT,
};

#define CLOCK_EVT_FEAT_PERIODIC		0x01
#define CLOCK_EVT_FEAT_ONESHOT		0x02

struct clock_event_device {
	/* called from the device's interrupt, in hard-IRQ context */
	void (*event_handler)(struct clock_event_device *dev);
	/* one-shot: fire delta device ticks from now; 0 or -ETIME if too late */
	int (*set_next_event)(unsigned long delta, struct clock_event_device *dev);
	/* periodic at 1/period_ns (the tick code sets period_ns first) */
	int (*set_state_periodic)(struct clock_event_device *dev);
	int (*set_state_oneshot)(struct clock_event_device *dev);
	int (*set_state_shutdown)(struct clock_event_device *dev);
	u64 period_ns;			/* for periodic mode */
	u64 next_event;			/* ns (ktime_get_ns) of the programmed event */
	u64 min_delta_ns, max_delta_ns;
	u32 mult, shift;		/* device ticks = ns * mult >> shift */
	unsigned long freq_hz;
	enum clock_event_state state;
	unsigned int features;		/* CLOCK_EVT_FEAT_* */
	int rating;			/* higher is better */
	int irq;			/* -1 for a per-CPU vector */
	unsigned int cpu;
	const char *name;
	unsigned long events;		/* event_handler calls */
	struct clock_event_device *next;
};

/* Set mult/shift and the delta limits (in device ticks) for a device counting freq_hz. */
int clockevents_config(struct clock_event_device *dev, unsigned long freq_hz,
		       unsigned long min_delta, unsigned long max_delta);
/* clockevents_config(), then register the device and offer it to the tick. */
void clockevents_config_and_register(struct clock_event_device *dev, unsigned long freq_hz,
				     unsigned long min_delta, unsigned long max_delta);
int clockevents_switch_state(struct clock_event_device *dev, enum clock_event_state state);
/* Fire at expires (ns, ktime_get_ns); a time in the past fires as soon as possible. */
int clockevents_program_event(struct clock_event_device *dev, u64 expires);
/* ns -> device ticks with the device's mult/shift. */
u64 clockevent_delta2ticks(u64 ns, const struct clock_event_device *dev);
/* The registered devices, newest first. */
struct clock_event_device *clockevents_list(void);

/* The tick (kernel/time/tick.c): offered every newly registered device. */
void tick_check_new_device(struct clock_event_device *dev);
void tick_handle_periodic(struct clock_event_device *dev);
/* The device driving this CPU's tick, and whether it runs periodic or reprogrammed one-shot. */
struct clock_event_device *tick_get_device(void);
/* Hand this CPU's tick to dev (in the given mode) and back; for tests and mode switches. */
int tick_switch_device(struct clock_event_device *dev, enum clock_event_state mode);
/* Ticks this CPU has handled. */
unsigned long tick_count_cpu(int cpu);

#endif
