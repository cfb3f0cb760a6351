/* SPDX-License-Identifier: MIT */
/*
 * Walker behaviour common to both formats: which entry sizes a map picks,
 * splits, batching of invalidations, errors.  The format's own encoder is
 * the oracle for entry values here; the format test files check the
 * encoder bit by bit against the architecture's descriptor layout.
 */
#include "pt_test.h"

#define K4 PGA_PT_SIZE_4K
#define M2 PGA_PT_SIZE_2M
#define G1 PGA_PT_SIZE_1G
#define PA 0x100000000ULL /* 4 GiB, 1 GiB aligned */

static struct pga_pgtable pt;

static void expect_map(uintptr_t va, size_t size, pga_paddr_t phys,
		       unsigned int prot)
{
	struct pga_pt_mapping m;

	assert_true(pga_pgtable_query(&pt, va, &m));
	assert_int_equal(m.va, va & ~(uintptr_t)(size - 1));
	assert_int_equal(m.size, size);
	assert_int_equal(m.phys, phys);
	assert_int_equal(m.prot, prot);
}

static void expect_unmapped(uintptr_t va)
{
	struct pga_pt_mapping m;

	assert_false(pga_pgtable_query(&pt, va, &m));
}

static void init_clears_root(void **state)
{
	const pga_pte_t *root;
	int i;

	(void)state;
	pt_setup(&pt, 0);
	root = (const pga_pte_t *)(uintptr_t)(pt.root + pt.table_offset);
	for (i = 0; i < PGA_PT_ENTRIES; i++)
		assert_int_equal(root[i], 0);
	assert_int_equal(pt_pool_used(), 1);
	assert_int_equal(pt_nr_ops(), 0);
	assert_false(pt.live);
	expect_unmapped(pt_kva);
}

static void map_4k_builds_table_chain(void **state)
{
	uintptr_t va = pt_kva + 0x1000;

	(void)state;
	pt_setup(&pt, 0);
	assert_int_equal(pga_pgtable_map(&pt, va, 0x123456000, K4,
					 PGA_PROT_KERNEL), 0);
	assert_int_equal(pt_pool_used(), 4);
	assert_int_equal(pt_raw(&pt, va, 3), pga_fmt_mk_table(PT_POOL_PHYS + 4096));
	assert_int_equal(pt_raw(&pt, va, 2),
			 pga_fmt_mk_table(PT_POOL_PHYS + 2 * 4096));
	assert_int_equal(pt_raw(&pt, va, 1),
			 pga_fmt_mk_table(PT_POOL_PHYS + 3 * 4096));
	assert_int_equal(pt_raw(&pt, va, 0),
			 pga_fmt_mk_leaf(0x123456000, PGA_PROT_KERNEL, 0));
	expect_map(va, K4, 0x123456000, PGA_PROT_KERNEL);
	expect_unmapped(va - K4);
	expect_unmapped(va + K4);
	assert_int_equal(pt_nr_ops(), 0); /* not live: no TLB work */
}

static void map_picks_largest_entries(void **state)
{
	uintptr_t va = pt_kva + G1 - M2 - K4;
	size_t size = K4 + M2 + G1 + M2 + K4;
	pga_paddr_t pa = PA + G1 - M2 - K4;

	(void)state;
	pt_setup(&pt, 0);
	assert_int_equal(pga_pgtable_map(&pt, va, pa, size, PGA_PROT_KERNEL), 0);
	expect_map(va, K4, pa, PGA_PROT_KERNEL);
	expect_map(va + K4, M2, pa + K4, PGA_PROT_KERNEL);
	expect_map(va + K4 + M2 + 12345, G1, pa + K4 + M2, PGA_PROT_KERNEL);
	expect_map(pt_kva + 2 * G1, M2, PA + 2 * G1, PGA_PROT_KERNEL);
	expect_map(pt_kva + 2 * G1 + M2, K4, PA + 2 * G1 + M2,
		   PGA_PROT_KERNEL);
	expect_unmapped(va - K4);
	expect_unmapped(va + size);
	/* root, one level-2 table, two level-1 and two level-0 tables */
	assert_int_equal(pt_pool_used(), 6);
}

