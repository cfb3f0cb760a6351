/* SPDX-License-Identifier: MIT */
/* Public API: conversions, refcounts, compound pages, zeroing, split. */
#include <string.h>

#include "fixture.h"
#include "internal.h"

static int setup(void **state)
{
	(void)state;
	fx_init_simple(0, MiB(64));
	return 0;
}

static void conversions(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 2);
	pga_pfn_t pfn = pga_page_to_pfn(pg);
	void *va = pga_page_address(pg);

	(void)state;
	assert_ptr_equal(pga_pfn_to_page(pfn), pg);
	assert_int_equal(pga_page_to_phys(pg), pfn << PGA_PAGE_SHIFT);
	assert_ptr_equal(pga_phys_to_virt(pfn << PGA_PAGE_SHIFT), va);
	assert_int_equal(pga_virt_to_phys(va), pfn << PGA_PAGE_SHIFT);
	assert_ptr_equal(pga_virt_to_page((char *)va + 5000), pg + 1);
	assert_null(pga_pfn_to_page(PFN(MiB(64))));
	assert_null(pga_pfn_to_page((pga_pfn_t)1 << 60));
	assert_int_equal(pga_page_to_nid(pg), 0);
	pga_free_pages(pg, 2);
	fx_assert_consistent();
}

static void virt_api(void **state)
{
	uintptr_t a = pga_get_free_pages(PGA_GFP_KERNEL, 1);
	uintptr_t z;
	uintptr_t d;

	(void)state;
	assert_true(a != 0);
	memset((void *)a, 0x5a, 2 * PGA_PAGE_SIZE);
	pga_free_pages_va(a, 1);
	/* The same memory comes back zeroed when asked. */
	z = pga_get_zeroed_page(PGA_GFP_KERNEL);
	for (size_t i = 0; i < PGA_PAGE_SIZE; i++)
		assert_int_equal(((unsigned char *)z)[i], 0);
	pga_free_pages_va(z, 0);
	d = pga_get_dma_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_zonenum(pga_virt_to_page((void *)d)),
			 PGA_ZONE_DMA);
	pga_free_pages_va(d, 0);
	pga_free_pages_va(0, 3); /* ignored */
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

static void zeroing_high_order(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 3);
	unsigned char *va = pga_page_address(pg);

	(void)state;
	memset(va, 0xff, 8 * PGA_PAGE_SIZE);
	pga_free_pages(pg, 3);
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_ZERO, 3);
	va = pga_page_address(pg);
	for (size_t i = 0; i < 8 * PGA_PAGE_SIZE; i++)
		if (va[i])
			fail_msg("byte %zu not zero", i);
	pga_free_pages(pg, 3);
	fx_assert_consistent();
}

static void compound(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP, 4);

	(void)state;
	assert_true(pga_page_is_head(pg));
	assert_int_equal(pga_compound_order(pg), 4);
	for (int i = 1; i < 16; i++) {
		assert_true(pga_page_is_tail(pg + i));
		assert_ptr_equal(pga_compound_head(pg + i), pg);
		assert_int_equal(pga_page_count(pg + i), 1);
	}
	/* A reference through a tail counts on the head. */
	pga_get_page(pg + 7);
	assert_int_equal(pga_page_count(pg), 2);
	pga_put_page(pg + 3);
	assert_int_equal(pga_page_count(pg), 1);
	/* The last put frees the whole compound page at its order. */
	pga_put_page(pg + 9);
	assert_int_equal(fx_allocated_pages(), 0);
	assert_false(pga_page_is_head(pg));
	assert_false(pga_page_is_tail(pg + 1));
	fx_assert_consistent();
	/* Order 0 is never compound. */
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP, 0);
	assert_false(pga_page_is_head(pg));
	pga_free_pages(pg, 0);
}

/* __free_pages on a non-compound block with another holder of page 0. */
static void partial_free_with_extra_ref(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 3);
	struct pga_page_accounting before, after;

	(void)state;
	pga_page_accounting(&before);
	pga_get_page(pg);
	pga_free_pages(pg, 3);
	/* Pages 1..7 are free now (orders 2, 1, 0); page 0 still held. */
	pga_page_accounting(&after);
	assert_int_equal(after.allocated, before.allocated - 7);
	assert_int_equal(after.free + after.pcp, before.free + before.pcp + 7);
	assert_int_equal(fx_allocated_pages(), 1);
	assert_int_equal(pga_page_count(pg), 1);
	assert_int_equal(pga_page_count(pg + 4), 0);
	assert_int_equal(pga_page_count(pg + 1), 0);
	fx_assert_consistent();
	pga_put_page(pg);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

static void split(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 2);

	(void)state;
	pga_split_page(pg, 2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pga_page_count(pg + i), 1);
	/* Each page is now freed on its own, in any order. */
	pga_free_page(pg + 2);
	pga_free_page(pg);
	pga_free_page(pg + 3);
	assert_int_equal(fx_allocated_pages(), 1);
	pga_free_page(pg + 1);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
	/* split_page refuses compound pages. */
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP, 1);
	fx_log_clear();
	pga_split_page(pg, 1);
	assert_true(fx_log_contains("split_page"));
	assert_int_equal(pga_page_count(pg + 1), 1); /* via head */
	pga_free_pages(pg, 1);
	fx_assert_consistent();
}

/*
 * A second reference, then __free_pages: the tails go back at once and
 * only page 0 stays held (Linux 6.6), so splitting or freeing it at the
 * old order is refused and nothing free is handed out twice.
 */
static void split_after_tails_were_freed_is_refused(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 2);
	unsigned long held = fx_allocated_pages();

	(void)state;
	pga_get_page(pg);
	pga_free_pages(pg, 2);
	assert_int_equal(fx_allocated_pages(), held - 3);
	assert_int_equal(pga_page_count(pg + 1), 0);
	fx_log_clear();
	pga_split_page(pg, 2);
	assert_true(fx_log_contains("split_page"));
	assert_int_equal(pga_page_count(pg + 1), 0); /* still free */
	fx_log_clear();
	pga_free_pages(pg, 2);
	assert_true(fx_log_contains("allocated with order 0"));
	assert_int_equal(fx_allocated_pages(), held - 3);
	fx_assert_consistent();
	pga_put_page(pg); /* the last reference frees page 0, order 0 */
	assert_int_equal(fx_allocated_pages(), held - 4);
	fx_assert_consistent();
}

static void alloc_node_and_counts(void **state)
{
	struct pga_page *pg = pga_alloc_pages_node(0, PGA_GFP_KERNEL, 0);
	struct pga_page *any = pga_alloc_pages_node(PGA_NUMA_NO_NODE,
						    PGA_GFP_KERNEL, 0);

	(void)state;
	assert_non_null(pg);
	assert_non_null(any);
	assert_int_equal(pga_page_count(pg), 1);
	assert_int_equal(fx_allocated_pages(), 2);
	pga_free_page(pg);
	pga_free_page(any);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(conversions, setup),
		cmocka_unit_test_setup(virt_api, setup),
		cmocka_unit_test_setup(zeroing_high_order, setup),
		cmocka_unit_test_setup(compound, setup),
		cmocka_unit_test_setup(partial_free_with_extra_ref, setup),
		cmocka_unit_test_setup(split, setup),
		cmocka_unit_test_setup(split_after_tails_were_freed_is_refused, setup),
		cmocka_unit_test_setup(alloc_node_and_counts, setup),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
