"""The report half of `make bench-compare` (tools/bench_compare.py runs
the benchmarks): parse the runs' `BENCH` lines, pair Linux's runs with
ours, compute the ratios ours/Linux and their nearest-rank medians, judge
them against issue 6's targets, and write the markdown tables and the
gnuplot script of the picture.
"""
import math
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

MIN_PAIRS = 3

# Upper limits for the median of the pair ratios ours/Linux (issue 6).
TARGETS = {
    "irq_work_selfipi": 1.0,
    "softirq_from_hardirq": 0.5,
    "tasklet_bh_latency": 0.5,
    "tasklet_latency": 0.5,
    "tasklet_hi_latency": 0.5,
    "wq_latency_bound": 0.5,
    "wq_latency_unbound": 0.5,
    "wq_throughput": 0.5,
    "edu_hardirq": 1.0,
    "edu_msi_hardirq": 1.0,
    "edu_thread": 0.5,
    "edu_msi_thread": 0.5,
}

# Ratios of two of our benchmarks (or a Linux one over ours) that show how
# close a path gets to its floor: (label, (side, name), (side, name), target).
LIMITS = [
    ("int_dispatch / int_roundtrip_bare (ours)",
     ("ours", "int_dispatch"), ("ours", "int_roundtrip_bare"), 1.3),
    ("edu_msi_hardirq / selfipi_bare (ours)",
     ("ours", "edu_msi_hardirq"), ("ours", "selfipi_bare"), None),
    ("edu_msi_hardirq (Linux) / selfipi_bare (ours)",
     ("linux", "edu_msi_hardirq"), ("ours", "selfipi_bare"), None),
]

# Both kernels time the same `lfence; rdtsc` pair here: a ratio far from 1
# means that the two runs' clocks ran at different rates.
SCALE_CHECK = "empty"

BENCH_LINE = re.compile(r"^BENCH (\S+) median=(\d+) p99=(\d+) min=(\d+) n=(\d+)\s*$")
TRAILER = re.compile(r"^# bench_compare: exit=(-?\d+)")
DASH = "–"


@dataclass
class Result:
    median: int
    p99: int
    min: int
    n: int


@dataclass
class Run:
    """One run's parsed output."""
    results: dict = field(default_factory=dict)   # name -> Result, in output order
    errors: list = field(default_factory=list)    # BENCHERR texts and malformed lines
    info: list = field(default_factory=list)      # BENCHINFO texts
    exit: int | None = None                       # from the trailer, if any
    complete: bool = False


def parse_run(text: str, ok_exits=(0,)) -> Run:
    """Parse a run's output (run.sh's or bench.sh's, stdout and stderr).

    A `BENCH` line must have all five fields; a malformed or repeated one
    is recorded as an error and not used. The run is complete when it has
    at least one result and, if the trailer that this tool appends is
    there, its exit status is in ok_exits.
    """
    run = Run()
    for raw in text.splitlines():
        line = raw.strip()
        m = BENCH_LINE.match(line)
        if m:
            name = m.group(1)
            if name in run.results:
                run.errors.append(f"{name}: repeated BENCH line ignored")
                continue
            run.results[name] = Result(*(int(x) for x in m.groups()[1:]))
        elif line.startswith("BENCH "):
            run.errors.append(f"malformed line: {line[:120]}")
        elif line.startswith("BENCHERR"):
            run.errors.append(line[len("BENCHERR"):].strip())
        elif line.startswith("BENCHINFO"):
            run.info.append(line[len("BENCHINFO"):].strip())
        else:
            t = TRAILER.match(line)
            if t:
                run.exit = int(t.group(1))
    run.complete = bool(run.results) and (run.exit is None or run.exit in ok_exits)
    return run


def median_nearest_rank(values):
    """The nearest-rank median s[ceil(n/2) - 1] of the sorted values (the
    lower middle one for an even count, as the peer's quantiles); None
    when there are none."""
    s = sorted(v for v in values if v is not None)
    if not s:
        return None
    return s[math.ceil(len(s) / 2) - 1]


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_int(v):
    return DASH if v is None else str(v)


def fmt_ratio(v):
    return DASH if v is None else f"{v:.2f}"


def fmt_list(values, fmt):
    return " / ".join(fmt(v) for v in values)


