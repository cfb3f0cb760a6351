/* SPDX-License-Identifier: MIT */
/*
 * The reclaim side as the allocator drives it (Linux mm/vmscan.c):
 * waking kswapd, direct reclaim over the embedder's direct_reclaim hook
 * (with throttling when a node is far below its min watermarks), and the
 * kswapd body pga_kswapd_balance() that reclaims until a zone meets its
 * high watermark.  pga never frees a page itself here: the embedder owns
 * page cache, anonymous memory and their LRUs; pga decides when and how
 * much to ask for, and counts.
 */
#include "slowpath.h"

#define PGA_SWAP_CLUSTER_MAX 32UL
#define PGA_DEF_PRIORITY 12
#define NSEC_PER_SEC 1000000000ULL

/* Defaults of the tunables kept in pga_g.reclaim.  Context: init. */
void pga_reclaim_init(void)
{
	pga_g.reclaim.extfrag_threshold = PGA_EXTFRAG_THRESHOLD_DEFAULT;
}

/*
 * Pages the embedder could reclaim from @z (Linux zone_reclaimable_pages),
 * from the reclaimable_pages hook.  Return: the count, 0 without the
 * hook.  Context: any.
 */
unsigned long pga_zone_reclaimable_pages(const struct pga_zone *z)
{
	if (!pga_g.hooks.reclaimable_pages)
		return 0;
	return pga_g.hooks.reclaimable_pages(pga_g.hooks.ctx, z->nid,
					     (int)z->idx);
}

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
					  pga_wmark_pages(z, PGA_WMARK_HIGH),
					  hz, 0))
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

static int node_failures(const struct pga_node *n)
{
	return __atomic_load_n(&n->kswapd_failures, __ATOMIC_RELAXED);
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
	if (__atomic_load_n(&n->kswapd_order, __ATOMIC_RELAXED) < (int)order)
		__atomic_store_n(&n->kswapd_order, (int)order,
				 __ATOMIC_RELAXED);
	if (__atomic_load_n(&n->kswapd_highest_zoneidx, __ATOMIC_RELAXED) < hz)
		__atomic_store_n(&n->kswapd_highest_zoneidx, hz,
				 __ATOMIC_RELAXED);
	if (node_failures(n) >= PGA_MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(n, (int)order, hz) && !node_boosted(n, hz))) {
		if (!(gfp & PGA_GFP_DIRECT_RECLAIM))
			pga_wakeup_kcompactd(n, (int)order, hz);
		return;
	}
	if (pga_g.hooks.wake_kswapd)
		pga_g.hooks.wake_kswapd(pga_g.hooks.ctx, z->nid, order, hz);
}

/*
 * Wake the kswapd of every node in the request's zonelist once, in
 * zonelist order, skipping zones without managed pages (Linux
 * wake_all_kswapds).  Context: any.
 */
void pga_wake_all_kswapds(unsigned int order, pga_gfp_t gfp,
			  const struct pga_alloc_context *ac)
{
	const struct pga_node *last = NULL;

	for (const struct pga_zoneref *zr = ac->zonelist->zonerefs; zr->zone;
	     zr++) {
		if (!zoneref_eligible(zr, ac->highest_zoneidx, ac->nodemask) ||
		    !zone_managed_nonzero(zr->zone) || zr->zone->node == last)
			continue;
		last = zr->zone->node;
		pga_wakeup_kswapd(zr->zone, gfp, order, ac->highest_zoneidx);
	}
}

/*
 * Linux allow_direct_reclaim: may direct reclaimers proceed on @n, i.e.
 * are the free pages of its zones up to NORMAL (those with reclaimable
 * pages) above half their min watermarks?  If not, kswapd is woken.
 */
static bool allow_direct_reclaim(struct pga_node *n)
{
	unsigned long reserve = 0, free = 0;

	if (node_failures(n) >= PGA_MAX_RECLAIM_RETRIES)
		return true;
	for (int i = 0; i <= PGA_ZONE_NORMAL; i++) {
		const struct pga_zone *z = &n->node_zones[i];

		if (!zone_managed_nonzero(z) || !pga_zone_reclaimable_pages(z))
			continue;
		reserve += pga_wmark_pages(z, PGA_WMARK_MIN);
		free += (unsigned long)zone_page_state(z, PGA_NR_FREE_PAGES);
	}
	if (!reserve || free > reserve / 2)
		return true;
	if (__atomic_load_n(&n->kswapd_highest_zoneidx, __ATOMIC_RELAXED) >
	    PGA_ZONE_NORMAL)
		__atomic_store_n(&n->kswapd_highest_zoneidx, PGA_ZONE_NORMAL,
				 __ATOMIC_RELAXED);
	if (pga_g.hooks.wake_kswapd)
		pga_g.hooks.wake_kswapd(
			pga_g.hooks.ctx, n->node_id,
			(unsigned int)__atomic_load_n(&n->kswapd_order,
						      __ATOMIC_RELAXED),
			PGA_ZONE_NORMAL);
	return false;
}

