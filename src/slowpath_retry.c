/* SPDX-License-Identifier: MIT */
/*
 * The slow path's decisions and last resorts (Linux 6.6
 * should_reclaim_retry, should_compact_retry, __alloc_pages_may_oom,
 * __alloc_pages_cpuset_fallback) and its failure report (warn_alloc with
 * a short show_mem), used by the states in slowpath.c.
 */
#include "slowpath.h"

#define NSEC_PER_SEC 1000000000ULL
#define WARN_ALLOC_INTERVAL (10 * NSEC_PER_SEC)
#define WARN_ALLOC_BURST 1

static void yield(void)
{
	if (pga_g.hooks.yield)
		pga_g.hooks.yield(pga_g.hooks.ctx);
}

/*
 * Linux should_reclaim_retry: count a loop without progress (costly
 * orders always count), give up after MAX_RECLAIM_RETRIES of them, and
 * otherwise retry while some zone would meet its min watermark at @order
 * if everything reclaimable were freed.  Before giving up, a forced
 * highatomic unreserve buys one more round if it freed something.
 * Return: true to retry.  Context: task.
 */
bool pga_should_reclaim_retry(pga_gfp_t gfp, unsigned int order,
			      const struct pga_alloc_context *ac,
			      unsigned int alloc_flags, bool did_progress,
			      int *no_progress_loops)
{
	bool ret = false;

	(void)gfp;
	if (did_progress && order <= PGA_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops <= PGA_MAX_RECLAIM_RETRIES) {
		for (const struct pga_zoneref *zr = ac->zonelist->zonerefs;
		     zr->zone && !ret; zr++) {
			const struct pga_zone *z = zr->zone;
			long avail;

			if (!zoneref_eligible(zr, ac->highest_zoneidx,
					      ac->nodemask))
				continue;
			avail = (long)pga_zone_reclaimable_pages(z) +
				zone_page_state(z, PGA_NR_FREE_PAGES);
			ret = pga_zone_watermark_ok_free(
				z, order, pga_wmark_pages(z, PGA_WMARK_MIN),
				ac->highest_zoneidx, alloc_flags, avail);
		}
		yield();
	}
	if (!ret)
		return pga_unreserve_highatomic_pageblock(
			ac->zonelist, ac->highest_zoneidx, ac->nodemask,
			ac->migratetype, true);
	return true;
}

/*
 * Linux should_compact_retry: a skipped compaction retries if reclaim
 * could make it possible; a successful one (the page was taken by
 * someone else) retries up to MAX_COMPACT_RETRIES times (a quarter for
 * costly orders); otherwise raise the priority one step, down to
 * SYNC_FULL (SYNC_LIGHT for costly orders), restarting the count.
 * Return: true to retry.  Context: task.
 */
bool pga_should_compact_retry(const struct pga_alloc_context *ac,
			      unsigned int order, unsigned int alloc_flags,
			      enum pga_compact_result result,
			      enum pga_compact_priority *prio, int *retries)
{
	int max_retries = PGA_MAX_COMPACT_RETRIES;
	enum pga_compact_priority min_prio;

	if (!order)
		return false;
	if (fatal_signal_pending())
		return false;
	if (result == PGA_COMPACT_SKIPPED)
		return pga_compaction_zonelist_suitable(ac, order, alloc_flags);
	if (result == PGA_COMPACT_SUCCESS) {
		if (order > PGA_COSTLY_ORDER)
			max_retries /= 4;
		if (++(*retries) <= max_retries)
			return true;
	}
	min_prio = order > PGA_COSTLY_ORDER ? PGA_MIN_COMPACT_COSTLY_PRIORITY
					    : PGA_MIN_COMPACT_PRIORITY;
	if (*prio > min_prio) {
		(*prio)--;
		*retries = 0;
		return true;
	}
	return false;
}

/*
 * Linux __alloc_pages_cpuset_fallback: within the cpuset first, then
 * anywhere.  Return: a page or NULL.  Context: as the gfp allows.
 */
struct pga_page *pga_cpuset_fallback(pga_gfp_t gfp, unsigned int order,
				     unsigned int alloc_flags,
				     const struct pga_alloc_context *ac)
{
	struct pga_page *page = pga_get_page_from_freelist(
		gfp, order, alloc_flags | PGA_ALLOC_CPUSET, ac);

	if (!page)
		page = pga_get_page_from_freelist(gfp, order, alloc_flags, ac);
	return page;
}

/*
 * Print @what once per boot (Linux WARN_ON_ONCE_GFP: silenced by
 * __GFP_NOWARN).  Return: true (the warned condition held).
 * Context: any.
 */
