/* SPDX-License-Identifier: MIT */
/*
 * Memory hotplug: pga_add_memory() of new sections (memmap carved from
 * the range itself, a new zone or node coming online, watermarks and
 * per-CPU limits recomputed) and pga_offline_range() with its round trip
 * back through pga_add_memory().
 *
 * Machine: 128 MiB on node 0, all of it ZONE_DMA32 (no DMA zone; DMA32
 * ends at 128 MiB), so hot-added memory at 256 MiB is ZONE_NORMAL.
 */
#include <string.h>

#include "expect.h"
#include "movable.h"
#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define NEW_BASE MiB(256)
#define NEW_PFN PFN(NEW_BASE)
#define SECTION_PAGES 32768UL
#define BLK 8192UL /* a pageblock inside boot RAM */

static void boot(void)
{
	rt_boot_dma32(MiB(128), MiB(128), false);
}

static int setup(void **state)
{
	(void)state;
	boot();
	return 0;
}

/* Pages a hot-added section loses to its memmap and one zone's pcps. */
static unsigned long section_meta(void)
{
	return ex_memmap_pages(SECTION_PAGES) + ex_pcp_pages(1, 1);
}

static void add_section_zone_normal(void **state)
{
	struct pga_zone *n = rt_zone(0, PGA_ZONE_NORMAL);
	struct pga_zone_info normal, dma32,
	    dma32_0 = rt_info(0, PGA_ZONE_DMA32);
	unsigned long managed = SECTION_PAGES - section_meta();
	unsigned long want[PGA_NR_ORDERS] = {0};
	int mfk0 = pga_get_min_free_kbytes();
	struct pga_page *pg;

	(void)state;
	assert_null(n->pcp);
	assert_int_equal(dma32_0.lowmem_reserve[PGA_ZONE_NORMAL], 0);
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 0), 0);
	normal = rt_info(0, PGA_ZONE_NORMAL);
	dma32 = rt_info(0, PGA_ZONE_DMA32);
	assert_int_equal(normal.start_pfn, NEW_PFN);
	assert_int_equal(normal.spanned, SECTION_PAGES);
	assert_int_equal(normal.present, SECTION_PAGES);
	assert_int_equal(normal.managed, managed);
	assert_int_equal(normal.free, managed);
	ex_seed_blocks(NEW_PFN, NEW_PFN + managed, want);
	rt_assert_nr_free(0, PGA_ZONE_NORMAL, want);
	/* The metadata sits at the top of the range, reserved. */
	assert_true(page_flag(pga_pfn_to_page(NEW_PFN + SECTION_PAGES - 1),
			      PGA_PG_reserved));
	assert_int_equal(pga_g.nodes[0].node_present_pages, 2 * SECTION_PAGES);
	/* Watermarks, lowmem reserve and per-CPU limits cover the zone. */
	assert_true(pga_get_min_free_kbytes() > mfk0);
	assert_true(normal.wmark_min > 0 &&
		    normal.wmark_low > normal.wmark_min);
	assert_int_equal(dma32.lowmem_reserve[PGA_ZONE_NORMAL], managed / 256);
	assert_non_null(n->pcp);
	assert_int_equal(n->pcp[0].batch, pga_zone_batchsize(n));
	assert_int_equal(n->pcp[0].high,
			 pga_zone_highsize(n, pga_zone_batchsize(n)));
	/* GFP_KERNEL now starts in the new zone. */
	assert_ptr_equal(pga_g.nodes[0].node_zonelists[0].zonerefs[0].zone, n);
	pg = pga_alloc_page(PGA_GFP_KERNEL);
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_NORMAL);
	assert_true(pga_page_to_pfn(pg) >= NEW_PFN);
	pga_free_page(pg);
	fx_assert_consistent();
}