def target_met(med, target):
    if target is None:
        return ""
    if med is None:
        return DASH
    return "yes" if med <= target else "**no**"


@dataclass
class Pair:
    number: int
    linux: Run | None
    ours: Run | None

    @property
    def complete(self):
        return bool(self.linux and self.linux.complete and self.ours and self.ours.complete)


def side_value(run: Run, name: str, what="median"):
    r = run.results.get(name)
    return None if r is None else getattr(r, what)


def benchmark_order(pairs):
    """Main-table rows: the Linux benchmarks in their output order, then
    targeted ones that Linux did not report. Our-only rows: the rest of ours."""
    main = []
    for p in pairs:
        for name in p.linux.results:
            if name not in main:
                main.append(name)
    for name in TARGETS:
        if name not in main:
            main.append(name)
    ours_only = []
    for p in pairs:
        for name in p.ours.results:
            if name not in main and name not in ours_only:
                ours_only.append(name)
    return main, ours_only


@dataclass
class Row:
    name: str
    linux: list
    ours: list
    ratios: list
    median_ratio: float | None
    target: float | None

    @property
    def met(self):
        return target_met(self.median_ratio, self.target)


def compare(pairs):
    """Rows of the main table, limit rows and our-only rows for the
    complete pairs."""
    done = [p for p in pairs if p.complete]
    main, ours_only = benchmark_order(done)
    rows = []
    for name in main:
        lin = [side_value(p.linux, name) for p in done]
        our = [side_value(p.ours, name) for p in done]
        rats = [ratio(o, lv) for o, lv in zip(our, lin)]
        rows.append(Row(name, lin, our, rats, median_nearest_rank(rats), TARGETS.get(name)))
    limits = []
    for label, (sa, na), (sb, nb), target in LIMITS:
        rats = [ratio(side_value(getattr(p, sa), na), side_value(getattr(p, sb), nb))
                for p in done]
        limits.append(Row(label, [], [], rats, median_nearest_rank(rats), target))
    only = []
    for name in ours_only:
        only.append((name, [side_value(p.ours, name) for p in done],
                     [side_value(p.ours, name, "p99") for p in done]))
    return done, rows, limits, only


def scale_mismatches(rows, done):
    """Numbers of the pairs whose SCALE_CHECK ratio ours/Linux is ≥ 2 or
    ≤ 0.5: both kernels run the same two instructions there, so such a
    ratio means the two runs' TSCs did not tick at the same rate."""
    for r in rows:
        if r.name == SCALE_CHECK:
            return [p.number for p, x in zip(done, r.ratios)
                    if x is not None and (x >= 2 or x <= 0.5)]
    return []


def describe_mode(meta):
    if "accel" not in meta or meta.get("icount") is None:
        return "not recorded"
    accel = meta["accel"].upper()
    return f"{accel} with -icount shift=auto" if meta["icount"] else f"{accel} (no -icount)"


