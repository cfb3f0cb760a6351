/* SPDX-License-Identifier: MIT */
/*
 * Anti-fragmentation in __rmqueue: the fallbacks table and
 * find_suitable_fallback, steal_suitable_fallback with
 * move_freepages_block and the half-pageblock rule (which pageblock
 * changes type, which list each free block lands on, which pfn is
 * returned), the boost and kswapd wake a steal causes, and the CMA rules.
 * Per-CPU lists are off so the buddy is exposed.  (The highatomic reserve
 * is in test_highatomic.c.)
 */
#include <stdlib.h>
#include <string.h>

#include "zones.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define UNMOV PGA_MIGRATE_UNMOVABLE
#define MOV PGA_MIGRATE_MOVABLE
#define RECL PGA_MIGRATE_RECLAIMABLE
#define HIGHATOMIC PGA_MIGRATE_HIGHATOMIC

static pga_pfn_t base;

static int wakes, wake_order, wake_zone;

static void wake_kswapd_hook(void *ctx, int nid, unsigned int order, int hz)
{
	(void)ctx;
	assert_int_equal(nid, 0);
	wakes++;
	wake_order = (int)order;
	wake_zone = hz;
}

static struct pga_trace_event extfrag;
static int extfrags;

static void trace_hook(void *ctx, const struct pga_trace_event *ev)
{
	(void)ctx;
	if (ev->type == PGA_TRACE_MM_PAGE_ALLOC_EXTFRAG) {
		extfrag = *ev;
		extfrags++;
	}
}

/* A NORMAL zone of exactly @pages pages at 4 GiB, pcp off. */
static void init_zone(unsigned long pages, unsigned int boost_factor)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();

	h.wake_kswapd = wake_kswapd_hook;
	h.trace = trace_hook;
	fx_params(&p);
	p.disable_pcp = true;
	p.watermark_boost_factor = boost_factor;
	zh_init_normal(&p, GiB(4), pages, &h);
	base = zh_normal()->zone_start_pfn;
	wakes = extfrags = 0;
}

/* Allocate every free page of the zone as order-0 pages. */
static void fill(void)
{
	static struct zh_block taken[64];
	size_t n = zh_drain_to(zh_normal(), 0, taken, 64);

	for (size_t i = 0; i < n; i++)
		pga_split_page(taken[i].page, taken[i].order);
}

static void give_back(pga_pfn_t pfn, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		pga_free_page(pga_pfn_to_page(pfn + i));
}

static void mark_movable(pga_pfn_t pfn, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		pga_page_set_movable(pga_pfn_to_page(pfn + i), true);
}

/* Free every order-0 page the test still holds, then check. */
static void sweep(void)
{
	const struct pga_zone *z = zh_normal();

	for (pga_pfn_t pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn++) {
		struct pga_page *pg = pga_pfn_to_page(pfn);

		if (pg && !page_flag(pg, PGA_PG_reserved) &&
		    pga_atomic_read(&pg->refcount) == 1) {
			pga_page_set_movable(pg, false);
			pga_free_page(pg);
		}
	}
	assert_int_equal(fx_allocated_pages(), 0);
	assert_int_equal(zh_free(z), zone_managed(z));
	fx_assert_consistent();
}

static int pb_type(pga_pfn_t pfn)
{
	return get_pageblock_migratetype(pfn);
}

static pga_pfn_t alloc_pfn(pga_gfp_t gfp, unsigned int order)
{
	struct pga_page *pg = pga_alloc_pages(gfp, order);

	assert_non_null(pg);
	return pga_page_to_pfn(pg);
}

/* ---- the table --------------------------------------------------- */

static void put(struct pga_free_area *a, struct pga_page *pg, int mt)
{
	list_add(&pg->lru, &a->free_list[mt]);
	a->nr_free++;
}

static void reset(struct pga_free_area *a)
{
	for (int mt = 0; mt < PGA_MIGRATE_TYPES; mt++)
		list_init(&a->free_list[mt]);
	a->nr_free = 0;
}

