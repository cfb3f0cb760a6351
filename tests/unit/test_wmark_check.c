/* SPDX-License-Identifier: MIT */
/*
 * The watermark checks: every reduction of __zone_watermark_ok at its
 * boundary (one page above passes, at the mark fails), the unusable pages
 * (order, highatomic reserve, CMA), the lowmem reserve, the per-order list
 * check, zone_watermark_fast with its boost retry, and boost_watermark.
 */
#include "zones.h"

#define PB PGA_PAGEBLOCK_NR_PAGES

/* One NORMAL zone managing exactly 1 GiB: MIN 1024, LOW 1286, HIGH 1548. */
static void init_1g(void)
{
	zh_init_normal(NULL, GiB(4), ZH_GIB_PAGES, NULL);
}

struct wm_case {
	unsigned int flags;
	long mark, min; /* the effective minimum for @mark */
};

/* Every reduction at its boundary: min + 1 free passes, min fails. */
static void reductions_at_boundaries(void **state)
{
	const unsigned int NB = PGA_ALLOC_NON_BLOCK, MR = PGA_ALLOC_MIN_RESERVE,
			   OOM = PGA_ALLOC_OOM;
	const struct wm_case cases[] = {
	    {0, 1024, 1024},
	    {PGA_ALLOC_WMARK_LOW, 1024, 1024}, /* the index is not used */
	    {NB, 1024, 1024},		       /* GFP_NOWAIT: none */
	    {MR, 1024, 512},		       /* __GFP_HIGH: 50 % */
	    {MR | NB, 1024, 384},	       /* GFP_ATOMIC: 37.5 % */
	    {OOM, 1024, 512},		       /* OOM victim: 50 % */
	    {OOM | MR, 1024, 256},
	    {OOM | MR | NB, 1024, 192},
	    {PGA_ALLOC_HIGHATOMIC, 1024, 1024},
	    /* Floors: 1001 - 500 = 501, - 125 = 376, - 188 = 188. */
	    {MR, 1001, 501},
	    {MR | NB, 1001, 376},
	    {OOM | MR | NB, 1001, 188},
	    {OOM, 1001, 501},
	};
	struct pga_zone *z;

	(void)state;
	init_1g();
	z = zh_normal();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wm_case *c = &cases[i];

		assert_true(pga_zone_watermark_ok_free(
		    z, 0, (unsigned long)c->mark, PGA_ZONE_NORMAL, c->flags,
		    c->min + 1));
		assert_false(pga_zone_watermark_ok_free(
		    z, 0, (unsigned long)c->mark, PGA_ZONE_NORMAL, c->flags,
		    c->min));
	}
	/* Higher orders cannot count their own 2^order - 1 pages. */
	assert_true(pga_zone_watermark_ok_free(z, 3, 1024, PGA_ZONE_NORMAL, 0,
					       1024 + 7 + 1));
	assert_false(pga_zone_watermark_ok_free(z, 3, 1024, PGA_ZONE_NORMAL, 0,
						1024 + 7));
	/* The highatomic reserve is unusable without reserve rights. */
	z->nr_reserved_highatomic = PB;
	assert_false(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL, 0,
						1024 + PB));
	assert_true(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL, 0,
					       1024 + PB + 1));
	assert_true(
	    pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL, NB, 1025));
	assert_true(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL,
					       PGA_ALLOC_HIGHATOMIC, 1025));
	assert_false(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL,
						PGA_ALLOC_CMA, 1025));
	z->nr_reserved_highatomic = 0;
	/* Free CMA pages count only for requests that may use them. */
	zone_stat_add(z, PGA_NR_FREE_CMA_PAGES, 100);
	assert_false(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL, 0,
						1024 + 100));
	assert_true(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL, 0,
					       1024 + 101));
	assert_true(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL,
					       PGA_ALLOC_CMA, 1025));
	zone_stat_add(z, PGA_NR_FREE_CMA_PAGES, -100);
	/* Free counts may go negative after the deductions. */
	assert_false(
	    pga_zone_watermark_ok_free(z, 5, 0, PGA_ZONE_NORMAL, 0, 3));
}

/* The lowmem reserve of the request's highest zone adds to the mark. */
static void reserve_at_boundary(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{0, MiB(64), 0},
					    {GiB(4), MiB(256), 0}};
	struct pga_zone *d32 = zh_zone(0, PGA_ZONE_DMA32);
	long r;

	(void)state;
	fx_params(&p);
	p.dma_limit = PGA_ZONE_LIMIT_NONE;
	assert_int_equal(fx_init(&p, ram, 2, NULL, 0, NULL), 0);
	r = d32->lowmem_reserve[PGA_ZONE_NORMAL];
	assert_int_equal(r, zone_managed(zh_normal()) / 256);
	assert_true(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL, 0,
					       100 + r + 1));
	assert_false(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL, 0,
						100 + r));
	/* Reductions apply to the mark, never to the reserve. */
	assert_false(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL,
						PGA_ALLOC_MIN_RESERVE, 50 + r));
	assert_true(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL,
					       PGA_ALLOC_MIN_RESERVE, 51 + r));
	assert_true(
	    pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_DMA32, 0, 101));
	assert_false(
	    pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_DMA32, 0, 100));
}

