#!/usr/bin/env python3
"""KTAP parser for the kernel's self-test output (tools/ktest.py uses it).

Follows KTAP version 1 (Linux Documentation/dev-tools/ktap.rst) as the
kernel prints it: a top-level plan counting suites, each suite a subtest
indented four spaces with its own plan and case results. Fed one serial line
at a time, live or from a saved log; lines that are not KTAP (boot messages)
are kept for crash reports and otherwise ignored. finish() turns a plan left
unfinished (the kernel crashed or hung) into failures, never into a pass.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\] ")     # printk's "[    0.123456] "
VERSION_RE = re.compile(r"^K?TAP version \d+$")
PLAN_RE = re.compile(r"^1\.\.(\d+)$")
RESULT_RE = re.compile(r"^(ok|not ok) (\d+)(?: (.*))?$")
SUBTEST_RE = re.compile(r"^# Subtest: (.+)$")
CRASH_TEST_RE = re.compile(r'^# ktest crash-test (\S+) expect "(.*)"$')
BOOT_TEST_RE = re.compile(r'^# ktest boot-test (\S+)(?: smp (\d+))? cmdline "(.*)" expect "(.*)"$')
INDENT = "    "                                     # one subtest level

# A crash report starts at the first line naming one of these.
CRASH_MARKERS = ("Oops", "Kernel panic", "BUG:", "double fault")
TAIL_LINES = 30         # without a marker: enough for a register dump and a short backtrace
OOPS_MAX_LINES = 100    # with a marker: the whole oops, but not a flood that follows it


def clean(line: str) -> str:
    """Drop the line ending and a leading printk timestamp."""
    return TIMESTAMP_RE.sub("", line.rstrip("\r\n"), count=1)


def log_excerpt(lines: list[str], start: int = 0) -> list[str]:
    """The crash report in lines[start:] if one is there, else the log's last lines."""
    for i in range(start, len(lines)):
        if any(marker in lines[i] for marker in CRASH_MARKERS):
            return lines[i:i + OOPS_MAX_LINES]
    return lines[-TAIL_LINES:]


@dataclass
class Case:
    """One test case: its result line plus the diagnostics printed before it."""
    name: str
    status: str                 # "pass", "fail" or "skip"
    directive: str = ""         # after " # " on the result line, e.g. "SKIP no APIC"
    diagnostics: list[str] = field(default_factory=list)


@dataclass
class Suite:
    """One suite (a top-level test with its subtest block)."""
    name: str | None
    plan: int | None = None     # M of the suite's "1..M"
    cases: list[Case] = field(default_factory=list)
    result: str | None = None   # "ok" / "not ok" from the top-level line; None if never reported
    directive: str = ""
    error: str = ""             # a failure that is no case's (counts as one failed test)
    diagnostics: list[str] = field(default_factory=list)   # the log behind error

    def counts(self) -> tuple[int, int, int]:
        """(passed, failed, skipped), the suite's own error counting as one failure."""
        passed = sum(c.status == "pass" for c in self.cases)
        failed = sum(c.status == "fail" for c in self.cases) + bool(self.error)
        skipped = sum(c.status == "skip" for c in self.cases)
        if not self.cases and is_skip(self.directive):
            skipped += 1        # a whole suite skipped, e.g. for missing hardware
        return passed, failed, skipped


def is_skip(directive: str) -> bool:
    return directive.upper().startswith("SKIP")


def split_result(line: str):
    """Parse "[not ]ok N [description][ # directive]" into (ok, n, desc, directive)."""
    m = RESULT_RE.match(line)
    if not m:
        return None
    rest = m.group(3) or ""
    if rest.startswith("# "):
        desc, directive = "", rest[2:]
    else:
        desc, _, directive = rest.partition(" # ")
    return m.group(1) == "ok", int(m.group(2)), desc.strip(), directive.strip()


