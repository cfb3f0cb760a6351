/* SPDX-License-Identifier: MIT */
/*
 * arm64 page-table format (arch/arm64/pgtable.c) on the host: every
 * attribute against the VMSAv8-64 stage-1 descriptor layout (Arm ARM
 * D8.3, 4 KiB granule), VA ranges of TTBR0/TTBR1, and the TLB work each
 * change needs: break-before-make (invalid entry, TLBI, new entry) for
 * output address, shape, memory type and nG changes; TLBI after the
 * write for permission changes.  The walker tests of pt/generic.c run
 * here too.
 */
#include "pt/pt_test.h"

const uintptr_t pt_kva = 0xffff800000000000UL;	  /* TTBR1, L0 index 256 */
const uintptr_t pt_bad_va = 0x0001000000000000UL; /* bits 63:48 mixed */

static struct pga_pgtable pt;

/* The Arm ARM layout, written out bit by bit. */
static uint64_t arm_leaf(uint64_t pa, unsigned int prot, int level)
{
	uint64_t e = pa | 1u << 0 /* valid */ | 1u << 10 /* AF */;
	bool user = prot & PGA_PROT_USER;

	if (level == 0)
		e |= 1u << 1; /* L3: page descriptor; L1/L2 block: clear */
	if (prot & PGA_PROT_DEVICE)
		e |= 2u << 2; /* AttrIndx 2: Device-nGnRE, SH 00 */
	else if (prot & PGA_PROT_NOCACHE)
		e |= 1u << 2 | 3u << 8; /* AttrIndx 1: Normal NC, inner sh. */
	else
		e |= 3u << 8; /* AttrIndx 0: Normal WB, inner shareable */
	if (user)
		e |= 1u << 6; /* AP[1]: EL0 access */
	if (!(prot & PGA_PROT_WRITE))
		e |= 1u << 7; /* AP[2]: read-only */
	if (!(prot & PGA_PROT_GLOBAL))
		e |= 1u << 11; /* nG */
	if (!(prot & PGA_PROT_EXEC) || user)
		e |= 1ULL << 53; /* PXN */
	if (!(prot & PGA_PROT_EXEC) || !user)
		e |= 1ULL << 54; /* UXN */
	return e;
}

static void every_attribute_at_every_size(void **state)
{
	(void)state;
	pt_check_all_attributes(&pt, arm_leaf, 0x0000ffffc0000000ULL);
}

static void table_descriptors(void **state)
{
	uintptr_t va = pt_kva + 0x1000;

	(void)state;
	/* bits 1:0 = 11 and the next-level address; no APTable/XNTable */
	pt_assert_chain(&pt, va, PGA_PROT_KERNEL, 3,
			0x0060000000005703ULL);
	assert_int_equal(pt_index(va, 3), 256);
	assert_false(pga_fmt_is_leaf(0x3, 3)); /* no L0 blocks */
	assert_false(pga_fmt_is_leaf(0x1, 3));
	assert_true(pga_fmt_is_leaf(0x1, 1)); /* L2 block */
	assert_false(pga_fmt_is_leaf(0x3, 1));
}

static void va_ranges_of_both_ttbrs(void **state)
{
	(void)state;
	assert_true(pga_fmt_va_ok(0, 0x0000ffffffffffffUL));
	assert_true(pga_fmt_va_ok(0xffff000000000000UL, ~0UL));
	assert_false(pga_fmt_va_ok(0x0001000000000000UL, 0x0001000000000000UL));
	assert_false(pga_fmt_va_ok(0x0000fffffffff000UL, 0xffff000000000fffUL));
	assert_true(pga_fmt_pa_ok((1ULL << 48) - 1));
	assert_false(pga_fmt_pa_ok(1ULL << 48));
}