static void no_1g_flag_uses_2m(void **state)
{
	uintptr_t va;

	(void)state;
	pt_setup(&pt, PGA_PT_NO_1G);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, G1, PGA_PROT_KERNEL),
			 0);
	for (va = pt_kva; va < pt_kva + G1; va += M2)
		assert_int_equal(pt_raw(&pt, va, 1),
				 pga_fmt_mk_leaf(PA + (va - pt_kva),
						 PGA_PROT_KERNEL, 1));
	assert_int_equal(pt_pool_used(), 3);
}

static void misaligned_pa_uses_4k(void **state)
{
	(void)state;
	pt_setup(&pt, 0);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA + K4, M2,
					 PGA_PROT_KERNEL), 0);
	expect_map(pt_kva, K4, PA + K4, PGA_PROT_KERNEL);
	expect_map(pt_kva + M2 - K4, K4, PA + M2, PGA_PROT_KERNEL);
	assert_int_equal(pt_pool_used(), 4);
}

void pt_live_mapping(struct pga_pgtable *t, uintptr_t va, uint64_t pa,
		     size_t size, unsigned int prot)
{
	pt_setup(t, 0);
	assert_int_equal(pga_pgtable_map(t, va, pa, size, prot), 0);
	pt_make_live(t);
	pt_ops_reset();
}

/* A live 2 MiB leaf at pt_kva, record cleared. */
static void live_2m(unsigned int prot)
{
	pt_live_mapping(&pt, pt_kva, PA, M2, prot);
}

static void unmap_splits_large_entry(void **state)
{
	unsigned int i;

	(void)state;
	live_2m(PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva + 5 * K4, K4), 0);
	assert_int_equal(pt_raw(&pt, pt_kva, 1),
			 pga_fmt_mk_table(PT_POOL_PHYS + 3 * 4096));
	for (i = 0; i < PGA_PT_ENTRIES; i++)
		assert_int_equal(pt_raw(&pt, pt_kva + i * K4, 0),
				 i == 5 ? 0 : pga_fmt_mk_leaf(PA + i * K4,
						PGA_PROT_KERNEL, 0));
	expect_unmapped(pt_kva + 5 * K4);
	expect_map(pt_kva + 6 * K4, K4, PA + 6 * K4, PGA_PROT_KERNEL);
	/* the last operation: shootdown of exactly the range */
	assert_int_equal(pt_op(pt_nr_ops() - 1)->kind, PT_OP_SHOOTDOWN);
	assert_int_equal(pt_op(pt_nr_ops() - 1)->arg, pt_kva + 5 * K4);
	assert_int_equal(pt_op(pt_nr_ops() - 1)->seen, pt_kva + 6 * K4 - 1);
}

static void protect_splits_1g_twice(void **state)
{
	uintptr_t va = pt_kva + M2 + K4;

	(void)state;
	pt_setup(&pt, 0);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, G1,
					 PGA_PROT_KERNEL), 0);
	assert_int_equal(pt_pool_used(), 2);
	assert_int_equal(pga_pgtable_protect(&pt, va, K4, PGA_PROT_KERNEL_RO),
			 0);
	assert_int_equal(pt_pool_used(), 4);
	expect_map(va, K4, PA + M2 + K4, PGA_PROT_KERNEL_RO);
	expect_map(va - K4, K4, PA + M2, PGA_PROT_KERNEL);
	expect_map(va + K4, K4, PA + M2 + 2 * K4, PGA_PROT_KERNEL);
	expect_map(pt_kva, M2, PA, PGA_PROT_KERNEL);
	expect_map(pt_kva + G1 - 1, M2, PA + G1 - M2, PGA_PROT_KERNEL);
	assert_int_equal(pt_raw(&pt, pt_kva + 2 * M2, 1),
			 pga_fmt_mk_leaf(PA + 2 * M2, PGA_PROT_KERNEL, 1));
}

static void protect_needs_mapped_range(void **state)
{
	pga_pte_t before;

	(void)state;
	live_2m(PGA_PROT_KERNEL);
	before = pt_raw(&pt, pt_kva, 1);
	assert_int_equal(pga_pgtable_protect(&pt, pt_kva + M2 - K4, 2 * K4,
					     PGA_PROT_KERNEL_RO), -PGA_EINVAL);
	assert_int_equal(pt_raw(&pt, pt_kva, 1), before);
	assert_int_equal(pt_nr_ops(), 0);
	assert_int_equal(pt_pool_used(), 3);
}

static void unmap_hole_does_nothing(void **state)
{
	(void)state;
	live_2m(PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva + G1, G1), 0);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva + 4 * G1, K4), 0);
	assert_int_equal(pt_nr_ops(), 0);
	assert_int_equal(pt_pool_used(), 3);
}

