#!/bin/sh
# test-debug.sh KERNEL.elf BUILD_DIR
# Check the `make debug` workflow without a person at the keyboard: start
# QEMU paused under gdb (tools/debug.sh), let the C entry breakpoint hit,
# then stop in the #BP handler during the exceptions.breakpoint test and
# check that `bt` walks from the handler through the exception frame into
# the interrupted test case and on to the bottom of the test thread's stack
# (ret_from_fork, where every kernel thread starts).
set -u
elf=$1 build=$2
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/test/debug
mkdir -p "$dir"
"$here/tools/mkiso.sh" "$elf" "$dir/debug.iso" "ktest.run=1 ktest.filter=exceptions.breakpoint" || exit 1
cat > "$dir/session.gdb" <<'GDB'
info symbol $pc
break do_int3
continue
bt
GDB
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GDB_PORT=$port DEBUG_SERIAL_LOG=$dir/serial.log timeout 120 \
	"$here/tools/debug.sh" "$dir/debug.iso" "$elf" -batch -x "$dir/session.gdb" > "$dir/gdb.log" 2>&1
failed=0
check() {	# check DESCRIPTION EXTENDED-REGEX
	if grep -Eq "$2" "$dir/gdb.log"; then
		echo "debug: ok: $1"
	else
		echo "debug: FAILED: $1 (no match for /$2/ in $dir/gdb.log)"
		failed=1
	fi
}
check "the breakpoint on the C entry point hits" '^(Thread [0-9]+ hit )?Breakpoint 1, x86_64_start_kernel'
check "symbols resolve in the higher half" 'x86_64_start_kernel in section \.text'
check "a breakpoint in an exception handler hits" '^#0  do_int3 \(regs='
check "bt goes through the entry code" '^#[0-9]+ +0x[0-9a-f]+ in x86_entry_paranoid'
check "bt crosses the exception frame into the interrupted code" '^#[0-9]+ +0x[0-9a-f]+ in breakpoint \(t='
check "bt reaches the bottom of the kernel stack" 'in ret_from_fork \(\)'
[ $failed = 0 ] || { echo "--- $dir/gdb.log:"; tail -20 "$dir/gdb.log"; }
exit $failed