/* The last call did break-before-make on @va, ending with @now. */
static void assert_bbm(uintptr_t va, uint64_t now)
{
	assert_int_equal(pt_nr_ops(), 3);
	pt_assert_op(0, PT_OP_FLUSH, va);
	assert_int_equal(pt_op(0)->seen, 0); /* invalid while invalidated */
	pt_assert_op(1, PT_OP_SYNC, 0);
	pt_assert_op(2, PT_OP_SHOOTDOWN, va);
	assert_int_equal(pt_raw(&pt, va, 0), now);
}

static void new_output_address_breaks_first(void **state)
{
	uintptr_t va = pt_kva + 0x7000;

	(void)state;
	pt_live_mapping(&pt, va, 0x5000, 0x1000, PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_map(&pt, va, 0x9000, 0x1000,
					 PGA_PROT_KERNEL), 0);
	assert_bbm(va, arm_leaf(0x9000, PGA_PROT_KERNEL, 0));
}

static void memory_type_and_ng_changes_break_first(void **state)
{
	uintptr_t va = pt_kva + 0x7000;
	unsigned int nc = PGA_PROT_KERNEL | PGA_PROT_NOCACHE;

	(void)state;
	pt_live_mapping(&pt, va, 0x5000, 0x1000, PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_protect(&pt, va, 0x1000, nc), 0);
	assert_bbm(va, arm_leaf(0x5000, nc, 0));
	pt_ops_reset();
	assert_int_equal(pga_pgtable_protect(&pt, va, 0x1000,
					     nc & ~PGA_PROT_GLOBAL), 0);
	assert_bbm(va, arm_leaf(0x5000, nc & ~PGA_PROT_GLOBAL, 0));
}

static void permission_change_needs_no_break(void **state)
{
	uintptr_t va = pt_kva + 0x7000;

	(void)state;
	pt_live_mapping(&pt, va, 0x5000, 0x1000, PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_protect(&pt, va, 0x1000,
					     PGA_PROT_KERNEL_EXEC), 0);
	assert_int_equal(pt_nr_ops(), 2);
	pt_assert_op(0, PT_OP_FLUSH, va);
	/* written in place: the walker never saw an invalid entry */
	assert_int_equal(pt_op(0)->seen,
			 arm_leaf(0x5000, PGA_PROT_KERNEL_EXEC, 0));
	pt_assert_op(1, PT_OP_SHOOTDOWN, va);
}

static void block_split_breaks_before_table(void **state)
{
	const uintptr_t va = pt_kva + 0x5000;

	(void)state;
	pt_live_mapping(&pt, pt_kva, 0x40000000, PGA_PT_SIZE_2M,
			PGA_PROT_KERNEL);
	assert_int_equal(pga_pgtable_unmap(&pt, va, 0x1000), 0);
	assert_int_equal(pt_nr_ops(), 3);
	/* the block was invalid (at L2) while it was invalidated ... */
	pt_assert_op(0, PT_OP_FLUSH, pt_kva);
	assert_int_equal(pt_op(0)->seen_level, 1);
	assert_int_equal(pt_op(0)->seen, 0);
	/* ... then the page leaving the new table was invalidated */
	pt_assert_op(1, PT_OP_FLUSH, va);
	assert_int_equal(pt_op(1)->seen_level, 0);
	assert_int_equal(pt_op(1)->seen, 0);
	pt_assert_op(2, PT_OP_SHOOTDOWN, va);
	assert_int_equal(pt_raw(&pt, va + 0x1000, 0),
			 arm_leaf(0x40006000, PGA_PROT_KERNEL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_attribute_at_every_size),
		cmocka_unit_test(table_descriptors),
		cmocka_unit_test(va_ranges_of_both_ttbrs),
		cmocka_unit_test(new_output_address_breaks_first),
		cmocka_unit_test(memory_type_and_ng_changes_break_first),
		cmocka_unit_test(permission_change_needs_no_break),
		cmocka_unit_test(block_split_breaks_before_table),
	};
	return pt_run_tests("pgtable_arm64", tests,
			    sizeof(tests) / sizeof(tests[0]));
}
