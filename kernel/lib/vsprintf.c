/*
 * vsnprintf: the C conversions plus Linux's %pS/%ps symbol printing.
 * Output is counted even past the end of the buffer, as C requires.
 */
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/kallsyms.h>

struct out {
	char *buf;
	size_t size;
	size_t len;		/* characters produced, stored or not */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

#define F_LEFT	1
#define F_ZERO	2
#define F_PLUS	4
#define F_SPACE	8
#define F_ALT	16
#define F_UPPER	32
#define F_SIGNED 64		/* d, i: the only conversions + and space apply to */
#define F_PTR	128		/* %p: "0x" even for a null pointer */

struct spec {
	int flags;
	int width;
	int prec;		/* -1: none */
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int len;

	if (!s)
		s = "(null)";
	len = sp->prec >= 0 ? (int)strnlen(s, sp->prec) : (int)strlen(s);
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - len);
}

static void put_num(struct out *o, unsigned long long v, bool neg, unsigned int base,
		    const struct spec *sp)
{
	const char *digits = (sp->flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, prefix_len, zeros, total;
	char sign = 0;
	const char *prefix = "";

	if (neg)
		sign = '-';
	else if ((sp->flags & (F_PLUS | F_SIGNED)) == (F_PLUS | F_SIGNED))
		sign = '+';
	else if ((sp->flags & (F_SPACE | F_SIGNED)) == (F_SPACE | F_SIGNED))
		sign = ' ';
	if ((sp->flags & F_ALT) && base == 16 && (v || (sp->flags & F_PTR)))
		prefix = (sp->flags & F_UPPER) ? "0X" : "0x";
	if (v || sp->prec != 0) {
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	}
	prefix_len = (int)strlen(prefix) + (sign ? 1 : 0);
	zeros = sp->prec > n ? sp->prec - n : 0;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0 &&
	    sp->width > n + prefix_len)
		zeros = sp->width - n - prefix_len;
	/*
	 * %#o: C raises the precision only as far as needed to make the first
	 * digit a 0 (so 0 stays "0", and %#.0o of 0 prints "0" too).
	 */
	if ((sp->flags & F_ALT) && base == 8 && !zeros && (!n || tmp[n - 1] != '0'))
		zeros = 1;
	total = prefix_len + zeros + n;
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - total);
	if (sign)
		put(o, sign);
	for (; *prefix; prefix++)
		put(o, *prefix);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - total);
}

/*
 * %pS: "name+0xoff/0xsize"; %ps: "name"; %pB: as %pS for a return
 * address, which may point just past the end of a call to a function that
 * does not return: the symbol is looked up at addr - 1. All fall back to
 * the address.
 */
static void put_symbol(struct out *o, unsigned long addr, char kind, const struct spec *sp)
{
	char buf[KSYM_NAME_LEN + 48];

	if (kind == 'S')
		sprint_symbol(buf, sizeof(buf), addr);
	else if (kind == 'B')
		sprint_backtrace(buf, sizeof(buf), addr);
	else
		sprint_symbol_name(buf, sizeof(buf), addr);
	put_str(o, buf, sp);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		struct spec sp = { 0, 0, -1 };
		int lng = 0;		/* -2 hh, -1 h, 1 l, 2 ll */
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;;) {
			char c = *++fmt;
			if (c == '-') sp.flags |= F_LEFT;
			else if (c == '0') sp.flags |= F_ZERO;
			else if (c == '+') sp.flags |= F_PLUS;
			else if (c == ' ') sp.flags |= F_SPACE;
			else if (c == '#') sp.flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.flags |= F_LEFT;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h') lng--;
			else if (*fmt == 'l') lng++;
			else if (*fmt == 'z' || *fmt == 't') lng = 1;
			else break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long) : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng <= -2)
				s = (signed char)s;
			sp.flags |= F_SIGNED;
			put_num(&o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, s < 0, 10, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 2 ? va_arg(ap, unsigned long long) :
			    lng == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			if (*fmt == 'X')
				sp.flags |= F_UPPER;
			put_num(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, &sp);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!(sp.flags & F_LEFT))
				pad(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.flags & F_LEFT)
				pad(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_str(&o, va_arg(ap, const char *), &sp);
			break;
		case 'p': {
			unsigned long p = (unsigned long)va_arg(ap, void *);
			if (fmt[1] == 'S' || fmt[1] == 's' || fmt[1] == 'B') {
				put_symbol(&o, p, fmt[1], &sp);
				fmt++;
				break;
			}
			sp.flags |= F_ALT | F_ZERO | F_PTR;
			if (!sp.width)
				sp.width = 18;
			put_num(&o, p, false, 16, &sp);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:		/* unknown conversion: print it as is */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (!size)
		return 0;
	return n < (int)size ? n : (int)size - 1;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
