/* SPDX-License-Identifier: MIT */
/*
 * The highatomic reserve: a pageblock reserved after a high-order atomic
 * allocation made by the slow path, used first by later ones and as a last
 * resort by requests that cannot block, unreserved with and without force,
 * and limited to managed / 100 + one pageblock.  Per-CPU lists are off.
 */
#include <stdlib.h>

#include "zones.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define UNMOV PGA_MIGRATE_UNMOVABLE
#define MOV PGA_MIGRATE_MOVABLE
#define HIGHATOMIC PGA_MIGRATE_HIGHATOMIC

static pga_pfn_t base;

/* A NORMAL zone of exactly @pages pages at 4 GiB, boost off. */
static void init_zone_pcp(unsigned long pages, bool pcp)
{
	struct pga_params p;

	fx_params(&p);
	p.disable_pcp = !pcp;
	p.watermark_boost_factor = 0;
	zh_init_normal(&p, GiB(4), pages, NULL);
	base = zh_normal()->zone_start_pfn;
}

/* The same with the per-CPU lists off. */
static void init_zone(unsigned long pages)
{
	init_zone_pcp(pages, false);
}

static int pb_type(pga_pfn_t pfn)
{
	return get_pageblock_migratetype(pfn);
}

/* The slow path's first attempt: gfp_to_alloc_flags on the fast path. */
static struct pga_page *slow_try(pga_gfp_t gfp, unsigned int order,
				 unsigned int flags)
{
	struct pga_alloc_context ac;
	pga_nodemask_t mems;
	pga_gfp_t agfp;
	unsigned int fast;

	assert_true(
	    pga_prepare_alloc(gfp, order, 0, NULL, &ac, &agfp, &fast, &mems));
	return pga_get_page_from_freelist(gfp, order, flags, &ac);
}

static struct pga_page *atomic(unsigned int order)
{
	return slow_try(PGA_GFP_ATOMIC, order,
			pga_gfp_to_alloc_flags(PGA_GFP_ATOMIC, order));
}

static bool unreserve(bool force)
{
	const struct pga_zonelist *zl =
	    &pga_g.nodes[0].node_zonelists[PGA_ZONELIST_FALLBACK];

	return pga_unreserve_highatomic_pageblock(zl, PGA_ZONE_NORMAL, NULL,
						  MOV, force);
}

