/* SPDX-License-Identifier: MIT */
/*
 * debug_pagealloc end to end on the host: the direct map of the fake RAM
 * lives in real x86_64-format page tables (arch/common + arch/x86_64, with
 * the recording stub of the privileged operations); free pages must be
 * unmapped there and allocated pages mapped, each change invalidated.
 */
#include <string.h>

#include "fixture.h"
#include "pt/pt_test.h"

static struct pga_pgtable pt;
static struct pga_host_ram ram;

static int kmap_hook(void *ctx, void *va, unsigned long n, bool map)
{
	(void)ctx;
	return pga_pgtable_kernel_map_pages(&pt, va, n, map);
}

static bool mapped(const struct pga_page *pg, struct pga_pt_mapping *m)
{
	return pga_pgtable_query(&pt, (uintptr_t)pga_page_address(pg), m);
}

static int boot(bool with_hook)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();
	const struct pga_mem_range r[] = {{GiB(4), MiB(8), 0}};

	pga_host_ram_destroy(&ram);
	assert_int_equal(pga_host_ram_create(&ram, 0, GiB(4) + MiB(8)), 0);
	pt_setup(&pt, 0);
	pt_make_live(&pt);
	/* The embedder's direct map, 4 KiB entries, before pga_init. */
	for (pga_paddr_t pa = GiB(4); pa < GiB(4) + MiB(8); pa += 4096)
		assert_int_equal(pga_pgtable_map(&pt, ram.offset + pa, pa, 4096,
						 PGA_PROT_KERNEL), 0);
	fx_params(&p);
	p.direct_map_offset = ram.offset;
	p.debug_pagealloc = true;
	p.disable_pcp = true;
	if (with_hook)
		h.kernel_map_pages = kmap_hook;
	fx_log_clear();
	return pga_init(&p, r, 1, NULL, 0, &h);
}

static void free_pages_are_unmapped(void **state)
{
	struct pga_pt_mapping m;
	struct pga_page *pg, *free_pg;
	unsigned int before;

	(void)state;
	if (!PGA_CONFIG_DEBUG)
		skip();
	assert_int_equal(boot(true), 0);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 2);
	assert_non_null(pg);
	/* Allocated: mapped read/write to its own frame. */
	for (int i = 0; i < 4; i++) {
		assert_true(mapped(pg + i, &m));
		assert_int_equal(m.phys, pga_page_to_phys(pg + i));
		assert_int_equal(m.prot, PGA_PROT_KERNEL);
	}
	/* Its neighbour is free: not mapped (unmapped at boot seeding). */
	free_pg = pg + 4;
	assert_false(mapped(free_pg, &m));
	memset(pga_page_address(pg), 1, 4 * 4096);
	pt_ops_reset();
	pga_free_pages(pg, 2);
	for (int i = 0; i < 4; i++)
		assert_false(mapped(pg + i, &m));
	/* The unmap was followed by TLB invalidation of those pages. */
	before = pt_nr_ops();
	assert_true(before >= 1);
	for (unsigned int i = 0; i < before; i++)
		assert_true(pt_op(i)->kind == PT_OP_FLUSH ||
			    pt_op(i)->kind == PT_OP_SHOOTDOWN ||
			    pt_op(i)->kind == PT_OP_FLUSH_ALL);
	assert_int_equal(fx_log_count(), 0);
	fx_assert_consistent();
}

static void hook_required(void **state)
{
	(void)state;
	assert_int_equal(boot(false), -PGA_EINVAL);
	assert_true(fx_log_contains("needs the kernel_map_pages hook"));
	pga_host_ram_destroy(&ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_pages_are_unmapped),
		cmocka_unit_test(hook_required),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
