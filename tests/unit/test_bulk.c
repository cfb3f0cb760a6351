/* SPDX-License-Identifier: MIT */
/*
 * Bulk allocation (Linux __alloc_pages_bulk, array form) and batched
 * release (release_pages / free_unref_page_list): which pages fill which
 * slots, when the single-page fallback runs, how often locks are taken,
 * and what the counters say.
 */
#include <string.h>

#include "blocks.h"
#include "fixture.h"
#include "internal.h"

#define MOV (PGA_GFP_KERNEL | PGA_GFP_MOVABLE)

static struct pga_zone *zone_of(int nid, int zt)
{
	return &pga_g.nodes[nid].node_zones[zt];
}

static struct pga_zone *normal(void)
{
	return zone_of(0, PGA_ZONE_NORMAL);
}

static struct pga_pcp *pcp0(void)
{
	return &normal()->pcp[0];
}

static unsigned long pcp_locks(const struct pga_zone *z)
{
	return z->pcp[0].lock_holds;
}

/* One 1 GiB NORMAL zone above 4 GiB, one CPU. */
static void init_normal(void)
{
	struct pga_params p;
	struct pga_mem_range r = {GiB(4), GiB(1), 0};

	fx_params(&p);
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	pga_host_set_cpu(0);
}

static unsigned long low_mark(const struct pga_zone *z)
{
	return pga_wmark_pages(z, PGA_WMARK_LOW);
}

/* Slots come from the pcp list head in list order, refilled by batch. */
static void fills_from_pcp_in_order(void **state)
{
	struct pga_page *arr[100] = {0};
	struct pga_page *listed[63];
	struct pga_list_head *l;
	unsigned long zl0, pl0, alloc0;
	int i = 0;

	(void)state;
	init_normal();
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	for (l = pcp0()->lists[1].next; l != &pcp0()->lists[1]; l = l->next)
		listed[i++] = list_page(l);
	assert_int_equal(i, 63);
	zl0 = pga_host_lock_acquisitions(&normal()->lock);
	pl0 = pcp_locks(normal());
	alloc0 = pga_vm_event_sum(PGA_PGALLOC_NORMAL);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 100, arr), 100);
	for (i = 0; i < 63; i++)
		assert_ptr_equal(arr[i], listed[i]);
	for (i = 0; i < 100; i++) {
		assert_int_equal(pga_page_count(arr[i]), 1);
		assert_false(page_flag(arr[i], PGA_PG_pcp));
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(arr[i], arr[j]);
	}
	/* One pcp hold; one refill of 63 after the first 63. */
	assert_int_equal(pcp_locks(normal()), pl0 + 1);
	assert_int_equal(pga_host_lock_acquisitions(&normal()->lock), zl0 + 1);
	assert_int_equal(pcp0()->count, 63 + 63 - 100);
	assert_int_equal(pga_vm_event_sum(PGA_PGALLOC_NORMAL), alloc0 + 100);
	assert_int_equal(fx_allocated_pages(), 100);
	/* 1 for the first single allocation, then the bulk's 100. */
	assert_int_equal(pga_zone_numa_stat(normal(), PGA_NUMA_HIT), 101);
	/* bulk does not touch free_factor (only single allocations do). */
	pcp0()->free_factor = 2;
	pga_release_pages(arr, 100);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* Slots already holding a page are kept; only the holes are filled. */
static void fills_holes(void **state)
{
	struct pga_page *arr[10] = {0};
	struct pga_page *p0, *p1, *p5;

	(void)state;
	init_normal();
	p0 = arr[0] = pga_alloc_page(MOV);
	p1 = arr[1] = pga_alloc_page(MOV);
	p5 = arr[5] = pga_alloc_page(MOV);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 10, arr), 10);
	assert_ptr_equal(arr[0], p0);
	assert_ptr_equal(arr[1], p1);
	assert_ptr_equal(arr[5], p5);
	for (int i = 0; i < 10; i++)
		assert_non_null(arr[i]);
	assert_int_equal(fx_allocated_pages(), 10);
	pga_release_pages(arr, 10);
	fx_assert_consistent();
}

