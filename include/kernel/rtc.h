/*
 * The CMOS real-time clock (Motorola MC146818 and its PC descendants):
 * the date and time, and the periodic interrupt on IRQ 8.
 */
#ifndef KERNEL_RTC_H
#define KERNEL_RTC_H

#include <kernel/types.h>

#define RTC_IRQ			8

/* CMOS registers (MC146818 datasheet, "Address map"). */
#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04	/* bit 7: PM in 12-hour mode */
#define RTC_DAY_OF_WEEK		0x06
#define RTC_DAY_OF_MONTH	0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09	/* two digits */
#define RTC_REG_A		0x0a
#define RTC_UIP			0x80	/* A: update in progress: time registers unstable */
#define RTC_DIV_MASK		0x70	/* A: divider chain (010 = 32.768 kHz time base) */
#define RTC_RATE_MASK		0x0f	/* A: periodic rate select */
#define RTC_REG_B		0x0b
#define RTC_SET			0x80	/* B: updates stopped while the time is set */
#define RTC_PIE			0x40	/* B: periodic interrupt enable */
#define RTC_AIE			0x20	/* B: alarm interrupt enable */
#define RTC_UIE			0x10	/* B: update-ended interrupt enable */
#define RTC_DM_BINARY		0x04	/* B: binary, not BCD */
#define RTC_24H			0x02	/* B: 24-hour mode */
#define RTC_REG_C		0x0c	/* read-only; reading clears it and the interrupt */
#define RTC_IRQF		0x80	/* C: an enabled flag is set: the IRQ line is asserted */
#define RTC_PF			0x40	/* C: periodic flag */
#define RTC_AF			0x20	/* C: alarm flag */
#define RTC_UF			0x10	/* C: update-ended flag */
#define RTC_REG_D		0x0d	/* bit 7: valid RAM and time (battery good) */

/* Periodic rates: f = 32768 >> (rate - 1) Hz for rate select 3 (8192 Hz) to 15 (2 Hz). */
#define RTC_PERIODIC_MIN_HZ	2
#define RTC_PERIODIC_MAX_HZ	8192

/* The date and time, with Linux's struct rtc_time fields and ranges. */
struct rtc_time {
	int tm_sec;			/* 0-59 */
	int tm_min;			/* 0-59 */
	int tm_hour;			/* 0-23 */
	int tm_mday;			/* 1-31 */
	int tm_mon;			/* 0-11 */
	int tm_year;			/* years since 1900 */
	int tm_wday;			/* 0-6, Sunday = 0 */
};

/*
 * Read a CMOS register / write one, under the RTC lock. The NMI-disable
 * bit (bit 7 of the index port) keeps the value the kernel last set; the
 * index port cannot be read back, so the driver remembers it.
 */
u8 cmos_read(u8 reg);
void cmos_write(u8 reg, u8 val);

/* Claim IRQ 8 and print the date and time (once, at boot, after init_IRQ()). */
int rtc_init(void);

/*
 * Read the date and time, waiting out an update in progress and reading
 * until two passes agree; BCD or binary and 12 or 24 hours as register B
 * says. Returns 0, or -EIO if the clock does not settle or gives nonsense.
 */
int rtc_read_time(struct rtc_time *tm);

/*
 * Start the periodic interrupt at hz, a power of two from 2 to 8192.
 * Resets rtc_periodic_count(). Returns 0, -EINVAL for another rate,
 * -EBUSY if it is running already, -ENODEV if IRQ 8 could not be claimed.
 */
int rtc_periodic_start(unsigned int hz);
/* Stop it and put the rate select back as it was; no interrupt counts after this returns. */
void rtc_periodic_stop(void);
/* Periodic interrupts handled since the last rtc_periodic_start(). */
unsigned long rtc_periodic_count(void);

#endif
