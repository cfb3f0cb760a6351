/* SPDX-License-Identifier: MIT */
/*
 * Helpers for tests that need a zone in an exact state: machines sized so
 * that a zone manages an exact number of pages, taking blocks from one
 * zone regardless of watermarks, and reading the free lists.
 */
#ifndef PGA_TEST_ZONES_H
#define PGA_TEST_ZONES_H

#include "fixture.h"
#include "internal.h"

#define ZH_GIB_PAGES 262144UL /* 1 GiB of 4 KiB pages */

/* Zone @zt of node @nid; node 0's ZONE_NORMAL. */
struct pga_zone *zh_zone(int nid, int zt);
struct pga_zone *zh_normal(void);

/*
 * Pages of RAM to give a single range starting at a section-aligned @base
 * so that, after pga carves the memmap and the per-CPU lists of @nzones
 * zones (for one CPU) from its top, @managed pages are left for the
 * buddy allocator, of which @below are in lower zones of the range.
 */
unsigned long zh_ram_pages(pga_paddr_t base, unsigned long below,
			   unsigned long managed, unsigned int nzones);

/*
 * One node, one range at @base (>= 4 GiB, so ZONE_NORMAL only) sized so
 * the zone manages exactly @managed pages.  @p may be NULL (defaults);
 * @hooks may be NULL (the fixture's).
 */
void zh_init_normal(struct pga_params *p, pga_paddr_t base,
		    unsigned long managed, const struct pga_hooks *hooks);

/* A taken block, to give back with zh_release(). */
struct zh_block {
	struct pga_page *page;
	unsigned int order;
};

/*
 * Take a block of @order for migratetype @mt from @z alone, with
 * @alloc_flags (PGA_ALLOC_NO_WATERMARKS to ignore the marks), through the
 * fast path's get_page_from_freelist.  Return: the page or NULL.
 */
struct pga_page *zh_take(struct pga_zone *z, unsigned int order, int mt,
			 unsigned int alloc_flags);

/*
 * Take blocks from @z (largest first, ignoring watermarks) until exactly
 * @free pages are left on its free lists; the CPU's per-CPU lists are
 * drained on the way.  The blocks are recorded in @out (at most @max).
 * Return: the number recorded.
 */
size_t zh_drain_to(struct pga_zone *z, unsigned long free, struct zh_block *out,
		   size_t max);
/* Free every block of @b[0..n). */
void zh_release(struct zh_block *b, size_t n);

/* NR_FREE_PAGES of @z. */
unsigned long zh_free(const struct pga_zone *z);
/* First (head) / last (tail) pfn on a free list, or 0 if it is empty. */
pga_pfn_t zh_head(const struct pga_zone *z, unsigned int order, int mt);
pga_pfn_t zh_tail(const struct pga_zone *z, unsigned int order, int mt);
/* Blocks on a free list. */
unsigned long zh_count(const struct pga_zone *z, unsigned int order, int mt);
/* True if the free block headed by @pfn (of @order) is on @mt's list. */
bool zh_on_list(const struct pga_zone *z, pga_pfn_t pfn, unsigned int order,
		int mt);

#endif
