"""Host tests for the symbol-table generator (tools/gen_ksyms.py), fed
synthetic `nm` output: which symbols the table keeps, the sizes it gives
them, and --check's detection of a symbol the second link moved.

    python3 -m unittest discover -s tests/host -p 'test_*.py'
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools")
sys.path.insert(0, TOOLS)
import gen_ksyms  # noqa: E402

SCRIPT = os.path.join(TOOLS, "gen_ksyms.py")
VMA = gen_ksyms.KERNEL_VMA
TEXT = VMA + 0x201000       # where .text starts in the real image


def nm_line(addr, kind, name, size=None):
    """One line as `nm -n -S --defined-only` prints it (no size column for labels)."""
    if size is None:
        return "%016x %s %s" % (addr, kind, name)
    return "%016x %016x %s %s" % (addr, size, kind, name)


def table(lines):
    """Run the generator and read its assembly back: [(addr, size, name)], in order."""
    asm = gen_ksyms.generate(gen_ksyms.parse(lines))
    rows = asm.split("\n")
    count = int(rows[rows.index("ksym_count:") + 1].split()[1])
    quads = [int(r.split()[1], 16) for r in rows if r.startswith("\t.quad 0x")]
    longs = [[int(x) for x in r.split(None, 1)[1].split(",")] for r in rows
             if r.startswith("\t.long ")]
    names = [r.split('"')[1] for r in rows if r.startswith("\t.asciz ")]
    blob = "".join(n + "\0" for n in names)
    entries = []
    for addr, (offset, size) in zip(quads, longs):
        entries.append((addr, size, blob[offset:blob.index("\0", offset)]))
    assert len(entries) == count == len(names), asm
    return entries


def by_name(entries):
    return {name: (addr, size) for addr, size, name in entries}


class SizeTests(unittest.TestCase):
    def test_sized_symbols_keep_their_size(self):
        t = by_name(table([nm_line(TEXT, "T", "start_kernel", 0x40),
                           nm_line(TEXT + 0x40, "t", "helper", 0x13)]))
        self.assertEqual(t["start_kernel"], (TEXT, 0x40))
        self.assertEqual(t["helper"], (TEXT + 0x40, 0x13))

    def test_label_size_runs_to_next_symbol(self):
        # NASM labels carry no size: they reach the next higher address
        t = by_name(table([nm_line(TEXT, "T", "setjmp"),
                           nm_line(TEXT + 0x2c, "T", "longjmp"),
                           nm_line(TEXT + 0x50, "T", "memcpy", 0x10)]))
        self.assertEqual(t["setjmp"], (TEXT, 0x2c))
        self.assertEqual(t["longjmp"], (TEXT + 0x2c, 0x24))

    def test_label_skips_aliases_when_measuring(self):
        # the next symbol *above* it counts, not another name at the same address
        t = by_name(table([nm_line(TEXT, "T", "entry"),
                           nm_line(TEXT, "T", "entry_alias"),
                           nm_line(TEXT + 0x18, "T", "next", 8)]))
        self.assertEqual(t["entry"], (TEXT, 0x18))

    def test_last_label_gets_one_byte(self):
        t = by_name(table([nm_line(TEXT, "T", "f", 8), nm_line(TEXT + 0x100, "B", "__bss_stop")]))
        self.assertEqual(t["__bss_stop"], (TEXT + 0x100, 1))

    def test_zero_size_is_treated_as_no_size(self):
        t = by_name(table([nm_line(TEXT, "T", "z", 0), nm_line(TEXT + 0x30, "T", "n", 4)]))
        self.assertEqual(t["z"], (TEXT, 0x30))

    def test_sizes_fit_in_32_bits(self):
        t = by_name(table([nm_line(TEXT, "B", "huge", 1 << 40)]))
        self.assertEqual(t["huge"][1], 0xffffffff)


class SelectionTests(unittest.TestCase):
    def test_aliases_keep_one_name_the_sized_one(self):
        # whatever order nm lists them in, the name with a size is kept
        for lines in ([nm_line(TEXT, "T", "label"), nm_line(TEXT, "T", "function", 0x20)],
                      [nm_line(TEXT, "T", "function", 0x20), nm_line(TEXT, "T", "label")]):
            entries = table(lines + [nm_line(TEXT + 0x20, "T", "after", 4)])
            self.assertEqual([e[2] for e in entries], ["function", "after"])
            self.assertEqual(entries[0], (TEXT, 0x20, "function"))

    def test_symbols_below_kernel_vma_dropped(self):
        entries = table([nm_line(0x200000, "T", "_start"),          # 32-bit boot code
                         nm_line(0x200040, "r", "_start.bad_magic"),
                         nm_line(VMA - 1, "T", "just_below"),
                         nm_line(VMA, "T", "_text"),
                         nm_line(TEXT, "T", "f", 4)])
        names = [e[2] for e in entries]
        self.assertEqual(names, ["_text", "f"])
        self.assertTrue(all(addr >= VMA for addr, _, _ in entries))

    def test_only_code_and_data_kinds(self):
        entries = table([nm_line(TEXT, "T", "text_global", 4),
                         nm_line(TEXT + 4, "t", "text_local", 4),
                         nm_line(TEXT + 8, "W", "weak", 4),
                         nm_line(TEXT + 12, "R", "rodata", 4),
                         nm_line(TEXT + 16, "D", "data", 4),
                         nm_line(TEXT + 20, "b", "bss", 4),
                         nm_line(TEXT + 24, "A", "absolute", 4),
                         nm_line(TEXT + 28, "N", "debug", 4)])
        self.assertEqual([e[2] for e in entries],
                         ["text_global", "text_local", "weak", "rodata", "data", "bss"])

    def test_own_and_dot_symbols_dropped(self):
        entries = table([nm_line(TEXT, "T", "f", 4),
                         nm_line(TEXT + 8, "R", "ksym_table"),
                         nm_line(TEXT + 8, "R", "__start_ksyms"),
                         nm_line(TEXT + 16, "R", "__stop_ksyms"),
                         nm_line(TEXT + 24, "R", "_end"),
                         nm_line(TEXT + 32, "t", ".Lhidden")])
        self.assertEqual([e[2] for e in entries], ["f"])

    def test_input_order_does_not_matter(self):
        lines = [nm_line(TEXT + 0x20, "T", "b", 4), nm_line(TEXT, "T", "a", 4),
                 nm_line(TEXT + 0x10, "T", "m", 4)]
        self.assertEqual([e[2] for e in table(lines)], ["a", "m", "b"])

    def test_lines_that_are_not_symbols_ignored(self):
        entries = table(["", "garbage", "1 2 3 4 5", nm_line(TEXT, "T", "f", 4)])
        self.assertEqual([e[2] for e in entries], ["f"])

    def test_empty_input_gives_empty_table(self):
        # the first link's placeholder: gen_ksyms.py < /dev/null
        self.assertEqual(table([]), [])


class OverlapTests(unittest.TestCase):
    """kallsyms_lookup() bisects: no two entries may overlap."""

    def assert_disjoint(self, entries):
        for (a, size, name), (b, _, nxt) in zip(entries, entries[1:]):
            self.assertLessEqual(a + size, b, "%s overlaps %s" % (name, nxt))

    def test_labels_inside_a_sized_function_are_part_of_it(self):
        # NASM: `global longjmp:function (longjmp.end - longjmp)` with local labels
        entries = table([nm_line(TEXT, "T", "setjmp", 0x2e),
                         nm_line(TEXT + 0x2e, "T", "longjmp", 0x24),
                         nm_line(TEXT + 0x35, "t", "longjmp.1"),
                         nm_line(TEXT + 0x52, "t", "longjmp.end"),
                         nm_line(TEXT + 0x60, "T", "memcpy", 0x10)])
        self.assertEqual([e[2] for e in entries], ["setjmp", "longjmp", "memcpy"])
        self.assertEqual(by_name(entries)["longjmp"], (TEXT + 0x2e, 0x24))
        self.assert_disjoint(entries)

    def test_stubs_inside_a_sized_block(self):
        lines = [nm_line(TEXT, "T", "x86_vector_stubs", 0x1000)]
        lines += [nm_line(TEXT + 16 * v, "t", "x86_vector_stub_%d" % v) for v in range(256)]
        lines += [nm_line(TEXT + 0x1000, "T", "x86_entry_common", 0x60)]
        entries = table(lines)
        self.assertEqual([e[2] for e in entries], ["x86_vector_stubs", "x86_entry_common"])
        self.assert_disjoint(entries)

    def test_label_after_a_sized_function_is_kept(self):
        entries = table([nm_line(TEXT, "T", "f", 0x10),
                         nm_line(TEXT + 0x10, "T", "asm_label"),
                         nm_line(TEXT + 0x30, "T", "g", 4)])
        self.assertEqual(by_name(entries)["asm_label"], (TEXT + 0x10, 0x20))
        self.assert_disjoint(entries)

    def test_gcc_clones_are_separate_symbols(self):
        # .cold/.part parts have sizes of their own and live elsewhere
        entries = table([nm_line(TEXT, "T", "die", 0x80),
                         nm_line(TEXT + 0x4000, "t", "die.cold", 0xe),
                         nm_line(TEXT + 0x4010, "t", "next_word.constprop.0", 0x111)])
        self.assertEqual([e[2] for e in entries], ["die", "die.cold", "next_word.constprop.0"])
        self.assert_disjoint(entries)

    @unittest.skipUnless(shutil.which("as"), "needs the GNU assembler")
    def test_output_assembles(self):
        asm = gen_ksyms.generate(gen_ksyms.parse([nm_line(TEXT, "T", "f", 4),
                                                  nm_line(TEXT + 8, "T", "g")]))
        with tempfile.TemporaryDirectory() as d:
            src, obj = os.path.join(d, "ksyms.S"), os.path.join(d, "ksyms.o")
            with open(src, "w") as f:
                f.write(asm)
            subprocess.run(["as", "--64", src, "-o", obj], check=True)


class CheckTests(unittest.TestCase):
    """--check: the second link must not move any symbol but the table's own."""

    PASS1 = [nm_line(TEXT, "T", "start_kernel"),
             nm_line(TEXT + 0x40, "T", "printk"),
             nm_line(TEXT + 0x9000, "R", "__start_ksyms"),
             nm_line(TEXT + 0x9000, "R", "ksym_count"),
             nm_line(TEXT + 0xa000, "R", "_end")]

    def run_check(self, final):
        with tempfile.NamedTemporaryFile("w", suffix=".syms", delete=False) as f:
            f.write("\n".join(self.PASS1) + "\n")
            path = f.name
        try:
            return subprocess.run([sys.executable, SCRIPT, "--check", path],
                                  input="\n".join(final) + "\n", capture_output=True,
                                  text=True)
        finally:
            os.unlink(path)

    def test_same_symbols_pass(self):
        r = self.run_check(self.PASS1)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_table_symbols_may_move(self):
        final = self.PASS1[:2] + [nm_line(TEXT + 0x9000, "R", "__start_ksyms"),
                                  nm_line(TEXT + 0x9000, "R", "ksym_count"),
                                  nm_line(TEXT + 0xc000, "R", "_end")]
        self.assertEqual(self.run_check(final).returncode, 0)

    def test_moved_symbol_detected(self):
        final = list(self.PASS1)
        final[1] = nm_line(TEXT + 0x48, "T", "printk")
        r = self.run_check(final)
        self.assertEqual(r.returncode, 1)
        self.assertIn("moved", r.stderr)
        self.assertIn("printk", r.stderr)
        self.assertNotIn("start_kernel", r.stderr)

    def test_new_or_missing_symbol_detected(self):
        self.assertEqual(self.run_check(self.PASS1[1:]).returncode, 1)
        self.assertEqual(self.run_check(self.PASS1 + [nm_line(TEXT + 0x80, "t", "extra")])
                         .returncode, 1)


class CommandLineTests(unittest.TestCase):
    def test_generate_from_stdin(self):
        r = subprocess.run([sys.executable, SCRIPT], input=nm_line(TEXT, "T", "f", 4) + "\n",
                           capture_output=True, text=True, check=True)
        self.assertIn("\t.section .ksyms", r.stdout)
        self.assertIn('\t.asciz "f"', r.stdout)
        self.assertIn("ksym_count:\n\t.quad 1\n", r.stdout)


if __name__ == "__main__":
    unittest.main()
