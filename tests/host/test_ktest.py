"""Host tests for the QEMU test runner (tools/ktest.py) and its KTAP parser
(tools/ktap.py): parsing, crash and hang accounting, filter and summary,
all on synthetic serial logs, without QEMU.
"""
import io
import os
import sys
import unittest
import unittest.mock
from contextlib import redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import ktap  # noqa: E402
import ktest  # noqa: E402

BOOT = "Booting kernel...\nmemory: 512 MiB\n"

ALL_PASS = BOOT + """KTAP version 1
1..2
    KTAP version 1
    # Subtest: alpha
    1..2
    ok 1 first
    ok 2 second
ok 1 alpha
    KTAP version 1
    # Subtest: beta
    1..1
    ok 1 only
ok 2 beta
"""

FAILING = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: exceptions
    1..2
    ok 1 divide_error
    # tests/kernel/foo.c:42: EXPECT_EQ(a, b) failed: a == 1, b == 2
    not ok 2 page_fault
not ok 1 exceptions
"""

SKIPPING = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: apic
    1..2
    ok 1 timer
    ok 2 x2apic # SKIP no x2APIC on this CPU
ok 1 apic
"""

# Case 2 of suite x crashes; suites 2 and 3 of the plan never report.
CRASH = """KTAP version 1
1..3
    KTAP version 1
    # Subtest: x
    1..3
    ok 1 a
Oops: 0002 [#1] vector 14 error 0x2 RIP 0xffffffff80101234 CR2 0x0 CPU 0
RAX 0000000000000000 RBX 0000000000000001
Call trace:
  x_case_b+0x12
Kernel panic - not syncing: Oops
"""


def parse(text, reason="end of log"):
    return ktap.parse_log(text, reason)


def counts(parser):
    return ktest.total_counts(parser.results())


