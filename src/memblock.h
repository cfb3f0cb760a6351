/* SPDX-License-Identifier: MIT */
/* Boot-time range bookkeeping shared by init.c and memblock.c. */
#ifndef PGA_MEMBLOCK_H
#define PGA_MEMBLOCK_H

#include "internal.h"

/* A pfn range [start, end) with its node (-1 for reserved ranges). */
struct pga_mb_range {
	pga_pfn_t start, end;
	int nid;
};

#define PGA_MB_NONE (~(pga_pfn_t)0)

struct pga_memblock {
	struct pga_mb_range ram[PGA_CONFIG_MAX_RANGES];
	struct pga_mb_range res[PGA_CONFIG_MAX_RANGES];
	struct pga_mb_range avail[2 * PGA_CONFIG_MAX_RANGES + 8];
	size_t nr_ram, nr_res, nr_avail;
};

int pga_mb_load(struct pga_memblock *mb, const struct pga_mem_range *ram,
		size_t nr_ram, const struct pga_mem_range *res, size_t nr_res);
int pga_mb_compute_avail(struct pga_memblock *mb);
pga_pfn_t pga_mb_carve(struct pga_memblock *mb, unsigned long nr_pages,
		       int nid);

#endif
