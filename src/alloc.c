/* SPDX-License-Identifier: MIT */
/*
 * The allocation entry points and the fast path (Linux __alloc_pages,
 * prepare_alloc_pages, get_page_from_freelist, rmqueue, prep_new_page).
 * When the fast path fails the request goes to the slow path
 * (slowpath.c).
 */
#include "internal.h"
#include "alloc_fast.h"

static bool pcp_allowed_order(unsigned int order)
{
	return order <= PGA_COSTLY_ORDER || order == PGA_PAGEBLOCK_ORDER;
}

/*
 * Linux rmqueue_buddy's list choice: the highatomic reserve first for
 * ALLOC_HIGHATOMIC, then __rmqueue, then the reserve as a last resort for
 * callers that cannot block or are OOM victims.  Context: zone lock held.
 */
static struct pga_page *buddy_take_locked(struct pga_zone *z,
					  unsigned int order,
					  unsigned int alloc_flags, int mt)
{
	const int ha = PGA_MIGRATE_HIGHATOMIC;
	struct pga_page *page = NULL;

	if (alloc_flags & PGA_ALLOC_HIGHATOMIC)
		page = pga_buddy_rmqueue_smallest_locked(z, order, ha);
	if (!page)
		page = pga_rmqueue_locked(z, order, mt, alloc_flags);
	if (!page && (alloc_flags & (PGA_ALLOC_OOM | PGA_ALLOC_NON_BLOCK)))
		page = pga_buddy_rmqueue_smallest_locked(z, order, ha);
	return page;
}

/*
 * Linux rmqueue_buddy: a block straight from the buddy lists.  A block
 * that fails the new-page check is quarantined (outside the zone lock, so
 * the report does not hold it) and another taken.
 */
static struct pga_page *rmqueue_buddy(struct pga_zone *preferred,
				      struct pga_zone *z, unsigned int order,
				      unsigned int alloc_flags, int mt)
{
	struct pga_page *page;
	unsigned long flags;

	do {
		flags = zone_lock(z);
		page = buddy_take_locked(z, order, alloc_flags, mt);
		zone_unlock(z, flags);
	} while (page && pga_unlikely(!pga_check_new_page(page, order)));
	if (page) {
		flags = pga_arch_irq_save();
		pga_count_alloc_irqoff(preferred, z, pga_cpu(), order);
		pga_arch_irq_restore(flags);
	}
	return page;
}

/*
 * The end of Linux rmqueue: with ALLOC_KSWAPD, a watermark that a steal
 * boosted clears its flag and wakes kswapd.  Context: any.
 */
void pga_rmqueue_kswapd_boost(struct pga_zone *z, unsigned int alloc_flags)
{
	if ((alloc_flags & PGA_ALLOC_KSWAPD) &&
	    (__atomic_load_n(&z->flags, __ATOMIC_RELAXED) &
	     PGA_ZONE_BOOSTED_WATERMARK)) {
		__atomic_fetch_and(&z->flags, ~PGA_ZONE_BOOSTED_WATERMARK,
				   __ATOMIC_RELAXED);
		pga_wakeup_kswapd(z, 0, 0, (int)z->idx);
	}
}

/*
 * Linux rmqueue: the CPU's list for small orders, else the buddy (each
 * checks the block it takes, Linux check_new_pages).  Afterwards, wake
 * kswapd if a steal boosted the watermark.
 */
static struct pga_page *rmqueue(struct pga_zone *preferred,
				struct pga_zone *z, unsigned int order,
				pga_gfp_t gfp, unsigned int alloc_flags, int mt)
{
	struct pga_page *page;

	if (pga_unlikely((gfp & PGA_GFP_NOFAIL) && order > 1))
		pga_log(PGA_LOG_WARN,
			"pga: __GFP_NOFAIL allocation of order %u (more than 1)",
			order);
	page = NULL;
	if (pcp_allowed_order(order))
		page = pga_pcp_alloc(preferred, z, order, mt, alloc_flags);
	if (!page)
		page = rmqueue_buddy(preferred, z, order, alloc_flags, mt);
	pga_rmqueue_kswapd_boost(z, alloc_flags);
	return page;
}

/*
 * First zoneref of @zl at or below @hz whose node is in @nodemask (Linux
 * first_zones_zonelist).  Return: that entry, or the terminator (zone
 * NULL).  Context: any.
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

/*
 * The dirty-limit answer of the last node seen; kept across the
 * NOFRAGMENT restart, so each change of node asks the hook once.
 */
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

