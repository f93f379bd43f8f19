#!/bin/sh
# bochs.sh ISO SERIAL_FILE [WORKDIR]
# Boot ISO (its BIOS side) under Bochs, headless, with COM1 written to
# SERIAL_FILE. BOCHS_CPUS (default 1) and MEM (MiB, default 512) size the
# machine; BOCHS_MODEL is the CPU (`bochs --help cpu` lists them; default
# corei7_sandy_bridge_2600k, 64-bit with NX). The configuration (tools/bochsrc.in filled in), Bochs's own log
# (bochs.log) and the debugger commands go to WORKDIR (default: beside
# SERIAL_FILE). Debian builds Bochs with its debugger, which stops at the
# first instruction: the command file says "continue".
#
# Bochs has no isa-debug-exit: the kernel ends a run through the Bochs
# shutdown port (0x8900, arch/x86_64/reboot.c), after which Bochs exits,
# having printed "isa-debug-exit 0xNN" (the code QEMU would have got) from
# the kernel's writes to port 0xe9. tools/ktest.py --emulator bochs reads
# that and the serial file.
set -e
iso=$1 serial=$2 dir=${3:-$(dirname "$2")}
[ -n "$iso" ] && [ -n "$serial" ] || { echo "usage: $0 ISO SERIAL_FILE [WORKDIR]" >&2; exit 2; }
command -v bochs >/dev/null || { echo "bochs.sh: no bochs (apt-get install bochs bochsbios vgabios)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
: > "$serial"
sed -e "s|@ISO@|$iso|" -e "s|@SERIAL@|$serial|" -e "s|@LOG@|$dir/bochs.log|" \
	-e "s|@MEGS@|${MEM:-512}|" -e "s|@CPUS@|${BOCHS_CPUS:-1}|" \
	-e "s|@MODEL@|${BOCHS_MODEL:-corei7_sandy_bridge_2600k}|" \
	"$here/tools/bochsrc.in" > "$dir/bochsrc"
echo c > "$dir/bochs-cmds"
exec bochs -q -f "$dir/bochsrc" -rc "$dir/bochs-cmds"
