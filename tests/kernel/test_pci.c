/*
 * PCI: configuration access, the boot scan and the driver calls, on the
 * machine QEMU gives (host bridge at 00:00.0; tools/qemu.sh puts EDU edu
 * devices at slots 5, 9, ... on one INTx line) and on a simulated
 * hierarchy (struct pci_ops over an array) for what QEMU does not have by
 * default: bridges, sparse and fake multi-function slots, 64-bit BARs and
 * broken capability lists.
 */
#include <kernel/ktest.h>
#include <kernel/pci.h>
#include <kernel/string.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>
#include <asm/pci.h>
#include <asm/io.h>
#include <asm/irqflags.h>

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_CLASS	0x00ff00	/* "other" device */
#define EDU_ID		0x010000ed	/* register 0x00: 0xRRrr00ed, version 1.0 */
#define EDU_BAR0_SIZE	0x100000	/* 1 MiB */
#define EDU_REG_ID	0x00
#define EDU_REG_LIVE	0x04		/* reads back ~(what was written) */
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_RAISE 0x60
#define EDU_REG_IRQ_ACK	0x64
#define EDU_FIRST_SLOT	5		/* tools/qemu.sh: slots 5, 9, 13, ... */
#define EDU_SLOT_STEP	4
#define EDU_MAX		5

/* The edu devices, in scan order; skips the case when there are fewer than min. */
static int get_edus(struct ktest *t, struct pci_dev **edu, int min)
{
	struct pci_dev *dev = NULL;
	int n = 0;

	while ((dev = pci_get_device(EDU_VENDOR, EDU_DEVICE, dev)) && n < EDU_MAX)
		edu[n++] = dev;
	if (n < min)
		ktest_skip(t, "%d edu device(s), the case needs %d (tools/qemu.sh's EDU knob)", n, min);
	return n;
}

/* The 8259 pair's interrupt request registers (OCW3 0x0a selects IRR), IRQ 8-15 in bits 8-15. */
static u16 pic_irr(void)
{
	outb(0x20, 0x0a);
	outb(0xa0, 0x0a);
	return inb(0x20) | inb(0xa0) << 8;
}

static void host_bridge_at_00_00_0(struct ktest *t)
{
	struct pci_dev *first = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
	struct pci_dev *dev = pci_get_domain_bus_and_slot(0, 0, PCI_DEVFN(0, 0));
	u16 vendor;

	ASSERT_NOT_NULL(t, dev);
	EXPECT_EQ(t, first, dev);
	EXPECT_EQ(t, dev->bus->number, 0);
	EXPECT_NULL(t, dev->bus->self);
	EXPECT_EQ(t, dev->vendor, 0x8086);
	EXPECT_EQ(t, dev->class >> 8, PCI_CLASS_BRIDGE_HOST);
	EXPECT_EQ(t, dev->hdr_type, PCI_HEADER_TYPE_NORMAL);
	EXPECT_STREQ(t, pci_name(dev), "0000:00:00.0");
	EXPECT_EQ(t, pci_read_config_word(dev, PCI_VENDOR_ID, &vendor), 0);
	EXPECT_EQ(t, vendor, 0x8086);
	EXPECT_NULL(t, pci_get_domain_bus_and_slot(1, 0, PCI_DEVFN(0, 0)));
}

/* Every function that answers on any of the 256 buses is in the list, and nothing else. */
static void scan_matches_brute_force(struct ktest *t)
{
	struct pci_dev *dev;
	int listed = 0, found = 0;

	for_each_pci_dev(dev)
		listed++;
	for (unsigned int bus = 0; bus < 256; bus++) {
		for (unsigned int devfn = 0; devfn < 256; devfn++) {
			u32 id, hdr;

			raw_pci_read(bus, devfn, PCI_VENDOR_ID, 4, &id);
			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
				continue;
			/* functions 1-7 count only if function 0 says multi-function */
			raw_pci_read(bus, devfn & ~7u, PCI_HEADER_TYPE, 1, &hdr);
			if (PCI_FUNC(devfn) && !(hdr & PCI_HEADER_TYPE_MFD))
				continue;
			found++;
			dev = pci_get_domain_bus_and_slot(0, bus, devfn);
			if (!dev) {
				ktest_fail(t, __FILE__, __LINE__, "%02x:%02x.%u [%04x:%04x] not listed",
					   bus, PCI_SLOT(devfn), PCI_FUNC(devfn), id & 0xffff, id >> 16);
				continue;
			}
			EXPECT_EQ(t, dev->vendor, id & 0xffff);
			EXPECT_EQ(t, dev->device, id >> 16);
		}
	}
	EXPECT_EQ(t, listed, found);
	ktest_info(t, "%d functions", found);
}

