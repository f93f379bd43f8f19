#!/bin/sh
# bench.sh ISO [LOG]
# Boot ISO (built with `bench.run=1` on its command line, see `make bench`)
# on the machine the Linux peer uses (../shared/peers/linux/run.sh): QEMU
# pc, 2 CPUs, 512 MiB, qemu64, one edu device. Save the serial console to
# LOG (default build/bench-ours.log), print the `BENCH` lines on stdout and
# the `BENCHINFO`/`BENCHERR` lines on stderr, as the peer's run.sh does.
#
# Exit status: 0 when the suite reached BENCHDONE and the kernel ended QEMU
# with status 33 (every benchmark ran); 2 when it reached BENCHDONE but
# QEMU's status was another one (some benchmark reported BENCHERR); 1 when
# it never reached BENCHDONE (crash, hang, time limit) or printed no BENCH
# line.
#
# Environment: ACCEL (tcg|kvm, default tcg), ICOUNT=1 (adds
# `-icount shift=auto`: the guest's clock follows the instruction count),
# QEMU_EXTRA (more QEMU arguments), BENCH_TIMEOUT (seconds before QEMU is
# killed; default 300, 900 with ICOUNT=1).
set -u
iso=${1:-}
log=${2:-build/bench-ours.log}
[ -n "$iso" ] || { echo "usage: $0 ISO [LOG]" >&2; exit 2; }
[ -r "$iso" ] || { echo "bench.sh: $iso not found" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

extra=${QEMU_EXTRA:-}
limit=300
if [ "${ICOUNT:-0}" = 1 ]; then
	# A fixed shift stalls Linux's boot in this QEMU (7.2); auto works.
	extra="$extra -icount shift=auto"
	limit=900
fi
limit=${BENCH_TIMEOUT:-$limit}
case $limit in
'' | *[!0-9]*) echo "bench.sh: BENCH_TIMEOUT must be whole seconds, not '$limit'" >&2; exit 2 ;;
esac

mkdir -p "$(dirname "$log")"
echo "bench.sh: booting $iso (pc, 2 CPUs, 512 MiB, one edu${extra:+,$extra}; log: $log)" >&2
start=$(date +%s)
# The peer's machine, whatever SMP/MEM/MACHINE/CPU/EDU say for `make run`.
# `timeout` stops QEMU (and -k kills it if TERM is not enough).
SMP=2 MEM=512 MACHINE=pc CPU=qemu64 EDU=1 QEMU_EXTRA="$extra" \
	timeout -k 10 "$limit" sh "$here/qemu.sh" "$iso" \
	-display none -serial stdio -monitor none </dev/null >"$log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
case $rc in
124 | 137) echo "bench.sh: time limit ${limit}s reached; QEMU stopped" >&2 ;;
*) echo "bench.sh: qemu exited rc=$rc after $secs s" >&2 ;;
esac

# The section between BENCHSTART and BENCHDONE; firmware escapes may share
# the BENCHSTART line, and a printk timestamp may precede a line.
out=$(tr -d '\r' <"$log" | sed -n '/BENCHSTART/,/BENCHDONE/p' |
	sed -e 's/^\[[ 0-9.]*\] //' | grep -E '^BENCH')
printf '%s\n' "$out" | grep -E '^BENCH(INFO|ERR)' >&2
printf '%s\n' "$out" | grep '^BENCH '
if ! printf '%s\n' "$out" | grep -q '^BENCHDONE'; then
	grep -a -m3 -E 'Oops|Kernel panic|BUG|WARNING' "$log" >&2
	echo "bench.sh: error: the suite did not reach BENCHDONE (see $log)" >&2
	exit 1
fi
if ! printf '%s\n' "$out" | grep -q '^BENCH '; then
	echo "bench.sh: error: no BENCH lines (see $log)" >&2
	exit 1
fi
if [ "$rc" -ne 33 ]; then
	echo "bench.sh: warning: QEMU exit status $rc, not 33: some benchmarks failed (BENCHERR above)" >&2
	exit 2
fi
exit 0
