/*
 * The PCI layer: the devices found at boot (bus 0 and every bus behind a
 * PCI-to-PCI bridge), their configuration registers and BARs, and the
 * calls a driver makes, with Linux's names and meanings (see Linux's
 * Documentation/PCI/pci.rst for the driver's side). Register layout: PCI
 * Local Bus Specification 3.0, chapter 6; bridges: PCI-to-PCI Bridge
 * Architecture Specification 1.2, chapter 3.
 *
 * Devices are found once, by pci_init(), and never removed, so the
 * pointers that pci_get_device() hands out stay valid; pci_dev_put() is
 * there for drivers written against Linux and does nothing.
 */
#ifndef KERNEL_PCI_H
#define KERNEL_PCI_H

#include <kernel/types.h>
#include <kernel/printk.h>

/* Configuration space header, common part (PCI 3.0, 6.1) */
#define PCI_VENDOR_ID		0x00	/* 16 bits */
#define PCI_DEVICE_ID		0x02	/* 16 bits */
#define PCI_COMMAND		0x04	/* 16 bits */
#define  PCI_COMMAND_IO		0x0001	/* respond to I/O space accesses */
#define  PCI_COMMAND_MEMORY	0x0002	/* respond to memory space accesses */
#define  PCI_COMMAND_MASTER	0x0004	/* may master the bus (DMA, MSI writes) */
#define  PCI_COMMAND_INTX_DISABLE 0x0400 /* do not assert INTx# */
#define PCI_STATUS		0x06	/* 16 bits */
#define  PCI_STATUS_INTERRUPT	0x0008	/* INTx# is being requested (even if disabled) */
#define  PCI_STATUS_CAP_LIST	0x0010	/* PCI_CAPABILITY_LIST is valid */
#define PCI_CLASS_REVISION	0x08	/* revision (7:0), class code (31:8) */
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09	/* programming interface */
#define PCI_CLASS_DEVICE	0x0a	/* base class (15:8) and sub-class (7:0) */
#define PCI_HEADER_TYPE		0x0e	/* 8 bits */
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_TYPE_NORMAL	0
#define  PCI_HEADER_TYPE_BRIDGE	1
#define  PCI_HEADER_TYPE_CARDBUS 2
#define  PCI_HEADER_TYPE_MFD	0x80	/* functions 1-7 may exist too */
#define PCI_BASE_ADDRESS_0	0x10	/* BARs: 6 dwords in a type 0 header, 2 in type 1 */
#define  PCI_BASE_ADDRESS_SPACE_IO	0x01	/* bit 0: I/O (1) or memory (0) */
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK	0x06
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x04	/* the next BAR holds bits 63:32 */
#define  PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define  PCI_BASE_ADDRESS_MEM_MASK	(~0x0fu)
#define  PCI_BASE_ADDRESS_IO_MASK	(~0x03u)
#define PCI_CAPABILITY_LIST	0x34	/* offset of the first capability (types 0 and 1) */
#define PCI_INTERRUPT_LINE	0x3c	/* 8 bits: the IRQ firmware routed INTx to */
#define PCI_INTERRUPT_PIN	0x3d	/* 8 bits: 0 none, 1-4 INTA#-INTD# */

/* Type 1 header (PCI-to-PCI bridge) */
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19	/* the bus directly behind the bridge */
#define PCI_SUBORDINATE_BUS	0x1a	/* the highest bus number behind it */

/* Capability list entries: ID byte, next-pointer byte */
#define PCI_CAP_LIST_ID		0
#define PCI_CAP_LIST_NEXT	1
#define PCI_CAP_ID_PM		0x01	/* power management */
#define PCI_CAP_ID_MSI		0x05	/* message signalled interrupts */
#define PCI_CAP_ID_VNDR		0x09	/* vendor specific */
#define PCI_CAP_ID_EXP		0x10	/* PCI Express */
#define PCI_CAP_ID_MSIX		0x11	/* MSI-X */

#define PCI_CLASS_BRIDGE_HOST	0x0600	/* class >> 8 of a host bridge */
#define PCI_CLASS_BRIDGE_PCI	0x0604

#define PCI_DEVFN(slot, func)	((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

#define PCI_ANY_ID		(~0u)	/* pci_get_device(): matches any vendor or device */
#define PCI_STD_NUM_BARS	6

/* pci_resource_flags(), with Linux's IORESOURCE_* values */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000

struct pci_bus;

/*
 * Configuration space access for a hierarchy of buses. The one the boot
 * hierarchy uses goes through the architecture's raw_pci_read/write();
 * tests supply their own to scan a simulated hierarchy.
 */
