"""Host tests for tools/trace_extract.py (`make trace`) and its use by
tools/ktest.py: taking the trace out of a console log, the Trace Event
Format checks, and each scenario's story, on real scenario logs
(fixtures/trace_*.log: 2-CPU pc boots with trace.scenario=NAME) and on
traces broken on purpose.
"""
import copy
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
import io

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import ktap  # noqa: E402
import ktest  # noqa: E402
import trace_extract as te  # noqa: E402

SCENARIOS = ["edu_tasklet_work", "softirq_flood", "threaded_oneshot", "ipi"]


def fixture_lines(scenario):
    with open(os.path.join(HERE, "fixtures", f"trace_{scenario}.log"), errors="replace") as f:
        return f.read().splitlines()


def fixture_trace(scenario):
    lines = [te.TIMESTAMP_RE.sub("", line) for line in fixture_lines(scenario)]
    block, _ = te.extract(lines)
    trace, dropped = te.parse_json(block)
    assert not dropped
    return trace


def tiny_trace(events):
    """A one-CPU trace with the metadata the checks want, plus events."""
    meta = [
        {"ph": "M", "name": "process_name", "pid": 1000000, "tid": 1000000, "args": {"name": "CPU 0"}},
        {"ph": "M", "name": "thread_name", "pid": 1000000, "tid": 1000000,
         "args": {"name": "CPU 0 irq/softirq"}},
        {"ph": "M", "name": "thread_name", "pid": 1000000, "tid": 7, "args": {"name": "kworker/0:1"}},
    ]
    return {"traceEvents": meta + events}


def x(name, ts, dur, tid=1000000, cat="irq"):
    return {"ph": "X", "name": name, "cat": cat, "pid": 1000000, "tid": tid, "ts": ts, "dur": dur}


class Extraction(unittest.TestCase):
    def test_blocks_between_markers_with_timestamps_and_crlf(self):
        log = ["[    0.1] booting", "TRACETEXT BEGIN\r", "# tracer: nop\r", "TRACETEXT END\r",
               "TRACEJSON BEGIN", '{"traceEvents":[', '{"ph":"M","name":"x","pid":1,"tid":1}',
               '],"otherData":{}}', "TRACEJSON END", "[    0.2] done"]
        block, text = te.extract(log)
        self.assertEqual(text, ["# tracer: nop"])
        self.assertEqual(json.loads("\n".join(block))["traceEvents"][0]["name"], "x")

    def test_cut_off_block_is_absent(self):
        block, text = te.extract(["TRACEJSON BEGIN", '{"traceEvents":['])
        self.assertIsNone(block)
        self.assertIsNone(text)
        self.assertTrue(te.check_log(["TRACEJSON BEGIN", "{"], None))

    def test_line_printed_into_the_block_is_dropped_and_reported(self):
        lines = [te.TIMESTAMP_RE.sub("", line) for line in fixture_lines("edu_tasklet_work")]
        begin = lines.index(te.JSON_BEGIN)
        lines.insert(begin + 5, "[    1.234] irq 7: nobody cared")
        block, _ = te.extract(lines)
        trace, dropped = te.parse_json(block)
        self.assertEqual(dropped, ["[    1.234] irq 7: nobody cared"])
        self.assertEqual(te.check_trace(trace), [])      # the events themselves are intact
        problems = te.check_log(lines, "edu_tasklet_work")
        self.assertEqual(len(problems), 1)
        self.assertIn("not JSON", problems[0])
        self.assertIn("otherData", trace)                 # the tail was kept too