static void nothing_to_do_and_bad_input(void **state)
{
	struct pga_page *arr[4] = {0};
	unsigned long zl0, pl0;

	(void)state;
	init_normal();
	for (int i = 0; i < 4; i++)
		arr[i] = pga_alloc_page(MOV);
	zl0 = pga_host_lock_acquisitions(&normal()->lock);
	pl0 = pcp_locks(normal());
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 4, arr), 4);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 0, arr), 0);
	assert_int_equal(pga_host_lock_acquisitions(&normal()->lock), zl0);
	assert_int_equal(pcp_locks(normal()), pl0);
	fx_log_clear();
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 4, NULL), 0);
	assert_true(fx_log_contains("NULL array"));
	/* An invalid gfp: the leading populated count, and a report. */
	pga_release_pages(&arr[2], 2);
	arr[2] = arr[3] = NULL;
	fx_log_clear();
	assert_int_equal(pga_alloc_pages_bulk_array(PGA_GFP_DMA | PGA_GFP_HIGHMEM,
						    4, arr), 2);
	assert_true(fx_log_contains("invalid gfp"));
	assert_null(arr[2]);
	pga_release_pages(arr, 2);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* One missing slot: the ordinary single-page path (it halves ff). */
static void one_missing_goes_single(void **state)
{
	struct pga_page *arr[5] = {0};

	(void)state;
	init_normal();
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 4, arr), 4);
	pcp0()->free_factor = 4;
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 5, arr), 5);
	assert_int_equal(pcp0()->free_factor, 2);
	pga_release_pages(arr, 5);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 3, arr), 3);
	pga_release_pages(arr, 2);
	arr[0] = arr[1] = NULL;
	pcp0()->free_factor = 4;
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 3, arr), 3);
	assert_int_equal(pcp0()->free_factor, 4);
	pga_release_pages(arr, 3);
	fx_assert_consistent();
}

/*
 * The zone must stay above low + nr_pages (the whole request, filled
 * slots included); otherwise one page comes the ordinary way.
 */
static void low_plus_nr_watermark(void **state)
{
	struct pga_page *arr[30];
	long low;

	(void)state;
	init_normal();
	low = (long)low_mark(normal());
	bl_fill_to(normal(), MOV, low + 21);
	memset(arr, 0, sizeof(arr));
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 20, arr), 20);
	pga_release_pages(arr, 20);
	pga_drain_local_pages();
	bl_release();

	init_normal();
	bl_fill_to(normal(), MOV, low + 20);
	memset(arr, 0, sizeof(arr));
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 20, arr), 1);
	assert_null(arr[1]);
	pga_release_pages(arr, 1);
	/* 10 slots filled, 20 missing: the mark is low + 30 all the same. */
	for (int i = 0; i < 10; i++)
		arr[i] = pga_alloc_page(MOV);
	pga_drain_local_pages();
	bl_release();
	bl_fill_to(normal(), MOV, low + 29);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 30, arr), 11);
	assert_null(arr[11]);
	pga_release_pages(arr, 11);
	pga_drain_local_pages();
	bl_release();
	fx_assert_consistent();
}

/*
 * Lower zones are checked with the preferred zone's index, so their
 * lowmem reserve against NORMAL requests counts.
 */
static void lower_zone_keeps_lowmem_reserve(void **state)
{
	struct pga_page *arr[50] = {0};
	struct pga_zone *dma32;
	long reserve, low32;

	(void)state;
	fx_init_simple(0, GiB(5));
	dma32 = zone_of(0, PGA_ZONE_DMA32);
	reserve = dma32->lowmem_reserve[PGA_ZONE_NORMAL];
	low32 = (long)low_mark(dma32);
	assert_true(reserve > 500);
	bl_fill_to(normal(), MOV, (long)low_mark(normal()) + 10);
	bl_fill_to(dma32, PGA_GFP_DMA32 | MOV, low32 + 50 + 500);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 50, arr), 1);
	pga_release_pages(arr, 1);
	arr[0] = NULL;
	/* A DMA32 request checks DMA32 against its own index: it fits. */
	assert_int_equal(pga_alloc_pages_bulk_array(PGA_GFP_DMA32 | MOV, 50,
						    arr), 50);
	pga_release_pages(arr, 50);
	pga_drain_all_pages();
	bl_release();
	fx_assert_consistent();
}

static void init_two_nodes(void)
{
	struct pga_params p;
	struct pga_mem_range r[2] = {{GiB(4), GiB(1), 0}, {GiB(5), GiB(1), 1}};

	fx_params(&p);
	assert_int_equal(fx_init(&p, r, 2, NULL, 0, NULL), 0);
	pga_host_set_cpu(0);
}