struct pci_ops {
	/* read @size (1, 2, 4) bytes at @where; checked arguments; 0 or -errno */
	int (*read)(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val);
	/* write the low @size bytes of @val at @where; 0 or -errno */
	int (*write)(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val);
};

/* One bus. Built by the scan and never changed afterwards. */
struct pci_bus {
	struct pci_bus *parent;		/* the bus the bridge sits on; NULL for a root */
	struct pci_dev *self;		/* the bridge leading here; NULL for a root */
	const struct pci_ops *ops;	/* the root's, for every bus below it */
	unsigned char number;		/* bus number */
	struct pci_bus *next;		/* next bus of this hierarchy, in scan order */
	struct pci_dev *devices;	/* root only: every device of the hierarchy, in scan order */
};

/* One BAR as found by sizing: physical address, bytes, IORESOURCE_* flags. */
struct pci_bar {
	u64 start;			/* as firmware assigned it (0 if it did not) */
	u64 size;			/* 0: the device has no such BAR */
	unsigned long flags;		/* 0 also for the upper half of a 64-bit BAR */
};

/*
 * One function. Every field is set by the scan and then only read,
 * except irq, which the interrupt layer assigns (before the driver's
 * request_irq()).
 */
struct pci_dev {
	struct pci_dev *next;		/* next device of the hierarchy (pci_get_device() order) */
	struct pci_bus *bus;		/* the bus it sits on */
	struct pci_bus *subordinate;	/* a bridge's secondary bus, if it was scanned */
	unsigned int devfn;		/* PCI_DEVFN(slot, function) */
	unsigned short vendor;
	unsigned short device;
	unsigned int class;		/* 24 bits: base class, sub-class, prog-if */
	u8 revision;
	u8 hdr_type;			/* PCI_HEADER_TYPE_* without the MFD bit */
	bool multifunction;		/* its header type has PCI_HEADER_TYPE_MFD */
	u8 pin;				/* PCI_INTERRUPT_PIN: 0 none, 1-4 INTA-INTD */
	u8 interrupt_line;		/* PCI_INTERRUPT_LINE as firmware left it (0xff: none) */
	int irq;			/* IRQ number for request_irq(); 0 until assigned */
	bool msi_enabled;		/* MSI on (pci_alloc_irq_vectors with PCI_IRQ_MSI) */
	struct pci_bar bar[PCI_STD_NUM_BARS];
	char name[16];			/* "0000:bb:dd.f", as pci_name() gives it */
};

/**
 * pci_init() - find every PCI device and log it
 *
 * Probes the configuration mechanism, scans bus 0 and each bus behind a
 * PCI-to-PCI bridge (following the bridge's secondary bus number), sizes
 * the BARs, and prints one line per device as Linux does:
 * "pci 0000:00:04.0: [1234:11e8] type 00 class 0x00ff00". Called once at
 * boot, before other CPUs run.
 *
 * Return: 0, or -ENODEV if there is no configuration access.
 */
int pci_init(void);

/**
 * pci_scan_root_bus() - scan a hierarchy of buses
 * @ops:   configuration access for it
 * @busnr: number of its root bus
 *
 * Finds the functions on the root bus (all 32 slots; functions 1-7 of a
 * slot whose function 0 says multi-function) and, breadth first, on each
 * bus a bridge's secondary bus number leads to; a bus already scanned is
 * not scanned again, so wrong or looping bus numbers cannot loop. BARs
 * are sized with memory and I/O decoding off meanwhile. The hierarchy is
 * not added to the devices pci_get_device() sees: pci_init() does that
 * for the boot one; tests scan simulated ones with their own @ops.
 *
 * Return: the root bus (its devices in ->devices), or NULL if out of memory.
 */
struct pci_bus *pci_scan_root_bus(const struct pci_ops *ops, int busnr);
/* Free a hierarchy from pci_scan_root_bus() and all its buses and devices. */
void pci_free_root_bus(struct pci_bus *root);

/**
 * pci_bus_read_config() - read configuration space through a bus's ops
 * @bus:   the bus
 * @devfn: device and function on it
 * @where: offset, below 256 and a multiple of @size
 * @size:  1, 2 or 4
 * @val:   the value; all ones on an error
 *
 * Return: 0, -EINVAL for a bad offset or size (the ops are not called),
 * or the ops' error.
 */
int pci_bus_read_config(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val);
/* As pci_bus_read_config(), writing the low @size bytes of @val; nothing is written on -EINVAL. */
int pci_bus_write_config(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val);

