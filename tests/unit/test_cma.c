/* SPDX-License-Identifier: MIT */
/*
 * CMA areas: declared in pga_params, MIGRATE_CMA pageblocks used by
 * movable allocations only (preferred once more than half of the zone's
 * free pages are CMA), NR_FREE_CMA_PAGES kept exact, and pga_cma_alloc()
 * taking runs back by migration.
 *
 * Machine: 64 MiB, DMA [0, 16 MiB), DMA32 [16, 64 MiB), one CMA area of
 * 16 MiB at 32 MiB (pfns [8192, 12288)) unless a test says otherwise.
 */
#include <string.h>

#include "movable.h"
#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define CMA_BASE 8192UL
#define CMA_PAGES 4096UL

static int boot_cma(pga_paddr_t base, pga_paddr_t size)
{
	struct pga_params p;
	struct pga_mem_range r = {0, MiB(64), 0};
	struct pga_hooks h = mv_hooks();

	mv_reset();
	fx_params(&p);
	p.cma[0] = (struct pga_mem_range){base, size, 0};
	p.nr_cma = 1;
	return fx_init(&p, &r, 1, NULL, 0, &h);
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(boot_cma(MiB(32), MiB(16)), 0);
	return 0;
}

static bool in_cma(const struct pga_page *pg)
{
	pga_pfn_t pfn = pga_page_to_pfn(pg);

	return pfn >= CMA_BASE && pfn < CMA_BASE + CMA_PAGES;
}

static void area_is_set_up(void **state)
{
	struct pga_cma *cma = pga_cma_area(0);
	struct pga_cma_info info;

	(void)state;
	assert_non_null(cma);
	assert_null(pga_cma_area(1));
	assert_int_equal(pga_cma_get_info(cma, &info), 0);
	assert_int_equal(info.base_pfn, CMA_BASE);
	assert_int_equal(info.count, CMA_PAGES);
	assert_int_equal(info.used, 0);
	assert_int_equal(info.nid, 0);
	assert_int_equal(info.zone, PGA_ZONE_DMA32);
	rt_assert_pageblocks(CMA_BASE, CMA_BASE + CMA_PAGES, PGA_MIGRATE_CMA);
	rt_assert_pageblocks(CMA_BASE - PB, CMA_BASE, PGA_MIGRATE_MOVABLE);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free_cma, CMA_PAGES);
	assert_int_equal(
	    rt_list_len(rt_zone(0, PGA_ZONE_DMA32), 10, PGA_MIGRATE_CMA),
	    CMA_PAGES / 1024);
	fx_assert_consistent();
	/* At the top of RAM the memmap is carved below the area. */
	assert_int_equal(boot_cma(MiB(48), MiB(16)), 0);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free_cma, CMA_PAGES);
	assert_false(
	    page_flag(pga_pfn_to_page(PFN(MiB(64)) - 1), PGA_PG_reserved));
	fx_assert_consistent();
}

static void unmovable_never_uses_cma(void **state)
{
	static struct pga_page *got[20000];
	int n = 0;

	(void)state;
	int big;

	/* Order 3 until that fails, then order 0 until that fails too. */
	while (n < 20000 && (got[n] = pga_alloc_pages(
				 PGA_GFP_KERNEL | PGA_GFP_NOWARN, 3)) != NULL)
		assert_false(in_cma(got[n++]));
	big = n;
	while (n < 20000 && (got[n] = pga_alloc_pages(
				 PGA_GFP_KERNEL | PGA_GFP_NOWARN, 0)) != NULL)
		assert_false(in_cma(got[n++]));
	assert_true(big > 1000 && n > big);
	/* Failed for lack of non-CMA memory: the CMA area is untouched. */
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free_cma, CMA_PAGES);
	fx_assert_consistent();
	/* A movable allocation still gets a page: from CMA. */
	got[n] = pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE);
	assert_non_null(got[n]);
	assert_true(in_cma(got[n]));
	pga_free_page(got[n]);
	while (n--)
		pga_free_pages(got[n], n < big ? 3 : 0);
	pga_drain_all_pages();
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free_cma, CMA_PAGES);
	fx_assert_consistent();
}

