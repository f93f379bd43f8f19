/*
 * The PCI layer: scanning a hierarchy of buses (PCI Local Bus
 * Specification 3.0, 6.1-6.2.5 for the header and BARs; PCI-to-PCI Bridge
 * Architecture Specification 1.2, 3.2.5 for the bus numbers), the device
 * list, and the calls drivers make. Configuration space is reached
 * through a hierarchy's pci_ops; the boot hierarchy's go to the
 * architecture's raw_pci_read/write() (asm/pci.h).
 */
#define pr_fmt(fmt) "pci: " fmt
#include <kernel/pci.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>
#include <kernel/vmalloc.h>
#include <kernel/kernel.h>
#include <kernel/errno.h>
#include <kernel/bug.h>
#include <asm/pci.h>

/*
 * A capability list can hold at most (256 - 64) / 4 = 48 entries: each
 * is dword aligned and lies after the 64-byte header. A longer walk must
 * be going round a loop.
 */
#define PCI_FIND_CAP_TTL	48
#define PCI_CAP_FIRST		0x40	/* capabilities start after the header */

static struct pci_bus *pci_root;	/* the boot hierarchy; set once by pci_init() */
static DEFINE_SPINLOCK(pci_command_lock);	/* read-modify-writes of PCI_COMMAND */

static int pci_direct_read(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	return raw_pci_read(bus->number, devfn, where, size, val);
}

static int pci_direct_write(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	return raw_pci_write(bus->number, devfn, where, size, val);
}

static const struct pci_ops pci_direct_ops = {
	.read = pci_direct_read,
	.write = pci_direct_write,
};

static bool pci_config_args_ok(int where, int size)
{
	return (size == 1 || size == 2 || size == 4) && where >= 0 &&
	       where < PCI_CONF_SIZE && where % size == 0;
}

int pci_bus_read_config(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	int err = -EINVAL;

	if (pci_config_args_ok(where, size))
		err = bus->ops->read(bus, devfn, where, size, val);
	if (err)
		*val = ~0u;
	return err;
}

int pci_bus_write_config(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	if (!pci_config_args_ok(where, size))
		return -EINVAL;
	return bus->ops->write(bus, devfn, where, size, val);
}

/* ---- scanning ---------------------------------------------------------- */

struct pci_scan {
	struct pci_bus *last_bus;	/* the tail of the bus queue (root->next...) */
	struct pci_dev **dev_tail;	/* where the next device is linked */
	u64 bus_seen[4];		/* bus numbers queued so far */
};

static bool test_and_set_bus(struct pci_scan *s, unsigned int nr)
{
	bool seen = s->bus_seen[nr / 64] & (1ull << (nr % 64));

	s->bus_seen[nr / 64] |= 1ull << (nr % 64);
	return seen;
}

/*
 * Size BAR @i by writing all ones and reading back which address bits
 * stick: the lowest one that does is the size. A 64-bit memory BAR
 * takes the next register too. Returns the number of extra registers
 * used (1 for a 64-bit BAR).
 */