/* Exactly the edu devices tools/qemu.sh adds: slots 5, 9, ... in order, none elsewhere. */
static void edu_devices_where_qemu_sh_puts_them(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX], *dev;
	int n = get_edus(t, edu, 1), total = 0;

	for (int i = 0; i < n; i++) {
		EXPECT_EQ(t, edu[i]->bus->number, 0);
		EXPECT_EQ(t, edu[i]->devfn, PCI_DEVFN(EDU_FIRST_SLOT + EDU_SLOT_STEP * i, 0));
	}
	for_each_pci_dev(dev)
		total += dev->vendor == EDU_VENDOR && dev->device == EDU_DEVICE;
	EXPECT_EQ(t, total, n);
	ktest_info(t, "%d edu devices (EDU=%d)", n, n);
}

static void edu_config_matches_device(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX];
	int n = get_edus(t, edu, 1);

	for (int i = 0; i < n; i++) {
		struct pci_dev *dev = edu[i];
		u32 id, class_rev;
		u16 vendor, device;
		u8 rev;
		void *regs;

		EXPECT_EQ(t, pci_read_config_dword(dev, PCI_VENDOR_ID, &id), 0);
		EXPECT_EQ(t, pci_read_config_word(dev, PCI_VENDOR_ID, &vendor), 0);
		EXPECT_EQ(t, pci_read_config_word(dev, PCI_DEVICE_ID, &device), 0);
		EXPECT_EQ(t, pci_read_config_dword(dev, PCI_CLASS_REVISION, &class_rev), 0);
		EXPECT_EQ(t, pci_read_config_byte(dev, PCI_REVISION_ID, &rev), 0);
		EXPECT_EQ(t, id, EDU_VENDOR | EDU_DEVICE << 16);
		EXPECT_EQ(t, vendor, EDU_VENDOR);
		EXPECT_EQ(t, device, EDU_DEVICE);
		EXPECT_EQ(t, class_rev >> 8, EDU_CLASS);
		EXPECT_EQ(t, dev->class, EDU_CLASS);
		EXPECT_EQ(t, dev->revision, rev);
		EXPECT_EQ(t, rev, class_rev & 0xff);
		/* and the device behind BAR0 is the edu the IDs name */
		EXPECT_EQ(t, pci_enable_device(dev), 0);
		regs = pci_iomap(dev, 0, 0x1000);
		ASSERT_NOT_NULL(t, regs);
		id = readl(regs + EDU_REG_ID);
		EXPECT_EQ(t, id & 0xffff, 0x00ed);
		EXPECT_EQ(t, id, EDU_ID);
		pci_iounmap(dev, regs);
	}
}

static void edu_bar0_is_1mib_memory(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX];
	int n = get_edus(t, edu, 1);

	for (int i = 0; i < n; i++) {
		struct pci_dev *dev = edu[i];
		u64 start = pci_resource_start(dev, 0);
		u32 reg;

		EXPECT_EQ(t, pci_resource_len(dev, 0), EDU_BAR0_SIZE);
		EXPECT_EQ(t, pci_resource_flags(dev, 0), IORESOURCE_MEM);
		EXPECT_NE(t, start, 0);
		EXPECT_TRUE(t, IS_ALIGNED(start, EDU_BAR0_SIZE));
		/* sizing put the address back */
		pci_read_config_dword(dev, PCI_BASE_ADDRESS_0, &reg);
		EXPECT_EQ(t, reg & PCI_BASE_ADDRESS_MEM_MASK, start);
		for (int bar = 1; bar < PCI_STD_NUM_BARS; bar++)
			EXPECT_EQ(t, pci_resource_len(dev, bar), 0);
		EXPECT_EQ(t, pci_resource_len(dev, -1), 0);
		EXPECT_EQ(t, pci_resource_len(dev, PCI_STD_NUM_BARS), 0);
	}
}

static void edu_liveness_through_iomap(struct ktest *t)
{
	static const u32 values[] = { 0, 0x12345678, 0xffffffff, 0xa5a5005a };
	struct pci_dev *edu[EDU_MAX];
	void *regs[EDU_MAX];
	int n = get_edus(t, edu, 1);

	for (int i = 0; i < n; i++) {
		pci_enable_device(edu[i]);
		regs[i] = pci_iomap(edu[i], 0, 0);
		ASSERT_NOT_NULL(t, regs[i]);
	}
	for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
		/* a different value in each device, read back after all are written */
		for (int i = 0; i < n; i++)
			writel(values[v] + i, regs[i] + EDU_REG_LIVE);
		for (int i = 0; i < n; i++)
			EXPECT_EQ(t, readl(regs[i] + EDU_REG_LIVE), ~(values[v] + i));
	}
	for (int i = 0; i < n; i++)
		pci_iounmap(edu[i], regs[i]);
}

static void edu_capability_list_has_msi(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX];
	int n = get_edus(t, edu, 1);

	for (int i = 0; i < n; i++) {
		int pos = pci_find_capability(edu[i], PCI_CAP_ID_MSI);
		u16 status;
		u8 id;

		pci_read_config_word(edu[i], PCI_STATUS, &status);
		EXPECT_TRUE(t, status & PCI_STATUS_CAP_LIST);
		EXPECT_GE(t, pos, 0x40);
		EXPECT_EQ(t, pos % 4, 0);
		pci_read_config_byte(edu[i], pos + PCI_CAP_LIST_ID, &id);
		EXPECT_EQ(t, id, PCI_CAP_ID_MSI);
		/* an ID it does not have: the walk ends and says so */
		EXPECT_EQ(t, pci_find_capability(edu[i], 0x7e), 0);
	}
}

