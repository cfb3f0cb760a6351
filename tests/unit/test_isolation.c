/* SPDX-License-Identifier: MIT */
/*
 * Page isolation: isolated pageblocks hide their free pages from the
 * counters and from allocations, keep frees inside, refuse unmovable
 * pages, split straddling free blocks, and undo to a fully merged state.
 *
 * Machine: 64 MiB on one node; DMA [0, 16 MiB), DMA32 [16, 64 MiB).  At
 * boot every DMA32 block from pfn 4096 up is a free order-10 block.
 */
#include <stdio.h>
#include <string.h>

#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define BLK 8192UL /* 32 MiB: a free order-10 block at boot */

static unsigned long boot_free[PGA_NR_ORDERS];

static int setup(void **state)
{
	(void)state;
	fx_init_simple(0, MiB(64));
	fx_nr_free(0, PGA_ZONE_DMA32, boot_free);
	return 0;
}

static struct pga_zone *dma32(void)
{
	return rt_zone(0, PGA_ZONE_DMA32);
}

static void isolate_hides_free_pages(void **state)
{
	unsigned long free0 = rt_info(0, PGA_ZONE_DMA32).free;
	struct pga_page *got[64];
	int n = 0;

	(void)state;
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + 1024, PGA_MIGRATE_MOVABLE, 0), 0);
	rt_assert_pageblocks(BLK, BLK + 1024, PGA_MIGRATE_ISOLATE);
	assert_int_equal(dma32()->nr_isolate_pageblock, 2);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, free0 - 1024);
	/* The block moved whole to the ISOLATE list. */
	assert_int_equal(rt_list_first(dma32(), 10, PGA_MIGRATE_ISOLATE), BLK);
	assert_int_equal(rt_acct().isolated, 1024);
	assert_int_equal(pga_test_range_isolated(BLK, BLK + 1024, 0), 0);
	/* Take every order-10 block there is: never the isolated one. */
	while (n < 64 && (got[n] = pga_alloc_pages(
			      PGA_GFP_KERNEL | PGA_GFP_NOWARN, 10)) != NULL) {
		assert_int_not_equal(pga_page_to_pfn(got[n]), BLK);
		n++;
	}
	assert_true(n > 0 && n < 64);
	while (n--)
		pga_free_pages(got[n], 10);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + 1024, PGA_MIGRATE_MOVABLE), 0);
	rt_assert_pageblocks(BLK, BLK + 1024, PGA_MIGRATE_MOVABLE);
	assert_int_equal(dma32()->nr_isolate_pageblock, 0);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, free0);
	assert_int_equal(rt_acct().isolated, 0);
	fx_assert_consistent();
}

static void frees_stay_in_isolated_blocks(void **state)
{
	struct pga_page *pg = pga_alloc_page(PGA_GFP_KERNEL);
	pga_pfn_t pfn = pga_page_to_pfn(pg), pb = pfn & ~(PB - 1);
	unsigned long free_before, pcp_before;

	(void)state;
	/* The page is not movable: isolation needs ALLOW_UNMOVABLE. */
	assert_int_equal(pga_isolate_range(pb, pb + PB, PGA_MIGRATE_MOVABLE, 0),
			 -PGA_EBUSY);
	assert_int_equal(pga_isolate_range(pb, pb + PB, PGA_MIGRATE_MOVABLE,
					   PGA_ISOLATE_ALLOW_UNMOVABLE),
			 0);
	/* The per-CPU lists were drained into the isolated block. */
	assert_int_equal(rt_pcp_count(dma32()), 0);
	assert_int_equal(rt_acct().isolated, PB - 1);
	assert_int_equal(pga_test_range_isolated(pb, pb + PB, 0), -PGA_EBUSY);
	free_before = rt_info(0, PGA_ZONE_DMA32).free;
	pcp_before = rt_pcp_count(dma32());
	pga_free_page(pg);
	/* Not counted free, not on a per-CPU list: on the ISOLATE list. */
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, free_before);
	assert_int_equal(rt_pcp_count(dma32()), pcp_before);
	assert_int_equal(rt_acct().isolated, PB);
	assert_int_equal(
	    rt_list_first(dma32(), PGA_PAGEBLOCK_ORDER, PGA_MIGRATE_ISOLATE),
	    pb);
	assert_int_equal(pga_test_range_isolated(pb, pb + PB, 0), 0);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(pb, pb + PB, PGA_MIGRATE_MOVABLE), 0);
	/* Merged back with its buddy: the boot layout again. */
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

