/* SPDX-License-Identifier: MIT */
/*
 * The misuse catalogue: every kind of bad input gets a defined answer
 * (NULL, an error code or nothing done) and a report through the log hook
 * naming the pfn, order and reason; afterwards pga_check() passes and no
 * page is lost (expect_report checks both).  Kinds covered:
 *  1 order above MAX_ORDER            2 impossible zone combination
 *  3 both mobility bits               4 node that does not exist
 *  5 double free                      6 free of a pointer pga never gave
 *  7 free of reserved memory          8 free of an address outside RAM
 *  9 free with an order above MAX     10 free of a compound tail page
 * 11 free while still mapped          12 free with the wrong order
 * 13 free with buddy/reserved flags   14 compound tail corrupted
 * 15 refree of a quarantined page     16 get_page on a free page
 * 17 put_page on a free page          18 unknown CPU id
 * 19 allocation before pga_init       20 write after free (poisoning,
 *    test_debug.c)                    21 descriptor scribbled while free
 *    (test_debug.c)
 */
#include <string.h>

#include "fixture.h"
#include "internal.h"

static int setup(void **state)
{
	(void)state;
	fx_init_simple(0, MiB(64));
	return 0;
}

static void expect_report(const char *needle)
{
	if (!fx_log_contains(needle))
		fail_msg("expected a report containing '%s'; last: '%s'",
			 needle, fx_log_last());
	fx_log_clear();
	fx_assert_consistent();
}

static void bad_order(void **state)
{
	(void)state;
	fx_log_clear();
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL, PGA_MAX_ORDER + 1));
	expect_report("order 11 allocation refused");
	/* NOWARN silences the report but the answer is the same. */
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 64));
	assert_int_equal(fx_log_count(), 0);
}

static void bad_gfp(void **state)
{
	/* Every GFP_ZONE_BAD combination is refused, never a silent zone 0. */
	(void)state;
	for (unsigned int b = 0; b < 16; b++) {
		struct pga_page *pg;

		fx_log_clear();
		pg = pga_alloc_pages(PGA_GFP_KERNEL | b, 0);
		if ((PGA_GFP_ZONE_BAD >> b) & 1) {
			assert_null(pg);
			expect_report("impossible zone combination");
		} else {
			assert_non_null(pg);
			pga_free_page(pg);
		}
	}
	fx_log_clear();
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_MOVABLE |
					    PGA_GFP_RECLAIMABLE, 0));
	expect_report("both MOVABLE and RECLAIMABLE");
}

static void bad_node(void **state)
{
	(void)state;
	fx_log_clear();
	assert_null(pga_alloc_pages_node(5, PGA_GFP_KERNEL, 0));
	expect_report("node 5");
	assert_null(pga_alloc_pages_node(-7, PGA_GFP_KERNEL, 0));
	expect_report("node -7");
}

static void double_free(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 1);

	(void)state;
	pga_free_pages(pg, 1);
	fx_log_clear();
	pga_free_pages(pg, 1);
	expect_report("double free");
	assert_int_equal(fx_allocated_pages(), 0);
}

static void free_unmanaged(void **state)
{
	struct pga_page fake;
	struct pga_page *reserved = pga_pfn_to_page(PFN(MiB(64)) - 1);

	(void)state;
	memset(&fake, 0, sizeof(fake));
	fx_log_clear();
	pga_free_pages(&fake, 0);
	expect_report("not a page pga manages");
	/* The memmap's own last page is reserved, not managed. */
	assert_non_null(reserved);
	pga_free_pages(reserved, 0);
	expect_report("free of reserved pfn");
	pga_free_pages_va((uintptr_t)pga_phys_to_virt(MiB(900)), 0);
	expect_report("not in memory pga manages");
	pga_free_pages(NULL, 0); /* ignored, like Linux */
	assert_int_equal(fx_log_count(), 0);
}

static void free_bad_order_and_tail(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP, 2);

	(void)state;
	fx_log_clear();
	pga_free_pages(pg, PGA_MAX_ORDER + 1);
	expect_report("with order 11");
	pga_free_pages(pg + 1, 0);
	expect_report("tail page");
	assert_int_equal(pga_page_count(pg), 1);
	pga_free_pages(pg, 2);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* A page freed while still mapped is quarantined, never reused. */
static void bad_page_quarantined(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	struct pga_page_accounting a;

	(void)state;
	pg->mapcount = 1;
	fx_log_clear();
	pga_free_pages(pg, 0);
	expect_report("nonzero mapcount");
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 1);
	assert_int_equal(a.allocated, 0);
	/* Freeing it again is refused: it is quarantined. */
	pga_free_pages(pg, 0);
	expect_report("free of quarantined pfn 0x");
}

static void wrong_order_and_flags(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 2);
	struct pga_page_accounting a;

	(void)state;
	fx_log_clear();
	pga_free_pages(pg, 1);
	expect_report("with order 1, allocated with order 2");
	assert_int_equal(pga_page_count(pg), 1);
	/* A page that claims to be free while allocated is bad. */
	pg->flags |= PGA_PAGE_FLAG(PGA_PG_buddy);
	pga_free_pages(pg, 2);
	expect_report("PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 4);
	assert_int_equal(a.allocated, 0);
}

static void compound_corrupted(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_COMP, 3);
	struct pga_page_accounting a;

	(void)state;
	pg[5].lru.next = (struct pga_list_head *)(void *)(pg + 1);
	fx_log_clear();
	pga_free_pages(pg, 3);
	expect_report("compound_head not consistent");
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 8);
	assert_int_equal(a.allocated, 0);
}

static void refcount_misuse(void **state)
{
	struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);

	(void)state;
	pga_free_pages(pg, 0);
	fx_log_clear();
	pga_get_page(pg);
	expect_report("get_page on free pfn");
	assert_int_equal(pga_page_count(pg), 0);
	pga_put_page(pg);
	expect_report("put_page on free pfn");
}

/* A CPU id past nr_cpus: no per-CPU list is touched, the buddy serves. */
static void unknown_cpu(void **state)
{
	struct pga_page *pg;

	(void)state;
	pga_host_set_cpu(9);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	fx_log_clear();
	pga_drain_local_pages();
	expect_report("drain of cpu 9");
	assert_int_equal(pga_cpu_offline(9), -PGA_EINVAL);
	expect_report("cpu_offline(9)");
	pga_free_pages(pg, 0);
	pga_host_set_cpu(0);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

static void before_init(void **state)
{
	(void)state;
	pga_g.initialised = false;
	fx_log_clear();
	assert_null(pga_alloc_page(PGA_GFP_KERNEL));
	expect_report("before pga_init");
	pga_g.initialised = true;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bad_order, setup),
		cmocka_unit_test_setup(bad_gfp, setup),
		cmocka_unit_test_setup(bad_node, setup),
		cmocka_unit_test_setup(double_free, setup),
		cmocka_unit_test_setup(free_unmanaged, setup),
		cmocka_unit_test_setup(free_bad_order_and_tail, setup),
		cmocka_unit_test_setup(bad_page_quarantined, setup),
		cmocka_unit_test_setup(wrong_order_and_flags, setup),
		cmocka_unit_test_setup(compound_corrupted, setup),
		cmocka_unit_test_setup(refcount_misuse, setup),
		cmocka_unit_test_setup(unknown_cpu, setup),
		cmocka_unit_test_setup(before_init, setup),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
