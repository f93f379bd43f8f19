/*
 * PCI configuration space access through configuration mechanism #1: the
 * CONFIG_ADDRESS port 0xcf8 selects bus, device, function and register;
 * the CONFIG_DATA window 0xcfc-0xcff reads or writes it (PCI Local Bus
 * Specification 3.0, 3.2.2.3.2). Only segment 0 and the first 256 bytes
 * of each function exist this way. kernel/drivers/pci.c builds the
 * generic PCI layer (include/kernel/pci.h) on these calls.
 */
#ifndef ASM_PCI_H
#define ASM_PCI_H

#include <kernel/types.h>

#define PCI_CONF1_ADDRESS	0xcf8	/* CONFIG_ADDRESS: dword accesses only */
#define PCI_CONF1_DATA		0xcfc	/* CONFIG_DATA: the selected dword, any width */
#define PCI_CONF1_ENABLE	0x80000000u	/* CONFIG_ADDRESS bit 31: enable the data window */
#define PCI_CONF_SIZE		256	/* bytes of config space per function (mechanism #1 reach) */

/**
 * pci_direct_probe() - check that configuration mechanism #1 works
 *
 * The CONFIG_ADDRESS register must hold a value written to it, and some
 * function on bus 0 must answer with a valid vendor ID. Until this has
 * returned 0 the accessors below refuse with -ENODEV.
 *
 * Return: 0, or -ENODEV if the mechanism is absent.
 */
int pci_direct_probe(void);

/**
 * raw_pci_read() - read a register of a function's configuration space
 * @bus:   bus number (0-255)
 * @devfn: device (bits 7:3) and function (bits 2:0)
 * @reg:   byte offset, below 256 and a multiple of @len
 * @len:   1, 2 or 4 bytes
 * @val:   the value; all ones on an error, as an absent function reads
 *
 * Serialized against other accesses on any CPU (a spinlock, irqsave), so
 * it may be called from interrupt handlers.
 *
 * Return: 0, -EINVAL for a bad argument, -ENODEV before a successful
 * pci_direct_probe().
 */
int raw_pci_read(unsigned int bus, unsigned int devfn, int reg, int len, u32 *val);

/**
 * raw_pci_write() - write a register of a function's configuration space
 * @bus, @devfn, @reg, @len: as raw_pci_read()
 * @val: the value; only its low @len bytes are written
 *
 * Return: 0, -EINVAL for a bad argument (nothing is written), -ENODEV
 * before a successful pci_direct_probe().
 */
int raw_pci_write(unsigned int bus, unsigned int devfn, int reg, int len, u32 val);

#endif