def report(pairs, meta):
    """The markdown report for the given pairs and run metadata."""
    done, rows, limits, only = compare(pairs)
    n = len(done)
    out = []
    out.append("## Benchmarks: this kernel vs Linux 6.1 (Debian), TSC cycles")
    out.append("")
    out.append(f"* date: {meta.get('date', 'unknown')}")
    out.append(f"* mode: {describe_mode(meta)}; QEMU pc, 2 CPUs, 512 MiB, qemu64, one edu device")
    for key, label in (("qemu", "QEMU"), ("host_cpu", "host CPU"), ("linux_guest", "Linux guest"),
                       ("ours_commit", "this kernel"), ("bench_args", "BENCH_ARGS"),
                       ("peer_bench_args", "peer BENCH_ARGS")):
        if meta.get(key):
            out.append(f"* {label}: {meta[key]}")
    tsc = [f"{side} {k}" for side, k in (("Linux", tsc_khz(pairs, "linux")),
                                         ("ours", tsc_khz(pairs, "ours"))) if k]
    if tsc:
        out.append(f"* guest TSC kHz: {', '.join(tsc)}")
    runs = meta.get("runs") or []
    if runs:
        secs = {side: " / ".join(str(r["seconds"]) for r in runs if r["side"] == side)
                for side in ("linux", "ours")}
        loads = [r["load_before"] for r in runs if "load_before" in r]
        text = f"* run times (s): Linux {secs['linux']}; ours {secs['ours']}"
        if loads:
            text += f"; host load average before the runs {min(loads):g}–{max(loads):g}"
        out.append(text)
    out.append(f"* complete pairs: {n} of {len(pairs)} (Linux run, then ours, in each pair)")
    for p in pairs:
        if not p.complete:
            why = []
            for side, run in (("Linux", p.linux), ("ours", p.ours)):
                if run is None:
                    why.append(f"{side} did not run")
                elif not run.complete:
                    why.append(f"{side} failed (exit {run.exit})" if run.exit is not None
                               else f"{side} gave no results")
            out.append(f"  * pair {p.number} left out: {', '.join(why)}")
    out.append("")
    if not n:
        out.append("No complete pair: nothing to compare.")
        return "\n".join(out) + "\n"
    out.append(f"Medians in pairs 1..{n} (as listed), ratio ours/Linux pair by pair, "
               "the median of the pair ratios, and the target for it (≤).")
    out.append("")
    out.append("| benchmark | Linux median | ours median | ours/Linux | median ratio | target | met |")
    out.append("|---|---|---|---|---|---|---|")
    for r in rows:
        tgt = "" if r.target is None else f"≤ {r.target:g}"
        out.append(f"| {r.name} | {fmt_list(r.linux, fmt_int)} | {fmt_list(r.ours, fmt_int)} | "
                   f"{fmt_list(r.ratios, fmt_ratio)} | {fmt_ratio(r.median_ratio)} | {tgt} | {r.met} |")
    met = sum(1 for r in rows if r.target is not None and r.met == "yes")
    targeted = sum(1 for r in rows if r.target is not None)
    out.append("")
    out.append(f"Targets met: {met} of {targeted}.")
    off = scale_mismatches(rows, done)
    if off:
        out.append("")
        out.append(f"**Scale warning**: `{SCALE_CHECK}` (a timestamp pair, the same instructions in "
                   f"both kernels) differs by ×2 or more between the kernels in pair(s) "
                   f"{', '.join(str(n) for n in off)}. The two runs' clocks ran at different scales "
                   "(QEMU's -icount shift=auto re-tunes by powers of two), so those pairs' ratios "
                   "are not comparable.")
    out.append("")
    out.append("Limits (how close a path gets to its floor), pair by pair:")
    out.append("")
    out.append("| ratio | per pair | median | target | met |")
    out.append("|---|---|---|---|---|")
    for r in limits:
        tgt = "" if r.target is None else f"≤ {r.target:g}"
        out.append(f"| {r.name} | {fmt_list(r.ratios, fmt_ratio)} | {fmt_ratio(r.median_ratio)} | "
                   f"{tgt} | {r.met} |")
    if only:
        out.append("")
        out.append("Our benchmarks without a Linux counterpart:")
        out.append("")
        out.append("| benchmark | median per pair | p99 per pair | median of medians |")
        out.append("|---|---|---|---|")
        for name, meds, p99s in only:
            out.append(f"| {name} | {fmt_list(meds, fmt_int)} | {fmt_list(p99s, fmt_int)} | "
                       f"{fmt_int(median_nearest_rank(meds))} |")
    errs = []
    for p in done:
        for side, run in (("Linux", p.linux), ("ours", p.ours)):
            errs += [f"* pair {p.number}, {side}: {e}" for e in run.errors]
    if errs:
        out.append("")
        out.append("Errors reported by the runs:")
        out.append("")
        out += errs
    return "\n".join(out) + "\n"


def plot_rows(pairs):
    """(name, Linux (median, min, p99), ours (median, min, p99)) per
    benchmark: medians over the complete pairs; None where missing."""
    done, rows, _, only = compare(pairs)
    names = [r.name for r in rows] + [o[0] for o in only]
    ratios = {r.name: r.median_ratio for r in rows}

    def stats(side, name):
        if all(side_value(getattr(p, side), name) is None for p in done):
            return None
        return tuple(median_nearest_rank(side_value(getattr(p, side), name, what) for p in done)
                     for what in ("median", "min", "p99"))
    return [(name, stats("linux", name), stats("ours", name), ratios.get(name))
            for name in names]