/* The node of the first zone up to NORMAL the request may use. */
static struct pga_node *throttle_node(pga_gfp_t gfp,
				      const struct pga_alloc_context *ac)
{
	int hz = pga_gfp_zone(gfp);

	for (const struct pga_zoneref *zr = ac->zonelist->zonerefs; zr->zone;
	     zr++)
		if (zoneref_eligible(zr, hz, ac->nodemask) &&
		    zr->zone_idx <= PGA_ZONE_NORMAL)
			return zr->zone->node;
	return NULL;
}

/*
 * Linux throttle_direct_reclaim: while the first usable node is below
 * half its min watermarks, wait (yielding) for kswapd to catch up: at
 * most one second for !__GFP_FS callers (they may hold locks kswapd
 * needs), else until the node recovers or a fatal signal arrives.
 * Kernel threads and dying tasks are never throttled; without the
 * wake_kswapd and yield hooks nobody could end the wait, so pga does not
 * throttle either.  Return: true if a fatal signal ended the wait.
 */
static bool throttle_direct_reclaim(pga_gfp_t gfp,
				    const struct pga_alloc_context *ac)
{
	struct pga_node *n;
	uint64_t start = 0;

	if ((pga_task_flags() & PGA_TASK_KTHREAD) || fatal_signal_pending() ||
	    !pga_g.hooks.wake_kswapd || !pga_g.hooks.yield)
		return false;
	n = throttle_node(gfp, ac);
	if (!n || allow_direct_reclaim(n))
		return false;
	pga_count_event(PGA_PGSCAN_DIRECT_THROTTLE, 1);
	if (pga_g.hooks.clock_ns)
		start = pga_g.hooks.clock_ns(pga_g.hooks.ctx);
	for (;;) {
		pga_g.hooks.yield(pga_g.hooks.ctx);
		if (fatal_signal_pending() || allow_direct_reclaim(n))
			break;
		if (!(gfp & PGA_GFP_FS) && pga_g.hooks.clock_ns &&
		    pga_g.hooks.clock_ns(pga_g.hooks.ctx) - start >=
			    NSEC_PER_SEC)
			break;
	}
	return fatal_signal_pending();
}

/* Reclaim progress on a node makes it worth waking kswapd again. */
static void reset_failures(const struct pga_alloc_context *ac, int hz)
{
	for (const struct pga_zoneref *zr = ac->zonelist->zonerefs; zr->zone;
	     zr++)
		if (zoneref_eligible(zr, hz, ac->nodemask))
			__atomic_store_n(&zr->zone->node->kswapd_failures, 0,
					 __ATOMIC_RELAXED);
}

/*
 * The direct_reclaim hook must free what it reports.  A claim of
 * progress while no page came back through pga's free paths (PGFREE did
 * not move, on any CPU) is tolerated PGA_MAX_RECLAIM_RETRIES times in a
 * row; after that it is reported once and counts as no progress until a
 * page is freed again, so a lying hook cannot keep the slow path
 * retrying forever (Linux trusts its own shrinkers; pga's embedder may
 * be wrong).  Return: the progress to believe.
 */
static unsigned long checked_progress(pga_gfp_t gfp, unsigned long claimed,
				      unsigned long pgfree_before)
{
	unsigned int *empty = &pga_g.reclaim.empty_claims;

	if (!claimed || pga_vm_event_sum(PGA_PGFREE) != pgfree_before) {
		__atomic_store_n(empty, 0, __ATOMIC_RELAXED);
		return claimed;
	}
	if (__atomic_add_fetch(empty, 1, __ATOMIC_RELAXED) <=
	    PGA_MAX_RECLAIM_RETRIES)
		return claimed;
	pga_warn_once(PGA_WARN_RECLAIM_NO_FREE, gfp,
		      "direct_reclaim hook reports progress but frees no "
		      "page; its claims count as no progress");
	return 0;
}

/*
 * Linux try_to_free_pages: throttle, then ask the embedder to reclaim
 * SWAP_CLUSTER_MAX pages for the request.  Counts allocstall_<zone>
 * (keyed by the request's highest zone) and pgsteal_direct; progress
 * makes the request's nodes worth waking kswapd for again.
 * Return: pages freed (1 if a fatal signal ended throttling).
 * Context: task, may sleep; the caller set PF_MEMALLOC.
 */
