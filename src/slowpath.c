/* SPDX-License-Identifier: MIT */
/*
 * The slow path (Linux __alloc_pages_slowpath).  This first version covers
 * the part every request runs: slow-path alloc_flags at the MIN mark, the
 * kswapd wake, the reserve override, and the failure report.
 */
#include "internal.h"

static void warn_alloc(pga_gfp_t gfp, unsigned int order)
{
	if (gfp & PGA_GFP_NOWARN)
		return;
	pga_log(PGA_LOG_WARN,
		"pga: page allocation failure: order:%u, mode:%#x", order, gfp);
}

/*
 * Allocate after the fast path failed.  Return: a page or NULL.
 * Context: as the gfp allows.
 */
struct pga_page *pga_slowpath(pga_gfp_t gfp, unsigned int order,
			      struct pga_alloc_context *ac)
{
	unsigned int flags = pga_gfp_to_alloc_flags(gfp, order);
	unsigned int reserve;
	struct pga_page *page;

	ac->preferred_zoneref = pga_first_zone(ac->zonelist,
					       ac->highest_zoneidx, ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;
	if (flags & PGA_ALLOC_KSWAPD)
		pga_wake_all_kswapds(order, gfp, ac);
	page = pga_get_page_from_freelist(gfp, order, flags, ac);
	if (page)
		return page;
	reserve = pga_gfp_pfmemalloc_flags(gfp);
	if (reserve)
		flags = pga_gfp_to_alloc_flags_cma(gfp, reserve) |
			(flags & PGA_ALLOC_KSWAPD);
	if (!(flags & PGA_ALLOC_CPUSET) || reserve) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = pga_first_zone(
			ac->zonelist, ac->highest_zoneidx, NULL);
	}
	page = pga_get_page_from_freelist(gfp, order, flags, ac);
	if (page)
		return page;
nopage:
	warn_alloc(gfp, order);
	return NULL;
}