static int pci_read_bar(struct pci_dev *dev, int i, int nr_bars)
{
	struct pci_bar *bar = &dev->bar[i];
	int reg = PCI_BASE_ADDRESS_0 + 4 * i, extra = 0;
	u32 l, sz, hi = 0, szhi = 0;
	u64 mask;

	pci_read_config_dword(dev, reg, &l);
	pci_write_config_dword(dev, reg, ~0u);
	pci_read_config_dword(dev, reg, &sz);
	pci_write_config_dword(dev, reg, l);
	if (l & PCI_BASE_ADDRESS_SPACE_IO) {
		mask = sz & PCI_BASE_ADDRESS_IO_MASK;
		bar->start = l & PCI_BASE_ADDRESS_IO_MASK;
		bar->flags = IORESOURCE_IO;
	} else {
		mask = sz & PCI_BASE_ADDRESS_MEM_MASK;
		bar->start = l & PCI_BASE_ADDRESS_MEM_MASK;
		bar->flags = IORESOURCE_MEM;
		if (l & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar->flags |= IORESOURCE_PREFETCH;
		if ((l & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64) {
			if (i + 1 < nr_bars) {
				reg += 4;
				pci_read_config_dword(dev, reg, &hi);
				pci_write_config_dword(dev, reg, ~0u);
				pci_read_config_dword(dev, reg, &szhi);
				pci_write_config_dword(dev, reg, hi);
				bar->start |= (u64)hi << 32;
				mask |= (u64)szhi << 32;
				bar->flags |= IORESOURCE_MEM_64;
				extra = 1;
			} else {
				pci_warn(dev, "BAR %d: 64-bit in the last register; taken as 32-bit\n", i);
			}
		}
	}
	/* all ones both times: the function is gone, not a BAR */
	if (!mask || (l == ~0u && sz == ~0u)) {
		*bar = (struct pci_bar){ 0 };
		return extra;
	}
	bar->size = mask & -mask;
	return extra;
}

/*
 * Size the BARs with memory and I/O decoding off, so that the all-ones
 * address never decodes, then restore PCI_COMMAND. Host bridges keep
 * decoding: on some chipsets that bit gates main memory.
 */
static void pci_read_bases(struct pci_dev *dev, int nr_bars)
{
	u16 cmd;
	bool toggle;

	if (!nr_bars)
		return;
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	toggle = (dev->class >> 8) != PCI_CLASS_BRIDGE_HOST &&
		 (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	if (toggle)
		pci_write_config_word(dev, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < nr_bars; i++)
		i += pci_read_bar(dev, i, nr_bars);
	if (toggle)
		pci_write_config_word(dev, PCI_COMMAND, cmd);
}

static struct pci_dev *pci_setup_device(struct pci_bus *bus, unsigned int devfn, u32 id, u8 hdr)
{
	struct pci_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	u32 class_rev;

	if (!dev)
		return NULL;
	dev->bus = bus;
	dev->devfn = devfn;
	dev->vendor = id & 0xffff;
	dev->device = id >> 16;
	dev->hdr_type = hdr & PCI_HEADER_TYPE_MASK;
	dev->multifunction = hdr & PCI_HEADER_TYPE_MFD;
	snprintf(dev->name, sizeof(dev->name), "0000:%02x:%02x.%u", bus->number,
		 PCI_SLOT(devfn), PCI_FUNC(devfn));
	pci_read_config_dword(dev, PCI_CLASS_REVISION, &class_rev);
	dev->class = class_rev >> 8;
	dev->revision = class_rev & 0xff;
	pci_read_config_byte(dev, PCI_INTERRUPT_PIN, &dev->pin);
	pci_read_config_byte(dev, PCI_INTERRUPT_LINE, &dev->interrupt_line);
	pci_read_bases(dev, dev->hdr_type == PCI_HEADER_TYPE_NORMAL ? 6 :
			    dev->hdr_type == PCI_HEADER_TYPE_BRIDGE ? 2 : 0);
	return dev;
}

/*
 * Every function on one bus: function 0 of each slot, and functions 1-7
 * where function 0's header type says multi-function. A vendor ID of all
 * ones (nobody answered) or zero means no function there.
 */
static int pci_scan_slots(struct pci_scan *s, struct pci_bus *bus)
{
	for (unsigned int slot = 0; slot < 32; slot++) {
		for (unsigned int fn = 0; fn < 8; fn++) {
			unsigned int devfn = PCI_DEVFN(slot, fn);
			struct pci_dev *dev;
			u32 id;
			u8 hdr;

			pci_bus_read_config_dword(bus, devfn, PCI_VENDOR_ID, &id);
			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
				if (fn == 0)
					break;
				continue;
			}
			pci_bus_read_config_byte(bus, devfn, PCI_HEADER_TYPE, &hdr);
			dev = pci_setup_device(bus, devfn, id, hdr);
			if (!dev)
				return -ENOMEM;
			*s->dev_tail = dev;
			s->dev_tail = &dev->next;
			if (fn == 0 && !(hdr & PCI_HEADER_TYPE_MFD))
				break;
		}
	}
	return 0;
}

/* Queue the secondary bus of each bridge in [first, end of list) that has not been seen. */
static int pci_queue_child_buses(struct pci_scan *s, struct pci_bus *bus, struct pci_dev *first)
{
	for (struct pci_dev *dev = first; dev; dev = dev->next) {
		struct pci_bus *child;
		u8 secondary;

		if (dev->hdr_type != PCI_HEADER_TYPE_BRIDGE)
			continue;
		pci_read_config_byte(dev, PCI_SECONDARY_BUS, &secondary);
		if (test_and_set_bus(s, secondary)) {
			pci_warn(dev, "bridge to bus %02x, which is already scanned: not followed\n",
				 secondary);
			continue;
		}
		child = kzalloc(sizeof(*child), GFP_KERNEL);
		if (!child)
			return -ENOMEM;
		*child = (struct pci_bus){ .parent = bus, .self = dev, .ops = bus->ops,
					   .number = secondary };
		dev->subordinate = child;
		s->last_bus->next = child;
		s->last_bus = child;
	}
	return 0;
}

struct pci_bus *pci_scan_root_bus(const struct pci_ops *ops, int busnr)
{
	struct pci_bus *root = kzalloc(sizeof(*root), GFP_KERNEL);
	struct pci_scan s = { .last_bus = root };

	if (!root)
		return NULL;
	root->ops = ops;
	root->number = busnr;
	s.dev_tail = &root->devices;
	test_and_set_bus(&s, root->number);
	/* breadth first: the loop reaches the buses pci_queue_child_buses() appends */
	for (struct pci_bus *bus = root; bus; bus = bus->next) {
		struct pci_dev **first = s.dev_tail;

		if (pci_scan_slots(&s, bus) || pci_queue_child_buses(&s, bus, *first)) {
			pr_err("out of memory scanning bus %02x\n", bus->number);
			pci_free_root_bus(root);
			return NULL;
		}
	}
	return root;
}

void pci_free_root_bus(struct pci_bus *root)
{
	struct pci_dev *dev = root->devices;
	struct pci_bus *bus = root;

	while (dev) {
		struct pci_dev *next = dev->next;

		kfree(dev);
		dev = next;
	}
	while (bus) {
		struct pci_bus *next = bus->next;

		kfree(bus);
		bus = next;
	}
}

/* The boot log, in Linux's words. */
static void pci_print_device(struct pci_dev *dev)
{
	pci_info(dev, "[%04x:%04x] type %02x class 0x%06x\n", dev->vendor, dev->device,
		 dev->hdr_type, dev->class);
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct pci_bar *bar = &dev->bar[i];

		if (!bar->size)
			continue;
		pci_info(dev, "BAR %d [%s %#llx-%#llx%s%s]\n", i,
			 bar->flags & IORESOURCE_IO ? "io " : "mem",
			 (unsigned long long)bar->start,
			 (unsigned long long)(bar->start + bar->size - 1),
			 bar->flags & IORESOURCE_MEM_64 ? " 64bit" : "",
			 bar->flags & IORESOURCE_PREFETCH ? " pref" : "");
	}
	if (dev->pin)
		pci_info(dev, "INTx: pin %c, Interrupt Line %u\n", 'A' + dev->pin - 1,
			 dev->interrupt_line);
	if (dev->subordinate)
		pci_info(dev, "PCI bridge to [bus %02x]\n", dev->subordinate->number);
}

int pci_init(void)
{
	struct pci_bus *root;
	int nr_devs = 0, nr_buses = 0;

	if (WARN_ON_ONCE(pci_root))
		return -EBUSY;
	if (pci_direct_probe())
		return -ENODEV;
	root = pci_scan_root_bus(&pci_direct_ops, 0);
	if (!root)
		return -ENOMEM;
	for (struct pci_dev *dev = root->devices; dev; dev = dev->next, nr_devs++)
		pci_print_device(dev);
	for (struct pci_bus *bus = root; bus; bus = bus->next)
		nr_buses++;
	pr_info("%d devices on %d bus%s\n", nr_devs, nr_buses, nr_buses == 1 ? "" : "es");
	WRITE_ONCE(pci_root, root);
	return 0;
}

/* ---- the driver's calls ------------------------------------------------ */

struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from)
{
	struct pci_bus *root = READ_ONCE(pci_root);
	struct pci_dev *dev = from ? from->next : root ? root->devices : NULL;

	for (; dev; dev = dev->next) {
		if ((vendor == PCI_ANY_ID || dev->vendor == vendor) &&
		    (device == PCI_ANY_ID || dev->device == device))
			return dev;
	}
	return NULL;
}

