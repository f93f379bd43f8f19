#!/bin/sh
# mkiso.sh KERNEL.elf OUT.iso [CMDLINE] [LOADER]
# Make a bootable GRUB ISO (BIOS, plus UEFI when grub-efi-amd64-bin is
# installed) that boots KERNEL.elf with CMDLINE. LOADER is the GRUB
# command, multiboot2 (default) or multiboot (only to test the refusal).
# With MODULE=file in the environment, GRUB also loads that file as a
# multiboot2 module, with the command line MODULE_ARGS.
set -e
elf=$1 iso=$2 cmdline=${3:-} loader=${4:-multiboot2}
[ -n "$elf" ] && [ -n "$iso" ] || { echo "usage: $0 KERNEL.elf OUT.iso [CMDLINE] [LOADER]" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$elf" "$dir/boot/kernel.elf"
module_line=
if [ -n "${MODULE:-}" ]; then
	cp "$MODULE" "$dir/boot/module.bin"
	module_line="module2 /boot/module.bin ${MODULE_ARGS:-}"
fi
# The command line goes through sed: escape its special characters.
esc=$(printf '%s' "$cmdline" | sed 's/[\\&|]/\\&/g')
mesc=$(printf '%s' "$module_line" | sed 's/[\\&|]/\\&/g')
sed -e "s|@CMDLINE@|$esc|" -e "s|@LOADER@|$loader|" -e "s|@MODULE@|$mesc|" \
	"$here/boot/grub.cfg.in" > "$dir/boot/grub/grub.cfg"
if ! grub-mkrescue -o "$iso" "$dir" >"$dir.log" 2>&1; then
	cat "$dir.log" >&2
	rm -f "$dir.log"
	exit 1
fi
rm -f "$dir.log"
