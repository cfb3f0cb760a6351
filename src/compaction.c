/* SPDX-License-Identifier: MIT */
/*
 * Compaction policy (Linux mm/compaction.c): when a zone is worth
 * compacting (watermark gap, fragmentation index), the exponential
 * deferral after failures, one run over a zone until the scanners meet or
 * a suitable block is free, direct compaction over a zonelist with the
 * capture of the freed block, and the compaction daemon's body.  The
 * scanners themselves are in compaction_scan.c.
 */
#include "compaction.h"

/*
 * The capture control published on each CPU while its direct compactor
 * frees pages (Linux current->capture_control).  Only set with
 * interrupts off, so nothing else runs on that CPU in the meantime.
 */
static struct pga_capture_control *capture_slot[PGA_CONFIG_MAX_CPUS];

/*
 * Publish @capc on this CPU with interrupts off.  Every block freed on
 * this CPU until pga_capture_close() may be captured.  With @capc NULL
 * (kcompactd, kthreads) only interrupts go off.
 * Return: the interrupt flags.  Context: task.
 */
unsigned long pga_capture_open(struct pga_capture_control *capc,
			       unsigned int *cpu, bool *published)
{
	unsigned long flags = pga_arch_irq_save();

	*cpu = pga_cpu();
	*published = capc && !capc->page && *cpu < pga_g.nr_cpus;
	if (*published) {
		capture_slot[*cpu] = capc;
		__atomic_add_fetch(&pga_g.reclaim.nr_capturing, 1,
				   __ATOMIC_RELAXED);
	}
	return flags;
}

/* Withdraw what pga_capture_open() published.  Context: task. */
void pga_capture_close(struct pga_capture_control *capc, unsigned int cpu,
		       bool published, unsigned long flags)
{
	(void)capc;
	if (published) {
		capture_slot[cpu] = NULL;
		__atomic_sub_fetch(&pga_g.reclaim.nr_capturing, 1,
				   __ATOMIC_RELAXED);
	}
	pga_arch_irq_restore(flags);
}

/*
 * Linux compaction_capture: hand the block @page of @order being freed
 * into @z to this CPU's direct compactor if it waits for exactly that
 * order in that zone.  CMA and isolated blocks are never taken, nor
 * movable sub-pageblock blocks for an unmovable request.  The block
 * leaves the free counters and counts as allocated.
 * Return: true if captured.  Context: zone lock held, interrupts off.
 */
bool pga_compaction_capture_locked(struct pga_zone *z, struct pga_page *page,
				   unsigned int order, int mt)
{
	unsigned int cpu = pga_cpu();
	struct pga_capture_control *capc;

	if (cpu >= pga_g.nr_cpus)
		return false;
	capc = capture_slot[cpu];
	if (!capc || capc->page || capc->cc->zone != z ||
	    (int)order != capc->cc->order)
		return false;
	if (mt == PGA_MIGRATE_CMA || mt == PGA_MIGRATE_ISOLATE)
		return false;
	if (order < PGA_PAGEBLOCK_ORDER && mt == PGA_MIGRATE_MOVABLE &&
	    capc->cc->migratetype != PGA_MIGRATE_MOVABLE)
		return false;
	pga_buddy_account_free(z, -(1L << order), mt);
	pga_account_alloc_irqoff(z, cpu, 1L << order);
	capc->page = page;
	return true;
}

/*
 * Linux __compaction_suitable: would @z, with @free free pages, stay above
 * the watermark (low for costly orders, else min) plus compact_gap after
 * compaction took its targets?  Return: true if so.  Context: any.
 */
bool pga_compaction_suitable_free(const struct pga_zone *z, unsigned int order,
				  int hz, unsigned long free)
{
	unsigned long mark = order > PGA_COSTLY_ORDER
				     ? pga_wmark_pages(z, PGA_WMARK_LOW)
				     : pga_wmark_pages(z, PGA_WMARK_MIN);

	return pga_zone_watermark_ok_free(z, 0, mark + compact_gap(order), hz,
					  PGA_ALLOC_CMA, (long)free);
}

/*
 * Linux compaction_suitable: __compaction_suitable, and for costly orders
 * a fragmentation index above vm.extfrag_threshold.  Return: true if
 * worth compacting.  Context: any.
 */
