/* SPDX-License-Identifier: MIT */
/* Debug features: poisoning, init_on_alloc/free, page owner, bad pages. */
#include <string.h>

#include "fixture.h"
#include "internal.h"

static void init_with(bool poison, bool on_alloc, bool on_free, bool owner)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{GiB(4), MiB(16), 0}};

	fx_params(&p);
	p.disable_pcp = true;
	p.page_poisoning = poison;
	p.init_on_alloc = on_alloc;
	p.init_on_free = on_free;
	p.page_owner = owner;
	assert_int_equal(fx_init(&p, ram, 1, NULL, 0, NULL), 0);
}

static void poisoning(void **state)
{
	struct pga_page *pg;
	uint8_t *va;

	(void)state;
	if (!PGA_CONFIG_DEBUG)
		skip();
	init_with(true, true, true, false);
	/* Boot memory is poisoned too: a clean allocation reports nothing. */
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 1);
	va = pga_page_address(pg);
	assert_int_equal(va[0], 0xaa);
	assert_int_equal(va[2 * PGA_PAGE_SIZE - 1], 0xaa);
	assert_int_equal(fx_log_count(), 0);
	pga_free_pages(pg, 1);
	/* A write after free of one bit, then of several bytes. */
	va[100] ^= 0x04;
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 1);
	assert_ptr_equal(pga_page_address(pg), va);
	assert_true(fx_log_contains("pagealloc: single bit error"));
	assert_true(fx_log_contains("offset 100"));
	pga_free_pages(pg, 1);
	memset(va + PGA_PAGE_SIZE + 8, 0, 4);
	fx_log_clear();
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_ZERO, 1);
	assert_true(fx_log_contains("pagealloc: memory corruption"));
	assert_true(fx_log_contains("bytes 8..11"));
	/* __GFP_ZERO still zeroes after the check. */
	assert_int_equal(va[PGA_PAGE_SIZE + 8], 0);
	assert_int_equal(va[0], 0);
	pga_free_pages(pg, 1);
	fx_assert_consistent();
}

static void init_on_free_and_alloc(void **state)
{
	struct pga_page *pg;
	uint8_t *va;

	(void)state;
	if (!PGA_CONFIG_DEBUG)
		skip();
	init_with(false, false, true, false);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	va = pga_page_address(pg);
	memset(va, 0x77, PGA_PAGE_SIZE);
	pga_free_pages(pg, 0);
	assert_int_equal(va[0], 0); /* zeroed at free */
	assert_int_equal(va[PGA_PAGE_SIZE - 1], 0);
	init_with(false, true, false, false);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	va = pga_page_address(pg);
	memset(va, 0x77, PGA_PAGE_SIZE);
	pga_free_pages(pg, 0);
	assert_int_equal(va[0], 0x77); /* not at free... */
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_ptr_equal(pga_page_address(pg), va);
	assert_int_equal(va[0], 0); /* ...but at allocation */
	pga_free_pages(pg, 0);
	fx_assert_consistent();
}

static struct pga_page *leaky_helper(void)
{
	return pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE, 2);
}

static void emit_count(void *ctx, const char *s, size_t n)
{
	char *buf = ctx;
	size_t len = strlen(buf);

	if (len + n < 4096) {
		memcpy(buf + len, s, n);
		buf[len + n] = '\0';
	}
}

static void page_owner(void **state)
{
	struct pga_page *a, *b;
	struct pga_page_owner o;
	static char dump[4096];

	(void)state;
	if (!PGA_CONFIG_DEBUG)
		skip();
	init_with(false, false, false, true);
	pga_host_set_cpu(0);
	a = pga_alloc_pages(PGA_GFP_KERNEL, 3);
	b = leaky_helper();
	assert_non_null(b);
	assert_int_equal(pga_page_owner(a, &o), 0);
	assert_int_equal(o.order, 3);
	assert_int_equal(o.gfp, PGA_GFP_KERNEL);
	assert_int_equal(o.cpu, 0);
	assert_true(o.caller != 0);
	assert_int_equal(pga_page_owner(b, &o), 0);
	assert_int_equal(o.gfp, PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE);
	assert_int_equal(pga_page_owner(a + 1, &o), -PGA_EINVAL);
	dump[0] = '\0';
	assert_int_equal(pga_show_page_owner(emit_count, dump), 2);
	assert_non_null(strstr(dump, "Page allocated via order 3, mask 0xcc0"));
	pga_free_pages(a, 3);
	assert_int_equal(pga_page_owner(a, &o), -PGA_EINVAL);
	dump[0] = '\0';
	assert_int_equal(pga_show_page_owner(emit_count, dump), 1);
	pga_free_pages(b, 2);
	fx_assert_consistent();
}

static void wrong_order(void **state)
{
	struct pga_page *pg;

	(void)state;
	init_with(false, false, false, false);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 2);
	fx_log_clear();
	pga_free_pages(pg, 3);
	assert_true(fx_log_contains("with order 3, allocated with order 2"));
	assert_int_equal(pga_page_count(pg), 1);
	pga_free_pages(pg, 2);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

/* A descriptor scribbled on while free is caught at allocation. */
static void bad_free_page_skipped(void **state)
{
	struct pga_zone *z;
	struct pga_page *victim, *pg;
	struct pga_page_accounting a;

	(void)state;
	init_with(false, false, false, false);
	z = &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
	victim = list_first_page(&z->free_area[10].free_list[PGA_MIGRATE_MOVABLE]);
	victim->mapcount = 3;
	fx_log_clear();
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 10);
	assert_non_null(pg);
	assert_ptr_not_equal(pg, victim);
	assert_true(fx_log_contains("Bad page state"));
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 1024);
	assert_int_equal(a.allocated, 1024);
	pga_free_pages(pg, 10);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(poisoning),
		cmocka_unit_test(init_on_free_and_alloc),
		cmocka_unit_test(page_owner),
		cmocka_unit_test(wrong_order),
		cmocka_unit_test(bad_free_page_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