/* A remote zone is never bulk-filled from: a single local page instead. */
static void remote_node_aborts(void **state)
{
	struct pga_page *arr[50] = {0};
	pga_nodemask_t only1;
	unsigned long n;

	(void)state;
	init_two_nodes();
	bl_fill_to(normal(), MOV, (long)low_mark(normal()) + 10);
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 50, arr), 1);
	assert_int_equal(pga_page_to_nid(arr[0]), 0);
	pga_release_pages(arr, 1);
	arr[0] = NULL;
	/* Asked for node 1 outright, the fill comes from node 1. */
	pga_nodemask_clear(&only1);
	pga_nodemask_set(&only1, 1);
	n = pga_alloc_pages_bulk(MOV, 1, &only1, 50, arr);
	assert_int_equal(n, 50);
	for (int i = 0; i < 50; i++)
		assert_int_equal(pga_page_to_nid(arr[i]), 1);
	assert_int_equal(zone_of(1, PGA_ZONE_NORMAL)->pcp[0].count, 63 - 50);
	pga_release_pages(arr, 50);
	pga_drain_local_pages();
	bl_release();
	fx_assert_consistent();
}

/* A busy pcp sends the request down the single-page path. */
static void busy_pcp_goes_single(void **state)
{
	struct pga_page *arr[10] = {0};

	(void)state;
	init_normal();
	pga_pcp_spin_lock(pcp0());
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 10, arr), 1);
	assert_int_equal(pcp0()->count, 0);
	pga_release_pages(arr, 1);
	assert_int_equal(pcp0()->count, 0); /* freed to the buddy */
	pga_pcp_spin_unlock(pcp0());
	fx_assert_consistent();
}

/* Pages are prepared: zeroed on request, refcount 1. */
static void prepared_pages(void **state)
{
	struct pga_page *arr[8] = {0};

	(void)state;
	init_normal();
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 8, arr), 8);
	for (int i = 0; i < 8; i++)
		memset(pga_page_address(arr[i]), 0xa5, PGA_PAGE_SIZE);
	pga_release_pages(arr, 8);
	memset(arr, 0, sizeof(arr));
	assert_int_equal(pga_alloc_pages_bulk_array(MOV | PGA_GFP_ZERO, 8, arr),
			 8);
	for (int i = 0; i < 8; i++) {
		const unsigned char *va = pga_page_address(arr[i]);

		assert_int_equal(pga_page_count(arr[i]), 1);
		for (size_t b = 0; b < PGA_PAGE_SIZE; b++)
			if (va[b])
				fail_msg("page %d byte %zu not zero", i, b);
	}
	pga_release_pages(arr, 8);
	fx_assert_consistent();
}

/* Relock every 32 pages; counters count every page. */
static void release_batches_of_32(void **state)
{
	struct pga_page *arr[100] = {0};
	unsigned long pl0, free0;

	(void)state;
	init_normal();
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 100, arr), 100);
	pga_drain_local_pages();
	pl0 = pcp_locks(normal());
	free0 = pga_vm_event_sum(PGA_PGFREE);
	pga_release_pages(arr, 100);
	assert_int_equal(pcp_locks(normal()), pl0 + 4);
	assert_int_equal(pga_vm_event_sum(PGA_PGFREE), free0 + 100);
	assert_ptr_equal(list_first_page(&pcp0()->lists[1]), arr[99]);
	/* Each page joins the list of its pageblock's type. */
	memset(arr, 0, sizeof(arr));
	assert_int_equal(pga_alloc_pages_bulk_array(PGA_GFP_KERNEL, 3, arr), 3);
	assert_int_equal(get_pageblock_migratetype(pga_page_to_pfn(arr[0])),
			 PGA_MIGRATE_UNMOVABLE);
	pga_release_pages(arr, 3);
	assert_ptr_equal(list_first_page(&pcp0()->lists[pga_pcp_pindex(
				 PGA_MIGRATE_UNMOVABLE, 0)]), arr[2]);
	fx_assert_consistent();
}