/* Pages of @z's per-CPU lists that lie in the CMA area. */
static unsigned long pcp_cma_pages(struct pga_zone *z)
{
	unsigned long n = 0;

	for (int l = 0; l < PGA_NR_PCP_LISTS; l++) {
		struct pga_list_head *h = &z->pcp[0].lists[l];

		for (struct pga_list_head *e = h->next; e != h; e = e->next)
			n += in_cma(list_page(e));
	}
	return n;
}

static void movable_prefers_cma_when_mostly_cma(void **state)
{
	struct pga_zone *z = rt_zone(0, PGA_ZONE_DMA32);
	static struct pga_page *held[20000];
	struct pga_page *pg;
	unsigned long cma_free;
	int n = 0;

	(void)state;
	/* 4096 CMA pages of about 12000 free: not more than half. */
	pg = pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE);
	assert_false(in_cma(pg));
	pga_free_page(pg);
	pga_drain_all_pages();
	/* Use up the non-CMA memory of the zone with unmovable pages. */
	while (zone_page_state(z, PGA_NR_FREE_CMA_PAGES) * 2 <=
	       zone_page_state(z, PGA_NR_FREE_PAGES)) {
		held[n] = pga_alloc_pages_node(
		    0, PGA_GFP_KERNEL | PGA_GFP_THISNODE, 0);
		assert_non_null(held[n]);
		n++;
	}
	pga_drain_all_pages();
	cma_free = (unsigned long)zone_page_state(z, PGA_NR_FREE_CMA_PAGES);
	assert_int_equal(cma_free, CMA_PAGES);
	pg = pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE);
	assert_true(in_cma(pg));
	/* The refill took a batch from CMA: counted out of NR_FREE_CMA. */
	assert_int_equal(zone_page_state(z, PGA_NR_FREE_CMA_PAGES) +
			     pcp_cma_pages(z) + 1,
			 cma_free);
	assert_int_equal(pcp_cma_pages(z), rt_pcp_count(z));
	fx_assert_consistent();
	pga_free_page(pg);
	pga_drain_all_pages();
	assert_int_equal(zone_page_state(z, PGA_NR_FREE_CMA_PAGES), cma_free);
	while (n--)
		pga_free_page(held[n]);
	fx_assert_consistent();
}

/*
 * Fill memory with movable pages, then free every 3rd owner (CMA and
 * non-CMA pages alternate while the CMA preference flips, so a stride of
 * 2 or 4 would empty the area's owners or spare them all).
 */
static void busy_machine(void)
{
	int n = mv_fill(PGA_GFP_HIGHUSER_MOVABLE, 0, MV_MAX_OWNERS);

	for (int i = 0; i < n; i += 3)
		mv_free(i);
	pga_drain_all_pages();
	assert_true(mv_in_range(CMA_BASE, CMA_BASE + CMA_PAGES) >
		    CMA_PAGES / 2);
}

