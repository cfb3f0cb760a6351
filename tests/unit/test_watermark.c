/* SPDX-License-Identifier: MIT */
/*
 * Setting the watermarks: min_free_kbytes, min/low/high/promo with the
 * scale factor and the HIGHMEM/MOVABLE rule, lowmem_reserve and its
 * effect, totalreserve, the mobility-grouping threshold and the
 * sysctl-like setters.  Machines are sized so zones manage exact page
 * counts, as in the reference's worked example.  (The checks against the
 * marks are in test_wmark_check.c.)
 */
#include <stdlib.h>
#include <string.h>

#include "zones.h"

#define PB PGA_PAGEBLOCK_NR_PAGES

/* One NORMAL zone managing exactly 1 GiB (the reference's example). */
static void init_1g(void)
{
	zh_init_normal(NULL, GiB(4), ZH_GIB_PAGES, NULL);
}

static void assert_marks(const struct pga_zone *z, unsigned long min,
			 unsigned long low, unsigned long high,
			 unsigned long promo)
{
	assert_int_equal(z->watermark[PGA_WMARK_MIN], min);
	assert_int_equal(z->watermark[PGA_WMARK_LOW], low);
	assert_int_equal(z->watermark[PGA_WMARK_HIGH], high);
	assert_int_equal(z->watermark[PGA_WMARK_PROMO], promo);
}

/* 1 GiB NORMAL: min_free_kbytes 4096 -> 1024 / 1286 / 1548 / 1810. */
static void worked_example(void **state)
{
	struct pga_zone_info info;

	(void)state;
	init_1g();
	assert_int_equal(pga_get_min_free_kbytes(), 4096);
	assert_marks(zh_normal(), 1024, 1286, 1548, 1810);
	assert_int_equal(pga_zone_get_info(0, PGA_ZONE_NORMAL, &info), 0);
	assert_int_equal(info.wmark_min, 1024);
	assert_int_equal(info.wmark_low, 1286);
	assert_int_equal(info.wmark_high, 1548);
	assert_int_equal(info.wmark_promo, 1810);
	assert_int_equal(info.boost, 0);
	/* totalreserve: the high mark (no lowmem reserve above NORMAL). */
	assert_int_equal(pga_g.totalreserve_pages, 1548);
	assert_int_equal(pga_g.nodes[0].totalreserve_pages, 1548);
	fx_assert_consistent();
}

struct mfk_row {
	unsigned long mib;
	int kbytes;
};

/* The reference's table, 16 MiB .. 256 GiB of low memory. */
static const struct mfk_row mfk_table[] = {
    {16, 512},	    {64, 1024},	    {256, 2048},
    {1024, 4096},   {4096, 8192},   {8192, 11585},
    {16384, 16384}, {65536, 32768}, {262144, 65536},
};

static void min_free_kbytes_formula(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mfk_table) / sizeof(mfk_table[0]); i++)
		assert_int_equal(
		    pga_calc_min_free_kbytes(mfk_table[i].mib * 1024),
		    mfk_table[i].kbytes);
	/* Clamped to 128 .. 262144; int_sqrt floors. */
	assert_int_equal(pga_calc_min_free_kbytes(0), 128);
	assert_int_equal(pga_calc_min_free_kbytes(1024), 128);
	assert_int_equal(pga_calc_min_free_kbytes(1024UL << 20), 131072);
	assert_int_equal(pga_calc_min_free_kbytes(1UL << 40), 262144);
	assert_int_equal(pga_calc_min_free_kbytes(16384 * 1024 - 1), 16383);
}

/* The same table on real machines, the sizes that fit in a test. */
static void min_free_kbytes_machines(void **state)
{
	(void)state;
	for (size_t i = 0; i < 7; i++) {
		zh_init_normal(NULL, GiB(4), mfk_table[i].mib * 256, NULL);
		assert_int_equal(pga_get_min_free_kbytes(),
				 mfk_table[i].kbytes);
		/* pages_min = min_free_kbytes / 4, all in the one zone. */
		assert_int_equal(zh_normal()->watermark[PGA_WMARK_MIN],
				 (unsigned long)mfk_table[i].kbytes / 4);
	}
	/* One page short of 16 GiB: the square root floors. */
	zh_init_normal(NULL, GiB(4), 16384 * 256UL - 1, NULL);
	assert_int_equal(pga_get_min_free_kbytes(), 16383);
}