/* Live 4 KiB pages at pt_kva + 4K (so never a 2 MiB entry). */
static void live_pages(unsigned int n)
{
	pt_live_mapping(&pt, pt_kva + K4, PA + K4, n * K4, PGA_PROT_KERNEL);
}

static void flushes_batch_up_to_limit(void **state)
{
	unsigned int i;

	(void)state;
	live_pages(PGA_PT_FLUSH_MAX);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva + K4,
					   PGA_PT_FLUSH_MAX * K4), 0);
	assert_int_equal(pt_nr_ops(), PGA_PT_FLUSH_MAX + 1);
	for (i = 0; i < PGA_PT_FLUSH_MAX; i++) {
		pt_assert_op(i, PT_OP_FLUSH, pt_kva + (i + 1) * K4);
		assert_int_equal(pt_op(i)->seen, 0); /* written before flush */
	}
	pt_assert_op(PGA_PT_FLUSH_MAX, PT_OP_SHOOTDOWN, pt_kva + K4);
}

static void long_batch_flushes_all(void **state)
{
	(void)state;
	live_pages(PGA_PT_FLUSH_MAX + 1);
	assert_int_equal(pga_pgtable_protect(&pt, pt_kva + K4,
					     (PGA_PT_FLUSH_MAX + 1) * K4,
					     PGA_PROT_KERNEL_RO), 0);
	assert_int_equal(pt_nr_ops(), 2);
	pt_assert_op(0, PT_OP_FLUSH_ALL, 0);
	pt_assert_op(1, PT_OP_SHOOTDOWN, pt_kva + K4);
	expect_map(pt_kva + K4, K4, PA + K4, PGA_PROT_KERNEL_RO);
}

static void new_entries_only_sync(void **state)
{
	(void)state;
	live_pages(1);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva + 3 * G1, PA, M2,
					 PGA_PROT_KERNEL), 0);
	assert_int_equal(pt_nr_ops(), 1);
	pt_assert_op(0, PT_OP_SYNC, 0);
	/* same value again: nothing to do at all */
	assert_int_equal(pga_pgtable_map(&pt, pt_kva + 3 * G1, PA, M2,
					 PGA_PROT_KERNEL), 0);
	assert_int_equal(pt_nr_ops(), 1);
}

static void not_live_no_tlb_work(void **state)
{
	(void)state;
	pt_setup(&pt, 0);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, M2, PGA_PROT_KERNEL),
			 0);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva, K4), 0);
	assert_int_equal(pga_pgtable_protect(&pt, pt_kva + K4, K4,
					     PGA_PROT_KERNEL_RO), 0);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva + K4, PA, K4,
					 PGA_PROT_KERNEL), 0);
	assert_int_equal(pt_nr_ops(), 0);
}

static void emptied_table_is_kept(void **state)
{
	(void)state;
	live_2m(PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva, K4), 0);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva, M2), 0);
	assert_int_equal(pt_raw(&pt, pt_kva, 1),
			 pga_fmt_mk_table(PT_POOL_PHYS + 3 * 4096));
	expect_unmapped(pt_kva + M2 - K4);
	/* mapping 2 MiB again fills the kept table with 4 KiB entries */
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, M2, PGA_PROT_KERNEL),
			 0);
	assert_int_equal(pt_raw(&pt, pt_kva, 1),
			 pga_fmt_mk_table(PT_POOL_PHYS + 3 * 4096));
	expect_map(pt_kva + M2 - K4, K4, PA + M2 - K4, PGA_PROT_KERNEL);
	assert_int_equal(pt_pool_used(), 4);
}

static void bad_arguments(void **state)
{
	const unsigned int k = PGA_PROT_KERNEL;

	(void)state;
	pt_setup(&pt, 0);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, 0, k), -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva + 1, PA, K4, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA + 8, K4, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, K4 + 1, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_bad_va, PA, K4, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, K4, 0), -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, K4, PGA_PROT_WRITE),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, K4, k | 0x80),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, 1ULL << 52, K4, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, ~0ULL << 12, 2 * K4, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_map(&pt, (uintptr_t)-K4, PA, 2 * K4, k),
			 -PGA_EINVAL);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_bad_va, K4), -PGA_EINVAL);
	assert_int_equal(pga_pgtable_unmap(&pt, pt_kva, 0), -PGA_EINVAL);
	assert_int_equal(pga_pgtable_protect(&pt, pt_kva, K4, 0),
			 -PGA_EINVAL);
	expect_unmapped(pt_bad_va);
	assert_int_equal(pt_pool_used(), 1);
}

