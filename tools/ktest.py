#!/usr/bin/env python3
"""Boot the kernel's self-tests in QEMU and report them (`make test`).

For each --machine: a main boot with ktest.run=1 whose KTAP output
tools/ktap.py parses, one boot per crash test the kernel announces, two
boots the kernel must refuse (a CPU without long mode, a multiboot1 loader)
and a boot to the console shell that is typed at over the serial port,
reported as the pseudo-suite "boot". Logs go to <build>/test/<machine>/.
A crash, a hang or an early exit becomes failures with the log attached,
never a pass. The last line is "N passed, N failed[, N skipped]"; the exit
status is 0 only if nothing failed.
"""
from __future__ import annotations

import argparse
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import ktap
import trace_extract

TOOLS = Path(__file__).resolve().parent

# The kernel writes code c to isa-debug-exit; QEMU then exits with (c << 1) | 1.
EXIT_PASSED = 33        # every test passed
EXIT_FAILED = 35        # some test failed
EXIT_DIED = 37          # the kernel died (oops/panic), as a crash test expects
EXIT_MEANING = {0: "triple fault?", EXIT_PASSED: "all passed",
                EXIT_FAILED: "some failed", EXIT_DIED: "kernel died"}

# What the kernel prints when it refuses to start.
NO_LONG_MODE_TEXT = "does not support 64-bit long mode"
MULTIBOOT1_TEXT = "this kernel needs multiboot2"

# Host tools the boots need, with the Debian/Ubuntu package providing each.
REQUIRED_TOOLS = {"qemu-system-x86_64": "qemu-system-x86",
                  "grub-mkrescue": "grub-common", "xorriso": "xorriso"}


# ---- filter and counting: pure, unit-tested -------------------------------

def glob_match(glob: str, text: str) -> bool:
    """Whole-string match where '*' is any run of characters and '?' any one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.fullmatch(regex, text, re.DOTALL) is not None


def _globs(globs: str | None) -> list[str]:
    """A filter is globs separated by commas or spaces; empty selects everything."""
    return [g for g in re.split(r"[,\s]+", globs or "") if g]


def suite_selected(glob: str | None, suite: str) -> bool:
    """As the kernel's ktest.filter: a GLOB matches the suite, or is SUITEGLOB.CASEGLOB."""
    globs = _globs(glob)
    return not globs or any(glob_match(g.split(".", 1)[0], suite) for g in globs)


def case_selected(glob: str | None, suite: str, case: str) -> bool:
    globs = _globs(glob)
    if not globs:
        return True
    for g in globs:
        suite_glob, dot, case_glob = g.partition(".")
        if glob_match(suite_glob, suite) and (not dot or glob_match(case_glob, case)):
            return True
    return False


def format_counts(passed: int, failed: int, skipped: int) -> str:
    text = f"{passed} passed, {failed} failed"
    return text + (f", {skipped} skipped" if skipped else "")


def total_counts(suites) -> tuple[int, int, int]:
    counts = [s.counts() for s in suites]
    return tuple(sum(c[i] for c in counts) for i in range(3))


def account_main_boot(parser: ktap.Parser, status: int | None, reason: str) -> list[ktap.Suite]:
    """Close the main boot: add a failure for a wrong exit status, then parser.finish()."""
    if parser.complete:
        failures = any(s.counts()[1] for s in parser.suites)
        if status not in (EXIT_PASSED, EXIT_FAILED):
            parser.add_failure("exit", [f"plan complete, but {reason}; expected "
                                        f"status {EXIT_PASSED} or {EXIT_FAILED}"]
                               + ktap.log_excerpt(parser.lines, parser.case_start))
        elif status == EXIT_FAILED and not failures:
            parser.add_failure("exit", [f"kernel exited with {EXIT_FAILED} (some failed) "
                                        "but every result passed"])
    return parser.finish(reason)