static inline int pci_bus_read_config_byte(struct pci_bus *bus, unsigned int devfn, int where, u8 *val)
{
	u32 v;
	int err = pci_bus_read_config(bus, devfn, where, 1, &v);

	*val = (u8)v;
	return err;
}

static inline int pci_bus_read_config_word(struct pci_bus *bus, unsigned int devfn, int where, u16 *val)
{
	u32 v;
	int err = pci_bus_read_config(bus, devfn, where, 2, &v);

	*val = (u16)v;
	return err;
}

static inline int pci_bus_read_config_dword(struct pci_bus *bus, unsigned int devfn, int where, u32 *val)
{
	return pci_bus_read_config(bus, devfn, where, 4, val);
}

/*
 * pci_read_config_{byte,word,dword}() - read a register of @dev's configuration
 * space at offset @where (below 256, aligned to the access size) into *@val.
 * Return: 0, or -EINVAL for a bad offset (and *@val all ones).
 */
static inline int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	return pci_bus_read_config_byte(dev->bus, dev->devfn, where, val);
}

static inline int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	return pci_bus_read_config_word(dev->bus, dev->devfn, where, val);
}

static inline int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return pci_bus_read_config(dev->bus, dev->devfn, where, 4, val);
}

/*
 * pci_write_config_{byte,word,dword}() - write @val to @dev's configuration
 * space at offset @where (below 256, aligned to the access size).
 * Return: 0, or -EINVAL for a bad offset (nothing is written).
 */
static inline int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return pci_bus_write_config(dev->bus, dev->devfn, where, 1, val);
}

static inline int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return pci_bus_write_config(dev->bus, dev->devfn, where, 2, val);
}

static inline int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return pci_bus_write_config(dev->bus, dev->devfn, where, 4, val);
}

/**
 * pci_get_device() - find a device by vendor and device ID
 * @vendor: vendor ID to match, or PCI_ANY_ID
 * @device: device ID to match, or PCI_ANY_ID
 * @from:   the previous match to continue after, or NULL to start at the first device
 *
 * Return: the next matching device, or NULL when there are no more.
 */
struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from);

/* Every device found at boot, in scan order: for_each_pci_dev(dev) { ... } */
#define for_each_pci_dev(d) \
	for ((d) = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL); (d); \
	     (d) = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, (d)))

/**
 * pci_get_domain_bus_and_slot() - the device at a bus address
 * @domain: PCI segment; only 0 exists
 * @bus:    bus number
 * @devfn:  PCI_DEVFN(slot, function)
 *
 * Return: the device found at boot there, or NULL.
 */
struct pci_dev *pci_get_domain_bus_and_slot(int domain, unsigned int bus, unsigned int devfn);

/* Devices are never freed: reference counting is not needed, these keep Linux drivers' calls. */
static inline struct pci_dev *pci_dev_get(struct pci_dev *dev) { return dev; }
static inline void pci_dev_put(struct pci_dev *dev) { }

/* "0000:bb:dd.f" */
static inline const char *pci_name(const struct pci_dev *dev) { return dev->name; }

/* Log a line about a device, "pci 0000:00:04.0: ..." as Linux's boot log shows them. */
#define pci_err(dev, fmt, ...)	printk(KERN_ERR "pci %s: " fmt, pci_name(dev), ##__VA_ARGS__)
#define pci_warn(dev, fmt, ...)	printk(KERN_WARNING "pci %s: " fmt, pci_name(dev), ##__VA_ARGS__)
#define pci_info(dev, fmt, ...)	printk(KERN_INFO "pci %s: " fmt, pci_name(dev), ##__VA_ARGS__)

/**
 * pci_find_capability() - find a capability in a device's capability list
 * @dev:    the device
 * @cap_id: PCI_CAP_ID_*
 *
 * Walks the list from PCI_CAPABILITY_LIST if PCI_STATUS_CAP_LIST says
 * there is one. The walk stops at a pointer into the header (below 0x40)
 * and after 48 entries, the most that fit in the 192 bytes after the
 * header, so a looping list ends too.
 *
 * Return: the capability's offset in configuration space, or 0 if the
 * device does not have it.
 */
int pci_find_capability(const struct pci_dev *dev, int cap_id);

/**
 * pci_enable_device() - let the device decode its BARs
 * @dev: the device
 *
 * Turns on memory decoding if it has a memory BAR and I/O decoding if it
 * has an I/O BAR (PCI_COMMAND_MEMORY, PCI_COMMAND_IO). Bridges above it
 * are left as firmware set them (decoding their windows).
 *
 * Return: 0.
 */
