/* SPDX-License-Identifier: MIT */
/*
 * Watermarks: min_free_kbytes, min/low/high/promo with the scale factor
 * and the HIGHMEM/MOVABLE rule, lowmem_reserve, totalreserve, boost,
 * every reduction of __zone_watermark_ok at its boundary, the per-order
 * list check, zone_watermark_fast and the sysctl-like setters.  Machines
 * are sized so zones manage exact page counts, as in the reference's
 * worked example.
 */
#include <stdlib.h>
#include <string.h>

#include "zones.h"

#define GIB_PAGES 262144UL /* 1 GiB of 4 KiB pages */
#define PB PGA_PAGEBLOCK_NR_PAGES

static struct pga_zone *normal(void)
{
	return zh_zone(0, PGA_ZONE_NORMAL);
}

/* One NORMAL zone managing exactly 1 GiB (the reference's example). */
static void init_1g(void)
{
	zh_init_normal(NULL, GiB(4), GIB_PAGES, NULL);
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
	assert_marks(normal(), 1024, 1286, 1548, 1810);
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
	{16, 512},	   {64, 1024},	      {256, 2048},
	{1024, 4096},	   {4096, 8192},      {8192, 11585},
	{16384, 16384},	   {65536, 32768},    {262144, 65536},
};

static void min_free_kbytes_formula(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mfk_table) / sizeof(mfk_table[0]); i++)
		assert_int_equal(pga_calc_min_free_kbytes(mfk_table[i].mib * 1024),
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
		assert_int_equal(pga_get_min_free_kbytes(), mfk_table[i].kbytes);
		/* pages_min = min_free_kbytes / 4, all in the one zone. */
		assert_int_equal(normal()->watermark[PGA_WMARK_MIN],
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
	zh_init_normal(NULL, GiB(4), 256 * GIB_PAGES, NULL);
	assert_int_equal(pga_get_min_free_kbytes(), 65536);
	/* pages_min 16384; delta = max(4096, 256 GiB * 10 / 10000). */
	assert_marks(normal(), 16384, 16384 + 67108, 16384 + 2 * 67108,
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
	zh_init_normal(&p, GiB(4), GIB_PAGES, NULL);
	assert_int_equal(pga_get_min_free_kbytes(), 100);
	assert_marks(normal(), 25, 25 + 262, 25 + 2 * 262, 25 + 3 * 262);
	/* Recomputed from (managed - high) * 4 KiB: sqrt(261595 * 64). */
	pga_watermark_recalc();
	assert_int_equal(pga_get_min_free_kbytes(), 4091);
	assert_int_equal(normal()->watermark[PGA_WMARK_MIN], 1022);
	/* 8192 > computed: kept on recomputation, with a report. */
	assert_int_equal(pga_set_min_free_kbytes(8192), 0);
	assert_marks(normal(), 2048, 2048 + 512, 2048 + 1024, 2048 + 1536);
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
	assert_int_equal(fx_init(&p, &(struct pga_mem_range){GiB(4), MiB(64), 0},
				 1, NULL, 0, NULL),
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
	assert_marks(normal(), 1024, 1024 + 78643, 1024 + 2 * 78643,
		     1024 + 3 * 78643);
	/* 262144 * 7 / 10000 = 183.5: mult_frac truncates. */
	assert_int_equal(pga_set_watermark_scale_factor(7), 0);
	assert_marks(normal(), 1024, 1024 + 256, 1024 + 512, 1024 + 768);
	assert_int_equal(pga_set_watermark_scale_factor(11), 0);
	assert_marks(normal(), 1024, 1024 + 288, 1024 + 576, 1024 + 864);
	/* Out of range: refused with a report, marks unchanged. */
	fx_log_clear();
	assert_int_equal(pga_set_watermark_scale_factor(0), -PGA_EINVAL);
	assert_int_equal(pga_set_watermark_scale_factor(3001), -PGA_EINVAL);
	assert_true(fx_log_contains("watermark_scale_factor 3001 refused"));
	assert_int_equal(normal()->watermark[PGA_WMARK_LOW], 1024 + 288);
	/* The same checks apply to the boot parameters. */
	fx_params(&p);
	p.watermark_scale_factor = 0;
	assert_int_equal(fx_init(&p, &(struct pga_mem_range){GiB(4), MiB(64), 0},
				 1, NULL, 0, NULL),
			 -PGA_EINVAL);
	p.watermark_scale_factor = 10;
	p.percpu_pagelist_high_fraction = 7;
	assert_int_equal(fx_init(&p, &(struct pga_mem_range){GiB(4), MiB(64), 0},
				 1, NULL, 0, NULL),
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
	r.size = (pga_paddr_t)zh_ram_pages(GiB(4), GIB_PAGES, movable, 2)
		 << PGA_PAGE_SHIFT;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	assert_int_equal(zone_managed(normal()), GIB_PAGES);
	assert_int_equal(zone_managed(zh_zone(0, PGA_ZONE_MOVABLE)), movable);
}

static void movable_min_rule(void **state)
{
	struct pga_zone *mov = zh_zone(0, PGA_ZONE_MOVABLE);

	(void)state;
	/* 64 MiB: 16 pages by size, clamped up to 32; tmp = 1024 / 16. */
	init_normal_movable(16384);
	assert_int_equal(pga_get_min_free_kbytes(), 4096);
	assert_marks(normal(), 1024, 1286, 1548, 1810);
	assert_marks(mov, 32, 32 + 16, 32 + 32, 32 + 48);
	/* 256 MiB: 64 by size; delta max(256 / 4, 65) = 65. */
	init_normal_movable(65536);
	assert_marks(mov, 64, 64 + 65, 64 + 130, 64 + 195);
	/* 1 GiB: 256 by size, clamped down to 128; delta uses tmp (1024). */
	init_normal_movable(GIB_PAGES);
	assert_marks(mov, 128, 128 + 262, 128 + 524, 128 + 786);
	/* lowmem_reserve: NORMAL keeps MOVABLE/32 from MOVABLE requests. */
	assert_int_equal(normal()->lowmem_reserve[PGA_ZONE_MOVABLE],
			 GIB_PAGES / 32);
	assert_int_equal(normal()->lowmem_reserve[PGA_ZONE_NORMAL], 0);
	/* totalreserve: min(high + biggest reserve, managed) per zone. */
	assert_int_equal(pga_g.totalreserve_pages,
			 (1548 + GIB_PAGES / 32) + (128 + 524));
	fx_assert_consistent();
}

/* DMA32 (512 MiB) + NORMAL (1 GiB) + MOVABLE: lowmem_reserve and effect. */
static void lowmem_reserve_layout(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
		{0, MiB(512), 0}, {GiB(4), GiB(1) + MiB(256), 0}};
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
	nn = zone_managed(normal());
	nm = zone_managed(mov);
	assert_int_equal(nd, 131072);
	assert_int_equal(nn, GIB_PAGES);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_DMA], 0);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_DMA32], 0);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_NORMAL], nn / 256);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_MOVABLE], (nn + nm) / 256);
	assert_int_equal(normal()->lowmem_reserve[PGA_ZONE_MOVABLE], nm / 32);
	for (int j = 0; j < PGA_MAX_NR_ZONES; j++)
		assert_int_equal(mov->lowmem_reserve[j], 0);
	/* Each zone reserves its high mark plus its largest lowmem reserve. */
	want = (d32->watermark[PGA_WMARK_HIGH] + (nn + nm) / 256) +
	       (normal()->watermark[PGA_WMARK_HIGH] + nm / 32) +
	       mov->watermark[PGA_WMARK_HIGH];
	assert_int_equal(pga_g.totalreserve_pages, want);
	assert_int_equal(pga_g.nodes[0].totalreserve_pages, want);
	/* Writing the ratios recomputes; 0 means no reserve. */
	assert_int_equal(pga_set_lowmem_reserve_ratio(ratio), 0);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_NORMAL], nn / 100);
	assert_int_equal(d32->lowmem_reserve[PGA_ZONE_MOVABLE], (nn + nm) / 100);
	assert_int_equal(normal()->lowmem_reserve[PGA_ZONE_MOVABLE], 0);
	assert_int_equal(pga_g.totalreserve_pages,
			 (d32->watermark[PGA_WMARK_HIGH] + (nn + nm) / 100) +
				 normal()->watermark[PGA_WMARK_HIGH] +
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
	const pga_gfp_t kernel_nb = (PGA_GFP_KERNEL & ~PGA_GFP_DIRECT_RECLAIM) |
				    PGA_GFP_NOWARN;
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
	assert_int_equal(reserve, zone_managed(normal()) / 256);
	nt = zh_drain_to(normal(), 0, taken, 1024);
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
		{NB, 1024, 1024},		     /* GFP_NOWAIT: none */
		{MR, 1024, 512},		     /* __GFP_HIGH: 50 % */
		{MR | NB, 1024, 384},		     /* GFP_ATOMIC: 37.5 % */
		{OOM, 1024, 512},		     /* OOM victim: 50 % */
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
	z = normal();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wm_case *c = &cases[i];

		assert_true(pga_zone_watermark_ok_free(z, 0, (unsigned long)c->mark,
						       PGA_ZONE_NORMAL, c->flags,
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
	assert_true(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL, NB,
					       1025));
	assert_true(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL,
					       PGA_ALLOC_HIGHATOMIC, 1025));
	assert_false(pga_zone_watermark_ok_free(z, 0, 1024, PGA_ZONE_NORMAL,
						PGA_ALLOC_CMA, 1025));
	z->nr_reserved_highatomic = 0;
	/* Free counts may go negative after the deductions. */
	assert_false(pga_zone_watermark_ok_free(z, 5, 0, PGA_ZONE_NORMAL, 0, 3));
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
	assert_int_equal(r, zone_managed(normal()) / 256);
	assert_true(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL, 0,
					       100 + r + 1));
	assert_false(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL, 0,
						100 + r));
	/* Reductions apply to the mark, never to the reserve. */
	assert_false(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL,
						PGA_ALLOC_MIN_RESERVE, 50 + r));
	assert_true(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_NORMAL,
					       PGA_ALLOC_MIN_RESERVE, 51 + r));
	assert_true(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_DMA32, 0,
					       101));
	assert_false(pga_zone_watermark_ok_free(d32, 0, 100, PGA_ZONE_DMA32, 0,
						100));
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
	z = normal();
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
	assert_true(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL, 0, lots));
	assert_false(pga_zone_watermark_ok_free(z, 4, 0, PGA_ZONE_NORMAL, 0,
						lots));
	retype_block(z, pfn, PGA_MIGRATE_HIGHATOMIC);
	assert_false(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL, 0,
						lots));
	assert_false(pga_zone_watermark_ok_free(z, 3, 0, PGA_ZONE_NORMAL,
						PGA_ALLOC_NON_BLOCK |
							PGA_ALLOC_MIN_RESERVE,
						lots));
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
	z = normal();
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
	z = normal();
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
	z = normal();
	flags = zone_lock(z);
	boosted = pga_boost_watermark_locked(z);
	zone_unlock(z, flags);
	assert_false(boosted);
	zh_init_normal(NULL, GiB(4), 4 * PB, NULL);
	z = normal();
	flags = zone_lock(z);
	boosted = pga_boost_watermark_locked(z);
	zone_unlock(z, flags);
	assert_true(boosted);
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
		cmocka_unit_test(reductions_at_boundaries),
		cmocka_unit_test(reserve_at_boundary),
		cmocka_unit_test(per_order_list_check),
		cmocka_unit_test(watermark_fast),
		cmocka_unit_test(boost_rules),
		cmocka_unit_test(mobility_grouping_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
