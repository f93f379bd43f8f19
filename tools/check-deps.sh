#!/bin/sh
# Say exactly which tools are missing for building and booting the kernel,
# and which Debian/Ubuntu package provides each; exit 1 if any is missing.
# Optional parts, checked only when asked: check-deps.sh uefi (FIRMWARE=uefi:
# OVMF and GRUB's EFI image), check-deps.sh bochs (make test-bochs).
missing=""
pkgs=""
need() {	# need COMMAND PACKAGE
	if ! command -v "$1" >/dev/null 2>&1; then
		missing="$missing $1"
		case " $pkgs " in *" $2 "*) ;; *) pkgs="$pkgs $2" ;; esac
	fi
}
need gcc gcc
need ld binutils
need nm binutils
need make make
need nasm nasm
need python3 python3
need grub-mkrescue grub-common
need xorriso xorriso
need mformat mtools
need qemu-system-x86_64 qemu-system-x86
need gdb gdb
if [ ! -d /usr/lib/grub/i386-pc ]; then
	missing="$missing /usr/lib/grub/i386-pc(GRUB's BIOS modules)"
	pkgs="$pkgs grub-pc-bin"
fi
for extra in "$@"; do
	case $extra in
	uefi)
		if [ ! -r /usr/share/OVMF/OVMF_CODE_4M.fd ] && [ ! -r /usr/share/OVMF/OVMF_CODE.fd ]; then
			missing="$missing /usr/share/OVMF/OVMF_CODE*.fd(UEFI firmware)"
			pkgs="$pkgs ovmf"
		fi
		if [ ! -d /usr/lib/grub/x86_64-efi ]; then
			missing="$missing /usr/lib/grub/x86_64-efi(GRUB's EFI modules)"
			pkgs="$pkgs grub-efi-amd64-bin"
		fi
		;;
	bochs)
		need bochs bochs
		if [ ! -r /usr/share/bochs/BIOS-bochs-latest ]; then
			missing="$missing /usr/share/bochs/BIOS-bochs-latest"
			pkgs="$pkgs bochsbios"
		fi
		if [ ! -r /usr/share/bochs/VGABIOS-lgpl-latest ]; then
			missing="$missing /usr/share/bochs/VGABIOS-lgpl-latest"
			pkgs="$pkgs vgabios"
		fi
		;;
	esac
done
if [ -n "$missing" ]; then
	echo "missing:$missing" >&2
	echo "install them with: make deps   (or: sudo apt-get install$pkgs)" >&2
	exit 1
fi
exit 0