/* pci_set_master/pci_clear_master and pci_intx change their bit and nothing else. */
static void command_bits_toggle(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX];
	u16 orig, cmd[4];

	get_edus(t, edu, 1);
	pci_enable_device(edu[0]);
	pci_read_config_word(edu[0], PCI_COMMAND, &orig);
	pci_set_master(edu[0]);
	pci_read_config_word(edu[0], PCI_COMMAND, &cmd[0]);
	pci_clear_master(edu[0]);
	pci_read_config_word(edu[0], PCI_COMMAND, &cmd[1]);
	pci_intx(edu[0], 0);
	pci_read_config_word(edu[0], PCI_COMMAND, &cmd[2]);
	pci_intx(edu[0], 1);
	pci_read_config_word(edu[0], PCI_COMMAND, &cmd[3]);
	pci_write_config_word(edu[0], PCI_COMMAND, orig);

	EXPECT_TRUE(t, orig & PCI_COMMAND_MEMORY);
	EXPECT_EQ(t, cmd[0], orig | PCI_COMMAND_MASTER);
	EXPECT_EQ(t, cmd[1], orig & ~PCI_COMMAND_MASTER);
	EXPECT_EQ(t, cmd[2], (orig & ~PCI_COMMAND_MASTER) | PCI_COMMAND_INTX_DISABLE);
	EXPECT_EQ(t, cmd[3], orig & ~(PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE));
}

static void edus_share_interrupt_line(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX];
	int n = get_edus(t, edu, 2);

	for (int i = 0; i < n; i++) {
		u8 line, pin;

		pci_read_config_byte(edu[i], PCI_INTERRUPT_LINE, &line);
		pci_read_config_byte(edu[i], PCI_INTERRUPT_PIN, &pin);
		EXPECT_EQ(t, edu[i]->interrupt_line, line);
		EXPECT_EQ(t, edu[i]->pin, pin);
		EXPECT_EQ(t, pin, 1);			/* INTA# */
		EXPECT_LT(t, line, 16);			/* routed by firmware, not 0xff */
		EXPECT_EQ(t, line, edu[0]->interrupt_line);
	}
	ktest_info(t, "edu INTA# on Interrupt Line %u", edu[0]->interrupt_line);
}

/*
 * Raising the edu's interrupt (register 0x60) asserts INTA#, which the
 * chipset routes to the 8259 input the Interrupt Line names: its IRR bit
 * follows the level (PCI IRQs are level-triggered, ELCR), for every edu
 * the same bit. With INTx disabled the device still says it requests
 * (PCI_STATUS_INTERRUPT) but the line stays low. Interrupts are off
 * throughout, so nothing is delivered.
 */
static void edu_intx_reaches_interrupt_line(struct ktest *t)
{
	struct pci_dev *edu[EDU_MAX], *d;
	int n = get_edus(t, edu, 1);
	u16 pci_lines = 0;

	for_each_pci_dev(d)
		if (d->pin && d->interrupt_line < 16)
			pci_lines |= 1u << d->interrupt_line;
	for (int i = 0; i < n; i++) {
		struct pci_dev *dev = edu[i];
		unsigned int line = dev->interrupt_line;
		u16 irr[4], status[2], bit = 1u << (line & 15);
		u32 irq_status;
		unsigned long flags;
		void *regs;

		ASSERT_LT(t, line, 16);
		pci_enable_device(dev);
		regs = pci_iomap(dev, 0, 0x1000);
		ASSERT_NOT_NULL(t, regs);
		pci_intx(dev, 1);
		local_irq_save(flags);
		irr[0] = pic_irr();
		writel(1, regs + EDU_REG_IRQ_RAISE);
		irq_status = readl(regs + EDU_REG_IRQ_STATUS);
		irr[1] = pic_irr();
		pci_read_config_word(dev, PCI_STATUS, &status[0]);
		writel(1, regs + EDU_REG_IRQ_ACK);
		irr[2] = pic_irr();
		pci_intx(dev, 0);
		writel(2, regs + EDU_REG_IRQ_RAISE);
		irr[3] = pic_irr();
		pci_read_config_word(dev, PCI_STATUS, &status[1]);
		writel(2, regs + EDU_REG_IRQ_ACK);
		pci_intx(dev, 1);
		local_irq_restore(flags);
		pci_iounmap(dev, regs);

		EXPECT_EQ(t, irq_status, 1);
		EXPECT_EQ(t, irr[0] & bit, 0);
		EXPECT_EQ(t, irr[1] & bit, bit);
		EXPECT_EQ(t, irr[2] & bit, 0);
		EXPECT_EQ(t, irr[3] & bit, 0);
		EXPECT_TRUE(t, status[0] & PCI_STATUS_INTERRUPT);
		EXPECT_TRUE(t, status[1] & PCI_STATUS_INTERRUPT);
		/* no other line that firmware gave a PCI device rose with it */
		EXPECT_EQ(t, (irr[1] & ~irr[0]) & pci_lines & ~bit, 0);
	}
}