def expect_case(name: str, expect: str, lines: list[str], status: int | None,
                want_status: int, reason: str) -> ktap.Case:
    """A boot of its own passes if expect appeared and QEMU ended with want_status."""
    problems = []
    if expect not in "\n".join(lines):
        problems.append(f'expected "{expect}" in the output')
    if status != want_status:
        problems.append(f"expected QEMU exit status {want_status}, but {reason}")
    if not problems:
        return ktap.Case(name, "pass")
    return ktap.Case(name, "fail", diagnostics=problems + lines[-ktap.TAIL_LINES:])


def boot_case(name: str, expect: str, lines: list[str], status: int | None,
              reason: str) -> ktap.Case:
    """A boot test: its text, and a clean end of the run (33)."""
    return expect_case(name, expect, lines, status, EXIT_PASSED, reason)


def crash_case(name: str, expect: str, lines: list[str], status: int | None,
               reason: str) -> ktap.Case:
    """A crash test: its text, and the kernel died (37)."""
    return expect_case(name, expect, lines, status, EXIT_DIED, reason)


TRACE_SCENARIO_RE = re.compile(r"(?:^|\s)trace\.scenario=(\S+)")


def trace_checked(case: ktap.Case, cmdline: str, lines: list[str]) -> ktap.Case:
    """A passing boot test that ran a trace scenario passes only if its trace
    dump is valid Trace Event JSON telling that scenario's story
    (tools/trace_extract.py)."""
    m = TRACE_SCENARIO_RE.search(cmdline)
    if case.status != "pass" or not m:
        return case
    problems = trace_extract.check_log(lines, m.group(1))
    if not problems:
        return case
    return ktap.Case(case.name, "fail", diagnostics=["trace check: " + p for p in problems[:20]])


def refusal_case(name: str, text: str, found: bool, lines: list[str], reason: str) -> ktap.Case:
    """A boot the kernel must refuse passes if it printed its refusal."""
    if found:
        return ktap.Case(name, "pass")
    return ktap.Case(name, "fail", diagnostics=[f'expected "{text}", but {reason}']
                     + lines[-ktap.TAIL_LINES:])


# ---- QEMU -----------------------------------------------------------------

@dataclass
class Boot:
    status: int | None      # QEMU's exit status; None if the runner stopped it
    reason: str             # how the boot ended, for reports
    found: bool = False     # the stop_on text appeared


def describe_exit(status: int) -> str:
    if status < 0:
        return f"QEMU killed by signal {-status}"
    meaning = EXIT_MEANING.get(status)
    return f"QEMU exited with status {status}" + (f" ({meaning})" if meaning else "")


def feed_console(chunk: bytes, pending: bytes, log, on_line, stop_on: str | None,
                 found: bool) -> tuple[bytes, bool]:
    """Log a chunk of console output, hand each whole line to on_line, and
    say whether stop_on has shown up (also in a last line without a newline:
    the kernel may halt right after it). Returns the unfinished line and found."""
    log.write(chunk)
    log.flush()
    *lines, pending = (pending + chunk).split(b"\n")
    for line in lines:
        text = line.decode(errors="replace")
        on_line(text)
        found = found or bool(stop_on and stop_on in text)
    if stop_on and not found and stop_on in pending.decode(errors="replace"):
        found = True
    return pending, found


