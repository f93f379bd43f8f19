#!/bin/sh
# qemu.sh ISO [QEMU ARGS...]
# Start QEMU on ISO with the machine the knobs describe: ACCEL (tcg|kvm),
# SMP, MEM (MiB), CPU, MACHINE (pc|q35), FIRMWARE (bios|uefi), EDU,
# QEMU_EXTRA. The isa-debug-exit
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
# FIRMWARE=uefi: OVMF (package ovmf) as two flash chips, its code read-only
# and a private copy of its variable store (OVMF_VARS_FILE, default
# build/OVMF_VARS.fd, copied afresh when missing), so that a boot never
# writes to the installed template. GRUB's EFI image on the hybrid ISO
# (tools/mkiso.sh) then loads the kernel; there is no VGA text mode, only
# the GOP framebuffer.
firmware_args=
case ${FIRMWARE:-bios} in
bios) ;;
uefi)
	ovmf_dir=${OVMF_DIR:-/usr/share/OVMF}
	code=$ovmf_dir/OVMF_CODE_4M.fd vars=$ovmf_dir/OVMF_VARS_4M.fd
	if [ ! -r "$code" ]; then
		code=$ovmf_dir/OVMF_CODE.fd vars=$ovmf_dir/OVMF_VARS.fd
	fi
	if [ ! -r "$code" ] || [ ! -r "$vars" ]; then
		echo "qemu.sh: FIRMWARE=uefi needs OVMF (apt-get install ovmf): no $code" >&2
		exit 2
	fi
	vars_copy=${OVMF_VARS_FILE:-build/OVMF_VARS.fd}
	if [ ! -s "$vars_copy" ] || [ "$(stat -c %s "$vars_copy")" != "$(stat -c %s "$vars")" ]; then
		mkdir -p "$(dirname "$vars_copy")"
		cp "$vars" "$vars_copy.$$" && mv "$vars_copy.$$" "$vars_copy"
	fi
	firmware_args="-drive if=pflash,format=raw,unit=0,readonly=on,file=$code
		-drive if=pflash,format=raw,unit=1,file=$vars_copy"
	;;
*) echo "qemu.sh: FIRMWARE must be bios or uefi, not '$FIRMWARE'" >&2; exit 2 ;;
esac
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
	$firmware_args \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	$edu_devices \
	-cdrom "$iso" \
	"$@" ${QEMU_EXTRA:-}
