/* SPDX-License-Identifier: MIT */
/* pga_init: ranges to nodes, zones, memmap and a seeded buddy. */
#include <string.h>

#include "expect.h"

static void zone_info(int nid, int zt, struct pga_zone_info *i)
{
	assert_int_equal(pga_zone_get_info(nid, (enum pga_zone_type)zt, i), 0);
}

static void assert_nr_free(int nid, int zt, const unsigned long *want)
{
	unsigned long got[PGA_NR_ORDERS];

	fx_nr_free(nid, zt, got);
	for (int o = 0; o <= PGA_MAX_ORDER; o++) {
		if (got[o] != want[o])
			fail_msg("node %d zone %d order %d: %lu free blocks, "
				 "expected %lu", nid, zt, o, got[o], want[o]);
	}
}

/* 64 MiB at 0: DMA below 16 MiB, DMA32 above; metadata from the top. */
static void simple_layout(void **state)
{
	struct pga_zone_info dma, dma32, normal;
	unsigned long want[PGA_NR_ORDERS] = {0};
	unsigned long carved = ex_memmap_pages(16384) + ex_pcp_pages(2, 1);

	(void)state;
	fx_init_simple(0, MiB(64));
	zone_info(0, PGA_ZONE_DMA, &dma);
	zone_info(0, PGA_ZONE_DMA32, &dma32);
	zone_info(0, PGA_ZONE_NORMAL, &normal);
	assert_int_equal(dma.start_pfn, 0);
	assert_int_equal(dma.spanned, 4096);
	assert_int_equal(dma.present, 4096);
	assert_int_equal(dma.managed, 4096);
	assert_int_equal(dma32.start_pfn, 4096);
	assert_int_equal(dma32.spanned, 12288);
	assert_int_equal(dma32.present, 12288);
	assert_int_equal(dma32.managed, 12288 - carved);
	assert_int_equal(normal.present, 0);
	assert_int_equal(pga_nr_nodes(), 1);
	/* The free pages are exactly the largest aligned blocks. */
	want[PGA_MAX_ORDER] = 4;
	assert_nr_free(0, PGA_ZONE_DMA, want);
	memset(want, 0, sizeof(want));
	ex_seed_blocks(4096, 16384 - carved, want);
	assert_nr_free(0, PGA_ZONE_DMA32, want);
	assert_int_equal(dma32.free, 12288 - carved);
	/* The carved metadata is reserved: descriptors exist, never free. */
	assert_true(pga_pfn_valid(16383));
	assert_false(pga_pfn_valid(16384));
	fx_assert_consistent();
}

/* The real e820 map of a 24 GiB machine, rounded inward like memblock. */
static void e820_layout(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
		{0x100000000ULL, 0x640000000ULL - 0x100000000ULL, 0},
		{0x0, 0x9f000, 0},
		{0x100000, 0xc0000000ULL - 0x100000, 0},
	};
	const struct pga_mem_range res[] = {
		{0x9f000, 0x100000 - 0x9f000, 0},     /* 0x9fc00-0xfffff */
		{0xeec00000ULL, 0xfec00000ULL - 0xeec00000ULL, 0},
		{0x1000000, 0x1000000, 0},	      /* a "kernel image" */
	};
	struct pga_zone_info dma, dma32, normal;
	unsigned long memmap = 0;

	(void)state;
	fx_params(&p);
	assert_int_equal(fx_init(&p, ram, 3, res, 3, NULL), 0);
	zone_info(0, PGA_ZONE_DMA, &dma);
	zone_info(0, PGA_ZONE_DMA32, &dma32);
	zone_info(0, PGA_ZONE_NORMAL, &normal);
	assert_int_equal(dma.start_pfn, 0);
	assert_int_equal(dma.spanned, 4096);
	assert_int_equal(dma.present, 0x9f + (0x1000 - 0x100));
	assert_int_equal(dma.managed, dma.present); /* metadata went high */
	assert_int_equal(dma32.start_pfn, 0x1000);
	assert_int_equal(dma32.present, 0xc0000 - 0x1000);
	assert_int_equal(dma32.spanned, 0xc0000 - 0x1000);
	assert_int_equal(dma32.managed, dma32.present - 0x1000);
	assert_int_equal(normal.start_pfn, 0x100000);
	assert_int_equal(normal.spanned, 0x540000);
	assert_int_equal(normal.present, 0x540000);
	/* Full sections only: 24 below 3 GiB, 168 from 4 to 25 GiB. */
	memmap = (24 + 168) * ex_memmap_pages(32768);
	assert_int_equal(normal.managed, normal.present - memmap -
						 ex_pcp_pages(3, 1));
	/* The 1 GiB hole below 4 GiB has no descriptors. */
	assert_false(pga_pfn_valid(0xd0000));
	assert_true(pga_pfn_valid(0x9f));  /* reserved, but described */
	assert_false(pga_pfn_valid(0x640000));
	fx_assert_consistent();
}

/* Unsorted ranges on two nodes with a hole between them. */
static void two_nodes_unsorted(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
		{GiB(5), GiB(1), 1},
		{0, MiB(512), 0},
		{GiB(4), GiB(1), 1},
		{MiB(512), MiB(512), 0},
	};
	struct pga_zone_info n0, n1;

	(void)state;
	fx_params(&p);
	assert_int_equal(fx_init(&p, ram, 4, NULL, 0, NULL), 0);
	assert_int_equal(pga_nr_nodes(), 2);
	zone_info(0, PGA_ZONE_DMA32, &n0);
	zone_info(1, PGA_ZONE_NORMAL, &n1);
	assert_int_equal(n0.present, PFN(GiB(1) - MiB(16)));
	assert_int_equal(n1.start_pfn, PFN(GiB(4)));
	assert_int_equal(n1.present, PFN(GiB(2)));
	/* Node 1's metadata came from node 1. */
	assert_int_equal(n1.managed, n1.present - 16 * ex_memmap_pages(32768) -
					     ex_pcp_pages(1, 1));
	fx_assert_consistent();
}

