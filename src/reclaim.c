/* SPDX-License-Identifier: MIT */
/*
 * The reclaim side as the allocator sees it: waking kswapd with Linux's
 * rules.  The embedder owns the kswapd thread; pga decides when to wake it.
 */
#include "internal.h"

#define PGA_MAX_RECLAIM_RETRIES 16

/* Some zone up to @hz of @n meets its high watermark at @order. */
static bool pgdat_balanced(const struct pga_node *n, int order, int hz)
{
	bool managed = false;

	for (int i = 0; i <= hz; i++) {
		const struct pga_zone *z = &n->node_zones[i];

		if (!zone_managed_nonzero(z))
			continue;
		managed = true;
		if (pga_zone_watermark_ok(z, (unsigned int)order,
					  pga_wmark_pages(z, PGA_WMARK_HIGH), hz,
					  0))
			return true;
	}
	return !managed;
}

static bool node_boosted(const struct pga_node *n, int hz)
{
	for (int i = 0; i <= hz; i++)
		if (PGA_READ_ONCE(n->node_zones[i].watermark_boost))
			return true;
	return false;
}

/*
 * Linux wakeup_kswapd for @z's node: record the largest order and zone
 * asked for; leave a hopeless or balanced (and unboosted) node asleep,
 * waking kcompactd instead for callers that cannot reclaim directly.
 * Context: any.
 */
void pga_wakeup_kswapd(struct pga_zone *z, pga_gfp_t gfp, unsigned int order,
		       int hz)
{
	struct pga_node *n = z->node;

	if (!zone_managed_nonzero(z))
		return;
	if (pga_cpusets_enabled() &&
	    !pga_g.hooks.cpuset_node_allowed(pga_g.hooks.ctx, z->nid,
					     gfp | PGA_GFP_HARDWALL))
		return;
	if (n->kswapd_order < (int)order)
		n->kswapd_order = (int)order;
	if (n->kswapd_highest_zoneidx < hz)
		n->kswapd_highest_zoneidx = hz;
	if (n->kswapd_failures >= PGA_MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(n, (int)order, hz) && !node_boosted(n, hz))) {
		if (!(gfp & PGA_GFP_DIRECT_RECLAIM) && pga_g.hooks.wake_kcompactd)
			pga_g.hooks.wake_kcompactd(pga_g.hooks.ctx, z->nid,
						   order, hz);
		return;
	}
	if (pga_g.hooks.wake_kswapd)
		pga_g.hooks.wake_kswapd(pga_g.hooks.ctx, z->nid, order, hz);
}

/*
 * Wake the kswapd of every node in the request's zonelist once (Linux
 * wake_all_kswapds).  Context: any.
 */
void pga_wake_all_kswapds(unsigned int order, pga_gfp_t gfp,
			  const struct pga_alloc_context *ac)
{
	uint64_t seen = 0;

	for (const struct pga_zoneref *zr = ac->preferred_zoneref; zr->zone;
	     zr++) {
		if (zr->zone_idx > ac->highest_zoneidx ||
		    (ac->nodemask &&
		     !pga_nodemask_test(ac->nodemask, zr->zone->nid)))
			continue;
		if (seen & ((uint64_t)1 << zr->zone->nid))
			continue;
		seen |= (uint64_t)1 << zr->zone->nid;
		pga_wakeup_kswapd(zr->zone, gfp, order, ac->highest_zoneidx);
	}
}
