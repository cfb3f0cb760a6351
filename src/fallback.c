/* SPDX-License-Identifier: MIT */
/*
 * Taking pages from a zone's buddy lists with Linux 6.6's anti-
 * fragmentation rules: __rmqueue with the CMA preference, the fallback
 * table, find_suitable_fallback, steal_suitable_fallback with
 * move_freepages_block and the half-pageblock rule, and the highatomic
 * reserve.  Everything here runs under the zone lock.
 */
#include "internal.h"

/* Linux fallbacks[] (6.6: two entries per mergeable type). */
static const int fallbacks[PGA_MIGRATE_PCPTYPES][2] = {
	[PGA_MIGRATE_UNMOVABLE] = {PGA_MIGRATE_RECLAIMABLE, PGA_MIGRATE_MOVABLE},
	[PGA_MIGRATE_MOVABLE] = {PGA_MIGRATE_RECLAIMABLE, PGA_MIGRATE_UNMOVABLE},
	[PGA_MIGRATE_RECLAIMABLE] = {PGA_MIGRATE_UNMOVABLE, PGA_MIGRATE_MOVABLE},
};

/*
 * Move every free block whose head lies in [@start, @end] to the tail of
 * @mt's lists.  Counts allocated pages the embedder marked movable into
 * @movable (may be NULL).  Return: pages moved.  Context: zone lock held.
 */
unsigned long pga_move_freepages_locked(struct pga_zone *z, pga_pfn_t start,
					pga_pfn_t end, int mt,
					unsigned long *movable)
{
	unsigned long moved = 0;
	pga_pfn_t pfn = start;

	while (pfn <= end) {
		struct pga_page *page = pfn_to_page_or_null(pfn);
		unsigned int order;

		if (!page) {
			pfn++;
			continue;
		}
		if (!page_flag(page, PGA_PG_buddy)) {
			if (movable && page_flag(page, PGA_PG_movable))
				(*movable)++;
			pfn++;
			continue;
		}
		order = page->private;
		pga_buddy_move_to_free_list_locked(z, page, order, mt);
		pfn += 1UL << order;
		moved += 1UL << order;
	}
	return moved;
}

/*
 * Linux move_freepages_block: move the free pages of @page's pageblock to
 * @mt's lists.  The walk is clipped to the zone; a block whose end lies
 * outside the zone moves nothing.  Return: pages moved.
 * Context: zone lock held.
 */
unsigned long pga_move_freepages_block_locked(struct pga_zone *z,
					      struct pga_page *page, int mt,
					      unsigned long *movable)
{
	pga_pfn_t pfn = page_pfn(page);
	pga_pfn_t start = PGA_ALIGN_DOWN(pfn, PGA_PAGEBLOCK_NR_PAGES);
	pga_pfn_t end = start + PGA_PAGEBLOCK_NR_PAGES - 1;

	PGA_ASSERT_LOCKED(z);
	if (movable)
		*movable = 0;
	if (!zone_spans_pfn(z, start))
		start = pfn;
	if (!zone_spans_pfn(z, end))
		return 0;
	return pga_move_freepages_locked(z, start, end, mt, movable);
}

/* Linux can_steal_fallback. */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= PGA_PAGEBLOCK_ORDER)
		return true;
	if (order >= PGA_PAGEBLOCK_ORDER / 2 ||
	    start_mt == PGA_MIGRATE_RECLAIMABLE ||
	    start_mt == PGA_MIGRATE_UNMOVABLE ||
	    pga_g.group_by_mobility_disabled)
		return true;
	return false;
}

/*
 * Linux find_suitable_fallback: the first fallback type of @mt with a free
 * block at @order, or -1.  @can_steal tells whether the whole pageblock
 * may be claimed.  With @only_stealable, types that cannot be stolen from
 * are skipped.  Context: zone lock held.
 */
int pga_find_suitable_fallback(const struct pga_free_area *area,
			       unsigned int order, int mt, bool only_stealable,
			       bool *can_steal)
{
	if (!area->nr_free)
		return -1;
	*can_steal = false;
	for (int i = 0; i < 2; i++) {
		int f = fallbacks[mt][i];

		if (list_empty(&area->free_list[f]))
			continue;
		if (can_steal_fallback(order, mt))
			*can_steal = true;
		if (!only_stealable || *can_steal)
			return f;
	}
	return -1;
}

