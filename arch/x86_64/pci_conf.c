/*
 * PCI configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2): a dword write to CONFIG_ADDRESS (0xcf8) selects a register,
 * then CONFIG_DATA (0xcfc + the low two bits of the offset) transfers 1,
 * 2 or 4 bytes of it. The address/data pair is one shared resource, so
 * each access holds pci_config_lock with interrupts off.
 */
#define pr_fmt(fmt) "pci: " fmt
#include <asm/pci.h>
#include <asm/io.h>
#include <kernel/spinlock.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

static DEFINE_SPINLOCK(pci_config_lock);	/* the 0xcf8/0xcfc pair */
static bool conf1_ok;				/* set once by pci_direct_probe() */

/*
 * CONFIG_ADDRESS: enable (bit 31), bus (23:16), device and function
 * (15:8, i.e. devfn), register number (7:2); bits 1:0 must be 0.
 */
static u32 conf1_address(unsigned int bus, unsigned int devfn, int reg)
{
	return PCI_CONF1_ENABLE | bus << 16 | devfn << 8 | (reg & 0xfc);
}

static int conf1_check(unsigned int bus, unsigned int devfn, int reg, int len)
{
	if (!conf1_ok)
		return -ENODEV;
	if (bus > 255 || devfn > 255 || reg < 0 || reg >= PCI_CONF_SIZE ||
	    (len != 1 && len != 2 && len != 4) || reg % len)
		return -EINVAL;
	return 0;
}

int raw_pci_read(unsigned int bus, unsigned int devfn, int reg, int len, u32 *val)
{
	u16 port = PCI_CONF1_DATA + (reg & 3);
	unsigned long flags;
	int err = conf1_check(bus, devfn, reg, len);

	if (err) {
		*val = ~0u;
		return err;
	}
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONF1_ADDRESS, conf1_address(bus, devfn, reg));
	*val = len == 1 ? inb(port) : len == 2 ? inw(port) : inl(port);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return 0;
}

int raw_pci_write(unsigned int bus, unsigned int devfn, int reg, int len, u32 val)
{
	u16 port = PCI_CONF1_DATA + (reg & 3);
	unsigned long flags;
	int err = conf1_check(bus, devfn, reg, len);

	if (err)
		return err;
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONF1_ADDRESS, conf1_address(bus, devfn, reg));
	if (len == 1)
		outb(port, (u8)val);
	else if (len == 2)
		outw(port, (u16)val);
	else
		outl(port, val);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return 0;
}

/*
 * Mechanism #1 is there if CONFIG_ADDRESS latches a dword written to it
 * (byte and word accesses to 0xcf8-0xcfb are ordinary I/O, e.g. the
 * reset control register at 0xcf9, so only dwords are used) and a
 * function on bus 0 then answers with a vendor ID other than all ones.
 */
int pci_direct_probe(void)
{
	unsigned long flags;
	u32 saved, latched, id = ~0u;

	spin_lock_irqsave(&pci_config_lock, flags);
	saved = inl(PCI_CONF1_ADDRESS);
	outl(PCI_CONF1_ADDRESS, PCI_CONF1_ENABLE);
	latched = inl(PCI_CONF1_ADDRESS);
	outl(PCI_CONF1_ADDRESS, saved);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	if (latched != PCI_CONF1_ENABLE) {
		pr_warn("no configuration mechanism #1 (0xcf8 reads %#x)\n", latched);
		return -ENODEV;
	}

	conf1_ok = true;
	for (unsigned int devfn = 0; devfn < 256; devfn += 8) {
		raw_pci_read(0, devfn, 0, 2, &id);
		if (id != 0xffff && id != 0)
			return 0;
	}
	conf1_ok = false;
	pr_warn("configuration mechanism #1 answers, but no device on bus 0 does\n");
	return -ENODEV;
}