static void bad_offsets_refused(struct ktest *t)
{
	struct pci_dev *dev = pci_get_domain_bus_and_slot(0, 0, PCI_DEVFN(0, 0));
	u32 d = 0;
	u16 w = 0;
	u8 b = 0;

	ASSERT_NOT_NULL(t, dev);
	EXPECT_EQ(t, pci_read_config_dword(dev, 2, &d), -EINVAL);
	EXPECT_EQ(t, d, 0xffffffff);
	EXPECT_EQ(t, pci_read_config_word(dev, 1, &w), -EINVAL);
	EXPECT_EQ(t, w, 0xffff);
	EXPECT_EQ(t, pci_read_config_byte(dev, 256, &b), -EINVAL);
	EXPECT_EQ(t, b, 0xff);
	EXPECT_EQ(t, pci_read_config_byte(dev, -1, &b), -EINVAL);
	EXPECT_EQ(t, pci_read_config_dword(dev, 256, &d), -EINVAL);
	EXPECT_EQ(t, pci_write_config_dword(dev, 0x3e, 0), -EINVAL);
	EXPECT_EQ(t, pci_write_config_word(dev, 0x3b, 0), -EINVAL);
	EXPECT_EQ(t, pci_write_config_byte(dev, 256, 0), -EINVAL);
	/* the last byte, word and dword are fine */
	EXPECT_EQ(t, pci_read_config_byte(dev, 255, &b), 0);
	EXPECT_EQ(t, pci_read_config_word(dev, 254, &w), 0);
	EXPECT_EQ(t, pci_read_config_dword(dev, 252, &d), 0);
	/* the architecture's accessors check too */
	EXPECT_EQ(t, raw_pci_read(0, 0, 0, 3, &d), -EINVAL);
	EXPECT_EQ(t, d, 0xffffffff);
	EXPECT_EQ(t, raw_pci_read(0, 0, 6, 4, &d), -EINVAL);
	EXPECT_EQ(t, raw_pci_read(0, 0, 256, 1, &d), -EINVAL);
	EXPECT_EQ(t, raw_pci_read(0, 256, 0, 4, &d), -EINVAL);
	EXPECT_EQ(t, raw_pci_read(256, 0, 0, 4, &d), -EINVAL);
	EXPECT_EQ(t, raw_pci_write(0, 0, 0x3d, 2, 0), -EINVAL);
	EXPECT_EQ(t, raw_pci_read(0, 0, 0, 2, &d), 0);
	EXPECT_EQ(t, d, dev->vendor);
}

/* pci_init() logged each device the way Linux does. */
static void boot_log_names_each_device(struct ktest *t)
{
	const char *log = ktest_log();
	struct pci_dev *dev;
	char line[96];
	int n = 0;

	for_each_pci_dev(dev)
		n++;
	snprintf(line, sizeof(line), "pci: %d devices on ", n);
	if (!strstr(log, "] pci 0000:00:00.0: [") || !strstr(log, line))
		ktest_skip(t, "the log no longer holds pci_init()'s lines");
	for_each_pci_dev(dev) {
		snprintf(line, sizeof(line), "pci %s: [%04x:%04x] type %02x class 0x%06x\n",
			 pci_name(dev), dev->vendor, dev->device, dev->hdr_type, dev->class);
		if (!strstr(log, line))
			ktest_fail(t, __FILE__, __LINE__, "no line \"%s\" in the log", line);
	}
	EXPECT_NOT_NULL(t, strstr(log, "pci 0000:00:00.0: [8086:"));
}

/* Every bridge on the machine leads to a scanned bus (q35 has none unless root ports are added). */
static void real_bridges_followed(struct ktest *t)
{
	struct pci_dev *dev;
	int bridges = 0;

	for_each_pci_dev(dev) {
		struct pci_bus *bus = dev->bus;
		u8 secondary;

		/* each device sits on the root bus or on one a bridge leads to */
		EXPECT_TRUE(t, bus->self ? bus->self->subordinate == bus : bus->number == 0);
		if (dev->hdr_type != PCI_HEADER_TYPE_BRIDGE)
			continue;
		bridges++;
		pci_read_config_byte(dev, PCI_SECONDARY_BUS, &secondary);
		ASSERT_NOT_NULL(t, dev->subordinate);
		EXPECT_EQ(t, dev->subordinate->number, secondary);
		EXPECT_EQ(t, dev->subordinate->self, dev);
		EXPECT_EQ(t, dev->subordinate->parent, bus);
	}
	ktest_info(t, "%d PCI-to-PCI bridge(s) here; the simulated hierarchy tests them always", bridges);
}

/* ---- a simulated hierarchy ------------------------------------------------ */