class Parser:
    """Builds Suites from a KTAP stream; feed() returns each Case or Suite as it completes."""

    def __init__(self):
        self.lines: list[str] = []          # every cleaned line, for crash reports
        self.version = False                # top-level "KTAP version 1" seen
        self.plan: int | None = None        # N of the top-level "1..N"
        self.suites: list[Suite] = []       # reported (or given up on) suites, in order
        self.current: Suite | None = None   # the open subtest
        self.pending: list[str] = []        # diagnostics since the last result line
        self.case_start = 0                 # index in lines where the running case began
        self.crash_tests: list[tuple[str, str]] = []  # (name, expected text)
        # (name, command line, expected text, CPUs or None for the run's)
        self.boot_tests: list[tuple[str, str, str, int | None]] = []
        self.main = Suite("main")           # failures of the boot itself: boot, plan, exit

    @property
    def complete(self) -> bool:
        """Every suite of the plan has reported."""
        return (self.plan is not None and self.current is None
                and len(self.suites) >= self.plan)

    def add_failure(self, name: str, diagnostics: list[str]) -> Case:
        """Record a failure of the boot as a whole, as case main.<name>."""
        case = Case(name, "fail", diagnostics=list(diagnostics))
        self.main.cases.append(case)
        return case

    def feed(self, raw: str) -> Case | Suite | None:
        line = clean(raw)
        self.lines.append(line)
        if not self.version:
            if VERSION_RE.match(line):
                self.version = True
            return None
        if line.startswith(INDENT):
            return self._subtest_line(line[len(INDENT):])
        return self._top_line(line)

    def _top_line(self, line: str) -> Suite | None:
        if self.plan is None and PLAN_RE.match(line):
            self.plan = int(PLAN_RE.match(line).group(1))
        elif m := CRASH_TEST_RE.match(line):
            self.crash_tests.append((m.group(1), m.group(2)))
        elif m := BOOT_TEST_RE.match(line):
            smp = int(m.group(2)) if m.group(2) else None
            self.boot_tests.append((m.group(1), m.group(3), m.group(4), smp))
        elif r := split_result(line):
            return self._end_suite(*r)
        return None

    def _subtest_line(self, line: str) -> Case | None:
        if VERSION_RE.match(line):
            self._open(None)
        elif m := SUBTEST_RE.match(line):
            if self.current and self.current.name is None:
                self.current.name = m.group(1)
            else:
                self._open(m.group(1))
        elif self.current is None:
            return None         # indented text outside a subtest: not KTAP
        elif (m := PLAN_RE.match(line)) and self.current.plan is None:
            self.current.plan = int(m.group(1))
        elif r := split_result(line):
            return self._add_case(*r)
        elif line.startswith("#"):
            self.pending.append(line)
        return None

    def _open(self, name: str | None) -> None:
        if self.current is not None:        # the previous subtest never got its result
            self.current.error = "no top-level result line"
            self._close(self.current)
        self.current = Suite(name)

    def _close(self, suite: Suite) -> None:
        if suite.name is None:
            suite.name = f"#{len(self.suites) + 1}"
        self.suites.append(suite)
        self.current = None
        self.pending = []
        self.case_start = len(self.lines)

    def _add_case(self, ok: bool, n: int, desc: str, directive: str) -> Case:
        status = "skip" if is_skip(directive) else "pass" if ok else "fail"
        case = Case(desc or f"#{n}", status, directive, self.pending)
        self.current.cases.append(case)
        self.pending = []
        self.case_start = len(self.lines)
        return case

    def _end_suite(self, ok: bool, n: int, desc: str, directive: str) -> Suite:
        suite = self.current or Suite(desc or None)
        suite.name = suite.name or desc or None
        suite.result = "ok" if ok else "not ok"
        suite.directive = directive
        if suite.plan is not None and len(suite.cases) != suite.plan:
            suite.error = f"plan 1..{suite.plan} but {len(suite.cases)} results"
        elif not ok and not is_skip(directive) and \
                not any(c.status == "fail" for c in suite.cases):
            suite.error = "suite reported not ok" + (f" ({directive})" if directive else "")
        if self.plan is not None and len(self.suites) >= self.plan:
            self.add_failure("plan", [f"top-level plan 1..{self.plan}, but result "
                                      f"{len(self.suites) + 1} arrived ({suite.name})"])
        self._close(suite)
        return suite

    def finish(self, reason: str) -> list[Suite]:
        """End of output; reason says how it ended (e.g. "QEMU exited with status 0").

        An unfinished plan becomes failures: the case in progress fails with
        the crash report attached, and every suite that did not report fails.
        Returns the suites, plus the pseudo-suite "main" if the boot failed.
        """
        if not self.version:
            self.add_failure("boot", [f"no KTAP output: {reason}"] + log_excerpt(self.lines))
            return self.results()
        excerpt = log_excerpt(self.lines, self.case_start)
        if self.current is not None:
            self._crashed_in(self.current, reason)
            excerpt = []        # the crashed case has the log already
        if self.plan is None:
            self.add_failure("plan", [f"no top-level plan line: {reason}"]
                             + log_excerpt(self.lines))
        for i in range(len(self.suites) + 1, self.plan + 1 if self.plan else 0):
            self.suites.append(Suite(f"#{i}", error=f"did not run: kernel crashed/hung; {reason}",
                                     diagnostics=excerpt))
            excerpt = []        # the log goes with the first suite that did not run
        return self.results()

    def _crashed_in(self, suite: Suite, reason: str) -> None:
        n = len(suite.cases) + 1
        if suite.plan is not None and n > suite.plan:
            suite.error = f"no top-level result line: {reason}"
        else:
            diag = self.pending + [f"crashed or hung in this case: {reason}"]
            diag += log_excerpt(self.lines, self.case_start)
            if suite.plan is not None and n < suite.plan:
                diag.append(f"cases {n + 1}..{suite.plan} did not run")
            suite.cases.append(Case(f"#{n}", "fail", diagnostics=diag))
        self._close(suite)

    def results(self) -> list[Suite]:
        return self.suites + ([self.main] if self.main.cases else [])


def parse_log(text: str, reason: str = "end of log") -> Parser:
    """Parse a finished log (e.g. build/test/pc/main.log) in one go."""
    parser = Parser()
    for line in text.splitlines():
        parser.feed(line)
    parser.finish(reason)
    return parser


def main(argv: list[str]) -> int:
    """`python3 tools/ktap.py LOG...`: re-read saved serial logs, e.g. build/test/pc/main.log."""
    failed = 0
    for path in argv:
        with open(path, errors="replace") as f:
            parser = parse_log(f.read())
        for suite in parser.results():
            passed, fails, skipped = suite.counts()
            failed += fails
            print(f"{path}: {suite.name}: {passed} passed, {fails} failed, {skipped} skipped"
                  + (f" -- {suite.error}" if suite.error else ""))
            for case in suite.cases:
                if case.status == "fail":
                    print(f"  FAIL {suite.name}.{case.name}")
                    print("".join(f"       {line}\n" for line in case.diagnostics), end="")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 1 else "usage: ktap.py LOG...")