static void trace_extfrag(struct pga_page *page, unsigned int alloc_order,
			  unsigned int fallback_order, int start_mt, int old_mt)
{
	struct pga_trace_event ev = {0};

	if (!pga_g.hooks.trace)
		return;
	ev.type = PGA_TRACE_MM_PAGE_ALLOC_EXTFRAG;
	ev.pfn = page_pfn(page);
	ev.order = alloc_order;
	ev.fallback_order = (int)fallback_order;
	ev.migratetype = start_mt;
	ev.fallback_migratetype = old_mt;
	ev.change_ownership = get_pageblock_migratetype(ev.pfn) == start_mt;
	pga_g.hooks.trace(pga_g.hooks.ctx, &ev);
}

static void set_pageblocks_type(pga_pfn_t pfn, unsigned int order, int mt)
{
	for (unsigned long i = 0; i < (1UL << order); i += PGA_PAGEBLOCK_NR_PAGES)
		pga_pageblock_set_type(pfn + i, mt);
}

/*
 * Linux steal_suitable_fallback: move the block @page (of a fallback
 * type) to @start_mt's lists, and claim its whole pageblock when allowed
 * and when free plus compatible pages make at least half of it.
 * Context: zone lock held.
 */
static void steal_suitable_fallback(struct pga_zone *z, struct pga_page *page,
				    unsigned int alloc_flags, int start_mt,
				    bool whole_block)
{
	unsigned int cur = page->private;
	pga_pfn_t pfn = page_pfn(page);
	int old = get_pageblock_migratetype(pfn);
	unsigned long free, movable = 0, alike;

	if (old == PGA_MIGRATE_HIGHATOMIC)
		goto single_page;
	if (cur >= PGA_PAGEBLOCK_ORDER) {
		set_pageblocks_type(pfn, cur, start_mt);
		goto single_page;
	}
	if (pga_boost_watermark_locked(z) && (alloc_flags & PGA_ALLOC_KSWAPD))
		__atomic_fetch_or(&z->flags, PGA_ZONE_BOOSTED_WATERMARK,
				  __ATOMIC_RELAXED);
	if (!whole_block)
		goto single_page;
	free = pga_move_freepages_block_locked(z, page, start_mt, &movable);
	if (!free)
		goto single_page;
	if (start_mt == PGA_MIGRATE_MOVABLE)
		alike = movable;
	else if (old == PGA_MIGRATE_MOVABLE)
		alike = PGA_PAGEBLOCK_NR_PAGES - (free + movable);
	else
		alike = 0;
	if (free + alike >= PGA_PAGEBLOCK_NR_PAGES / 2 ||
	    pga_g.group_by_mobility_disabled)
		pga_pageblock_set_type(pfn, start_mt);
	return;
single_page:
	pga_buddy_move_to_free_list_locked(z, page, cur, start_mt);
}

/*
 * Linux __rmqueue_fallback: steal the largest suitable block of another
 * type (smallest for movable requests that cannot claim a whole block).
 * Return: true if a block was moved to @start_mt's lists.
 * Context: zone lock held.
 */
static bool rmqueue_fallback(struct pga_zone *z, unsigned int order,
			     int start_mt, unsigned int alloc_flags)
{
	unsigned int min_order = order;
	int current_order, f = -1;
	bool can_steal = false;
	struct pga_page *page;

	if ((alloc_flags & PGA_ALLOC_NOFRAGMENT) && order < PGA_PAGEBLOCK_ORDER)
		min_order = PGA_PAGEBLOCK_ORDER;
	for (current_order = PGA_MAX_ORDER; current_order >= (int)min_order;
	     current_order--) {
		f = pga_find_suitable_fallback(&z->free_area[current_order],
					       (unsigned int)current_order,
					       start_mt, false, &can_steal);
		if (f != -1)
			break;
	}
	if (f == -1)
		return false;
	if (!can_steal && start_mt == PGA_MIGRATE_MOVABLE &&
	    current_order > (int)order) {
		for (current_order = (int)order;
		     current_order <= PGA_MAX_ORDER; current_order++) {
			f = pga_find_suitable_fallback(
				&z->free_area[current_order],
				(unsigned int)current_order, start_mt, false,
				&can_steal);
			if (f != -1)
				break;
		}
		if (f == -1)
			return false;
	}
	page = list_first_page(&z->free_area[current_order].free_list[f]);
	steal_suitable_fallback(z, page, alloc_flags, start_mt, can_steal);
	trace_extfrag(page, order, (unsigned int)current_order, start_mt, f);
	return true;
}

/*
 * Linux __rmqueue: a block of @order for @mt from @z, trying CMA first
 * when more than half the free pages are CMA, then @mt's lists, then CMA,
 * then stealing from other types.  Return: the head or NULL.
 * Context: zone lock held.
 */
