#!/bin/sh
# Say exactly which tools are missing for building and booting the kernel,
# and which Debian/Ubuntu package provides each; exit 1 if any is missing.
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
if [ -n "$missing" ]; then
	echo "missing:$missing" >&2
	echo "install them with: make deps   (or: sudo apt-get install$pkgs)" >&2
	exit 1
fi
exit 0