/* 256 GiB of RAM (about 2 GiB of memmap): the largest row, for real. */
static void min_free_kbytes_256g(void **state)
{
	(void)state;
	zh_init_normal(NULL, GiB(4), 256 * ZH_GIB_PAGES, NULL);
	assert_int_equal(pga_get_min_free_kbytes(), 65536);
	/* pages_min 16384; delta = max(4096, 256 GiB * 10 / 10000). */
	assert_marks(zh_normal(), 16384, 16384 + 67108, 16384 + 2 * 67108,
		     16384 + 3 * 67108);
	fx_teardown();
}

/*
 * A user's value is applied like a sysctl write: it wins at boot even if
 * smaller; a later recomputation (memory added) replaces it only by a
 * larger computed value, and reports when it keeps it.
 */
static void user_min_free_kbytes(void **state)
{
	struct pga_params p;

	(void)state;
	fx_params(&p);
	p.min_free_kbytes = 100;
	zh_init_normal(&p, GiB(4), ZH_GIB_PAGES, NULL);
	assert_int_equal(pga_get_min_free_kbytes(), 100);
	assert_marks(zh_normal(), 25, 25 + 262, 25 + 2 * 262, 25 + 3 * 262);
	/* Recomputed from (managed - high) * 4 KiB: sqrt(261595 * 64). */
	pga_watermark_recalc();
	assert_int_equal(pga_get_min_free_kbytes(), 4091);
	assert_int_equal(zh_normal()->watermark[PGA_WMARK_MIN], 1022);
	/* 8192 > computed: kept on recomputation, with a report. */
	assert_int_equal(pga_set_min_free_kbytes(8192), 0);
	assert_marks(zh_normal(), 2048, 2048 + 512, 2048 + 1024, 2048 + 1536);
	fx_log_clear();
	pga_watermark_recalc();
	assert_int_equal(pga_get_min_free_kbytes(), 8192);
	assert_true(fx_log_contains("min_free_kbytes is not updated"));
	/* Bad values: refused, reported, nothing changes. */
	fx_log_clear();
	assert_int_equal(pga_set_min_free_kbytes(-1), -PGA_EINVAL);
	assert_true(fx_log_contains("min_free_kbytes -1 refused"));
	assert_int_equal(pga_get_min_free_kbytes(), 8192);
	p.min_free_kbytes = -2;
	assert_int_equal(fx_init(&p,
				 &(struct pga_mem_range){GiB(4), MiB(64), 0}, 1,
				 NULL, 0, NULL),
			 -PGA_EINVAL);
	assert_true(fx_log_contains("params.min_free_kbytes"));
}

/* watermark_scale_factor: delta = max(tmp/4, managed * factor / 10000). */
static void scale_factor(void **state)
{
	struct pga_params p;

	(void)state;
	init_1g();
	assert_int_equal(pga_set_watermark_scale_factor(3000), 0);
	assert_marks(zh_normal(), 1024, 1024 + 78643, 1024 + 2 * 78643,
		     1024 + 3 * 78643);
	/* 262144 * 7 / 10000 = 183.5: mult_frac truncates. */
	assert_int_equal(pga_set_watermark_scale_factor(7), 0);
	assert_marks(zh_normal(), 1024, 1024 + 256, 1024 + 512, 1024 + 768);
	assert_int_equal(pga_set_watermark_scale_factor(11), 0);
	assert_marks(zh_normal(), 1024, 1024 + 288, 1024 + 576, 1024 + 864);
	/* Out of range: refused with a report, marks unchanged. */
	fx_log_clear();
	assert_int_equal(pga_set_watermark_scale_factor(0), -PGA_EINVAL);
	assert_int_equal(pga_set_watermark_scale_factor(3001), -PGA_EINVAL);
	assert_true(fx_log_contains("watermark_scale_factor 3001 refused"));
	assert_int_equal(zh_normal()->watermark[PGA_WMARK_LOW], 1024 + 288);
	/* The same checks apply to the boot parameters. */
	fx_params(&p);
	p.watermark_scale_factor = 0;
	assert_int_equal(fx_init(&p,
				 &(struct pga_mem_range){GiB(4), MiB(64), 0}, 1,
				 NULL, 0, NULL),
			 -PGA_EINVAL);
	p.watermark_scale_factor = 10;
	p.percpu_pagelist_high_fraction = 7;
	assert_int_equal(fx_init(&p,
				 &(struct pga_mem_range){GiB(4), MiB(64), 0}, 1,
				 NULL, 0, NULL),
			 -PGA_EINVAL);
	assert_true(fx_log_contains("percpu_pagelist_high_fraction"));
}

