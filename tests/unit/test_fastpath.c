/* SPDX-License-Identifier: MIT */
/*
 * get_page_from_freelist: the highest zone, ALLOC_NOFRAGMENT's two passes
 * and its restart when the walk reaches another node, the
 * ALLOC_NO_WATERMARKS bypass and pfmemalloc pages, __GFP_WRITE spreading,
 * prep_new_page, the new-page check, and the counters an allocation moves.
 */
#include <stdlib.h>
#include <string.h>

#include "zones.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define NB_KERNEL ((PGA_GFP_KERNEL & ~PGA_GFP_DIRECT_RECLAIM) | PGA_GFP_NOWARN)

static struct zh_block held[4096];
static size_t nheld;

static void hold_all(struct pga_zone *z)
{
	nheld += zh_drain_to(z, 0, held + nheld, 4096 - nheld);
}

static void release_all(void)
{
	zh_release(held, nheld);
	nheld = 0;
}

/*
 * Leave 300 free pages (256 + 32 + 8 + 4) at the start of @z's first
 * pageblock and nothing else, every pageblock MOVABLE: no free block of
 * pageblock size anywhere in @z.
 */
static pga_pfn_t fragment(struct pga_zone *z)
{
	pga_pfn_t start = z->zone_start_pfn;
	size_t i = nheld;

	hold_all(z);
	for (pga_pfn_t pfn = start; pfn < zone_end_pfn(z); pfn += PB)
		pga_pageblock_set_type(pfn, PGA_MIGRATE_MOVABLE);
	while (pga_page_to_pfn(held[i].page) != start)
		i++;
	pga_split_page(held[i].page, held[i].order);
	for (unsigned long k = 0; k < 300; k++)
		pga_free_page(pga_pfn_to_page(start + k));
	for (unsigned long k = 301; k < (1UL << held[i].order); k++) {
		assert_true(nheld < 4096);
		held[nheld].page = pga_pfn_to_page(start + k);
		held[nheld++].order = 0;
	}
	held[i].page = pga_pfn_to_page(start + 300);
	held[i].order = 0;
	return start;
}

/*
 * Node 0: 16 MiB at 0 (ZONE_DMA32 unless @dma32 is false, then ZONE_DMA)
 * and 32 MiB of ZONE_NORMAL at 4 GiB; with @node1, 32 MiB of NORMAL on
 * node 1 at 8 GiB.  Per-CPU lists off.
 */
static void init_machine(bool dma32, bool node1, const struct pga_hooks *h)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
	    {0, MiB(16), 0}, {GiB(4), MiB(32), 0}, {GiB(8), MiB(32), 1}};

	fx_params(&p);
	p.disable_pcp = true;
	if (dma32)
		p.dma_limit = PGA_ZONE_LIMIT_NONE;
	else
		p.dma32_limit = PGA_ZONE_LIMIT_NONE;
	assert_int_equal(fx_init(&p, ram, node1 ? 3 : 2, NULL, 0, h), 0);
	nheld = 0;
}

static struct pga_page *kernel_page(void)
{
	struct pga_page *pg = pga_alloc_pages(NB_KERNEL, 0);

	assert_non_null(pg);
	return pg;
}

/* A GFP_KERNEL page from the fast path alone (no slow path behind it). */
static struct pga_page *fast_kernel_page(void)
{
	struct pga_alloc_context ac;
	pga_nodemask_t mems;
	pga_gfp_t gfp;
	unsigned int flags;
	struct pga_page *pg;

	assert_true(pga_prepare_alloc(NB_KERNEL, 0, PGA_NUMA_NO_NODE, NULL, &ac,
				      &gfp, &flags, &mems));
	pg = pga_get_page_from_freelist(gfp, 0, flags, &ac);
	assert_non_null(pg);
	return pg;
}

/*
 * NOFRAGMENT (ZONE_DMA32 exists, one node): the first pass only steals
 * whole pageblocks, so a fragmented NORMAL zone is passed over for a
 * DMA32 pageblock; only when no zone has one is NORMAL fragmented.
 */
