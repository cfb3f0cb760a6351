/* SPDX-License-Identifier: MIT */
/*
 * Runtime memory with the debug features on: page poisoning and
 * debug_pagealloc, whose hook here really removes free pages from the
 * host mapping (mprotect), so any access pga makes to a free page while
 * hot-adding, taking contiguous ranges or offlining crashes the test.
 * Afterwards every free or offline page must be unmapped and every
 * allocated one mapped, and no poison report may appear.
 */
#include <sys/mman.h>

#include "movable.h"
#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define BLK 8192UL
#define NEW_PFN PFN(MiB(256))
#define END_PFN PFN(MiB(384))

static bool unmapped[END_PFN];

static int kmap_hook(void *ctx, void *va, unsigned long n, bool map)
{
	pga_pfn_t pfn = pga_virt_to_phys(va) >> PGA_PAGE_SHIFT;

	(void)ctx;
	assert_true(pfn + n <= END_PFN);
	for (unsigned long i = 0; i < n; i++)
		unmapped[pfn + i] = !map;
	return mprotect(va, n * PGA_PAGE_SIZE,
			map ? PROT_READ | PROT_WRITE : PROT_NONE);
}

static void boot(void)
{
	struct pga_params p;
	struct pga_mem_range r = {0, MiB(128), 0};
	struct pga_hooks h = mv_hooks();

	mv_reset();
	fx_params(&p);
	p.dma_limit = PGA_ZONE_LIMIT_NONE;
	p.dma32_limit = MiB(128);
	p.page_poisoning = true;
	p.debug_pagealloc = true;
	h.kernel_map_pages = kmap_hook;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, &h), 0);
}

/* Free, per-CPU and offline pages unmapped; allocated pages mapped. */
static void assert_map_state(void)
{
	for (pga_pfn_t pfn = 0; pfn < END_PFN;) {
		const struct pga_page *p = pga_pfn_to_page(pfn);
		unsigned long n = 1;
		bool free;

		if (!p || page_flag(p, PGA_PG_reserved)) {
			pfn++;
			continue;
		}
		if (page_flag(p, PGA_PG_buddy))
			n = 1UL << p->private;
		free = page_flag(p, PGA_PG_buddy) || page_flag(p, PGA_PG_pcp) ||
		       page_flag(p, PGA_PG_offline) ||
		       (!pga_atomic_read(&p->refcount) &&
			!page_flag(p, PGA_PG_tail));
		for (unsigned long i = 0; i < n; i++, pfn++)
			if (unmapped[pfn] != free)
				fail_msg("pfn %#llx is %s but %smapped",
					 (unsigned long long)pfn,
					 free ? "free" : "in use",
					 unmapped[pfn] ? "un" : "");
	}
}

static void debug_features_hold(void **state)
{
	int n;

	(void)state;
	if (!PGA_CONFIG_DEBUG)
		skip();
	boot();
	assert_int_equal(pga_add_memory(MiB(256), MiB(128), 0), 0);
	n = mv_fill(PGA_GFP_HIGHUSER_MOVABLE, 0, 20000);
	for (int i = 0; i < n; i += 3)
		mv_free(i);
	assert_int_equal(pga_alloc_contig_range(BLK + 100, BLK + 300,
						PGA_MIGRATE_MOVABLE,
						PGA_GFP_KERNEL | PGA_GFP_ZERO),
			 0);
	assert_map_state();
	pga_free_contig_range(BLK + 100, 200);
	assert_int_equal(pga_offline_range(NEW_PFN, 4 * PB), 0);
	assert_int_equal(pga_offline_range(BLK, 2 * PB), 0);
	assert_map_state();
	assert_int_equal(pga_add_memory(MiB(256), MiB(8), 0), 0);
	assert_int_equal(pga_add_memory((pga_paddr_t)BLK << PGA_PAGE_SHIFT,
					MiB(4), 0),
			 0);
	mv_fill(PGA_GFP_HIGHUSER_MOVABLE, 0, MV_MAX_OWNERS);
	assert_true(mv_verify());
	assert_map_state();
	mv_free_all();
	pga_drain_all_pages();
	assert_map_state();
	assert_false(fx_log_contains("pagealloc:"));
	assert_false(fx_log_contains("debug_pagealloc could not"));
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(debug_features_hold),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