/* Move the free pages of @pfn's pageblock to @mt's lists (test set-up). */
static void retype_block(struct pga_zone *z, pga_pfn_t pfn, int mt)
{
	unsigned long flags = zone_lock(z);

	pga_pageblock_set_type(pfn, mt);
	pga_move_freepages_block_locked(z, pga_pfn_to_page(pfn), mt, NULL);
	zone_unlock(z, flags);
}

/*
 * Orders above 0 need a free block of at least that order on a list the
 * request may use: the three mergeable types always, CMA with ALLOC_CMA,
 * HIGHATOMIC with ALLOC_HIGHATOMIC or ALLOC_OOM, ISOLATE never.
 */
static void per_order_list_check(void **state)
{
	const long lots = 1L << 30;
	static struct zh_block taken[128];
	struct pga_params p;
	struct pga_zone *z;
	struct pga_page *pg;
	pga_pfn_t pfn;
	size_t n;

	(void)state;
	fx_params(&p);
	p.disable_pcp = true;
	zh_init_normal(&p, GiB(4), 4096, NULL);
	z = zh_normal();
	n = zh_drain_to(z, 0, taken, 128);
	pg = zh_take(z, 3, PGA_MIGRATE_MOVABLE, PGA_ALLOC_NO_WATERMARKS);
	assert_null(pg);
	/* Give back one order-3 block: the only free memory. */
	pfn = pga_page_to_pfn(taken[0].page);
	assert_true(taken[0].order >= 3);
	pga_split_page(taken[0].page, taken[0].order);
	for (unsigned long i = 0; i < 8; i++)
		pga_free_page(pga_pfn_to_page(pfn + i));
	assert_int_equal(zh_head(z, 3, PGA_MIGRATE_MOVABLE), pfn);
	assert_true(
	    pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL, 0, lots));
	assert_false(
	    pga_zone_watermark_ok_free(z, 4, 0, PGA_ZONE_NORMAL, 0, lots));
	retype_block(z, pfn, PGA_MIGRATE_HIGHATOMIC);
	assert_false(
	    pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL, 0, lots));
	assert_false(pga_zone_watermark_ok_free(
	    z, 3, 0, PGA_ZONE_NORMAL,
	    PGA_ALLOC_NON_BLOCK | PGA_ALLOC_MIN_RESERVE, lots));
	assert_true(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL,
					       PGA_ALLOC_HIGHATOMIC, lots));
	assert_true(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL,
					       PGA_ALLOC_OOM, lots));
	/* Order 0 never looks at the lists. */
	assert_true(pga_zone_watermark_ok_free(z, 0, 0, PGA_ZONE_NORMAL, 0, 1));
	retype_block(z, pfn, PGA_MIGRATE_CMA);
	assert_false(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL,
						PGA_ALLOC_HIGHATOMIC, lots));
	assert_true(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL,
					       PGA_ALLOC_CMA, lots));
	retype_block(z, pfn, PGA_MIGRATE_ISOLATE);
	assert_false(pga_zone_watermark_ok_free(
	    z, 3, 0, PGA_ZONE_NORMAL,
	    PGA_ALLOC_CMA | PGA_ALLOC_HIGHATOMIC | PGA_ALLOC_OOM, lots));
	retype_block(z, pfn, PGA_MIGRATE_MOVABLE);
	for (unsigned long i = 8; i < (1UL << taken[0].order); i++)
		pga_free_page(pga_pfn_to_page(pfn + i));
	zh_release(taken + 1, n - 1);
	fx_assert_consistent();
}

/*
 * zone_watermark_fast: an order-0 shortcut without reductions, the full
 * check, and for __GFP_HIGH order-0 requests at MIN a second try that
 * ignores the boost.
 */