static void nofragment_first_pass(void **state)
{
	struct pga_zone *n = zh_zone(0, PGA_ZONE_NORMAL);
	struct pga_zone *d32 = zh_zone(0, PGA_ZONE_DMA32);
	struct pga_page *pg;
	pga_pfn_t start;

	(void)state;
	init_machine(true, false, NULL);
	start = fragment(n);
	pg = fast_kernel_page();
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_DMA32);
	assert_int_equal(pga_page_to_pfn(pg), d32->zone_start_pfn);
	assert_int_equal(get_pageblock_migratetype(start), PGA_MIGRATE_MOVABLE);
	assert_int_equal(n->watermark_boost, 0);
	pga_free_page(pg);
	/* No whole pageblock anywhere: the second pass fragments NORMAL. */
	fragment(d32);
	pg = fast_kernel_page();
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_NORMAL);
	assert_int_equal(pga_page_to_pfn(pg), start + 296);
	assert_int_equal(get_pageblock_migratetype(start),
			 PGA_MIGRATE_UNMOVABLE);
	assert_int_equal(n->watermark_boost, PB);
	pga_free_page(pg);
	release_all();
	fx_assert_consistent();
}

/* Without ZONE_DMA32 there is no NOFRAGMENT: NORMAL is fragmented first. */
static void no_dma32_no_nofragment(void **state)
{
	struct pga_zone *n = zh_zone(0, PGA_ZONE_NORMAL);
	struct pga_page *pg;
	pga_pfn_t start;

	(void)state;
	init_machine(false, false, NULL);
	start = fragment(n);
	pg = fast_kernel_page();
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_NORMAL);
	assert_int_equal(pga_page_to_pfn(pg), start + 296);
	pga_free_page(pg);
	release_all();
	fx_assert_consistent();
}

/*
 * Two nodes: NOFRAGMENT holds while the walk stays on the preferred node;
 * reaching node 1 it is dropped and the walk restarts, so node 0's NORMAL
 * zone is fragmented rather than node 1's free pageblocks used.
 */
static void nofragment_restarts_for_locality(void **state)
{
	struct pga_zone *n = zh_zone(0, PGA_ZONE_NORMAL);
	struct pga_page *pg;
	pga_pfn_t start;

	(void)state;
	init_machine(true, true, NULL);
	start = fragment(n);
	hold_all(zh_zone(0, PGA_ZONE_DMA32));
	pg = fast_kernel_page();
	assert_int_equal(pga_page_to_nid(pg), 0);
	assert_int_equal(pga_page_to_pfn(pg), start + 296);
	assert_int_equal(zh_free(zh_zone(1, PGA_ZONE_NORMAL)),
			 zone_managed(zh_zone(1, PGA_ZONE_NORMAL)));
	pga_free_page(pg);
	release_all();
	fx_assert_consistent();
}

/* The walk never goes above the gfp's highest zone. */
static void highest_zone_is_a_limit(void **state)
{
	struct pga_page *pg;

	(void)state;
	init_machine(true, false, NULL);
	hold_all(zh_zone(0, PGA_ZONE_DMA32));
	assert_null(pga_alloc_pages(NB_KERNEL | PGA_GFP_DMA32, 0));
	pg = kernel_page();
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_NORMAL);
	pga_free_page(pg);
	release_all();
	/* A lower zone serves when the highest one is empty. */
	init_machine(false, false, NULL);
	hold_all(zh_zone(0, PGA_ZONE_NORMAL));
	pg = kernel_page();
	assert_int_equal(pga_page_zonenum(pg), PGA_ZONE_DMA);
	pga_free_page(pg);
	release_all();
	fx_assert_consistent();
}

/*
 * ALLOC_NO_WATERMARKS takes pages below every mark and marks them
 * pfmemalloc; __GFP_MEMALLOC and PF_MEMALLOC grant it, NOMEMALLOC not.
 */
