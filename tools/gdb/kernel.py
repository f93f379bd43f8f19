"""gdb helpers for the kernel (loaded by tools/gdbinit); introspect.py adds
the commands that print kernel state (irqs, threads, workqueues...).

An unwinder for the exception entry path: gdb unwinds C code with the
DWARF call-frame information, but entry.asm (NASM) has none. When a frame
is the return address right after entry.asm's `call x86_entry_dispatch`,
this unwinder reads the struct pt_regs that the entry code saved (it lies
24 bytes above that frame's stack pointer, see the diagram in entry.asm)
and gives gdb the interrupted registers, so `bt` continues from an
exception handler into the code the exception interrupted.
"""
import gdb
from gdb.unwinder import Unwinder, register_unwinder

# struct pt_regs, in order (include/arch/x86_64/asm/ptrace.h)
PT_REGS = ["r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
           "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss"]
# Where pt_regs starts relative to the frame's stack pointer at the return address.
PT_REGS_ABOVE_SP = 24


def symbol_address(name):
    sym = gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)
    if sym is not None:
        return int(sym.value().address)
    msym = gdb.lookup_minimal_symbol(name) if hasattr(gdb, "lookup_minimal_symbol") else None
    if msym is not None:
        return int(msym.value().address)
    return int(gdb.parse_and_eval("&" + name).cast(gdb.lookup_type("unsigned long")))


class FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class EntryUnwinder(Unwinder):
    """Unwinds through the frame record entry.asm builds around its C call."""

    def __init__(self):
        super().__init__("irqkernel-entry")
        self.dispatch = None
        self.text = None

    def _setup(self):
        if self.dispatch is None:
            self.dispatch = symbol_address("x86_entry_dispatch")
            self.text = (symbol_address("__entry_text_start"), symbol_address("__entry_text_end"))

    def __call__(self, pending_frame):
        try:
            self._setup()
        except gdb.error:
            return None
        pc = int(pending_frame.read_register("rip"))
        if not (self.text[0] <= pc < self.text[1]):
            return None
        inferior = gdb.selected_inferior()
        try:
            call = bytes(inferior.read_memory(pc - 5, 5))
        except gdb.MemoryError:
            return None
        # only the return address of `call x86_entry_dispatch` (e8 rel32)
        rel = int.from_bytes(call[1:], "little", signed=True)
        if call[0] != 0xE8 or (pc + rel) & 0xFFFFFFFFFFFFFFFF != self.dispatch:
            return None
        sp = int(pending_frame.read_register("rsp"))
        base = sp + PT_REGS_ABOVE_SP
        raw = bytes(inferior.read_memory(base, 8 * len(PT_REGS)))
        regs = {name: int.from_bytes(raw[8 * i:8 * i + 8], "little") for i, name in enumerate(PT_REGS)}
        info = pending_frame.create_unwind_info(FrameId(gdb.Value(sp), gdb.Value(pc)))
        for name in ("rip", "rsp", "rbp", "rbx", "r12", "r13", "r14", "r15", "rax", "rcx",
                     "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "eflags"):
            # each value in the register's own type (eflags is 32 bits wide in gdb)
            reg_type = pending_frame.read_register(name).type
            value = regs[name].to_bytes(8, "little")[:reg_type.sizeof]
            info.add_saved_register(name, gdb.Value(value, reg_type))
        return info


class PtRegs(gdb.Command):
    """pt-regs ADDR: print the struct pt_regs at ADDR (an exception frame)."""

    def __init__(self):
        super().__init__("pt-regs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        regs = gdb.parse_and_eval("*(struct pt_regs *)(%s)" % arg)
        for name in PT_REGS:
            field = "rflags" if name == "eflags" else name
            print("%-8s 0x%016x" % (field, int(regs[field]) & 0xFFFFFFFFFFFFFFFF))


register_unwinder(None, EntryUnwinder(), replace=True)
PtRegs()

# The introspection commands (irqs, softirq-pending, tasklets, workqueues,
# threads, thread-bt, percpu) live in introspect.py beside this file.
import introspect  # noqa: E402,F401
