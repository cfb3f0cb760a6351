/* SPDX-License-Identifier: MIT */
/* debug_pagealloc's mapping work on the arch page tables. */
#include <pga.h>
#include <pga/pgtable.h>

/*
 * Map (@map) or unmap @nr_pages pages of the direct map at @va in @pt,
 * with kernel read/write protection.  The body of the kernel_map_pages
 * hook for embedders whose direct map uses pga's page tables.
 * Return: 0 or the page-table error.  Context: as pga_pgtable_map.
 */
int pga_pgtable_kernel_map_pages(struct pga_pgtable *pt, void *va,
				 unsigned long nr_pages, bool map)
{
	size_t size = (size_t)nr_pages << PGA_PAGE_SHIFT;

	if (map)
		return pga_pgtable_map(pt, (uintptr_t)va, pga_virt_to_phys(va),
				       size, PGA_PROT_KERNEL);
	return pga_pgtable_unmap(pt, (uintptr_t)va, size);
}
