# Build, run, test and debug the kernel. `make help` lists the targets.
#
# Knobs (environment or command line):
#   ACCEL=tcg|kvm     QEMU accelerator (default tcg; see README)
#   SMP=n             CPUs (default 1; `make test` runs 1 and 4 unless one is given)
#   MACHINE=pc|q35    QEMU machine; `make test` runs both unless one is given
#   FIRMWARE=bios|uefi  SeaBIOS (default) or OVMF (package ovmf; GRUB's EFI image
#                     from grub-efi-amd64-bin on the ISO); tools/qemu.sh
#   MEM=n             guest RAM in MiB (default 512)
#   HZ=100|250|1000   timer tick rate (default 250, as Debian's Linux); rebuilds
#   CPU=model         QEMU CPU model (default qemu64)
#   CMDLINE="..."     kernel command line for run/debug, added to test boots
#   QEMU_EXTRA="..."  more QEMU arguments
#   EDU=n             QEMU edu PCI devices, all on one INTx line (default 2; tools/qemu.sh)
#   TESTS=globs       test suites (or suite.case) to run, separated by spaces or commas
#   SCENARIO=name     `make trace`: edu_tasklet_work (default), softirq_flood,
#                     threaded_oneshot, ipi (kernel/trace/scenarios.c)
#   GUI=1             `make run` opens QEMU's display window too
#   GDB=1             `make run` turns QEMU's gdb stub on (port GDB_PORT, 1234) for `make gdb`
#   BENCH_ARGS="..."  bench, bench-compare: more command-line parameters for the
#                     suite, e.g. "bench.filter=edu_* bench.iters=2000"
#   ICOUNT=1          bench, bench-compare: run QEMU with -icount shift=auto (the
#                     guest clock follows the instruction count; README, Performance)
#   PAIRS=n           bench-compare: Linux/ours run pairs, at least 3 (default 3)
#   PEER_DIR=dir      bench-compare: the Linux peer (default ../shared/peers/linux)

BUILD   := build
KERNEL  := $(BUILD)/kernel.elf
ISO     := $(BUILD)/kernel.iso

ACCEL   ?= tcg
SMP     ?= 1
MEM     ?= 512
CPU     ?= qemu64
MACHINE ?=
FIRMWARE ?= bios
HZ      ?= 250
CMDLINE ?=
QEMU_EXTRA ?=
TESTS   ?=
BENCH_ARGS ?=
ICOUNT  ?=
PAIRS   ?= 3
PEER_DIR ?= ../shared/peers/linux
GDB_PORT ?= 1234
export ACCEL SMP MEM CPU MACHINE FIRMWARE QEMU_EXTRA CMDLINE GDB_PORT

# The benchmark boot has its own ISO, so build/kernel.iso keeps CMDLINE's.
BENCH_ISO := $(BUILD)/bench.iso
BENCH_CMDLINE := $(strip bench.run=1 $(BENCH_ARGS) $(CMDLINE))
export BENCH_CMDLINE BENCH_ARGS

# Quiet by default ("  CC  file"); V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

CC      := gcc
LD      := ld
NASM    := nasm
PYTHON  := python3

# Architecture code, architecture-neutral kernel, in-kernel tests.
SRC_DIRS := arch/x86_64 arch/x86_64/lib arch/x86_64/mm arch/x86_64/time arch/x86_64/irq \
            arch/x86_64/acpi arch/x86_64/bench kernel kernel/lib kernel/mm kernel/irq \
            kernel/time kernel/drivers kernel/ktest kernel/sched kernel/locking kernel/bench \
            kernel/shell kernel/trace \
            tests/kernel
