/* SPDX-License-Identifier: MIT */
/*
 * Contiguous ranges: pga_alloc_contig_range() and pga_alloc_contig_pages()
 * on a machine full of movable pages (owned by support/movable.c, whose
 * migrate hook copies the data and fixes its reverse map), and their
 * clean failures when a page cannot move.
 *
 * Machine: 64 MiB on one node; DMA [0, 16 MiB), DMA32 [16, 64 MiB).
 */
#include <string.h>

#include "movable.h"
#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define BLK 8192UL /* a pageblock in the middle of DMA32 */
#define MOVABLE_GFP PGA_GFP_HIGHUSER_MOVABLE

static void boot(bool with_hook)
{
	struct pga_params p;
	struct pga_mem_range r = {0, MiB(64), 0};
	struct pga_hooks h = with_hook ? mv_hooks() : fx_hooks();

	mv_reset();
	fx_params(&p);
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, &h), 0);
}

/* Fill memory with movable pages of @order, then free every 4th owner. */
static int busy_machine(unsigned int order)
{
	int n = mv_fill(MOVABLE_GFP, order, MV_MAX_OWNERS);

	assert_true(n > 1000);
	for (int i = 0; i < n; i += 4)
		mv_free(i);
	pga_drain_all_pages();
	return n;
}

static int setup(void **state)
{
	(void)state;
	boot(true);
	busy_machine(0);
	return 0;
}

static void assert_allocated_run(pga_pfn_t s, pga_pfn_t e)
{
	for (pga_pfn_t pfn = s; pfn < e; pfn++) {
		struct pga_page *p = pga_pfn_to_page(pfn);

		assert_int_equal(pga_page_count(p), 1);
		assert_false(pga_page_is_movable(p));
		assert_false(page_flag(p, PGA_PG_buddy));
	}
}

