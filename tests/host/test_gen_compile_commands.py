"""Host tests for tools/gen_compile_commands.py (`make compile_commands.json`):
one entry per source with the Makefile's flags, minus make's dependency
flags, quoted arguments kept whole.

    python3 -m unittest discover -s tests/host -p 'test_*.py'
"""
import json
import os
import subprocess
import sys
import unittest

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools")
SCRIPT = os.path.join(TOOLS, "gen_compile_commands.py")


class GenCompileCommandsTest(unittest.TestCase):
    def run_script(self, cflags, *sources):
        out = subprocess.run([sys.executable, SCRIPT, "--cc", "gcc", "--build", "b",
                              "--directory", "/tree", "--cflags=" + cflags] + list(sources),
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def test_one_entry_per_source_sorted(self):
        db = self.run_script("-O2", "kernel/b.c", "arch/a.c")
        self.assertEqual([e["file"] for e in db], ["arch/a.c", "kernel/b.c"])
        self.assertTrue(all(e["directory"] == "/tree" for e in db))

    def test_flags_and_output(self):
        db = self.run_script("-O2 -MMD -MP -Iinclude -include b/config.h", "kernel/x.c")
        self.assertEqual(db[0]["arguments"],
                         ["gcc", "-O2", "-Iinclude", "-include", "b/config.h",
                          "-c", "kernel/x.c", "-o", "b/obj/kernel/x.o"])

    def test_quoted_flag_stays_one_argument(self):
        db = self.run_script("-DNAME='\"a b\"'", "k.c")
        self.assertIn('-DNAME="a b"', db[0]["arguments"])


if __name__ == "__main__":
    unittest.main()