unsigned long pga_try_to_free_pages(pga_gfp_t gfp, unsigned int order,
				    const struct pga_alloc_context *ac)
{
	int idx = pga_gfp_zone(gfp);
	unsigned long progress = 0;

	if (throttle_direct_reclaim(gfp, ac))
		return 1;
	if (idx < 0)
		idx = PGA_ZONE_NORMAL;
	pga_count_event((enum pga_vm_event)(PGA_ALLOCSTALL_DMA + idx), 1);
	if (pga_g.hooks.direct_reclaim) {
		unsigned long freed = pga_vm_event_sum(PGA_PGFREE);

		progress = pga_g.hooks.direct_reclaim(pga_g.hooks.ctx, gfp,
						      order, ac->nodemask,
						      PGA_SWAP_CLUSTER_MAX);
		progress = checked_progress(gfp, progress, freed);
	}
	pga_count_event(PGA_PGSTEAL_DIRECT, progress);
	if (progress)
		reset_failures(ac, idx);
	return progress;
}

/* Pages kswapd aims to reclaim per pass (Linux kswapd_shrink_node). */
static unsigned long kswapd_target(const struct pga_node *n, int hz)
{
	unsigned long target = 0;

	for (int i = 0; i <= hz; i++) {
		const struct pga_zone *z = &n->node_zones[i];

		if (zone_managed_nonzero(z))
			target += PGA_MAX(pga_wmark_pages(z, PGA_WMARK_HIGH),
					  PGA_SWAP_CLUSTER_MAX);
	}
	return target;
}

static void set_reclaim_active(struct pga_node *n, int hz, bool on)
{
	for (int i = 0; i <= hz; i++) {
		struct pga_zone *z = &n->node_zones[i];

		if (!zone_managed_nonzero(z))
			continue;
		if (on)
			__atomic_fetch_or(&z->flags, PGA_ZONE_RECLAIM_ACTIVE,
					  __ATOMIC_RELAXED);
		else
			__atomic_fetch_and(&z->flags, ~PGA_ZONE_RECLAIM_ACTIVE,
					   __ATOMIC_RELAXED);
	}
}

/* Give back the boost kswapd has worked off (under the zone lock). */
static void unboost(struct pga_node *n, int hz,
		    const unsigned long boosts[PGA_MAX_NR_ZONES])
{
	for (int i = 0; i <= hz; i++) {
		struct pga_zone *z = &n->node_zones[i];
		unsigned long flags;

		if (!boosts[i])
			continue;
		flags = zone_lock(z);
		z->watermark_boost -= PGA_MIN(z->watermark_boost, boosts[i]);
		zone_unlock(z, flags);
	}
}

/* One kswapd reclaim call for node @n. */
static unsigned long kswapd_reclaim(struct pga_node *n, unsigned int order,
				    int hz, bool boost_only)
{
	pga_nodemask_t only = pga_nodemask_of(n->node_id);
	/* Reclaiming a boost must not start writeback or swap. */
	pga_gfp_t gfp = boost_only ? PGA_GFP_NOIO : PGA_GFP_KERNEL;
	unsigned long got;

	if (!pga_g.hooks.direct_reclaim)
		return 0;
	got = pga_g.hooks.direct_reclaim(pga_g.hooks.ctx, gfp, order, &only,
					 kswapd_target(n, hz));
	pga_count_event(PGA_PGSTEAL_KSWAPD, got);
	if (got)
		__atomic_store_n(&n->kswapd_failures, 0, __ATOMIC_RELAXED);
	return got;
}

/*
 * Linux balance_pgdat: up to DEF_PRIORITY passes, each asking the
 * embedder for the node's high watermarks' worth of pages, until a zone
 * is balanced.  A boosted node first reclaims the boost without IO.
 * After compact_gap(order) pages the check drops to order 0.  A pass
 * series that frees nothing counts a kswapd failure.
 * *@order ends as the order kswapd last checked.  Return: pages
 * reclaimed.
 */