static void no_watermarks_and_pfmemalloc(void **state)
{
	struct pga_zone *n = zh_zone(0, PGA_ZONE_NORMAL);
	struct pga_page *pg, *normal;
	unsigned int saved;

	(void)state;
	init_machine(true, false, NULL);
	hold_all(zh_zone(0, PGA_ZONE_DMA32));
	normal = kernel_page();
	assert_false(pga_page_is_pfmemalloc(normal));
	nheld += zh_drain_to(n, 10, held + nheld, 4096 - nheld);
	assert_null(pga_alloc_pages(NB_KERNEL, 0));
	assert_null(pga_alloc_pages(PGA_GFP_ATOMIC | PGA_GFP_NOWARN, 0));
	pg = zh_take(n, 0, PGA_MIGRATE_UNMOVABLE, PGA_ALLOC_NO_WATERMARKS);
	assert_non_null(pg);
	assert_true(pga_page_is_pfmemalloc(pg));
	pga_free_page(pg);
	pg = pga_alloc_pages(NB_KERNEL | PGA_GFP_MEMALLOC, 0);
	assert_non_null(pg);
	assert_true(pga_page_is_pfmemalloc(pg));
	pga_free_page(pg);
	assert_null(pga_alloc_pages(
	    NB_KERNEL | PGA_GFP_MEMALLOC | PGA_GFP_NOMEMALLOC, 0));
	saved = pga_memalloc_noreclaim_save();
	pg = pga_alloc_pages(NB_KERNEL, 0);
	pga_memalloc_noreclaim_restore(saved);
	assert_non_null(pg);
	assert_true(pga_page_is_pfmemalloc(pg));
	pga_free_page(pg);
	pga_free_page(normal);
	release_all();
	/* The mark does not outlive the page. */
	pg = kernel_page();
	assert_false(pga_page_is_pfmemalloc(pg));
	pga_free_page(pg);
	fx_assert_consistent();
}

static pga_nodemask_t dirty_over;
static int dirty_calls[2];

static bool node_dirty_ok_hook(void *ctx, int nid)
{
	(void)ctx;
	dirty_calls[nid]++;
	return !pga_nodemask_test(&dirty_over, nid);
}

/*
 * __GFP_WRITE in the fast path skips nodes over their dirty limit, asking
 * the hook once per change of node; the slow path ignores the limits.
 */
static void dirty_spreading(void **state)
{
	struct pga_hooks h = fx_hooks();
	struct pga_page *pg;

	(void)state;
	h.node_dirty_ok = node_dirty_ok_hook;
	init_machine(false, true, &h);
	dirty_over = pga_nodemask_of(0);
	memset(dirty_calls, 0, sizeof(dirty_calls));
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_WRITE, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	/* NORMAL and DMA of node 0 (one question), NORMAL of node 1. */
	assert_int_equal(dirty_calls[0], 1);
	assert_int_equal(dirty_calls[1], 1);
	pga_free_page(pg);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 0);
	assert_int_equal(dirty_calls[0] + dirty_calls[1], 2);
	pga_free_page(pg);
	dirty_over.bits = 3;
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_WRITE, 0);
	assert_int_equal(pga_page_to_nid(pg), 0);
	pga_free_page(pg);
	/* NOFRAGMENT's restart walks node 0 again: asked again (Linux). */
	init_machine(true, true, &h);
	dirty_over = pga_nodemask_of(0);
	memset(dirty_calls, 0, sizeof(dirty_calls));
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_WRITE, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	assert_int_equal(dirty_calls[0], 2);
	assert_int_equal(dirty_calls[1], 2);
	pga_free_page(pg);
	/* Without the hook (the default) __GFP_WRITE changes nothing. */
	init_machine(true, true, NULL);
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_WRITE, 0);
	assert_int_equal(pga_page_to_nid(pg), 0);
	pga_free_page(pg);
	fx_assert_consistent();
}

static struct pga_trace_event last_alloc;

static void trace_hook(void *ctx, const struct pga_trace_event *ev)
{
	(void)ctx;
	if (ev->type == PGA_TRACE_MM_PAGE_ALLOC)
		last_alloc = *ev;
}

