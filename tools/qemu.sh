#!/bin/sh
# qemu.sh ISO [QEMU ARGS...]
# Start QEMU on ISO with the machine the knobs describe: ACCEL (tcg|kvm),
# SMP, MEM (MiB), CPU, MACHINE (pc|q35), QEMU_EXTRA. The isa-debug-exit
# device lets the kernel end QEMU with a status code. Used by `make run`,
# `make debug` and tools/ktest.py, so all three boot the same machine.
set -e
iso=$1
shift
[ -n "$iso" ] || { echo "usage: $0 ISO [QEMU ARGS...]" >&2; exit 2; }
case ${ACCEL:-tcg} in
tcg|kvm) ;;
*) echo "qemu.sh: ACCEL must be tcg or kvm, not '$ACCEL'" >&2; exit 2 ;;
esac
if [ "${ACCEL:-tcg}" = kvm ] && [ ! -w /dev/kvm ]; then
	echo "qemu.sh: ACCEL=kvm but /dev/kvm is not usable; use ACCEL=tcg" >&2
	exit 2
fi
# shellcheck disable=SC2086
exec qemu-system-x86_64 \
	-accel "${ACCEL:-tcg}" \
	-machine "${MACHINE:-pc}" \
	-cpu "${CPU:-qemu64}" \
	-smp "${SMP:-1}" \
	-m "${MEM:-512}" \
	-no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-cdrom "$iso" \
	"$@" ${QEMU_EXTRA:-}
