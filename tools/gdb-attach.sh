#!/bin/sh
# gdb-attach.sh KERNEL.elf [gdb args...]
# Attach gdb, with the kernel's symbols and helpers (tools/gdbinit), to a
# QEMU that is already running with its gdb stub on: `make run GDB=1` in
# one terminal, `make gdb` in another. Attaching stops the machine where
# it is; `continue` lets it run on, Ctrl-C stops it again, `detach` leaves
# it running without gdb. GDB_PORT picks the port (1234), as for make run.
set -e
elf=$1
[ -n "$elf" ] || { echo "usage: $0 KERNEL.elf [gdb args...]" >&2; exit 2; }
shift
here=$(cd "$(dirname "$0")/.." && pwd)
port=${GDB_PORT:-1234}
cd "$here"
exec gdb -q -x tools/gdbinit \
	-ex "file $elf" \
	-ex "target remote :$port" \
	"$@"
