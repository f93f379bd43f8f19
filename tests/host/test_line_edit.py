"""Host tests for the console line editor (kernel/shell/line_edit.c).

The editor is compiled with the host's gcc (with AddressSanitizer and
UBSan when they are available) together with tests/host/line_edit_harness.c,
which feeds it bytes and emulates the terminal line its echo draws on.
Each test checks both the line the editor returns and what the user sees:
the emulated screen must always show the buffer, with the cursor at the
editor's position, so an echo that drifts from the buffer fails here.

    python3 -m unittest discover -s tests/host -p 'test_*.py'
"""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SOURCES = [os.path.join(ROOT, "kernel", "shell", "line_edit.c"),
           os.path.join(ROOT, "tests", "host", "line_edit_harness.c")]

ESC = "\x1b"
UP, DOWN, RIGHT, LEFT = ESC + "[A", ESC + "[B", ESC + "[C", ESC + "[D"
HOME, END, DELETE = ESC + "[H", ESC + "[F", ESC + "[3~"
BS, DEL = "\b", "\x7f"


def ctrl(c):
    return chr(ord(c) & 0x1f)


class LineEditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("gcc") is None:
            raise unittest.SkipTest("no gcc on the host")
        cls.tmp = tempfile.mkdtemp(prefix="line_edit_")
        cls.exe = os.path.join(cls.tmp, "line_edit")
        base = ["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                "-I", os.path.join(ROOT, "include"), "-o", cls.exe] + SOURCES
        sanitized = base[:1] + ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"] + base[1:]
        if subprocess.run(sanitized, capture_output=True).returncode != 0:
            subprocess.run(base, check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def feed(self, text):
        """Feed text; returns (records, final) where final is (buf, screen, pos, cursor)."""
        hexbytes = text.encode("latin-1").hex()
        out = subprocess.run([self.exe, hexbytes], capture_output=True, text=True, check=True).stdout
        self.assertNotIn("bad-echo", out, "the echo used a control byte or left the line")
        records, final, history = [], None, []
        for line in out.splitlines():
            kind, _, rest = line.partition(" ")
            if kind in ("done", "cancel"):
                buf, screen = rest.split("|")
                # what the screen showed at Enter is exactly the line
                if kind == "done":
                    self.assertEqual(screen, buf.rstrip(" "))
                records.append((kind, buf))
            elif kind == "end":
                buf, screen, pos, cursor = rest.split("|")
                final = (buf, screen, int(pos), int(cursor))
                self.assertEqual(screen, buf.rstrip(" "), "the screen shows the buffer")
                self.assertEqual(int(pos), int(cursor), "the terminal's cursor is at pos")
            elif kind == "history":
                history.append(rest.split(" ", 1)[1] if " " in rest else "")
        self.history = history
        return records, final

    def lines(self, text):
        return [buf for kind, buf in self.feed(text)[0] if kind == "done"]

    def test_plain_line(self):
        self.assertEqual(self.lines("help\r"), ["help"])

    def test_cr_lf_is_one_enter(self):
        self.assertEqual(self.lines("ps\r\nuptime\n\n"), ["ps", "uptime", ""])

    def test_lf_alone_ends_a_line(self):
        self.assertEqual(self.lines("a\nb\n"), ["a", "b"])

    def test_backspace_both_codes(self):
        self.assertEqual(self.lines("irqx" + DEL + "s\r"), ["irqs"])
        self.assertEqual(self.lines("psx" + BS + "\r"), ["ps"])

    def test_backspace_at_start_does_nothing(self):
        self.assertEqual(self.lines(BS + DEL + "ok\r"), ["ok"])

    def test_insert_in_the_middle(self):
        _, final = self.feed("irq 4" + LEFT * 2 + "x")
        self.assertEqual(final[0], "irqx 4")
        self.assertEqual(final[2], 4)

    def test_left_right_and_delete(self):
        self.assertEqual(self.lines("abcd" + LEFT * 3 + DELETE + RIGHT + "X\r"), ["acXd"])

    def test_backspace_in_the_middle_redraws_tail(self):
        _, final = self.feed("interrupts" + LEFT * 5 + DEL * 2)
        self.assertEqual(final[0], "intrupts")
        self.assertEqual(final[2], 3)

    def test_left_stops_at_start_right_at_end(self):
        _, final = self.feed("ab" + LEFT * 5 + "<" + RIGHT * 9 + ">")
        self.assertEqual(final[0], "<ab>")

    def test_home_end_all_forms(self):
        for home, end in ((HOME, END), (ESC + "[1~", ESC + "[4~"), (ESC + "[7~", ESC + "[8~"),
                          (ESC + "OH", ESC + "OF"), (ctrl("A"), ctrl("E"))):
            self.assertEqual(self.lines("bc" + home + "a" + end + "d\r"), ["abcd"], repr(home))

    def test_ss3_cursor_keys(self):
        # application cursor mode: ESC O A..D
        self.assertEqual(self.lines("ab" + ESC + "OD" + "X\r" + ESC + "OA\r"), ["aXb", "aXb"])

    def test_emacs_keys(self):
        self.assertEqual(self.lines("ac" + ctrl("B") + "b" + ctrl("F") + "d\r"), ["abcd"])
        self.assertEqual(self.lines("abc" + ctrl("A") + ctrl("D") + "\r"), ["bc"])

    def test_kill_to_start_and_end(self):
        self.assertEqual(self.lines("junk irq 4" + LEFT * 5 + ctrl("U") + "\r"), ["irq 4"])
        self.assertEqual(self.lines("irq 4 junk" + LEFT * 5 + ctrl("K") + "\r"), ["irq 4"])

    def test_ctrl_c_abandons_the_line(self):
        records, final = self.feed("reboot" + ctrl("C") + "ps\r")
        self.assertEqual([k for k, _ in records], ["cancel", "done"])
        self.assertEqual(records[1][1], "ps")
        self.assertEqual(self.history, ["ps"])

    def test_history_up_down(self):
        text = "one\rtwo\rthree\r" + UP + UP + "\r"
        self.assertEqual(self.lines(text), ["one", "two", "three", "two"])
        self.assertEqual(self.history, ["two", "three", "two", "one"])

    def test_history_down_returns_to_draft(self):
        _, final = self.feed("long command\rx" + UP + DOWN)
        self.assertEqual(final[0], "x")
        _, final = self.feed("first\rsecond\rdraft" + UP + UP + UP + DOWN)
        self.assertEqual(final[0], "second")

    def test_history_replaces_a_longer_line_cleanly(self):
        # the screen check in feed() fails if the longer line's tail stays visible
        _, final = self.feed("ps\ra very long line that is being typed" + UP)
        self.assertEqual(final[0], "ps")
        self.assertEqual(final[1], "ps")

    def test_history_edit_a_recalled_line(self):
        self.assertEqual(self.lines("irq 4\r" + UP + DEL + "1\r"), ["irq 4", "irq 1"])

    def test_history_skips_blank_and_repeated(self):
        self.lines("ps\r\r   \rps\rmem\r")
        self.assertEqual(self.history, ["mem", "ps"])

    def test_history_ring_keeps_the_last_16(self):
        text = "".join("cmd%d\r" % i for i in range(20))
        self.lines(text)
        self.assertEqual(len(self.history), 16)
        self.assertEqual(self.history[0], "cmd19")
        self.assertEqual(self.history[-1], "cmd4")
        self.assertEqual(self.lines(text + UP * 30 + "\r")[-1], "cmd4")

    def test_full_line_drops_extra_bytes(self):
        lines = self.lines("x" * 200 + "\r")
        self.assertEqual(lines, ["x" * 127])

    def test_unknown_escapes_and_controls_ignored(self):
        self.assertEqual(self.lines("a" + ESC + "[5~" + ESC + "[1;5C" + "\t\x07b\x00\xff\x1f\r"), ["ab"])

    def test_escape_split_does_not_leak_bytes(self):
        # an ESC [ sequence's bytes never reach the line
        self.assertEqual(self.lines(ESC + "[12;34" + "Zok\r"), ["ok"])


if __name__ == "__main__":
    unittest.main()