/* Reserve after a high-order atomic allocation, use, unreserve. */
static void highatomic_life_cycle(void **state)
{
	struct pga_page *a, *b, *c, *d;
	struct pga_zone *z;

	(void)state;
	init_zone(16384); /* limit 16384 / 100 + 512 = 675 */
	z = zh_normal();
	/* The fast path never reserves. */
	a = pga_alloc_pages(PGA_GFP_ATOMIC, 4);
	assert_int_equal(z->nr_reserved_highatomic, 0);
	pga_free_pages(a, 4);
	a = atomic(4);
	assert_int_equal(pga_page_to_pfn(a), base);
	assert_int_equal(z->nr_reserved_highatomic, PB);
	assert_int_equal(pb_type(base), HIGHATOMIC);
	assert_int_equal(pb_type(base + PB), UNMOV);
	for (unsigned int o = 4; o < PGA_PAGEBLOCK_ORDER; o++)
		assert_true(zh_on_list(z, base + (1UL << o), o, HIGHATOMIC));
	assert_true(zh_on_list(z, base + PB, PGA_PAGEBLOCK_ORDER, UNMOV));
	/* Use: the reserve is tried first by ALLOC_HIGHATOMIC. */
	b = atomic(4);
	assert_int_equal(pga_page_to_pfn(b), base + 16);
	assert_int_equal(z->nr_reserved_highatomic, PB);
	/* No order-9 block in the reserve: the next pageblock, reserved. */
	c = atomic(9);
	assert_int_equal(pga_page_to_pfn(c), base + PB);
	assert_int_equal(z->nr_reserved_highatomic, 2 * PB);
	assert_int_equal(pb_type(base + PB), HIGHATOMIC);
	/* At the limit: allocated, not reserved. */
	d = atomic(9);
	assert_int_equal(pga_page_to_pfn(d), base + 2 * PB);
	assert_int_equal(z->nr_reserved_highatomic, 2 * PB);
	assert_int_equal(pb_type(base + 2 * PB), UNMOV);
	/* Unreserve without force keeps one pageblock per zone. */
	assert_true(unreserve(false));
	assert_int_equal(z->nr_reserved_highatomic, PB);
	assert_int_equal(pb_type(base), MOV);
	assert_true(zh_on_list(z, base + 32, 5, MOV));
	/* Forced, but the reserved block has no free page: nothing moves. */
	assert_false(unreserve(true));
	assert_int_equal(z->nr_reserved_highatomic, PB);
	pga_free_pages(c, 9);
	assert_true(zh_on_list(z, base + PB, 9, HIGHATOMIC));
	/* One pageblock left: kept unless forced. */
	assert_false(unreserve(false));
	assert_true(zh_on_list(z, base + PB, 9, HIGHATOMIC));
	assert_true(unreserve(true));
	assert_int_equal(z->nr_reserved_highatomic, 0);
	assert_int_equal(pb_type(base + PB), MOV);
	assert_true(zh_on_list(z, base + PB, 9, MOV));
	pga_free_pages(a, 4);
	pga_free_pages(b, 4);
	pga_free_pages(d, 9);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/*
 * A free reserved pageblock given back merges with its free buddy
 * pageblock: while it was HIGHATOMIC the two could not merge.
 */
static void unreserve_remerges_free_pageblock(void **state)
{
	struct pga_page *c;
	struct pga_zone *z;

	(void)state;
	init_zone(16384);
	z = zh_normal();
	c = atomic(9);
	assert_int_equal(pga_page_to_pfn(c), base);
	assert_int_equal(pb_type(base), HIGHATOMIC);
	pga_free_pages(c, 9);
	assert_true(zh_on_list(z, base, 9, HIGHATOMIC));
	assert_true(zh_on_list(z, base + PB, 9, UNMOV));
	assert_true(unreserve(true));
	assert_int_equal(pb_type(base), MOV);
	assert_true(zh_on_list(z, base, 10, MOV));
	assert_int_equal(z->free_area[9].nr_free, 0);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/*
 * 6.6's stale per-CPU type: a block freed to the pcp while its pageblock
 * was HIGHATOMIC is drained, after the unreserve, back onto the
 * HIGHATOMIC list, where it cannot merge with the next pageblock; the
 * invariant walker accepts that, and the next unreserve returns it whole.
 */
static void pcp_block_drains_to_highatomic_after_unreserve(void **state)
{
	struct pga_page *a;
	struct pga_zone *z;

	(void)state;
	init_zone_pcp(16384, true);
	z = zh_normal();
	a = atomic(1);
	assert_int_equal(pga_page_to_pfn(a), base);
	assert_int_equal(pb_type(base), HIGHATOMIC);
	pga_free_pages(a, 1); /* to this CPU's list, type HIGHATOMIC kept */
	assert_true(unreserve(true));
	assert_int_equal(z->nr_reserved_highatomic, 0);
	assert_int_equal(pb_type(base), MOV);
	pga_drain_all_pages();
	assert_true(zh_on_list(z, base, 9, HIGHATOMIC));
	assert_true(zh_on_list(z, base + PB, 9, UNMOV));
	fx_assert_consistent();
	assert_true(unreserve(true));
	assert_int_equal(z->nr_reserved_highatomic, 0);
	assert_true(zh_on_list(z, base, 10, MOV));
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* reserve_highatomic_pageblock's effect on the pageblock at @pfn. */
static void reserve_pageblock(struct pga_zone *z, pga_pfn_t pfn)
{
	unsigned long flags = zone_lock(z);

	z->nr_reserved_highatomic += PB;
	pga_pageblock_set_type(pfn, HIGHATOMIC);
	pga_move_freepages_block_locked(z, pga_pfn_to_page(pfn), HIGHATOMIC,
					NULL);
	zone_unlock(z, flags);
}

/*
 * The other direction: pages on a per-CPU list when their pageblock is
 * reserved drain back with their old (movable) type, so the pageblock's
 * free block ends on the movable list and cannot merge with the reserved
 * pageblock next to it, whose block is on the HIGHATOMIC list.  The
 * walker reads each buddy's list to see that this is not a missed merge.
 */
static void pcp_block_drains_to_old_type_after_reserve(void **state)
{
	struct pga_page *pg;
	struct pga_zone *z;

	(void)state;
	init_zone_pcp(16384, true);
	z = zh_normal();
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(pga_page_to_pfn(pg), base);
	pga_free_pages(pg, 0); /* the pcp keeps a batch, type movable */
	reserve_pageblock(z, base);
	reserve_pageblock(z, base + PB);
	assert_true(zh_on_list(z, base + PB, 9, HIGHATOMIC));
	pga_drain_all_pages();
	assert_true(zh_on_list(z, base, 9, MOV));
	assert_int_equal(pb_type(base), HIGHATOMIC);
	fx_assert_consistent();
	/*
	 * Unreserve finds reserved pageblocks through the HIGHATOMIC lists:
	 * base + PB goes back (its block cannot merge with base's, whose
	 * pageblock is still reserved), base is not found, as in 6.6.
	 */
	assert_true(unreserve(true));
	assert_int_equal(pb_type(base + PB), MOV);
	assert_false(unreserve(true));
	assert_int_equal(pb_type(base), HIGHATOMIC);
	assert_int_equal(z->nr_reserved_highatomic, PB);
	assert_true(zh_on_list(z, base + PB, 9, MOV));
	fx_assert_consistent();
}

/* The limit is managed / 100 + one pageblock, checked before reserving. */
static unsigned long reserved_after(unsigned long managed, int allocs)
{
	struct pga_page *pg[8];
	unsigned long r;

	init_zone(managed);
	for (int i = 0; i < allocs; i++)
		assert_non_null(pg[i] = atomic(9));
	r = zh_normal()->nr_reserved_highatomic;
	for (int i = 0; i < allocs; i++)
		pga_free_pages(pg[i], 9);
	fx_assert_consistent();
	return r;
}

static void highatomic_limit(void **state)
{
	(void)state;
	/* 51299 / 100 + 512 = 1024: two blocks.  51300: 1025, three. */
	assert_int_equal(reserved_after(51299, 4), 2 * PB);
	assert_int_equal(reserved_after(51300, 4), 3 * PB);
}

/*
 * When nothing else is left, requests that cannot block (or OOM victims)
 * may take order-0 pages from the reserve; others may not, not even
 * with ALLOC_NO_WATERMARKS.
 */
static void highatomic_last_resort(void **state)
{
	struct pga_page **held = calloc(16384, sizeof(*held));
	struct pga_page *a, *pg;
	size_t n = 0;
	struct pga_zone *z;

	(void)state;
	init_zone(16384);
	z = zh_normal();
	a = atomic(4);
	while ((pg = zh_take(z, 0, MOV, PGA_ALLOC_NO_WATERMARKS)) != NULL)
		held[n++] = pg;
	assert_int_equal(zh_free(z), PB - 16);
	assert_null(slow_try(PGA_GFP_KERNEL, 0,
			     pga_gfp_to_alloc_flags(PGA_GFP_KERNEL, 0)));
	assert_null(slow_try(PGA_GFP_KERNEL, 0, PGA_ALLOC_NO_WATERMARKS));
	pg = atomic(0);
	assert_int_equal(pga_page_to_pfn(pg), base + 16);
	held[n++] = pg;
	pg = slow_try(PGA_GFP_KERNEL, 0, PGA_ALLOC_OOM | PGA_ALLOC_WMARK_MIN);
	assert_int_equal(pga_page_to_pfn(pg), base + 17);
	held[n++] = pg;
	pg = slow_try(PGA_GFP_NOWAIT, 0,
		      pga_gfp_to_alloc_flags(PGA_GFP_NOWAIT, 0));
	assert_int_equal(pga_page_to_pfn(pg), base + 18);
	held[n++] = pg;
	while (n)
		pga_free_page(held[--n]);
	pga_free_pages(a, 4);
	free(held);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(highatomic_life_cycle),
	    cmocka_unit_test(unreserve_remerges_free_pageblock),
	    cmocka_unit_test(pcp_block_drains_to_highatomic_after_unreserve),
	    cmocka_unit_test(pcp_block_drains_to_old_type_after_reserve),
	    cmocka_unit_test(highatomic_limit),
	    cmocka_unit_test(highatomic_last_resort),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