/*
 * NORMAL managing exactly 1 GiB below a ZONE_MOVABLE of @movable pages:
 * lowmem is NORMAL only, MOVABLE's min is clamp(managed/1024, 32, 128).
 */
static void init_normal_movable(unsigned long movable)
{
	struct pga_params p;
	struct pga_mem_range r = {GiB(4), 0, 0};

	fx_params(&p);
	p.movable_start = GiB(5);
	r.size = (pga_paddr_t)zh_ram_pages(GiB(4), ZH_GIB_PAGES, movable, 2)
		 << PGA_PAGE_SHIFT;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	assert_int_equal(zone_managed(zh_normal()), ZH_GIB_PAGES);
	assert_int_equal(zone_managed(zh_zone(0, PGA_ZONE_MOVABLE)), movable);
}

static void movable_min_rule(void **state)
{
	struct pga_zone *mov = zh_zone(0, PGA_ZONE_MOVABLE);

	(void)state;
	/* 64 MiB: 16 pages by size, clamped up to 32; tmp = 1024 / 16. */
	init_normal_movable(16384);
	assert_int_equal(pga_get_min_free_kbytes(), 4096);
	assert_marks(zh_normal(), 1024, 1286, 1548, 1810);
	assert_marks(mov, 32, 32 + 16, 32 + 32, 32 + 48);
	/* 256 MiB: 64 by size; delta max(256 / 4, 65) = 65. */
	init_normal_movable(65536);
	assert_marks(mov, 64, 64 + 65, 64 + 130, 64 + 195);
	/* 1 GiB: 256 by size, clamped down to 128; delta uses tmp (1024). */
	init_normal_movable(ZH_GIB_PAGES);
	assert_marks(mov, 128, 128 + 262, 128 + 524, 128 + 786);
	/* lowmem_reserve: NORMAL keeps MOVABLE/32 from MOVABLE requests. */
	assert_int_equal(zh_normal()->lowmem_reserve[PGA_ZONE_MOVABLE],
			 ZH_GIB_PAGES / 32);
	assert_int_equal(zh_normal()->lowmem_reserve[PGA_ZONE_NORMAL], 0);
	/* totalreserve: min(high + biggest reserve, managed) per zone. */
	assert_int_equal(pga_g.totalreserve_pages,
			 (1548 + ZH_GIB_PAGES / 32) + (128 + 524));
	fx_assert_consistent();
}

/* DMA32 (512 MiB) + NORMAL (1 GiB) + MOVABLE: lowmem_reserve and effect. */
static void lowmem_reserve_layout(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{0, MiB(512), 0},
					    {GiB(4), GiB(1) + MiB(256), 0}};
	struct pga_zone *d32 = zh_zone(0, PGA_ZONE_DMA32);
	struct pga_zone *mov = zh_zone(0, PGA_ZONE_MOVABLE);
	unsigned long nd, nn, nm, want;
	const unsigned int ratio[PGA_MAX_NR_ZONES] = {256, 100, 0, 0};

	(void)state;
	fx_params(&p);
	p.dma_limit = PGA_ZONE_LIMIT_NONE;
	p.movable_start = GiB(5);
	assert_int_equal(fx_init(&p, ram, 2, NULL, 0, NULL), 0);
	nd = zone_managed(d32);
	nn = zone_managed(zh_normal());
	nm = zone_managed(mov);
	assert_int_equal(nd, 131072);
	assert_int_equal(nn, ZH_GIB_PAGES);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_DMA], 0);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_DMA32], 0);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_NORMAL], nn / 256);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_MOVABLE],
			 (nn + nm) / 256);
	assert_int_equal(zh_normal()->lowmem_reserve[PGA_ZONE_MOVABLE],
			 nm / 32);
	for (int j = 0; j < PGA_MAX_NR_ZONES; j++)
		assert_int_equal(mov->lowmem_reserve[j], 0);
	/* Each zone reserves its high mark plus its largest lowmem reserve. */
	want = (d32->watermark[PGA_WMARK_HIGH] + (nn + nm) / 256) +
	       (zh_normal()->watermark[PGA_WMARK_HIGH] + nm / 32) +
	       mov->watermark[PGA_WMARK_HIGH];
	assert_int_equal(pga_g.totalreserve_pages, want);
	assert_int_equal(pga_g.nodes[0].totalreserve_pages, want);
	/* Writing the ratios recomputes; 0 means no reserve. */
	assert_int_equal(pga_set_lowmem_reserve_ratio(ratio), 0);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_NORMAL], nn / 100);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_MOVABLE],
			 (nn + nm) / 100);
	assert_int_equal(zh_normal()->lowmem_reserve[PGA_ZONE_MOVABLE], 0);
	assert_int_equal(pga_g.totalreserve_pages,
			 (d32->watermark[PGA_WMARK_HIGH] + (nn + nm) / 100) +
			     zh_normal()->watermark[PGA_WMARK_HIGH] +
			     mov->watermark[PGA_WMARK_HIGH]);
	fx_log_clear();
	assert_int_equal(pga_set_lowmem_reserve_ratio(NULL), -PGA_EINVAL);
	assert_true(fx_log_contains("lowmem_reserve_ratio NULL"));
}

