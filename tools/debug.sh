#!/bin/sh
# debug.sh ISO KERNEL.elf [gdb args...]
# Start QEMU paused with its gdb stub, attach gdb with the kernel's symbols
# and stop at the C entry point (x86_64_start_kernel). The serial console
# goes to build/debug-serial.log (follow it with `tail -f` in another
# terminal). QEMU stops when gdb exits. GDB_PORT picks the port (1234);
# extra arguments go to gdb (e.g. -batch -x script for scripted sessions).
set -e
iso=$1 elf=$2
[ -n "$iso" ] && [ -n "$elf" ] || { echo "usage: $0 ISO KERNEL.elf [gdb args...]" >&2; exit 2; }
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
port=${GDB_PORT:-1234}
log=${DEBUG_SERIAL_LOG:-$(dirname "$elf")/debug-serial.log}
display="-display none"
[ -n "$GUI" ] && display=
# shellcheck disable=SC2086
"$here/tools/qemu.sh" "$iso" -S -gdb "tcp::$port" -serial "file:$log" -monitor none $display &
qemu=$!
trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null' EXIT INT TERM
echo "debug.sh: QEMU paused (pid $qemu), gdb stub on :$port, serial console in $log" >&2
cd "$here"
gdb -q -x tools/gdbinit \
	-ex "file $elf" \
	-ex "target remote :$port" \
	-ex "hbreak x86_64_start_kernel" \
	-ex "continue" \
	"$@"
