/*
 * The ktest runner: selects suites, runs each case inside a try-catch,
 * prints KTAP version 1, and at boot (ktest.run=1) ends QEMU with the
 * result. The try-catch rests on the die and panic notifiers: when an
 * oops or panic happens while a catcher is armed in this task, the
 * notifier resumes execution at the catcher's setjmp instead of letting
 * the machine stop.
 */
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/kernel.h>
#include <kernel/string.h>
#include <kernel/cmdline.h>
#include <kernel/panic.h>
#include <kernel/irq.h>
#include <asm/traps.h>
#include <asm/reboot.h>
#include <asm/percpu.h>
#include <asm/segment.h>
#include <asm/irqflags.h>
#include <kernel/sched.h>
#include <kernel/interrupt.h>
#include <kernel/workqueue.h>

extern struct ktest_suite *const __start_ktest_suites[], *const __stop_ktest_suites[];
extern const struct ktest_crash __start_ktest_crashes[], __stop_ktest_crashes[];
extern const struct ktest_boot __start_ktest_boots[], __stop_ktest_boots[];
void panic_reset(void);

/* A try-catch armed in the current task (a catch only ever resumes the task that armed it). */
struct catcher {
	jmp_buf env;
	struct ktest_catch *out;
	struct catcher *prev;
	unsigned int preempt_count;	/* as it was when armed: a crash under a lock leaves it raised */
};

static bool booted_for_tests;

#define KTAP_INDENT "    "

static int catch_die(struct notifier_block *nb, unsigned long action, void *data)
{
	struct catcher *c = (struct catcher *)current->ktest_catcher;
	struct die_args *args = data;
	struct pt_regs *regs = args->regs;
	struct jmp_buf_regs *env = c ? &c->env[0] : NULL;

	if (action != DIE_OOPS || !c)
		return NOTIFY_DONE;
	c->out->caught = KTEST_CAUGHT_OOPS;
	c->out->trapnr = args->trapnr;
	c->out->error_code = args->err;
	c->out->rip = regs->rip;
	c->out->rsp = regs->rsp;
	strlcpy(c->out->msg, args->str, sizeof(c->out->msg));
	/* return from the exception into the catcher's setjmp, which yields 1 */
	regs->rip = env->rip;
	regs->rsp = env->rsp;
	regs->rbx = env->rbx;
	regs->rbp = env->rbp;
	regs->r12 = env->r12;
	regs->r13 = env->r13;
	regs->r14 = env->r14;
	regs->r15 = env->r15;
	regs->rflags = env->rflags;
	regs->cs = __KERNEL_CS;
	regs->ss = __KERNEL_DS;
	regs->rax = 1;
	current->ktest_catcher = c->prev;
	return NOTIFY_STOP;
}

static int catch_panic(struct notifier_block *nb, unsigned long action, void *data)
{
	struct catcher *c = (struct catcher *)current->ktest_catcher;

	if (!c)
		return NOTIFY_DONE;
	if (c->out->caught == KTEST_CAUGHT_NOTHING) {
		c->out->caught = KTEST_CAUGHT_PANIC;
		c->out->trapnr = -1;
		strlcpy(c->out->msg, data, sizeof(c->out->msg));
	}
	current->ktest_catcher = c->prev;
	panic_reset();
	longjmp(c->env, 2);
}

/* At boot under test, any panic not caught ends QEMU with "died". */
static int exit_on_panic(struct notifier_block *nb, unsigned long action, void *data)
{
	if (booted_for_tests)
		qemu_exit(QEMU_EXIT_DIED);
	return NOTIFY_DONE;
}

static struct notifier_block die_nb = { .notifier_call = catch_die, .priority = 100 };
static struct notifier_block panic_catch_nb = { .notifier_call = catch_panic, .priority = 100 };
static struct notifier_block panic_exit_nb = { .notifier_call = exit_on_panic, .priority = -100 };
static bool notifiers_registered;

static void register_notifiers(void)
{
	if (notifiers_registered)
		return;
	register_die_notifier(&die_nb);
	notifier_chain_register(&panic_notifier_list, &panic_catch_nb);
	notifier_chain_register(&panic_notifier_list, &panic_exit_nb);
	notifiers_registered = true;
}

enum ktest_caught ktest_try(void (*fn)(void *), void *arg, struct ktest_catch *out)
{
	struct catcher c;

	register_notifiers();
	memset(out, 0, sizeof(*out));
	c.out = out;
	c.prev = (struct catcher *)current->ktest_catcher;
	c.preempt_count = preempt_count();
	if (setjmp(c.env) == 0) {
		current->ktest_catcher = &c;
		fn(arg);
		current->ktest_catcher = c.prev;
	} else if (preempt_count() != c.preempt_count) {
		this_cpu_write(__preempt_count, c.preempt_count);
	}
	/* a catch came back through longjmp or iretq with setjmp's RFLAGS */
	return out->caught;
}

const char *ktest_log(void)
{
	static char buf[16384];
	size_t n = log_buf_copy(buf, sizeof(buf) - 1);

	buf[n] = '\0';
	return buf;
}