bool pga_compaction_suitable(const struct pga_zone *z, unsigned int order,
			     int hz)
{
	int fi;

	if (!pga_compaction_suitable_free(
		    z, order, hz,
		    (unsigned long)zone_page_state(z, PGA_NR_FREE_PAGES)))
		return false;
	if (order <= PGA_COSTLY_ORDER)
		return true;
	fi = pga_zone_fragmentation_index(z, order);
	return !(fi >= 0 && fi <= (int)pga_g.reclaim.extfrag_threshold);
}

static void trace_defer(const struct pga_zone *z, int order, int status)
{
	struct pga_trace_event ev = {0};

	if (!pga_g.hooks.trace)
		return;
	ev.type = PGA_TRACE_MM_COMPACTION_DEFER;
	ev.nid = z->nid;
	ev.zone = (int)z->idx;
	ev.order = (unsigned int)order;
	ev.status = status;
	pga_g.hooks.trace(pga_g.hooks.ctx, &ev);
}

/*
 * Linux defer_compaction: after a failure, skip the next 2^shift - 1
 * attempts at @order or above (shift grows to 6).  Context: any.
 */
void pga_defer_compaction(struct pga_zone *z, int order)
{
	z->compact_considered = 0;
	if (++z->compact_defer_shift > PGA_COMPACT_MAX_DEFER_SHIFT)
		z->compact_defer_shift = PGA_COMPACT_MAX_DEFER_SHIFT;
	if (order < z->compact_order_failed)
		z->compact_order_failed = order;
	trace_defer(z, order, 1);
}

/*
 * Linux compaction_deferred: should this attempt at @order be skipped?
 * Counts the attempt.  Return: true to skip.  Context: any.
 */
bool pga_compaction_deferred(struct pga_zone *z, int order)
{
	unsigned int limit = 1U << z->compact_defer_shift;

	if (order < z->compact_order_failed)
		return false;
	if (++z->compact_considered >= limit) {
		z->compact_considered = limit;
		return false;
	}
	trace_defer(z, order, 0);
	return true;
}

/*
 * Linux compaction_defer_reset: a compaction at @order succeeded (and
 * with @alloc_success, the allocation too): stop deferring.
 * Context: any.
 */
void pga_compaction_defer_reset(struct pga_zone *z, int order,
				bool alloc_success)
{
	if (alloc_success) {
		z->compact_considered = 0;
		z->compact_defer_shift = 0;
	}
	if (order >= z->compact_order_failed)
		z->compact_order_failed = order + 1;
}

/*
 * Linux compaction_restarting: deferred to the maximum and the full
 * count considered, so the next run starts afresh.  Return: true then.
 * Context: any.
 */
bool pga_compaction_restarting(const struct pga_zone *z, int order)
{
	return order >= z->compact_order_failed &&
	       z->compact_defer_shift == PGA_COMPACT_MAX_DEFER_SHIFT &&
	       z->compact_considered >= 1U << z->compact_defer_shift;
}

static void reset_cached_positions(struct pga_zone *z)
{
	z->compact_cached_migrate_pfn[0] = z->zone_start_pfn;
	z->compact_cached_migrate_pfn[1] = z->zone_start_pfn;
	z->compact_cached_free_pfn =
		PGA_ALIGN_DOWN(zone_end_pfn(z) - 1, PGA_PAGEBLOCK_NR_PAGES);
}

/*
 * Clear every skip hint of @z and restart both scanners at the zone ends
 * (Linux __reset_isolation_suitable).  Context: task.
 */
void pga_reset_isolation_suitable(struct pga_zone *z)
{
	for (pga_pfn_t pfn = PGA_ALIGN_DOWN(z->zone_start_pfn,
					    PGA_PAGEBLOCK_NR_PAGES);
	     pfn < zone_end_pfn(z); pfn += PGA_PAGEBLOCK_NR_PAGES)
		if (pfn_to_page_or_null(PGA_MAX(pfn, z->zone_start_pfn)))
			pga_pageblock_set_skip(PGA_MAX(pfn, z->zone_start_pfn),
					       false);
	z->compact_blockskip_flush = false;
	reset_cached_positions(z);
}