bool pga_warn_once(int site, pga_gfp_t gfp, const char *what)
{
	if (gfp & PGA_GFP_NOWARN)
		return true;
	if (!__atomic_exchange_n(&pga_g.reclaim.warned_once[site], true,
				 __ATOMIC_RELAXED))
		pga_log(PGA_LOG_WARN, "pga: WARNING: %s (mode:%#x)", what, gfp);
	return true;
}

/*
 * Linux out_of_memory as the allocator sees it: a task with a fatal
 * signal pending is about to free its memory and becomes the victim
 * itself (task_will_free_mem(current): no one else is killed, the slow
 * path gives it ALLOC_OOM and then lets it fail); a request that may not
 * enter the filesystem never kills (reclaim could not do its job, the
 * caller keeps looping instead); otherwise ask the oom hook.
 */
static bool out_of_memory(pga_gfp_t gfp, unsigned int order,
			  const struct pga_alloc_context *ac)
{
	bool ok;

	if (fatal_signal_pending())
		return true;
	if (!(gfp & PGA_GFP_FS))
		return true;
	if (!pga_g.hooks.oom)
		return false;
	ok = pga_g.hooks.oom(pga_g.hooks.ctx, gfp, order, ac->nodemask);
	if (ok)
		pga_count_event(PGA_OOM_KILL, 1);
	return ok;
}

/* Storage is suspended: the allowed mask lacks IO or FS (Linux PM). */
static bool suspended_storage(void)
{
	return (pga_g.gfp_allowed_mask & (PGA_GFP_IO | PGA_GFP_FS)) !=
	       (PGA_GFP_IO | PGA_GFP_FS);
}

/* The requests the OOM killer cannot help (the early exits of may_oom). */
static bool oom_skipped(pga_gfp_t gfp, unsigned int order,
			const struct pga_alloc_context *ac)
{
	return order > PGA_COSTLY_ORDER ||
	       (gfp & (PGA_GFP_RETRY_MAYFAIL | PGA_GFP_THISNODE)) ||
	       ac->highest_zoneidx < PGA_ZONE_NORMAL || suspended_storage();
}

/*
 * Linux __alloc_pages_may_oom: under the OOM lock (someone else holding
 * it counts as progress), a last try at the HIGH watermark catches a
 * parallel kill; then, unless the request is costly, RETRY_MAYFAIL,
 * THISNODE, lowmem-only or storage is suspended, call the OOM killer.
 * Its success - or __GFP_NOFAIL - is progress, and NOFAIL then may take
 * pages without watermarks.  Return: a page or NULL; *@progress.
 * Context: task, may sleep in the oom hook.
 */
struct pga_page *pga_may_oom(pga_gfp_t gfp, unsigned int order,
			     struct pga_alloc_context *ac,
			     unsigned long *progress)
{
	struct pga_page *page;

	*progress = 0;
	if (__atomic_exchange_n(&pga_g.reclaim.oom_lock, 1, __ATOMIC_ACQUIRE)) {
		*progress = 1;
		yield();
		return NULL;
	}
	page = pga_get_page_from_freelist(
		(gfp | PGA_GFP_HARDWALL) & ~PGA_GFP_DIRECT_RECLAIM, order,
		PGA_ALLOC_WMARK_HIGH | PGA_ALLOC_CPUSET, ac);
	if (page || oom_skipped(gfp, order, ac))
		goto out;
	if (out_of_memory(gfp, order, ac) ||
	    ((gfp & PGA_GFP_NOFAIL) &&
	     pga_warn_once(PGA_WARN_NOFAIL_OOM, gfp,
			   "__GFP_NOFAIL and the OOM killer made no "
			   "progress"))) {
		*progress = 1;
		if (gfp & PGA_GFP_NOFAIL)
			page = pga_cpuset_fallback(gfp, order,
						   PGA_ALLOC_NO_WATERMARKS, ac);
	}
out:
	__atomic_store_n(&pga_g.reclaim.oom_lock, 0, __ATOMIC_RELEASE);
	return page;
}

/*
 * Linux __ratelimit for warn_alloc: one report per 10 s window (by the
 * clock hook; without it every report goes out), then a count of the
 * suppressed ones when the next window opens.  A busy ratelimit
 * suppresses.
 */