/*
 * The reserve protects DMA32 from requests that could use NORMAL: with
 * NORMAL empty, non-blocking GFP_KERNEL takes DMA32 down to min + the
 * reserve and no further; GFP_DMA32 may go on to min.
 */
static void lowmem_reserve_in_action(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{0, MiB(64), 0},
					    {GiB(4), MiB(256), 0}};
	struct pga_zone *d32 = zh_zone(0, PGA_ZONE_DMA32);
	const pga_gfp_t kernel_nb =
	    (PGA_GFP_KERNEL & ~PGA_GFP_DIRECT_RECLAIM) | PGA_GFP_NOWARN;
	static struct zh_block taken[1024];
	struct pga_page **pages = calloc(16384, sizeof(*pages));
	unsigned long n = 0, reserve, min;
	size_t nt;

	(void)state;
	fx_params(&p);
	p.dma_limit = PGA_ZONE_LIMIT_NONE;
	p.disable_pcp = true;
	assert_int_equal(fx_init(&p, ram, 2, NULL, 0, NULL), 0);
	reserve = (unsigned long)d32->lowmem_reserve[PGA_ZONE_NORMAL];
	min = d32->watermark[PGA_WMARK_MIN];
	assert_int_equal(reserve, zone_managed(zh_normal()) / 256);
	nt = zh_drain_to(zh_normal(), 0, taken, 1024);
	while ((pages[n] = pga_alloc_pages(kernel_nb, 0)) != NULL) {
		assert_int_equal(pga_page_zonenum(pages[n]), PGA_ZONE_DMA32);
		n++;
	}
	assert_int_equal(zh_free(d32), min + reserve);
	pages[n] = pga_alloc_pages(PGA_GFP_DMA32 | kernel_nb, 0);
	assert_non_null(pages[n]);
	n++;
	while (n)
		pga_free_page(pages[--n]);
	zh_release(taken, nt);
	free(pages);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/*
 * Grouping by mobility is off when the pages above the high marks are
 * fewer than a pageblock per migratetype (Linux build_all_zonelists).
 */
static void mobility_grouping_threshold(void **state)
{
	(void)state;
	zh_init_normal(NULL, GiB(4), PB * PGA_MIGRATE_TYPES, NULL);
	assert_false(pga_g.group_by_mobility_disabled);
	zh_init_normal(NULL, GiB(4), PB * PGA_MIGRATE_TYPES - 1, NULL);
	assert_true(pga_g.group_by_mobility_disabled);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(worked_example),
	    cmocka_unit_test(min_free_kbytes_formula),
	    cmocka_unit_test(min_free_kbytes_machines),
	    cmocka_unit_test(min_free_kbytes_256g),
	    cmocka_unit_test(user_min_free_kbytes),
	    cmocka_unit_test(scale_factor),
	    cmocka_unit_test(movable_min_rule),
	    cmocka_unit_test(lowmem_reserve_layout),
	    cmocka_unit_test(lowmem_reserve_in_action),
	    cmocka_unit_test(mobility_grouping_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
