#!/bin/sh
# Install what building, booting, testing and debugging the kernel need
# (Debian 12 / Ubuntu 22.04 or newer).
set -e
PKGS="gcc binutils make nasm python3 qemu-system-x86 grub-pc-bin grub-common xorriso mtools gdb"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends $PKGS