/* A zone change relocks: N D N D takes four holds. */
static void release_relocks_on_zone_change(void **state)
{
	struct pga_page *arr[4];
	struct pga_zone *dma32;
	unsigned long n0, d0;

	(void)state;
	fx_init_simple(0, GiB(5));
	dma32 = zone_of(0, PGA_ZONE_DMA32);
	for (int i = 0; i < 4; i++)
		arr[i] = pga_alloc_page(i & 1 ? PGA_GFP_DMA32 | PGA_GFP_KERNEL
					      : PGA_GFP_KERNEL);
	assert_int_equal(pga_page_zonenum(arr[1]), PGA_ZONE_DMA32);
	assert_int_equal(pga_page_zonenum(arr[0]), PGA_ZONE_NORMAL);
	n0 = pcp_locks(normal());
	d0 = pcp_locks(dma32);
	pga_release_pages(arr, 4);
	assert_int_equal(pcp_locks(normal()), n0 + 2);
	assert_int_equal(pcp_locks(dma32), d0 + 2);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* release_pages is put_page for each entry. */
static void release_reference_rules(void **state)
{
	struct pga_page *arr[7];
	struct pga_page *shared, *comp, *plain, *freed, *bad;
	struct pga_page_accounting a;
	struct pga_page local = {0}; /* readable, but not in the memmap */

	(void)state;
	init_normal();
	shared = pga_alloc_page(MOV);
	pga_get_page(shared);
	comp = pga_alloc_pages(MOV | PGA_GFP_COMP, 2);
	plain = pga_alloc_page(MOV);
	freed = pga_alloc_page(MOV);
	pga_free_page(freed);
	bad = pga_alloc_page(MOV);
	bad->mapcount = 1;
	arr[0] = plain;
	arr[1] = comp + 3; /* a tail stands for its head */
	arr[2] = NULL;
	arr[3] = freed;
	arr[4] = (struct pga_page *)(void *)&local;
	arr[5] = shared;
	arr[6] = bad;
	fx_log_clear();
	pga_release_pages(arr, 7);
	assert_true(fx_log_contains("is not allocated"));
	assert_true(fx_log_contains("is not a page pga manages"));
	assert_true(fx_log_contains("nonzero mapcount"));
	assert_int_equal(pga_page_count(shared), 1);
	assert_int_equal(pga_page_count(comp), 0);
	assert_false(pga_page_is_head(comp));
	/* The compound page went to this CPU's order-2 list, not the buddy. */
	assert_ptr_equal(list_first_page(&pcp0()->lists[pga_pcp_pindex(
				 PGA_MIGRATE_MOVABLE, 2)]), comp);
	pga_page_accounting(&a);
	assert_int_equal(a.allocated, 1); /* shared */
	assert_int_equal(a.bad, 1);
	pga_release_pages(&shared, 1);
	assert_int_equal(fx_allocated_pages(), 0);
	pga_release_pages(NULL, 3); /* ignored */
	fx_assert_consistent();
}

/* A busy pcp or an isolated pageblock sends released pages to the buddy. */
static void release_to_buddy(void **state)
{
	struct pga_page *arr[5] = {0};
	unsigned long pgfree0;
	long free0;
	pga_pfn_t pfn;

	(void)state;
	init_normal();
	assert_int_equal(pga_alloc_pages_bulk_array(MOV, 5, arr), 5);
	free0 = zone_page_state(normal(), PGA_NR_FREE_PAGES);
	pgfree0 = pga_vm_event_sum(PGA_PGFREE);
	pga_pcp_spin_lock(pcp0());
	pga_release_pages(arr, 3);
	pga_pcp_spin_unlock(pcp0());
	assert_int_equal(zone_page_state(normal(), PGA_NR_FREE_PAGES),
			 free0 + 3);
	assert_int_equal(pga_vm_event_sum(PGA_PGFREE), pgfree0);
	pfn = pga_page_to_pfn(arr[3]);
	bl_retype_block(normal(), pfn, PGA_MIGRATE_ISOLATE);
	free0 = zone_page_state(normal(), PGA_NR_FREE_PAGES);
	pga_release_pages(&arr[3], 2);
	assert_true(bl_on_free_list(normal(), arr[3], PGA_MIGRATE_ISOLATE));
	assert_true(bl_on_free_list(normal(), arr[4], PGA_MIGRATE_ISOLATE));
	assert_int_equal(zone_page_state(normal(), PGA_NR_FREE_PAGES), free0);
	pga_drain_local_pages();
	bl_retype_block(normal(), pfn, PGA_MIGRATE_MOVABLE);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fills_from_pcp_in_order),
		cmocka_unit_test(fills_holes),
		cmocka_unit_test(nothing_to_do_and_bad_input),
		cmocka_unit_test(one_missing_goes_single),
		cmocka_unit_test(low_plus_nr_watermark),
		cmocka_unit_test(lower_zone_keeps_lowmem_reserve),
		cmocka_unit_test(remote_node_aborts),
		cmocka_unit_test(busy_pcp_goes_single),
		cmocka_unit_test(prepared_pages),
		cmocka_unit_test(release_batches_of_32),
		cmocka_unit_test(release_relocks_on_zone_change),
		cmocka_unit_test(release_reference_rules),
		cmocka_unit_test(release_to_buddy),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