/* fallbacks[]: UNMOV -> RECL, MOV; MOV -> RECL, UNMOV; RECL -> UNMOV, MOV. */
static void fallback_table(void **state)
{
	struct pga_free_area a;
	struct pga_page pages[3];
	bool steal = true;

	(void)state;
	init_zone(4096, 15000);
	reset(&a);
	assert_int_equal(
	    pga_find_suitable_fallback(&a, 2, UNMOV, false, &steal), -1);
	assert_true(steal); /* untouched when the order is empty */
	put(&a, &pages[0], UNMOV);
	put(&a, &pages[1], MOV);
	put(&a, &pages[2], RECL);
	assert_int_equal(
	    pga_find_suitable_fallback(&a, 2, UNMOV, false, &steal), RECL);
	assert_int_equal(pga_find_suitable_fallback(&a, 2, MOV, false, &steal),
			 RECL);
	assert_int_equal(pga_find_suitable_fallback(&a, 2, RECL, false, &steal),
			 UNMOV);
	reset(&a);
	put(&a, &pages[0], UNMOV);
	put(&a, &pages[1], MOV);
	assert_int_equal(
	    pga_find_suitable_fallback(&a, 2, UNMOV, false, &steal), MOV);
	assert_int_equal(pga_find_suitable_fallback(&a, 2, RECL, false, &steal),
			 UNMOV);
	assert_int_equal(pga_find_suitable_fallback(&a, 2, MOV, false, &steal),
			 UNMOV);
	/* can_steal: movable requests only from order pageblock_order / 2. */
	assert_false(steal);
	assert_int_equal(pga_find_suitable_fallback(&a, 2, MOV, true, &steal),
			 -1);
	assert_int_equal(pga_find_suitable_fallback(&a, 4, MOV, true, &steal),
			 UNMOV);
	assert_true(steal);
	assert_int_equal(pga_find_suitable_fallback(&a, 0, RECL, true, &steal),
			 UNMOV);
	assert_true(steal);
	pga_g.group_by_mobility_disabled = true;
	assert_int_equal(pga_find_suitable_fallback(&a, 0, MOV, true, &steal),
			 UNMOV);
	pga_g.group_by_mobility_disabled = false;
	/* Reserves are never fallbacks. */
	reset(&a);
	put(&a, &pages[0], HIGHATOMIC);
	put(&a, &pages[1], PGA_MIGRATE_CMA);
	put(&a, &pages[2], PGA_MIGRATE_ISOLATE);
	for (int mt = 0; mt < PGA_MIGRATE_PCPTYPES; mt++)
		assert_int_equal(
		    pga_find_suitable_fallback(&a, 9, mt, false, &steal), -1);
}

/* A whole free MAX_ORDER block is stolen: both pageblocks change type. */
static void steal_whole_block(void **state)
{
	pga_pfn_t pfn;

	(void)state;
	init_zone(4096, 15000);
	pfn = alloc_pfn(PGA_GFP_KERNEL, 0);
	assert_int_equal(pfn, base);
	assert_int_equal(pb_type(base), UNMOV);
	assert_int_equal(pb_type(base + PB), UNMOV);
	assert_int_equal(pb_type(base + 2 * PB), MOV);
	for (unsigned int o = 0; o < PGA_MAX_ORDER; o++)
		assert_int_equal(zh_head(zh_normal(), o, UNMOV),
				 base + (1UL << o));
	assert_int_equal(zh_count(zh_normal(), PGA_MAX_ORDER, MOV), 3);
	/* Ownership changes above pageblock size never boost. */
	assert_int_equal(zh_normal()->watermark_boost, 0);
	assert_int_equal(wakes, 0);
	assert_int_equal(extfrags, 1);
	assert_int_equal(extfrag.pfn, base);
	assert_int_equal(extfrag.fallback_order, PGA_MAX_ORDER);
	assert_int_equal(extfrag.migratetype, UNMOV);
	assert_int_equal(extfrag.fallback_migratetype, MOV);
	assert_true(extfrag.change_ownership);
	/* Reclaimable requests claim the next block the same way. */
	pfn = alloc_pfn(PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE, 0);
	assert_int_equal(pfn, base + 2 * PB);
	assert_int_equal(pb_type(base + 2 * PB), RECL);
	assert_int_equal(pb_type(base + 3 * PB), RECL);
	sweep();
}

/*
 * A request of type @want (by @gfp) steals from a pageblock of type @old
 * holding 200 free pages (128 @ base, 64 @ +128, 8 @ +192) and @movable
 * movable allocated pages.  Every free block moves to @want's lists (at
 * the tail); the smallest is split for the request; the pageblock changes
 * type iff free + alike pages >= half a pageblock, where alike pages are
 * the movable ones for a movable request and, for others stealing from a
 * MOVABLE block, the pages neither free nor movable.
 */
