"""Host tests for the benchmark tooling: tools/bench_report.py (parsing
BENCH lines, nearest-rank medians, the comparison tables, targets, the
gnuplot script), tools/bench_compare.py (runs A B A B with fake peer and
kernel scripts, failures, --from) and tools/bench.sh (boot options and
console extraction, with a fake qemu-system-x86_64). No QEMU runs.
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent.parent / "tools"
sys.path.insert(0, str(TOOLS))
import bench_compare  # noqa: E402
import bench_report  # noqa: E402
from bench_report import DASH, parse_run, median_nearest_rank, target_met  # noqa: E402


def bench(name, med, p99=None, mn=None, n=20000):
    p99 = med * 2 if p99 is None else p99
    mn = med // 2 if mn is None else mn
    return f"BENCH {name} median={med} p99={p99} min={mn} n={n}\n"


def write(path: Path, text: str):
    path.write_text(text)


def row(text: str, name: str) -> str:
    """The markdown table row of benchmark name."""
    for line in text.splitlines():
        if line.startswith(f"| {name} |"):
            return line
    raise AssertionError(f"no row for {name} in:\n{text}")


class ParseTest(unittest.TestCase):
    def test_fields_order_info_and_errors(self):
        run = parse_run("run.sh: booting\n"
                        "BENCHINFO tsc_khz=2000000\n"
                        + bench("b_second", 300, 900, 100, 20)
                        + bench("a_first", 10)
                        + "BENCHERR edu_thread timed out waiting\n")
        self.assertEqual(list(run.results), ["b_second", "a_first"])
        r = run.results["b_second"]
        self.assertEqual((r.median, r.p99, r.min, r.n), (300, 900, 100, 20))
        self.assertEqual(run.errors, ["edu_thread timed out waiting"])
        self.assertEqual(run.info, ["tsc_khz=2000000"])
        self.assertTrue(run.complete)

    def test_garbage_and_partial_lines_are_not_results(self):
        run = parse_run("BENCH x median=12 p99=20\n"            # fields missing
                        "BENCH y median=abc p99=1 min=1 n=1\n"  # not a number
                        "BENCH z median=5 p99=6 min=4 n=7 trailing\n"
                        "BENCHMARK w median=1 p99=1 min=1 n=1\n"
                        "xx BENCH v median=1 p99=1 min=1 n=1\n"
                        "\x1b[2J random noise\n"
                        "  BENCH ok median=1 p99=2 min=1 n=3\r\n")
        self.assertEqual(list(run.results), ["ok"])
        self.assertEqual(sum(e.startswith("malformed") for e in run.errors), 3)

    def test_repeated_name_keeps_the_first(self):
        run = parse_run(bench("a", 10) + bench("a", 99))
        self.assertEqual(run.results["a"].median, 10)
        self.assertEqual(len(run.errors), 1)

    def test_completeness(self):
        self.assertFalse(parse_run("").complete)
        self.assertFalse(parse_run("BENCHERR insmod failed\n").complete)
        self.assertTrue(parse_run(bench("a", 1)).complete)        # no trailer
        fail = bench("a", 1) + "# bench_compare: exit=1 seconds=3\n"
        self.assertFalse(parse_run(fail).complete)
        self.assertEqual(parse_run(fail).exit, 1)
        errs = bench("a", 1) + "# bench_compare: exit=2 seconds=3\n"
        self.assertFalse(parse_run(errs, ok_exits=(0,)).complete)
        self.assertTrue(parse_run(errs, ok_exits=(0, 2)).complete)


class StatsTest(unittest.TestCase):
    def test_nearest_rank_median(self):
        self.assertEqual(median_nearest_rank([3, 1, 2]), 2)
        self.assertEqual(median_nearest_rank([4, 1, 3, 2]), 2)  # s[ceil(4/2)-1] = s[1]
        self.assertEqual(median_nearest_rank([0.9, 0.4, 0.5, 0.7, 0.6]), 0.6)
        self.assertEqual(median_nearest_rank([7]), 7)
        self.assertIsNone(median_nearest_rank([]))
        self.assertEqual(median_nearest_rank([None, 5, None, 1]), 1)
        self.assertIsNone(median_nearest_rank([None, None]))

    def test_targets(self):
        self.assertEqual(target_met(0.5, 0.5), "yes")
        self.assertEqual(target_met(0.51, 0.5), "**no**")
        self.assertEqual(target_met(1.3, 1.3), "yes")
        self.assertEqual(target_met(None, 0.5), DASH)
        self.assertEqual(target_met(0.1, None), "")
        # the targets
        self.assertEqual(bench_report.TARGETS["wq_throughput"], 0.5)
        self.assertEqual(bench_report.TARGETS["edu_msi_hardirq"], 1.0)
        self.assertEqual(bench_report.TARGETS["irq_work_selfipi"], 1.0)
        self.assertEqual(len(bench_report.TARGETS), 12)

    def test_peer_args(self):
        self.assertEqual(bench_compare.peer_bench_args(
            "bench.iters=2000 bench.filter=edu_* bench.warmup=10 bench.wq_reps=5 noapic"),
            "iters=2000 warmup=10 wq_reps=5")
        self.assertEqual(bench_compare.peer_bench_args(""), "")


LINUX = {"empty": 26, "edu_hardirq": 1000, "edu_thread": 10000, "wq_throughput": 2000,
         "irq_work_selfipi": 2000, "edu_msi_hardirq": 3000}
OURS = [  # per pair
    {"empty": 26, "edu_hardirq": 500, "edu_thread": 4000, "wq_throughput": 1200,
     "edu_msi_hardirq": 1500, "int_roundtrip_bare": 100, "int_dispatch": 120,
     "selfipi_bare": 1000, "ctx_switch": 5000},
    {"empty": 26, "edu_hardirq": 800, "edu_thread": 6000, "wq_throughput": 800,
     "edu_msi_hardirq": 3000, "int_roundtrip_bare": 100, "int_dispatch": 150,
     "selfipi_bare": 1000, "ctx_switch": 5100},
    {"empty": 26, "edu_hardirq": 1200, "wq_throughput": 1000,
     "edu_msi_hardirq": 2400, "int_roundtrip_bare": 100, "int_dispatch": 110,
     "selfipi_bare": 1200, "ctx_switch": 4900},
]


def make_runs(d: Path, ours=OURS, fail_ours=(), linux_missing=()):
    for i, o in enumerate(ours, 1):
        lin = "".join(bench(k, v) for k, v in LINUX.items() if k not in linux_missing)
        write(d / f"linux-{i}.txt", lin + "# bench_compare: exit=0 seconds=10\n")
        text = "".join(bench(k, v) for k, v in o.items())
        if "edu_thread" not in o:
            text += "BENCHERR edu_thread no wake-up\n"
        rc = 1 if i in fail_ours else 0
        write(d / f"ours-{i}.txt", text + f"# bench_compare: exit={rc} seconds=10\n")


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.meta = {"date": "2026-11-22 10:00", "accel": "tcg", "icount": True,
                     "qemu": "QEMU emulator version 7.2.22"}

    def tearDown(self):
        self.tmp.cleanup()

    def test_main_table(self):
        make_runs(self.dir)
        text = bench_report.report(bench_report.load_pairs(self.dir), self.meta)
        self.assertIn("complete pairs: 3 of 3", text)
        self.assertIn("mode: TCG with -icount shift=auto", text)
        self.assertEqual(row(text, "edu_hardirq"),
                         "| edu_hardirq | 1000 / 1000 / 1000 | 500 / 800 / 1200 | "
                         "0.50 / 0.80 / 1.20 | 0.80 | ≤ 1 | yes |")
        # 0.6, 0.4, 0.5 -> 0.5: exactly the target is met
        self.assertEqual(row(text, "wq_throughput"),
                         "| wq_throughput | 2000 / 2000 / 2000 | 1200 / 800 / 1000 | "
                         "0.60 / 0.40 / 0.50 | 0.50 | ≤ 0.5 | yes |")
        # missing in pair 3 on our side: "–", median of the two others (lower)
        self.assertEqual(row(text, "edu_thread"),
                         f"| edu_thread | 10000 / 10000 / 10000 | 4000 / 6000 / {DASH} | "
                         f"0.40 / 0.60 / {DASH} | 0.40 | ≤ 0.5 | yes |")
        # ours never reported it: no ratio, target not judged
        self.assertEqual(row(text, "irq_work_selfipi"),
                         f"| irq_work_selfipi | 2000 / 2000 / 2000 | {DASH} / {DASH} / {DASH} | "
                         f"{DASH} / {DASH} / {DASH} | {DASH} | ≤ 1 | {DASH} |")
        # 0.5, 1.0, 0.8 -> 0.8
        self.assertIn("| 0.80 | ≤ 1 | yes |", row(text, "edu_msi_hardirq"))
        # no target
        self.assertEqual(row(text, "empty"), "| empty | 26 / 26 / 26 | 26 / 26 / 26 | "
                         "1.00 / 1.00 / 1.00 | 1.00 |  |  |")
        # targeted benchmarks Linux did not report still get a row
        self.assertIn(f"| tasklet_latency | {DASH} / {DASH} / {DASH} |", text)
        self.assertIn("pair 3, ours: edu_thread no wake-up", text)

    def test_target_missed(self):
        ours = [dict(o, edu_thread=6000) for o in OURS]   # 0.6 in every pair
        make_runs(self.dir, ours)
        text = bench_report.report(bench_report.load_pairs(self.dir), self.meta)
        self.assertEqual(row(text, "edu_thread"),
                         "| edu_thread | 10000 / 10000 / 10000 | 6000 / 6000 / 6000 | "
                         "0.60 / 0.60 / 0.60 | 0.60 | ≤ 0.5 | **no** |")

    def test_limits_and_ours_only(self):
        make_runs(self.dir)
        text = bench_report.report(bench_report.load_pairs(self.dir), self.meta)
        # 1.2, 1.5, 1.1 -> 1.2 <= 1.3
        self.assertEqual(row(text, "int_dispatch / int_roundtrip_bare (ours)"),
                         "| int_dispatch / int_roundtrip_bare (ours) | 1.20 / 1.50 / 1.10 | "
                         "1.20 | ≤ 1.3 | yes |")
        # 1.5, 3.0, 2.0 -> 2.0, no target
        self.assertEqual(row(text, "edu_msi_hardirq / selfipi_bare (ours)"),
                         "| edu_msi_hardirq / selfipi_bare (ours) | 1.50 / 3.00 / 2.00 | 2.00 |  |  |")
        self.assertEqual(row(text, "ctx_switch"),
                         "| ctx_switch | 5000 / 5100 / 4900 | 10000 / 10200 / 9800 | 5000 |")
        # ours-only names are not in the main table
        main = text.split("Limits")[0]
        self.assertNotIn("| ctx_switch |", main)
        self.assertNotIn("| int_dispatch |", main)

    def test_failed_pair_is_left_out(self):
        ours = OURS + [OURS[0]]
        make_runs(self.dir, ours, fail_ours=(2,))
        (self.dir / "linux-5.txt").write_text("run.sh: error: guest did not finish\n")
        pairs = bench_report.load_pairs(self.dir)
        self.assertEqual([p.complete for p in pairs], [True, False, True, True, False])
        text = bench_report.report(pairs, self.meta)
        self.assertIn("complete pairs: 3 of 5", text)
        self.assertIn("pair 2 left out: ours failed (exit 1)", text)
        self.assertIn("pair 5 left out: Linux gave no results, ours did not run", text)
        # pairs 1, 3, 4 only: 0.5, 1.2, 0.5
        self.assertIn("| 500 / 1200 / 500 | 0.50 / 1.20 / 0.50 | 0.50 |", row(text, "edu_hardirq"))

    def test_scale_warning(self):
        ours = [dict(OURS[0]), dict(OURS[1], empty=52), dict(OURS[2], empty=13)]
        make_runs(self.dir, ours)
        text = bench_report.report(bench_report.load_pairs(self.dir), self.meta)
        self.assertIn("**Scale warning**", text)
        self.assertIn("pair(s) 2, 3.", text)
        make_runs(self.dir, [dict(o, empty=40) for o in OURS])   # ×1.54: no warning
        text = bench_report.report(bench_report.load_pairs(self.dir), self.meta)
        self.assertNotIn("Scale warning", text)

    def test_no_complete_pair(self):
        make_runs(self.dir, OURS[:1], fail_ours=(1,))
        text = bench_report.report(bench_report.load_pairs(self.dir), self.meta)
        self.assertIn("No complete pair", text)

    def test_gnuplot_script(self):
        make_runs(self.dir)
        pairs = bench_report.load_pairs(self.dir)
        out = self.dir / "bench.svg"
        script = bench_report.gnuplot_script(pairs, self.meta, out)
        self.assertIn(f"set output '{out}'", script)
        self.assertIn("set terminal svg", script)
        self.assertIn("set logscale y", script)
        self.assertIn("noenhanced", script)   # names keep their underscores
        data = script.split("$data << EOD\n")[1].split("EOD\n")[0].splitlines()
        rows = {line.split()[0].strip('"'): line.split()[1:] for line in data}
        # Linux: median, min, p99; ours: the same; ratio label and its height
        self.assertEqual(rows["edu_hardirq"][:6], ["1000", "500", "2000", "800", "400", "1600"])
        self.assertEqual(rows["edu_hardirq"][6], '"×0.80"')
        self.assertEqual(rows["ctx_switch"][:3], ["NaN", "NaN", "NaN"])
        self.assertEqual(rows["ctx_switch"][3], "5000")
        self.assertEqual(rows["irq_work_selfipi"][3:6], ["NaN", "NaN", "NaN"])
        self.assertEqual(len(rows), len(set(LINUX) | set(bench_report.TARGETS)) + 4)
        self.assertIn("plot $data using 2:3:4:xtic(1)", script)
        png = bench_report.gnuplot_script(pairs, self.meta, self.dir / "b.png")
        self.assertIn("set terminal pngcairo", png)

    @unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
    def test_gnuplot_draws(self):
        make_runs(self.dir)
        out = self.dir / "bench.svg"
        err = bench_report.draw(bench_report.gnuplot_script(
            bench_report.load_pairs(self.dir), self.meta, out), self.dir / "bench.gp")
        self.assertIsNone(err)
        svg = out.read_text()
        self.assertIn("<svg", svg)
        self.assertIn("edu_msi_hardirq", svg)
        self.assertIn("×0.80", svg)

    def test_gnuplot_error_is_reported(self):
        if not shutil.which("gnuplot"):
            self.skipTest("gnuplot not installed")
        err = bench_report.draw("this is not gnuplot\n", self.dir / "bad.gp")
        self.assertIsNotNone(err)


def run_main(argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = bench_compare.main(argv)
    return rc, out.getvalue(), err.getvalue()


FAKE_PEER = """#!/bin/sh
echo linux >> "$FAKE_ORDER"
n=$(wc -l < "$FAKE_ORDER")
echo "env QEMU_EXTRA=[$QEMU_EXTRA] TIMEOUT=[${TIMEOUT:-}] BENCH_ARGS=[$BENCH_ARGS] WORK=[$WORK]" >> "$FAKE_ENV"
echo "BENCHINFO guest uname=6.1.0-test cpus=2" >&2
echo "BENCHINFO kernel=6.1.0-test tsc_khz=2000123 cpu=0" >&2
echo "BENCH edu_hardirq median=1000 p99=2000 min=900 n=20000"
echo "BENCH wq_throughput median=2000 p99=2100 min=1900 n=20"
case " $FAKE_FAIL " in *" $n "*) echo "run.sh: error: guest did not finish" >&2; exit 1 ;; esac
exit 0
"""

FAKE_OURS = """#!/bin/sh
echo ours >> "$FAKE_ORDER"
n=$(wc -l < "$FAKE_ORDER")
echo "env ICOUNT=[$ICOUNT] ISO=[$1]" >> "$FAKE_ENV"
echo "console of run $n" > "$2"
echo "BENCH edu_hardirq median=500 p99=900 min=400 n=20000"
echo "BENCH wq_throughput median=900 p99=1000 min=800 n=20"
echo "BENCH ctx_switch median=3000 p99=4000 min=2000 n=20000"
case " $FAKE_FAIL " in *" $n "*) exit 1 ;; esac
exit 0
"""


class RunPairsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.dir = Path(self.tmp.name)
        (d / "peer").mkdir()
        for path, text in ((d / "peer" / "run.sh", FAKE_PEER), (d / "ours.sh", FAKE_OURS)):
            path.write_text(text)
            path.chmod(0o755)
        (d / "bench.iso").write_text("iso")
        self.order, self.envlog = d / "order", d / "env"
        self.saved_env = dict(os.environ)
        os.environ.update(FAKE_ORDER=str(self.order), FAKE_ENV=str(self.envlog), FAKE_FAIL="",
                          QEMU_EXTRA="-cpu qemu64")
        os.environ.pop("TIMEOUT", None)
        self.saved_check = bench_compare.check_deps
        bench_compare.check_deps = lambda *a, **k: 0

    def tearDown(self):
        bench_compare.check_deps = self.saved_check
        os.environ.clear()
        os.environ.update(self.saved_env)
        self.tmp.cleanup()

    def argv(self, *extra):
        d = self.dir
        return ["--iso", str(d / "bench.iso"), "--peer-dir", str(d / "peer"),
                "--ours-script", str(d / "ours.sh"), "--build", str(d / "build"),
                "--no-plot", *extra]

    def test_alternate_runs_and_report(self):
        rc, out, err = run_main(self.argv("--pairs", "3", "--icount",
                                          "--bench-args", "bench.iters=500 bench.filter=edu*"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.order.read_text().split(),
                         ["linux", "ours", "linux", "ours", "linux", "ours"])
        env = self.envlog.read_text()
        self.assertIn("QEMU_EXTRA=[-cpu qemu64 -icount shift=auto]", env)
        self.assertIn("TIMEOUT=[900]", env)
        self.assertIn("BENCH_ARGS=[iters=500]", env)
        self.assertIn(f"WORK=[{self.dir / 'build' / 'bench-compare' / 'peer-work'}]", env)
        self.assertIn("ICOUNT=[1]", env)
        out_dir = self.dir / "build" / "bench-compare"
        for i in (1, 2, 3):
            self.assertTrue((out_dir / f"linux-{i}.txt").exists())
            self.assertIn(f"console of run {2 * i}", (out_dir / f"ours-{i}.log").read_text())
        self.assertIn("| edu_hardirq | 1000 / 1000 / 1000 | 500 / 500 / 500 | "
                      "0.50 / 0.50 / 0.50 | 0.50 | ≤ 1 | yes |", out)
        self.assertIn("mode: TCG with -icount shift=auto", out)
        self.assertIn("Linux guest: 6.1.0-test", out)
        self.assertIn("guest TSC kHz: Linux 2000123\n", out)
        self.assertRegex(out, r"run times \(s\): Linux \d+ / \d+ / \d+; ours \d+ / \d+ / \d+; "
                              r"host load average before the runs")
        self.assertEqual((self.dir / "build" / "bench-compare.md").read_text(), out)

    def test_without_icount(self):
        rc, out, err = run_main(self.argv())
        self.assertEqual(rc, 0, err)
        env = self.envlog.read_text()
        self.assertIn("QEMU_EXTRA=[-cpu qemu64]", env)
        self.assertIn("TIMEOUT=[]", env)
        self.assertIn("ICOUNT=[0]", env)
        self.assertIn("mode: TCG (no -icount)", out)

    def test_failed_runs_continue_and_fail_at_the_end(self):
        os.environ["FAKE_FAIL"] = "3 6"   # pair 2's Linux run, pair 3's ours
        rc, out, err = run_main(self.argv("--pairs", "4"))
        self.assertEqual(rc, 1)
        self.assertEqual(len(self.order.read_text().split()), 8)
        self.assertIn("complete pairs: 2 of 4", out)
        self.assertIn("pair 2 left out: Linux failed (exit 1)", out)
        self.assertIn("pair 3 left out: ours failed (exit 1)", out)
        self.assertIn("only 2 complete pairs", err)
        self.assertIn("pair 2/4: linux FAILED (exit 1", err)

    def test_at_least_three_pairs(self):
        with self.assertRaises(SystemExit):
            run_main(self.argv("--pairs", "2"))
        self.assertFalse(self.order.exists())

    def test_from_redoes_the_report_without_running(self):
        self.assertEqual(run_main(self.argv())[0], 0)
        self.order.unlink()
        out_dir = self.dir / "build" / "bench-compare"
        md = self.dir / "again.md"
        rc, out, err = run_main(["--from", str(out_dir), "--md", str(md), "--no-plot"])
        self.assertEqual(rc, 0, err)
        self.assertFalse(self.order.exists())
        self.assertEqual(md.read_text(), out)
        self.assertIn("complete pairs: 3 of 3", out)
        self.assertIn("mode: TCG (no -icount)", out)   # from meta.json
        # fewer than 3 complete pairs saved: the report, and exit status 1
        (out_dir / "ours-3.txt").unlink()
        rc, out, err = run_main(["--from", str(out_dir), "--md", str(md), "--no-plot"])
        self.assertEqual(rc, 1)
        self.assertIn("complete pairs: 2 of 3", out)

    def test_new_run_removes_old_outputs(self):
        out_dir = self.dir / "build" / "bench-compare"
        out_dir.mkdir(parents=True)
        (out_dir / "linux-7.txt").write_text(bench("edu_hardirq", 5))
        self.assertEqual(run_main(self.argv())[0], 0)
        self.assertFalse((out_dir / "linux-7.txt").exists())


FAKE_QEMU = """#!/bin/sh
echo "$@" > "$FAKE_ARGS"
[ -n "$FAKE_SLEEP" ] && sleep "$FAKE_SLEEP"
printf '%b' "$FAKE_CONSOLE"
exit "$FAKE_RC"
"""

CONSOLE_OK = ("SeaBIOS\\r\\n\\033[2J\\033[0mBENCHSTART\\r\\n"
              "booting noise\\n"
              "BENCHINFO tsc_khz=2000000\\n"
              "BENCH edu_hardirq median=500 p99=900 min=400 n=20000\\r\\n"
              "[    1.234] BENCH ctx_switch median=3000 p99=4000 min=2000 n=20000\\n"
              "BENCHERR edu_thread timeout\\n"
              "BENCHDONE\\n"
              "BENCH after_done median=1 p99=1 min=1 n=1\\n")


@unittest.skipUnless(shutil.which("timeout"), "coreutils timeout missing")
class BenchShTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.dir = Path(self.tmp.name)
        (d / "bin").mkdir()
        q = d / "bin" / "qemu-system-x86_64"
        q.write_text(FAKE_QEMU)
        q.chmod(0o755)
        (d / "x.iso").write_text("iso")

    def tearDown(self):
        self.tmp.cleanup()

    def run_bench(self, console=CONSOLE_OK, rc=33, **env):
        e = dict(os.environ, PATH=f"{self.dir / 'bin'}:{os.environ['PATH']}",
                 FAKE_ARGS=str(self.dir / "args"), FAKE_CONSOLE=console, FAKE_RC=str(rc),
                 FAKE_SLEEP="", SMP="4", MEM="64", MACHINE="q35", EDU="3", QEMU_EXTRA="")
        e.pop("ICOUNT", None)
        e.update(env)
        return subprocess.run([str(TOOLS / "bench.sh"), str(self.dir / "x.iso"),
                               str(self.dir / "out" / "con.log")],
                              env=e, capture_output=True, text=True, timeout=60)

    def test_machine_and_extraction(self):
        r = self.run_bench()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "BENCH edu_hardirq median=500 p99=900 min=400 n=20000\n"
                                   "BENCH ctx_switch median=3000 p99=4000 min=2000 n=20000\n")
        self.assertIn("BENCHINFO tsc_khz=2000000", r.stderr)
        self.assertIn("BENCHERR edu_thread timeout", r.stderr)
        args = (self.dir / "args").read_text().split()
        for opt, val in (("-smp", "2"), ("-m", "512"), ("-machine", "pc"), ("-cpu", "qemu64")):
            self.assertEqual(args[args.index(opt) + 1], val)
        self.assertEqual(sum(a.startswith("edu,") for a in args), 1)
        self.assertNotIn("-icount", args)
        self.assertIn("BENCHDONE", (self.dir / "out" / "con.log").read_text())

    def test_icount(self):
        r = self.run_bench(ICOUNT="1", QEMU_EXTRA="-cpu qemu64")
        self.assertEqual(r.returncode, 0, r.stderr)
        args = (self.dir / "args").read_text()
        self.assertIn("-icount shift=auto", args)

    def test_status_not_33_means_errors(self):
        r = self.run_bench(rc=35)
        self.assertEqual(r.returncode, 2)
        self.assertIn("BENCH edu_hardirq", r.stdout)

    def test_no_benchdone_fails(self):
        r = self.run_bench(console=CONSOLE_OK.split("BENCHDONE")[0], rc=37)
        self.assertEqual(r.returncode, 1)
        self.assertIn("did not reach BENCHDONE", r.stderr)

    def test_no_bench_lines_fails(self):
        r = self.run_bench(console="BENCHSTART\\nBENCHERR all broken\\nBENCHDONE\\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no BENCH lines", r.stderr)

    def test_time_limit(self):
        r = self.run_bench(FAKE_SLEEP="30", BENCH_TIMEOUT="1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("time limit 1s", r.stderr)


if __name__ == "__main__":
    unittest.main()