/* Allocations leave the new zone exactly when its LOW mark is reached. */
static void new_zone_watermarks_apply(void **state)
{
	static struct pga_page *got[40000];
	struct pga_zone *n = rt_zone(0, PGA_ZONE_NORMAL);
	unsigned long low;
	long free_at_switch = -1;
	int i = 0;

	(void)state;
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 0), 0);
	low = rt_info(0, PGA_ZONE_NORMAL).wmark_low;
	while (free_at_switch < 0) {
		long free = zone_page_state(n, PGA_NR_FREE_PAGES);

		got[i] = pga_alloc_page(PGA_GFP_KERNEL);
		assert_non_null(got[i]);
		if (pga_page_zonenum(got[i]) == PGA_ZONE_DMA32)
			free_at_switch = free;
		i++;
	}
	assert_true(free_at_switch <= (long)low);
	assert_true(free_at_switch > (long)low - n->pcp[0].batch);
	while (i--)
		pga_free_page(got[i]);
	fx_assert_consistent();
}

static void add_new_node(void **state)
{
	struct pga_zone *n1 = rt_zone(1, PGA_ZONE_NORMAL);
	const struct pga_zoneref *zr0 =
	    pga_g.nodes[0].node_zonelists[0].zonerefs;
	const struct pga_zoneref *zr1 =
	    pga_g.nodes[1].node_zonelists[0].zonerefs;
	struct pga_page *pg;

	(void)state;
	assert_int_equal(pga_nr_nodes(), 1);
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 1), 0);
	assert_int_equal(pga_nr_nodes(), 2);
	assert_true(pga_g.nodes[1].online);
	assert_int_equal(rt_info(1, PGA_ZONE_NORMAL).managed,
			 SECTION_PAGES - section_meta());
	/* Node 0 falls back to node 1; node 1 starts at home. */
	assert_ptr_equal(zr0[0].zone, rt_zone(0, PGA_ZONE_DMA32));
	assert_ptr_equal(zr0[1].zone, n1);
	assert_null(zr0[2].zone);
	assert_ptr_equal(zr1[0].zone, n1);
	assert_ptr_equal(zr1[1].zone, rt_zone(0, PGA_ZONE_DMA32));
	pg = pga_alloc_pages_node(1, PGA_GFP_KERNEL | PGA_GFP_THISNODE, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	pga_free_page(pg);
	pg = pga_alloc_pages_node(0, PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 0);
	pga_free_page(pg);
	fx_assert_consistent();
}

/* Less than a section, ending off a MAX_ORDER boundary: a hole follows. */
static void add_partial_section(void **state)
{
	unsigned long meta = ex_memmap_pages(2048) + ex_pcp_pages(1, 1);

	(void)state;
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(6), 0), 0);
	assert_int_equal(rt_info(0, PGA_ZONE_NORMAL).managed, 1536 - meta);
	assert_true(pga_pfn_valid(NEW_PFN + 2047));
	assert_true(
	    page_flag(pga_pfn_to_page(NEW_PFN + 2047), PGA_PG_reserved));
	assert_false(pga_pfn_valid(NEW_PFN + 2048));
	fx_assert_consistent();
}