static bool warn_ratelimit(void)
{
	struct pga_reclaim_state *r = &pga_g.reclaim;
	bool ok;
	uint64_t now;

	if (!pga_g.hooks.clock_ns)
		return true;
	if (__atomic_exchange_n(&r->warn_lock, 1, __ATOMIC_ACQUIRE))
		return false;
	now = pga_g.hooks.clock_ns(pga_g.hooks.ctx);
	if (!r->warn_window_open) {
		r->warn_window_open = true;
		r->warn_window_start = now;
	}
	if (now - r->warn_window_start >= WARN_ALLOC_INTERVAL) {
		if (r->warn_missed)
			pga_log(PGA_LOG_WARN, "pga: warn_alloc: %u callbacks "
				"suppressed", r->warn_missed);
		r->warn_window_start = now;
		r->warn_printed = 0;
		r->warn_missed = 0;
	}
	ok = r->warn_printed < WARN_ALLOC_BURST;
	if (ok)
		r->warn_printed++;
	else
		r->warn_missed++;
	__atomic_store_n(&r->warn_lock, 0, __ATOMIC_RELEASE);
	return ok;
}

static bool has_managed_dma(void)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		if (zone_managed_nonzero(
			    &pga_g.nodes[nid].node_zones[PGA_ZONE_DMA]))
			return true;
	return false;
}

/* "0,2-3" style node list (Linux %*pbl), "(null)" for no mask. */
static void format_nodemask(char *buf, size_t len,
			    const pga_nodemask_t *nm)
{
	size_t n = 0;

	if (!nm) {
		pga_snprintf(buf, len, "(null)");
		return;
	}
	buf[0] = '\0';
	for (int nid = 0; nid < 64 && n + 8 < len; nid++) {
		int end = nid;

		if (!pga_nodemask_test(nm, nid))
			continue;
		while (end + 1 < 64 && pga_nodemask_test(nm, end + 1))
			end++;
		n += (size_t)pga_snprintf(buf + n, len - n,
					  end > nid ? "%s%d-%d" : "%s%d",
					  n ? "," : "", nid, end);
		nid = end;
	}
}

#define KB(pages) ((pages) << (PGA_PAGE_SHIFT - 10))

/* One zone of the show_mem summary: watermarks, then free blocks/order. */
static void show_zone(struct pga_zone *z)
{
	unsigned long nr[PGA_NR_ORDERS], total = 0, flags;
	char line[256];
	size_t n;

	flags = zone_lock(z);
	for (int o = 0; o <= PGA_MAX_ORDER; o++)
		nr[o] = z->free_area[o].nr_free;
	zone_unlock(z, flags);
	pga_log(PGA_LOG_WARN, "Node %d %s free:%lukB boost:%lukB min:%lukB "
		"low:%lukB high:%lukB reserved_highatomic:%lukB managed:%lukB",
		z->nid, pga_zone_names[z->idx],
		KB((unsigned long)zone_page_state(z, PGA_NR_FREE_PAGES)),
		KB(z->watermark_boost), KB(pga_wmark_pages(z, PGA_WMARK_MIN)),
		KB(pga_wmark_pages(z, PGA_WMARK_LOW)),
		KB(pga_wmark_pages(z, PGA_WMARK_HIGH)),
		KB(z->nr_reserved_highatomic), KB(zone_managed(z)));
	n = (size_t)pga_snprintf(line, sizeof(line), "Node %d %s:", z->nid,
				 pga_zone_names[z->idx]);
	for (int o = 0; o <= PGA_MAX_ORDER && n < sizeof(line); o++) {
		n += (size_t)pga_snprintf(line + n, sizeof(line) - n,
					  " %lu*%lukB", nr[o], KB(1UL << o));
		total += nr[o] << o;
	}
	if (n < sizeof(line))
		pga_snprintf(line + n, sizeof(line) - n, " = %lukB", KB(total));
	pga_log(PGA_LOG_WARN, "%s", line);
}

/*
 * Linux warn_alloc("page allocation failure: order:%u"): silenced by
 * __GFP_NOWARN, for __GFP_DMA without a DMA zone, and by the ratelimit;
 * followed by the free memory of every populated zone per order.
 * Context: any.
 */
void pga_warn_alloc(pga_gfp_t gfp, const pga_nodemask_t *nodemask,
		    unsigned int order)
{
	char nodes[96];

	if ((gfp & PGA_GFP_NOWARN) ||
	    ((gfp & PGA_GFP_DMA) && !has_managed_dma()) || !warn_ratelimit())
		return;
	format_nodemask(nodes, sizeof(nodes), nodemask);
	pga_log(PGA_LOG_WARN, "pga: page allocation failure: order:%u, "
		"mode:%#x, nodemask=%s", order, gfp, nodes);
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			if (zone_populated(&pga_g.nodes[nid].node_zones[zt]))
				show_zone(&pga_g.nodes[nid].node_zones[zt]);
}
