#!/bin/sh
# test-debug.sh KERNEL.elf BUILD_DIR
# Check the `make debug` and `make gdb` workflows without a person at the
# keyboard.
#
# 1. make debug: start QEMU paused under gdb (tools/debug.sh), let the C
#    entry breakpoint hit, then stop in the #BP handler during the
#    exceptions.breakpoint test and check that `bt` walks from the handler
#    through the exception frame into the interrupted test case and on to
#    the bottom of the test thread's stack (ret_from_fork, where every
#    kernel thread starts). There, the introspection commands
#    (tools/gdb/introspect.py) must show the IRQ descriptors, softirq
#    masks, threads, a sleeping thread's backtrace, per-CPU variables and
#    the workqueues; then, stopped in tasklet.disabled_stays_queued with a
#    disabled tasklet queued, `tasklets` must list it.
# 2. make gdb: boot to the shell with the gdb stub on (as `make run GDB=1`),
#    attach (tools/gdb-attach.sh), check the shell thread's backtrace
#    (asleep waiting for a key), detach, and check the machine runs on.
set -u
elf=$1 build=$2
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/test/debug
mkdir -p "$dir"
"$here/tools/mkiso.sh" "$elf" "$dir/debug.iso" \
	"ktest.run=1 ktest.filter=exceptions.breakpoint,tasklet.disabled_stays_queued" || exit 1
cat > "$dir/session.gdb" <<'GDB'
info symbol $pc
break do_int3
continue
bt
irqs
softirq-pending
threads
thread-bt ksoftirqd/0
percpu cpu_number 0
percpu current_task 0
workqueues
delete
break disabled_stays_queued
continue
break tasklet_enable
continue
tasklets
percpu nosuchvar 0
GDB
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
GDB_PORT=$port DEBUG_SERIAL_LOG=$dir/serial.log timeout 120 \
	"$here/tools/debug.sh" "$dir/debug.iso" "$elf" -batch -x "$dir/session.gdb" > "$dir/gdb.log" 2>&1
failed=0
check() {	# check DESCRIPTION EXTENDED-REGEX [LOG]
	if grep -Eq "$2" "${3:-$dir/gdb.log}"; then
		echo "debug: ok: $1"
	else
		echo "debug: FAILED: $1 (no match for /$2/ in ${3:-$dir/gdb.log})"
		failed=1
	fi
}
check "the breakpoint on the C entry point hits" '^(Thread [0-9]+ hit )?Breakpoint 1, x86_64_start_kernel'
check "symbols resolve in the higher half" 'x86_64_start_kernel in section \.text'
check "a breakpoint in an exception handler hits" '^#0  do_int3 \(regs='
check "bt goes through the entry code" '^#[0-9]+ +0x[0-9a-f]+ in x86_entry_paranoid'
check "bt crosses the exception frame into the interrupted code" '^#[0-9]+ +0x[0-9a-f]+ in breakpoint \(t='
check "bt reaches the bottom of the kernel stack" 'in ret_from_fork \(\)'
check "irqs shows a line with chip, counts and action" '^ +4: [A-Za-z-]+ +hwirq 4 +[a-z]+ +depth 0 .* counts [0-9]+ unhandled [0-9]+: serial$'
check "irqs shows the keyboard line" '^ +1: .* hwirq 1 .*: i8042$'
check "softirq-pending shows CPU 0's mask" '^CPU0: 0x[0-9a-f]+ '
check "threads lists init and ksoftirqd" '^ +1 +0 [RS] .* init '
check "threads lists a kworker" ' kworker/0:0 +0x[0-9a-f]+$'
check "thread-bt starts in the scheduler" '^#0  0x[0-9a-f]+ in __schedule'
check "thread-bt goes through schedule() into the thread function" '^#[0-9]+ +0x[0-9a-f]+ in (ksoftirqd|smpboot_thread_fn|run_ksoftirqd)[a-z_]*\+'
check "thread-bt reaches ret_from_fork" '^#[0-9]+ +0x[0-9a-f]+ in ret_from_fork'
check "percpu reads a per-CPU variable" '^per_cpu\(cpu_number, 0\) = 0$'
check "percpu reads a per-CPU pointer" '^per_cpu\(current_task, 0\) = 0x[0-9a-f]{16}$'
check "percpu names an unknown variable" 'no symbol nosuchvar'
check "workqueues shows a workqueue and its pwqs" '^workqueue events: flags 0x0 max_active [0-9]+$'
check "workqueues shows CPU 0's pool and its kworker" '^pool 0: cpu 0 nice 0 workers [0-9]+'
check "workqueues shows the workers" '^  kworker/0:0 +pid [0-9]+ +(idle|runs )'
check "tasklets lists the queued, disabled tasklet" '^  0x[0-9a-f]+ plain_cb state SCHED count 2 \(disabled\)$'
check "tasklets shows the empty HI list" '^CPU0 tasklet_hi_vec: empty$'
[ $failed = 0 ] || { echo "--- $dir/gdb.log:"; tail -40 "$dir/gdb.log"; }

# make gdb: attach to a running kernel that sits in its shell.
"$here/tools/mkiso.sh" "$elf" "$dir/attach.iso" "" || exit 1
port=$(free_port)
log=$dir/attach-serial.log
: > "$log"
"$here/tools/qemu.sh" "$dir/attach.iso" -gdb "tcp::$port" -serial "file:$log" -monitor none \
	-display none &
qemu=$!
trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null' EXIT INT TERM
i=0
until grep -q "Shell on this console" "$log" 2>/dev/null || [ $i -ge 240 ]; do
	sleep 0.5
	i=$((i + 1))
done
cat > "$dir/attach.gdb" <<'GDB'
threads
thread-bt init
detach
GDB
GDB_PORT=$port timeout 120 "$here/tools/gdb-attach.sh" "$elf" -batch -x "$dir/attach.gdb" \
	> "$dir/attach.log" 2>&1
sleep 1
check "make gdb attaches to a running kernel" '^ +1 +0 S .* init ' "$dir/attach.log"
check "the shell thread sleeps waiting for a key" '^#[0-9]+ +0x[0-9a-f]+ in console_getc' "$dir/attach.log"
check "its backtrace reaches the shell loop" '^#[0-9]+ +0x[0-9a-f]+ in shell_run' "$dir/attach.log"
if kill -0 $qemu 2>/dev/null; then
	echo "debug: ok: the machine runs on after detach"
else
	echo "debug: FAILED: the machine runs on after detach"
	echo "  QEMU exited when gdb detached"
	failed=1
fi
[ $failed = 0 ] || { echo "--- $dir/attach.log:"; tail -20 "$dir/attach.log"; }
exit $failed
