#!/bin/sh
# qemu.sh ISO [QEMU ARGS...]
# Start QEMU on ISO with the machine the knobs describe: ACCEL (tcg|kvm),
# SMP, MEM (MiB), CPU, MACHINE (pc|q35), EDU, QEMU_EXTRA. The isa-debug-exit
# device lets the kernel end QEMU with a status code. Used by `make run`,
# `make debug` and tools/ktest.py, so all three boot the same machine.
#
# EDU=n (0-5, default 2): that many QEMU `edu` PCI devices (1234:11e8,
# QEMU docs/specs/edu.rst) at slots 5, 9, 13, 17, 21, all on one INTx
# line on both machines. INTA# of slot s goes to PIRQ (s - 1) mod 4 on pc
# (PIIX3) and to PIRQ E + s mod 4 on q35 (ICH9), so slots 4 apart share a
# PIRQ: A on pc, F on q35 (I/O APIC input 21), which no default device
# uses. SeaBIOS routes both to IRQ 10 of the 8259 (on q35 shared with the
# SATA and SMBus functions at slot 31, which use PIRQ A).
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
case ${EDU:-2} in
[0-5]) ;;
*) echo "qemu.sh: EDU must be 0 to 5, not '$EDU'" >&2; exit 2 ;;
esac
edu_devices=
i=0
while [ "$i" -lt "${EDU:-2}" ]; do
	edu_devices="$edu_devices -device edu,id=edu$i,addr=$(printf '%02x' $((5 + 4 * i))).0"
	i=$((i + 1))
done
# shellcheck disable=SC2086
exec qemu-system-x86_64 \
	-accel "${ACCEL:-tcg}" \
	-machine "${MACHINE:-pc}" \
	-cpu "${CPU:-qemu64}" \
	-smp "${SMP:-1}" \
	-m "${MEM:-512}" \
	-no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	$edu_devices \
	-cdrom "$iso" \
	"$@" ${QEMU_EXTRA:-}
