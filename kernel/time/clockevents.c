/*
 * Clock-event devices: registration, mode changes and programming in
 * nanoseconds (Linux's kernel/time/clockevents.c, much reduced).
 */
#define pr_fmt(fmt) "clockevents: " fmt
#include <kernel/clockchips.h>
#include <kernel/time.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/bug.h>

static struct clock_event_device *devices;
static DEFINE_SPINLOCK(devices_lock);

u64 clockevent_delta2ticks(u64 ns, const struct clock_event_device *dev)
{
	return (u64)(((unsigned __int128)ns * dev->mult) >> dev->shift);
}

/* Ticks to ns; ticks stay below 2^34 for every device here, so the product fits. */
static u64 ticks2ns(u64 ticks, const struct clock_event_device *dev)
{
	return ticks * NSEC_PER_SEC / dev->freq_hz;
}

int clockevents_config(struct clock_event_device *dev, unsigned long freq_hz,
		       unsigned long min_delta, unsigned long max_delta)
{
	/* 32 bits of fraction: exact enough for any timer from kHz to GHz */
	dev->freq_hz = freq_hz;
	dev->shift = 32;
	dev->mult = (u32)min(((u64)freq_hz << 32) / NSEC_PER_SEC, (u64)0xffffffffu);
	if (!dev->mult) {
		/* slower than 1 Hz would not work with this shift; no such device exists */
		pr_err("%s: frequency %lu Hz too low\n", dev->name, freq_hz);
		return -EINVAL;
	}
	dev->min_delta_ns = ticks2ns(min_delta, dev) + 1;
	dev->max_delta_ns = ticks2ns(max_delta, dev);
	return 0;
}

void clockevents_config_and_register(struct clock_event_device *dev, unsigned long freq_hz,
				     unsigned long min_delta, unsigned long max_delta)
{
	unsigned long flags;

	if (clockevents_config(dev, freq_hz, min_delta, max_delta))
		return;
	dev->state = CLOCK_EVT_STATE_DETACHED;
	spin_lock_irqsave(&devices_lock, flags);
	dev->next = devices;
	devices = dev;
	spin_unlock_irqrestore(&devices_lock, flags);
	pr_info("%s: %lu Hz, rating %d%s%s\n", dev->name, freq_hz, dev->rating,
		(dev->features & CLOCK_EVT_FEAT_PERIODIC) ? ", periodic" : "",
		(dev->features & CLOCK_EVT_FEAT_ONESHOT) ? ", one-shot" : "");
	tick_check_new_device(dev);
}

struct clock_event_device *clockevents_list(void)
{
	return devices;
}

int clockevents_switch_state(struct clock_event_device *dev, enum clock_event_state state)
{
	int ret = 0;

	switch (state) {
	case CLOCK_EVT_STATE_PERIODIC:
		if (!(dev->features & CLOCK_EVT_FEAT_PERIODIC) || !dev->period_ns)
			return -EINVAL;
		ret = dev->set_state_periodic(dev);
		break;
	case CLOCK_EVT_STATE_ONESHOT:
		if (!(dev->features & CLOCK_EVT_FEAT_ONESHOT))
			return -EINVAL;
		ret = dev->set_state_oneshot(dev);
		break;
	case CLOCK_EVT_STATE_SHUTDOWN:
	case CLOCK_EVT_STATE_DETACHED:
		if (dev->set_state_shutdown)
			ret = dev->set_state_shutdown(dev);
		break;
	}
	if (!ret)
		dev->state = state;
	return ret;
}

int clockevents_program_event(struct clock_event_device *dev, u64 expires)
{
	u64 now = ktime_get_ns(), delta;

	if (WARN_ON_ONCE(dev->state != CLOCK_EVT_STATE_ONESHOT))
		return -EINVAL;
	dev->next_event = expires;
	delta = expires > now ? expires - now : 0;
	delta = min(max(delta, dev->min_delta_ns), dev->max_delta_ns);
	return dev->set_next_event((unsigned long)clockevent_delta2ticks(delta, dev), dev);
}