unsigned long ktest_log_mark(void)
{
	static unsigned long marks;

	printk(KERN_INFO "# ktest log mark %lu\n", ++marks);
	return marks;
}

const char *ktest_log_since(unsigned long mark)
{
	char line[40];
	const char *log = ktest_log(), *at;

	snprintf(line, sizeof(line), "# ktest log mark %lu\n", mark);
	at = strstr(log, line);
	return at ? at + strlen(line) : NULL;
}

void ktest_info(struct ktest *t, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_INFO KTAP_INDENT "# %s: %s\n", t->name, buf);
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t->failed = true;
	printk(KERN_INFO KTAP_INDENT "# %s: %s:%d: %s\n", t->name, file, line, buf);
}

void ktest_fail_binary(struct ktest *t, const char *file, int line, const char *check,
		       const char *left, const char *right, unsigned long long l,
		       unsigned long long r)
{
	ktest_fail(t, file, line, "%s failed: %s == %lld (0x%llx), %s == %lld (0x%llx)", check,
		   left, (long long)l, l, right, (long long)r, r);
}

void ktest_abort(struct ktest *t)
{
	/* a nested ktest_try() may still be armed: back to the case's catcher */
	current->ktest_catcher = (struct catcher *)t->catcher;
	longjmp(t->abort_env, 1);
}

void ktest_skip(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->skip_reason, sizeof(t->skip_reason), fmt, ap);
	va_end(ap);
	t->skipped = true;
	ktest_abort(t);
}

/* One glob: "suite" selects the suite's cases, "suite.case" some of them (name NULL: any case). */
static bool one_glob_selects(const char *glob, const char *suite, const char *name)
{
	char part[64];
	const char *dot = strchr(glob, '.');

	if (!*glob)
		return true;
	if (!dot)
		return glob_match(glob, suite);
	strlcpy(part, glob, min((size_t)(dot - glob) + 1, sizeof(part)));
	return glob_match(part, suite) && (!name || glob_match(dot + 1, name));
}

