#!/usr/bin/env python3
"""Compare the kernel's benchmarks with the Linux peer (`make bench-compare`).

Runs the peer (PEER_DIR/run.sh: Debian's Linux 6.1 with bench.ko in QEMU)
and this kernel (tools/bench.sh on build/bench.iso) alternately, Linux
first: A B A B ..., PAIRS pairs (at least 3). Each run's output goes to
build/bench-compare/linux-N.txt or ours-N.txt (our console: ours-N.log),
with a last line `# bench_compare: exit=RC seconds=S` added here.

Then it prints a markdown report, also written to build/bench-compare.md:
per benchmark the median of each side in each pair, the ratio ours/Linux
pair by pair, the (nearest-rank) median of those ratios, the target and
whether it is met; then the limits' ratios and our-only benchmarks. And
it draws build/bench.svg with gnuplot: median bars for both kernels on a
log scale, whiskers from min to p99.

    bench_compare.py --iso build/bench.iso [--pairs 3] [--icount]
    bench_compare.py --from build/bench-compare     # report again, run nothing

Only complete pairs (both runs finished) enter the tables. Exit status 1
when fewer than 3 pairs are complete or the plot failed; a missed target
is reported, not an error.
"""
import argparse
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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

# Our command-line parameters that the peer's bench.ko has too (insmod name).
PEER_PARAMS = ("iters", "warmup", "wq_items", "wq_reps", "wq_warmup_reps")

PEER_PACKAGES = "linux-image-amd64 linux-headers-amd64 busybox-static cpio"

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


def describe_mode(meta):
    if "accel" not in meta or meta.get("icount") is None:
        return "mode not recorded"
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


# ---- plot -------------------------------------------------------------------

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
        f'set title "This kernel vs Linux 6.1 under QEMU ({describe_mode(meta)}), {meta.get("date", "")}\\n'
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


# ---- running ----------------------------------------------------------------

def peer_bench_args(bench_args: str) -> str:
    """Our `bench.X=V` parameters that bench.ko also has, as `X=V`."""
    out = []
    for tok in bench_args.split():
        m = re.match(r"^bench\.(\w+)=(\S+)$", tok)
        if m and m.group(1) in PEER_PARAMS:
            out.append(f"{m.group(1)}={m.group(2)}")
    return " ".join(out)


def peer_missing():
    """What the peer's run.sh needs from Debian and cannot find."""
    missing = []
    kernels = [v[len("vmlinuz-"):] for v in os.listdir("/boot") if v.startswith("vmlinuz-")] \
        if os.path.isdir("/boot") else []
    if not any(os.path.isfile(f"/lib/modules/{v}/build/Makefile") for v in kernels):
        missing.append("a Linux kernel with its headers (linux-image-amd64 linux-headers-amd64)")
    if not shutil.which("cpio"):
        missing.append("cpio")
    try:
        with open("/bin/busybox", "rb") as f:
            head = f.read(1 << 20)
        static = b".interp" not in head and b"ld-linux" not in head
    except OSError:
        static = False
    if not static:
        missing.append("a static /bin/busybox (busybox-static)")
    return missing


def check_deps(peer_dir: Path, plot=True) -> int:
    problems = []
    if not (peer_dir / "run.sh").is_file():
        problems.append(f"the Linux peer: {peer_dir}/run.sh not found (set PEER_DIR=)")
    if not shutil.which("qemu-system-x86_64"):
        problems.append("qemu-system-x86_64 (apt-get install qemu-system-x86)")
    if plot and not shutil.which("gnuplot"):
        problems.append("gnuplot, for build/bench.svg (apt-get install gnuplot-nox, or make deps)")
    missing = peer_missing()
    if missing:
        text = ", ".join(missing)
        if os.geteuid() == 0:
            print(f"bench-compare: the peer's run.sh will install: {text}", file=sys.stderr)
        else:
            problems.append(f"for the Linux peer: {text}; as root: apt-get install {PEER_PACKAGES}")
    for p in problems:
        print(f"bench-compare: missing {p}", file=sys.stderr)
    return 1 if problems else 0


def first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return r.stdout.strip().splitlines()[0] if r.stdout.strip() else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def host_cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} CPUs"
    except OSError:
        pass
    return ""