static void unmovable_page_fails_and_restores(void **state)
{
	struct pga_page *pg = pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE);
	pga_pfn_t pfn = pga_page_to_pfn(pg), pb = pfn & ~(PB - 1);
	struct pga_zone_info before;
	unsigned long nr_free[PGA_NR_ORDERS];
	char needle[64];

	(void)state;
	/* Two free pageblocks below the page's are isolated first. */
	assert_true(pb - 2 * PB >= dma32()->zone_start_pfn);
	pga_drain_all_pages();
	before = rt_info(0, PGA_ZONE_DMA32);
	fx_nr_free(0, PGA_ZONE_DMA32, nr_free);
	fx_log_clear();
	assert_int_equal(pga_isolate_range(pb - 2 * PB, pfn + 1,
					   PGA_MIGRATE_MOVABLE,
					   PGA_ISOLATE_REPORT),
			 -PGA_EBUSY);
	snprintf(needle, sizeof(needle), "unmovable page pfn %#llx",
		 (unsigned long long)pfn);
	assert_true(fx_log_contains(needle));
	rt_assert_pageblocks(pb - 2 * PB, pb + PB, PGA_MIGRATE_MOVABLE);
	assert_int_equal(dma32()->nr_isolate_pageblock, 0);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, before.free);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, nr_free);
	fx_assert_consistent();
	/* Marked movable, the same page no longer blocks isolation. */
	pga_page_set_movable(pg, true);
	assert_int_equal(
	    pga_isolate_range(pb - 2 * PB, pfn + 1, PGA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(
	    pga_undo_isolate_range(pb - 2 * PB, pfn + 1, PGA_MIGRATE_MOVABLE),
	    0);
	pga_free_page(pg);
	pga_drain_all_pages();
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

static void straddling_blocks_are_split(void **state)
{
	struct pga_zone *z = dma32();
	unsigned long free0 = rt_info(0, PGA_ZONE_DMA32).free;

	(void)state;
	/* The upper half of the order-10 block at BLK. */
	assert_int_equal(
	    pga_isolate_range(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE, 0),
	    0);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, free0 - PB);
	assert_int_equal(rt_list_len(z, 10, PGA_MIGRATE_MOVABLE),
			 boot_free[10] - 1);
	assert_int_equal(rt_list_first(z, 9, PGA_MIGRATE_MOVABLE), BLK);
	assert_int_equal(rt_list_first(z, 9, PGA_MIGRATE_ISOLATE), BLK + PB);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE),
	    0);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	/* The lower half, from inside a pageblock: the end is split. */
	assert_int_equal(
	    pga_isolate_range(BLK + 100, BLK + 200, PGA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, free0 - PB);
	assert_int_equal(rt_list_first(z, 9, PGA_MIGRATE_ISOLATE), BLK);
	assert_int_equal(rt_list_first(z, 9, PGA_MIGRATE_MOVABLE), BLK + PB);
	assert_int_equal(pga_test_range_isolated(BLK, BLK + PB, 0), 0);
	/* Inside a free block is not the start of one. */
	assert_int_equal(pga_test_range_isolated(BLK + 100, BLK + 200, 0),
			 -PGA_EBUSY);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(BLK + 100, BLK + 200, PGA_MIGRATE_MOVABLE),
	    0);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

/* Two ranges isolated one after the other merge; undoing splits again. */
static void adjacent_isolations_merge(void **state)
{
	struct pga_zone *z = dma32();

	(void)state;
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(
	    pga_isolate_range(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE, 0),
	    0);
	assert_int_equal(rt_list_len(z, 10, PGA_MIGRATE_ISOLATE), 1);
	assert_int_equal(rt_list_len(z, 9, PGA_MIGRATE_ISOLATE), 0);
	fx_assert_consistent();
	/* Undo the first: only its half leaves isolation. */
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE), 0);
	assert_int_equal(rt_list_first(z, 9, PGA_MIGRATE_MOVABLE), BLK);
	assert_int_equal(rt_list_first(z, 9, PGA_MIGRATE_ISOLATE), BLK + PB);
	assert_int_equal(rt_acct().isolated, PB);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE),
	    0);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

static void overlapping_isolation_is_busy(void **state)
{
	struct pga_zone_info mid;

	(void)state;
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + 2 * PB, PGA_MIGRATE_MOVABLE, 0), 0);
	mid = rt_info(0, PGA_ZONE_DMA32);
	/* The second range starts free but meets an isolated block. */
	assert_int_equal(
	    pga_isolate_range(BLK - 2 * PB, BLK + PB, PGA_MIGRATE_MOVABLE, 0),
	    -PGA_EBUSY);
	rt_assert_pageblocks(BLK - 2 * PB, BLK, PGA_MIGRATE_MOVABLE);
	rt_assert_pageblocks(BLK, BLK + 2 * PB, PGA_MIGRATE_ISOLATE);
	assert_int_equal(dma32()->nr_isolate_pageblock, 2);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, mid.free);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + 2 * PB, PGA_MIGRATE_MOVABLE), 0);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
}

