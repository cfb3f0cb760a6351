/* SPDX-License-Identifier: MIT */
/*
 * arm64 privileged page-table operations (TLBI, TTBRn_EL1, barriers): the
 * only part of the page-table code that needs EL1.  Host tests replace
 * this file with a recording stub (tests/unit/support/pt_stub.c).
 * Invalidations use the inner-shareable forms, so they reach every CPU
 * and no software shootdown is needed.
 */
#include "../common/pgtable_fmt.h"

/* TLBI VAAE1IS operand: VA[55:12] in bits 43:0, any ASID. */
static uint64_t tlbi_arg(uintptr_t va)
{
	return ((uint64_t)va >> 12) & ((1ULL << 44) - 1);
}

/* See pgtable_fmt.h.  Entries reach the walker after DSB; ISB for us. */
void pga_arch_pt_sync(void)
{
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

/* See pgtable_fmt.h. */
void pga_arch_pt_flush(const uintptr_t *va, unsigned int n)
{
	unsigned int i;

	__asm__ volatile("dsb ishst" : : : "memory");
	for (i = 0; i < n; i++)
		__asm__ volatile("tlbi vaae1is, %0" : : "r"(tlbi_arg(va[i]))
				 : "memory");
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

/* See pgtable_fmt.h. */
void pga_arch_pt_flush_all(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb"
			 : : : "memory");
}

/*
 * See pgtable_fmt.h.  One root serves both halves: TTBR0_EL1 and
 * TTBR1_EL1 get the same table; then the local TLB is emptied.
 */
void pga_arch_pt_activate(pga_paddr_t root)
{
	__asm__ volatile("dsb ishst\n\t"
			 "msr ttbr0_el1, %0\n\t"
			 "msr ttbr1_el1, %0\n\t"
			 "isb\n\t"
			 "tlbi vmalle1\n\t"
			 "dsb nsh\n\t"
			 "isb" : : "r"(root) : "memory");
}
