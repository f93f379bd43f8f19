#!/usr/bin/env python3
"""Take the kernel's trace out of a serial console log and check it.

The kernel's `trace dump` (and a trace.scenario= boot) prints Chrome Trace
Event JSON, one event per line, between "TRACEJSON BEGIN" and "TRACEJSON
END"; a scenario boot also prints the ftrace-like text view between
"TRACETEXT BEGIN" and "TRACETEXT END". This tool writes them to
build/trace.json (open it in ui.perfetto.dev or chrome://tracing) and
build/trace.txt, and checks them:

  - the JSON parses (a line another CPU printed into the block is dropped
    and reported) and is valid Trace Event Format as the kernel writes it:
    known phases, numeric timestamps, a named process per CPU and a named
    thread per track, properly nested complete events on every track,
    flow arrows with one start and at most one end;
  - with --scenario, the story that scenario tells is there, e.g. for
    edu_tasklet_work: three times vector -> handler -> (raise) softirq
    TASKLET -> tasklet -> (queue_work) work item in a kworker.

tools/ktest.py uses check_log() on boot tests that run a scenario.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

JSON_BEGIN, JSON_END = "TRACEJSON BEGIN", "TRACEJSON END"
TEXT_BEGIN, TEXT_END = "TRACETEXT BEGIN", "TRACETEXT END"
PHASES = {"X", "i", "s", "f", "M"}
TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\] ")

# What each scenario does (kernel/trace/scenarios.c).
STORY_EVENTS = 3            # edu_tasklet_work and threaded_oneshot: interrupts raised
FLOOD_RUNS = 60             # softirq_flood: softirq runs
MAX_SOFTIRQ_RESTART = 10    # runs at most in one pass before ksoftirqd takes over


# ---- extraction ------------------------------------------------------------

def _block(lines: list[str], begin: str, end: str) -> list[str] | None:
    """The lines strictly between the last begin marker and the end marker after it."""
    clean = [line.rstrip("\r\n") for line in lines]
    starts = [i for i, line in enumerate(clean) if line.strip() == begin]
    if not starts:
        return None
    start = starts[-1] + 1
    for i in range(start, len(clean)):
        if clean[i].strip() == end:
            return clean[start:i]
    return None


def extract(lines: list[str]) -> tuple[list[str] | None, list[str] | None]:
    """The JSON block and the text-view block of a console log (None where absent or cut off)."""
    return _block(lines, JSON_BEGIN, JSON_END), _block(lines, TEXT_BEGIN, TEXT_END)


def parse_json(block: list[str]) -> tuple[dict, list[str]]:
    """Parse the JSON block. If lines printed by something else got in, parse it
    event by event, dropping what is not an event; returns (trace, dropped lines)."""
    try:
        return json.loads("\n".join(block)), []
    except json.JSONDecodeError:
        pass
    events, dropped, tail = [], [], {}
    for line in block:
        text = line.strip()
        if text.startswith('{"traceEvents":['):
            continue
        if text.startswith("],"):
            try:
                tail = json.loads("{" + text[2:])
            except json.JSONDecodeError:
                dropped.append(line)
            continue
        try:
            events.append(json.loads(text.lstrip(",")))
        except json.JSONDecodeError:
            dropped.append(line)
    return {"traceEvents": events, **tail}, dropped


# ---- the trace as tracks, slices and flows ---------------------------------

def _ns(value) -> int:
    """Microseconds (to the ns, as the kernel prints them) as integer nanoseconds."""
    return round(float(value) * 1000)


@dataclass
class Slice:
    name: str
    cat: str
    track: tuple[int, int]
    start: int
    end: int
    args: dict
    children: list["Slice"] = field(default_factory=list)

    def contains(self, other: "Slice") -> bool:
        return self.track == other.track and self.start <= other.start and other.end <= self.end


@dataclass
class Flow:
    name: str
    start: tuple[tuple[int, int], int] | None = None    # (track, ns)
    end: tuple[tuple[int, int], int] | None = None
    starts: int = 0
    ends: int = 0


class Trace:
    """The events of one dump, indexed for the checks."""

    def __init__(self, trace: dict):
        self.raw = trace
        self.events = trace.get("traceEvents", []) if isinstance(trace, dict) else []
        self.process_names: dict[int, str] = {}
        self.thread_names: dict[tuple[int, int], str] = {}
        self.slices: dict[tuple[int, int], list[Slice]] = {}
        self.instants: list[dict] = []
        self.flows: dict[int, Flow] = {}
        for ev in self.events:
            if not isinstance(ev, dict):
                continue
            ph, track = ev.get("ph"), (ev.get("pid"), ev.get("tid"))
            if ph == "M" and ev.get("name") == "process_name":
                self.process_names[ev.get("pid")] = ev.get("args", {}).get("name", "")
            elif ph == "M" and ev.get("name") == "thread_name":
                self.thread_names[track] = ev.get("args", {}).get("name", "")
            elif ph == "X":
                start = _ns(ev["ts"])
                self.slices.setdefault(track, []).append(
                    Slice(ev.get("name", ""), ev.get("cat", ""), track, start,
                          start + _ns(ev["dur"]), ev.get("args", {})))
            elif ph == "i":
                self.instants.append(ev)
            elif ph in ("s", "f"):
                flow = self.flows.setdefault(ev.get("id"), Flow(ev.get("name", "")))
                if ph == "s":
                    flow.starts += 1
                    flow.start = (track, _ns(ev["ts"]))
                else:
                    flow.ends += 1
                    flow.end = (track, _ns(ev["ts"]))
        for track in self.slices:
            self.slices[track].sort(key=lambda s: (s.start, -(s.end - s.start)))

    def all_slices(self):
        for track_slices in self.slices.values():
            yield from track_slices

    def enclosing(self, track: tuple[int, int], ns: int) -> Slice | None:
        """The innermost slice of track open at ns (what a flow event binds to)."""
        best = None
        for s in self.slices.get(track, []):
            if s.start <= ns <= s.end and (best is None or s.end - s.start <= best.end - best.start):
                best = s
        return best

    def flow_ends(self, source: Slice, name: str) -> list[Slice]:
        """The slices that flows called name leave source for."""
        out = []
        for flow in self.flows.values():
            if flow.name != name or not flow.start or not flow.end:
                continue
            if self.enclosing(*flow.start) is source:
                target = self.enclosing(*flow.end)
                if target is not None:
                    out.append(target)
        return out

    def track_name(self, track: tuple[int, int]) -> str:
        return self.thread_names.get(track, "")


# ---- checks ----------------------------------------------------------------

def check_trace(trace: dict) -> list[str]:
    """Problems with the trace as Trace Event Format ([] if none)."""
    problems = []
    if not isinstance(trace, dict) or not isinstance(trace.get("traceEvents"), list):
        return ["no traceEvents list"]
    t = Trace(trace)
    if not [e for e in t.events if isinstance(e, dict) and e.get("ph") != "M"]:
        problems.append("no events")
    used = set()
    for n, ev in enumerate(t.events):
        where = f"event {n}"
        if not isinstance(ev, dict):
            problems.append(f"{where}: not an object")
            continue
        ph = ev.get("ph")
        if ph not in PHASES:
            problems.append(f"{where}: unknown phase {ph!r}")
        if not isinstance(ev.get("name"), str):
            problems.append(f"{where}: no name")
        if not isinstance(ev.get("pid"), int) or not isinstance(ev.get("tid"), int):
            problems.append(f"{where}: pid and tid must be integers")
        if ph != "M":
            if not isinstance(ev.get("ts"), (int, float)) or ev["ts"] < 0:
                problems.append(f"{where}: bad ts {ev.get('ts')!r}")
            used.add((ev.get("pid"), ev.get("tid")))
        if ph == "X" and (not isinstance(ev.get("dur"), (int, float)) or ev["dur"] < 0):
            problems.append(f"{where}: bad dur {ev.get('dur')!r}")
        if ph in ("s", "f") and not isinstance(ev.get("id"), int):
            problems.append(f"{where}: flow without an id")
    for pid, tid in sorted(used, key=str):
        if not re.fullmatch(r"CPU \d+", t.process_names.get(pid, "")):
            problems.append(f"pid {pid}: no process_name \"CPU n\"")
        if not t.thread_names.get((pid, tid)):
            problems.append(f"track {pid}/{tid}: no thread_name")
    for track, slices in t.slices.items():
        stack: list[Slice] = []
        for s in slices:
            while stack and s.start >= stack[-1].end and not stack[-1].contains(s):
                stack.pop()
            if stack and not stack[-1].contains(s):
                problems.append(f"track {track[0]}/{track[1]}: \"{s.name}\" at {s.start} ns "
                                f"overlaps \"{stack[-1].name}\" without nesting in it")
                continue
            stack.append(s)
    for fid, flow in t.flows.items():
        if flow.starts != 1 or flow.ends > 1:
            problems.append(f"flow {fid}: {flow.starts} starts and {flow.ends} ends")
        elif flow.end and flow.end[1] < flow.start[1]:
            problems.append(f"flow {fid} ({flow.name}) ends before it starts")
    return problems


def _story_edu_tasklet_work(t: Trace) -> list[str]:
    handlers = [s for s in t.all_slices() if s.cat == "irq"
                and re.fullmatch(r"irq \d+: (edu0|trace-sim)", s.name)]
    chains = 0
    notes = []
    for h in handlers:
        irq = h.name.split(":")[0].split()[1]
        vector = t.enclosing(h.track, h.start)
        vectors = [s for s in t.slices[h.track] if s.cat == "vector" and s.contains(h)]
        if not any(f"(irq {irq})" in v.name for v in vectors):
            notes.append(f"{h.name} at {h.start} ns: not inside its vector's slice "
                         f"(enclosed by {vector.name if vector else 'nothing'})")
            continue
        softirqs = [s for s in t.flow_ends(h, "raise") if s.name == "softirq TASKLET"]
        if not softirqs:
            notes.append(f"{h.name} at {h.start} ns: no raise arrow to a TASKLET softirq")
            continue
        tasklets = [s for s in t.slices[softirqs[0].track]
                    if s.name == "tasklet story_tasklet" and softirqs[0].contains(s)]
        if not tasklets:
            notes.append(f"softirq TASKLET at {softirqs[0].start} ns: no tasklet story_tasklet in it")
            continue
        works = [s for s in t.flow_ends(tasklets[0], "queue_work") if s.name == "work story_work"]
        if not works:
            notes.append(f"tasklet at {tasklets[0].start} ns: no queue_work arrow to work story_work")
            continue
        if not t.track_name(works[0].track).startswith("kworker/"):
            notes.append(f"work story_work ran on {t.track_name(works[0].track)!r}, not a kworker")
            continue
        if not h.start < softirqs[0].start < tasklets[0].start < works[0].start:
            notes.append(f"{h.name} at {h.start} ns: stages out of order")
            continue
        chains += 1
    if chains != STORY_EVENTS:
        return [f"expected {STORY_EVENTS} chains vector -> handler -> softirq TASKLET -> tasklet "
                f"-> kworker work item, found {chains}"] + notes
    return []


def _story_softirq_flood(t: Trace) -> list[str]:
    runs = [s for s in t.all_slices() if s.name == "softirq NET_RX"]
    in_irq = [s for s in runs if t.track_name(s.track).endswith("irq/softirq")]
    in_thread = [s for s in runs if t.track_name(s.track).startswith("ksoftirqd/")]
    problems = []
    if len(runs) != FLOOD_RUNS:
        problems.append(f"expected {FLOOD_RUNS} NET_RX softirq runs, found {len(runs)}")
    if not 1 <= len(in_irq) <= MAX_SOFTIRQ_RESTART:
        problems.append(f"expected 1 to {MAX_SOFTIRQ_RESTART} runs on the way out of the "
                        f"interrupt, found {len(in_irq)}")
    if not in_thread:
        problems.append("no NET_RX run in ksoftirqd: the flood was not handed over")
    elif in_irq and min(s.start for s in in_thread) < max(s.start for s in in_irq):
        problems.append("ksoftirqd ran the softirq before the interrupt's pass ended")
    handlers = [s for s in t.all_slices() if s.cat == "irq" and s.name.startswith("irq ")]
    if not any(s.name == "softirq NET_RX" for h in handlers for s in t.flow_ends(h, "raise")):
        problems.append("no raise arrow from the interrupt handler to the first NET_RX run")
    return problems


def _story_threaded_oneshot(t: Trace) -> list[str]:
    wakes = [e for e in t.instants if e.get("name", "").startswith("irq_thread_wake")]
    woken = 0
    for flow in t.flows.values():
        if flow.name == "irq thread" and flow.end:
            target = t.enclosing(*flow.end)
            if target is not None and t.track_name(target.track).startswith("irq/"):
                woken += 1
    problems = []
    if len(wakes) != STORY_EVENTS:
        problems.append(f"expected {STORY_EVENTS} irq_thread_wake events, found {len(wakes)}")
    if woken != STORY_EVENTS:
        problems.append(f"expected {STORY_EVENTS} arrows from a wake-up to the irq thread running, "
                        f"found {woken}")
    return problems


def _story_ipi(t: Trace) -> list[str]:
    sends = [e for e in t.instants if e.get("name", "").startswith("ipi_send")]
    landed = 0
    for flow in t.flows.values():
        if flow.name == "ipi" and flow.end and flow.start[0][0] != flow.end[0][0]:
            target = t.enclosing(*flow.end)
            if target is not None and "Function call interrupts" in target.name:
                landed += 1
    problems = []
    if not sends:
        problems.append("no ipi_send events")
    if not landed:
        problems.append("no arrow from an IPI to a function-call vector on another CPU")
    return problems


SCENARIOS = {
    "edu_tasklet_work": _story_edu_tasklet_work,
    "softirq_flood": _story_softirq_flood,
    "threaded_oneshot": _story_threaded_oneshot,
    "ipi": _story_ipi,
}


def check_scenario(trace: dict, scenario: str) -> list[str]:
    if scenario not in SCENARIOS:
        return [f"unknown scenario {scenario!r}"]
    return SCENARIOS[scenario](Trace(trace))


def check_log(lines: list[str], scenario: str | None = None) -> list[str]:
    """Everything wrong with the trace in a console log ([] if it is good)."""
    lines = [TIMESTAMP_RE.sub("", line) for line in lines]
    block, _ = extract(lines)
    if block is None:
        return [f"no complete {JSON_BEGIN} ... {JSON_END} block in the log"]
    trace, dropped = parse_json(block)
    problems = [f"dropped a line that is not JSON: {line[:100]}" for line in dropped]
    problems += check_trace(trace)
    if scenario and not problems:
        problems += check_scenario(trace, scenario)
    return problems


# ---- command line ----------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("log", help="serial console log")
    ap.add_argument("--json", default="build/trace.json", help="where the JSON goes")
    ap.add_argument("--text", default="build/trace.txt", help="where the text view goes")
    ap.add_argument("--scenario", help="also check the story of this scenario")
    opts = ap.parse_args(argv)

    lines = [TIMESTAMP_RE.sub("", line) for line in
             Path(opts.log).read_text(errors="replace").splitlines()]
    block, text = extract(lines)
    if block is None:
        print(f"{opts.log}: no complete {JSON_BEGIN} ... {JSON_END} block", file=sys.stderr)
        return 1
    trace, dropped = parse_json(block)
    Path(opts.json).parent.mkdir(parents=True, exist_ok=True)
    Path(opts.json).write_text(json.dumps(trace, indent=None, separators=(",", ":")) + "\n")
    if text is not None:
        Path(opts.text).write_text("\n".join(text) + "\n")
    problems = [f"dropped a line that is not JSON: {line[:100]}" for line in dropped]
    problems += check_trace(trace)
    if opts.scenario and not problems:
        problems += check_scenario(trace, opts.scenario)
    t = Trace(trace)
    print(f"{opts.json}: {len(t.events)} events, {len(t.process_names)} CPUs, "
          f"{len(t.thread_names)} tracks, {len(t.flows)} flows"
          + (f"; {opts.text}" if text is not None else ""))
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    if not problems:
        print("open it in https://ui.perfetto.dev (Open trace file) or chrome://tracing (Load)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
