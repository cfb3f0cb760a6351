/* SPDX-License-Identifier: MIT */
#include "fixture.h"

static void smoke(void **state)
{
	struct pga_page *p;

	(void)state;
	fx_init_simple(0, MiB(64));
	fx_assert_consistent();
	p = pga_alloc_pages(PGA_GFP_KERNEL, 3);
	assert_non_null(p);
	fx_assert_consistent();
	pga_free_pages(p, 3);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(smoke)};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