class ParserTest(unittest.TestCase):
    def test_all_pass(self):
        p = parse(ALL_PASS)
        self.assertTrue(p.complete)
        self.assertEqual([s.name for s in p.results()], ["alpha", "beta"])
        self.assertEqual([c.name for c in p.suites[0].cases], ["first", "second"])
        self.assertEqual(counts(p), (3, 0, 0))

    def test_failing_case_keeps_its_diagnostics(self):
        p = parse(FAILING)
        case = p.suites[0].cases[1]
        self.assertEqual((case.name, case.status), ("page_fault", "fail"))
        self.assertEqual(case.diagnostics,
                         ["# tests/kernel/foo.c:42: EXPECT_EQ(a, b) failed: a == 1, b == 2"])
        self.assertEqual(p.suites[0].cases[0].diagnostics, [])
        self.assertEqual(p.suites[0].error, "")     # the failed case explains "not ok"
        self.assertEqual(counts(p), (1, 1, 0))

    def test_skip(self):
        p = parse(SKIPPING)
        case = p.suites[0].cases[1]
        self.assertEqual(case.status, "skip")
        self.assertEqual(case.directive, "SKIP no x2APIC on this CPU")
        self.assertEqual(case.name, "x2apic")
        self.assertEqual(counts(p), (1, 0, 1))

    def test_whole_suite_skipped(self):
        p = parse("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: smp\n"
                  "    1..0\nok 1 smp # SKIP one CPU\n")
        self.assertEqual(counts(p), (0, 0, 1))

    def test_timestamps_and_carriage_returns(self):
        stamped = "".join(f"[{i:5d}.{i:06d}] {line}\r\n"
                          for i, line in enumerate(FAILING.splitlines()))
        p = parse(stamped)
        self.assertTrue(p.complete)
        self.assertEqual(p.suites[0].cases[1].diagnostics,
                         ["# tests/kernel/foo.c:42: EXPECT_EQ(a, b) failed: a == 1, b == 2"])
        self.assertEqual(counts(p), (1, 1, 0))

    def test_non_ktap_lines_between_are_ignored(self):
        noisy = ALL_PASS.replace("    ok 2 second\n",
                                 "irq: spurious interrupt 7\n    ok 2 second\nok 1 not-a-result\n", 1)
        # "ok 1 not-a-result" at top level is a result line in KTAP terms: it
        # ends suite alpha early, which must show up as a failure.
        p = parse(noisy)
        self.assertGreater(counts(p)[1], 0)
        quiet = ALL_PASS.replace("    ok 2 second\n", "irq: spurious interrupt 7\n    ok 2 second\n", 1)
        self.assertEqual(counts(parse(quiet)), (3, 0, 0))

    def test_crash_mid_suite(self):
        p = ktap.Parser()
        for line in CRASH.splitlines():
            p.feed(line)
        self.assertFalse(p.complete)
        suites = ktest.account_main_boot(p, 0, "QEMU exited with status 0 (triple fault?)")
        x = suites[0]
        self.assertEqual([(c.name, c.status) for c in x.cases], [("a", "pass"), ("#2", "fail")])
        diag = x.cases[1].diagnostics
        self.assertIn("triple fault", diag[0])
        oops = diag.index("Oops: 0002 [#1] vector 14 error 0x2 RIP 0xffffffff80101234 CR2 0x0 CPU 0")
        self.assertIn("Kernel panic - not syncing: Oops", diag[oops:])
        self.assertIn("cases 3..3 did not run", diag)
        later = suites[1:]
        self.assertEqual(len(later), 2)
        for suite in later:
            self.assertIn("did not run: kernel crashed/hung", suite.error)
        self.assertEqual(ktest.total_counts(suites), (1, 3, 0))

    def test_hang_without_oops_attaches_log_tail(self):
        log = CRASH.split("Oops")[0] + "".join(f"tick {i}\n" for i in range(40))
        p = parse(log, "no output for 60 s")
        diag = p.suites[0].cases[1].diagnostics
        self.assertEqual(diag[-1], "cases 3..3 did not run")
        self.assertEqual(diag[-2], "tick 39")
        self.assertLessEqual(len(diag), ktap.TAIL_LINES + 2)

    def test_crash_between_suites(self):
        p = parse("KTAP version 1\n1..2\n    KTAP version 1\n    # Subtest: a\n    1..1\n"
                  "    ok 1 one\nok 1 a\nBUG: stack guard page hit\n", "QEMU exited with status 37")
        self.assertEqual(p.suites[0].counts(), (1, 0, 0))
        self.assertIn("did not run", p.suites[1].error)
        self.assertEqual(p.suites[1].diagnostics, ["BUG: stack guard page hit"])

    def test_no_ktap_at_all(self):
        p = parse(BOOT + "".join(f"line {i}\n" for i in range(50)), "QEMU exited with status 0")
        [main] = p.results()
        self.assertEqual(main.name, "main")
        [case] = main.cases
        self.assertEqual((case.name, case.status), ("boot", "fail"))
        self.assertIn("no KTAP output", case.diagnostics[0])
        self.assertEqual(case.diagnostics[1:], [f"line {i}" for i in range(20, 50)])
        self.assertEqual(counts(p), (0, 1, 0))

    def test_suite_plan_mismatch(self):
        p = parse(ALL_PASS.replace("    1..2\n", "    1..3\n", 1))
        self.assertEqual(p.suites[0].error, "plan 1..3 but 2 results")
        self.assertEqual(counts(p), (3, 1, 0))

    def test_top_level_plan_mismatch(self):
        too_many = parse(ALL_PASS.replace("1..2\n", "1..1\n", 1))
        self.assertEqual([c.name for c in too_many.main.cases], ["plan"])
        too_few = parse(ALL_PASS.replace("1..2\n", "1..3\n", 1))
        self.assertIn("did not run", too_few.suites[2].error)
        self.assertEqual(counts(too_few), (3, 1, 0))

    def test_suite_without_result_line(self):
        log = ALL_PASS.replace("ok 1 alpha\n", "")
        p = parse(log)
        self.assertEqual(p.suites[0].error, "no top-level result line")
        self.assertGreater(counts(p)[1], 0)

    def test_crash_test_announcements(self):
        p = parse(ALL_PASS + '# ktest crash-test null_deref expect "Oops: 0000"\n'
                  '# ktest crash-test stack_overflow expect "double fault"\n')
        self.assertEqual(p.crash_tests, [("null_deref", "Oops: 0000"),
                                         ("stack_overflow", "double fault")])


    def test_boot_test_announcements(self):
        p = parse(ALL_PASS + '# ktest boot-test acpi_off cmdline "acpi=off" expect "PIC mode (x)"\n')
        self.assertEqual(p.boot_tests, [("acpi_off", "acpi=off", "PIC mode (x)", None)])
        p = parse(ALL_PASS + '# ktest boot-test two smp 4 cmdline "maxcpus=2" expect "2 of 4"\n')
        self.assertEqual(p.boot_tests, [("two", "maxcpus=2", "2 of 4", 4)])