static void steal_from_half_free_block(int old, pga_gfp_t gfp, int want,
				       unsigned long movable, bool claimed)
{
	struct pga_zone *z;
	pga_pfn_t pfn;

	init_zone(4096, 15000);
	z = zh_normal();
	fill();
	pga_pageblock_set_type(base, old);
	give_back(base, 200);
	mark_movable(base + 200, movable);
	assert_true(zh_on_list(z, base, 7, old));
	pfn = alloc_pfn(gfp, 0);
	assert_int_equal(pfn, base + 192);
	assert_int_equal(pb_type(base), claimed ? want : old);
	assert_true(zh_on_list(z, base, 7, want));
	assert_true(zh_on_list(z, base + 128, 6, want));
	assert_int_equal(zh_head(z, 2, want), base + 196);
	assert_int_equal(zh_head(z, 1, want), base + 194);
	assert_int_equal(zh_head(z, 0, want), base + 193);
	for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++)
		assert_int_equal(zh_count(z, o, old), 0);
	/* A steal below pageblock size boosts and wakes kswapd once. */
	assert_int_equal(z->watermark_boost, PB);
	assert_int_equal(wakes, 1);
	assert_int_equal(wake_order, 0);
	assert_int_equal(wake_zone, PGA_ZONE_NORMAL);
	assert_int_equal(z->flags & PGA_ZONE_BOOSTED_WATERMARK, 0);
	assert_int_equal(extfrag.fallback_order, 7);
	assert_int_equal(extfrag.migratetype, want);
	assert_int_equal(extfrag.fallback_migratetype, old);
	assert_int_equal(extfrag.change_ownership, claimed);
	pga_free_page(pga_pfn_to_page(pfn));
	sweep();
}

/* Unmovable from MOVABLE: claimed iff at most 256 pages are movable. */
static void steal_claims_at_half(void **state)
{
	(void)state;
	steal_from_half_free_block(MOV, PGA_GFP_KERNEL, UNMOV, 256, true);
}

static void steal_keeps_type_past_half(void **state)
{
	(void)state;
	steal_from_half_free_block(MOV, PGA_GFP_KERNEL, UNMOV, 257, false);
}

/* Movable from UNMOVABLE: claimed iff 200 + movable >= 256. */
static void movable_steal_claims(void **state)
{
	(void)state;
	steal_from_half_free_block(UNMOV, PGA_GFP_HIGHUSER_MOVABLE, MOV, 56,
				   true);
}

static void movable_steal_short_of_half(void **state)
{
	(void)state;
	steal_from_half_free_block(UNMOV, PGA_GFP_HIGHUSER_MOVABLE, MOV, 55,
				   false);
}

/* Unmovable from RECLAIMABLE: nothing else counts as alike. */
static void unmovable_from_reclaimable(void **state)
{
	(void)state;
	steal_from_half_free_block(RECL, PGA_GFP_KERNEL, UNMOV, 0, false);
}

/*
 * Movable requests that may not claim a block take the smallest fallback
 * block instead of the largest, and only that block changes list.
 */
