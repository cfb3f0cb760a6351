/* SPDX-License-Identifier: MIT */
/*
 * Range bookkeeping shared by init.c, memblock.c, hotplug.c and cma.c:
 * the memblock of one pga_init() or pga_add_memory() call, and the steps
 * of memory set-up that boot and hot-add share.
 */
#ifndef PGA_MEMBLOCK_H
#define PGA_MEMBLOCK_H

#include "internal.h"

/*
 * A pfn range [start, end) with its node (-1 for reserved ranges).  An
 * available range inside a CMA area is flagged: metadata is never carved
 * from it.
 */
struct pga_mb_range {
	pga_pfn_t start, end;
	int nid;
	bool cma;
};

#define PGA_MB_NONE (~(pga_pfn_t)0)

struct pga_memblock {
	struct pga_mb_range ram[PGA_CONFIG_MAX_RANGES];
	struct pga_mb_range res[PGA_CONFIG_MAX_RANGES];
	struct pga_mb_range cma[PGA_CONFIG_MAX_CMA_AREAS];
	struct pga_mb_range avail[2 * PGA_CONFIG_MAX_RANGES + 8 +
				  2 * PGA_CONFIG_MAX_CMA_AREAS];
	size_t nr_ram, nr_res, nr_avail, nr_cma;
};

void pga_mb_sort(struct pga_mb_range *r, size_t n);
int pga_mb_load(struct pga_memblock *mb, const struct pga_mem_range *ram,
		size_t nr_ram, const struct pga_mem_range *res, size_t nr_res);
int pga_mb_compute_avail(struct pga_memblock *mb);
pga_pfn_t pga_mb_carve(struct pga_memblock *mb, unsigned long nr_pages,
		       int nid);

/* init.c: the steps boot and hot-add share (see each definition). */
void pga_init_size_nodes(const struct pga_memblock *mb);
int pga_init_memmap(struct pga_memblock *mb, bool commit);
int pga_init_pcps(struct pga_memblock *mb, int nid, unsigned int zone_mask,
		  bool commit);
void pga_init_section_pages(const struct pga_memblock *mb, unsigned long sec);
void pga_init_seed(const struct pga_memblock *mb);

/* cma.c: boot-time CMA set-up, in this order inside pga_init(). */
int pga_cma_reserve(struct pga_memblock *mb, const struct pga_mem_range *cma,
		    unsigned int nr);
int pga_cma_carve(struct pga_memblock *mb);
void pga_cma_activate(void);

#endif