struct pga_page *pga_rmqueue_locked(struct pga_zone *z, unsigned int order,
				    int mt, unsigned int alloc_flags)
{
	struct pga_page *page;
	bool cma = PGA_CONFIG_CMA && (alloc_flags & PGA_ALLOC_CMA);

	if (cma && zone_page_state(z, PGA_NR_FREE_CMA_PAGES) >
			   zone_page_state(z, PGA_NR_FREE_PAGES) / 2) {
		page = pga_buddy_rmqueue_smallest_locked(z, order,
							 PGA_MIGRATE_CMA);
		if (page)
			return page;
	}
	for (;;) {
		page = pga_buddy_rmqueue_smallest_locked(z, order, mt);
		if (page)
			return page;
		if (cma) {
			page = pga_buddy_rmqueue_smallest_locked(
				z, order, PGA_MIGRATE_CMA);
			if (page)
				return page;
		}
		if (!rmqueue_fallback(z, order, mt, alloc_flags))
			return NULL;
	}
}

/*
 * Linux reserve_highatomic_pageblock: after a high-order atomic
 * allocation, turn its pageblock into a HIGHATOMIC reserve while the
 * zone holds fewer than managed/100 + one pageblock reserved pages.
 * Context: takes the zone lock.
 */
void pga_reserve_highatomic_pageblock(struct pga_page *page,
				      struct pga_zone *z)
{
	unsigned long max = zone_managed(z) / 100 + PGA_PAGEBLOCK_NR_PAGES;
	unsigned long flags;
	int mt;

	if (PGA_READ_ONCE(z->nr_reserved_highatomic) >= max)
		return;
	flags = zone_lock(z);
	if (z->nr_reserved_highatomic < max) {
		mt = get_pageblock_migratetype(page_pfn(page));
		if (is_migrate_mergeable(mt)) {
			PGA_WRITE_ONCE(z->nr_reserved_highatomic,
				       z->nr_reserved_highatomic +
					       PGA_PAGEBLOCK_NR_PAGES);
			pga_pageblock_set_type(page_pfn(page),
					       PGA_MIGRATE_HIGHATOMIC);
			pga_move_freepages_block_locked(
				z, page, PGA_MIGRATE_HIGHATOMIC, NULL);
		}
	}
	zone_unlock(z, flags);
}

static bool unreserve_zone(struct pga_zone *z, int mt, bool force)
{
	bool ret = false;
	unsigned long flags;

	if (!force &&
	    PGA_READ_ONCE(z->nr_reserved_highatomic) <= PGA_PAGEBLOCK_NR_PAGES)
		return false;
	flags = zone_lock(z);
	for (unsigned int o = 0; o <= PGA_MAX_ORDER && !ret; o++) {
		struct pga_list_head *l =
			&z->free_area[o].free_list[PGA_MIGRATE_HIGHATOMIC];
		struct pga_page *page;
		pga_pfn_t pfn;

		if (list_empty(l))
			continue;
		page = list_first_page(l);
		pfn = page_pfn(page);
		if (get_pageblock_migratetype(pfn) == PGA_MIGRATE_HIGHATOMIC)
			PGA_WRITE_ONCE(z->nr_reserved_highatomic,
				       z->nr_reserved_highatomic -
				       PGA_MIN(PGA_PAGEBLOCK_NR_PAGES,
					       z->nr_reserved_highatomic));
		pga_pageblock_set_type(pfn, mt);
		ret = pga_move_freepages_block_locked(z, page, mt, NULL) != 0;
		pga_buddy_remerge_locked(
			z, pfn & ~(pga_pfn_t)(PGA_PAGEBLOCK_NR_PAGES - 1));
	}
	zone_unlock(z, flags);
	return ret;
}

/*
 * Linux unreserve_highatomic_pageblock: give one reserved pageblock back
 * to @mt in the first zone of @zl (up to @hz, within @nodemask) that has
 * one.  Without @force each zone keeps one pageblock.
 * Return: true if free pages moved.  Context: task or atomic; takes zone
 * locks.
 */
bool pga_unreserve_highatomic_pageblock(const struct pga_zonelist *zl, int hz,
					const pga_nodemask_t *nodemask, int mt,
					bool force)
{
	for (const struct pga_zoneref *zr = zl->zonerefs; zr->zone; zr++) {
		if (zr->zone_idx > hz ||
		    (nodemask && !pga_nodemask_test(nodemask, zr->zone->nid)))
			continue;
		if (unreserve_zone(zr->zone, mt, force))
			return true;
	}
	return false;
}