def run_qemu(iso: Path, log_path: Path, env: dict, opts, on_line, stop_on: str | None = None) -> Boot:
    """Boot iso with the serial port on a pipe, feeding each line to on_line.

    Every byte goes to log_path as it arrives. Ends when QEMU exits, when
    stop_on appears, after opts.idle_timeout seconds without output or
    opts.timeout seconds in all; QEMU is killed in every case but the first.
    """
    cmd = ["sh", str(TOOLS / "qemu.sh"), str(iso),
           "-display", "none", "-serial", "stdio", "-monitor", "none"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    start = last = time.monotonic()
    pending, reason, found = b"", None, False
    try:
        with open(log_path, "wb") as log, selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while True:
                now = time.monotonic()
                if now - start >= opts.timeout:
                    reason = f"timed out after {opts.timeout:g} s"
                    break
                if now - last >= opts.idle_timeout:
                    reason = f"no output for {opts.idle_timeout:g} s"
                    break
                if not sel.select(min(start + opts.timeout, last + opts.idle_timeout) - now):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break                       # QEMU exited
                last = time.monotonic()
                pending, found = feed_console(chunk, pending, log, on_line, stop_on, found)
                if found:
                    reason = f'stopped QEMU once "{stop_on}" appeared'
                    break
        if pending:
            on_line(pending.decode(errors="replace"))
        if reason is None:
            status = proc.wait()
            return Boot(status, describe_exit(status), found)
        return Boot(None, reason, found)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


# Bochs (--emulator bochs, tools/bochs.sh): the serial port goes to a file,
# read here as it grows; the kernel's exit code comes on Bochs's own output
# (port 0xe9) as "isa-debug-exit 0xNN" before it ends Bochs.
BOCHS_EXIT_RE = re.compile(rb"isa-debug-exit 0x([0-9a-f]{2})")


def run_bochs(iso: Path, log_path: Path, env: dict, opts, on_line, stop_on: str | None = None) -> Boot:
    """Boot iso under Bochs, as run_qemu() does under QEMU (same ends, same Boot)."""
    work = log_path.parent / (log_path.stem + "-bochs")
    work.mkdir(parents=True, exist_ok=True)
    serial = work / "serial.txt"
    serial.write_bytes(b"")
    with open(work / "stdout.txt", "wb") as out:
        proc = subprocess.Popen(["sh", str(TOOLS / "bochs.sh"), str(iso), str(serial), str(work)],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=env)
    start = last = time.monotonic()
    pending, reason, found, offset = b"", None, False, 0
    try:
        with open(log_path, "wb") as log:
            while True:
                exited = proc.poll() is not None
                with open(serial, "rb") as f:
                    f.seek(offset)
                    chunk = f.read()
                offset += len(chunk)
                now = time.monotonic()
                if chunk:
                    last = now
                    pending, found = feed_console(chunk, pending, log, on_line, stop_on, found)
                    if found:
                        reason = f'stopped Bochs once "{stop_on}" appeared'
                        break
                if exited and not chunk:
                    break
                if now - start >= opts.timeout:
                    reason = f"timed out after {opts.timeout:g} s"
                    break
                if now - last >= opts.idle_timeout:
                    reason = f"no output for {opts.idle_timeout:g} s"
                    break
                time.sleep(0.2)
        if pending:
            on_line(pending.decode(errors="replace"))
        if reason is None:
            proc.wait()
            m = BOCHS_EXIT_RE.search((work / "stdout.txt").read_bytes())
            if m:
                status = (int(m.group(1), 16) << 1) | 1
                return Boot(status, f"Bochs ended by the kernel ({describe_exit(status)})", found)
            return Boot(None, f"Bochs exited (status {proc.returncode}) without an exit code "
                              f"from the kernel; see {work}/bochs.log", found)
        return Boot(None, reason, found)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run_boot(iso: Path, log_path: Path, env: dict, opts, on_line, stop_on: str | None = None) -> Boot:
    """One boot in the emulator the run uses."""
    run = run_bochs if opts.emulator == "bochs" else run_qemu
    return run(iso, log_path, env, opts, on_line, stop_on)


# ---- the console shell, typed at over the serial port ---------------------

SHELL_BANNER = "Shell on this console"
SHELL_PROMPT = "> "
UP = "\x1b[A"
# (what is typed, texts the reply must contain): echo, editing, history,
# command output, a usage error, a self-test run from the shell; then
# `poweroff`, after which QEMU must exit with status 33.
SHELL_SCRIPT = [
    ("help", ["interrupts", "irq [enable|disable] N", "poweroff"]),
    ("uptimx\x7fe", ["uptimx\b \be\r\nup ", " ticks on CPU0"]),
    ("irq 4", ['irq 4: chip ', 'action "serial"']),
    ("irq 99999", ["usage: irq [enable|disable] N"]),
    (UP + UP + UP, ["\r\nup "]),      # the third line back is uptime
    ("ps", ["PID CPU STATE", " init"]),
    ("test string", ["# Subtest: string", "ok 1 string", "test: 0 failed"]),
    ("interrupts", ["CPU0", "serial"]),
]


@dataclass
class ShellResult:
    problems: list[str]
    status: int | None
    reason: str


def shell_session(iso: Path, log_path: Path, env: dict, opts, script=SHELL_SCRIPT,
                  boot_timeout: float = 240, reply_timeout: float = 120) -> ShellResult:
    """Boot iso to its shell with the serial port on pipes, type each line of
    script, wait for the next prompt and check the reply; then `poweroff`."""
    cmd = ["sh", str(TOOLS / "qemu.sh"), str(iso),
           "-display", "none", "-serial", "stdio", "-monitor", "none"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    text, problems = "", []

    def read_until(pred, timeout) -> bool:
        """Read output until pred(text) holds; False on timeout or EOF."""
        nonlocal text
        end = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while not pred(text):
                left = end - time.monotonic()
                if left <= 0 or not sel.select(left):
                    return False
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    return False
                log.write(chunk)
                log.flush()
                text += chunk.decode(errors="replace")
        return True

    try:
        with open(log_path, "wb") as log:
            if not read_until(lambda t: SHELL_BANNER in t and t.endswith(SHELL_PROMPT),
                              boot_timeout):
                problems.append(f'no "{SHELL_BANNER}" banner and prompt within {boot_timeout:g} s')
            else:
                for line, expect in script:
                    start = len(text)
                    proc.stdin.write((line + "\r").encode())
                    proc.stdin.flush()
                    done = read_until(lambda t: t[start:].endswith("\n" + SHELL_PROMPT), reply_timeout)
                    reply = text[start:]
                    if not done:
                        problems.append(f"{line!r}: no prompt after it within {reply_timeout:g} s")
                    problems += [f"{line!r}: no {e!r} in the reply" for e in expect if e not in reply]
                    if not done:
                        break
                proc.stdin.write(b"poweroff\r")
                proc.stdin.flush()
                read_until(lambda t: False, reply_timeout)     # to the end of the output
        try:
            status = proc.wait(timeout=30)
            reason = describe_exit(status)
        except subprocess.TimeoutExpired:
            status, reason = None, "QEMU still running after poweroff"
        if status != EXIT_PASSED:
            problems.append(f"expected QEMU exit status {EXIT_PASSED} after poweroff, but {reason}")
        return ShellResult(problems, status, reason)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass


# The main boot carries a module, so that the kernel's tests can check the
# loader's module tag and that its memory is reserved (tests/kernel/test_multiboot2.c).
MODULE_MAGIC = b"KTEST-MODULE v1\n"
MODULE_ARGS = "ktest-module arg=1"


def make_module(path: Path) -> Path:
    path.write_bytes(MODULE_MAGIC + bytes(range(256)) * 64)
    return path


def make_iso(kernel: Path, iso: Path, cmdline: str, loader: str = "multiboot2",
             module: Path | None = None) -> list[str]:
    """Build iso with tools/mkiso.sh; returns its error output ([] on success)."""
    env = dict(os.environ)
    if module:
        env.update(MODULE=str(module), MODULE_ARGS=MODULE_ARGS)
    r = subprocess.run(["sh", str(TOOLS / "mkiso.sh"), str(kernel), str(iso), cmdline, loader],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    if r.returncode == 0:
        return []
    return [f"tools/mkiso.sh failed with status {r.returncode}:"] + (r.stdout + r.stderr).splitlines()


def join_cmdline(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def filter_arg(glob: str) -> str:
    """ktest.filter=GLOB for grub.cfg, quoted: GRUB expands unquoted '*' and
    '?' as file names once its regexp module is loaded; it drops the quotes."""
    glob = ",".join(_globs(glob))
    if not glob:
        return ""
    return f"ktest.filter={glob}" if "'" in glob else f"'ktest.filter={glob}'"


# ---- reporting ------------------------------------------------------------

def say(machine: str, text: str) -> None:
    print(f"[{machine}] {text}", flush=True)


def report_case(machine: str, suite: str, case: ktap.Case) -> None:
    if case.status == "fail":
        say(machine, f"  FAIL {suite}.{case.name}")
        for line in case.diagnostics:
            say(machine, f"       {line}")


def report_suite(machine: str, suite: ktap.Suite, cases_too: bool = False) -> None:
    if cases_too:
        for case in suite.cases:
            report_case(machine, suite.name, case)
    text = f"{suite.name}: {format_counts(*suite.counts())}"
    say(machine, text + (f" -- {suite.error}" if suite.error else ""))
    for line in suite.diagnostics if cases_too else []:
        say(machine, f"       {line}")


# The kernel prints its tables after the run as "# <table>| <row>": the
# interrupt table (irqs), the softirq counts (softirqs), the thread list
# (tasks) and the workqueues with their worker pools, in that order.
TABLE_RE = re.compile(r"^# (irqs|softirqs|tasks|workqueues)\| (.*)$")
TABLE_TITLES = {"irqs": "interrupt table", "softirqs": "softirq counts", "tasks": "threads",
                "workqueues": "workqueues and worker pools"}


# ---- the boots of one machine ---------------------------------------------

class MachineRun:
    """The boots of one QEMU machine type in one variant; results collect in self.suites.

    A variant is extra kernel command line (e.g. "noapic" for PIC mode);
    the crash, refusal and debug boots run only with the first variant,
    since they do not depend on it.
    """

    def __init__(self, machine: str, opts, variant: tuple[str, str] = ("", ""),
                 first_variant: bool = True, smp: int | None = None):
        self.qemu_machine, self.opts, self.smp = machine, opts, smp
        self.variant_cmdline, self.first_variant = variant[1], first_variant
        self.machine = machine + (f"/{opts.firmware}" if opts.firmware != "bios" else "") + \
            (f"/smp{smp}" if smp and smp != 1 else "") + \
            (f"/{variant[0]}" if variant[0] else "")
        self.dir = Path(opts.build) / "test" / self.machine.replace("/", "-")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.suites: list[ktap.Suite] = []
        self.boot_suite = ktap.Suite("boot")
        self.tables: dict[str, list[str]] = {}

    def env(self, **extra: str) -> dict:
        smp = {"SMP": str(self.smp), "BOCHS_CPUS": str(self.smp)} if self.smp else {}
        # each machine run its own copy of OVMF's variable store (tools/qemu.sh)
        firmware = {"FIRMWARE": self.opts.firmware,
                    "OVMF_VARS_FILE": str(self.dir / "OVMF_VARS.fd")}
        return {**os.environ, "MACHINE": self.qemu_machine, **smp, **firmware, **extra}

    def run(self) -> list[ktap.Suite]:
        main_iso = self.dir / "main.iso"
        crash_tests, boot_tests = self.main_boot(main_iso)
        for name, rows in self.tables.items():
            say(self.machine, f"{TABLE_TITLES[name]} at the end of the run:")
            for row in rows:
                say(self.machine, "  " + row)
        if not self.first_variant or not suite_selected(self.opts.filter, "boot"):
            return self.suites
        for name, expect in crash_tests:
            if case_selected(self.opts.filter, "boot", name):
                self.crash_boot(name, expect)
        for name, cmdline, expect, smp in boot_tests:
            if case_selected(self.opts.filter, "boot", name):
                self.boot_test(name, cmdline, expect, smp)
        if case_selected(self.opts.filter, "boot", "no_long_mode") and main_iso.exists():
            if self.opts.firmware == "uefi":
                # OVMF is 64-bit firmware: on a CPU without long mode it never reaches GRUB
                self.add_boot_case(ktap.Case("no_long_mode", "skip",
                                             "SKIP 64-bit UEFI firmware needs long mode itself"))
            elif self.opts.emulator == "bochs":
                self.refusal_boot("no_long_mode", main_iso, NO_LONG_MODE_TEXT,
                                  BOCHS_MODEL="p3_katmai")
            else:
                self.refusal_boot("no_long_mode", main_iso, NO_LONG_MODE_TEXT, CPU="qemu32")
        if case_selected(self.opts.filter, "boot", "shell_session") and self.opts.emulator == "qemu":
            self.shell_boot()
        if case_selected(self.opts.filter, "boot", "multiboot1_refused"):
            iso = self.dir / "multiboot1.iso"
            errors = make_iso(self.opts.kernel, iso, self.opts.cmdline, "multiboot")
            if errors:
                self.add_boot_case(ktap.Case("multiboot1_refused", "fail", diagnostics=errors))
            else:
                self.refusal_boot("multiboot1_refused", iso, MULTIBOOT1_TEXT)
        if self.boot_suite.cases:
            report_suite(self.machine, self.boot_suite)
            self.suites.append(self.boot_suite)
        if self.qemu_machine == self.opts.machine[0] and suite_selected(self.opts.filter, "debug") \
                and self.opts.emulator == "qemu":       # QEMU's gdb stub
            self.debug_session()
        return self.suites

    def debug_session(self) -> None:
        """The `make debug` workflow under a scripted gdb (tools/test-debug.sh), once."""
        suite = ktap.Suite("debug")
        script = Path(__file__).resolve().parent / "test-debug.sh"
        proc = subprocess.run([str(script), str(self.opts.kernel), str(self.opts.build)],
                              env=self.env(), capture_output=True, text=True)
        lines = proc.stdout.splitlines()
        for line in lines:
            m = re.match(r"debug: (ok|FAILED): (.*?)( \(no match .*\))?$", line)
            if m:
                name = re.sub(r"\W+", "_", m.group(2)).strip("_")
                diag = [] if m.group(1) == "ok" else [line] + lines[-20:]
                suite.cases.append(ktap.Case(name, "pass" if m.group(1) == "ok" else "fail",
                                             diagnostics=diag))
        if proc.returncode and not any(c.status == "fail" for c in suite.cases):
            suite.cases.append(ktap.Case("session", "fail",
                                         diagnostics=(lines + proc.stderr.splitlines())[-20:]))
        for case in suite.cases:
            report_case(self.machine, "debug", case)
        report_suite(self.machine, suite)
        self.suites.append(suite)

    def main_boot(self, iso: Path):
        """The boot that runs the suites; returns the crash and boot tests it announced."""
        opts, parser = self.opts, ktap.Parser()
        cmdline = join_cmdline("ktest.run=1", filter_arg(opts.filter), self.variant_cmdline,
                               opts.cmdline)
        say(self.machine, f"main boot: {cmdline}")
        errors = make_iso(opts.kernel, iso, cmdline, module=make_module(self.dir / "module.bin"))
        if errors:
            parser.add_failure("boot", errors)
            iso.unlink(missing_ok=True)
            self.suites += parser.results()
            report_suite(self.machine, parser.main, cases_too=True)
            return [], []

        def on_line(line: str) -> None:
            if opts.verbose:
                print(f"[{self.machine}] | {line.rstrip()}", flush=True)
            m = TABLE_RE.match(ktap.clean(line))
            if m:
                self.tables.setdefault(m.group(1), []).append(m.group(2))
            item = parser.feed(line)
            if isinstance(item, ktap.Case):
                report_case(self.machine, parser.current.name or "?", item)
            elif isinstance(item, ktap.Suite):
                report_suite(self.machine, item)

        boot = run_boot(iso, self.dir / "main.log", self.env(), opts, on_line)
        reported = len(parser.suites)
        suites = account_main_boot(parser, boot.status, boot.reason)
        for suite in suites[reported:]:     # what the crash/hang accounting added
            report_suite(self.machine, suite, cases_too=True)
        self.suites += suites
        return parser.crash_tests, parser.boot_tests

    def crash_boot(self, name: str, expect: str) -> None:
        iso, lines = self.dir / f"crash-{name}.iso", []
        errors = make_iso(self.opts.kernel, iso, join_cmdline(f"ktest.crash={name}", self.opts.cmdline))
        if errors:
            self.add_boot_case(ktap.Case(name, "fail", diagnostics=errors))
            return
        boot = run_boot(iso, self.dir / f"crash-{name}.log", self.env(), self.opts,
                        lambda line: lines.append(ktap.clean(line)))
        self.add_boot_case(crash_case(name, expect, lines, boot.status, boot.reason))

    def boot_test(self, name: str, cmdline: str, expect: str, smp: int | None = None) -> None:
        """A boot with extra command line that runs no suite and must show expect.

        smp, when given, is the boot's CPU count whatever the run's is.
        """
        iso, lines = self.dir / f"boot-{name}.iso", []
        errors = make_iso(self.opts.kernel, iso,
                          join_cmdline(cmdline, "ktest.run=1 ktest.filter=-", self.opts.cmdline))
        if errors:
            self.add_boot_case(ktap.Case(name, "fail", diagnostics=errors))
            return
        env = self.env(**({"SMP": str(smp), "BOCHS_CPUS": str(smp)} if smp else {}))
        boot = run_boot(iso, self.dir / f"boot-{name}.log", env, self.opts,
                        lambda line: lines.append(ktap.clean(line)))
        self.add_boot_case(trace_checked(boot_case(name, expect, lines, boot.status, boot.reason),
                                         cmdline, lines))

    def shell_boot(self) -> None:
        """Boot to the shell (no ktest.run), type commands over the serial port, power off."""
        iso = self.dir / "shell.iso"
        errors = make_iso(self.opts.kernel, iso, self.opts.cmdline)
        if errors:
            self.add_boot_case(ktap.Case("shell_session", "fail", diagnostics=errors))
            return
        log_path = self.dir / "shell.log"
        result = shell_session(iso, log_path, self.env(), self.opts)
        if not result.problems:
            self.add_boot_case(ktap.Case("shell_session", "pass"))
            return
        tail = log_path.read_text(errors="replace").splitlines()[-ktap.TAIL_LINES:]
        self.add_boot_case(ktap.Case("shell_session", "fail",
                                     diagnostics=result.problems + [ktap.clean(l) for l in tail]))

    def refusal_boot(self, name: str, iso: Path, text: str, **env: str) -> None:
        lines = []
        boot = run_boot(iso, self.dir / f"{name}.log", self.env(**env), self.opts,
                        lambda line: lines.append(ktap.clean(line)), stop_on=text)
        self.add_boot_case(refusal_case(name, text, boot.found, lines, boot.reason))

    def add_boot_case(self, case: ktap.Case) -> None:
        self.boot_suite.cases.append(case)
        say(self.machine, f"boot.{case.name}: {case.status}")
        report_case(self.machine, "boot", case)


# ---- command line ---------------------------------------------------------

def print_summary(results: list[tuple[str, list[ktap.Suite]]]) -> tuple[int, int, int]:
    """Per-suite lines for every machine, the failures, then the final count line."""
    print("\nSummary:")
    failures = []
    for machine, suites in results:
        for suite in suites:
            say(machine, f"{suite.name}: {format_counts(*suite.counts())}")
            if suite.error:
                failures.append(f"[{machine}] {suite.name} ({suite.error})")
            failures += [f"[{machine}] {suite.name}.{c.name}" for c in suite.cases if c.status == "fail"]
    if failures:
        print("Failed:\n  " + "\n  ".join(failures))
    totals = total_counts(s for _, suites in results for s in suites)
    print(format_counts(*totals), flush=True)
    return totals


def parse_args(argv):
    p = argparse.ArgumentParser(description="Boot the kernel's KTAP self-tests in QEMU.")
    p.add_argument("--kernel", required=True, type=Path, help="kernel ELF (build/kernel.elf)")
    p.add_argument("--build", default="build", help="build directory; logs go to BUILD/test/MACHINE/")
    p.add_argument("--machine", action="append", choices=["pc", "q35", "bochs"],
                   help="QEMU machine; repeat for several (default: pc)")
    p.add_argument("--variant", action="append", metavar="NAME=CMDLINE",
                   help="boot the suites again with extra command line, e.g. noapic=noapic "
                        "(an empty NAME is the plain boot); default: one plain boot")
    p.add_argument("--smp", action="append", type=int, metavar="N",
                   help="CPUs; repeat to run every machine and variant with each "
                        "(default: the SMP environment variable, else 1)")
    p.add_argument("--emulator", choices=["qemu", "bochs"], default="qemu",
                   help="boot under QEMU (default) or Bochs (tools/bochs.sh; BIOS only, "
                        "its own machine: --machine is ignored)")
    p.add_argument("--firmware", choices=["bios", "uefi"], default="bios",
                   help="firmware QEMU boots the ISO with: SeaBIOS or OVMF (default bios)")
    p.add_argument("--filter", default="", help="glob of suites, suite.case or boot.case to run")
    p.add_argument("--cmdline", default="", help="extra kernel command line for every boot")
    p.add_argument("--timeout", type=float, default=300, help="seconds per boot (default 300)")
    p.add_argument("--idle-timeout", type=float, default=60,
                   help="seconds without serial output that count as a hang (default 60)")
    p.add_argument("-v", "--verbose", action="store_true", help="echo the main boot's serial output")
    return p.parse_args(argv)


def missing_tools() -> list[str]:
    return [f"{tool} (package {pkg})" for tool, pkg in REQUIRED_TOOLS.items()
            if shutil.which(tool) is None]


def main(argv=None) -> int:
    opts = parse_args(argv)
    opts.machine = opts.machine or ["pc"]
    if opts.emulator == "bochs":
        if opts.firmware != "bios":
            print("ktest: Bochs boots with its BIOS only (no --firmware uefi)", file=sys.stderr)
            return 2
        opts.machine = ["bochs"]
    opts.variants = [tuple(v.split("=", 1)) if "=" in v else (v, v) for v in (opts.variant or ["="])]
    missing = missing_tools()
    if opts.emulator == "bochs" and shutil.which("bochs") is None:
        missing.append("bochs (packages bochs bochsbios vgabios)")
    if missing:
        print("ktest: missing " + ", ".join(missing) + "; install with `make deps`", file=sys.stderr)
        return 2
    if not opts.kernel.is_file():
        print(f"ktest: no kernel at {opts.kernel}; build it with `make`", file=sys.stderr)
        return 2
    # Let `kill` end a run as cleanly as Ctrl-C: QEMU is stopped on the way out.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        results = []
        for machine in opts.machine:
            for j, smp in enumerate(opts.smp or [None]):
                for i, variant in enumerate(opts.variants):
                    run = MachineRun(machine, opts, variant, first_variant=i == 0 and j == 0,
                                     smp=smp)
                    results.append((run.machine, run.run()))
    except KeyboardInterrupt:
        print("\nktest: interrupted; QEMU stopped, no summary", file=sys.stderr)
        return 130
    _, failed, _ = print_summary(results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