/* Place both scanners: the whole zone, or where the last run stopped. */
static void setup_scanners(struct pga_compact_control *cc)
{
	struct pga_zone *z = cc->zone;
	pga_pfn_t start = z->zone_start_pfn, end = zone_end_pfn(z);
	bool sync = cc->mode != PGA_MIGRATE_ASYNC;

	if (cc->whole_zone) {
		cc->migrate_pfn = start;
		cc->free_pfn = PGA_ALIGN_DOWN(end - 1, PGA_PAGEBLOCK_NR_PAGES);
		return;
	}
	cc->migrate_pfn = z->compact_cached_migrate_pfn[sync];
	cc->free_pfn = z->compact_cached_free_pfn;
	if (cc->free_pfn <= start || cc->free_pfn >= end) {
		cc->free_pfn = PGA_ALIGN_DOWN(end - 1, PGA_PAGEBLOCK_NR_PAGES);
		z->compact_cached_free_pfn = cc->free_pfn;
	}
	if (cc->migrate_pfn < start || cc->migrate_pfn >= end) {
		cc->migrate_pfn = start;
		z->compact_cached_migrate_pfn[0] = start;
		z->compact_cached_migrate_pfn[1] = start;
	}
	if (cc->migrate_pfn <= start)
		cc->whole_zone = true;
}

/* Is a block of cc->order free for cc->migratetype, or stealable? */
static bool suitable_page_free(struct pga_compact_control *cc)
{
	struct pga_zone *z = cc->zone;
	unsigned long flags = zone_lock(z);
	bool found = false;

	for (int o = cc->order; o <= PGA_MAX_ORDER && !found; o++) {
		const struct pga_free_area *area = &z->free_area[o];
		bool can_steal;

		found = !list_empty(&area->free_list[cc->migratetype]) ||
			(PGA_CONFIG_CMA &&
			 cc->migratetype == PGA_MIGRATE_MOVABLE &&
			 !list_empty(&area->free_list[PGA_MIGRATE_CMA])) ||
			pga_find_suitable_fallback(area, (unsigned int)o,
						   cc->migratetype, true,
						   &can_steal) != -1;
	}
	zone_unlock(z, flags);
	return found;
}

/*
 * Linux compact_finished: COMPLETE or PARTIAL_SKIPPED when the scanners
 * meet, SUCCESS at a pageblock boundary once a suitable block is free,
 * CONTENDED on contention or a fatal signal, else CONTINUE.
 */
static enum pga_compact_result compact_finished(struct pga_compact_control *cc)
{
	if (pga_compact_scanners_met(cc)) {
		reset_cached_positions(cc->zone);
		if (cc->direct_compaction)
			cc->zone->compact_blockskip_flush = true;
		return cc->whole_zone ? PGA_COMPACT_COMPLETE
				      : PGA_COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->order < 0 ||
	    (cc->migrate_pfn & (PGA_PAGEBLOCK_NR_PAGES - 1)) != 0)
		return PGA_COMPACT_CONTINUE;
	if (suitable_page_free(cc))
		return PGA_COMPACT_SUCCESS;
	if (cc->contended || fatal_signal_pending())
		return PGA_COMPACT_CONTENDED;
	return PGA_COMPACT_CONTINUE;
}

static void trace_run(const struct pga_compact_control *cc, bool end,
		      enum pga_compact_result status)
{
	struct pga_trace_event ev = {0};

	if (!pga_g.hooks.trace)
		return;
	ev.type = end ? PGA_TRACE_MM_COMPACTION_END
		      : PGA_TRACE_MM_COMPACTION_BEGIN;
	ev.nid = cc->zone->nid;
	ev.zone = (int)cc->zone->idx;
	ev.order = (unsigned int)cc->order;
	ev.migrate_pfn = cc->migrate_pfn;
	ev.free_pfn = cc->free_pfn;
	ev.status = (int)status;
	pga_g.hooks.trace(pga_g.hooks.ctx, &ev);
}

/* Start of the cc->order-aligned block holding @pfn. */
static pga_pfn_t order_block(const struct pga_compact_control *cc,
			     pga_pfn_t pfn)
{
	return PGA_ALIGN_DOWN(pfn, (pga_pfn_t)1 << cc->order);
}