static void bad_adds_change_nothing(void **state)
{
	struct pga_page_accounting a0 = rt_acct(), a1;
	struct pga_zone_info z0 = rt_info(0, PGA_ZONE_DMA32), z1;

	(void)state;
	fx_log_clear();
	assert_int_equal(pga_add_memory(MiB(64), MiB(128), 0), -PGA_EEXIST);
	assert_true(fx_log_contains("touches a section that already has"));
	assert_int_equal(pga_add_memory(MiB(32), MiB(4), 0), -PGA_EEXIST);
	assert_true(fx_log_contains("pfn 0x2000 is not offline memory"));
	assert_int_equal(pga_add_memory(NEW_BASE + 100, MiB(4), 0),
			 -PGA_EINVAL);
	assert_int_equal(pga_add_memory(NEW_BASE, 0, 0), -PGA_EINVAL);
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(4), PGA_CONFIG_MAX_NODES),
			 -PGA_EINVAL);
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(4), -1), -PGA_EINVAL);
	assert_int_equal(pga_add_memory((pga_paddr_t)1 << 40, MiB(4), 0),
			 -PGA_EINVAL);
	/* One page cannot hold its own memmap: nothing is published. */
	fx_log_clear();
	assert_int_equal(pga_add_memory(NEW_BASE, PGA_PAGE_SIZE, 0),
			 -PGA_ENOMEM);
	assert_true(fx_log_contains("too small to hold its own metadata"));
	assert_null(pga_sections[NEW_PFN / SECTION_PAGES].map);
	assert_false(pga_pfn_valid(NEW_PFN));
	pga_g.initialised = false;
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(4), 0), -PGA_EINVAL);
	pga_g.initialised = true;
	a1 = rt_acct();
	z1 = rt_info(0, PGA_ZONE_DMA32);
	assert_memory_equal(&a0, &a1, sizeof(a0));
	assert_memory_equal(&z0, &z1, sizeof(z0));
	assert_false(zone_populated(rt_zone(0, PGA_ZONE_NORMAL)));
	assert_int_equal(pga_nr_nodes(), 1);
	fx_assert_consistent();
	/* The same range, whole, still goes in. */
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 0), 0);
	fx_assert_consistent();
}

/* Offline part of the new zone: sizes, reserves and marks follow. */
static void offline_and_readd_round_trip(void **state)
{
	const pga_pfn_t s = NEW_PFN + 4 * PB, e = s + 8 * PB;
	unsigned long nr_free[PGA_NR_ORDERS];
	struct pga_zone_info n0, n1, d1;
	struct pga_page *got[64];
	int k = 0;

	(void)state;
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 0), 0);
	fx_nr_free(0, PGA_ZONE_NORMAL, nr_free);
	n0 = rt_info(0, PGA_ZONE_NORMAL);
	assert_int_equal(pga_offline_range(s, e - s), 0);
	n1 = rt_info(0, PGA_ZONE_NORMAL);
	d1 = rt_info(0, PGA_ZONE_DMA32);
	assert_int_equal(n1.managed, n0.managed - (e - s));
	assert_int_equal(n1.present, n0.present - (e - s));
	assert_int_equal(n1.free, n0.free - (e - s));
	assert_int_equal(n1.spanned, n0.spanned);
	assert_int_equal(d1.lowmem_reserve[PGA_ZONE_NORMAL], n1.managed / 256);
	assert_true(n1.wmark_min < n0.wmark_min);
	assert_int_equal(rt_acct().offline, e - s);
	assert_int_equal(rt_zone(0, PGA_ZONE_NORMAL)->nr_isolate_pageblock, 0);
	assert_true(pga_pfn_valid(s));
	assert_true(page_flag(pga_pfn_to_page(s + 7), PGA_PG_offline));
	fx_assert_consistent();
	/* Offline memory is never handed out. */
	while (k < 64 &&
	       (got[k] = pga_alloc_pages_node(
		    0, PGA_GFP_KERNEL | PGA_GFP_NOWARN | PGA_GFP_THISNODE, 10)))
		assert_true(pga_page_to_pfn(got[k++]) + 1024 <= s ||
			    pga_page_to_pfn(got[k - 1]) >= e);
	while (k--)
		pga_free_pages(got[k], 10);
	/* Re-add: the same free blocks, sizes and reserves as before. */
	assert_int_equal(pga_add_memory((pga_paddr_t)s << PGA_PAGE_SHIFT,
					(e - s) << PGA_PAGE_SHIFT, 0),
			 0);
	rt_assert_nr_free(0, PGA_ZONE_NORMAL, nr_free);
	n1 = rt_info(0, PGA_ZONE_NORMAL);
	assert_memory_equal(&n0, &n1, sizeof(n0));
	assert_int_equal(rt_acct().offline, 0);
	rt_assert_pageblocks(s, e, PGA_MIGRATE_MOVABLE);
	fx_assert_consistent();
}