/* ALLOC_NOFRAGMENT gives way to locality: @z is on another node. */
static bool leaves_preferred_node(const struct pga_alloc_context *ac,
				  const struct pga_zone *z)
{
	const struct pga_zone *pref = ac->preferred_zoneref->zone;

	return pga_nr_online_nodes() > 1 && z != pref && z->nid != pref->nid;
}

/*
 * Take a block of @order from @z if its watermark (the one @alloc_flags
 * selects) allows it, or regardless with ALLOC_NO_WATERMARKS.  Node
 * reclaim is not offered (Linux's default node_reclaim_mode 0).
 */
static struct pga_page *try_zone(struct pga_zone *z, pga_gfp_t gfp,
				 unsigned int order, unsigned int alloc_flags,
				 const struct pga_alloc_context *ac)
{
	unsigned long mark =
		pga_wmark_pages(z, (int)(alloc_flags & PGA_ALLOC_WMARK_MASK));

	if (!pga_zone_watermark_fast(z, order, mark, ac->highest_zoneidx,
				     alloc_flags) &&
	    !(alloc_flags & PGA_ALLOC_NO_WATERMARKS))
		return NULL;
	return rmqueue(ac->preferred_zoneref->zone, z, order, gfp,
		       alloc_flags, ac->migratetype);
}

/*
 * Linux get_page_from_freelist: walk the zonelist from the preferred zone,
 * skip zones the cpuset or dirty limits forbid, check the watermark that
 * @alloc_flags selects, and take the block.  ALLOC_NOFRAGMENT makes two
 * passes and gives way to locality when the walk reaches another node.
 * A successful ALLOC_HIGHATOMIC allocation may reserve its pageblock.
 * Context: any the gfp allows.  Return: a prepared page or NULL.
 */
