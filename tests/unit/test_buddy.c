/* SPDX-License-Identifier: MIT */
/* Buddy core: which pfn comes back, split, merge, list placement, edges. */
#include <string.h>

#include "expect.h"
#include "internal.h"

#define BASE PFN(GiB(4))

/* 16 MiB of ZONE_NORMAL at 4 GiB, pcp disabled so the buddy is exposed. */
static void init16(pga_paddr_t movable_start)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{GiB(4), MiB(16), 0}};

	fx_params(&p);
	p.disable_pcp = true;
	p.movable_start = movable_start;
	assert_int_equal(fx_init(&p, ram, 1, NULL, 0, NULL), 0);
}

static struct pga_zone *zone(int zt)
{
	return &pga_g.nodes[0].node_zones[zt];
}

static pga_pfn_t head_pfn(int zt, unsigned int o, int mt)
{
	struct pga_list_head *l = &zone(zt)->free_area[o].free_list[mt];

	return list_empty(l) ? 0 : page_pfn(list_first_page(l));
}

static pga_pfn_t tail_pfn(int zt, unsigned int o, int mt)
{
	struct pga_list_head *l = &zone(zt)->free_area[o].free_list[mt];

	return list_empty(l) ? 0 : page_pfn(list_last_page(l));
}

static unsigned long free_end(void)
{
	return BASE + 4096 - ex_memmap_pages(4096) - ex_pcp_pages(1, 1);
}

/* Allocation takes the smallest block, splits it and returns its start. */
static void split_and_merge_every_order(void **state)
{
	(void)state;
	for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++) {
		unsigned long before[PGA_NR_ORDERS], after[PGA_NR_ORDERS];
		unsigned int src = o;
		pga_pfn_t want;
		struct pga_page *pg;

		init16(0);
		fx_nr_free(0, PGA_ZONE_NORMAL, before);
		while (!before[src])
			src++;
		want = head_pfn(PGA_ZONE_NORMAL, src, PGA_MIGRATE_MOVABLE);
		pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, o);
		assert_non_null(pg);
		assert_int_equal(pga_page_to_pfn(pg), want);
		fx_nr_free(0, PGA_ZONE_NORMAL, after);
		for (unsigned int i = 0; i <= PGA_MAX_ORDER; i++) {
			long d = (i == src) ? -1 : (i >= o && i < src) ? 1 : 0;

			assert_int_equal(after[i], before[i] + d);
		}
		/* Upper halves went to the list heads. */
		for (unsigned int i = o; i < src; i++)
			assert_int_equal(head_pfn(PGA_ZONE_NORMAL, i,
						  PGA_MIGRATE_MOVABLE),
					 want + (1UL << i));
		fx_assert_consistent();
		pga_free_pages(pg, o);
		fx_nr_free(0, PGA_ZONE_NORMAL, after);
		assert_memory_equal(after, before, sizeof(before));
		fx_assert_consistent();
	}
}

/* The seeded layout: largest aligned blocks, each list ascending. */
static void seeded_layout(void **state)
{
	unsigned long want[PGA_NR_ORDERS] = {0}, got[PGA_NR_ORDERS];

	(void)state;
	init16(0);
	ex_seed_blocks(BASE, free_end(), want);
	fx_nr_free(0, PGA_ZONE_NORMAL, got);
	assert_memory_equal(got, want, sizeof(got));
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 10, PGA_MIGRATE_MOVABLE), BASE);
	assert_int_equal(tail_pfn(PGA_ZONE_NORMAL, 10, PGA_MIGRATE_MOVABLE),
			 BASE + 2048);
}

