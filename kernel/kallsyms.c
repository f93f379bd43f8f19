/*
 * Symbol lookup over the table that tools/gen_ksyms.py generates: entries
 * sorted by address, each with its size and the offset of its name in one
 * string blob.
 */
#include <kernel/kallsyms.h>
#include <kernel/kernel.h>
#include <kernel/string.h>

struct ksym {
	unsigned long addr;
	u32 name;		/* offset in ksym_names */
	u32 size;
};

extern const struct ksym ksym_table[];
extern const unsigned long ksym_count;
extern const char ksym_names[];

unsigned long kallsyms_count(void)
{
	return ksym_count;
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	unsigned long lo = 0, hi = ksym_count;
	const struct ksym *k;

	/* last entry with entry.addr <= addr */
	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	k = &ksym_table[lo - 1];
	if (addr - k->addr >= k->size)
		return NULL;
	if (size)
		*size = k->size;
	if (offset)
		*offset = addr - k->addr;
	return &ksym_names[k->name];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	for (unsigned long i = 0; i < ksym_count; i++)
		if (!strcmp(&ksym_names[ksym_table[i].name], name))
			return ksym_table[i].addr;
	return 0;
}

int kallsyms_on_each_symbol(int (*fn)(void *data, const char *name, unsigned long addr),
			    void *data)
{
	for (unsigned long i = 0; i < ksym_count; i++) {
		int ret = fn(data, &ksym_names[ksym_table[i].name], ksym_table[i].addr);

		if (ret)
			return ret;
	}
	return 0;
}

int sprint_symbol(char *buf, size_t size, unsigned long addr)
{
	unsigned long sz, off;
	const char *name = kallsyms_lookup(addr, &sz, &off);

	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, off, sz);
}

int sprint_backtrace(char *buf, size_t size, unsigned long addr)
{
	unsigned long sz, off;
	const char *name = kallsyms_lookup(addr - 1, &sz, &off);

	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, off + 1, sz);
}

int sprint_symbol_name(char *buf, size_t size, unsigned long addr)
{
	const char *name = kallsyms_lookup(addr, NULL, NULL);

	if (!name)
		return snprintf(buf, size, "0x%lx", addr);
	return snprintf(buf, size, "%s", name);
}
