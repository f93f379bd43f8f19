#!/bin/sh
# trace.sh KERNEL.elf BUILD [SCENARIO]
# `make trace`: boot KERNEL.elf with trace.scenario=SCENARIO (default
# edu_tasklet_work; the kernel runs it with tracing on, prints the text
# view and the JSON on the serial console and ends QEMU), then take
# BUILD/trace.json (Chrome Trace Event Format, for ui.perfetto.dev or
# chrome://tracing) and BUILD/trace.txt (ftrace-like text) out of the
# console log BUILD/trace-console.log and check them
# (tools/trace_extract.py). The machine is tools/qemu.sh's (SMP, MACHINE,
# EDU, ...); CMDLINE adds kernel parameters. TRACE_TIMEOUT (seconds,
# default 300) bounds the boot.
set -e
kernel=$1 build=$2 scenario=${3:-edu_tasklet_work}
[ -n "$kernel" ] && [ -n "$build" ] || { echo "usage: $0 KERNEL.elf BUILD [SCENARIO]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
iso=$build/trace-$scenario.iso log=$build/trace-console.log
"$here/mkiso.sh" "$kernel" "$iso" "trace.scenario=$scenario ${CMDLINE:-}"
echo "booting scenario $scenario (SMP=${SMP:-1} MACHINE=${MACHINE:-pc}); console in $log"
status=0
timeout "${TRACE_TIMEOUT:-300}" "$here/qemu.sh" "$iso" -display none -serial "file:$log" \
	-monitor none </dev/null || status=$?
case $status in
33) ;;
35) echo "the scenario failed (a timeout or no device): the trace shows how far it got" >&2 ;;
124) echo "no end after ${TRACE_TIMEOUT:-300} s; see $log" >&2; exit 1 ;;
*) echo "QEMU ended with status $status (37: the kernel died); see $log" >&2; exit 1 ;;
esac
python3 "$here/trace_extract.py" "$log" --json "$build/trace.json" --text "$build/trace.txt" \
	--scenario "$scenario" || status=1
[ "$status" = 33 ]
