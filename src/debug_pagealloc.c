/* SPDX-License-Identifier: MIT */
/*
 * debug_pagealloc (Linux mm/debug_page_alloc.c + __kernel_map_pages):
 * free pages are unmapped from the direct map and mapped again when they
 * are handed out, through the embedder's kernel_map_pages hook (normally
 * the arch page tables, pga_pgtable_kernel_map_pages).
 */
#include "internal.h"

static bool enabled(void)
{
	return PGA_CONFIG_DEBUG && pga_g.params.debug_pagealloc &&
	       pga_g.hooks.kernel_map_pages;
}

/*
 * Map (@map) or unmap the 2^@order pages at @page in the direct map.
 * Failures are reported; the pages then simply stay as they were.
 * Context: any; no pga lock held.
 */
void pga_debug_pagealloc(struct pga_page *page, unsigned int order, bool map)
{
	int err;

	if (!enabled())
		return;
	err = pga_g.hooks.kernel_map_pages(pga_g.hooks.ctx,
					   pga_page_address(page), 1UL << order,
					   map);
	if (err)
		pga_log(PGA_LOG_ERR, "pga: debug_pagealloc could not %s pfn "
			"%#llx order %u: error %d", map ? "map" : "unmap",
			(unsigned long long)page_pfn(page), order, err);
}

/* Refuse debug_pagealloc without the hook that does the work. */
int pga_debug_pagealloc_check(const struct pga_params *p,
			      const struct pga_hooks *h)
{
	if (p->debug_pagealloc && (!h || !h->kernel_map_pages)) {
		pga_log(PGA_LOG_ERR, "pga: debug_pagealloc needs the "
			"kernel_map_pages hook");
		return -PGA_EINVAL;
	}
	return 0;
}