static void range_in_full_zone(void **state)
{
	unsigned long owned = mv_in_range(BLK, BLK + PB);
	struct pga_page_accounting a0 = rt_acct(), a1;

	(void)state;
	assert_true(owned > PB / 2);
	assert_int_equal(pga_alloc_contig_range(BLK, BLK + PB,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 0);
	assert_int_equal(mv_stats.moved, owned);
	assert_int_equal(mv_stats.unknown, 0);
	assert_int_equal(mv_in_range(BLK, BLK + PB), 0);
	assert_true(mv_verify());
	assert_allocated_run(BLK, BLK + PB);
	a1 = rt_acct();
	assert_int_equal(a1.allocated, a0.allocated + PB);
	assert_int_equal(a1.free + a1.pcp, a0.free + a0.pcp - PB);
	rt_assert_pageblocks(BLK, BLK + PB, PGA_MIGRATE_MOVABLE);
	assert_int_equal(rt_zone(0, PGA_ZONE_DMA32)->nr_isolate_pageblock, 0);
	fx_assert_consistent();
	pga_free_contig_range(BLK, PB);
	assert_int_equal(rt_acct().allocated, a0.allocated);
	fx_assert_consistent();
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

static void unaligned_range_moves_only_inside(void **state)
{
	const pga_pfn_t s = BLK + 100, e = BLK + 300;
	unsigned long inside = mv_in_range(s, e);
	unsigned long below = mv_in_range(BLK, s),
		      above = mv_in_range(e, BLK + PB);
	int edge_lo = pga_page_count(pga_pfn_to_page(s - 1));
	int edge_hi = pga_page_count(pga_pfn_to_page(e));

	unsigned long ok0 = pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS);

	(void)state;
	assert_int_equal(
	    pga_alloc_contig_range(s, e, PGA_MIGRATE_MOVABLE, PGA_GFP_KERNEL),
	    0);
	assert_int_equal(mv_stats.moved, inside);
	assert_true(inside > 0);
	assert_int_equal(pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS) - ok0, inside);
	assert_int_equal(mv_in_range(BLK, s), below);
	assert_int_equal(mv_in_range(e, BLK + PB), above);
	assert_allocated_run(s, e);
	/* The pages next to the range are as they were (free or owned). */
	assert_int_equal(pga_page_count(pga_pfn_to_page(s - 1)), edge_lo);
	assert_int_equal(pga_page_count(pga_pfn_to_page(e)), edge_hi);
	assert_true(mv_verify());
	fx_assert_consistent();
	pga_free_contig_range(s, e - s);
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

/* On free memory: the enclosing free block is split around the range. */
static void unaligned_range_on_free_memory(void **state)
{
	unsigned long boot_free[PGA_NR_ORDERS];
	struct pga_zone_info before;

	(void)state;
	boot(true);
	fx_nr_free(0, PGA_ZONE_DMA32, boot_free);
	before = rt_info(0, PGA_ZONE_DMA32);
	assert_int_equal(pga_alloc_contig_range(BLK + 100, BLK + 300,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 0);
	assert_allocated_run(BLK + 100, BLK + 300);
	assert_int_equal(rt_acct().allocated, 200);
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).free, before.free - 200);
	/* The order-10 block was cut into aligned pieces around the range. */
	assert_true(page_flag(pga_pfn_to_page(BLK), PGA_PG_buddy));
	assert_int_equal(pga_pfn_to_page(BLK)->private, 6);
	assert_true(page_flag(pga_pfn_to_page(BLK + 300), PGA_PG_buddy));
	assert_int_equal(pga_pfn_to_page(BLK + 300)->private, 2);
	assert_true(page_flag(pga_pfn_to_page(BLK + 512), PGA_PG_buddy));
	assert_int_equal(pga_pfn_to_page(BLK + 512)->private, 9);
	fx_assert_consistent();
	pga_free_contig_range(BLK + 100, 200);
	pga_drain_all_pages();
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

/* An owner page that becomes unmovable pins its pageblock. */
static void unmovable_page_fails_cleanly(void **state)
{
	struct pga_page *victim = NULL;
	struct pga_page_accounting a0, a1;
	unsigned long nr_free[PGA_NR_ORDERS];

	(void)state;
	for (pga_pfn_t pfn = BLK + 200; !victim; pfn++)
		if (pga_page_is_movable(pga_pfn_to_page(pfn)))
			victim = pga_pfn_to_page(pfn);
	pga_page_set_movable(victim, false);
	a0 = rt_acct();
	fx_nr_free(0, PGA_ZONE_DMA32, nr_free);
	fx_log_clear();
	assert_int_equal(pga_alloc_contig_range(BLK, BLK + PB,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 -PGA_EBUSY);
	assert_true(fx_log_contains("alloc_contig_range"));
	/* Refused at isolation: nothing was moved, nothing changed. */
	assert_int_equal(mv_stats.calls, 0);
	a1 = rt_acct();
	assert_memory_equal(&a0, &a1, sizeof(a0));
	rt_assert_nr_free(0, PGA_ZONE_DMA32, nr_free);
	rt_assert_pageblocks(BLK, BLK + PB, PGA_MIGRATE_MOVABLE);
	assert_true(mv_verify() == false); /* the victim lost its mark */
	pga_page_set_movable(victim, true);
	assert_true(mv_verify());
	fx_assert_consistent();
	mv_free_all();
}

/* A movable page with an extra reference cannot move: -EBUSY, undone. */
static void pinned_page_fails_after_migrating_others(void **state)
{
	unsigned long owned = mv_in_range(BLK, BLK + PB);
	struct pga_page *pinned = NULL;
	struct pga_page_accounting a0, a1;

	(void)state;
	for (pga_pfn_t pfn = BLK + PB - 1; !pinned; pfn--)
		if (pga_page_is_movable(pga_pfn_to_page(pfn)))
			pinned = pga_pfn_to_page(pfn);
	pga_get_page(pinned);
	a0 = rt_acct();
	assert_int_equal(
	    pga_alloc_contig_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE,
				   PGA_GFP_KERNEL | PGA_GFP_NOWARN),
	    -PGA_EBUSY);
	/* Every other owner moved out; the pinned page never reached the hook.
	 */
	assert_int_equal(mv_stats.calls, owned - 1);
	assert_int_equal(mv_stats.moved, owned - 1);
	assert_int_equal(mv_in_range(BLK, BLK + PB), 1);
	a1 = rt_acct();
	assert_int_equal(a1.allocated, a0.allocated);
	assert_int_equal(a1.free + a1.pcp, a0.free + a0.pcp);
	rt_assert_pageblocks(BLK, BLK + PB, PGA_MIGRATE_MOVABLE);
	assert_int_equal(rt_zone(0, PGA_ZONE_DMA32)->nr_isolate_pageblock, 0);
	assert_true(mv_verify());
	fx_assert_consistent();
	pga_put_page(pinned);
	mv_free_all();
	fx_assert_consistent();
}

/* The hook refuses one page: its batch is tried 5 times, then -EBUSY. */
static void refusing_hook_is_retried_five_times(void **state)
{
	pga_pfn_t pfn = BLK;
	unsigned long fail0 = pga_vm_event_sum(PGA_PGMIGRATE_FAIL);

	(void)state;
	while (!pga_page_is_movable(pga_pfn_to_page(pfn)))
		pfn++;
	mv_refuse(pfn);
	assert_int_equal(
	    pga_alloc_contig_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE,
				   PGA_GFP_KERNEL | PGA_GFP_NOWARN),
	    -PGA_EBUSY);
	assert_int_equal(mv_stats.refused, 5);
	assert_int_equal(pga_vm_event_sum(PGA_PGMIGRATE_FAIL) - fail0, 5);
	assert_true(mv_verify());
	rt_assert_pageblocks(BLK, BLK + PB, PGA_MIGRATE_MOVABLE);
	fx_assert_consistent();
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
}

