/* SPDX-License-Identifier: MIT */
/*
 * <pga/linux.h>: a caller written against Linux's page API, compiled
 * unchanged, plus the exact-size allocations and get_order.
 */
#include <string.h>

#include <pga/linux.h>

#include "zones.h"

/* ---- a Linux-style caller: only Linux names below ------------------- */

struct ring {
	struct page *pages;
	unsigned int order;
	void *buf;
	unsigned long scratch;
	void *exact;
};

static int ring_init(struct ring *r, size_t bytes)
{
	r->order = get_order(bytes);
	r->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_COMP, r->order);
	if (!r->pages)
		return -12;
	r->buf = page_address(r->pages);
	r->scratch = __get_free_page(GFP_NOWAIT | __GFP_NOWARN);
	if (!r->scratch) {
		__free_pages(r->pages, r->order);
		return -12;
	}
	r->exact = alloc_pages_exact(3 * PAGE_SIZE + 1, GFP_KERNEL);
	if (!r->exact) {
		free_page(r->scratch);
		__free_pages(r->pages, r->order);
		return -12;
	}
	return 0;
}

static void ring_exit(struct ring *r)
{
	free_pages_exact(r->exact, 3 * PAGE_SIZE + 1);
	free_page(r->scratch);
	__free_pages(r->pages, r->order);
}

static unsigned long io_bounce(gfp_t gfp)
{
	unsigned long dma = __get_dma_pages(gfp, 1);
	unsigned long zero = get_zeroed_page(gfp);
	struct page *p = virt_to_page((void *)dma);
	struct page *q = alloc_page(gfp);
	struct page *r = alloc_pages_node(NUMA_NO_NODE, gfp, 0);
	struct page *s = __alloc_pages(gfp, 2, 0, NULL);
	unsigned long pfn = page_to_pfn(p);
	unsigned long ok = p && q && r && s && zero;

	if (pfn_to_page(pfn) != p || page_to_nid(q) != 0)
		ok = 0;
	get_page(q);
	if (page_count(q) != 2)
		ok = 0;
	put_page(q);
	if (page_count(q) != 1)
		ok = 0;
	split_page(s, 2);
	for (int i = 0; i < 4; i++)
		__free_page(i & 1 ? s + i : nth_page(s, i));
	__free_page(r);
	__free_page(q);
	free_pages(zero, 0);
	free_pages(dma, 1);
	free_pages(0, 3); /* ignored, as in Linux */
	return ok;
}

static unsigned int nofs_section(void)
{
	unsigned int flags = memalloc_nofs_save();
	struct page *p = alloc_page(GFP_KERNEL);
	unsigned int ok = p != NULL;

	__free_page(p);
	memalloc_nofs_restore(flags);
	return ok && gfpflags_allow_blocking(GFP_KERNEL) &&
	       !gfpflags_allow_blocking(GFP_ATOMIC) &&
	       gfp_has_io_fs(GFP_KERNEL);
}

/* ---- the tests -------------------------------------------------------- */