/* One isolate + migrate round.  Return: CONTINUE or the final result. */
static enum pga_compact_result compact_round(struct pga_compact_control *cc,
					     struct pga_capture_control *capc,
					     pga_pfn_t *last_migrated)
{
	enum pga_isolate_result r = pga_isolate_migratepages(cc);
	int err;

	if (r == PGA_ISOLATE_ABORT) {
		pga_compact_putback(cc);
		return PGA_COMPACT_CONTENDED;
	}
	if (r == PGA_ISOLATE_SUCCESS) {
		pga_pfn_t block = PGA_ALIGN_DOWN(cc->migrate_pfn - 1,
						 PGA_PAGEBLOCK_NR_PAGES);

		*last_migrated = PGA_MAX(cc->zone->zone_start_pfn, block);
		err = pga_compact_migrate_pages(cc, capc);
		if (err) {
			pga_compact_putback(cc);
			if (err == -PGA_ENOMEM && !pga_compact_scanners_met(cc))
				return PGA_COMPACT_CONTENDED;
			/* A page stayed: this order block cannot empty. */
			if (cc->direct_compaction && cc->order > 0 &&
			    cc->mode == PGA_MIGRATE_ASYNC) {
				cc->migrate_pfn = order_block(
					cc, cc->migrate_pfn - 1) +
					((pga_pfn_t)1 << cc->order);
				*last_migrated = 0;
			}
		}
	}
	if (cc->order > 0 && *last_migrated &&
	    *last_migrated < order_block(cc, cc->migrate_pfn)) {
		pga_compact_drain_local(cc, capc);
		*last_migrated = 0;
	}
	if (capc && capc->page)
		return PGA_COMPACT_SUCCESS;
	return PGA_COMPACT_CONTINUE;
}

/*
 * Compact one zone (Linux compact_zone): SUCCESS at once if the request
 * already fits, SKIPPED if the zone lacks free pages to work with;
 * otherwise migrate movable pages from the bottom of the zone into free
 * pages at the top until a suitable block is free (or captured through
 * @capc), or the scanners meet.  Return: the result.  Context: task,
 * may sleep in the migrate_page hook.
 */
enum pga_compact_result pga_compact_zone(struct pga_compact_control *cc,
					 struct pga_capture_control *capc)
{
	struct pga_zone *z = cc->zone;
	enum pga_compact_result ret;
	pga_pfn_t last_migrated = 0, high;

	if (cc->order >= 0) {
		unsigned long mark = pga_wmark_pages(
			z, (int)(cc->alloc_flags & PGA_ALLOC_WMARK_MASK));

		if (pga_zone_watermark_ok(z, (unsigned int)cc->order, mark,
					  cc->highest_zoneidx, cc->alloc_flags))
			return PGA_COMPACT_SUCCESS;
		if (!pga_compaction_suitable(z, (unsigned int)cc->order,
					     cc->highest_zoneidx))
			return PGA_COMPACT_SKIPPED;
	}
	if (pga_compaction_restarting(z, cc->order))
		pga_reset_isolation_suitable(z);
	setup_scanners(cc);
	trace_run(cc, false, PGA_COMPACT_CONTINUE);
	while ((ret = compact_finished(cc)) == PGA_COMPACT_CONTINUE) {
		ret = compact_round(cc, capc, &last_migrated);
		if (ret != PGA_COMPACT_CONTINUE)
			break;
	}
	pga_compact_putback(cc);
	high = pga_compact_release_freepages(cc);
	if (high) {
		high = PGA_ALIGN_DOWN(high, PGA_PAGEBLOCK_NR_PAGES);
		if (high > z->compact_cached_free_pfn)
			z->compact_cached_free_pfn = high;
	}
	trace_run(cc, true, ret);
	return ret;
}