static void no_hook_means_busy(void **state)
{
	struct pga_page_accounting a0;

	(void)state;
	boot(false);
	busy_machine(0);
	a0 = rt_acct();
	assert_int_equal(
	    pga_alloc_contig_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE,
				   PGA_GFP_KERNEL | PGA_GFP_NOWARN),
	    -PGA_EBUSY);
	assert_int_equal(rt_acct().allocated, a0.allocated);
	fx_assert_consistent();
	mv_free_all();
}

static void compound_pages_move_whole(void **state)
{
	unsigned long owned;

	(void)state;
	boot(true);
	busy_machine(2);
	owned = mv_in_range(BLK, BLK + PB);
	assert_true(owned > 0);
	assert_int_equal(pga_alloc_contig_range(BLK, BLK + PB,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 0);
	assert_int_equal(mv_stats.moved, owned);
	assert_true(mv_verify());
	assert_allocated_run(BLK, BLK + PB);
	fx_assert_consistent();
	pga_free_contig_range(BLK, PB);
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

/*
 * A movable order-10 compound page reaching into the range from the
 * pageblock below moves whole; its freed block is split at the boundary.
 */
static void straddling_compound_page_moves(void **state)
{
	unsigned long boot_free[PGA_NR_ORDERS];
	int slot;
	pga_pfn_t head;

	(void)state;
	boot(true);
	fx_nr_free(0, PGA_ZONE_DMA32, boot_free);
	slot = mv_alloc(MOVABLE_GFP, 10);
	head = pga_page_to_pfn(mv_page(slot));
	assert_int_equal(head % 1024, 0);
	assert_int_equal(pga_alloc_contig_range(head + PB, head + 2 * PB,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 0);
	assert_int_equal(mv_stats.moved, 1);
	assert_true(pga_page_to_pfn(mv_page(slot)) >= head + 1024 ||
		    pga_page_to_pfn(mv_page(slot)) + 1024 <= head);
	assert_true(mv_verify());
	/* The lower half of the old compound page is free, not isolated. */
	assert_true(page_flag(pga_pfn_to_page(head), PGA_PG_buddy));
	assert_int_equal(pga_pfn_to_page(head)->private, PGA_PAGEBLOCK_ORDER);
	rt_assert_pageblocks(head, head + 2 * PB, PGA_MIGRATE_MOVABLE);
	fx_assert_consistent();
	pga_free_contig_range(head + PB, PB);
	mv_free_all();
	pga_drain_all_pages();
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

static void zeroed_on_request(void **state)
{
	(void)state;
	assert_int_equal(pga_alloc_contig_range(BLK, BLK + 8,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL | PGA_GFP_ZERO),
			 0);
	for (pga_pfn_t pfn = BLK; pfn < BLK + 8; pfn++) {
		const unsigned char *va =
		    pga_page_address(pga_pfn_to_page(pfn));

		for (size_t i = 0; i < PGA_PAGE_SIZE; i++)
			assert_int_equal(va[i], 0);
	}
	pga_free_contig_range(BLK, 8);
	mv_free_all();
	fx_assert_consistent();
}

static void contig_pages_finds_aligned_runs(void **state)
{
	struct pga_page *pg, *victim = pga_pfn_to_page(4096);

	(void)state;
	/* An owner in DMA32's first run (GFP_KERNEL's first zone) pins it. */
	while (!pga_page_is_movable(victim))
		victim++;
	assert_true(pga_page_to_pfn(victim) < 4096 + PB);
	pga_page_set_movable(victim, false);
	pg = pga_alloc_contig_pages(PB, PGA_GFP_KERNEL, PGA_NUMA_NO_NODE, NULL);
	assert_non_null(pg);
	assert_int_equal(pga_page_to_pfn(pg), 4096 + PB);
	assert_allocated_run(4096 + PB, 4096 + 2 * PB);
	fx_assert_consistent();
	pga_free_contig_range(4096 + PB, PB);
	/* Movable again: the first 512-aligned run of the zone is taken. */
	pga_page_set_movable(victim, true);
	pg = pga_alloc_contig_pages(PB, PGA_GFP_KERNEL, 0, NULL);
	assert_non_null(pg);
	assert_int_equal(pga_page_to_pfn(pg), 4096);
	pga_free_contig_range(4096, PB);
	/* Not a power of two: a multiple of 300, here in DMA. */
	pg = pga_alloc_contig_pages(300, PGA_GFP_KERNEL | PGA_GFP_DMA, 0, NULL);
	assert_non_null(pg);
	assert_int_equal(pga_page_to_pfn(pg) % 300, 0);
	assert_true(pga_page_to_pfn(pg) + 300 <= 4096);
	pga_free_contig_range(pga_page_to_pfn(pg), 300);
	assert_true(mv_verify());
	fx_assert_consistent();
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

static void busy_against_isolated_range(void **state)
{
	(void)state;
	mv_free_all();
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE, 0), 0);
	assert_int_equal(pga_alloc_contig_range(
			     BLK + PB / 2, BLK + 2 * PB, PGA_MIGRATE_MOVABLE,
			     PGA_GFP_KERNEL | PGA_GFP_NOWARN),
			 -PGA_EBUSY);
	rt_assert_pageblocks(BLK, BLK + PB, PGA_MIGRATE_ISOLATE);
	rt_assert_pageblocks(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE);
	assert_int_equal(rt_zone(0, PGA_ZONE_DMA32)->nr_isolate_pageblock, 1);
	fx_assert_consistent();
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE), 0);
	fx_assert_consistent();
}

static void bad_input(void **state)
{
	struct pga_page *pg;
	struct pga_page_accounting a0 = rt_acct(), a1;

	(void)state;
	fx_log_clear();
	assert_int_equal(pga_alloc_contig_range(BLK, BLK + PB,
						PGA_MIGRATE_UNMOVABLE,
						PGA_GFP_KERNEL),
			 -PGA_EINVAL);
	assert_int_equal(pga_alloc_contig_range(
			     BLK + 1, BLK, PGA_MIGRATE_MOVABLE, PGA_GFP_KERNEL),
			 -PGA_EINVAL);
	assert_int_equal(pga_alloc_contig_range(4000, 4200, PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 -PGA_EINVAL);
	assert_null(pga_alloc_contig_pages(0, PGA_GFP_KERNEL, 0, NULL));
	assert_null(pga_alloc_contig_pages(PB, PGA_GFP_KERNEL, 5, NULL));
	assert_null(
	    pga_alloc_contig_pages(PB, PGA_GFP_DMA | PGA_GFP_DMA32, 0, NULL));
	assert_true(fx_log_contains("alloc_contig_pages(512"));
	/* More than any zone holds. */
	fx_log_clear();
	assert_null(pga_alloc_contig_pages(20000, PGA_GFP_KERNEL, 0, NULL));
	assert_true(fx_log_contains("no run of 20000 pages"));
	a1 = rt_acct();
	assert_memory_equal(&a0, &a1, sizeof(a0));
	/* Freeing: a page still referenced, and pfns pga does not know. */
	assert_int_equal(pga_alloc_contig_range(
			     BLK, BLK + 2, PGA_MIGRATE_MOVABLE, PGA_GFP_KERNEL),
			 0);
	pg = pga_pfn_to_page(BLK);
	pga_get_page(pg);
	fx_log_clear();
	pga_free_contig_range(BLK, 2);
	assert_true(fx_log_contains("1 pages are still in use"));
	pga_put_page(pg);
	pga_free_contig_range(PFN(MiB(64)), 1);
	assert_true(fx_log_contains("is not a page pga manages"));
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(range_in_full_zone, setup),
	    cmocka_unit_test_setup(unaligned_range_moves_only_inside, setup),
	    cmocka_unit_test(unaligned_range_on_free_memory),
	    cmocka_unit_test_setup(unmovable_page_fails_cleanly, setup),
	    cmocka_unit_test_setup(pinned_page_fails_after_migrating_others,
				   setup),
	    cmocka_unit_test_setup(refusing_hook_is_retried_five_times, setup),
	    cmocka_unit_test(no_hook_means_busy),
	    cmocka_unit_test(compound_pages_move_whole),
	    cmocka_unit_test(straddling_compound_page_moves),
	    cmocka_unit_test_setup(zeroed_on_request, setup),
	    cmocka_unit_test_setup(contig_pages_finds_aligned_runs, setup),
	    cmocka_unit_test_setup(busy_against_isolated_range, setup),
	    cmocka_unit_test_setup(bad_input, setup),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
