#!/bin/sh
# Install what building, booting, testing and debugging the kernel need
# (Debian 12 / Ubuntu 22.04 or newer), and gnuplot for the picture of
# `make bench-compare`.
set -e
PKGS="gcc binutils make nasm python3 qemu-system-x86 grub-pc-bin grub-common xorriso mtools gdb gnuplot-nox"
# Optional: UEFI boots (FIRMWARE=uefi; with grub-efi-amd64-bin the ISO is
# also UEFI-bootable) and make test-bochs.
PKGS="$PKGS ovmf grub-efi-amd64-bin bochs bochsbios vgabios"
# Optional: make lint (cppcheck); clangd and clang-format for editors.
PKGS="$PKGS cppcheck clangd clang-format"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends $PKGS
# The Linux peer of `make bench-compare` (PEER_DIR/run.sh) boots Debian's
# own kernel; its run.sh installs these itself when it runs as root.
echo "install-deps: for make bench-compare, the Linux peer also needs" \
	"linux-image-amd64 linux-headers-amd64 busybox-static cpio" \
	"(its run.sh installs them when run as root)"