static void cma_alloc_takes_pages_back(void **state)
{
	struct pga_cma *cma = pga_cma_area(0);
	struct pga_page *a, *b;
	struct pga_cma_info info;
	pga_pfn_t pa, pb;

	(void)state;
	busy_machine();
	a = pga_cma_alloc(cma, 1024, 10, false);
	assert_non_null(a);
	pa = pga_page_to_pfn(a);
	assert_int_equal(pa, CMA_BASE);
	assert_int_equal(mv_in_range(pa, pa + 1024), 0);
	assert_true(mv_stats.moved > 0);
	assert_true(mv_verify());
	for (pga_pfn_t pfn = pa; pfn < pa + 1024; pfn++)
		assert_int_equal(pga_page_count(pga_pfn_to_page(pfn)), 1);
	rt_assert_pageblocks(CMA_BASE, CMA_BASE + CMA_PAGES, PGA_MIGRATE_CMA);
	/* The next request skips the run handed out. */
	b = pga_cma_alloc(cma, 100, 0, false);
	assert_non_null(b);
	pb = pga_page_to_pfn(b);
	assert_int_equal(pb, CMA_BASE + 1024);
	assert_int_equal(pga_cma_get_info(cma, &info), 0);
	assert_int_equal(info.used, 1124);
	fx_assert_consistent();
	assert_true(pga_cma_release(cma, a, 1024));
	assert_true(pga_cma_release(cma, b, 100));
	assert_int_equal(pga_cma_get_info(cma, &info), 0);
	assert_int_equal(info.used, 0);
	mv_free_all();
	pga_drain_all_pages();
	assert_int_equal(rt_acct().allocated, 0);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free_cma, CMA_PAGES);
	fx_assert_consistent();
}

/* A pinned page in the first pageblock: the next aligned run is used. */
static void busy_run_is_skipped(void **state)
{
	struct pga_cma *cma = pga_cma_area(0);
	struct pga_page *pinned = NULL, *pg;

	(void)state;
	busy_machine();
	for (pga_pfn_t pfn = CMA_BASE; !pinned; pfn++)
		if (pga_page_is_movable(pga_pfn_to_page(pfn)))
			pinned = pga_pfn_to_page(pfn);
	pga_get_page(pinned);
	pg = pga_cma_alloc(cma, PB, PGA_PAGEBLOCK_ORDER, false);
	assert_non_null(pg);
	assert_int_equal(pga_page_to_pfn(pg), CMA_BASE + PB);
	assert_true(mv_verify());
	fx_assert_consistent();
	assert_true(pga_cma_release(cma, pg, PB));
	pga_put_page(pinned);
	mv_free_all();
	fx_assert_consistent();
}