struct pci_dev *pci_get_domain_bus_and_slot(int domain, unsigned int bus, unsigned int devfn)
{
	struct pci_dev *dev;

	if (domain)
		return NULL;
	for_each_pci_dev(dev) {
		if (dev->bus->number == bus && dev->devfn == devfn)
			return dev;
	}
	return NULL;
}

int pci_find_capability(const struct pci_dev *dev, int cap_id)
{
	u16 status, entry;
	u8 pos;

	if (pci_read_config_word(dev, PCI_STATUS, &status) || !(status & PCI_STATUS_CAP_LIST))
		return 0;
	/* a CardBus bridge keeps the pointer elsewhere, and this layer does not scan behind one */
	if (dev->hdr_type == PCI_HEADER_TYPE_CARDBUS)
		return 0;
	pci_read_config_byte(dev, PCI_CAPABILITY_LIST, &pos);
	for (int ttl = PCI_FIND_CAP_TTL; ttl > 0; ttl--) {
		pos &= ~3;		/* the low two bits are reserved */
		if (pos < PCI_CAP_FIRST)
			return 0;
		pci_read_config_word(dev, pos, &entry);
		if ((entry & 0xff) == 0xff)	/* the function stopped answering */
			return 0;
		if ((entry & 0xff) == cap_id)
			return pos;
		pos = entry >> 8;
	}
	pci_warn(dev, "capability list does not end after %d entries\n", PCI_FIND_CAP_TTL);
	return 0;
}