static void bad_input(void **state)
{
	struct pga_page_accounting a = rt_acct();

	(void)state;
	fx_log_clear();
	assert_int_equal(pga_isolate_range(BLK, BLK, PGA_MIGRATE_MOVABLE, 0),
			 -PGA_EINVAL);
	assert_true(fx_log_contains("is empty"));
	/* DMA ends at pfn 4096: one range, two zones. */
	assert_int_equal(pga_isolate_range(4000, 4200, PGA_MIGRATE_MOVABLE, 0),
			 -PGA_EINVAL);
	assert_true(fx_log_contains("not in one zone"));
	assert_int_equal(pga_isolate_range(PFN(MiB(64)), PFN(MiB(64)) + PB,
					   PGA_MIGRATE_MOVABLE, 0),
			 -PGA_EINVAL);
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_UNMOVABLE, 0),
	    -PGA_EINVAL);
	assert_true(fx_log_contains("is not MOVABLE or CMA"));
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_ISOLATE, 0),
	    -PGA_EINVAL);
	/* CMA target on a MOVABLE pageblock. */
	assert_int_equal(pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_CMA, 0),
			 -PGA_EINVAL);
	assert_true(fx_log_contains("is not CMA"));
	assert_int_equal(pga_undo_isolate_range(10, 5, PGA_MIGRATE_MOVABLE),
			 -PGA_EINVAL);
	assert_int_equal(
	    pga_test_range_isolated(~(pga_pfn_t)0 - 5, ~(pga_pfn_t)0, 0),
	    -PGA_EINVAL);
	/* Undo of a range that is not isolated changes nothing. */
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE), 0);
	fx_log_clear();
	assert_int_equal(
	    pga_test_range_isolated(BLK, BLK + PB, PGA_ISOLATE_REPORT),
	    -PGA_EBUSY);
	assert_true(fx_log_contains("is not isolated and free"));
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	assert_int_equal(rt_acct().free, a.free);
	assert_int_equal(dma32()->nr_isolate_pageblock, 0);
	fx_assert_consistent();
}

/* Isolating a HIGHATOMIC reserve releases its reservation. */
static void highatomic_reserve_released(void **state)
{
	struct pga_zone *z = dma32();
	unsigned long flags = zone_lock(z);

	(void)state;
	pga_pageblock_set_type(BLK, PGA_MIGRATE_HIGHATOMIC);
	pga_move_freepages_block_locked(z, pfn_page(BLK),
					PGA_MIGRATE_HIGHATOMIC, NULL);
	z->nr_reserved_highatomic = PB;
	zone_unlock(z, flags);
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(z->nr_reserved_highatomic, 0);
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE), 0);
	rt_assert_pageblocks(BLK, BLK + PB, PGA_MIGRATE_MOVABLE);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

/* The walker notices isolation and offline counts that do not match. */
static void walker_checks_counts(void **state)
{
	struct pga_zone *z = dma32();
	char report[256];

	(void)state;
	z->nr_isolate_pageblock++;
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "nr_isolate_pageblock 1 but 0"));
	z->nr_isolate_pageblock--;
	z->nr_offline_pages = 3;
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "nr_offline_pages 3 but 0"));
	z->nr_offline_pages = 0;
	page_set(pfn_page(BLK - 1), PGA_PG_offline);
	z->nr_offline_pages = 1;
	pga_atomic_set(&pfn_page(BLK - 1)->refcount, 1);
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "is in use"));
	pga_atomic_set(&pfn_page(BLK - 1)->refcount, 0);
	page_clear(pfn_page(BLK - 1), PGA_PG_offline);
	z->nr_offline_pages = 0;
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(isolate_hides_free_pages, setup),
	    cmocka_unit_test_setup(frees_stay_in_isolated_blocks, setup),
	    cmocka_unit_test_setup(unmovable_page_fails_and_restores, setup),
	    cmocka_unit_test_setup(straddling_blocks_are_split, setup),
	    cmocka_unit_test_setup(adjacent_isolations_merge, setup),
	    cmocka_unit_test_setup(overlapping_isolation_is_busy, setup),
	    cmocka_unit_test_setup(bad_input, setup),
	    cmocka_unit_test_setup(highatomic_reserve_released, setup),
	    cmocka_unit_test_setup(walker_checks_counts, setup),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
