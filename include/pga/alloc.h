/* SPDX-License-Identifier: MIT */
/*
 * Allocating and freeing pages.
 *
 * Orders run from 0 (one page) to PGA_MAX_ORDER.  Allocation returns the
 * head page of a naturally aligned block of 2^order pages with a reference
 * count of 1, or NULL.  Bad input (order too large, an impossible zone
 * combination in gfp, an unknown node) gets NULL and a report through the
 * log hook; it never corrupts the allocator.
 * Context for every call: any context the gfp allows; without
 * __GFP_DIRECT_RECLAIM the call never sleeps and may run with interrupts
 * off.
 */
#ifndef PGA_ALLOC_H
#define PGA_ALLOC_H

#include "gfp.h"
#include "mmzone.h"
#include "page.h"

/*
 * The heart of the allocator (Linux __alloc_pages): allocate 2^@order
 * pages under @gfp, preferring node @preferred_nid (PGA_NUMA_NO_NODE: the
 * current CPU's node) and staying inside @nodemask (NULL: any node).
 * Return: the head page, or NULL.
 */
struct pga_page *pga_alloc_pages_nodemask(pga_gfp_t gfp, unsigned int order,
					  int preferred_nid,
					  const pga_nodemask_t *nodemask);

/* pga_alloc_pages_nodemask() on the current CPU's node. */
struct pga_page *pga_alloc_pages(pga_gfp_t gfp, unsigned int order);
/* One page. */
struct pga_page *pga_alloc_page(pga_gfp_t gfp);
/* On node @nid (PGA_NUMA_NO_NODE: the current CPU's node). */
struct pga_page *pga_alloc_pages_node(int nid, pga_gfp_t gfp,
				      unsigned int order);

/*
 * Like pga_alloc_pages() but return the direct-map address (0 on failure).
 * __GFP_HIGHMEM is ignored.  _zeroed_page adds __GFP_ZERO, _dma_pages
 * adds __GFP_DMA.
 */
uintptr_t pga_get_free_pages(pga_gfp_t gfp, unsigned int order);
uintptr_t pga_get_free_page(pga_gfp_t gfp);
uintptr_t pga_get_zeroed_page(pga_gfp_t gfp);
uintptr_t pga_get_dma_pages(pga_gfp_t gfp, unsigned int order);

/*
 * Drop a reference to the block at @page of @order (Linux __free_pages).
 * When the count reaches zero the block is freed.  If other references
 * remain on a non-compound block, the pages past the first are freed at
 * once and page 0 is freed by the last put.  NULL is ignored.
 */
void pga_free_pages(struct pga_page *page, unsigned int order);
void pga_free_page(struct pga_page *page);
/* Same by direct-map address; 0 is ignored (Linux free_pages). */
void pga_free_pages_va(uintptr_t addr, unsigned int order);

/*
 * Bulk allocation (Linux __alloc_pages_bulk, array form): fill the NULL
 * slots of @page_array[0 .. @nr_pages) with order-0 pages under @gfp,
 * preferring node @preferred_nid (PGA_NUMA_NO_NODE: this CPU's node)
 * within @nodemask (NULL: any).  Slots already holding a page are left
 * alone, so a partly filled array can be topped up.  The pages come from
 * this CPU's list of the first local zone that stays above its low
 * watermark plus @nr_pages, under one pcp-lock hold, refilled a batch at
 * a time; when no local zone qualifies, only one slot is missing, the
 * CPU's list is busy or the zone runs dry at once, one page is allocated
 * the ordinary way instead (which may reclaim, as @gfp allows).
 * Return: the number of leading slots now populated (an allocation
 * failure stops the fill early).  Bad input gets a log report: a NULL
 * array returns 0, an invalid gfp the leading slots already populated.
 */
unsigned long pga_alloc_pages_bulk(pga_gfp_t gfp, int preferred_nid,
				   const pga_nodemask_t *nodemask,
				   unsigned long nr_pages,
				   struct pga_page **page_array);
/* The same on the current CPU's node (Linux alloc_pages_bulk_array). */
unsigned long pga_alloc_pages_bulk_array(pga_gfp_t gfp, unsigned long nr_pages,
					 struct pga_page **page_array);

/*
 * Drop one reference on each page of @pages[0 .. @nr) (Linux
 * release_pages), as pga_put_page() would: a compound page is freed at
 * its order when its count reaches zero, any other page as order 0.  The
 * order-0 frees are batched onto this CPU's lists like Linux
 * free_unref_page_list: the list lock is taken once per zone and per 32
 * pages.  NULL entries are skipped; an entry that is not a referenced
 * page pga manages is skipped with a log report.
 */
void pga_release_pages(struct pga_page **pages, unsigned long nr);

/*
 * Turn a non-compound block of 2^@order pages with refcount > 0 into
 * 2^@order order-0 pages, each with refcount 1 (Linux split_page).
 * A compound page, a page without references, or an @order other than
 * the one the block was allocated with (and still holds: __free_pages
 * with a second reference leaves only page 0) is reported through the
 * log hook and nothing changes.  Context: any.
 */
void pga_split_page(struct pga_page *page, unsigned int order);

/*
 * The smallest order whose block holds @size bytes (Linux get_order).  As
 * in Linux, @size 0 gives 64 - PGA_PAGE_SHIFT, an order no allocation
 * accepts.
 */
static inline unsigned int pga_get_order(unsigned long size)
{
	unsigned long long pages =
		((unsigned long long)size - 1) >> PGA_PAGE_SHIFT;

	return pages ? 64u - (unsigned int)__builtin_clzll(pages) : 0u;
}

/*
 * Exactly ceil(@size / page size) contiguous pages (Linux
 * alloc_pages_exact): a block of pga_get_order(@size) is allocated, split
 * into order-0 pages, and the pages past @size go straight back to the
 * buddy (to the tail of the free lists, so they stay free for merging).
 * __GFP_COMP and __GFP_HIGHMEM make no sense here: they are dropped with
 * a report.  Return: the direct-map address, or NULL.
 */
void *pga_alloc_pages_exact(size_t size, pga_gfp_t gfp);
/* Free what pga_alloc_pages_exact(@size) returned, page by page. */
void pga_free_pages_exact(void *virt, size_t size);

#endif /* PGA_ALLOC_H */
