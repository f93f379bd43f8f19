/*
 * The CMOS RTC (Motorola MC146818A datasheet; ports 0x70 index, 0x71
 * data): the date and time, and the periodic interrupt on IRQ 8. Register
 * A selects the rate, register B enables the interrupt (PIE), and reading
 * register C acknowledges it: until C is read the RTC keeps its IRQ
 * output asserted, so an edge-triggered line would see no further edge.
 */
#define pr_fmt(fmt) "rtc: " fmt
#include <kernel/rtc.h>
#include <kernel/interrupt.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#include <asm/io.h>
#include <asm/tsc.h>

#define RTC_PORT_INDEX	0x70	/* bits 0-6: register; bit 7: NMI disable */
#define RTC_PORT_DATA	0x71
/* Reads before rtc_read_time() gives up on getting two equal passes; an update takes < 2 ms. */
#define READ_TRIES	10
/* Polls of UIP, 1 us apart, before a read goes ahead anyway: longer than an update (< 2 ms). */
#define UIP_SPINS	5000

static DEFINE_SPINLOCK(rtc_lock);	/* orders index/data pairs and the state below */
/*
 * L: rtc_lock. The NMI-disable bit, written with every index. The index
 * port is write-only on most chipsets (QEMU reads it as 0xff), so the bit
 * is kept here rather than read-modify-written; nothing in the kernel
 * masks NMIs there, so it stays clear: NMIs enabled, as Linux writes it.
 */
static u8 nmi_bit;
static bool irq_claimed;		/* L: rtc_lock */
static bool periodic_running;		/* L: rtc_lock */
static u8 saved_rate;			/* L: rtc_lock; register A's rate select before start */
static unsigned long periodic_count;	/* L: rtc_lock */

static u8 __cmos_read(u8 reg)
{
	outb(RTC_PORT_INDEX, nmi_bit | reg);
	return inb(RTC_PORT_DATA);
}

static void __cmos_write(u8 reg, u8 val)
{
	outb(RTC_PORT_INDEX, nmi_bit | reg);
	outb(RTC_PORT_DATA, val);
}

u8 cmos_read(u8 reg)
{
	unsigned long flags;
	u8 v;

	spin_lock_irqsave(&rtc_lock, flags);
	v = __cmos_read(reg);
	spin_unlock_irqrestore(&rtc_lock, flags);
	return v;
}

void cmos_write(u8 reg, u8 val)
{
	unsigned long flags;

	spin_lock_irqsave(&rtc_lock, flags);
	__cmos_write(reg, val);
	spin_unlock_irqrestore(&rtc_lock, flags);
}

/*
 * IRQ 8. Reading C acknowledges whatever the RTC flagged. Only a periodic
 * interrupt (IRQF with PF) is ours: C without them means the line was
 * raised by something else (or the flag was already taken by a read
 * elsewhere), and IRQ_NONE lets the core count it as unhandled.
 */
static irqreturn_t rtc_interrupt(int irq, void *dev_id)
{
	irqreturn_t ret = IRQ_NONE;
	u8 c;

	spin_lock(&rtc_lock);
	c = __cmos_read(RTC_REG_C);
	if ((c & (RTC_IRQF | RTC_PF)) == (RTC_IRQF | RTC_PF)) {
		if (periodic_running)
			periodic_count++;
		ret = IRQ_HANDLED;
	}
	spin_unlock(&rtc_lock);
	return ret;
}