int pci_enable_device(struct pci_dev *dev);
/* Stop the device mastering the bus (decoding stays on, as in Linux). */
void pci_disable_device(struct pci_dev *dev);
/* Let the device master the bus: DMA, and the memory writes that MSI sends (PCI_COMMAND_MASTER). */
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);
/**
 * pci_intx() - let the device assert its INTx# pin, or stop it
 * @dev:    the device
 * @enable: nonzero clears PCI_COMMAND_INTX_DISABLE, zero sets it
 *
 * May be called from an interrupt handler.
 */
void pci_intx(struct pci_dev *dev, int enable);

/* pci_resource_{start,len,flags}() - BAR @bar's address, size and IORESOURCE_* flags; 0 for a bad @bar. */
static inline u64 pci_resource_start(const struct pci_dev *dev, int bar)
{
	return bar >= 0 && bar < PCI_STD_NUM_BARS ? dev->bar[bar].start : 0;
}

static inline u64 pci_resource_len(const struct pci_dev *dev, int bar)
{
	return bar >= 0 && bar < PCI_STD_NUM_BARS ? dev->bar[bar].size : 0;
}

static inline unsigned long pci_resource_flags(const struct pci_dev *dev, int bar)
{
	return bar >= 0 && bar < PCI_STD_NUM_BARS ? dev->bar[bar].flags : 0;
}

/**
 * pci_iomap() - map a memory BAR
 * @dev:    the device
 * @bar:    BAR number
 * @maxlen: map at most this many bytes; 0 for the whole BAR
 *
 * Maps uncached with ioremap(); access it with readl()/writel().
 *
 * Return: the address of the BAR's first byte, or NULL if the BAR is not
 * a memory BAR with an address, or out of memory. I/O BARs are not
 * mapped (use the port in pci_resource_start() with inl()/outl()).
 */
void *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);

/* The MSI capability (PCI Local Bus spec 3.0, 6.8.1). */
#define PCI_MSI_FLAGS		2	/* 16 bits: message control */
#define PCI_MSI_FLAGS_ENABLE	0x0001
#define PCI_MSI_FLAGS_QMASK	0x000e	/* vectors the device can ask for (log2) */
#define PCI_MSI_FLAGS_QSIZE	0x0070	/* vectors enabled (log2) */
#define PCI_MSI_FLAGS_64BIT	0x0080
#define PCI_MSI_FLAGS_MASKBIT	0x0100	/* per-vector masking */
#define PCI_MSI_ADDRESS_LO	4
#define PCI_MSI_ADDRESS_HI	8	/* 64-bit only */
#define PCI_MSI_DATA_32		8
#define PCI_MSI_DATA_64		12
#define PCI_MSI_MASK_32		12
#define PCI_MSI_MASK_64		16

/* What pci_alloc_irq_vectors() may use, as Linux's flags. */
#define PCI_IRQ_LEGACY		(1u << 0)	/* the INTx pin */
#define PCI_IRQ_MSI		(1u << 1)
#define PCI_IRQ_MSIX		(1u << 2)	/* not supported: no device here has it */
#define PCI_IRQ_ALL_TYPES	(PCI_IRQ_LEGACY | PCI_IRQ_MSI | PCI_IRQ_MSIX)

/**
 * pci_alloc_irq_vectors() - give a device interrupt vectors
 * @dev: the device
 * @min_vecs: the fewest it can work with
 * @max_vecs: the most it can use
 * @flags: PCI_IRQ_* types to try, MSI before INTx
 *
 * MSI: one vector (multi-message MSI is not supported), edge-triggered,
 * sent to the boot CPU; INTx is disabled at the device. INTx: the IRQ the
 * firmware's Interrupt Line maps to (level-triggered, may be shared).
 * Afterwards pci_irq_vector(dev, 0) is the IRQ for request_irq().
 *
 * Return: the number of vectors (1), -ENOSPC if no type in flags gives
 * min_vecs, -EINVAL for bad arguments.
 */
int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags);
/* The IRQ of vector nr, or -EINVAL. */
int pci_irq_vector(struct pci_dev *dev, unsigned int nr);
/* Undo pci_alloc_irq_vectors() (free_irq() first). */
void pci_free_irq_vectors(struct pci_dev *dev);

/* Provided by the architecture: set up / take down an MSI IRQ for dev. */
int arch_setup_msi_irq(struct pci_dev *dev, int cap);
void arch_teardown_msi_irq(struct pci_dev *dev, unsigned int irq);
void pci_iounmap(struct pci_dev *dev, void *addr);

#endif
