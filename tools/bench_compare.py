#!/usr/bin/env python3
"""Compare the kernel's benchmarks with the Linux peer (`make bench-compare`).

Runs the peer (PEER_DIR/run.sh: Debian's Linux 6.1 with bench.ko in QEMU)
and this kernel (tools/bench.sh on build/bench.iso) alternately, Linux
first: A B A B ..., PAIRS pairs (at least 3). Each run's output goes to
build/bench-compare/linux-N.txt or ours-N.txt (our console: ours-N.log),
with a last line `# bench_compare: exit=RC seconds=S` added here.

Then (tools/bench_report.py) it prints a markdown report, also written to build/bench-compare.md:
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
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_report import MIN_PAIRS, draw, gnuplot_script, guest_uname, load_pairs, report

ROOT = Path(__file__).resolve().parent.parent

# Our command-line parameters that the peer's bench.ko has too (insmod name).
PEER_PARAMS = ("iters", "warmup", "wq_items", "wq_reps", "wq_warmup_reps")

PEER_PACKAGES = "linux-image-amd64 linux-headers-amd64 busybox-static cpio"


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
        peer_env["TIMEOUT"] = "900"   # about 150 s on an idle host
    ours_env = dict(base, ICOUNT="1" if args.icount else "0")
    peer = [str(args.peer_dir / "run.sh")]
    ours = [str(args.ours_script), str(args.iso)]
    meta["runs"] = []
    for i in range(1, args.pairs + 1):
        for side, cmd, env, ok in (("linux", peer, peer_env, (0,)),
                                   ("ours", ours + [str(out_dir / f"ours-{i}.log")], ours_env, (0, 2))):
            path = out_dir / f"{side}-{i}.txt"
            load = os.getloadavg()[0]
            print(f"bench-compare: pair {i}/{args.pairs}: {side} ...", file=sys.stderr, flush=True)
            rc, secs = run_one(cmd, env, path)
            state = "ok" if rc in ok else f"FAILED (exit {rc}; see {os.path.relpath(path)})"
            print(f"bench-compare: pair {i}/{args.pairs}: {side} {state}, {secs:.0f} s",
                  file=sys.stderr, flush=True)
            meta["runs"].append({"pair": i, "side": side, "exit": rc, "seconds": round(secs),
                                 "load_before": round(load, 2)})
            (out_dir / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iso", type=Path, default=ROOT / "build" / "bench.iso")
    ap.add_argument("--peer-dir", type=Path, default=ROOT / ".." / "shared" / "peers" / "linux")
    ap.add_argument("--pairs", type=int, default=MIN_PAIRS)
    ap.add_argument("--icount", action="store_true", help="both under -icount shift=auto")
    ap.add_argument("--ours-script", type=Path, default=ROOT / "tools" / "bench.sh",
                    help="boots the ISO: SCRIPT ISO LOG (default tools/bench.sh)")
    ap.add_argument("--bench-args", default="", help="BENCH_ARGS the ISO was built with")
    ap.add_argument("--build", type=Path, default=ROOT / "build")
    ap.add_argument("--from", dest="from_dir", type=Path,
                    help="only redo the report and plot from the outputs saved in this directory")
    ap.add_argument("--md", type=Path, help="report file (default BUILD/bench-compare.md)")
    ap.add_argument("--svg", type=Path, help="plot file, .svg or .png (default BUILD/bench.svg)")
    ap.add_argument("--no-plot", action="store_true", help="skip gnuplot")
    ap.add_argument("--check-deps", action="store_true", help="only check what the runs need")
    args = ap.parse_args(argv)
    # The runs start in the project root: make every path absolute.
    for name in ("peer_dir", "iso", "ours_script", "build"):
        setattr(args, name, getattr(args, name).resolve())

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