def run_one(cmd, env, out_path: Path):
    """Run cmd with stdout and stderr into out_path, then append the
    trailer; returns (exit status, seconds)."""
    start = time.monotonic()
    with open(out_path, "w") as f:
        r = subprocess.run(cmd, env=env, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
    secs = time.monotonic() - start
    with open(out_path, "a") as f:
        f.write(f"# bench_compare: exit={r.returncode} seconds={secs:.0f}\n")
    return r.returncode, secs


def run_pairs(args, out_dir: Path, meta):
    for old in list(out_dir.glob("linux-*.txt")) + list(out_dir.glob("ours-*.*")):
        old.unlink()
    icount = "-icount shift=auto"
    base = dict(os.environ)
    peer_env = dict(base, WORK=str(out_dir / "peer-work"),
                    BENCH_ARGS=meta["peer_bench_args"],
                    QEMU_EXTRA=" ".join(x for x in (base.get("QEMU_EXTRA", ""),
                                                    icount if args.icount else "") if x))
    if args.icount and "TIMEOUT" not in base:
        peer_env["TIMEOUT"] = "600"
    ours_env = dict(base, ICOUNT="1" if args.icount else "0")
    peer = [str(args.peer_dir / "run.sh")]
    ours = [str(ROOT / "tools" / "bench.sh"), str(args.iso)]
    meta["runs"] = []
    for i in range(1, args.pairs + 1):
        for side, cmd, env, ok in (("linux", peer, peer_env, (0,)),
                                   ("ours", ours + [str(out_dir / f"ours-{i}.log")], ours_env, (0, 2))):
            path = out_dir / f"{side}-{i}.txt"
            load = os.getloadavg()[0]
            print(f"bench-compare: pair {i}/{args.pairs}: {side} ...", file=sys.stderr, flush=True)
            rc, secs = run_one(cmd, env, path)
            state = "ok" if rc in ok else f"FAILED (exit {rc}; see {path})"
            print(f"bench-compare: pair {i}/{args.pairs}: {side} {state}, {secs:.0f} s",
                  file=sys.stderr, flush=True)
            meta["runs"].append({"pair": i, "side": side, "exit": rc, "seconds": round(secs),
                                 "load_before": round(load, 2)})
            (out_dir / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")


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


def guest_uname(pairs):
    for p in pairs:
        for line in (p.linux.info if p.linux else []):
            m = re.search(r"uname=(\S+)", line)
            if m:
                return m.group(1)
    return ""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iso", type=Path, default=ROOT / "build" / "bench.iso")
    ap.add_argument("--peer-dir", type=Path, default=ROOT / ".." / "shared" / "peers" / "linux")
    ap.add_argument("--pairs", type=int, default=MIN_PAIRS)
    ap.add_argument("--icount", action="store_true", help="both under -icount shift=auto")
    ap.add_argument("--bench-args", default="", help="BENCH_ARGS the ISO was built with")
    ap.add_argument("--build", type=Path, default=ROOT / "build")
    ap.add_argument("--from", dest="from_dir", type=Path,
                    help="only redo the report and plot from the outputs saved in this directory")
    ap.add_argument("--md", type=Path, help="report file (default BUILD/bench-compare.md)")
    ap.add_argument("--svg", type=Path, help="plot file, .svg or .png (default BUILD/bench.svg)")
    ap.add_argument("--no-plot", action="store_true", help="skip gnuplot")
    ap.add_argument("--check-deps", action="store_true", help="only check what the runs need")
    args = ap.parse_args(argv)
    if not args.peer_dir.is_absolute():
        args.peer_dir = (Path.cwd() / args.peer_dir).resolve()

    if args.check_deps:
        return check_deps(args.peer_dir, plot=not args.no_plot)

    md = args.md or args.build / "bench-compare.md"
    svg = args.svg or args.build / "bench.svg"
    if args.from_dir:
        out_dir = args.from_dir
        if not out_dir.is_dir():
            ap.error(f"{out_dir} is not a directory")
        meta_file = out_dir / "meta.json"
        meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    else:
        if args.pairs < MIN_PAIRS:
            ap.error(f"--pairs must be at least {MIN_PAIRS} (PAIRS=)")
        if check_deps(args.peer_dir, plot=not args.no_plot):
            return 1
        if not args.iso.is_file():
            ap.error(f"{args.iso} not found (make {args.iso})")
        out_dir = args.build / "bench-compare"
        out_dir.mkdir(parents=True, exist_ok=True)
        meta = {
            "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "accel": os.environ.get("ACCEL", "tcg"),
            "icount": args.icount,
            "qemu": first_line(["qemu-system-x86_64", "--version"]),
            "host_cpu": host_cpu(),
            "ours_commit": first_line(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
            "bench_args": args.bench_args,
            "peer_bench_args": peer_bench_args(args.bench_args),
        }
        run_pairs(args, out_dir, meta)

    pairs = load_pairs(out_dir)
    if not meta.get("linux_guest"):
        meta["linux_guest"] = guest_uname(pairs)
    text = report(pairs, meta)
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(text)
    print(text, end="")
    status = 0
    complete = sum(1 for p in pairs if p.complete)
    if not args.no_plot and complete:
        err = draw(gnuplot_script(pairs, meta, svg.resolve()), svg.with_suffix(".gp"))
        if err:
            print(f"bench-compare: no plot: {err}", file=sys.stderr)
            status = 1
        else:
            print(f"bench-compare: wrote {md} and {svg}", file=sys.stderr)
    if complete < MIN_PAIRS:
        print(f"bench-compare: only {complete} complete pairs; at least {MIN_PAIRS} are needed",
              file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