static void watermark_fast(void **state)
{
	static struct zh_block taken[1024];
	struct pga_zone *z;
	unsigned long boosted;
	const unsigned int MR = PGA_ALLOC_MIN_RESERVE;
	size_t n;

	(void)state;
	init_1g();
	z = zh_normal();
	n = zh_drain_to(z, 700, taken, 1024);
	/* The shortcut: free - unusable > mark, no reductions. */
	assert_true(pga_zone_watermark_fast(z, 0, 699, PGA_ZONE_NORMAL, 0));
	assert_false(pga_zone_watermark_fast(z, 0, 700, PGA_ZONE_NORMAL, 0));
	/* Reductions through the full check: 1024 * 50 % < 700. */
	assert_true(pga_zone_watermark_fast(z, 0, 1024, PGA_ZONE_NORMAL, MR));
	assert_false(pga_zone_watermark_fast(z, 0, 1400, PGA_ZONE_NORMAL, MR));
	/* Boost 500: MIN reads 1524, half of it (762) is above 700 ... */
	z->watermark_boost = 500;
	boosted = pga_wmark_pages(z, PGA_WMARK_MIN);
	assert_int_equal(boosted, 1524);
	assert_false(pga_zone_watermark_ok(z, 0, boosted, PGA_ZONE_NORMAL, MR));
	/* ... but __GFP_HIGH at MIN retries with the unboosted 1024. */
	assert_true(pga_zone_watermark_fast(z, 0, boosted, PGA_ZONE_NORMAL,
					    MR | PGA_ALLOC_WMARK_MIN));
	assert_false(pga_zone_watermark_fast(z, 0, boosted, PGA_ZONE_NORMAL,
					     PGA_ALLOC_WMARK_MIN));
	assert_false(pga_zone_watermark_fast(z, 0, boosted, PGA_ZONE_NORMAL,
					     MR | PGA_ALLOC_WMARK_LOW));
	assert_false(pga_zone_watermark_fast(z, 1, boosted, PGA_ZONE_NORMAL,
					     MR | PGA_ALLOC_WMARK_MIN));
	/* The shortcut subtracts the highatomic reserve too. */
	z->watermark_boost = 0;
	z->nr_reserved_highatomic = 200;
	assert_true(pga_zone_watermark_fast(z, 0, 499, PGA_ZONE_NORMAL, 0));
	assert_false(pga_zone_watermark_fast(z, 0, 500, PGA_ZONE_NORMAL, 0));
	assert_true(pga_zone_watermark_fast(z, 0, 500, PGA_ZONE_NORMAL,
					    PGA_ALLOC_NON_BLOCK));
	z->nr_reserved_highatomic = 0;
	zh_release(taken, n);
	fx_assert_consistent();
}

/* boost_watermark: +1 pageblock up to max(pageblock, high * factor). */
static void boost_rules(void **state)
{
	struct pga_zone *z;
	unsigned long flags;
	bool boosted;

	(void)state;
	init_1g();
	z = zh_normal();
	flags = zone_lock(z);
	/* max = 1548 * 15000 / 10000 = 2322. */
	for (unsigned long want = PB; want < 2322; want += PB) {
		assert_true(pga_boost_watermark_locked(z));
		assert_int_equal(z->watermark_boost, want);
	}
	assert_true(pga_boost_watermark_locked(z));
	assert_int_equal(z->watermark_boost, 2322);
	assert_true(pga_boost_watermark_locked(z));
	assert_int_equal(z->watermark_boost, 2322);
	zone_unlock(z, flags);
	/* Every accessor includes the boost. */
	assert_int_equal(pga_wmark_pages(z, PGA_WMARK_MIN), 1024 + 2322);
	assert_int_equal(pga_wmark_pages(z, PGA_WMARK_HIGH), 1548 + 2322);
	/* Recomputing the marks clears it. */
	assert_int_equal(pga_set_watermark_scale_factor(10), 0);
	assert_int_equal(z->watermark_boost, 0);
	/* A small factor still boosts by one pageblock. */
	pga_set_watermark_boost_factor(1000);
	flags = zone_lock(z);
	assert_true(pga_boost_watermark_locked(z));
	assert_true(pga_boost_watermark_locked(z));
	assert_int_equal(z->watermark_boost, PB);
	/* high * factor / 10000 == 0: no boost at all. */
	z->watermark_boost = 0;
	zone_unlock(z, flags);
	pga_set_watermark_boost_factor(1);
	flags = zone_lock(z);
	boosted = pga_boost_watermark_locked(z);
	zone_unlock(z, flags);
	assert_false(boosted);
	pga_set_watermark_boost_factor(0);
	flags = zone_lock(z);
	boosted = pga_boost_watermark_locked(z);
	zone_unlock(z, flags);
	assert_false(boosted);
	assert_int_equal(z->watermark_boost, 0);
	/* Zones smaller than four pageblocks are never boosted. */
	zh_init_normal(NULL, GiB(4), 4 * PB - 1, NULL);
	z = zh_normal();
	flags = zone_lock(z);
	boosted = pga_boost_watermark_locked(z);
	zone_unlock(z, flags);
	assert_false(boosted);
	zh_init_normal(NULL, GiB(4), 4 * PB, NULL);
	z = zh_normal();
	flags = zone_lock(z);
	boosted = pga_boost_watermark_locked(z);
	zone_unlock(z, flags);
	assert_true(boosted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reductions_at_boundaries),
	    cmocka_unit_test(reserve_at_boundary),
	    cmocka_unit_test(per_order_list_check),
	    cmocka_unit_test(watermark_fast),
	    cmocka_unit_test(boost_rules),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
