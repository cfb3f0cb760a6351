/* SPDX-License-Identifier: MIT */
#include "expect.h"
#include "internal.h"

void ex_seed_blocks(pga_pfn_t s, pga_pfn_t e, unsigned long nr_free[PGA_NR_ORDERS])
{
	while (s < e) {
		int o = PGA_MAX_ORDER;

		while (o > 0 && ((s & ((1UL << o) - 1)) || s + (1UL << o) > e))
			o--;
		nr_free[o]++;
		s += 1UL << o;
	}
}

unsigned long ex_memmap_pages(unsigned long pages)
{
	unsigned long bytes = pages * sizeof(struct pga_page) +
			      (pages >> PGA_PAGEBLOCK_ORDER) + 1;

	return (bytes + PGA_PAGE_SIZE - 1) / PGA_PAGE_SIZE;
}

unsigned long ex_pcp_pages(unsigned int zones, unsigned int cpus)
{
	return (sizeof(struct pga_pcp) * cpus * zones + PGA_PAGE_SIZE - 1) /
	       PGA_PAGE_SIZE;
}