static void out_of_table_pages(void **state)
{
	(void)state;
	pt_setup(&pt, 0);
	pt_pool_limit(3);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, K4, PGA_PROT_KERNEL),
			 -PGA_ENOMEM);
	expect_unmapped(pt_kva);
	pt_pool_limit(-1);
	assert_int_equal(pga_pgtable_map(&pt, pt_kva, PA, K4, PGA_PROT_KERNEL),
			 0);
	assert_int_equal(pt_pool_used(), 4); /* the partial chain is reused */
	expect_map(pt_kva, K4, PA, PGA_PROT_KERNEL);
}

static void activate_installs_root(void **state)
{
	(void)state;
	pt_setup(&pt, 0);
	pga_pgtable_activate(&pt);
	assert_true(pt.live);
	assert_int_equal(pt_nr_ops(), 1);
	pt_assert_op(0, PT_OP_ACTIVATE, PT_POOL_PHYS);
}

void pt_assert_chain(struct pga_pgtable *t, uintptr_t va, unsigned int prot,
		     uint64_t table_bits, uint64_t leaf)
{
	int level;

	pt_setup(t, 0);
	assert_int_equal(pga_pgtable_map(t, va, 0x5000, K4, prot), 0);
	for (level = 3; level > 0; level--)
		assert_int_equal(pt_raw(t, va, level),
				 (PT_POOL_PHYS + (4 - level) * 4096) |
					 table_bits);
	assert_int_equal(pt_raw(t, va, 0), leaf);
}

/* What query reports back: DEVICE wins over NOCACHE. */
static unsigned int normalised(unsigned int prot)
{
	return (prot & PGA_PROT_DEVICE) ? prot & ~PGA_PROT_NOCACHE : prot;
}

void pt_check_all_attributes(struct pga_pgtable *t, pt_spec_fn spec,
			     uint64_t pa)
{
	static const size_t sizes[] = {K4, M2, G1};
	const uintptr_t va = pt_kva + 3 * G1;
	unsigned int prot;
	int level;

	for (level = 0; level < 3; level++) {
		for (prot = PGA_PROT_READ; prot <= PGA_PROT_ALL; prot += 2) {
			struct pga_pt_mapping m;

			pt_setup(t, 0);
			assert_int_equal(pga_pgtable_map(t, va, pa,
							 sizes[level], prot), 0);
			assert_int_equal(pt_raw(t, va, level),
					 spec(pa, prot, level));
			assert_true(pga_pgtable_query(t, va, &m));
			assert_int_equal(m.prot, normalised(prot));
			assert_int_equal(m.phys, pa);
			assert_int_equal(m.size, sizes[level]);
		}
	}
}

static const struct CMUnitTest generic_tests[] = {
	cmocka_unit_test(init_clears_root),
	cmocka_unit_test(map_4k_builds_table_chain),
	cmocka_unit_test(map_picks_largest_entries),
	cmocka_unit_test(no_1g_flag_uses_2m),
	cmocka_unit_test(misaligned_pa_uses_4k),
	cmocka_unit_test(unmap_splits_large_entry),
	cmocka_unit_test(protect_splits_1g_twice),
	cmocka_unit_test(protect_needs_mapped_range),
	cmocka_unit_test(unmap_hole_does_nothing),
	cmocka_unit_test(flushes_batch_up_to_limit),
	cmocka_unit_test(long_batch_flushes_all),
	cmocka_unit_test(new_entries_only_sync),
	cmocka_unit_test(not_live_no_tlb_work),
	cmocka_unit_test(emptied_table_is_kept),
	cmocka_unit_test(bad_arguments),
	cmocka_unit_test(out_of_table_pages),
	cmocka_unit_test(activate_installs_root),
};

int pt_run_tests(const char *name, const struct CMUnitTest *tests, size_t n)
{
	return _cmocka_run_group_tests("pgtable_walker", generic_tests,
				       sizeof(generic_tests) /
					       sizeof(generic_tests[0]),
				       NULL, NULL) +
	       _cmocka_run_group_tests(name, tests, n, NULL, NULL);
}