static unsigned int bcd2bin(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* One pass over the time registers, once no update is in progress. */
static void read_raw(u8 r[7])
{
	unsigned long flags;

	for (int i = 0; i < UIP_SPINS && (cmos_read(RTC_REG_A) & RTC_UIP); i++)
		udelay(1);
	spin_lock_irqsave(&rtc_lock, flags);
	r[0] = __cmos_read(RTC_SECONDS);
	r[1] = __cmos_read(RTC_MINUTES);
	r[2] = __cmos_read(RTC_HOURS);
	r[3] = __cmos_read(RTC_DAY_OF_MONTH);
	r[4] = __cmos_read(RTC_MONTH);
	r[5] = __cmos_read(RTC_YEAR);
	r[6] = __cmos_read(RTC_DAY_OF_WEEK);
	spin_unlock_irqrestore(&rtc_lock, flags);
}

int rtc_read_time(struct rtc_time *tm)
{
	u8 a[7], b[7], regb;
	unsigned int hour, year;
	bool pm, settled = false;

	/* an update between two registers gives a torn value: read until two passes agree */
	read_raw(a);
	for (int i = 0; i < READ_TRIES && !settled; i++) {
		read_raw(b);
		settled = !memcmp(a, b, sizeof(a));
		memcpy(a, b, sizeof(a));
	}
	regb = cmos_read(RTC_REG_B);
	if (!settled)
		return -EIO;

	pm = !(regb & RTC_24H) && (a[2] & 0x80);
	a[2] &= 0x7f;
	if (!(regb & RTC_DM_BINARY)) {
		for (int i = 0; i < 7; i++)
			a[i] = (u8)bcd2bin(a[i]);
	}
	hour = a[2];
	if (!(regb & RTC_24H))
		hour = hour % 12 + (pm ? 12 : 0);	/* 12 AM is 0, 12 PM is 12 */
	/* two digits: 70-99 are the 1900s, as the PC has always read them */
	year = a[5] < 70 ? 2000 + a[5] : 1900 + a[5];

	tm->tm_sec = a[0];
	tm->tm_min = a[1];
	tm->tm_hour = (int)hour;
	tm->tm_mday = a[3];
	tm->tm_mon = a[4] - 1;
	tm->tm_year = (int)year - 1900;
	tm->tm_wday = a[6] >= 1 && a[6] <= 7 ? a[6] - 1 : 0;	/* the RTC counts Sunday as 1 */
	if (tm->tm_sec > 59 || tm->tm_min > 59 || tm->tm_hour > 23 || tm->tm_mday < 1 ||
	    tm->tm_mday > 31 || tm->tm_mon < 0 || tm->tm_mon > 11)
		return -EIO;
	return 0;
}

int rtc_periodic_start(unsigned int hz)
{
	unsigned long flags;
	unsigned int rate;
	int ret = 0;
	u8 a;

	if (hz < RTC_PERIODIC_MIN_HZ || hz > RTC_PERIODIC_MAX_HZ || (hz & (hz - 1)))
		return -EINVAL;
	/* hz = 2^k = 32768 >> (rate - 1) = 2^(16 - rate) */
	rate = 16 - (unsigned int)__builtin_ctz(hz);

	spin_lock_irqsave(&rtc_lock, flags);
	if (!irq_claimed) {
		ret = -ENODEV;
	} else if (periodic_running) {
		ret = -EBUSY;
	} else {
		a = __cmos_read(RTC_REG_A);
		saved_rate = a & RTC_RATE_MASK;
		__cmos_write(RTC_REG_A, (a & ~RTC_RATE_MASK) | rate);
		periodic_count = 0;
		periodic_running = true;
		/* a stale flag would make the first interrupt come early */
		__cmos_read(RTC_REG_C);
		__cmos_write(RTC_REG_B, __cmos_read(RTC_REG_B) | RTC_PIE);
	}
	spin_unlock_irqrestore(&rtc_lock, flags);
	return ret;
}

void rtc_periodic_stop(void)
{
	unsigned long flags;
	u8 a;

	spin_lock_irqsave(&rtc_lock, flags);
	if (periodic_running) {
		__cmos_write(RTC_REG_B, __cmos_read(RTC_REG_B) & ~RTC_PIE);
		/* lower the IRQ output if a period ended meanwhile */
		__cmos_read(RTC_REG_C);
		a = __cmos_read(RTC_REG_A);
		__cmos_write(RTC_REG_A, (a & ~RTC_RATE_MASK) | saved_rate);
		periodic_running = false;
	}
	spin_unlock_irqrestore(&rtc_lock, flags);
}

unsigned long rtc_periodic_count(void)
{
	return READ_ONCE(periodic_count);
}

int rtc_init(void)
{
	static int dev_id;	/* identifies our action on the line */
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	struct rtc_time tm;
	unsigned long flags;
	int ret;

	/* nothing of ours is enabled yet: clear what the firmware may have left pending */
	cmos_read(RTC_REG_C);
	ret = request_irq(RTC_IRQ, rtc_interrupt, 0, "rtc0", &dev_id);
	if (ret)
		pr_err("cannot claim IRQ %d (%d): no periodic interrupt\n", RTC_IRQ, ret);
	spin_lock_irqsave(&rtc_lock, flags);
	irq_claimed = !ret;
	spin_unlock_irqrestore(&rtc_lock, flags);

	if (rtc_read_time(&tm))
		pr_err("the clock gives no valid time\n");
	else
		pr_info("%s %04d-%02d-%02d %02d:%02d:%02d, IRQ %d\n", days[tm.tm_wday],
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec, RTC_IRQ);
	return ret;
}