class Fixtures(unittest.TestCase):
    def test_every_scenario_log_is_valid_and_tells_its_story(self):
        for scenario in SCENARIOS:
            with self.subTest(scenario=scenario):
                self.assertEqual(te.check_log(fixture_lines(scenario), scenario), [])

    def test_json_is_chrome_trace_event_format(self):
        trace = fixture_trace("edu_tasklet_work")
        self.assertIsInstance(trace["traceEvents"], list)
        self.assertEqual(trace["displayTimeUnit"], "ns")
        for ev in trace["traceEvents"]:
            self.assertIn(ev["ph"], te.PHASES)
            self.assertIsInstance(ev["pid"], int)
            self.assertIsInstance(ev["tid"], int)
            if ev["ph"] != "M":
                self.assertIsInstance(ev["ts"], (int, float))
            if ev["ph"] == "X":
                self.assertGreaterEqual(ev["dur"], 0)
            if ev["ph"] == "f":
                self.assertEqual(ev["bp"], "e")
        self.assertEqual(trace["otherData"]["lost_events"], [0, 0])

    def test_one_track_per_cpu_and_per_thread(self):
        t = te.Trace(fixture_trace("edu_tasklet_work"))
        self.assertEqual(sorted(t.process_names.values()), ["CPU 0", "CPU 1"])
        for pid, name in t.process_names.items():
            self.assertEqual(t.thread_names[(pid, pid)], f"{name} irq/softirq")
        names = set(t.thread_names.values())
        self.assertIn("init", names)
        self.assertTrue(any(n.startswith("kworker/") for n in names))
        # a thread's track is (its CPU's pid, its own pid): the kworker is on the interrupt's CPU
        handler = next(s for s in t.all_slices() if s.name.endswith(": edu0"))
        work = next(s for s in t.all_slices() if s.name == "work story_work")
        self.assertEqual(work.track[0], handler.track[0])

    def test_edu_story_in_order(self):
        t = te.Trace(fixture_trace("edu_tasklet_work"))
        handler = next(s for s in t.all_slices() if s.name.endswith(": edu0"))
        vector = t.enclosing(handler.track, handler.start - 1)
        self.assertTrue(vector.name.startswith("vector 0x"), vector.name)
        self.assertTrue(vector.contains(handler))
        (softirq,) = t.flow_ends(handler, "raise")
        self.assertEqual(softirq.name, "softirq TASKLET")
        self.assertGreaterEqual(softirq.start, vector.end)   # on the way out of the interrupt
        tasklet = next(s for s in t.slices[softirq.track]
                       if s.name == "tasklet story_tasklet" and softirq.contains(s))
        (work,) = t.flow_ends(tasklet, "queue_work")
        self.assertEqual(work.name, "work story_work")
        self.assertLess(tasklet.start, work.start)
        self.assertEqual(work.args["event"], "workqueue_execute_start")

    def test_flood_moves_to_ksoftirqd(self):
        t = te.Trace(fixture_trace("softirq_flood"))
        runs = sorted((s for s in t.all_slices() if s.name == "softirq NET_RX"), key=lambda s: s.start)
        where = [t.track_name(s.track).split("/")[0] for s in runs]
        self.assertEqual(len(runs), te.FLOOD_RUNS)
        first_thread = where.index("ksoftirqd")
        self.assertTrue(all(w.startswith("CPU") for w in where[:first_thread]))
        self.assertTrue(all(w == "ksoftirqd" for w in where[first_thread:]))
        self.assertLessEqual(first_thread, te.MAX_SOFTIRQ_RESTART)

    def test_text_view_is_ftrace_like(self):
        _, text = te.extract(fixture_lines("edu_tasklet_work"))
        self.assertEqual(text[0], "# tracer: nop")
        records = [line for line in text if not line.startswith("#")]
        self.assertTrue(records)
        for line in records:
            self.assertRegex(line, r"^ {0,16}\S+-\d+ +\[\d{3}\] [.dbD][.N][.hsHzZ][.\da-f+] +\d+\.\d{6}: "
                                   r"[a-z_]+: ")
        self.assertTrue(any(": irq_handler_entry: irq=" in line and "name=edu0" in line
                            for line in records))


