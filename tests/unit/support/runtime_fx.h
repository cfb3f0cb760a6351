/* SPDX-License-Identifier: MIT */
/* Helpers shared by the runtime-memory tests (isolation, contig, CMA, hotplug).
 */
#ifndef PGA_TEST_RUNTIME_FX_H
#define PGA_TEST_RUNTIME_FX_H

#include "fixture.h"
#include "internal.h"

/* The zone structure itself (tests look inside). */
struct pga_zone *rt_zone(int nid, int zt);
/* A snapshot through pga_zone_get_info(). */
struct pga_zone_info rt_info(int nid, int zt);
/* Blocks on the @mt list of @order in @z, and the first one's pfn. */
unsigned long rt_list_len(struct pga_zone *z, unsigned int order, int mt);
pga_pfn_t rt_list_first(struct pga_zone *z, unsigned int order, int mt);
/* Pages on every CPU's per-CPU lists of @z. */
unsigned long rt_pcp_count(struct pga_zone *z);
/* Assert the free blocks per order of a zone equal @want. */
void rt_assert_nr_free(int nid, int zt,
		       const unsigned long want[PGA_NR_ORDERS]);
/* Assert every pageblock in [@s, @e) has type @mt. */
void rt_assert_pageblocks(pga_pfn_t s, pga_pfn_t e, int mt);
/*
 * Boot @ram_size bytes of RAM at 0 on node 0, no DMA zone, ZONE_DMA32
 * ending at @dma32_end, with a fresh movable-page owner table and its
 * migrate hook; @poison turns page poisoning on.
 */
void rt_boot_dma32(pga_paddr_t ram_size, pga_paddr_t dma32_end, bool poison);
/* A page accounting snapshot. */
struct pga_page_accounting rt_acct(void);

#endif