/* Offline all of a hot-added section but its metadata, then re-add. */
static void offline_whole_hot_added_range(void **state)
{
	const pga_pfn_t end =
	    NEW_PFN + SECTION_PAGES - PB; /* below the memmap */
	unsigned long nr_free[PGA_NR_ORDERS];

	(void)state;
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 0), 0);
	fx_nr_free(0, PGA_ZONE_NORMAL, nr_free);
	assert_int_equal(pga_offline_range(NEW_PFN, end - NEW_PFN), 0);
	assert_int_equal(rt_info(0, PGA_ZONE_NORMAL).managed,
			 SECTION_PAGES - section_meta() - (end - NEW_PFN));
	fx_assert_consistent();
	assert_int_equal(
	    pga_add_memory(NEW_BASE, (end - NEW_PFN) << PGA_PAGE_SHIFT, 0), 0);
	rt_assert_nr_free(0, PGA_ZONE_NORMAL, nr_free);
	fx_assert_consistent();
}

/*
 * With page poisoning, memory that arrives (hot-add, re-add) and the
 * leftovers around a contiguous range are poisoned like any freed page:
 * handing them out reports no corruption.
 */
static void poisoned_memory_stays_clean(void **state)
{
	int n;

	(void)state;
	rt_boot_dma32(MiB(128), MiB(128), true);
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 0), 0);
	assert_int_equal(pga_offline_range(NEW_PFN, 4 * PB), 0);
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(8), 0), 0);
	assert_int_equal(pga_alloc_contig_range(BLK + 100, BLK + 300,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 0);
	pga_free_contig_range(BLK + 100, 200);
	n = mv_fill(PGA_GFP_HIGHUSER_MOVABLE, 0, MV_MAX_OWNERS);
	assert_true(n > 40000);
	assert_true(mv_verify());
	assert_false(fx_log_contains("pagealloc:"));
	mv_free_all();
	fx_assert_consistent();
}

static bool in_zonelist(int nid, const struct pga_zone *z)
{
	const struct pga_zoneref *zr =
	    pga_g.nodes[nid].node_zonelists[0].zonerefs;

	for (; zr->zone; zr++)
		if (zr->zone == z)
			return true;
	return false;
}

/* Offlining a whole zone drops it from the zonelists; re-adding restores. */
static void offline_empties_a_zone(void **state)
{
	const pga_pfn_t lim = PFN(MiB(300)); /* DMA32 ends here */
	struct pga_zone *d1 = rt_zone(1, PGA_ZONE_DMA32);

	(void)state;
	rt_boot_dma32(MiB(128), MiB(300), false);
	/* Node 1: DMA32 [256, 300) MiB, Normal above with all the metadata. */
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(128), 1), 0);
	assert_int_equal(rt_info(1, PGA_ZONE_DMA32).managed, lim - NEW_PFN);
	assert_true(in_zonelist(0, d1) && in_zonelist(1, d1));
	assert_int_equal(pga_offline_range(NEW_PFN, lim - NEW_PFN), 0);
	assert_false(zone_populated(d1));
	assert_false(in_zonelist(0, d1) || in_zonelist(1, d1));
	assert_true(pga_g.nodes[1].online);
	assert_null(pga_alloc_pages_node(
	    1, PGA_GFP_DMA32 | PGA_GFP_THISNODE | PGA_GFP_NOWARN, 0));
	fx_assert_consistent();
	assert_int_equal(pga_add_memory(NEW_BASE, MiB(44), 1), 0);
	assert_true(in_zonelist(0, d1) && in_zonelist(1, d1));
	assert_int_equal(rt_info(1, PGA_ZONE_DMA32).managed, lim - NEW_PFN);
	fx_assert_consistent();
}

