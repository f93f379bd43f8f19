/*
 * The console line editor (include/kernel/line_edit.h): a small state
 * machine for the escape sequences terminals send for the cursor keys
 * (ECMA-48 CSI "ESC [" and the application-mode SS3 "ESC O"), the edit
 * operations on one line buffer, and a ring of past lines. The echo
 * keeps the terminal's cursor where ed->pos is, using backspaces to move
 * left and rewriting characters to move right.
 *
 * No library calls: the file builds unchanged in the kernel and on the
 * host (tests/host/test_line_edit.py).
 */
#include <kernel/line_edit.h>

#define ESC		0x1b
#define DEL		0x7f
#define CTRL(c)		((c) & 0x1f)

enum { ST_NORMAL, ST_ESC, ST_CSI, ST_SS3, ST_DONE };

static void emit(struct line_editor *ed, const char *s, size_t n)
{
	if (n)
		ed->out(ed->ctx, s, n);
}

static void emit_repeat(struct line_editor *ed, char c, unsigned int n)
{
	char chunk[16];

	for (unsigned int i = 0; i < sizeof(chunk); i++)
		chunk[i] = c;
	while (n) {
		unsigned int k = n < sizeof(chunk) ? n : sizeof(chunk);

		emit(ed, chunk, k);
		n -= k;
	}
}

/*
 * The screen shows the line up to column `from` correctly and the cursor
 * is there; buf changed from `from` on and was old_len long. Rewrite the
 * tail, blank what the old line had beyond the new end, and back up to pos.
 */
static void refresh(struct line_editor *ed, unsigned int from, unsigned int old_len)
{
	unsigned int end = ed->len;

	emit(ed, ed->buf + from, ed->len - from);
	if (old_len > ed->len) {
		emit_repeat(ed, ' ', old_len - ed->len);
		end = old_len;
	}
	emit_repeat(ed, '\b', end - ed->pos);
}