static unsigned long balance_pgdat(struct pga_node *n, unsigned int *orderp,
				   int hz)
{
	unsigned int order = *orderp;
	unsigned long boosts[PGA_MAX_NR_ZONES] = {0}, nr_boost = 0, total = 0;
	bool boosted;

	pga_count_event(PGA_PAGEOUTRUN, 1);
	for (int i = 0; i <= hz; i++) {
		boosts[i] = n->node_zones[i].watermark_boost;
		nr_boost += boosts[i];
	}
	boosted = nr_boost != 0;
	set_reclaim_active(n, hz, true);
	for (int prio = PGA_DEF_PRIORITY; prio >= 1; prio--) {
		bool balanced = pgdat_balanced(n, (int)order, hz);
		unsigned long got;

		if (!balanced && nr_boost) {
			nr_boost = 0;
			prio = PGA_DEF_PRIORITY + 1;
			continue;
		}
		if (!nr_boost && balanced)
			goto out;
		got = kswapd_reclaim(n, order, hz, nr_boost != 0);
		total += got;
		if (order && total >= compact_gap(order))
			order = 0;
		nr_boost -= PGA_MIN(nr_boost, got);
		if (boosted && nr_boost && !got)
			break;
	}
	if (!total)
		__atomic_add_fetch(&n->kswapd_failures, 1, __ATOMIC_RELAXED);
out:
	*orderp = order;
	set_reclaim_active(n, hz, false);
	if (boosted) {
		unboost(n, hz, boosts);
		pga_wakeup_kcompactd(n, PGA_PAGEBLOCK_ORDER, hz);
	}
	return total;
}

/*
 * What kswapd does before it sleeps (Linux kswapd_try_to_sleep): once the
 * node is balanced (or hopeless), clear the compaction skip hints direct
 * compaction left behind and hand the allocation order to kcompactd -
 * through the wake_kcompactd hook, or inline when there is none.
 * @reclaim_order is the order balancing ended at, @alloc_order the one
 * asked for.
 */
static void kswapd_before_sleep(struct pga_node *n, int alloc_order,
				int reclaim_order, int hz)
{
	int order = alloc_order;

	if (node_failures(n) < PGA_MAX_RECLAIM_RETRIES &&
	    !pgdat_balanced(n, reclaim_order, hz))
		return;
	for (int i = 0; i < PGA_MAX_NR_ZONES; i++) {
		struct pga_zone *z = &n->node_zones[i];

		if (zone_populated(z) && z->compact_blockskip_flush)
			pga_reset_isolation_suitable(z);
	}
	pga_wakeup_kcompactd(n, order, hz);
	if (!pga_g.hooks.wake_kcompactd && order > 0)
		pga_kcompactd_run(n->node_id);
}

unsigned long pga_kswapd_balance(int nid, unsigned int order,
				 int highest_zoneidx)
{
	struct pga_node *n;
	unsigned long reclaimed;
	unsigned int saved, reclaim_order;
	int req_order, req_hz;

	if (nid < 0 || nid >= pga_g.nr_nodes || !pga_g.nodes[nid].online ||
	    order > PGA_MAX_ORDER || highest_zoneidx < 0 ||
	    highest_zoneidx >= PGA_MAX_NR_ZONES) {
		pga_log(PGA_LOG_ERR, "pga: kswapd_balance(node %d, order %u, "
			"zone %d): bad argument", nid, order, highest_zoneidx);
		return 0;
	}
	n = &pga_g.nodes[nid];
	req_order = __atomic_exchange_n(&n->kswapd_order, 0, __ATOMIC_ACQ_REL);
	req_hz = __atomic_exchange_n(&n->kswapd_highest_zoneidx, 0,
				     __ATOMIC_ACQ_REL);
	order = PGA_MAX(order, (unsigned int)req_order);
	highest_zoneidx = PGA_MAX(highest_zoneidx, req_hz);
	reclaim_order = order;
	saved = pga_memalloc_noreclaim_save();
	reclaimed = balance_pgdat(n, &reclaim_order, highest_zoneidx);
	pga_memalloc_noreclaim_restore(saved);
	kswapd_before_sleep(n, (int)order, (int)reclaim_order, highest_zoneidx);
	return reclaimed;
}

/*
 * Linux __perform_reclaim: direct reclaim with PF_MEMALLOC set, so the
 * embedder's reclaim may allocate from the reserves and never recurses
 * into reclaim.  Return: pages freed.  Context: task, may sleep.
 */
unsigned long pga_direct_reclaim(pga_gfp_t gfp, unsigned int order,
				 const struct pga_alloc_context *ac)
{
	unsigned int saved = pga_memalloc_noreclaim_save();
	unsigned long progress = pga_try_to_free_pages(gfp, order, ac);

	pga_memalloc_noreclaim_restore(saved);
	if (pga_g.hooks.yield)
		pga_g.hooks.yield(pga_g.hooks.ctx);
	return progress;
}
