"""gdb commands that print the kernel's state from a stopped kernel
(loaded by tools/gdb/kernel.py; `help user-defined` lists them):

  irqs                  IRQ descriptors: chip, hwirq, flow, depth, state, counts, actions
  softirq-pending       each CPU's pending softirq mask
  tasklets              each CPU's tasklet lists (HI and normal)
  workqueues            workqueues with their pwqs, pools with pending items and workers
  threads               every task: pid, CPU, state, priority, name, saved stack pointer
  thread-bt PID|NAME    backtrace of a task that is not running, from its saved context
  percpu VAR CPU        CPU's instance of the per-CPU variable VAR

They read memory only (no calls into the kernel), so they work at any
stop: a breakpoint, Ctrl-C, or a kernel stuck with interrupts off.
"""
import gdb

THREAD_SIZE = 16 * 1024
# switch_to.asm: the saved registers under task->sp: r15 r14 r13 r12 rbx rbp, return address
SWITCH_RBP, SWITCH_RET = 40, 48
MAX_FRAMES = 64
SOFTIRQ_NAMES = ["HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED",
                 "HRTIMER", "RCU"]
IRQD_NAMES = [(1 << 8, "LEVEL"), (1 << 9, "PER_CPU"), (1 << 10, "DISABLED"), (1 << 11, "MASKED"),
              (1 << 12, "INPROGRESS"), (1 << 13, "STARTED"), (1 << 14, "AFFINITY_SET"),
              (1 << 15, "MOVE_PENDING")]
TASK_STATES = {0: "R", 1: "S", 2: "D", 0x40: "P", 0x80: "X", 0x200: "W", 0x800: "N"}


def lookup(name):
    """The value of a global or file-static symbol (per-CPU ones give their offset)."""
    try:
        return gdb.parse_and_eval(name)
    except gdb.error:
        sym = gdb.lookup_static_symbol(name)
        if sym is None:
            raise gdb.GdbError("no symbol %s in the kernel" % name)
        return sym.value()


def ulong(v):
    return int(v.cast(gdb.lookup_type("unsigned long"))) & 0xFFFFFFFFFFFFFFFF


def read_u64(addr):
    data = bytes(gdb.selected_inferior().read_memory(addr, 8))
    return int.from_bytes(data, "little")


def cstr(v):
    try:
        return v.string()
    except (gdb.error, gdb.MemoryError, UnicodeDecodeError):
        return "?"


def nr_cpu_ids():
    return int(lookup("nr_cpu_ids"))


def nr_online():
    return int(lookup("nr_online_cpus"))


def per_cpu_value(name, cpu):
    """CPU's instance of the per-CPU variable name, as a gdb.Value."""
    var = lookup(name)
    if cpu < 0 or cpu >= nr_cpu_ids():
        raise gdb.GdbError("CPU %d is not a possible CPU (0-%d)" % (cpu, nr_cpu_ids() - 1))
    offset = ulong(lookup("__per_cpu_offset")[cpu])
    addr = ulong(var.address) + offset
    return gdb.Value(addr).cast(var.type.pointer()).dereference()


def field_offset(type_name, member):
    t = gdb.lookup_type(type_name)
    for f in t.fields():
        if f.name == member:
            return f.bitpos // 8
    raise gdb.GdbError("no member %s in %s" % (member, type_name))


def list_entries(head, type_name, member):
    """The entries of a struct list_head list, as pointers to type_name (Linux's list_for_each_entry)."""
    ptr_type = gdb.lookup_type(type_name).pointer()
    offset = field_offset(type_name, member)
    head_addr = ulong(head.address)
    node = ulong(head["next"])
    seen = 0
    while node != head_addr and node != 0:
        yield gdb.Value(node - offset).cast(ptr_type)
        node = ulong(gdb.Value(node).cast(gdb.lookup_type("struct list_head").pointer())["next"])
        seen += 1
        if seen > 100000:
            raise gdb.GdbError("list at %#x does not end: corrupt?" % head_addr)


def function_at(addr):
    """(name, start) of the ELF function containing addr (the minimal symbol
    table: a function with others inlined into it is still itself), or None."""
    try:
        text = gdb.execute("info symbol %#x" % addr, to_string=True).strip()
    except gdb.error:
        return None
    if text.startswith("No symbol"):
        return None
    name = text.split(" in section")[0]
    off = 0
    if " + " in name:
        name, off = name.split(" + ")
        off = int(off)
    return name, addr - off