struct sim_fn {
	unsigned int bus, devfn;
	bool any_function;		/* answers whatever function is addressed (no MFD bit) */
	u8 cfg[256];
	u32 bar_mask[PCI_STD_NUM_BARS];	/* writable bits of each BAR register */
	int command_writes;
	bool sized_while_decoding;	/* all ones written to a BAR with decoding on */
};

static struct sim_fn sim_fns[12];
static int sim_nr, sim_reads, sim_stray_writes;

static struct sim_fn *sim_find(unsigned int bus, unsigned int devfn)
{
	for (int i = 0; i < sim_nr; i++) {
		struct sim_fn *f = &sim_fns[i];

		if (f->bus == bus && (f->devfn == devfn ||
				      (f->any_function && PCI_SLOT(f->devfn) == PCI_SLOT(devfn))))
			return f;
	}
	return NULL;
}

static int sim_read(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	struct sim_fn *f = sim_find(bus->number, devfn);

	sim_reads++;
	*val = 0;
	for (int i = size - 1; i >= 0; i--)
		*val = *val << 8 | (f ? f->cfg[where + i] : 0xff);
	return 0;
}

static u32 sim_dword(struct sim_fn *f, int reg)
{
	u32 v;

	memcpy(&v, &f->cfg[reg], 4);
	return v;
}