static void linux_caller_runs(void **state)
{
	struct ring r = {0};

	(void)state;
	fx_init_simple(0, MiB(64));
	assert_int_equal(ring_init(&r, 5 * PAGE_SIZE), 0);
	assert_int_equal(r.order, 3);
	assert_true(pga_page_is_head(pga_from_linux(r.pages)));
	for (size_t i = 0; i < (PAGE_SIZE << r.order); i++)
		assert_int_equal(((unsigned char *)r.buf)[i], 0);
	assert_int_equal(fx_allocated_pages(), 8 + 1 + 4);
	ring_exit(&r);
	assert_int_not_equal(io_bounce(GFP_KERNEL), 0);
	assert_int_equal(nofs_section(), 1);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* Every Linux name has Linux 6.6's value. */
static void linux_values(void **state)
{
	(void)state;
	assert_int_equal(GFP_KERNEL, 0xcc0);
	assert_int_equal(GFP_ATOMIC, 0x820);
	assert_int_equal(GFP_NOWAIT, 0x800);
	assert_int_equal(GFP_NOIO, 0xc00);
	assert_int_equal(GFP_NOFS, 0xc40);
	assert_int_equal(GFP_USER, 0x100cc0);
	assert_int_equal(GFP_KERNEL_ACCOUNT, 0x400cc0);
	assert_int_equal(GFP_HIGHUSER, 0x100cc2);
	assert_int_equal(GFP_HIGHUSER_MOVABLE, 0x100cca);
	assert_int_equal(GFP_TRANSHUGE_LIGHT, 0x1c20ca);
	assert_int_equal(GFP_TRANSHUGE, 0x1c24ca);
	assert_int_equal(GFP_DMA | GFP_DMA32, 0x5);
	assert_int_equal(__GFP_RECLAIM, 0xc00);
	assert_int_equal(__GFP_MOVABLE | __GFP_RECLAIMABLE | __GFP_HIGH |
			     __GFP_IO | __GFP_FS | __GFP_ZERO,
			 0x1f8);
	assert_int_equal(__GFP_WRITE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL |
			     __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC |
			     __GFP_COMP | __GFP_NOMEMALLOC | __GFP_HARDWALL |
			     __GFP_THISNODE | __GFP_ACCOUNT | __GFP_ZEROTAGS,
			 0xfff000);
	assert_int_equal(__GFP_SKIP_ZERO | __GFP_SKIP_KASAN | __GFP_NOLOCKDEP,
			 0);
	assert_int_equal(__GFP_BITS_MASK, 0x3ffffff);
	assert_int_equal(GFP_ZONEMASK, 0xf);
	assert_int_equal(GFP_MOVABLE_MASK >> GFP_MOVABLE_SHIFT, 3);
	assert_int_equal(MAX_ORDER, 10);
	assert_int_equal(NR_PAGE_ORDERS, 11);
	assert_int_equal(PAGE_SIZE, 4096);
}

/* get_order: the smallest order that holds the size. */
static void get_order_values(void **state)
{
	(void)state;
	assert_int_equal(get_order(1), 0);
	assert_int_equal(get_order(PAGE_SIZE), 0);
	assert_int_equal(get_order(PAGE_SIZE + 1), 1);
	assert_int_equal(get_order(2 * PAGE_SIZE), 1);
	assert_int_equal(get_order(2 * PAGE_SIZE + 1), 2);
	assert_int_equal(get_order(1UL << 20), 8);
	assert_int_equal(get_order(4UL << 20), 10);
	assert_int_equal(get_order((4UL << 20) + 1), 11);
	assert_int_equal(get_order(0), 64 - PAGE_SHIFT);
}

/*
 * alloc_pages_exact(6 pages - 100 bytes): an order-3 block whose pages
 * 0..5 are kept (refcount 1 each) and 6, 7 go back to the buddy, to the
 * tail of the lists.
 */
static void exact_trims_tail(void **state)
{
	struct pga_params p;
	struct pga_zone *z;
	pga_pfn_t pfn;
	void *buf;
	struct pga_page *pg, *first;
	int mt;

	(void)state;
	fx_params(&p);
	p.disable_pcp = true;
	zh_init_normal(&p, GiB(4), 4096, NULL);
	z = zh_zone(0, PGA_ZONE_NORMAL);
	/* One page first, so the order-1 list already holds a block. */
	first = pga_alloc_page(PGA_GFP_KERNEL);
	buf = pga_alloc_pages_exact(6 * PGA_PAGE_SIZE - 100, PGA_GFP_KERNEL);
	assert_non_null(buf);
	pg = pga_virt_to_page(buf);
	pfn = pga_page_to_pfn(pg);
	assert_int_equal(pfn, pga_page_to_pfn(first) + 8);
	assert_int_equal(fx_allocated_pages(), 1 + 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(pga_page_count(pg + i), 1);
	mt = get_pageblock_migratetype(pfn);
	/* Pages 6 and 7 merged into an order-1 block at the list's tail. */
	assert_int_equal(zh_tail(z, 1, mt), pfn + 6);
	assert_int_equal(zh_head(z, 1, mt), pfn - 6);
	memset(buf, 0x5a, 6 * PGA_PAGE_SIZE - 100);
	pga_free_pages_exact(buf, 6 * PGA_PAGE_SIZE - 100);
	pga_free_page(first);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
	/* A whole power of two keeps everything. */
	buf = pga_alloc_pages_exact(4 * PGA_PAGE_SIZE, PGA_GFP_KERNEL);
	assert_int_equal(fx_allocated_pages(), 4);
	pga_free_pages_exact(buf, 4 * PGA_PAGE_SIZE);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* Bad input: COMP/HIGHMEM dropped with a report; size 0 refused. */
static void exact_bad_input(void **state)
{
	void *buf;

	(void)state;
	fx_init_simple(0, MiB(64));
	fx_log_clear();
	buf = pga_alloc_pages_exact(
	    3 * PGA_PAGE_SIZE, PGA_GFP_KERNEL | PGA_GFP_COMP | PGA_GFP_HIGHMEM);
	assert_non_null(buf);
	assert_true(fx_log_contains("__GFP_COMP and __GFP_HIGHMEM dropped"));
	assert_false(pga_page_is_head(pga_virt_to_page(buf)));
	assert_int_equal(fx_allocated_pages(), 3);
	pga_free_pages_exact(buf, 3 * PGA_PAGE_SIZE);
	fx_log_clear();
	assert_null(pga_alloc_pages_exact(0, PGA_GFP_KERNEL));
	assert_true(fx_log_contains("order 52 allocation refused"));
	assert_null(pga_alloc_pages_exact((PGA_PAGE_SIZE << PGA_MAX_ORDER) + 1,
					  PGA_GFP_KERNEL | PGA_GFP_NOWARN));
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(linux_caller_runs),
	    cmocka_unit_test(linux_values),
	    cmocka_unit_test(get_order_values),
	    cmocka_unit_test(exact_trims_tail),
	    cmocka_unit_test(exact_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