/* Sequential order-0 kernel allocations walk up from the lowest pfn. */
static void sequential_pfns_and_steal(void **state)
{
	struct pga_page *pg[8];

	(void)state;
	init16(0);
	for (int i = 0; i < 8; i++) {
		pg[i] = pga_alloc_page(PGA_GFP_KERNEL);
		assert_non_null(pg[i]);
		assert_int_equal(pga_page_to_pfn(pg[i]), BASE + (pga_pfn_t)i);
	}
	/* The whole order-10 block was claimed: both pageblocks unmovable. */
	assert_int_equal(get_pageblock_migratetype(BASE), PGA_MIGRATE_UNMOVABLE);
	assert_int_equal(get_pageblock_migratetype(BASE + 512),
			 PGA_MIGRATE_UNMOVABLE);
	assert_int_equal(get_pageblock_migratetype(BASE + 1024),
			 PGA_MIGRATE_MOVABLE);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 9, PGA_MIGRATE_UNMOVABLE),
			 BASE + 512);
	fx_assert_consistent();
	for (int i = 0; i < 8; i++)
		pga_free_page(pg[i]);
	fx_assert_consistent();
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 10, PGA_MIGRATE_UNMOVABLE), BASE);
}

/*
 * A freed block whose parent's buddy is free goes to the tail (a merge is
 * likely soon), otherwise to the head.
 */
static void merge_likely_placement(void **state)
{
	struct pga_page *pg[8];

	(void)state;
	init16(0);
	for (int i = 0; i < 8; i++)
		pg[i] = pga_alloc_page(PGA_GFP_KERNEL); /* BASE + i */
	/* BASE+4 and +5 merge; BASE's order-1 block is busy: head. */
	pga_free_page(pg[4]);
	pga_free_page(pg[5]);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 1, PGA_MIGRATE_UNMOVABLE),
			 BASE + 4);
	/* BASE and BASE+2: their parents' buddies are busy: head. */
	pga_free_page(pg[0]);
	pga_free_page(pg[2]);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 0, PGA_MIGRATE_UNMOVABLE),
			 BASE + 2);
	assert_int_equal(tail_pfn(PGA_ZONE_NORMAL, 0, PGA_MIGRATE_UNMOVABLE),
			 BASE);
	/* BASE+6: its parent BASE+6/o1 has the free buddy BASE+4/o1: tail. */
	pga_free_page(pg[6]);
	assert_int_equal(tail_pfn(PGA_ZONE_NORMAL, 0, PGA_MIGRATE_UNMOVABLE),
			 BASE + 6);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 0, PGA_MIGRATE_UNMOVABLE),
			 BASE + 2);
	pga_free_page(pg[1]);
	pga_free_page(pg[3]);
	pga_free_page(pg[7]);
	fx_assert_consistent();
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 10, PGA_MIGRATE_UNMOVABLE), BASE);
}

/* Blocks on both sides of a zone boundary never merge. */
static void zone_edge(void **state)
{
	pga_pfn_t edge = BASE + 0x810;
	struct pga_page *pg;

	(void)state;
	init16(GiB(4) + ((pga_paddr_t)0x810 << PGA_PAGE_SHIFT));
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 4, PGA_MIGRATE_MOVABLE),
			 edge - 16);
	assert_int_equal(head_pfn(PGA_ZONE_MOVABLE, 4, PGA_MIGRATE_MOVABLE), edge);
	/* Take the edge block of ZONE_MOVABLE and give it back: no merge
	 * with its pfn buddy edge-16, which lives in ZONE_NORMAL. */
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 4);
	assert_int_equal(pga_page_to_pfn(pg), edge);
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_MOVABLE);
	pga_free_pages(pg, 4);
	assert_int_equal(head_pfn(PGA_ZONE_MOVABLE, 4, PGA_MIGRATE_MOVABLE), edge);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 4, PGA_MIGRATE_MOVABLE),
			 edge - 16);
	fx_assert_consistent();
}

