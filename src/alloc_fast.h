/* SPDX-License-Identifier: MIT */
/*
 * The order-0 allocation fast path: the common case of __alloc_pages
 * (no nodemask, no preferred node, no cpusets, no dirty limits) when the
 * first zone of the local zonelist passes zone_watermark_fast's quick
 * test and this CPU's list has a good page.  It does what the general
 * sequence (alloc.c) would do in that case, step for step, with less
 * bookkeeping; whenever the case does not hold it returns NULL having
 * changed nothing, and the general sequence runs as if it had not been
 * tried.  Included by alloc.c, whose helpers it inlines.
 */
#ifndef PGA_ALLOC_FAST_H
#define PGA_ALLOC_FAST_H

#include "internal.h"
#include "pcp_fast.h"

/*
 * Cases the fast path leaves to the general one: cpusets and dirty limits
 * (not evaluated here), and per-CPU lists turned off (every list stays
 * empty, so each allocation is a refill).
 */
static inline bool not_for_fast_path(pga_gfp_t gfp)
{
	return pga_g.params.disable_pcp || pga_cpusets_enabled() ||
	       ((gfp & PGA_GFP_WRITE) && pga_g.hooks.node_dirty_ok);
}

/* The preferred zone: the first of the local zonelist at or below @hz. */
static inline struct pga_zone *preferred_zone(pga_gfp_t gfp, int hz)
{
	const struct pga_node *node = &pga_g.nodes[pga_numa_node_id()];
	int list = (gfp & PGA_GFP_THISNODE) ? PGA_ZONELIST_NOFALLBACK
					    : PGA_ZONELIST_FALLBACK;

	return pga_first_zone(&node->node_zonelists[list], hz, NULL)->zone;
}

/*
 * Allocate one order-0 page for @gfp (already masked and scoped) on the
 * local node, recording @caller for page_owner.  Return: the prepared
 * page, or NULL with nothing changed when the general path must decide.
 * Context: any the gfp allows.
 */
static inline struct pga_page *pga_alloc_order0_fast(pga_gfp_t gfp,
						      uintptr_t caller)
{
	int hz, mt;
	unsigned int alloc_flags;
	struct pga_zone *z;
	struct pga_page *page;

	if (pga_unlikely(not_for_fast_path(gfp)))
		return NULL; /* before any work the general path redoes */
	hz = pga_gfp_zone(gfp);
	mt = pga_gfp_migratetype(gfp);
	if (pga_unlikely(hz < 0 || mt < 0))
		return NULL;
	z = preferred_zone(gfp, hz);
	if (pga_unlikely(!z))
		return NULL;
	alloc_flags = pga_alloc_flags_fast(z, gfp, mt);
	if (!pga_zone_watermark_quick(z, pga_wmark_pages(z, PGA_WMARK_LOW), hz,
				      alloc_flags,
				      zone_page_state(z, PGA_NR_FREE_PAGES)))
		return NULL;
	page = pga_pcp_alloc_hit(z, mt);
	if (!page)
		return NULL;
	pga_rmqueue_kswapd_boost(z, alloc_flags);
	pga_prep_new_page(page, 0, gfp, alloc_flags);
	if (pga_owner_enabled())
		pga_owner_record(page, 0, gfp, caller);
	return page;
}

#endif /* PGA_ALLOC_FAST_H */