static void offline_migrates_movable_pages(void **state)
{
	int n = mv_fill(PGA_GFP_HIGHUSER_MOVABLE, 0, MV_MAX_OWNERS);
	unsigned long owned;
	struct pga_page_accounting a0, a1;

	(void)state;
	for (int i = 0; i < n; i += 3)
		mv_free(i);
	owned = mv_in_range(BLK, BLK + 2 * PB);
	assert_true(owned > PB);
	a0 = rt_acct();
	assert_int_equal(pga_offline_range(BLK, 2 * PB), 0);
	assert_int_equal(mv_stats.moved, owned);
	assert_int_equal(mv_in_range(BLK, BLK + 2 * PB), 0);
	assert_true(mv_verify());
	a1 = rt_acct();
	assert_int_equal(a1.managed, a0.managed - 2 * PB);
	assert_int_equal(a1.allocated, a0.allocated);
	assert_int_equal(a1.offline, 2 * PB);
	fx_assert_consistent();
	assert_int_equal(pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT,
					(2 * PB) << PGA_PAGE_SHIFT, 0),
			 0);
	mv_free_all();
	assert_int_equal(rt_acct().allocated, 0);
	fx_assert_consistent();
}

static void offline_fails_and_restores(void **state)
{
	unsigned long nr_free[PGA_NR_ORDERS];
	struct pga_page_accounting a0, a1;
	struct pga_zone_info z0;
	int slot;

	(void)state;
	/* An unmovable page: refused at isolation, reported. */
	assert_int_equal(pga_alloc_contig_range(BLK + 5, BLK + 6,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL),
			 0);
	fx_nr_free(0, PGA_ZONE_DMA32, nr_free);
	z0 = rt_info(0, PGA_ZONE_DMA32);
	a0 = rt_acct();
	fx_log_clear();
	assert_int_equal(pga_offline_range(BLK, 2 * PB), -PGA_EBUSY);
	assert_true(fx_log_contains("unmovable page pfn 0x2005"));
	assert_true(fx_log_contains("offline of [0x2000, 0x2400) failed: -16"));
	rt_assert_pageblocks(BLK, BLK + 2 * PB, PGA_MIGRATE_MOVABLE);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, nr_free);
	a1 = rt_acct();
	assert_memory_equal(&a0, &a1, sizeof(a0));
	assert_int_equal(rt_info(0, PGA_ZONE_DMA32).managed, z0.managed);
	pga_free_contig_range(BLK + 5, 1);
	fx_assert_consistent();
	/* A pinned movable page: isolated, but it never moves. */
	slot = mv_alloc(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_true(slot >= 0);
	pga_get_page(mv_page(slot));
	a0 = rt_acct();
	{
		pga_pfn_t pfn = pga_page_to_pfn(mv_page(slot)) & ~(PB - 1);

		assert_int_equal(pga_offline_range(pfn, PB), -PGA_EBUSY);
		assert_int_equal(mv_stats.calls, 0);
		rt_assert_pageblocks(pfn, pfn + PB, PGA_MIGRATE_MOVABLE);
	}
	a1 = rt_acct();
	assert_int_equal(a1.managed, a0.managed);
	assert_int_equal(a1.allocated, a0.allocated);
	assert_int_equal(a1.offline, 0);
	pga_put_page(mv_page(slot));
	mv_free_all();
	fx_assert_consistent();
}

/* Offline next to a range another user keeps isolated. */
static void offline_beside_isolated_range(void **state)
{
	unsigned long nr_free[PGA_NR_ORDERS];

	(void)state;
	fx_nr_free(0, PGA_ZONE_DMA32, nr_free);
	assert_int_equal(
	    pga_isolate_range(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE, 0),
	    0);
	assert_int_equal(pga_offline_range(BLK, PB), 0);
	assert_int_equal(rt_acct().offline, PB);
	assert_int_equal(rt_acct().isolated, PB);
	assert_false(page_flag(pga_pfn_to_page(BLK + PB), PGA_PG_offline));
	rt_assert_pageblocks(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_ISOLATE);
	fx_assert_consistent();
	assert_int_equal(pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT,
					PB << PGA_PAGE_SHIFT, 0),
			 0);
	assert_int_equal(
	    pga_undo_isolate_range(BLK + PB, BLK + 2 * PB, PGA_MIGRATE_MOVABLE),
	    0);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, nr_free);
	fx_assert_consistent();
}