class RunnerTest(unittest.TestCase):
    def main_boot(self, log, status, reason):
        p = ktap.Parser()
        for line in log.splitlines():
            p.feed(line)
        return ktest.account_main_boot(p, status, reason)

    def test_good_exit(self):
        self.assertEqual(ktest.total_counts(self.main_boot(ALL_PASS, 33, "")), (3, 0, 0))
        self.assertEqual(ktest.total_counts(self.main_boot(FAILING, 35, "")), (1, 1, 0))

    def test_bad_exit_after_complete_plan(self):
        suites = self.main_boot(ALL_PASS, 0, "QEMU exited with status 0 (triple fault?)")
        self.assertEqual(suites[-1].name, "main")
        self.assertEqual(suites[-1].cases[0].name, "exit")
        self.assertEqual(ktest.total_counts(suites), (3, 1, 0))
        hung = self.main_boot(ALL_PASS, None, "no output for 60 s")
        self.assertEqual(ktest.total_counts(hung), (3, 1, 0))

    def test_exit_35_without_failures(self):
        self.assertEqual(ktest.total_counts(self.main_boot(ALL_PASS, 35, "")), (3, 1, 0))

    def test_crash_case(self):
        lines = ["ktest: crashing on purpose", "Oops: 0000 [#1]"]
        self.assertEqual(ktest.crash_case("n", "Oops: 0000", lines, 37, "").status, "pass")
        wrong_status = ktest.crash_case("n", "Oops: 0000", lines, 0, "QEMU exited with status 0")
        self.assertEqual(wrong_status.status, "fail")
        self.assertIn("status 37", wrong_status.diagnostics[0])
        self.assertEqual(wrong_status.diagnostics[-1], "Oops: 0000 [#1]")
        self.assertEqual(ktest.crash_case("n", "double fault", lines, 37, "").status, "fail")

    def test_boot_case(self):
        lines = ["irq: PIC mode (no usable ACPI MADT)", "KTAP version 1", "1..0"]
        self.assertEqual(ktest.boot_case("a", "PIC mode", lines, 33, "").status, "pass")
        self.assertEqual(ktest.boot_case("a", "APIC mode", lines, 33, "").status, "fail")
        died = ktest.boot_case("a", "PIC mode", lines, 37, "QEMU exited with status 37")
        self.assertEqual(died.status, "fail")
        self.assertIn("status 33", died.diagnostics[0])

    def test_refusal_case(self):
        self.assertEqual(ktest.refusal_case("no_long_mode", "t", True, [], "").status, "pass")
        self.assertEqual(ktest.refusal_case("no_long_mode", "t", False, [], "hung").status, "fail")

    def test_filter_glob(self):
        m = ktest.glob_match
        self.assertTrue(m("exc*", "exceptions"))
        self.assertTrue(m("?pic", "apic"))
        self.assertFalse(m("?pic", "xapic"))
        self.assertFalse(m("exc", "exceptions"))   # whole-string match
        self.assertTrue(m("a.b[1]", "a.b[1]"))      # no character classes: '[' is literal

        sel, case = ktest.suite_selected, ktest.case_selected
        self.assertTrue(sel(None, "irq") and sel("", "irq") and case("", "irq", "x"))
        self.assertTrue(sel("ir*", "irq"))
        self.assertTrue(sel("irq.*", "irq"))
        self.assertTrue(sel("i?q.spurious", "irq"))
        self.assertFalse(sel("timer*", "irq"))
        self.assertFalse(sel("timer.irq", "irq"))
        self.assertTrue(case("irq", "irq", "anything"))
        self.assertTrue(case("irq.spur*", "irq", "spurious"))
        self.assertFalse(case("irq.spur*", "irq", "shared"))
        self.assertTrue(case("boot", "boot", "no_long_mode"))
        self.assertTrue(case("boot.multiboot?_refused", "boot", "multiboot1_refused"))
        self.assertTrue(case("*.no_long_mode", "boot", "no_long_mode"))
        self.assertFalse(case("exceptions", "boot", "no_long_mode"))
        self.assertFalse(case("boot.crash_*", "boot", "no_long_mode"))
        # lists: commas or spaces, any glob selects
        self.assertTrue(sel("timer*,irq", "irq") and sel("timer* irq", "irq"))
        self.assertFalse(sel("timer*, tick", "irq"))
        self.assertTrue(case("tick,irq.spur*", "irq", "spurious"))
        self.assertFalse(case("tick,irq.spur*", "irq", "shared"))
        self.assertTrue(case("irq.spur* irq.sha*", "irq", "shared"))
        self.assertEqual(ktest.filter_arg("irq* edu*"), "'ktest.filter=irq*,edu*'")

    def test_summary_line(self):
        self.assertEqual(ktest.format_counts(5, 0, 0), "5 passed, 0 failed")
        self.assertEqual(ktest.format_counts(23, 1, 2), "23 passed, 1 failed, 2 skipped")
        results = [("pc", parse(SKIPPING).results()), ("q35", parse(FAILING).results())]
        out = io.StringIO()
        with redirect_stdout(out):
            totals = ktest.print_summary(results)
        self.assertEqual(totals, (2, 1, 1))
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[-1], "2 passed, 1 failed, 1 skipped")
        self.assertIn("[pc] apic: 1 passed, 0 failed, 1 skipped", lines)
        self.assertIn("  [q35] exceptions.page_fault", lines)


