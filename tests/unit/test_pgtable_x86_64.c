/* SPDX-License-Identifier: MIT */
/*
 * x86_64 page-table format (arch/x86_64/pgtable.c) on the host: every
 * attribute against the SDM's entry layout (vol. 3A, tables 4-15 .. 4-20),
 * canonical addresses, and the TLB work of each change (no
 * break-before-make on x86: rewrite, then invlpg).  The walker tests of
 * pt/generic.c run here too.
 */
#include "pt/pt_test.h"

const uintptr_t pt_kva = 0xffff888000000000UL;	/* a direct-map base */
const uintptr_t pt_bad_va = 0x0000800000000000UL; /* non-canonical */

static struct pga_pgtable pt;

/* The SDM layout, written out bit by bit (independent of the format). */
static uint64_t sdm_leaf(uint64_t pa, unsigned int prot, int level)
{
	uint64_t e = pa | 1u << 0 /* P */ | 1u << 5 /* A */;

	if (prot & PGA_PROT_WRITE)
		e |= 1u << 1 | 1u << 6; /* RW, D */
	if (prot & PGA_PROT_USER)
		e |= 1u << 2; /* U/S */
	if (prot & PGA_PROT_DEVICE)
		e |= 1u << 3 | 1u << 4; /* PWT + PCD: PAT entry 3, UC */
	else if (prot & PGA_PROT_NOCACHE)
		e |= 1u << 4; /* PCD: PAT entry 2, UC- */
	if (level > 0)
		e |= 1u << 7; /* PS */
	if (prot & PGA_PROT_GLOBAL)
		e |= 1u << 8; /* G */
	if (!(prot & PGA_PROT_EXEC))
		e |= 1ULL << 63; /* XD */
	return e;
}

static void every_attribute_at_every_size(void **state)
{
	(void)state;
	pt_check_all_attributes(&pt, sdm_leaf, 0x000fffffc0000000ULL);
}

static void table_entries_leave_rights_to_leaves(void **state)
{
	uintptr_t va = pt_kva + 0x1000;

	(void)state;
	/* P | RW | U/S | A and the next table's address; no XD, no PS */
	pt_assert_chain(&pt, va, PGA_PROT_KERNEL_RO, 0x27,
			0x8000000000005121ULL);
	/* PML4 index of 0xffff888000001000 is 273 */
	assert_int_equal(pt_index(va, 3), 273);
}

static void large_leaf_address_skips_pat_bit(void **state)
{
	(void)state;
	/* bit 12 of a PS entry is PAT, not an address bit */
	assert_int_equal(pga_fmt_addr(0x40201000ULL | 0x81, 1), 0x40200000ULL);
	assert_int_equal(pga_fmt_addr(0x40001000ULL | 0x81, 2), 0x40000000ULL);
	assert_int_equal(pga_fmt_addr(0x40201000ULL | 0x01, 0), 0x40201000ULL);
	assert_true(pga_fmt_is_leaf(0x81, 1));
	assert_false(pga_fmt_is_leaf(0x03, 1));
	assert_false(pga_fmt_is_leaf(0x83, 3)); /* PML4: never a leaf */
}

static void canonical_addresses(void **state)
{
	(void)state;
	assert_true(pga_fmt_va_ok(0, 0x00007fffffffffffUL));
	assert_true(pga_fmt_va_ok(0xffff800000000000UL, ~0UL));
	assert_false(pga_fmt_va_ok(0x0000800000000000UL, 0x0000800000000000UL));
	assert_false(pga_fmt_va_ok(0xffff7ffffffff000UL, 0xffff7ffffffff000UL));
	assert_false(pga_fmt_va_ok(0x00007ffffffff000UL, 0x0000800000000fffUL));
	assert_true(pga_fmt_pa_ok((1ULL << 52) - 1));
	assert_false(pga_fmt_pa_ok(1ULL << 52));
}

static void live_change_rewrites_then_invlpg(void **state)
{
	uintptr_t va = pt_kva + 0x7000;

	(void)state;
	pt_live_mapping(&pt, va, 0x5000, 0x1000, PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_map(&pt, va, 0x9000, 0x1000,
					 PGA_PROT_KERNEL), 0);
	assert_int_equal(pt_nr_ops(), 2);
	pt_assert_op(0, PT_OP_FLUSH, va);
	/* no invalid window: the new entry was already in place */
	assert_int_equal(pt_op(0)->seen, sdm_leaf(0x9000, PGA_PROT_KERNEL, 0));
	pt_assert_op(1, PT_OP_SHOOTDOWN, va);
	assert_int_equal(pt_op(1)->seen, va + 0xfff);
}

static void split_flushes_large_page_once(void **state)
{
	const uintptr_t va = pt_kva + 0x5000;

	(void)state;
	pt_live_mapping(&pt, pt_kva, 0x40000000, PGA_PT_SIZE_2M,
			PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_unmap(&pt, va, 0x1000), 0);
	assert_int_equal(pt_nr_ops(), 3);
	/* the 2 MiB entry became a table pointer in place, then invlpg */
	pt_assert_op(0, PT_OP_FLUSH, pt_kva);
	assert_int_equal(pt_op(0)->seen_level, 0);
	assert_int_equal(pt_op(0)->seen,
			 sdm_leaf(0x40000000, PGA_PROT_KERNEL, 0));
	pt_assert_op(1, PT_OP_FLUSH, va);
	assert_int_equal(pt_op(1)->seen, 0);
	pt_assert_op(2, PT_OP_SHOOTDOWN, va);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_attribute_at_every_size),
		cmocka_unit_test(table_entries_leave_rights_to_leaves),
		cmocka_unit_test(large_leaf_address_skips_pat_bit),
		cmocka_unit_test(canonical_addresses),
		cmocka_unit_test(live_change_rewrites_then_invlpg),
		cmocka_unit_test(split_flushes_large_page_once),
	};
	return pt_run_tests("pgtable_x86_64", tests,
			    sizeof(tests) / sizeof(tests[0]));
}