C_SRCS   := $(foreach d,$(SRC_DIRS),$(filter-out %/asm-offsets.c,$(wildcard $(d)/*.c)))
ASM_SRCS := $(wildcard boot/*.asm) $(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.asm))
OBJS     := $(patsubst %.c,$(BUILD)/obj/%.o,$(C_SRCS)) \
            $(patsubst %.asm,$(BUILD)/obj/%.o,$(ASM_SRCS))

GEN_INC  := $(BUILD)/include/generated
OFFSETS  := $(GEN_INC)/asm-offsets.inc
CONFIG_H := $(GEN_INC)/config.h

# Freestanding, no SSE/x87 in kernel code (-mgeneral-regs-only; the few
# tests that use the FPU save its state around it), the kernel code model,
# frame pointers for backtraces, and the stack protector reading its
# canary from %gs:40 as Linux x86-64 does.
CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-common \
          -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
          -fno-omit-frame-pointer -fno-optimize-sibling-calls \
          -fno-asynchronous-unwind-tables -fno-strict-aliasing \
          -fno-tree-loop-distribute-patterns -fno-delete-null-pointer-checks \
          -fstack-protector-strong -mstack-protector-guard=tls \
          -mstack-protector-guard-reg=gs -mstack-protector-guard-offset=40 \
          -Wall -Wextra -Werror -Wno-unused-parameter \
          -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
          -Iinclude -Iinclude/arch/x86_64 -I$(BUILD)/include -MMD -MP \
          -include $(CONFIG_H)
NASMFLAGS := -f elf64 -g -F dwarf -I$(GEN_INC)/ -Werror
LDFLAGS := -nostdlib -static -n -z max-page-size=0x1000 -z noexecstack -T linker.ld

.PHONY: all iso run test test-bochs debug gdb trace deps clean help check-deps host-test lint \
	bench bench-compare FORCE
all: $(KERNEL) $(ISO)
iso: $(ISO)

help:
	@echo "make            build $(KERNEL) and the bootable $(ISO)"
	@echo "make run        boot it in QEMU; the serial console is this terminal (Ctrl-A X quits)"
	@echo "make test       boot it with the in-kernel self-tests (KTAP), pc and q35; ends with 'N passed, N failed'"
	@echo "make test FIRMWARE=uefi   the same under OVMF (UEFI) instead of SeaBIOS"
	@echo "make test-bochs the suites under Bochs (BIOS), one CPU unless SMP is given"
	@echo "make bench      boot $(BENCH_ISO) (bench.run=1) on the Linux peer's machine; prints BENCH lines"
	@echo "make bench-compare  run the Linux peer and the kernel alternately (PAIRS=3), table and build/bench.svg"
	@echo "make debug      start QEMU paused with its gdb stub and attach gdb (tools/gdbinit)"
	@echo "make gdb        attach gdb to a running 'make run GDB=1'"
	@echo "make compile_commands.json   the compilation database for clangd and clang-tidy"
	@echo "make lint       cppcheck over the tree (tools/cppcheck-suppressions.txt); fails on findings"
	@echo "make trace [SCENARIO=name]  run a traced scenario; writes $(BUILD)/trace.json (Perfetto) and trace.txt"
	@echo "make deps       install the Debian/Ubuntu packages the build and QEMU need (root or sudo)"
	@echo "make clean      remove $(BUILD)/"

$(BUILD)/obj/%.o: %.c $(OFFSETS) $(CONFIG_H) Makefile
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.asm $(OFFSETS) Makefile
	@mkdir -p $(dir $@)
	$(call say,NASM,$<)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# Build-time configuration, rewritten only when a knob changes, so that a
# new HZ rebuilds what depends on it.
$(CONFIG_H): FORCE
	@mkdir -p $(GEN_INC)
	@case "$(HZ)" in 100|250|1000) ;; *) echo "HZ must be 100, 250 or 1000, not '$(HZ)'" >&2; exit 1 ;; esac
	@printf '/* generated by the Makefile */\n#define CONFIG_HZ %s\n' "$(HZ)" | cmp -s - $@ || \
		printf '/* generated by the Makefile */\n#define CONFIG_HZ %s\n' "$(HZ)" > $@

# Constants for NASM, generated from C (arch/x86_64/asm-offsets.c).
$(OFFSETS): arch/x86_64/asm-offsets.c $(CONFIG_H) $(wildcard include/*/*.h include/arch/x86_64/asm/*.h) Makefile
	@mkdir -p $(GEN_INC) $(BUILD)/obj
	$(call say,GEN,$@)$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -S $< -o $(BUILD)/obj/asm-offsets.s
	$(Q)sed -n 's/.*->\([A-Za-z_0-9]*\) \$$\{0,1\}\(-\{0,1\}[0-9]*\).*/%define \1 \2/p' \
		$(BUILD)/obj/asm-offsets.s > $@.tmp && mv $@.tmp $@

# Two links: the first, with an empty symbol table, gives the addresses;
# tools/gen_ksyms.py turns them into the table that the second link puts
# in .ksyms, at the end of the image, so no other address moves
# (gen_ksyms.py --check verifies that).
$(BUILD)/kernel.pass1.elf: $(OBJS) $(BUILD)/ksyms-empty.o linker.ld
	$(call say,LD,$@)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms-empty.o

$(BUILD)/ksyms-empty.S: tools/gen_ksyms.py
	@mkdir -p $(BUILD)
	$(call say,GEN,$@)$(PYTHON) tools/gen_ksyms.py < /dev/null > $@

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf tools/gen_ksyms.py
	$(call say,GEN,$@)nm -n -S --defined-only $< | $(PYTHON) tools/gen_ksyms.py > $@

$(BUILD)/%.o: $(BUILD)/%.S
	$(call say,AS,$<)$(CC) -c $< -o $@

$(KERNEL): $(OBJS) $(BUILD)/ksyms.o linker.ld
	$(call say,LD,$@)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms.o
	$(Q)nm -n --defined-only $(BUILD)/kernel.pass1.elf > $(BUILD)/syms.pass1
	$(Q)nm -n --defined-only $@ | $(PYTHON) tools/gen_ksyms.py --check $(BUILD)/syms.pass1

# The ISO holds the command line: rebuild it when CMDLINE changes.
$(BUILD)/cmdline: FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' "$$CMDLINE" | cmp -s - $@ || printf '%s\n' "$$CMDLINE" > $@

$(ISO): $(KERNEL) boot/grub.cfg.in tools/mkiso.sh $(BUILD)/cmdline
	$(call say,ISO,$@)tools/mkiso.sh $(KERNEL) $@ "$$CMDLINE"

$(BUILD)/bench-cmdline: FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' "$$BENCH_CMDLINE" | cmp -s - $@ || printf '%s\n' "$$BENCH_CMDLINE" > $@

$(BENCH_ISO): $(KERNEL) boot/grub.cfg.in tools/mkiso.sh $(BUILD)/bench-cmdline
	$(call say,ISO,$@)tools/mkiso.sh $(KERNEL) $@ "$$BENCH_CMDLINE"

FORCE:

# run, test and debug first say what is missing (tools/check-deps.sh),
# then build and start.
check-deps:
	@tools/check-deps.sh

run:
	@tools/check-deps.sh $(filter uefi,$(FIRMWARE))
	@$(MAKE) --no-print-directory $(ISO)
	@# status 33 is the kernel powering off through isa-debug-exit
	tools/qemu.sh $(ISO) -serial mon:stdio $(if $(GUI),,-display none) \
		$(if $(GDB),-gdb tcp::$(GDB_PORT)) || [ $$? -eq 33 ]

# The in-kernel tests under QEMU (tools/ktest.py), plus host-side tests.
test:
	@tools/check-deps.sh $(filter uefi,$(FIRMWARE))
	@$(MAKE) --no-print-directory $(KERNEL) host-test
	$(PYTHON) tools/ktest.py --kernel $(KERNEL) --build $(BUILD) \
		$(if $(MACHINE),--machine $(MACHINE),--machine pc --machine q35) \
		$(if $(filter command line environment,$(origin SMP)),--smp $(SMP),--smp 1 --smp 4) \
		--variant = --variant noapic=noapic --firmware $(FIRMWARE) \
		$(if $(TESTS),--filter '$(TESTS)') --cmdline "$(CMDLINE)"

# The same suites under Bochs (tools/bochs.sh): stricter than QEMU, slower,
# no QEMU devices (edu, isa-debug-exit), so APIC mode with one CPU unless
# SMP= is given; boot tests and crash tests as under QEMU.
test-bochs:
	@tools/check-deps.sh bochs
	@$(MAKE) --no-print-directory $(KERNEL)
	$(PYTHON) tools/ktest.py --emulator bochs --kernel $(KERNEL) --build $(BUILD) \
		--smp $(if $(filter command line environment,$(origin SMP)),$(SMP),1) \
		--timeout 2400 --idle-timeout 300 \
		$(if $(TESTS),--filter '$(TESTS)') --cmdline "$(CMDLINE)"

host-test:
	$(PYTHON) -m unittest discover -s tests/host -p 'test_*.py'

# Benchmarks (tools/bench.sh, tools/bench_compare.py, README, Performance).
bench:
	@tools/check-deps.sh
	@$(MAKE) --no-print-directory $(BENCH_ISO)
	ICOUNT=$(ICOUNT) tools/bench.sh $(BENCH_ISO) $(BUILD)/bench-ours.log

bench-compare:
	@tools/check-deps.sh
	@$(PYTHON) tools/bench_compare.py --check-deps --peer-dir '$(PEER_DIR)'
	@$(MAKE) --no-print-directory $(BENCH_ISO)
	$(PYTHON) tools/bench_compare.py --iso $(BENCH_ISO) --peer-dir '$(PEER_DIR)' \
		--pairs $(PAIRS) --build $(BUILD) $(if $(filter 1,$(ICOUNT)),--icount) \
		--bench-args "$$BENCH_ARGS"
# A traced scenario (tools/trace.sh): build/trace.json for ui.perfetto.dev or
# chrome://tracing, build/trace.txt as ftrace prints it. Two CPUs unless SMP is given.
SCENARIO ?= edu_tasklet_work
trace:
	@tools/check-deps.sh $(filter uefi,$(FIRMWARE))
	@$(MAKE) --no-print-directory $(KERNEL)
	$(if $(filter command line environment,$(origin SMP)),,SMP=2) tools/trace.sh $(KERNEL) $(BUILD) $(SCENARIO)

debug:
	@tools/check-deps.sh
	@$(MAKE) --no-print-directory $(ISO)
	tools/debug.sh $(ISO) $(KERNEL)

# The compilation database (clangd, clang-tidy): every C file with the flags
# above, regenerated when the Makefile or the set of files changes. The
# generated headers it names are made first.
compile_commands.json: Makefile tools/gen_compile_commands.py $(CONFIG_H) $(OFFSETS)
	$(call say,GEN,$@)$(PYTHON) tools/gen_compile_commands.py --cc $(CC) --build $(BUILD) \
		--cflags='$(CFLAGS)' $(C_SRCS) > $@.tmp && mv $@.tmp $@

# Static analysis: cppcheck over the C code, with the kernel's include paths
# and build configuration; real findings are fixed, false positives are
# listed with a reason in tools/cppcheck-suppressions.txt.
CPPCHECK_FLAGS := --std=c11 --enable=warning,performance,portability --inline-suppr \
	--error-exitcode=1 --quiet --max-configs=1 -D__x86_64__ -D__GNUC__=12 \
	-Iinclude -Iinclude/arch/x86_64 -I$(BUILD)/include --include=$(CONFIG_H) \
	--suppressions-list=tools/cppcheck-suppressions.txt
lint: $(CONFIG_H) $(OFFSETS)
	@command -v cppcheck >/dev/null || { echo "make lint needs cppcheck (apt-get install cppcheck, or make deps)" >&2; exit 1; }
	$(call say,LINT,cppcheck)cppcheck $(CPPCHECK_FLAGS) -j2 $(C_SRCS) tests/host/line_edit_harness.c

# Attach to the kernel a `make run GDB=1` is running (tools/gdb-attach.sh).
gdb:
	@tools/check-deps.sh
	tools/gdb-attach.sh $(KERNEL)

deps:
	tools/install-deps.sh

clean:
	rm -rf $(BUILD) compile_commands.json

-include $(OBJS:.o=.d)