/* prep_new_page: refcount on the head only, compound metadata, zeroing. */
static void prep_new_page_rules(void **state)
{
	struct pga_hooks h = fx_hooks();
	struct pga_page *pg;
	pga_pfn_t pfn;

	(void)state;
	h.trace = trace_hook;
	init_machine(true, false, &h);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 3);
	pfn = pga_page_to_pfn(pg);
	assert_int_equal(last_alloc.pfn, pfn);
	assert_int_equal(last_alloc.order, 3);
	assert_int_equal(last_alloc.gfp, PGA_GFP_KERNEL);
	assert_int_equal(pga_page_count(pg), 1);
	for (int i = 1; i < 8; i++) {
		assert_int_equal(pga_atomic_read(&pg[i].refcount), 0);
		assert_false(pga_page_is_tail(&pg[i]));
	}
	assert_false(pga_page_is_head(pg));
	memset(pga_page_address(pg), 0xa5, 8 * PGA_PAGE_SIZE);
	pga_free_pages(pg, 3);
	/* The same block comes back: compound and zeroed as asked. */
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP | PGA_GFP_ZERO, 3);
	assert_int_equal(pga_page_to_pfn(pg), pfn);
	assert_true(pga_page_is_head(pg));
	assert_int_equal(pga_compound_order(pg), 3);
	for (int i = 1; i < 8; i++) {
		assert_true(pga_page_is_tail(&pg[i]));
		assert_ptr_equal(pga_compound_head(&pg[i]), pg);
		assert_int_equal(pga_atomic_read(&pg[i].refcount), 0);
	}
	for (size_t i = 0; i < 8 * PGA_PAGE_SIZE; i++)
		assert_int_equal(((unsigned char *)pga_page_address(pg))[i], 0);
	pga_free_pages(pg, 3);
	/* Order 0 is never compound. */
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP, 0);
	assert_false(pga_page_is_head(pg));
	pga_free_page(pg);
	fx_assert_consistent();
}

/*
 * A block whose descriptor was touched while free fails the new-page
 * check: reported, leaked on purpose, and the next block handed out.
 */
static void bad_new_page_skipped(void **state)
{
	struct pga_page_accounting a;
	struct pga_page *pg, *next;
	pga_pfn_t pfn;

	(void)state;
	init_machine(true, false, NULL);
	pg = kernel_page();
	pfn = pga_page_to_pfn(pg);
	pga_free_page(pg);
	pg->mapcount = 3; /* a stray write into a free descriptor */
	fx_log_clear();
	next = kernel_page();
	assert_int_equal(pga_page_to_pfn(next), pfn + 1);
	assert_true(fx_log_contains("Bad page state"));
	assert_true(fx_log_contains("PAGE_FLAGS_CHECK_AT_PREP"));
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 1);
	assert_int_equal(a.allocated, 1);
	pga_free_page(next);
	fx_assert_consistent();
}

/* Counters: pgalloc counts pages, NUMA statistics count allocations. */
static void allocation_counters(void **state)
{
	struct pga_zone *n = zh_zone(0, PGA_ZONE_NORMAL);
	unsigned long pages, hits, local;
	struct pga_page *pg;

	(void)state;
	init_machine(true, false, NULL);
	pages = pga_vm_event_sum(PGA_PGALLOC_NORMAL);
	hits = pga_zone_numa_stat(n, PGA_NUMA_HIT);
	local = pga_zone_numa_stat(n, PGA_NUMA_LOCAL);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 5);
	assert_int_equal(pga_vm_event_sum(PGA_PGALLOC_NORMAL), pages + 32);
	assert_int_equal(pga_zone_numa_stat(n, PGA_NUMA_HIT), hits + 1);
	assert_int_equal(pga_zone_numa_stat(n, PGA_NUMA_LOCAL), local + 1);
	pga_free_pages(pg, 5);
	/* __GFP_NOFAIL above order 1 is a caller bug worth a report. */
	fx_log_clear();
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOFAIL, 1);
	assert_int_equal(fx_log_count(), 0);
	pga_free_pages(pg, 1);
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOFAIL, 2);
	assert_true(fx_log_contains("__GFP_NOFAIL allocation of order 2"));
	pga_free_pages(pg, 2);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nofragment_first_pass),
	    cmocka_unit_test(no_dma32_no_nofragment),
	    cmocka_unit_test(nofragment_restarts_for_locality),
	    cmocka_unit_test(highest_zone_is_a_limit),
	    cmocka_unit_test(no_watermarks_and_pfmemalloc),
	    cmocka_unit_test(dirty_spreading),
	    cmocka_unit_test(prep_new_page_rules),
	    cmocka_unit_test(bad_new_page_skipped),
	    cmocka_unit_test(allocation_counters),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
