/* SPDX-License-Identifier: MIT */
/* Host backend: fake physical RAM backed by reserved address space. */
#include <sys/mman.h>

#include "pga_host.h"

int pga_host_ram_create(struct pga_host_ram *ram, pga_paddr_t phys_base,
			pga_paddr_t size)
{
	void *p;

	if (!size || (size & (PGA_PAGE_SIZE - 1)) ||
	    (phys_base & (PGA_PAGE_SIZE - 1)))
		return -PGA_EINVAL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -PGA_ENOMEM;
	ram->virt = p;
	ram->phys_base = phys_base;
	ram->size = size;
	ram->offset = (uintptr_t)p - (uintptr_t)phys_base;
	return 0;
}

void pga_host_ram_destroy(struct pga_host_ram *ram)
{
	if (ram->virt)
		munmap(ram->virt, ram->size);
	ram->virt = NULL;
}