def gnuplot_script(pairs, meta, output: Path):
    """A self-contained gnuplot script (data inline) that draws output
    (.svg, or .png with the pngcairo terminal)."""
    data = plot_rows(pairs)
    values = [v for _, a, b, _ in data for s in (a, b) if s for v in s if v and v > 0]
    lo = 10 ** math.floor(math.log10(min(values))) if values else 1
    hi = 10 ** math.ceil(math.log10(max(values) * 4)) if values else 10
    n = sum(1 for p in pairs if p.complete)
    lines = ["# generated by tools/bench_compare.py"]
    if output.suffix == ".png":
        lines.append('set terminal pngcairo size 1400,700 noenhanced font "sans,11" background "white"')
    else:
        lines.append('set terminal svg size 1400,700 dynamic noenhanced font "sans,11" background "white"')
    lines += [
        f"set output '{output}'",
        f'set title "This kernel vs Linux 6.1 under QEMU: {describe_mode(meta)}, '
        f'{meta.get("date", "date not recorded")}\\n'
        f'bars: median over {n} pairs of each run\'s median; whiskers: min to p99 (medians over pairs); '
        f'above: median of the pair ratios ours/Linux"',
        "set style data histogram",
        "set style histogram errorbars gap 1 lw 1",
        "set style fill solid 0.75 border -1",
        "set boxwidth 0.9",
        "set logscale y",
        f"set yrange [{lo}:{hi}]",
        'set ylabel "TSC cycles (log scale)"',
        'set format y "%.0f"',
        "set grid ytics mytics",
        "set xtics rotate by -35 left nomirror",
        "set bmargin 9",
        "set key top left",
        "set datafile missing 'NaN'",
        "$data << EOD",
    ]

    def cols(s):
        return "NaN NaN NaN" if s is None else " ".join(str(v) for v in s)
    for name, lin, our, rat in data:
        top = max((s[2] for s in (lin, our) if s and s[2]), default=None)
        label = f'"×{rat:.2f}" {top * 1.8:g}' if rat is not None and top else '"" NaN'
        lines.append(f'"{name}" {cols(lin)} {cols(our)} {label}')
    lines += [
        "EOD",
        "plot $data using 2:3:4:xtic(1) title 'Linux 6.1' lc rgb '#4477aa', \\",
        "     ''    using 5:6:7 title 'this kernel' lc rgb '#ee6677', \\",
        "     ''    using 0:9:8 with labels notitle",
    ]
    return "\n".join(lines) + "\n"


def draw(script: str, script_path: Path):
    """Run gnuplot on the script; returns an error text or None."""
    script_path.parent.mkdir(parents=True, exist_ok=True)
    script_path.write_text(script)
    gp = shutil.which("gnuplot")
    if not gp:
        return "gnuplot not found (apt-get install gnuplot-nox, or make deps)"
    r = subprocess.run([gp, str(script_path)], capture_output=True, text=True)
    if r.returncode:
        return f"gnuplot failed: {r.stderr.strip()[:500]}"
    return None


def load_pairs(out_dir: Path):
    """The pairs saved in out_dir (linux-N.txt, ours-N.txt)."""
    numbers = set()
    for p in out_dir.glob("*-*.txt"):
        m = re.match(r"^(linux|ours)-(\d+)\.txt$", p.name)
        if m:
            numbers.add(int(m.group(2)))
    pairs = []
    for i in sorted(numbers):
        runs = {}
        for side, ok in (("linux", (0,)), ("ours", (0, 2))):
            f = out_dir / f"{side}-{i}.txt"
            runs[side] = parse_run(f.read_text(errors="replace"), ok) if f.exists() else None
        pairs.append(Pair(i, runs["linux"], runs["ours"]))
    return pairs


def tsc_khz(pairs, side):
    """The guest's TSC frequency from a BENCHINFO `tsc_khz=` of side's runs."""
    for p in pairs:
        run = getattr(p, side)
        for line in (run.info if run else []):
            m = re.search(r"\btsc_khz=(\d+)", line)
            if m:
                return m.group(1)
    return ""


def guest_uname(pairs):
    """The Linux guest's kernel release, from the peer's BENCHINFO."""
    for p in pairs:
        for line in (p.linux.info if p.linux else []):
            m = re.search(r"uname=(\S+)", line)
            if m:
                return m.group(1)
    return ""
