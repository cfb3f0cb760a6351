/* SPDX-License-Identifier: MIT */
/*
 * x86_64 privileged page-table operations (CR3, CR4, INVLPG): the only
 * part of the page-table code that needs ring 0.  Host tests replace this
 * file with a recording stub (tests/unit/support/pt_stub.c).
 */
#include "../common/pgtable_fmt.h"

#define X86_CR4_PGE (1UL << 7)

/*
 * See pgtable_fmt.h.  The walker reads tables in program order with the
 * CPU's stores, and x86 never caches a non-present entry, so only the
 * compiler must be kept from reordering.
 */
void pga_arch_pt_sync(void)
{
	__asm__ volatile("" : : : "memory");
}

/* See pgtable_fmt.h.  INVLPG drops every TLB entry of the page holding va. */
void pga_arch_pt_flush(const uintptr_t *va, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		__asm__ volatile("invlpg (%0)" : : "r"(va[i]) : "memory");
}

static unsigned long read_cr4(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr4(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/*
 * See pgtable_fmt.h.  A CR3 reload keeps global entries, so with CR4.PGE
 * on, toggling PGE is the full flush; without it, reload CR3.
 */
void pga_arch_pt_flush_all(void)
{
	unsigned long cr4 = read_cr4(), cr3;

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
		return;
	}
	__asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3"
			 : "=r"(cr3) : : "memory");
}

/* See pgtable_fmt.h.  Loading CR3 also drops non-global TLB entries. */
void pga_arch_pt_activate(pga_paddr_t root)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(root) : "memory");
}