/* One zone of a direct compaction (Linux compact_zone_order). */
static enum pga_compact_result
compact_zone_order(struct pga_zone *z, unsigned int order, pga_gfp_t gfp,
		   enum pga_compact_priority prio, unsigned int alloc_flags,
		   int hz, struct pga_page **capture)
{
	struct pga_compact_control cc;
	struct pga_capture_control capc = {&cc, NULL};
	bool kthread = pga_task_flags() & PGA_TASK_KTHREAD;
	enum pga_compact_result ret;

	pga_compact_cc_init(&cc, z, (int)order, gfp);
	cc.mode = prio == PGA_COMPACT_PRIO_ASYNC ? PGA_MIGRATE_ASYNC
						 : PGA_MIGRATE_SYNC_LIGHT;
	cc.alloc_flags = alloc_flags;
	cc.highest_zoneidx = hz;
	cc.direct_compaction = true;
	cc.whole_zone = prio == PGA_MIN_COMPACT_PRIORITY;
	cc.ignore_skip_hint = prio == PGA_MIN_COMPACT_PRIORITY;
	cc.ignore_block_suitable = prio == PGA_MIN_COMPACT_PRIORITY;
	ret = pga_compact_zone(&cc, kthread ? NULL : &capc);
	if (capc.page) {
		*capture = capc.page;
		ret = PGA_COMPACT_SUCCESS;
	}
	return ret;
}

static bool cpuset_allows(const struct pga_zone *z, pga_gfp_t gfp,
			  unsigned int alloc_flags)
{
	return !pga_cpusets_enabled() || !(alloc_flags & PGA_ALLOC_CPUSET) ||
	       pga_g.hooks.cpuset_node_allowed(pga_g.hooks.ctx, z->nid, gfp);
}

/*
 * Direct compaction over the request's zonelist (Linux
 * try_to_compact_pages): SKIPPED without __GFP_IO; deferred zones are
 * passed over unless @prio is SYNC_FULL; the first success stops the
 * walk; sync failures defer the zone.  *@capture receives a captured
 * block.  Return: the best result over the zones.  Context: task.
 */
enum pga_compact_result
pga_try_to_compact_pages(pga_gfp_t gfp, unsigned int order,
			 unsigned int alloc_flags,
			 const struct pga_alloc_context *ac,
			 enum pga_compact_priority prio,
			 struct pga_page **capture)
{
	enum pga_compact_result rc = PGA_COMPACT_SKIPPED;

	*capture = NULL;
	if (!(gfp & PGA_GFP_IO))
		return PGA_COMPACT_SKIPPED;
	for (const struct pga_zoneref *zr = ac->zonelist->zonerefs; zr->zone;
	     zr++) {
		struct pga_zone *z = zr->zone;
		enum pga_compact_result st;

		if (!zoneref_eligible(zr, ac->highest_zoneidx, ac->nodemask) ||
		    !cpuset_allows(z, gfp, alloc_flags))
			continue;
		if (prio > PGA_MIN_COMPACT_PRIORITY &&
		    pga_compaction_deferred(z, (int)order)) {
			rc = PGA_MAX(rc, PGA_COMPACT_DEFERRED);
			continue;
		}
		st = compact_zone_order(z, order, gfp, prio, alloc_flags,
					ac->highest_zoneidx, capture);
		rc = PGA_MAX(rc, st);
		if (st == PGA_COMPACT_SUCCESS) {
			pga_compaction_defer_reset(z, (int)order, false);
			break;
		}
		if (prio != PGA_COMPACT_PRIO_ASYNC &&
		    (st == PGA_COMPACT_COMPLETE ||
		     st == PGA_COMPACT_PARTIAL_SKIPPED))
			pga_defer_compaction(z, (int)order);
		if (fatal_signal_pending())
			break;
	}
	return rc;
}

/*
 * Linux compaction_zonelist_suitable: could reclaim make compaction
 * possible in some zone (free plus reclaimable/order pages)?
 * Return: true if so.  Context: any.
 */
bool pga_compaction_zonelist_suitable(const struct pga_alloc_context *ac,
				      unsigned int order,
				      unsigned int alloc_flags)
{
	(void)alloc_flags;
	for (const struct pga_zoneref *zr = ac->zonelist->zonerefs; zr->zone;
	     zr++) {
		unsigned long avail;

		if (!zoneref_eligible(zr, ac->highest_zoneidx, ac->nodemask))
			continue;
		avail = pga_zone_reclaimable_pages(zr->zone) / order +
			(unsigned long)zone_page_state(zr->zone,
						       PGA_NR_FREE_PAGES);
		if (pga_compaction_suitable_free(zr->zone, order,
						 ac->highest_zoneidx, avail))
			return true;
	}
	return false;
}