/* A hole beside a block stops merging. */
static void beside_hole(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
		{GiB(4), MiB(8), 0},
		{GiB(4) + MiB(8) + 4096, MiB(8) - 4096, 0},
	};
	pga_pfn_t after = BASE + 0x801;
	struct pga_page *pg;

	(void)state;
	fx_params(&p);
	p.disable_pcp = true;
	assert_int_equal(fx_init(&p, ram, 2, NULL, 0, NULL), 0);
	assert_false(pga_pfn_valid(BASE + 0x800) &&
		     !page_flag(pfn_page(BASE + 0x800), PGA_PG_reserved));
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 0, PGA_MIGRATE_MOVABLE), after);
	pg = pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE);
	assert_int_equal(pga_page_to_pfn(pg), after);
	pga_free_page(pg);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 0, PGA_MIGRATE_MOVABLE), after);
	assert_int_equal(pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL].free_area[0].nr_free,
			 1);
	fx_assert_consistent();
}

/* At pageblock order, blocks of a HIGHATOMIC (or CMA, ISOLATE) pageblock
 * merge only with their own type. */
static void pageblock_merge_exception(void **state)
{
	struct pga_zone *z;
	struct pga_page *pg;
	pga_pfn_t pfn;
	unsigned long flags;

	(void)state;
	init16(0);
	z = zone(PGA_ZONE_NORMAL);
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 10);
	pfn = pga_page_to_pfn(pg);
	pga_pageblock_set_type(pfn + 512, PGA_MIGRATE_HIGHATOMIC);
	pga_atomic_set(&pg->refcount, 0);
	flags = zone_lock(z);
	pga_account_alloc_irqoff(z, 0, -1024);
	pga_buddy_free_one_page_locked(z, pg, pfn, 9, PGA_MIGRATE_MOVABLE, 0);
	pga_buddy_free_one_page_locked(z, pg + 512, pfn + 512, 9,
				       PGA_MIGRATE_HIGHATOMIC, 0);
	zone_unlock(z, flags);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 9, PGA_MIGRATE_HIGHATOMIC),
			 pfn + 512);
	assert_int_equal(head_pfn(PGA_ZONE_NORMAL, 9, PGA_MIGRATE_MOVABLE), pfn);
	fx_assert_consistent();
	/* Give the block its type back: the two merge on the next free. */
	flags = zone_lock(z);
	pga_buddy_del_page_locked(z, pg + 512, 9);
	pga_buddy_account_free(z, -512, PGA_MIGRATE_HIGHATOMIC);
	pga_pageblock_set_type(pfn + 512, PGA_MIGRATE_MOVABLE);
	pga_buddy_free_one_page_locked(z, pg + 512, pfn + 512, 9,
				       PGA_MIGRATE_MOVABLE, 0);
	zone_unlock(z, flags);
	assert_true(page_flag(pg, PGA_PG_buddy));
	assert_int_equal(pg->private, 10);
	fx_assert_consistent();
}

/* pga_check() notices corruption and says what it is. */
static void check_detects_corruption(void **state)
{
	char report[256];
	struct pga_zone *z;

	(void)state;
	init16(0);
	z = zone(PGA_ZONE_NORMAL);
	z->free_area[3].nr_free++;
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "order 3: nr_free"));
	z->free_area[3].nr_free--;
	zone_stat_add(z, PGA_NR_FREE_PAGES, 1);
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "NR_FREE_PAGES"));
	zone_stat_add(z, PGA_NR_FREE_PAGES, -1);
	pga_account_alloc_irqoff(z, 0, 1);
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "!= managed"));
	pga_account_alloc_irqoff(z, 0, -1);
	pfn_page(BASE + 5)->flags |= PGA_PAGE_FLAG(PGA_PG_buddy);
	assert_int_equal(pga_check(report, sizeof(report)), -PGA_EINVAL);
	assert_non_null(strstr(report, "marked buddy"));
	pfn_page(BASE + 5)->flags &= ~PGA_PAGE_FLAG(PGA_PG_buddy);
	assert_int_equal(pga_check(report, sizeof(report)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_and_merge_every_order),
		cmocka_unit_test(seeded_layout),
		cmocka_unit_test(sequential_pfns_and_steal),
		cmocka_unit_test(merge_likely_placement),
		cmocka_unit_test(zone_edge),
		cmocka_unit_test(beside_hole),
		cmocka_unit_test(pageblock_merge_exception),
		cmocka_unit_test(check_detects_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