struct pga_page *pga_get_page_from_freelist(pga_gfp_t gfp, unsigned int order,
					    unsigned int alloc_flags,
					    const struct pga_alloc_context *ac)
{
	struct dirty_cache dc = {-1, true};
	const struct pga_zoneref *zr;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & PGA_ALLOC_NOFRAGMENT;
	for (zr = ac->preferred_zoneref; zr->zone; zr++) {
		struct pga_zone *z = zr->zone;
		struct pga_page *page;

		if (!zoneref_eligible(zr, ac->highest_zoneidx, ac->nodemask) ||
		    skip_zone(gfp, alloc_flags, ac, z, &dc))
			continue;
		if (no_fallback && leaves_preferred_node(ac, z)) {
			alloc_flags &= ~PGA_ALLOC_NOFRAGMENT;
			goto retry;
		}
		page = try_zone(z, gfp, order, alloc_flags, ac);
		if (!page)
			continue;
		pga_prep_new_page(page, order, gfp, alloc_flags);
		pga_owner_record(page, order, gfp, ac->caller);
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

/* Work beyond the descriptor fields: debug, contents, compound, trace. */
static bool prep_has_extras(unsigned int order, pga_gfp_t gfp)
{
	const struct pga_params *p = &pga_g.params;

	return (gfp & PGA_GFP_ZERO) || (order && (gfp & PGA_GFP_COMP)) ||
	       pga_g.hooks.trace ||
	       (PGA_CONFIG_DEBUG && (p->debug_pagealloc || p->page_poisoning ||
				     p->init_on_alloc));
}

static void prep_extras(struct pga_page *page, unsigned int order,
			pga_gfp_t gfp)
{
	pga_debug_pagealloc(page, order, true);
	pga_contents_on_alloc(page, order, gfp);
	if (order && (gfp & PGA_GFP_COMP))
		prep_compound_page(page, order);
	pga_trace_page(PGA_TRACE_MM_PAGE_ALLOC, page, order, gfp);
}

/*
 * Linux prep_new_page: refcount 1 on the head, the pfmemalloc mark for
 * pages taken with ALLOC_NO_WATERMARKS (cleared otherwise), zeroing for
 * __GFP_ZERO, compound metadata for __GFP_COMP.  The caller has checked
 * the block.  Context: any.
 */
void pga_prep_new_page(struct pga_page *page, unsigned int order,
		       pga_gfp_t gfp, unsigned int alloc_flags)
{
	/* The head remembers its order so a free with another is caught. */
	page->private = (uint16_t)order;
	page->lru.next = page->lru.prev = NULL;
	pga_atomic_set(&page->refcount, 1);
	if (alloc_flags & PGA_ALLOC_NO_WATERMARKS)
		page_set(page, PGA_PG_pfmemalloc);
	else
		page_clear(page, PGA_PG_pfmemalloc);
	if (pga_unlikely(prep_has_extras(order, gfp)))
		prep_extras(page, order, gfp);
}

/*
 * Linux alloc_flags_nofragment: ALLOC_KSWAPD from the gfp, and
 * ALLOC_NOFRAGMENT when ZONE_DMA32 exists and the preferred zone is
 * ZONE_NORMAL of a node whose DMA32 zone is populated (any NORMAL zone on
 * a single-node machine).
 */
static unsigned int alloc_flags_nofragment(const struct pga_zone *z,
					   pga_gfp_t gfp)
{
	unsigned int f = gfp & PGA___GFP_KSWAPD_RECLAIM;

	if (!z || !pga_g.zone_configured[PGA_ZONE_DMA32] ||
	    z->idx != PGA_ZONE_NORMAL)
		return f;
	if (pga_nr_online_nodes() > 1 &&
	    !zone_populated(&z->node->node_zones[PGA_ZONE_DMA32]))
		return f;
	return f | PGA_ALLOC_NOFRAGMENT;
}

/*
 * The fast path's alloc_flags apart from cpusets (Linux
 * prepare_alloc_pages + alloc_flags_nofragment): the LOW watermark, CMA
 * for MOVABLE @mt, KSWAPD from @gfp, NOFRAGMENT for preferred zone @pref.
 * Return: the flags.  Context: any.
 */
unsigned int pga_alloc_flags_fast(const struct pga_zone *pref, pga_gfp_t gfp,
				  int mt)
{
	return PGA_ALLOC_WMARK_LOW | pga_alloc_flags_cma(mt) |
	       alloc_flags_nofragment(pref, gfp);
}

/* The node an allocation prefers: @nid, or the CPU's for NUMA_NO_NODE. */
static int resolve_node(int nid, pga_gfp_t gfp)
{
	if (nid == PGA_NUMA_NO_NODE)
		return pga_numa_node_id();
	if (nid < 0 || nid >= PGA_CONFIG_MAX_NODES || !pga_node_online(nid)) {
		if (!(gfp & PGA_GFP_NOWARN))
			pga_log(PGA_LOG_WARN, "pga: allocation on node %d, "
				"which is not online", nid);
		return -1;
	}
	return nid;
}

/*
 * Cpusets in the fast path (Linux prepare_alloc_pages): a task that gave
 * no nodemask is held to the nodes its cpuset allows (@mems, built from
 * the cpuset hook with __GFP_HARDWALL); interrupts and explicit nodemasks
 * get ALLOC_CPUSET, checked zone by zone.
 */
static unsigned int apply_cpuset(pga_gfp_t gfp, struct pga_alloc_context *ac,
				 pga_nodemask_t *mems)
{
	if (ac->nodemask || (pga_task_flags() & PGA_TASK_IN_IRQ))
		return PGA_ALLOC_CPUSET;
	pga_nodemask_clear(mems);
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		if (pga_g.nodes[nid].online &&
		    pga_g.hooks.cpuset_node_allowed(pga_g.hooks.ctx, nid,
						    gfp | PGA_GFP_HARDWALL))
			pga_nodemask_set(mems, nid);
	ac->nodemask = mems;
	return 0;
}

/*
 * Linux prepare_alloc_pages + alloc_flags_nofragment: fill @ac (highest
 * zone, migratetype, zonelist of node @nid, nodemask, preferred zone,
 * dirty spreading) and the fast path's @alloc_flags (LOW watermark,
 * cpuset, CMA, KSWAPD, NOFRAGMENT) and @alloc_gfp (__GFP_HARDWALL added
 * when cpusets are on).  @mems stores the cpuset nodemask @ac may point
 * at.  Return: false for an impossible gfp or node (reported).
 * Context: any.
 */
bool pga_prepare_alloc(pga_gfp_t gfp, unsigned int order, int nid,
		       const pga_nodemask_t *nodemask,
		       struct pga_alloc_context *ac, pga_gfp_t *alloc_gfp,
		       unsigned int *alloc_flags, pga_nodemask_t *mems)
{
	int hz = pga_gfp_zone(gfp);
	int mt = pga_gfp_migratetype(gfp);
	unsigned int cpuset;

	__builtin_memset(ac, 0, sizeof(*ac));
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
	ac->zonelist = &pga_g.nodes[nid].node_zonelists[
		(gfp & PGA_GFP_THISNODE) ? PGA_ZONELIST_NOFALLBACK
					 : PGA_ZONELIST_FALLBACK];
	ac->nodemask = nodemask;
	*alloc_gfp = gfp;
	cpuset = 0;
	if (pga_cpusets_enabled()) {
		*alloc_gfp |= PGA_GFP_HARDWALL;
		cpuset = apply_cpuset(gfp, ac, mems);
	}
	ac->spread_dirty_pages = (gfp & PGA_GFP_WRITE) != 0;
	ac->preferred_zoneref = pga_first_zone(ac->zonelist, hz, ac->nodemask);
	*alloc_flags = cpuset |
		pga_alloc_flags_fast(ac->preferred_zoneref->zone, gfp, mt);
	return true;
}

static struct pga_page *alloc_pages_caller(pga_gfp_t gfp, unsigned int order,
					   int preferred_nid,
					   const pga_nodemask_t *nodemask,
					   uintptr_t caller)
{
	struct pga_alloc_context ac;
	pga_nodemask_t mems;
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
	gfp = pga_current_gfp_context(gfp & pga_g.gfp_allowed_mask);
	if (!order && preferred_nid == PGA_NUMA_NO_NODE && !nodemask) {
		page = pga_alloc_order0_fast(gfp, caller);
		if (pga_likely(page))
			return page;
	}
	if (!pga_prepare_alloc(gfp, order, preferred_nid, nodemask, &ac,
			       &alloc_gfp, &alloc_flags, &mems))
		return NULL;
	ac.caller = caller;
	page = pga_get_page_from_freelist(alloc_gfp, order, alloc_flags, &ac);
	if (pga_likely(page))
		return page;
	ac.spread_dirty_pages = false;
	ac.nodemask = nodemask;
	return pga_slowpath(gfp, order, &ac);
}

#define CALLER ((uintptr_t)__builtin_return_address(0))

struct pga_page *pga_alloc_pages_nodemask(pga_gfp_t gfp, unsigned int order,
					  int preferred_nid,
					  const pga_nodemask_t *nodemask)
{
	return alloc_pages_caller(gfp, order, preferred_nid, nodemask, CALLER);
}

struct pga_page *pga_alloc_pages(pga_gfp_t gfp, unsigned int order)
{
	return alloc_pages_caller(gfp, order, PGA_NUMA_NO_NODE, NULL, CALLER);
}

struct pga_page *pga_alloc_page(pga_gfp_t gfp)
{
	return alloc_pages_caller(gfp, 0, PGA_NUMA_NO_NODE, NULL, CALLER);
}

/*
 * Linux alloc_pages_node: NUMA_NO_NODE means the nearest node with
 * memory; __GFP_THISNODE|__GFP_NOWARN aimed at a node that is not online
 * is reported even though NOWARN is set.
 */
struct pga_page *pga_alloc_pages_node(int nid, pga_gfp_t gfp,
				      unsigned int order)
{
	if (nid == PGA_NUMA_NO_NODE)
		nid = pga_local_memory_node(pga_numa_node_id());
	else if ((gfp & (PGA_GFP_THISNODE | PGA_GFP_NOWARN)) ==
			 (PGA_GFP_THISNODE | PGA_GFP_NOWARN) &&
		 !pga_node_online(nid))
		pga_log(PGA_LOG_WARN, "pga: gfp %#x allocation from offline "
			"node %d", gfp, nid);
	return alloc_pages_caller(gfp, order, nid, NULL, CALLER);
}

static uintptr_t get_free_pages(pga_gfp_t gfp, unsigned int order,
				uintptr_t caller)
{
	struct pga_page *page = alloc_pages_caller(gfp & ~PGA_GFP_HIGHMEM, order,
						   PGA_NUMA_NO_NODE, NULL,
						   caller);

	return page ? (uintptr_t)pga_page_address(page) : 0;
}

uintptr_t pga_get_free_pages(pga_gfp_t gfp, unsigned int order)
{
	return get_free_pages(gfp, order, CALLER);
}

uintptr_t pga_get_free_page(pga_gfp_t gfp)
{
	return get_free_pages(gfp, 0, CALLER);
}

uintptr_t pga_get_zeroed_page(pga_gfp_t gfp)
{
	return get_free_pages(gfp | PGA_GFP_ZERO, 0, CALLER);
}

uintptr_t pga_get_dma_pages(pga_gfp_t gfp, unsigned int order)
{
	return get_free_pages(gfp | PGA_GFP_DMA, order, CALLER);
}