/* ZONE_MOVABLE from params.movable_start. */
static void movable_zone(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{GiB(4), GiB(1), 0}};
	struct pga_zone_info normal, movable;

	(void)state;
	fx_params(&p);
	p.movable_start = GiB(4) + MiB(512);
	assert_int_equal(fx_init(&p, ram, 1, NULL, 0, NULL), 0);
	zone_info(0, PGA_ZONE_NORMAL, &normal);
	zone_info(0, PGA_ZONE_MOVABLE, &movable);
	assert_int_equal(normal.present, PFN(MiB(512)));
	assert_int_equal(movable.start_pfn, PFN(GiB(4) + MiB(512)));
	assert_int_equal(movable.present, PFN(MiB(512)));
	/* Kernel allocations never land in ZONE_MOVABLE... */
	for (int i = 0; i < 64; i++) {
		struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 9);

		assert_non_null(pg);
		assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_NORMAL);
	}
	/* ...while HIGHUSER_MOVABLE starts there. */
	assert_int_equal(pga_page_zonenum(pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE)),
			 PGA_ZONE_MOVABLE);
	fx_assert_consistent();
}

/* arm64-like: no DMA zone, DMA32 up to 4 GiB. */
static void zone_limits_from_params(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{GiB(1), GiB(4), 0}};
	struct pga_zone_info dma, dma32, normal;

	(void)state;
	fx_params(&p);
	p.dma_limit = PGA_ZONE_LIMIT_NONE;
	assert_int_equal(fx_init(&p, ram, 1, NULL, 0, NULL), 0);
	zone_info(0, PGA_ZONE_DMA, &dma);
	zone_info(0, PGA_ZONE_DMA32, &dma32);
	zone_info(0, PGA_ZONE_NORMAL, &normal);
	assert_int_equal(dma.present, 0);
	assert_int_equal(dma32.start_pfn, PFN(GiB(1)));
	assert_int_equal(dma32.present, PFN(GiB(3)));
	assert_int_equal(normal.start_pfn, PFN(GiB(4)));
	/* __GFP_DMA falls back to NORMAL's table entry when DMA is absent. */
	assert_non_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_DMA, 0));
	fx_assert_consistent();
}

static void expect_einval(const struct pga_mem_range *ram, size_t n,
			  const struct pga_mem_range *res, size_t nres,
			  const char *log)
{
	struct pga_params p;

	fx_params(&p);
	assert_int_equal(fx_init(&p, ram, n, res, nres, NULL), -PGA_EINVAL);
	if (!fx_log_contains(log))
		fail_msg("expected log '%s', last was '%s'", log, fx_log_last());
	assert_null(pga_alloc_page(PGA_GFP_KERNEL));
}

static void bad_input(void **state)
{
	const struct pga_mem_range zero[] = {{0, 0, 0}};
	const struct pga_mem_range mis[] = {{0x800, MiB(4), 0}};
	const struct pga_mem_range mis_size[] = {{0, MiB(4) + 1, 0}};
	const struct pga_mem_range overlap[] = {{0, MiB(8), 0}, {MiB(4), MiB(8), 0}};
	const struct pga_mem_range node[] = {{0, MiB(8), PGA_CONFIG_MAX_NODES}};
	const struct pga_mem_range high[] = {
		{(pga_paddr_t)1 << PGA_CONFIG_MAX_PHYS_BITS, MiB(8), 0}};
	const struct pga_mem_range ok[] = {{0, MiB(8), 0}};
	const struct pga_mem_range badres[] = {{0x10, 0x1000, 0}};
	struct pga_params p;

	(void)state;
	expect_einval(NULL, 0, NULL, 0, "no RAM");
	expect_einval(zero, 1, NULL, 0, "size 0");
	expect_einval(mis, 1, NULL, 0, "not page aligned");
	expect_einval(mis_size, 1, NULL, 0, "not page aligned");
	expect_einval(overlap, 2, NULL, 0, "overlap");
	expect_einval(node, 1, NULL, 0, "node");
	expect_einval(high, 1, NULL, 0, "physical bits");
	expect_einval(ok, 1, badres, 1, "not page aligned");
	fx_params(&p);
	p.nr_cpus = 0;
	assert_int_equal(fx_init(&p, ok, 1, NULL, 0, NULL), -PGA_EINVAL);
	assert_true(fx_log_contains("nr_cpus"));
	fx_params(&p);
	p.nr_cpus = 2;
	p.cpu_to_node[1] = PGA_CONFIG_MAX_NODES;
	assert_int_equal(fx_init(&p, ok, 1, NULL, 0, NULL), -PGA_EINVAL);
	/* Reserved covering all RAM leaves no room for the memmap. */
	{
		const struct pga_mem_range all[] = {{0, MiB(8), 0}};

		fx_params(&p);
		assert_int_equal(fx_init(&p, ok, 1, all, 1, NULL), -PGA_ENOMEM);
		assert_true(fx_log_contains("memmap"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simple_layout),
		cmocka_unit_test(e820_layout),
		cmocka_unit_test(two_nodes_unsorted),
		cmocka_unit_test(movable_zone),
		cmocka_unit_test(zone_limits_from_params),
		cmocka_unit_test(bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