static void bad_requests(void **state)
{
	struct pga_cma *cma = pga_cma_area(0);
	struct pga_page *pg;

	(void)state;
	fx_log_clear();
	assert_null(pga_cma_alloc(cma, CMA_PAGES + 1, 0, false));
	assert_null(pga_cma_alloc(cma, 0, 0, false));
	assert_null(pga_cma_alloc(cma, 1, 40, false));
	assert_true(
	    fx_log_contains("cma_alloc of 1 pages aligned to order 40"));
	assert_null(pga_cma_alloc(NULL, 1, 0, false));
	assert_true(fx_log_contains("is not a CMA area"));
	/* Aligned to 8 MiB inside a 16 MiB area at 32 MiB: 2 runs only. */
	assert_non_null(pg = pga_cma_alloc(cma, 2048, 11, false));
	assert_non_null(pga_cma_alloc(cma, 2048, 11, false));
	fx_log_clear();
	assert_null(pga_cma_alloc(cma, 1, 0, false));
	assert_true(fx_log_contains("cma0: alloc failed, req-size: 1 pages"));
	fx_log_clear();
	assert_null(pga_cma_alloc(cma, 1, 0, true));
	assert_int_equal(fx_log_count(), 0);
	/* Releases that do not match an allocation. */
	assert_false(pga_cma_release(cma, pga_pfn_to_page(100), 1));
	assert_true(fx_log_contains("not inside the area"));
	assert_false(pga_cma_release(cma, NULL, 1));
	assert_true(pga_cma_release(cma, pg, 2048));
	fx_log_clear();
	assert_false(pga_cma_release(cma, pg, 1));
	assert_true(fx_log_contains("not allocated from the area"));
	/* A CMA pageblock is not isolated for a MOVABLE target. */
	assert_int_equal(
	    pga_isolate_range(CMA_BASE + 2048, CMA_BASE + 2048 + PB,
			      PGA_MIGRATE_MOVABLE, PGA_ISOLATE_ALLOW_UNMOVABLE),
	    -PGA_EBUSY);
	assert_true(
	    pga_cma_release(cma, pga_pfn_to_page(CMA_BASE + 2048), 2048));
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

static void bad_declarations(void **state)
{
	struct pga_params p;
	struct pga_mem_range ram = {0, MiB(64), 0};
	struct pga_mem_range res = {MiB(40), MiB(1), 0};

	(void)state;
	assert_int_equal(boot_cma(MiB(32) + 4096, MiB(4)), -PGA_EINVAL);
	assert_true(fx_log_contains("is not a pageblock-aligned range"));
	assert_int_equal(boot_cma(MiB(12), MiB(8)), -PGA_EINVAL);
	assert_true(fx_log_contains("spans two zones"));
	assert_int_equal(boot_cma(MiB(62), MiB(4)), -PGA_EINVAL);
	assert_true(fx_log_contains("is not inside one RAM range"));
	assert_int_equal(boot_cma(MiB(32), 0), -PGA_EINVAL);
	assert_null(pga_cma_area(0));
	fx_params(&p);
	p.cma[0] = (struct pga_mem_range){MiB(32), MiB(16), 0};
	p.nr_cma = 1;
	assert_int_equal(fx_init(&p, &ram, 1, &res, 1, NULL), -PGA_EINVAL);
	assert_true(fx_log_contains("overlaps reserved memory"));
	p.cma[1] = (struct pga_mem_range){MiB(44), MiB(8), 0};
	p.nr_cma = 2;
	assert_int_equal(fx_init(&p, &ram, 1, NULL, 0, NULL), -PGA_EINVAL);
	assert_true(fx_log_contains("overlaps another CMA area"));
	p.nr_cma = PGA_CONFIG_MAX_CMA_AREAS + 1;
	assert_int_equal(fx_init(&p, &ram, 1, NULL, 0, NULL), -PGA_EINVAL);
	/* Two good areas, numbered in declaration order. */
	p.cma[0] = (struct pga_mem_range){MiB(48), MiB(8), 0};
	p.cma[1] = (struct pga_mem_range){MiB(32), MiB(8), 0};
	p.nr_cma = 2;
	assert_int_equal(fx_init(&p, &ram, 1, NULL, 0, NULL), 0);
	assert_int_equal(
	    pga_page_to_pfn(pga_cma_alloc(pga_cma_area(1), 1, 0, false)),
	    PFN(MiB(32)));
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free_cma, 4096 - 1);
	fx_assert_consistent();
}

/* A build without PGA_CONFIG_CMA refuses areas and the CMA target. */
static void cma_not_built(void **state)
{
	(void)state;
	assert_int_equal(boot_cma(MiB(32), MiB(16)), -PGA_ENOSYS);
	assert_true(fx_log_contains("has PGA_CONFIG_CMA 0"));
	assert_null(pga_cma_area(0));
	fx_init_simple(0, MiB(64));
	assert_int_equal(
	    pga_isolate_range(CMA_BASE, CMA_BASE + PB, PGA_MIGRATE_CMA, 0),
	    -PGA_EINVAL);
	assert_int_equal(pga_alloc_contig_range(CMA_BASE, CMA_BASE + PB,
						PGA_MIGRATE_CMA,
						PGA_GFP_KERNEL),
			 -PGA_EINVAL);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest nocma[] = {
	    cmocka_unit_test(cma_not_built),
	};
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(area_is_set_up, setup),
	    cmocka_unit_test_setup(unmovable_never_uses_cma, setup),
	    cmocka_unit_test_setup(movable_prefers_cma_when_mostly_cma, setup),
	    cmocka_unit_test_setup(cma_alloc_takes_pages_back, setup),
	    cmocka_unit_test_setup(busy_run_is_skipped, setup),
	    cmocka_unit_test_setup(bad_requests, setup),
	    cmocka_unit_test(bad_declarations),
	};

	if (!PGA_CONFIG_CMA)
		return cmocka_run_group_tests(nocma, NULL, fx_group_teardown);
	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
