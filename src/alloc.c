/* SPDX-License-Identifier: MIT */
/*
 * The allocation entry points and the fast path (Linux __alloc_pages,
 * prepare_alloc_pages, get_page_from_freelist, rmqueue, prep_new_page).
 * When the fast path fails the request goes to the slow path
 * (slowpath.c).
 */
#include "internal.h"

static bool pcp_allowed_order(unsigned int order)
{
	return order <= PGA_COSTLY_ORDER || order == PGA_PAGEBLOCK_ORDER;
}

/* The buddy half of Linux rmqueue_buddy, under the zone lock. */
static struct pga_page *rmqueue_buddy_locked(struct pga_zone *z,
					     unsigned int order,
					     unsigned int alloc_flags, int mt)
{
	struct pga_page *page = NULL;

	if (alloc_flags & PGA_ALLOC_HIGHATOMIC)
		page = pga_buddy_rmqueue_smallest_locked(z, order,
							 PGA_MIGRATE_HIGHATOMIC);
	if (!page) {
		page = pga_rmqueue_locked(z, order, mt, alloc_flags);
		if (!page &&
		    (alloc_flags & (PGA_ALLOC_OOM | PGA_ALLOC_NON_BLOCK)))
			page = pga_buddy_rmqueue_smallest_locked(
				z, order, PGA_MIGRATE_HIGHATOMIC);
	}
	return page;
}

/*
 * Linux rmqueue_buddy: a block straight from the buddy lists; a block
 * that fails the new-page check is quarantined and another taken.
 */
static struct pga_page *rmqueue_buddy(struct pga_zone *preferred,
				      struct pga_zone *z, unsigned int order,
				      unsigned int alloc_flags, int mt)
{
	struct pga_page *page;
	unsigned long flags;

	do {
		flags = zone_lock(z);
		page = rmqueue_buddy_locked(z, order, alloc_flags, mt);
		zone_unlock(z, flags);
	} while (page && pga_unlikely(!pga_debug_check_new_page(page, order)));
	if (page) {
		flags = pga_arch_irq_save();
		pga_count_alloc_irqoff(preferred, z, pga_cpu(), order);
		pga_arch_irq_restore(flags);
	}
	return page;
}

/*
 * Linux rmqueue: the CPU's list for small orders, else the buddy; then
 * wake kswapd if a steal boosted the watermark.
 */
static struct pga_page *rmqueue(struct pga_zone *preferred,
				struct pga_zone *z, unsigned int order,
				unsigned int alloc_flags, int mt)
{
	struct pga_page *page = NULL;

	if (pcp_allowed_order(order))
		page = pga_pcp_alloc(preferred, z, order, mt, alloc_flags);
	if (!page)
		page = rmqueue_buddy(preferred, z, order, alloc_flags, mt);
	if ((alloc_flags & PGA_ALLOC_KSWAPD) &&
	    (__atomic_load_n(&z->flags, __ATOMIC_RELAXED) &
	     PGA_ZONE_BOOSTED_WATERMARK)) {
		__atomic_fetch_and(&z->flags, ~PGA_ZONE_BOOSTED_WATERMARK,
				   __ATOMIC_RELAXED);
		pga_wakeup_kswapd(z, 0, 0, (int)z->idx);
	}
	return page;
}

/*
 * First zoneref of @zl at or below @hz whose node is in @nodemask (Linux
 * first_zones_zonelist).  Returns the terminator if none.
 */
const struct pga_zoneref *pga_first_zone(const struct pga_zonelist *zl,
					 int hz, const pga_nodemask_t *nodemask)
{
	const struct pga_zoneref *zr = zl->zonerefs;

	while (zr->zone && (zr->zone_idx > hz ||
			    (nodemask && !pga_nodemask_test(nodemask,
							    zr->zone->nid))))
		zr++;
	return zr;
}

static bool zone_allowed(const struct pga_alloc_context *ac,
			 const struct pga_zoneref *zr)
{
	return zr->zone_idx <= ac->highest_zoneidx &&
	       (!ac->nodemask ||
		pga_nodemask_test(ac->nodemask, zr->zone->nid));
}

/* Per-walk cache of the dirty-limit answer of the last node seen. */
struct dirty_cache {
	int nid;
	bool ok;
};

static bool skip_zone(pga_gfp_t gfp, unsigned int alloc_flags,
		      const struct pga_alloc_context *ac,
		      const struct pga_zone *z, struct dirty_cache *dc)
{
	if (pga_cpusets_enabled() && (alloc_flags & PGA_ALLOC_CPUSET) &&
	    !pga_g.hooks.cpuset_node_allowed(pga_g.hooks.ctx, z->nid, gfp))
		return true;
	if (ac->spread_dirty_pages && pga_g.hooks.node_dirty_ok) {
		if (dc->nid != z->nid) {
			dc->nid = z->nid;
			dc->ok = pga_g.hooks.node_dirty_ok(pga_g.hooks.ctx,
							   z->nid);
		}
		if (!dc->ok)
			return true;
	}
	return false;
}