class BrokenTraces(unittest.TestCase):
    """The checks fail where they should."""

    def test_good_tiny_trace(self):
        trace = tiny_trace([x("vector 0x20 (irq 10)", 10.0, 5.0), x("irq 10: edu0", 11.0, 2.0)])
        self.assertEqual(te.check_trace(trace), [])

    def test_overlap_without_nesting(self):
        trace = tiny_trace([x("a", 10.0, 5.0), x("b", 12.0, 5.0)])
        self.assertTrue(any("overlaps" in p for p in te.check_trace(trace)))

    def test_siblings_touching_are_fine(self):
        trace = tiny_trace([x("a", 10.0, 5.0), x("b", 15.0, 1.0), x("c", 15.5, 0.2)])
        self.assertEqual(te.check_trace(trace), [])

    def test_track_without_name_and_bad_fields(self):
        trace = tiny_trace([x("a", 10.0, 1.0, tid=99), {"ph": "Q", "name": "q", "pid": 1000000,
                                                         "tid": 1000000, "ts": 1}])
        problems = te.check_trace(trace)
        self.assertTrue(any("no thread_name" in p for p in problems))
        self.assertTrue(any("unknown phase" in p for p in problems))
        bad = tiny_trace([x("a", -1, 1.0), x("b", 3, -2)])
        self.assertEqual(len(te.check_trace(bad)), 2)

    def test_flows(self):
        s = {"ph": "s", "name": "raise", "cat": "flow", "pid": 1000000, "tid": 1000000, "id": 1, "ts": 11.0}
        f = {"ph": "f", "name": "raise", "cat": "flow", "pid": 1000000, "tid": 1000000, "id": 1,
             "ts": 20.001, "bp": "e"}
        base = [x("irq 10: edu0", 10.0, 2.0), x("softirq TASKLET", 20.0, 1.0)]
        self.assertEqual(te.check_trace(tiny_trace(base + [s, f])), [])
        self.assertTrue(te.check_trace(tiny_trace(base + [s, s, f])))           # two starts
        early = dict(f, ts=5.0)
        self.assertTrue(any("before" in p for p in te.check_trace(tiny_trace(base + [s, early]))))
        t = te.Trace(tiny_trace(base + [s, f]))
        (target,) = t.flow_ends(t.slices[(1000000, 1000000)][0], "raise")
        self.assertEqual(target.name, "softirq TASKLET")

    def test_missing_stage_breaks_the_edu_story(self):
        trace = fixture_trace("edu_tasklet_work")
        no_queue_flows = copy.deepcopy(trace)
        no_queue_flows["traceEvents"] = [e for e in trace["traceEvents"]
                                         if not (e["ph"] in "sf" and e["name"] == "queue_work")]
        problems = te.check_scenario(no_queue_flows, "edu_tasklet_work")
        self.assertTrue(problems)
        self.assertIn("found 0", problems[0])
        not_kworker = copy.deepcopy(trace)
        for e in not_kworker["traceEvents"]:
            if e["ph"] == "M" and e["name"] == "thread_name" and e["args"]["name"].startswith("kworker"):
                e["args"]["name"] = "someone"
        self.assertTrue(te.check_scenario(not_kworker, "edu_tasklet_work"))

    def test_other_scenarios_do_not_match(self):
        trace = fixture_trace("edu_tasklet_work")
        self.assertTrue(te.check_scenario(trace, "softirq_flood"))
        self.assertTrue(te.check_scenario(trace, "threaded_oneshot"))
        self.assertTrue(te.check_scenario(trace, "no_such_scenario"))
        self.assertTrue(te.check_scenario(fixture_trace("threaded_oneshot"), "edu_tasklet_work"))

    def test_flood_without_handover(self):
        trace = fixture_trace("softirq_flood")
        for e in trace["traceEvents"]:
            if e["ph"] == "M" and e["args"].get("name", "").startswith("ksoftirqd"):
                e["args"]["name"] = "worker"
        problems = te.check_scenario(trace, "softirq_flood")
        self.assertTrue(any("not handed over" in p for p in problems))


class CommandLine(unittest.TestCase):
    def test_main_writes_json_and_text(self):
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "console.log")
            with open(log, "w") as f:
                f.write("\n".join(fixture_lines("threaded_oneshot")) + "\n")
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                status = te.main([log, "--json", os.path.join(d, "t.json"),
                                  "--text", os.path.join(d, "t.txt"), "--scenario", "threaded_oneshot"])
            self.assertEqual(status, 0, err.getvalue())
            with open(os.path.join(d, "t.json")) as f:
                self.assertEqual(te.check_trace(json.load(f)), [])
            with open(os.path.join(d, "t.txt")) as f:
                self.assertTrue(f.read().startswith("# tracer: nop\n"))
            self.assertIn("perfetto", out.getvalue())

    def test_main_fails_without_a_dump(self):
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "console.log")
            with open(log, "w") as f:
                f.write("no trace here\n")
            with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                self.assertEqual(te.main([log, "--json", os.path.join(d, "t.json")]), 1)


class KtestBootCheck(unittest.TestCase):
    """tools/ktest.py checks the trace of a boot test that runs a scenario."""

    def test_scenario_boot_passes_with_a_good_trace(self):
        lines = [ktap.clean(line) for line in fixture_lines("edu_tasklet_work")]
        case = ktap.Case("trace_scenario", "pass")
        self.assertIs(ktest.trace_checked(case, "trace.scenario=edu_tasklet_work", lines), case)

    def test_scenario_boot_fails_without_a_trace(self):
        case = ktest.trace_checked(ktap.Case("trace_scenario", "pass"),
                                   "trace.scenario=edu_tasklet_work", ["booted", "done"])
        self.assertEqual(case.status, "fail")
        self.assertTrue(case.diagnostics[0].startswith("trace check: "))

    def test_other_boots_are_left_alone(self):
        case = ktap.Case("acpi_off", "pass")
        self.assertIs(ktest.trace_checked(case, "acpi=off", []), case)
        failed = ktap.Case("trace_scenario", "fail", diagnostics=["exit"])
        self.assertIs(ktest.trace_checked(failed, "trace.scenario=ipi", []), failed)


if __name__ == "__main__":
    unittest.main()
