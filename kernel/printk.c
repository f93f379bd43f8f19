/*
 * printk: format, keep in the log buffer, and write to every registered
 * console. Lines on the console carry Linux's "[seconds.micros] " stamp.
 * Safe from any context: the lock disables interrupts, and while an oops
 * is being printed (oops_in_progress) a lock held elsewhere is not waited
 * for, so a crash inside printk still reports.
 */
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>

#define LOG_BUF_SIZE	(256 * 1024)	/* power of two */
#define LINE_MAX	1024

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
int oops_in_progress;

static DEFINE_SPINLOCK(printk_lock);
static struct console *consoles;
static char log_buf[LOG_BUF_SIZE];
static u64 log_head;			/* bytes ever written */
static bool line_open;			/* the last message ended mid-line */
static int line_level;			/* level of the open line */

void register_console(struct console *con)
{
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	con->next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&printk_lock, flags);
}

int unregister_console(struct console *con)
{
	struct console **p;
	unsigned long flags;
	int ret = -ENODEV;

	/*
	 * Under the lock that printk and console_write hold while they walk
	 * the list, so no write is still inside con afterwards (an oops may
	 * print without the lock; nothing here can wait for that).
	 */
	spin_lock_irqsave(&printk_lock, flags);
	for (p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			con->next = NULL;
			ret = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&printk_lock, flags);
	return ret;
}

bool console_registered(const char *name)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&printk_lock, flags);
	for (struct console *c = consoles; c && !found; c = c->next)
		found = !strcmp(c->name, name);
	spin_unlock_irqrestore(&printk_lock, flags);
	return found;
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) & (LOG_BUF_SIZE - 1)] = s[i];
	log_head += n;
}

size_t log_buf_copy(char *buf, size_t size)
{
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&printk_lock, flags);
	n = min((u64)size, min(log_head, (u64)LOG_BUF_SIZE));
	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(log_head - n + i) & (LOG_BUF_SIZE - 1)];
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

static void console_emit(const char *s, size_t n, int level)
{
	if (level >= console_loglevel)
		return;
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, n);
}

/* Emit text, starting each new line with its level (log) and timestamp. */
static void emit(const char *text, size_t len, int level)
{
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) + 1 : len;

		if (!line_open) {
			char prefix[32];
			u64 ns = local_clock();
			int p = scnprintf(prefix, sizeof(prefix), "[%5lu.%06lu] ",
					  (unsigned long)(ns / 1000000000),
					  (unsigned long)(ns % 1000000000) / 1000);
			char tag[3] = { '<', (char)('0' + level), '>' };

			log_store(tag, 3);
			log_store(prefix, p);
			console_emit(prefix, p, level);
			line_level = level;
		}
		log_store(text, n);
		console_emit(text, n, line_level);
		line_open = text[n - 1] != '\n';
		text += n;
		len -= n;
	}
}

/*
 * An NMI may have come in while this CPU held the lock: waiting for it
 * would never end. So an NMI waits a bounded time (long enough for
 * another CPU to finish a line) and then prints without it.
 */
static bool nmi_printk_lock(void)
{
	for (int i = 0; i < 1000000; i++) {
		if (arch_spin_trylock(&printk_lock))
			return true;
		cpu_relax();
	}
	return false;
}

static int vprintk_emit(int level, bool cont, const char *fmt, va_list ap)
{
	char buf[LINE_MAX];
	unsigned long flags;
	bool locked;
	int len;

	len = vscnprintf(buf, sizeof(buf), fmt, ap);

	local_irq_save(flags);
	preempt_disable();
	if (oops_in_progress)
		locked = arch_spin_trylock(&printk_lock);
	else if (in_nmi())
		locked = nmi_printk_lock();
	else
		arch_spin_lock(&printk_lock), locked = true;
	if (line_open && !cont) {
		/* a new message while a line is open: end that line first */
		emit("\n", 1, line_level);
	}
	if (cont && line_open)
		level = line_level;
	emit(buf, len, level);
	if (locked)
		arch_spin_unlock(&printk_lock);
	preempt_enable();
	local_irq_restore(flags);
	return len;
}

int vprintk(const char *fmt, va_list ap)
{
	int level = LOGLEVEL_DEFAULT;
	bool cont = false;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	return vprintk_emit(level, cont, fmt, ap);
}

int printk_pieces(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_emit(6, true, fmt, ap);	/* KERN_INFO */
	va_end(ap);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void console_write(const char *s, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
	spin_unlock_irqrestore(&printk_lock, flags);
}

int console_printf(const char *fmt, ...)
{
	char buf[LINE_MAX];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, len);
	return len;
}

/* loglevel=N (0-8: show levels below N) and quiet, as in Linux. */
static int loglevel_setup(const char *val)
{
	unsigned long v;

	if (!val || kstrtoul(val, 10, &v) || v > 8)
		return -EINVAL;
	console_loglevel = (int)v;
	return 0;
}
early_param("loglevel", loglevel_setup);

static int quiet_setup(const char *val)
{
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;
	return 0;
}
early_param("quiet", quiet_setup);