/* A comma-separated list of globs selects what any of them selects; none at all selects everything. */
static bool globs_select(const char *globs, const char *suite, const char *name)
{
	char one[128];

	if (!globs || !*globs)
		return true;
	for (const char *p = globs;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		strlcpy(one, p, min(n + 1, sizeof(one)));
		if (one_glob_selects(one, suite, name))
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

static bool match_suite(const char *glob, const char *suite)
{
	return globs_select(glob, suite, NULL);
}

static bool match_case(const char *glob, const char *suite, const char *name)
{
	return globs_select(glob, suite, name);
}

static int count_cases(const struct ktest_suite *s, const char *glob)
{
	int n = 0;

	for (const struct ktest_case *c = s->cases; c->run; c++)
		n += match_case(glob, s->name, c->name);
	return n;
}

struct case_ctx {
	const struct ktest_suite *suite;
	const struct ktest_case *kcase;
	struct ktest *t;
};

static void run_case_body(void *arg)
{
	struct case_ctx *ctx = arg;
	struct ktest *t = ctx->t;

	t->catcher = (struct catcher *)current->ktest_catcher;
	if (setjmp(t->abort_env))
		return;
	if (ctx->suite->init && ctx->suite->init(t)) {
		ktest_fail(t, __FILE__, __LINE__, "suite init failed");
		return;
	}
	ctx->kcase->run(t);
}

/* Run one case; returns 0 pass, 1 fail, 2 skip. */
static int run_case(const struct ktest_suite *s, const struct ktest_case *kc, int index)
{
	struct ktest t = { .name = kc->name };
	struct case_ctx ctx = { s, kc, &t };
	struct ktest_catch caught;
	int result;

	if (ktest_try(run_case_body, &ctx, &caught) != KTEST_CAUGHT_NOTHING) {
		t.failed = true;
		printk(KERN_INFO KTAP_INDENT "# %s: crashed: %s%s%s\n", kc->name,
		       caught.caught == KTEST_CAUGHT_PANIC ? "panic: " : "", caught.msg,
		       caught.caught == KTEST_CAUGHT_OOPS ? " (oops above)" : "");
	}
	if (s->exit)
		s->exit(&t);
	if (t.failed) {
		printk(KERN_INFO KTAP_INDENT "not ok %d %s\n", index, kc->name);
		result = 1;
	} else if (t.skipped) {
		printk(KERN_INFO KTAP_INDENT "ok %d %s # SKIP %s\n", index, kc->name, t.skip_reason);
		result = 2;
	} else {
		printk(KERN_INFO KTAP_INDENT "ok %d %s\n", index, kc->name);
		result = 0;
	}
	return result;
}

int ktest_run(const char *glob)
{
	int nsuites = 0, si = 0, total_fail = 0, total_pass = 0, total_skip = 0;

	struct cpumask allowed = current->cpus_allowed, cpu0 = cpumask_of(0);

	/*
	 * The suites run on CPU 0, where the devices' interrupts go by
	 * default and where a test's own threads start; tests that want
	 * other CPUs bind threads there.
	 */
	set_cpus_allowed_ptr(current, &cpu0);
	register_notifiers();
	for (struct ktest_suite *const *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		nsuites += match_suite(glob, (*s)->name) && count_cases(*s, glob);
	printk(KERN_INFO "KTAP version 1\n");
	printk(KERN_INFO "1..%d\n", nsuites);
	for (struct ktest_suite *const *sp = __start_ktest_suites; sp < __stop_ktest_suites; sp++) {
		const struct ktest_suite *s = *sp;
		int ncases, ci = 0, fail = 0, skip = 0;

		if (!match_suite(glob, s->name) || !(ncases = count_cases(s, glob)))
			continue;
		printk(KERN_INFO KTAP_INDENT "KTAP version 1\n");
		printk(KERN_INFO KTAP_INDENT "# Subtest: %s\n", s->name);
		printk(KERN_INFO KTAP_INDENT "1..%d\n", ncases);
		for (const struct ktest_case *c = s->cases; c->run; c++) {
			if (!match_case(glob, s->name, c->name))
				continue;
			switch (run_case(s, c, ++ci)) {
			case 1: fail++; break;
			case 2: skip++; break;
			default: total_pass++; break;
			}
		}
		total_fail += fail;
		total_skip += skip;
		if (fail)
			printk(KERN_INFO "not ok %d %s\n", ++si, s->name);
		else if (skip == ncases)
			printk(KERN_INFO "ok %d %s # SKIP all cases skipped\n", ++si, s->name);
		else
			printk(KERN_INFO "ok %d %s\n", ++si, s->name);
	}
	for (const struct ktest_crash *c = __start_ktest_crashes; c < __stop_ktest_crashes; c++)
		if (match_case(glob, "boot", c->name))
			printk(KERN_INFO "# ktest crash-test %s expect \"%s\"\n", c->name, c->expect);
	for (const struct ktest_boot *b = __start_ktest_boots; b < __stop_ktest_boots; b++)
		if (match_case(glob, "boot", b->name) && b->smp)
			printk(KERN_INFO "# ktest boot-test %s smp %u cmdline \"%s\" expect \"%s\"\n",
			       b->name, b->smp, b->cmdline, b->expect);
		else if (match_case(glob, "boot", b->name))
			printk(KERN_INFO "# ktest boot-test %s cmdline \"%s\" expect \"%s\"\n", b->name,
			       b->cmdline, b->expect);
	printk(KERN_INFO "# ktest: %d passed, %d failed, %d skipped\n", total_pass, total_fail,
	       total_skip);
	set_cpus_allowed_ptr(current, &allowed);
	return total_fail;
}

void ktest_run_crash(const char *name)
{
	for (const struct ktest_crash *c = __start_ktest_crashes; c < __stop_ktest_crashes; c++) {
		if (strcmp(c->name, name))
			continue;
		printk(KERN_INFO "ktest: crash test %s: expecting \"%s\"\n", c->name, c->expect);
		c->run();
		printk(KERN_ERR "ktest: crash test %s did not crash the kernel\n", c->name);
		return;
	}
	printk(KERN_ERR "ktest: no crash test called %s\n", name);
}

static char capture_buf[8192];
static size_t capture_len;

void ktest_capture_start(void)
{
	capture_len = 0;
	capture_buf[0] = '\0';
}

int ktest_capture_print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(capture_buf + capture_len, sizeof(capture_buf) - capture_len, fmt, ap);
	va_end(ap);
	capture_len += n;
	return n;
}

const char *ktest_captured(void)
{
	return capture_buf;
}

/*
 * The tables after a run, as "# irqs| ", "# softirqs| ", "# tasks| " and
 * "# workqueues| " diagnostic lines that the host runner shows at the end of each boot.
 * The show_*() functions print in pieces; they are gathered into whole
 * lines here.
 */
static char table_line[256];
static size_t table_line_len;
static const char *table_name;

static int table_print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(table_line + table_line_len, sizeof(table_line) - table_line_len, fmt, ap);
	va_end(ap);
	table_line_len += n;
	if (table_line_len && table_line[table_line_len - 1] == '\n') {
		printk(KERN_INFO "# %s| %s", table_name, table_line);
		table_line_len = 0;
	}
	return n;
}

static void print_tables(void)
{
	table_line_len = 0;
	table_name = "irqs";
	show_interrupts(table_print);
	table_name = "softirqs";
	show_softirqs(table_print);
	table_name = "tasks";
	show_tasks(table_print);
	table_name = "workqueues";
	show_all_workqueues(table_print);
}

bool ktest_booted_for_tests(void)
{
	return booted_for_tests;
}

void ktest_boot(void)
{
	char glob[128], crash[64];
	unsigned long run = 0;

	cmdline_get_ulong("ktest.run", &run);
	if (cmdline_get("ktest.crash", crash, sizeof(crash))) {
		booted_for_tests = true;
		register_notifiers();
		ktest_run_crash(crash);
		qemu_exit(QEMU_EXIT_FAILURE);
		return;
	}
	if (!run)
		return;
	booted_for_tests = true;
	int failed = ktest_run(cmdline_get("ktest.filter", glob, sizeof(glob)));
	print_tables();
	qemu_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
}