static void pci_update_command(struct pci_dev *dev, u16 clear, u16 set)
{
	unsigned long flags;
	u16 old, new;

	spin_lock_irqsave(&pci_command_lock, flags);
	pci_read_config_word(dev, PCI_COMMAND, &old);
	new = (old & ~clear) | set;
	if (new != old)
		pci_write_config_word(dev, PCI_COMMAND, new);
	spin_unlock_irqrestore(&pci_command_lock, flags);
}

int pci_enable_device(struct pci_dev *dev)
{
	u16 decode = 0;

	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (dev->bar[i].flags & IORESOURCE_IO)
			decode |= PCI_COMMAND_IO;
		if (dev->bar[i].flags & IORESOURCE_MEM)
			decode |= PCI_COMMAND_MEMORY;
	}
	pci_update_command(dev, 0, decode);
	return 0;
}

void pci_disable_device(struct pci_dev *dev)
{
	pci_clear_master(dev);
}

void pci_set_master(struct pci_dev *dev)
{
	pci_update_command(dev, 0, PCI_COMMAND_MASTER);
}

void pci_clear_master(struct pci_dev *dev)
{
	pci_update_command(dev, PCI_COMMAND_MASTER, 0);
}

void pci_intx(struct pci_dev *dev, int enable)
{
	if (enable)
		pci_update_command(dev, PCI_COMMAND_INTX_DISABLE, 0);
	else
		pci_update_command(dev, 0, PCI_COMMAND_INTX_DISABLE);
}

void *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	u64 start = pci_resource_start(dev, bar), len = pci_resource_len(dev, bar);

	if (!(pci_resource_flags(dev, bar) & IORESOURCE_MEM) || !start || !len)
		return NULL;
	if (maxlen && maxlen < len)
		len = maxlen;
	return ioremap(start, len);
}

void pci_iounmap(struct pci_dev *dev, void *addr)
{
	if (addr)
		iounmap(addr);
}