static void offline_bad_input(void **state)
{
	const pga_pfn_t top = PFN(MiB(128)); /* end of boot RAM */

	(void)state;
	fx_log_clear();
	assert_int_equal(pga_offline_range(BLK + 1, PB), -PGA_EINVAL);
	assert_true(fx_log_contains("not a pageblock-aligned range"));
	assert_int_equal(pga_offline_range(BLK, 0), -PGA_EINVAL);
	assert_int_equal(pga_offline_range(BLK, PB / 2), -PGA_EINVAL);
	assert_int_equal(pga_offline_range(top, PB), -PGA_EINVAL);
	/* pga's own metadata is reserved: never offlined. */
	fx_log_clear();
	assert_int_equal(pga_offline_range(top - PB, PB), -PGA_EBUSY);
	assert_true(fx_log_contains("unmovable page"));
	/* Twice, and the ways back that do not match. */
	assert_int_equal(pga_offline_range(BLK, 2 * PB), 0);
	fx_log_clear();
	assert_int_equal(pga_offline_range(BLK + PB, PB), -PGA_EINVAL);
	assert_true(fx_log_contains("is already offline"));
	assert_int_equal(
	    pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT, MiB(1), 0),
	    -PGA_EINVAL);
	assert_true(fx_log_contains("in whole pageblocks"));
	assert_int_equal(
	    pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT, MiB(4), 1),
	    -PGA_EINVAL);
	assert_true(fx_log_contains("was offlined from node 0, not 1"));
	assert_int_equal(
	    pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT, MiB(8), 0),
	    -PGA_EEXIST);
	assert_int_equal(
	    pga_isolate_range(BLK, BLK + PB, PGA_MIGRATE_MOVABLE, 0),
	    -PGA_EBUSY);
	/* Undo over offline pageblocks leaves them alone. */
	assert_int_equal(
	    pga_undo_isolate_range(BLK, BLK + 2 * PB, PGA_MIGRATE_MOVABLE), 0);
	rt_assert_pageblocks(BLK, BLK + 2 * PB, PGA_MIGRATE_ISOLATE);
	assert_int_equal(
	    pga_test_range_isolated(BLK, BLK + 2 * PB, PGA_ISOLATE_OFFLINE), 0);
	assert_int_equal(pga_test_range_isolated(BLK, BLK + 2 * PB, 0),
			 -PGA_EBUSY);
	fx_assert_consistent();
	assert_int_equal(
	    pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT, MiB(4), 0), 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(add_section_zone_normal, setup),
	    cmocka_unit_test_setup(new_zone_watermarks_apply, setup),
	    cmocka_unit_test_setup(add_new_node, setup),
	    cmocka_unit_test_setup(add_partial_section, setup),
	    cmocka_unit_test_setup(bad_adds_change_nothing, setup),
	    cmocka_unit_test_setup(offline_and_readd_round_trip, setup),
	    cmocka_unit_test_setup(offline_whole_hot_added_range, setup),
	    cmocka_unit_test(offline_empties_a_zone),
	    cmocka_unit_test(poisoned_memory_stays_clean),
	    cmocka_unit_test_setup(offline_migrates_movable_pages, setup),
	    cmocka_unit_test_setup(offline_fails_and_restores, setup),
	    cmocka_unit_test_setup(offline_beside_isolated_range, setup),
	    cmocka_unit_test_setup(offline_bad_input, setup),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
