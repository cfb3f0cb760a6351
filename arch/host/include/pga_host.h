/* SPDX-License-Identifier: MIT */
/*
 * Controls of the host backend, for tests, benchmarks and the demo.
 * Not part of the kernel-facing API: only arch/host provides them.
 */
#ifndef PGA_HOST_H
#define PGA_HOST_H

#include <pga.h>

/*
 * A fault the backend detected: lock recursion, unlock by a non-owner,
 * interrupt-state nesting broken.  The default handler prints @msg to
 * stderr and aborts; tests install their own to assert that a misuse is
 * caught.  The backend carries on after the handler returns, without
 * performing the faulty operation.
 */
typedef void (*pga_host_fault_fn)(const char *msg);
pga_host_fault_fn pga_host_set_fault_handler(pga_host_fault_fn fn);

/* Make the calling thread CPU @cpu (default 0). */
void pga_host_set_cpu(unsigned int cpu);

/* Depth of nested pga_arch_irq_save() calls on this thread. */
unsigned int pga_host_irq_depth(void);

/* Acquisitions of @l so far (lock and successful trylock). */
unsigned long pga_host_lock_acquisitions(const pga_arch_spinlock_t *l);

/*
 * Fake RAM: @size bytes of address space standing for physical
 * [@phys_base, @phys_base + @size).  Pages are reserved, not committed, so
 * only what the allocator or the test touches costs host memory.
 */
struct pga_host_ram {
	void *virt;		/* where phys_base is mapped */
	pga_paddr_t phys_base;
	pga_paddr_t size;
	uintptr_t offset;	/* virt = phys + offset (pga_params) */
};
int pga_host_ram_create(struct pga_host_ram *ram, pga_paddr_t phys_base,
			pga_paddr_t size);
void pga_host_ram_destroy(struct pga_host_ram *ram);

#endif