static void movable_takes_smallest(void **state)
{
	struct pga_zone *z;
	pga_pfn_t want, pfn;

	(void)state;
	init_zone(4096, 15000);
	z = zh_normal();
	fill();
	for (int b = 0; b < 4; b++)
		pga_pageblock_set_type(base + (pga_pfn_t)b * PB, UNMOV);
	/* Unmergeable order-0 blocks, plus one order-3 block. */
	for (pga_pfn_t p = base + 16; p < base + 4 * PB; p += 2)
		give_back(p, 1);
	give_back(base, 8);
	assert_true(zh_on_list(z, base, 3, UNMOV));
	want = zh_head(z, 0, UNMOV);
	pfn = alloc_pfn(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(pfn, want);
	assert_int_equal(pb_type(want), UNMOV);
	assert_true(zh_on_list(z, base, 3, UNMOV));
	assert_int_equal(extfrag.fallback_order, 0);
	assert_false(extfrag.change_ownership);
	/* Boosted even so (the boost comes before the whole-block test). */
	assert_int_equal(z->watermark_boost, PB);
	pga_free_page(pga_pfn_to_page(pfn));
	sweep();
}

/* Without __GFP_KSWAPD_RECLAIM the boost is raised but nobody is woken. */
static void boost_without_kswapd_flag(void **state)
{
	(void)state;
	init_zone(4096, 15000);
	fill();
	give_back(base, 200);
	alloc_pfn(PGA_GFP_KERNEL & ~PGA_GFP_KSWAPD_RECLAIM, 0);
	assert_int_equal(zh_normal()->watermark_boost, PB);
	assert_int_equal(wakes, 0);
	assert_int_equal(zh_normal()->flags & PGA_ZONE_BOOSTED_WATERMARK, 0);
	sweep();
	/* Boost factor 0: no boost, no wake. */
	init_zone(4096, 0);
	fill();
	give_back(base, 200);
	alloc_pfn(PGA_GFP_KERNEL, 0);
	assert_int_equal(zh_normal()->watermark_boost, 0);
	assert_int_equal(wakes, 0);
	sweep();
}

/* move_freepages_block does not cross the zone's end. */
static void move_block_clipped_by_zone(void **state)
{
	struct pga_params p;
	const struct pga_mem_range r = {GiB(4), MiB(1), 0};
	struct pga_zone *z;
	unsigned long flags, moved, movable;

	(void)state;
	fx_params(&p);
	p.disable_pcp = true;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	z = zh_normal();
	assert_true(z->spanned_pages < PB);
	flags = zone_lock(z);
	moved = pga_move_freepages_block_locked(
	    z, pga_pfn_to_page(z->zone_start_pfn), UNMOV, &movable);
	zone_unlock(z, flags);
	assert_int_equal(moved, 0);
	assert_int_equal(movable, 0);
	fx_assert_consistent();
}

/*
 * A fallback block found in a HIGHATOMIC pageblock (left on another list
 * by a per-CPU page that was cached before the block was reserved) moves
 * alone: neither its pageblock nor its buddies change type.
 */
static void steal_never_converts_highatomic(void **state)
{
	struct pga_zone *z;
	unsigned long flags;
	pga_pfn_t pfn;

	(void)state;
	init_zone(4096, 15000);
	z = zh_normal();
	flags = zone_lock(z);
	pga_pageblock_set_type(base, HIGHATOMIC);
	z->nr_reserved_highatomic = PB;
	zone_unlock(z, flags);
	assert_true(zh_on_list(z, base, PGA_MAX_ORDER, MOV));
	pfn = alloc_pfn(PGA_GFP_KERNEL, 0);
	assert_int_equal(pfn, base);
	assert_int_equal(pb_type(base), HIGHATOMIC);
	assert_int_equal(pb_type(base + PB), MOV);
	assert_int_equal(zh_head(z, 9, UNMOV), base + PB);
	assert_int_equal(z->nr_reserved_highatomic, PB);
	assert_false(extfrag.change_ownership);
	flags = zone_lock(z);
	pga_pageblock_set_type(base, MOV);
	z->nr_reserved_highatomic = 0;
	zone_unlock(z, flags);
	pga_free_page(pga_pfn_to_page(pfn));
	sweep();
}

/*
 * Give the free MAX_ORDER block at @pfn (and its pageblocks) type @mt,
 * keeping the free CMA counter right.
 */
static void retype_max_block(pga_pfn_t pfn, int mt)
{
	struct pga_zone *z = zh_normal();
	unsigned long flags = zone_lock(z), moved;
	long cma = 0;

	if (pb_type(pfn) == PGA_MIGRATE_CMA)
		cma -= PGA_MAX_ORDER_NR_PAGES;
	pga_pageblock_set_type(pfn, mt);
	pga_pageblock_set_type(pfn + PB, mt);
	moved =
	    pga_move_freepages_block_locked(z, pga_pfn_to_page(pfn), mt, NULL);
	assert_int_equal(moved, PGA_MAX_ORDER_NR_PAGES);
	if (mt == PGA_MIGRATE_CMA)
		cma += PGA_MAX_ORDER_NR_PAGES;
	zone_stat_add(z, PGA_NR_FREE_CMA_PAGES, cma);
	zone_unlock(z, flags);
}

/* Free pages on @mt's lists. */
static unsigned long list_pages(const struct pga_zone *z, int mt)
{
	unsigned long n = 0;

	for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++)
		n += zh_count(z, o, mt) << o;
	return n;
}