static void copy_line(char *dst, const char *src)
{
	unsigned int i;

	for (i = 0; i < LINE_EDIT_MAX - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static unsigned int line_length(const char *s)
{
	unsigned int n = 0;

	while (s[n])
		n++;
	return n;
}

/* Show text instead of the current line, the cursor at its end. */
static void replace_line(struct line_editor *ed, const char *text)
{
	unsigned int old_len = ed->len;

	emit_repeat(ed, '\b', ed->pos);
	copy_line(ed->buf, text);
	ed->len = ed->pos = line_length(ed->buf);
	refresh(ed, 0, old_len);
}

static void insert_char(struct line_editor *ed, char c)
{
	unsigned int from = ed->pos;

	if (ed->len + 1 >= LINE_EDIT_MAX)
		return;				/* full: the byte is dropped */
	for (unsigned int i = ed->len; i > ed->pos; i--)
		ed->buf[i] = ed->buf[i - 1];
	ed->buf[ed->pos++] = c;
	ed->buf[++ed->len] = '\0';
	refresh(ed, from, ed->len - 1);
}

/* Remove n characters starting at index at (the cursor is moved to at first). */
static void delete_range(struct line_editor *ed, unsigned int at, unsigned int n)
{
	unsigned int old_len = ed->len;

	if (!n)
		return;
	emit_repeat(ed, '\b', ed->pos - at);
	for (unsigned int i = at; i + n <= ed->len; i++)
		ed->buf[i] = ed->buf[i + n];	/* moves the NUL too */
	ed->len -= n;
	ed->pos = at;
	refresh(ed, at, old_len);
}

static void move_to(struct line_editor *ed, unsigned int pos)
{
	if (pos < ed->pos)
		emit_repeat(ed, '\b', ed->pos - pos);
	else
		emit(ed, ed->buf + ed->pos, pos - ed->pos);
	ed->pos = pos;
}

const char *line_edit_history(const struct line_editor *ed, unsigned int k)
{
	if (k == 0 || k > ed->hist_count)
		return NULL;
	return ed->history[(ed->hist_next + LINE_EDIT_HISTORY - k) % LINE_EDIT_HISTORY];
}

static void history_add(struct line_editor *ed)
{
	const char *last = line_edit_history(ed, 1);
	bool blank = true;

	for (unsigned int i = 0; i < ed->len; i++)
		blank = blank && ed->buf[i] == ' ';
	if (blank)
		return;
	/* a command repeated is kept once, as shells do */
	if (last) {
		unsigned int i = 0;

		while (last[i] && last[i] == ed->buf[i])
			i++;
		if (!last[i] && !ed->buf[i])
			return;
	}
	copy_line(ed->history[ed->hist_next], ed->buf);
	ed->hist_next = (ed->hist_next + 1) % LINE_EDIT_HISTORY;
	if (ed->hist_count < LINE_EDIT_HISTORY)
		ed->hist_count++;
}

static void history_up(struct line_editor *ed)
{
	if (ed->browse >= ed->hist_count)
		return;
	if (ed->browse == 0)
		copy_line(ed->draft, ed->buf);
	replace_line(ed, line_edit_history(ed, ++ed->browse));
}

static void history_down(struct line_editor *ed)
{
	if (ed->browse == 0)
		return;
	ed->browse--;
	replace_line(ed, ed->browse ? line_edit_history(ed, ed->browse) : ed->draft);
}

static void start_line(struct line_editor *ed)
{
	ed->buf[0] = '\0';
	ed->len = ed->pos = 0;
	ed->browse = 0;
	ed->state = ST_NORMAL;
}

void line_edit_init(struct line_editor *ed, void (*out)(void *ctx, const char *s, size_t n),
		    void *ctx)
{
	ed->hist_count = ed->hist_next = 0;
	ed->after_cr = false;
	ed->out = out;
	ed->ctx = ctx;
	start_line(ed);
}

/* The end of a CSI or SS3 sequence: final byte f, with the number before it in csi_arg. */
static void cursor_key(struct line_editor *ed, int f)
{
	switch (f) {
	case 'A':
		history_up(ed);
		break;
	case 'B':
		history_down(ed);
		break;
	case 'C':
		if (ed->pos < ed->len)
			move_to(ed, ed->pos + 1);
		break;
	case 'D':
		if (ed->pos)
			move_to(ed, ed->pos - 1);
		break;
	case 'H':
		move_to(ed, 0);
		break;
	case 'F':
		move_to(ed, ed->len);
		break;
	case '~':			/* VT220 editing keys: ESC [ n ~ */
		if (ed->csi_arg == 1 || ed->csi_arg == 7)
			move_to(ed, 0);
		else if (ed->csi_arg == 4 || ed->csi_arg == 8)
			move_to(ed, ed->len);
		else if (ed->csi_arg == 3 && ed->pos < ed->len)
			delete_range(ed, ed->pos, 1);
		break;
	}
}

int line_edit_feed(struct line_editor *ed, int c)
{
	bool after_cr = ed->after_cr;

	c &= 0xff;
	ed->after_cr = c == '\r';
	if (ed->state == ST_DONE) {
		start_line(ed);
		if (c == '\n' && after_cr)
			return LINE_EDIT_MORE;	/* the LF of a CR LF */
	}
	switch (ed->state) {
	case ST_ESC:
		ed->csi_arg = 0;
		ed->state = c == '[' ? ST_CSI : c == 'O' ? ST_SS3 : ST_NORMAL;
		return LINE_EDIT_MORE;
	case ST_CSI:
		if (c >= '0' && c <= '9') {
			if (ed->csi_arg < 1000)
				ed->csi_arg = ed->csi_arg * 10 + (unsigned int)(c - '0');
			return LINE_EDIT_MORE;
		}
		if (c >= 0x20 && c <= 0x3f)
			return LINE_EDIT_MORE;	/* other parameter bytes (';'): ignored */
		ed->state = ST_NORMAL;
		cursor_key(ed, c);
		return LINE_EDIT_MORE;
	case ST_SS3:
		ed->state = ST_NORMAL;
		cursor_key(ed, c);
		return LINE_EDIT_MORE;
	}

	switch (c) {
	case '\r':
	case '\n':
		move_to(ed, ed->len);
		emit(ed, "\n", 1);
		history_add(ed);
		ed->state = ST_DONE;
		return LINE_EDIT_DONE;
	case ESC:
		ed->state = ST_ESC;
		break;
	case DEL:
	case '\b':
		if (ed->pos)
			delete_range(ed, ed->pos - 1, 1);
		break;
	case CTRL('D'):
		if (ed->pos < ed->len)
			delete_range(ed, ed->pos, 1);
		break;
	case CTRL('A'):
		move_to(ed, 0);
		break;
	case CTRL('E'):
		move_to(ed, ed->len);
		break;
	case CTRL('B'):
		cursor_key(ed, 'D');
		break;
	case CTRL('F'):
		cursor_key(ed, 'C');
		break;
	case CTRL('P'):
		history_up(ed);
		break;
	case CTRL('N'):
		history_down(ed);
		break;
	case CTRL('U'):
		delete_range(ed, 0, ed->pos);
		break;
	case CTRL('K'):
		delete_range(ed, ed->pos, ed->len - ed->pos);
		break;
	case CTRL('C'):
		move_to(ed, ed->len);
		emit(ed, "^C\n", 3);
		ed->state = ST_DONE;
		return LINE_EDIT_CANCEL;
	default:
		if (c >= ' ' && c < DEL)
			insert_char(ed, (char)c);
		break;
	}
	return LINE_EDIT_MORE;
}
