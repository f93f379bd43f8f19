/*
 * The cpulist text form of a CPU set, as Linux's command line (irqaffinity=,
 * isolcpus=) and /proc (smp_affinity_list) write it: ranges "a-b" and
 * single CPUs, separated by commas, in any order.
 */
#include <kernel/cpumask.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>

/* A decimal number at *s; advances *s. -1 if there is none (or it overflows). */
static long parse_num(const char **s)
{
	long v = 0;

	if (**s < '0' || **s > '9')
		return -1;
	while (**s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		if (v > 1000000)
			return -1;
		(*s)++;
	}
	return v;
}

int cpulist_parse(const char *buf, struct cpumask *dst)
{
	struct cpumask m;
	const char *s = buf;

	if (!buf)
		return -EINVAL;
	cpumask_clear(&m);
	while (*s && *s != '\n') {
		long a = parse_num(&s), b = a;

		if (a < 0)
			return -EINVAL;
		if (*s == '-') {
			s++;
			b = parse_num(&s);
			if (b < a)
				return -EINVAL;
		}
		for (long cpu = a; cpu <= b && cpu < NR_CPUS; cpu++)
			cpumask_set_cpu((unsigned int)cpu, &m);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	*dst = m;
	return 0;
}

int cpumap_print_list(char *buf, size_t size, const struct cpumask *m)
{
	int n = 0;

	if (size)
		buf[0] = '\0';
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned int end = cpu;

		if (!cpumask_test_cpu(cpu, m))
			continue;
		while (end + 1 < NR_CPUS && cpumask_test_cpu(end + 1, m))
			end++;
		if (end == cpu)
			n += scnprintf(buf + n, size - n, "%s%u", n ? "," : "", cpu);
		else
			n += scnprintf(buf + n, size - n, "%s%u-%u", n ? "," : "", cpu, end);
		cpu = end;
	}
	return n;
}