if __name__ == "__main__":
    unittest.main()


class EmulatorOptionsTest(unittest.TestCase):
    """--firmware and --emulator: argument checks, run names, Bochs's exit code line."""

    def test_firmware_names_the_run(self):
        opts = ktest.parse_args(["--kernel", "k.elf", "--firmware", "uefi", "--build", "/tmp/ktest-host"])
        opts.emulator = "qemu"
        run = ktest.MachineRun("q35", opts, ("noapic", "noapic"), smp=4)
        self.assertEqual(run.machine, "q35/uefi/smp4/noapic")
        env = run.env()
        self.assertEqual(env["FIRMWARE"], "uefi")
        self.assertTrue(env["OVMF_VARS_FILE"].endswith("q35-uefi-smp4-noapic/OVMF_VARS.fd"))
        self.assertEqual(env["BOCHS_CPUS"], "4")

    def test_bios_is_the_default_and_unnamed(self):
        opts = ktest.parse_args(["--kernel", "k.elf", "--build", "/tmp/ktest-host"])
        self.assertEqual((opts.firmware, opts.emulator), ("bios", "qemu"))
        self.assertEqual(ktest.MachineRun("pc", opts).machine, "pc")

    def test_bochs_has_no_uefi(self):
        err = io.StringIO()
        with unittest.mock.patch("sys.stderr", err):
            status = ktest.main(["--kernel", "k.elf", "--emulator", "bochs", "--firmware", "uefi"])
        self.assertEqual(status, 2)
        self.assertIn("BIOS only", err.getvalue())

    def test_bochs_exit_code_line(self):
        out = b"00001i[SIM] ...\nisa-debug-exit 0x11\n00002p[UNMAP] >>PANIC<< Shutdown port\n"
        m = ktest.BOCHS_EXIT_RE.search(out)
        self.assertIsNotNone(m)
        self.assertEqual((int(m.group(1), 16) << 1) | 1, ktest.EXIT_FAILED)
        self.assertIsNone(ktest.BOCHS_EXIT_RE.search(b"isa-debug-exit 0x"))