static int sim_write(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	struct sim_fn *f = sim_find(bus->number, devfn);
	int nr_bars = (f && (f->cfg[PCI_HEADER_TYPE] & 0x7f) == PCI_HEADER_TYPE_BRIDGE) ? 2 : 6;
	int bar = (where - PCI_BASE_ADDRESS_0) / 4;

	if (!f)
		return 0;
	if (where == PCI_COMMAND && size == 2) {
		memcpy(&f->cfg[PCI_COMMAND], &val, 2);
		f->command_writes++;
	} else if (where >= PCI_BASE_ADDRESS_0 && bar < nr_bars && size == 4) {
		u32 v = (val & f->bar_mask[bar]) | (sim_dword(f, where) & ~f->bar_mask[bar]);

		if (val == ~0u && (f->cfg[PCI_COMMAND] & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
			f->sized_while_decoding = true;
		memcpy(&f->cfg[where], &v, 4);
	} else {
		sim_stray_writes++;
	}
	return 0;
}

static const struct pci_ops sim_ops = { .read = sim_read, .write = sim_write };

static struct sim_fn *sim_add(unsigned int bus, unsigned int devfn, u16 vendor, u16 device,
			      u32 class, u8 hdr)
{
	struct sim_fn *f = &sim_fns[sim_nr++];

	memset(f, 0, sizeof(*f));
	f->bus = bus;
	f->devfn = devfn;
	memcpy(&f->cfg[PCI_VENDOR_ID], &vendor, 2);
	memcpy(&f->cfg[PCI_DEVICE_ID], &device, 2);
	class <<= 8;
	memcpy(&f->cfg[PCI_CLASS_REVISION], &class, 4);
	f->cfg[PCI_REVISION_ID] = 0x01;
	f->cfg[PCI_HEADER_TYPE] = hdr;
	return f;
}

static void sim_set_bar(struct sim_fn *f, int bar, u32 val, u32 mask)
{
	memcpy(&f->cfg[PCI_BASE_ADDRESS_0 + 4 * bar], &val, 4);
	f->bar_mask[bar] = mask;
}

static void sim_set_cap(struct sim_fn *f, u8 pos, u8 id, u8 next)
{
	f->cfg[pos + PCI_CAP_LIST_ID] = id;
	f->cfg[pos + PCI_CAP_LIST_NEXT] = next;
}

/*
 * bus 0: 00:00.0 host bridge; 00:03.0 and 00:03.2 (multi-function, no .1;
 *        .2's capability list reads as a vanished function's would);
 *        00:04.0 single-function but answering on every function;
 *        00:1e.0 bridge to bus 2
 * bus 2: 02:00.0 with BARs and a looping capability list;
 *        02:01.0 bridge back to bus 0; 02:03.0 bridge to bus 3
 * bus 3: 03:00.0
 * bus 5: 05:00.0, which no bridge leads to
 */
static void sim_build(void)
{
	struct sim_fn *f;

	sim_nr = sim_reads = sim_stray_writes = 0;
	f = sim_add(0, PCI_DEVFN(0, 0), 0x8086, 0x0001, 0x060000, 0);
	sim_set_bar(f, 0, 0xe0000000, 0xfffff000);
	f->cfg[PCI_COMMAND] = PCI_COMMAND_MEMORY;
	f = sim_add(0, PCI_DEVFN(3, 0), 0x1af4, 0x0010, 0x020000, PCI_HEADER_TYPE_MFD);
	f->cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	f->cfg[PCI_CAPABILITY_LIST] = 0x40;
	sim_set_cap(f, 0x40, PCI_CAP_ID_MSI, 0);
	f = sim_add(0, PCI_DEVFN(3, 2), 0x1af4, 0x0012, 0x020000, PCI_HEADER_TYPE_MFD);
	f->cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	f->cfg[PCI_CAPABILITY_LIST] = 0x40;
	sim_set_cap(f, 0x40, 0xff, 0x40);		/* reads as if the function had gone */
	f = sim_add(0, PCI_DEVFN(4, 0), 0x1af4, 0x0020, 0x0c0300, 0);
	f->any_function = true;
	f->cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	f->cfg[PCI_CAPABILITY_LIST] = 0x20;		/* points into the header */
	sim_set_cap(f, 0x20, PCI_CAP_ID_MSI, 0);
	f = sim_add(0, PCI_DEVFN(0x1e, 0), 0x8086, 0x0002, 0x060400, PCI_HEADER_TYPE_BRIDGE);
	sim_set_bar(f, 0, 0xfe000000, 0xffffff00);
	f->cfg[PCI_SECONDARY_BUS] = 2;
	f->cfg[PCI_COMMAND] = PCI_COMMAND_MEMORY;

	f = sim_add(2, PCI_DEVFN(0, 0), 0x1af4, 0x0030, 0x010800, 0);
	f->cfg[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	sim_set_bar(f, 0, PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH, 0);
	sim_set_bar(f, 1, 0x8, 0xfffffffe);		/* 8 GiB at 0x8_0000_0000 */
	sim_set_bar(f, 2, 0xc041, 0xffe0);		/* 32 ports; bits 31:16 hardwired 0 */
	sim_set_bar(f, 3, 0xfeb00000, 0xfffff000);	/* 4 KiB */
	sim_set_bar(f, 5, 0, 0xfff00000);		/* 1 MiB, never assigned */
	f->cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	f->cfg[PCI_CAPABILITY_LIST] = 0x40;
	sim_set_cap(f, 0x40, PCI_CAP_ID_PM, 0x53);	/* low bits reserved: 0x50 */
	sim_set_cap(f, 0x50, PCI_CAP_ID_MSI, 0x60);
	sim_set_cap(f, 0x60, PCI_CAP_ID_VNDR, 0x40);	/* back to the first: a loop */
	f->cfg[PCI_INTERRUPT_PIN] = 2;
	f->cfg[PCI_INTERRUPT_LINE] = 11;
	f = sim_add(2, PCI_DEVFN(1, 0), 0x8086, 0x0003, 0x060400, PCI_HEADER_TYPE_BRIDGE);
	f->cfg[PCI_SECONDARY_BUS] = 0;
	f = sim_add(2, PCI_DEVFN(3, 0), 0x8086, 0x0004, 0x060400, PCI_HEADER_TYPE_BRIDGE);
	f->cfg[PCI_SECONDARY_BUS] = 3;
	f = sim_add(3, PCI_DEVFN(0, 0), 0x1af4, 0x0040, 0x0c0330, 0);
	f->cfg[PCI_CAPABILITY_LIST] = 0x40;		/* but PCI_STATUS_CAP_LIST is clear */
	sim_set_cap(f, 0x40, PCI_CAP_ID_MSI, 0);
	sim_add(5, PCI_DEVFN(0, 0), 0x1af4, 0x0050, 0x0c0330, 0);
}

/* Build the simulated machine and scan it; pci_exit() frees the result. */
static struct pci_bus *sim_scan(struct ktest *t)
{
	sim_build();
	t->priv = pci_scan_root_bus(&sim_ops, 0);
	ASSERT_NOT_NULL(t, t->priv);
	return t->priv;
}

static int pci_init_case(struct ktest *t)
{
	t->priv = NULL;
	return 0;
}

static void pci_exit_case(struct ktest *t)
{
	if (t->priv)
		pci_free_root_bus(t->priv);
}

static struct pci_dev *sim_dev(struct ktest *t, unsigned int bus, unsigned int devfn)
{
	struct pci_bus *root = t->priv;

	for (struct pci_dev *dev = root->devices; dev; dev = dev->next)
		if (dev->bus->number == bus && dev->devfn == devfn)
			return dev;
	return NULL;
}

static void sim_scan_follows_bridges_and_functions(struct ktest *t)
{
	static const char *const expect[] = {
		"0000:00:00.0", "0000:00:03.0", "0000:00:03.2", "0000:00:04.0", "0000:00:1e.0",
		"0000:02:00.0", "0000:02:01.0", "0000:02:03.0", "0000:03:00.0",
	};
	struct pci_bus *root = sim_scan(t), *bus2, *bus3;
	struct pci_dev *dev = root->devices, *bridge, *bridge2;
	size_t i = 0;

	for (; dev && i < ARRAY_SIZE(expect); dev = dev->next, i++)
		EXPECT_STREQ(t, pci_name(dev), expect[i]);
	EXPECT_EQ(t, i, ARRAY_SIZE(expect));
	EXPECT_NULL(t, dev);
	/* buses in scan order: 0, then 2 behind 00:1e.0, then 3 behind 02:03.0; 02:01.0's loop not taken */
	bridge = sim_dev(t, 0, PCI_DEVFN(0x1e, 0));
	bridge2 = sim_dev(t, 2, PCI_DEVFN(3, 0));
	ASSERT_NOT_NULL(t, bridge);
	ASSERT_NOT_NULL(t, bridge2);
	bus2 = root->next;
	ASSERT_NOT_NULL(t, bus2);
	bus3 = bus2->next;
	ASSERT_NOT_NULL(t, bus3);
	EXPECT_NULL(t, bus3->next);
	EXPECT_EQ(t, bus2->number, 2);
	EXPECT_EQ(t, bus2->self, bridge);
	EXPECT_EQ(t, bus2->parent, root);
	EXPECT_EQ(t, bridge->subordinate, bus2);
	EXPECT_EQ(t, bus3->number, 3);
	EXPECT_EQ(t, bus3->self, bridge2);
	EXPECT_EQ(t, bus3->parent, bus2);
	EXPECT_NULL(t, sim_dev(t, 2, PCI_DEVFN(1, 0))->subordinate);
	EXPECT_EQ(t, sim_dev(t, 3, 0)->bus, bus3);
	EXPECT_TRUE(t, sim_dev(t, 0, PCI_DEVFN(3, 0))->multifunction);
	EXPECT_FALSE(t, sim_dev(t, 0, PCI_DEVFN(4, 0))->multifunction);
	EXPECT_EQ(t, sim_dev(t, 0, PCI_DEVFN(0x1e, 0))->hdr_type, PCI_HEADER_TYPE_BRIDGE);
	dev = sim_dev(t, 2, 0);
	ASSERT_NOT_NULL(t, dev);
	EXPECT_EQ(t, dev->vendor, 0x1af4);
	EXPECT_EQ(t, dev->device, 0x0030);
	EXPECT_EQ(t, dev->class, 0x010800);
	EXPECT_EQ(t, dev->revision, 1);
	EXPECT_EQ(t, dev->pin, 2);
	EXPECT_EQ(t, dev->interrupt_line, 11);
	EXPECT_EQ(t, dev->irq, 0);
	/* the scan only sized BARs and switched decoding */
	EXPECT_EQ(t, sim_stray_writes, 0);
}

static void sim_bar_sizing(struct ktest *t)
{
	struct pci_dev *dev, *host, *bridge;
	struct sim_fn *f;

	sim_scan(t);
	dev = sim_dev(t, 2, 0);
	host = sim_dev(t, 0, 0);
	bridge = sim_dev(t, 0, PCI_DEVFN(0x1e, 0));
	f = sim_find(2, 0);

	ASSERT_NOT_NULL(t, dev);
	ASSERT_NOT_NULL(t, host);
	ASSERT_NOT_NULL(t, bridge);
	EXPECT_EQ(t, pci_resource_start(dev, 0), 0x800000000ull);
	EXPECT_EQ(t, pci_resource_len(dev, 0), 0x200000000ull);
	EXPECT_EQ(t, pci_resource_flags(dev, 0), IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH);
	EXPECT_EQ(t, pci_resource_len(dev, 1), 0);		/* the upper half */
	EXPECT_EQ(t, pci_resource_flags(dev, 1), 0);
	EXPECT_EQ(t, pci_resource_start(dev, 2), 0xc040);
	EXPECT_EQ(t, pci_resource_len(dev, 2), 0x20);
	EXPECT_EQ(t, pci_resource_flags(dev, 2), IORESOURCE_IO);
	EXPECT_EQ(t, pci_resource_start(dev, 3), 0xfeb00000);
	EXPECT_EQ(t, pci_resource_len(dev, 3), 0x1000);
	EXPECT_EQ(t, pci_resource_flags(dev, 3), IORESOURCE_MEM);
	EXPECT_EQ(t, pci_resource_len(dev, 4), 0);
	EXPECT_EQ(t, pci_resource_start(dev, 5), 0);
	EXPECT_EQ(t, pci_resource_len(dev, 5), 0x100000);
	/* decoding off while sizing, then back; the addresses restored */
	EXPECT_FALSE(t, f->sized_while_decoding);
	EXPECT_EQ(t, f->command_writes, 2);
	EXPECT_EQ(t, f->cfg[PCI_COMMAND], PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	EXPECT_EQ(t, sim_dword(f, PCI_BASE_ADDRESS_0 + 4), 0x8);
	EXPECT_EQ(t, sim_dword(f, PCI_BASE_ADDRESS_0 + 8), 0xc041);
	EXPECT_EQ(t, sim_dword(f, PCI_BASE_ADDRESS_0 + 12), 0xfeb00000);
	/* a bridge has two BARs; a host bridge keeps decoding */
	EXPECT_EQ(t, pci_resource_len(bridge, 0), 0x100);
	EXPECT_FALSE(t, sim_find(0, PCI_DEVFN(0x1e, 0))->sized_while_decoding);
	EXPECT_EQ(t, pci_resource_len(host, 0), 0x1000);
	EXPECT_EQ(t, sim_find(0, 0)->command_writes, 0);
	/* pci_iomap maps memory BARs with an address only */
	EXPECT_NULL(t, pci_iomap(dev, 2, 0));
	EXPECT_NULL(t, pci_iomap(dev, 4, 0));
	EXPECT_NULL(t, pci_iomap(dev, 5, 0));
	EXPECT_NULL(t, pci_iomap(dev, PCI_STD_NUM_BARS, 0));
	/* pci_enable_device turns on what the BARs need, on a device that had none on */
	f->cfg[PCI_COMMAND] = 0;
	EXPECT_EQ(t, pci_enable_device(dev), 0);
	EXPECT_EQ(t, f->cfg[PCI_COMMAND], PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	f = sim_find(0, PCI_DEVFN(0x1e, 0));
	f->cfg[PCI_COMMAND] = 0;
	pci_enable_device(bridge);
	EXPECT_EQ(t, f->cfg[PCI_COMMAND], PCI_COMMAND_MEMORY);
}

static void sim_capability_walk_ends(struct ktest *t)
{
	struct pci_dev *looped;
	int reads;

	sim_scan(t);
	looped = sim_dev(t, 2, 0);

	ASSERT_NOT_NULL(t, looped);
	EXPECT_EQ(t, pci_find_capability(looped, PCI_CAP_ID_PM), 0x40);
	EXPECT_EQ(t, pci_find_capability(looped, PCI_CAP_ID_MSI), 0x50);
	EXPECT_EQ(t, pci_find_capability(looped, PCI_CAP_ID_VNDR), 0x60);
	reads = sim_reads;
	EXPECT_EQ(t, pci_find_capability(looped, PCI_CAP_ID_MSIX), 0);
	/* round the loop until the entry limit, not forever */
	EXPECT_LE(t, sim_reads - reads, 52);
	EXPECT_GE(t, sim_reads - reads, 40);
	EXPECT_EQ(t, pci_find_capability(sim_dev(t, 0, PCI_DEVFN(3, 0)), PCI_CAP_ID_MSI), 0x40);
	EXPECT_EQ(t, pci_find_capability(sim_dev(t, 0, PCI_DEVFN(3, 0)), PCI_CAP_ID_PM), 0);
	/* an entry reading all ones ends the walk at once */
	reads = sim_reads;
	EXPECT_EQ(t, pci_find_capability(sim_dev(t, 0, PCI_DEVFN(3, 2)), PCI_CAP_ID_MSI), 0);
	EXPECT_LE(t, sim_reads - reads, 3);
	/* a pointer into the header, and a list the status register does not announce */
	EXPECT_EQ(t, pci_find_capability(sim_dev(t, 0, PCI_DEVFN(4, 0)), PCI_CAP_ID_MSI), 0);
	EXPECT_EQ(t, pci_find_capability(sim_dev(t, 3, 0), PCI_CAP_ID_MSI), 0);
}

/* Bad offsets never reach the hierarchy's ops. */
static void sim_bad_offsets_stop_before_ops(struct ktest *t)
{
	struct pci_dev *dev;
	int reads, stray;
	u32 d;
	u16 w;

	sim_scan(t);
	dev = sim_dev(t, 2, 0);
	reads = sim_reads;
	stray = sim_stray_writes;

	ASSERT_NOT_NULL(t, dev);
	EXPECT_EQ(t, pci_read_config_dword(dev, 0x41, &d), -EINVAL);
	EXPECT_EQ(t, pci_read_config_word(dev, 0xff, &w), -EINVAL);
	EXPECT_EQ(t, pci_bus_read_config(dev->bus, dev->devfn, 0, 3, &d), -EINVAL);
	EXPECT_EQ(t, pci_write_config_dword(dev, 0x3d, 0), -EINVAL);
	EXPECT_EQ(t, pci_write_config_byte(dev, 0x100, 0), -EINVAL);
	EXPECT_EQ(t, sim_reads, reads);
	EXPECT_EQ(t, sim_stray_writes, stray);
	EXPECT_EQ(t, pci_write_config_byte(dev, 0x3c, 0), 0);
	EXPECT_EQ(t, sim_stray_writes, stray + 1);
}

static struct ktest_case pci_cases[] = {
	KTEST_CASE(host_bridge_at_00_00_0),
	KTEST_CASE(scan_matches_brute_force),
	KTEST_CASE(edu_devices_where_qemu_sh_puts_them),
	KTEST_CASE(edu_config_matches_device),
	KTEST_CASE(edu_bar0_is_1mib_memory),
	KTEST_CASE(edu_liveness_through_iomap),
	KTEST_CASE(edu_capability_list_has_msi),
	KTEST_CASE(command_bits_toggle),
	KTEST_CASE(edus_share_interrupt_line),
	KTEST_CASE(edu_intx_reaches_interrupt_line),
	KTEST_CASE(bad_offsets_refused),
	KTEST_CASE(boot_log_names_each_device),
	KTEST_CASE(real_bridges_followed),
	KTEST_CASE(sim_scan_follows_bridges_and_functions),
	KTEST_CASE(sim_bar_sizing),
	KTEST_CASE(sim_capability_walk_ends),
	KTEST_CASE(sim_bad_offsets_stop_before_ops),
	{},
};
KTEST_SUITE(pci, pci_cases, .init = pci_init_case, .exit = pci_exit_case);