static unsigned int nr_online_nodes(void)
{
	return pga_g.nr_online_nodes;
}

/*
 * Linux get_page_from_freelist: walk the zonelist from the preferred zone,
 * skip zones the cpuset or dirty limits forbid, check the watermark that
 * @alloc_flags selects, and take the block.  ALLOC_NOFRAGMENT makes two
 * passes and gives way to locality when the walk reaches another node.
 * Context: any the gfp allows.  Return: a prepared page or NULL.
 */
struct pga_page *pga_get_page_from_freelist(pga_gfp_t gfp, unsigned int order,
					    unsigned int alloc_flags,
					    const struct pga_alloc_context *ac)
{
	const struct pga_zoneref *zr;
	struct dirty_cache dc;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & PGA_ALLOC_NOFRAGMENT;
	dc.nid = -1;
	dc.ok = true;
	for (zr = ac->preferred_zoneref; zr->zone; zr++) {
		struct pga_zone *z = zr->zone;
		struct pga_page *page;
		unsigned long mark;

		if (!zone_allowed(ac, zr) || skip_zone(gfp, alloc_flags, ac, z, &dc))
			continue;
		if (no_fallback && z != ac->preferred_zoneref->zone &&
		    z->nid != ac->preferred_zoneref->zone->nid &&
		    nr_online_nodes() > 1) {
			alloc_flags &= ~PGA_ALLOC_NOFRAGMENT;
			goto retry;
		}
		mark = pga_wmark_pages(z, alloc_flags & PGA_ALLOC_WMARK_MASK);
		if (!pga_zone_watermark_fast(z, order, mark, ac->highest_zoneidx,
					     alloc_flags) &&
		    !(alloc_flags & PGA_ALLOC_NO_WATERMARKS))
			continue; /* node_reclaim_mode is 0 */
		page = rmqueue(ac->preferred_zoneref->zone, z, order,
			       alloc_flags, ac->migratetype);
		if (!page)
			continue;
		pga_prep_new_page(page, order, gfp, alloc_flags);
		if (alloc_flags & PGA_ALLOC_HIGHATOMIC)
			pga_reserve_highatomic_pageblock(page, z);
		return page;
	}
	if (no_fallback) {
		alloc_flags &= ~PGA_ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

static void prep_compound_page(struct pga_page *page, unsigned int order)
{
	unsigned long n = 1UL << order;

	page_set(page, PGA_PG_head);
	for (unsigned long i = 1; i < n; i++) {
		struct pga_page *p = page + i;

		page_set(p, PGA_PG_tail);
		p->lru.next = (struct pga_list_head *)(void *)page;
		p->lru.prev = NULL;
		p->private = 0;
	}
	page[1].private = (uint16_t)order;
}

/*
 * Linux prep_new_page: refcount 1 on the head, zeroing for __GFP_ZERO,
 * compound metadata for __GFP_COMP, and the pfmemalloc mark for pages
 * taken with ALLOC_NO_WATERMARKS.  Context: any.
 */
void pga_prep_new_page(struct pga_page *page, unsigned int order,
		       pga_gfp_t gfp, unsigned int alloc_flags)
{
	page->private = 0;
	page->lru.next = page->lru.prev = NULL;
	pga_atomic_set(&page->refcount, 1);
	if (gfp & PGA_GFP_ZERO)
		pga_arch_zero_pages(pga_page_address(page),
				    PGA_PAGE_SIZE << order);
	if (order && (gfp & PGA_GFP_COMP))
		prep_compound_page(page, order);
	if (alloc_flags & PGA_ALLOC_NO_WATERMARKS)
		page_set(page, PGA_PG_pfmemalloc);
	else
		page_clear(page, PGA_PG_pfmemalloc);
	pga_trace_page(PGA_TRACE_MM_PAGE_ALLOC, page, order, gfp);
}

/* Linux alloc_flags_nofragment (without the KSWAPD part: see caller). */
static unsigned int alloc_flags_nofragment(const struct pga_zone *z,
					   pga_gfp_t gfp)
{
	unsigned int f = gfp & PGA___GFP_KSWAPD_RECLAIM;
	const struct pga_zone *dma32;

	if (!z || !pga_g.zone_configured[PGA_ZONE_DMA32])
		return f;
	if (z->idx != PGA_ZONE_NORMAL)
		return f;
	dma32 = &z->node->node_zones[PGA_ZONE_DMA32];
	if (nr_online_nodes() <= 1 || zone_populated(dma32))
		f |= PGA_ALLOC_NOFRAGMENT;
	return f;
}

static int resolve_node(int nid, pga_gfp_t gfp)
{
	if (nid == PGA_NUMA_NO_NODE)
		return pga_numa_node_id();
	if (nid < 0 || nid >= pga_g.nr_nodes) {
		if (!(gfp & PGA_GFP_NOWARN))
			pga_log(PGA_LOG_WARN, "pga: allocation on node %d, "
				"which does not exist", nid);
		return -1;
	}
	return nid;
}

/*
 * Linux prepare_alloc_pages: zone limit, migratetype, zonelist, cpuset
 * handling and the fast-path flags.  Return: false for bad input (with a
 * log report).  Context: any.
 */
bool pga_prepare_alloc(pga_gfp_t gfp, unsigned int order, int nid,
		       const pga_nodemask_t *nodemask,
		       struct pga_alloc_context *ac, unsigned int *flags)
{
	int hz = pga_gfp_zone(gfp);
	int mt = pga_gfp_migratetype(gfp);

	if (hz < 0 || mt < 0) {
		pga_log(PGA_LOG_ERR, "pga: invalid gfp %#x (%s) for order %u",
			gfp, hz < 0 ? "impossible zone combination"
				    : "both MOVABLE and RECLAIMABLE", order);
		return false;
	}
	nid = resolve_node(nid, gfp);
	if (nid < 0)
		return false;
	ac->highest_zoneidx = hz;
	ac->migratetype = mt;
	ac->zonelist = &pga_g.nodes[nid].node_zonelists
				[(gfp & PGA_GFP_THISNODE) ? PGA_ZONELIST_NOFALLBACK
							  : PGA_ZONELIST_FALLBACK];
	ac->nodemask = nodemask;
	ac->spread_dirty_pages = (gfp & PGA_GFP_WRITE) != 0;
	*flags = PGA_ALLOC_WMARK_LOW;
	if (pga_cpusets_enabled())
		*flags |= PGA_ALLOC_CPUSET;
	/* pga_gfp_to_alloc_flags_cma() with the migratetype in hand. */
	if (PGA_CONFIG_CMA && mt == PGA_MIGRATE_MOVABLE)
		*flags |= PGA_ALLOC_CMA;
	ac->preferred_zoneref = pga_first_zone(ac->zonelist, hz, ac->nodemask);
	return true;
}

struct pga_page *pga_alloc_pages_nodemask(pga_gfp_t gfp, unsigned int order,
					  int preferred_nid,
					  const pga_nodemask_t *nodemask)
{
	struct pga_alloc_context ac;
	unsigned int alloc_flags;
	pga_gfp_t alloc_gfp;
	struct pga_page *page;

	if (pga_unlikely(order > PGA_MAX_ORDER)) {
		if (!(gfp & PGA_GFP_NOWARN))
			pga_log(PGA_LOG_WARN,
				"pga: order %u allocation refused (max %d)",
				order, PGA_MAX_ORDER);
		return NULL;
	}
	if (pga_unlikely(!pga_g.initialised)) {
		pga_log(PGA_LOG_ERR, "pga: allocation before pga_init()");
		return NULL;
	}
	gfp &= pga_g.gfp_allowed_mask;
	alloc_gfp = pga_current_gfp_context(gfp);
	if (!pga_prepare_alloc(alloc_gfp, order, preferred_nid, nodemask, &ac,
			       &alloc_flags))
		return NULL;
	if (!ac.preferred_zoneref->zone)
		return pga_slowpath(alloc_gfp, order, &ac);
	alloc_flags |= alloc_flags_nofragment(ac.preferred_zoneref->zone,
					      alloc_gfp);
	page = pga_get_page_from_freelist(
		pga_cpusets_enabled() ? alloc_gfp | PGA_GFP_HARDWALL : alloc_gfp,
		order, alloc_flags, &ac);
	if (pga_likely(page))
		return page;
	ac.spread_dirty_pages = false;
	ac.nodemask = nodemask;
	return pga_slowpath(alloc_gfp, order, &ac);
}

struct pga_page *pga_alloc_pages(pga_gfp_t gfp, unsigned int order)
{
	return pga_alloc_pages_nodemask(gfp, order, PGA_NUMA_NO_NODE, NULL);
}

struct pga_page *pga_alloc_page(pga_gfp_t gfp)
{
	return pga_alloc_pages(gfp, 0);
}

struct pga_page *pga_alloc_pages_node(int nid, pga_gfp_t gfp,
				      unsigned int order)
{
	return pga_alloc_pages_nodemask(gfp, order, nid, NULL);
}

uintptr_t pga_get_free_pages(pga_gfp_t gfp, unsigned int order)
{
	struct pga_page *page = pga_alloc_pages(gfp & ~PGA_GFP_HIGHMEM, order);

	return page ? (uintptr_t)pga_page_address(page) : 0;
}

uintptr_t pga_get_free_page(pga_gfp_t gfp)
{
	return pga_get_free_pages(gfp, 0);
}

uintptr_t pga_get_zeroed_page(pga_gfp_t gfp)
{
	return pga_get_free_pages(gfp | PGA_GFP_ZERO, 0);
}

uintptr_t pga_get_dma_pages(pga_gfp_t gfp, unsigned int order)
{
	return pga_get_free_pages(gfp | PGA_GFP_DMA, order);
}
