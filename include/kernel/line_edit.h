/*
 * The console line editor: turns a stream of input bytes (typed on the
 * serial terminal, or made by the PS/2 keyboard driver) into lines, with
 * cursor movement, insertion and deletion anywhere in the line, and a
 * history. It echoes through a callback using only printable characters,
 * spaces and backspaces, so the same echo works on a serial terminal and
 * on the VGA and framebuffer consoles, which know no escape sequences.
 *
 * Pure logic with no kernel dependency (kernel/shell/line_edit.c is also
 * built on the host by tests/host/test_line_edit.py).
 *
 * Keys: Enter (CR, LF or CR LF) ends the line; Backspace (DEL or BS);
 * Left/Right (ESC [ D / ESC [ C, ESC O D / C, Ctrl-B / Ctrl-F); Up/Down
 * walk the history (ESC [ A / B, ESC O A / B, Ctrl-P / Ctrl-N); Home/End
 * (ESC [ H / F, ESC [ 1 ~ / 4 ~, ESC [ 7 ~ / 8 ~, Ctrl-A / Ctrl-E);
 * Delete (ESC [ 3 ~, or Ctrl-D on a non-empty line); Ctrl-U erases up to
 * the cursor, Ctrl-K from it; Ctrl-C abandons the line. Anything else
 * that is not printable ASCII is ignored.
 */
#ifndef KERNEL_LINE_EDIT_H
#define KERNEL_LINE_EDIT_H

#include <stddef.h>
#include <stdbool.h>

#define LINE_EDIT_MAX		128	/* bytes of a line, with its NUL: a long command with arguments */
#define LINE_EDIT_HISTORY	16	/* lines kept for Up/Down */

/* What line_edit_feed() says about the byte it took. */
enum line_edit_result {
	LINE_EDIT_MORE = 0,		/* the line is still being edited */
	LINE_EDIT_DONE,			/* Enter: the line is in ed->buf (and in the history) */
	LINE_EDIT_CANCEL,		/* Ctrl-C: the line was abandoned */
};

struct line_editor {
	char buf[LINE_EDIT_MAX];	/* the line, NUL-terminated */
	unsigned int len;		/* characters in buf */
	unsigned int pos;		/* the cursor: 0..len */
	char history[LINE_EDIT_HISTORY][LINE_EDIT_MAX];
	unsigned int hist_count;	/* lines in history (up to LINE_EDIT_HISTORY) */
	unsigned int hist_next;		/* the slot the next line goes to */
	unsigned int browse;		/* 0: the new line; k: the k-th most recent shown */
	char draft[LINE_EDIT_MAX];	/* the new line, kept while the history is browsed */
	int state;			/* escape-sequence parser state */
	unsigned int csi_arg;		/* the number in ESC [ n ~ */
	bool after_cr;			/* the last byte was CR: a LF right after it is the same Enter */
	/* write n bytes of echo; never NULL */
	void (*out)(void *ctx, const char *s, size_t n);
	void *ctx;			/* out's first argument */
};

/**
 * line_edit_init() - set an editor up with an empty line and history
 * @ed: the editor
 * @out: where the echo goes
 * @ctx: passed to @out
 */
void line_edit_init(struct line_editor *ed, void (*out)(void *ctx, const char *s, size_t n),
		    void *ctx);

/**
 * line_edit_feed() - take one input byte
 * @ed: the editor
 * @c: the byte (0-255)
 *
 * Edits the line and echoes the change. After LINE_EDIT_DONE the line is
 * in @ed->buf until the next byte, which starts a new line (the caller
 * prints its prompt in between).
 *
 * Return: an enum line_edit_result.
 */
int line_edit_feed(struct line_editor *ed, int c);

/**
 * line_edit_history() - a line of the history
 * @ed: the editor
 * @k: 1 for the most recent line, 2 for the one before...
 *
 * Return: the line, or NULL if there are fewer than @k.
 */
const char *line_edit_history(const struct line_editor *ed, unsigned int k);

#endif
