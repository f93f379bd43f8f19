/*
 * Host harness for the console line editor (kernel/shell/line_edit.c),
 * driven by tests/host/test_line_edit.py: feeds the bytes given in hex
 * as argv[1] to an editor
 * whose echo goes to an emulated terminal line: printable characters
 * overwrite at the cursor and advance it, backspace moves it left, and a
 * newline ends the screen line. It prints one record per finished or
 * cancelled line and one for the state at the end:
 *
 *	done <buf>|<screen line>      cancel <buf>|<screen line>
 *	end <buf>|<screen line>|<pos>|<cursor>   (buf and pos empty after Enter)
 *	history <k> <line>            (most recent first)
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <stdbool.h>
#include <kernel/line_edit.h>

#define SCREEN_COLS	512

static char screen[SCREEN_COLS + 1];
static int cursor, screen_len;
static int bad_echo;

static void term_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\b') {
			if (cursor == 0)
				bad_echo = 1;	/* backed up past the start of the line */
			else
				cursor--;
		} else if (c == '\n') {
			cursor = screen_len = 0;
			memset(screen, 0, sizeof(screen));
		} else if (c >= ' ' && c < 0x7f) {
			if (cursor >= SCREEN_COLS) {
				bad_echo = 1;
				continue;
			}
			screen[cursor++] = c;
			if (cursor > screen_len)
				screen_len = cursor;
		} else {
			bad_echo = 1;		/* an escape sequence or control byte in the echo */
		}
	}
}

/* The screen line without trailing blanks (what a user sees). */
static const char *shown(void)
{
	static char copy[SCREEN_COLS + 1];
	int n = screen_len;

	memcpy(copy, screen, (size_t)n);
	while (n && (copy[n - 1] == ' ' || copy[n - 1] == '\0'))
		n--;
	copy[n] = '\0';
	for (int i = 0; i < n; i++)
		if (copy[i] == '\0')
			copy[i] = '?';
	return copy;
}

int main(int argc, char **argv)
{
	static struct line_editor ed;
	char before[SCREEN_COLS + 1];
	bool finished = false;
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s HEXBYTES\n", argv[0]);
		return 2;
	}
	line_edit_init(&ed, term_out, NULL);
	n = strlen(argv[1]) / 2;
	for (size_t i = 0; i < n; i++) {
		char hex[3] = { argv[1][2 * i], argv[1][2 * i + 1], 0 };
		int r;

		/* the screen as it was before a newline blanks it */
		strcpy(before, shown());
		r = line_edit_feed(&ed, (int)strtol(hex, NULL, 16));
		finished = r != LINE_EDIT_MORE;
		if (r == LINE_EDIT_DONE)
			printf("done %s|%s\n", ed.buf, before);
		else if (r == LINE_EDIT_CANCEL)
			printf("cancel %s|%s\n", ed.buf, before);
	}
	/* after Enter the buffer still holds the finished line, the screen a new one */
	if (finished)
		printf("end |%s|0|%d\n", shown(), cursor);
	else
		printf("end %s|%s|%u|%d\n", ed.buf, shown(), ed.pos, cursor);
	for (unsigned int k = 1; line_edit_history(&ed, k); k++)
		printf("history %u %s\n", k, line_edit_history(&ed, k));
	if (bad_echo)
		printf("bad-echo\n");
	return 0;
}