static bool in_cma(pga_pfn_t pfn, pga_pfn_t cma)
{
	return pfn >= cma && pfn < cma + PGA_MAX_ORDER_NR_PAGES;
}

/*
 * __rmqueue and CMA: only movable requests (ALLOC_CMA) use CMA blocks,
 * first when more than half the free pages are CMA, else after their own
 * lists and before stealing; CMA blocks are never stolen.
 */
static void cma_rules(void **state)
{
	struct pga_page **held = calloc(4096, sizeof(*held));
	struct pga_zone *z;
	pga_pfn_t cma, pfn;
	size_t n = 0;

	(void)state;
	init_zone(4096, 15000);
	z = zh_normal();
	cma = base + 2 * PB;
	retype_max_block(cma, PGA_MIGRATE_CMA);
	pfn = alloc_pfn(PGA_GFP_KERNEL, 0);
	assert_false(in_cma(pfn, cma));
	pfn = alloc_pfn(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_false(in_cma(pfn, cma));
	/* Use up the unmovable block, then movable pages (no ALLOC_CMA)
	 * until CMA holds more than half of what is free. */
	while (list_pages(z, UNMOV))
		held[n++] = zh_take(z, 0, UNMOV, PGA_ALLOC_NO_WATERMARKS);
	while ((unsigned long)zone_page_state(z, PGA_NR_FREE_CMA_PAGES) <=
	       zh_free(z) / 2)
		held[n++] = zh_take(z, 0, MOV, PGA_ALLOC_NO_WATERMARKS);
	assert_true(list_pages(z, MOV) > 0);
	pfn = alloc_pfn(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_true(in_cma(pfn, cma));
	assert_int_equal(zone_page_state(z, PGA_NR_FREE_CMA_PAGES),
			 PGA_MAX_ORDER_NR_PAGES - 1);
	pga_free_page(pga_pfn_to_page(pfn));
	/* Everything but CMA gone: movable gets CMA, others get nothing. */
	while ((held[n] = zh_take(z, 0, MOV, PGA_ALLOC_NO_WATERMARKS)))
		n++;
	assert_int_equal(zh_free(z), PGA_MAX_ORDER_NR_PAGES);
	assert_null(zh_take(z, 0, UNMOV, PGA_ALLOC_NO_WATERMARKS));
	held[n] = zh_take(z, 0, MOV, PGA_ALLOC_NO_WATERMARKS | PGA_ALLOC_CMA);
	assert_true(in_cma(pga_page_to_pfn(held[n++]), cma));
	while (n)
		pga_free_page(held[--n]);
	free(held);
	retype_max_block(cma, MOV);
	sweep();
}

/* An empty own list: CMA serves movable requests before any steal. */
static void cma_before_stealing(void **state)
{
	pga_pfn_t cma, pfn;

	(void)state;
	init_zone(4096, 15000);
	cma = base + 2 * PB;
	retype_max_block(cma, PGA_MIGRATE_CMA);
	retype_max_block(base, UNMOV);
	retype_max_block(base + 4 * PB, UNMOV);
	retype_max_block(base + 6 * PB, UNMOV);
	assert_int_equal(list_pages(zh_normal(), MOV), 0);
	pfn = alloc_pfn(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_true(in_cma(pfn, cma));
	assert_int_equal(extfrags, 0);
	pga_free_page(pga_pfn_to_page(pfn));
	for (int b = 0; b < 8; b += 2)
		retype_max_block(base + (pga_pfn_t)b * PB, MOV);
	sweep();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fallback_table),
	    cmocka_unit_test(steal_whole_block),
	    cmocka_unit_test(steal_claims_at_half),
	    cmocka_unit_test(steal_keeps_type_past_half),
	    cmocka_unit_test(movable_steal_claims),
	    cmocka_unit_test(movable_steal_short_of_half),
	    cmocka_unit_test(unmovable_from_reclaimable),
	    cmocka_unit_test(movable_takes_smallest),
	    cmocka_unit_test(boost_without_kswapd_flag),
	    cmocka_unit_test(move_block_clipped_by_zone),
	    cmocka_unit_test(steal_never_converts_highatomic),
	    cmocka_unit_test(cma_rules),
	    cmocka_unit_test(cma_before_stealing),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