def symbol_name(addr, return_address=False):
    """name+0xoff for a code address, or its hex value. A return address is
    looked up one byte back: after a call to a noreturn function it may
    already be the next function's first byte."""
    if addr == 0:
        return "NULL"
    found = function_at(addr - 1 if return_address else addr)
    if found is None:
        return "%#x" % addr
    name, start = found
    off = addr - start
    return name + ("+%#x" % off if off else "")


def task_state(task):
    if int(task["flags"]) & 0x2:
        return "I"
    return TASK_STATES.get(int(task["__state"]), "?")


def all_tasks():
    return list_entries(lookup("all_tasks"), "struct task_struct", "tasks")


def find_task(arg):
    for task in all_tasks():
        if (arg.isdigit() and int(task["pid"]) == int(arg)) or cstr(task["comm"]) == arg:
            return task
    raise gdb.GdbError("no task with pid or name %s" % arg)


class Irqs(gdb.Command):
    """irqs: the IRQ descriptors that have actions or have fired: chip, hwirq,
flow, disable depth, state bits, per-CPU counts, unhandled count, and the
actions with their threads."""

    def __init__(self):
        super().__init__("irqs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        descs = lookup("irq_descs")
        ncpu = nr_online()
        nr_irqs = descs.type.range()[1] + 1
        for irq in range(nr_irqs):
            desc = descs[irq]
            counts = [int(desc["kstat_irqs"][c]) for c in range(ncpu)]
            action = desc["action"]
            if ulong(action) == 0 and not any(counts):
                continue
            d = desc["irq_data"]
            chip = cstr(d["chip"]["name"]) if ulong(d["chip"]) else "none"
            state = int(d["state"])
            bits = "|".join(n for b, n in IRQD_NAMES if state & b) or "-"
            actions = []
            while ulong(action):
                text = cstr(action["name"])
                thread = action["thread"]
                if ulong(thread):
                    text += " [%s pid %d %s]" % (cstr(thread["comm"]), int(thread["pid"]),
                                                 task_state(thread))
                actions.append(text)
                action = action["next"]
            flow = cstr(desc["name"]) if ulong(desc["name"]) else "?"
            print("%3d: %-8s hwirq %-3d %-8s depth %d state %s istate %#x counts %s "
                  "unhandled %d: %s" % (irq, chip, int(d["hwirq"]), flow, int(desc["depth"]),
                                        bits, int(desc["istate"]), "/".join(map(str, counts)),
                                        int(desc["unhandled_total"]), ", ".join(actions) or "-"))


class SoftirqPending(gdb.Command):
    """softirq-pending: each possible CPU's pending softirq mask, with the names."""

    def __init__(self):
        super().__init__("softirq-pending", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        for cpu in range(nr_cpu_ids()):
            mask = int(per_cpu_value("softirq_pending", cpu))
            names = [n for i, n in enumerate(SOFTIRQ_NAMES) if mask & (1 << i)]
            print("CPU%d: %#05x %s" % (cpu, mask, " ".join(names) or "(none)"))


class Tasklets(gdb.Command):
    """tasklets: each possible CPU's HI and normal tasklet lists: each tasklet's
address, function, state bits (SCHED, RUN) and disable count."""

    def __init__(self):
        super().__init__("tasklets", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        for cpu in range(nr_cpu_ids()):
            for var in ("tasklet_hi_vec", "tasklet_vec"):
                t = per_cpu_value(var, cpu)["head"]
                if not ulong(t):
                    print("CPU%d %s: empty" % (cpu, var))
                    continue
                print("CPU%d %s:" % (cpu, var))
                n = 0
                while ulong(t) and n < 10000:
                    state = int(t["state"])
                    bits = "|".join(b for i, b in enumerate(("SCHED", "RUN")) if state & (1 << i))
                    fn = t["callback"] if bool(t["use_callback"]) else t["func"]
                    count = int(t["count"]["counter"])
                    print("  %#x %s state %s count %d%s" % (ulong(t), symbol_name(ulong(fn)),
                                                          bits or "-", count,
                                                          " (disabled)" if count else ""))
                    t = t["next"]
                    n += 1


class Workqueues(gdb.Command):
    """workqueues: every workqueue (flags, max_active, each pwq's active and
in-flight counts and inactive items), then every worker pool with its
pending items and its workers (idle, or the function each one runs)."""

    def __init__(self):
        super().__init__("workqueues", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        for wq in list_entries(lookup("workqueues"), "struct workqueue_struct", "list"):
            print("workqueue %s: flags %#x max_active %d" % (cstr(wq["name"]), int(wq["flags"]),
                                                             int(wq["max_active"])))
            for pwq in list_entries(wq["pwqs"], "struct pool_workqueue", "pwqs_node"):
                in_flight = sum(int(pwq["nr_in_flight"][c])
                                for c in range(pwq["nr_in_flight"].type.range()[1] + 1))
                inactive = [symbol_name(ulong(w["func"])) for w in
                            list_entries(pwq["inactive_works"], "struct work_struct", "entry")]
                print("  pwq on pool %d: active %d/%d in-flight %d inactive %d%s"
                      % (int(pwq["pool"]["id"]), int(pwq["nr_active"]), int(pwq["max_active"]),
                         in_flight, len(inactive), (": " + " ".join(inactive)) if inactive else ""))
        pools = lookup("worker_pools_by_id")
        for i in range(pools.type.range()[1] + 1):
            pool = pools[i]
            if not ulong(pool):
                continue
            cpu = int(pool["cpu"])
            pending = [symbol_name(ulong(w["func"])) for w in
                       list_entries(pool["worklist"], "struct work_struct", "entry")]
            print("pool %d: %s nice %d workers %d idle %d running %d pending %d%s"
                  % (int(pool["id"]), "cpu %d" % cpu if cpu >= 0 else "unbound", int(pool["nice"]),
                     int(pool["nr_workers"]), int(pool["nr_idle"]), int(pool["nr_running"]),
                     len(pending), (": " + " ".join(pending)) if pending else ""))
            for worker in list_entries(pool["workers"], "struct worker", "node"):
                task = worker["task"]
                func = ulong(worker["current_func"])
                print("  %-16s pid %-4s %s" % (cstr(worker["desc"]),
                                               int(task["pid"]) if ulong(task) else "-",
                                               "runs " + symbol_name(func) if func else "idle"))


class Threads(gdb.Command):
    """threads: every task: pid, CPU, state (R S D I...), policy and priority
or nice, on_cpu, name, and the stack pointer its last switch saved."""

    def __init__(self):
        super().__init__("threads", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        print("  PID CPU ST PRI   ON_CPU NAME                     SAVED_SP")
        for task in all_tasks():
            prio = ("FF%d" % int(task["rt_priority"]) if int(task["policy"]) == 1
                    else str(int(task["static_prio_nice"])))
            print("%5d %3d %-2s %-5s %6d %-24s %#x" % (int(task["pid"]), int(task["cpu"]),
                                                      task_state(task), prio, int(task["on_cpu"]),
                                                      cstr(task["comm"]), ulong(task["sp"])))


class ThreadBt(gdb.Command):
    """thread-bt PID|NAME: the backtrace of a task that is not running, from the
context its last switch saved (switch_to.asm: the callee-saved registers and
the return address under task->sp), following the frame pointers down its
stack. For the running task of the stopped CPU, use bt."""

    def __init__(self):
        super().__init__("thread-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        if not arg:
            raise gdb.GdbError("usage: thread-bt PID|NAME")
        task = find_task(arg)
        print("pid %d %s, state %s, CPU %d" % (int(task["pid"]), cstr(task["comm"]),
                                               task_state(task), int(task["cpu"])))
        if int(task["on_cpu"]):
            print("(running on CPU %d: its registers are live, not saved; use bt there)"
                  % int(task["cpu"]))
            return
        stack = ulong(task["stack"])
        sp = ulong(task["sp"])
        if not stack <= sp < stack + THREAD_SIZE:
            raise gdb.GdbError("saved sp %#x is outside its stack [%#x-%#x)" % (sp, stack,
                                                                                stack + THREAD_SIZE))
        pc, rbp = read_u64(sp + SWITCH_RET), read_u64(sp + SWITCH_RBP)
        for n in range(MAX_FRAMES):
            line = gdb.find_pc_line(pc - 1)     # a return address: the call is just before it
            where = " at %s:%d" % (line.symtab.filename, line.line) if line.symtab else ""
            print("#%-2d %#x in %s%s" % (n, pc, symbol_name(pc, return_address=True), where))
            if rbp == 0 or not stack <= rbp < stack + THREAD_SIZE - 16:
                break
            pc, rbp = read_u64(rbp + 8), read_u64(rbp)


class PerCpu(gdb.Command):
    """percpu VAR CPU: CPU's instance of the per-CPU variable VAR (a
DEFINE_PER_CPU name, static or not), found through __per_cpu_offset[CPU]."""

    def __init__(self):
        super().__init__("percpu", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = arg.split()
        if len(args) != 2 or not args[1].isdigit():
            raise gdb.GdbError("usage: percpu VAR CPU")
        value = per_cpu_value(args[0], int(args[1]))
        print("per_cpu(%s, %s) = %s" % (args[0], args[1], value.format_string()))


Irqs()
SoftirqPending()
Tasklets()
Workqueues()
Threads()
ThreadBt()
PerCpu()
