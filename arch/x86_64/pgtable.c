/* SPDX-License-Identifier: MIT */
/*
 * x86_64 4-level paging entries (Intel SDM vol. 3A, 4.5; AMD APM vol. 2,
 * 5.3): the format half of pga/pgtable.h.  Pure C, built on the host for
 * the tests.
 *
 * Bits used: P 0, RW 1, US 2, PWT 3, PCD 4, A 5, D 6, PS 7 (large leaves
 * of PD and PDPT), G 8, address 51:12 (PAT bit 12 of large leaves is left
 * clear), XD 63.  Leaves are written with A set and, when writable, D
 * set, so the CPU never has to update them.  Table entries are P|RW|US|A:
 * the leaf alone decides the access rights.  Caching uses the power-on
 * PAT: PCD alone selects UC- (PGA_PROT_NOCACHE), PCD|PWT UC
 * (PGA_PROT_DEVICE).  The embedder enables EFER.NXE (XD is reserved
 * otherwise) and CR4.PGE (for G).
 */
#include "../common/pgtable_fmt.h"

#define X86_P (1ULL << 0)
#define X86_RW (1ULL << 1)
#define X86_US (1ULL << 2)
#define X86_PWT (1ULL << 3)
#define X86_PCD (1ULL << 4)
#define X86_A (1ULL << 5)
#define X86_D (1ULL << 6)
#define X86_PS (1ULL << 7)
#define X86_G (1ULL << 8)
#define X86_XD (1ULL << 63)
#define X86_ADDR 0x000ffffffffff000ULL

/* See pgtable_fmt.h.  Canonical: bits 63:47 all equal, for both ends. */
bool pga_fmt_va_ok(uintptr_t va, uintptr_t last)
{
	int64_t lo = (int64_t)va >> 47, hi = (int64_t)last >> 47;

	return (lo == 0 || lo == -1) && lo == hi;
}

/* See pgtable_fmt.h.  MAXPHYADDR is at most 52 bits. */
bool pga_fmt_pa_ok(pga_paddr_t last)
{
	return last < (1ULL << 52);
}

/* See pgtable_fmt.h. */
bool pga_fmt_present(pga_pte_t e)
{
	return (e & X86_P) != 0;
}

/* See pgtable_fmt.h. */
bool pga_fmt_is_leaf(pga_pte_t e, int level)
{
	if (level == 0)
		return true;
	return level < PGA_PT_ROOT_LEVEL && (e & X86_PS);
}

/* See pgtable_fmt.h.  Large leaves: the low address bits hold PAT. */
pga_paddr_t pga_fmt_addr(pga_pte_t e, int level)
{
	if (level > 0 && (e & X86_PS))
		return e & X86_ADDR & ~(pt_level_size(level) - 1);
	return e & X86_ADDR;
}

/* See pgtable_fmt.h. */
unsigned int pga_fmt_prot(pga_pte_t e)
{
	unsigned int prot = PGA_PROT_READ;

	if (e & X86_RW)
		prot |= PGA_PROT_WRITE;
	if (!(e & X86_XD))
		prot |= PGA_PROT_EXEC;
	if (e & X86_US)
		prot |= PGA_PROT_USER;
	if (e & X86_G)
		prot |= PGA_PROT_GLOBAL;
	if ((e & (X86_PCD | X86_PWT)) == (X86_PCD | X86_PWT))
		prot |= PGA_PROT_DEVICE;
	else if (e & X86_PCD)
		prot |= PGA_PROT_NOCACHE;
	return prot;
}

/* See pgtable_fmt.h. */
pga_pte_t pga_fmt_mk_leaf(pga_paddr_t pa, unsigned int prot, int level)
{
	pga_pte_t e = (pa & X86_ADDR) | X86_P | X86_A;

	if (prot & PGA_PROT_WRITE)
		e |= X86_RW | X86_D;
	if (!(prot & PGA_PROT_EXEC))
		e |= X86_XD;
	if (prot & PGA_PROT_USER)
		e |= X86_US;
	if (prot & PGA_PROT_GLOBAL)
		e |= X86_G;
	if (prot & PGA_PROT_DEVICE)
		e |= X86_PCD | X86_PWT;
	else if (prot & PGA_PROT_NOCACHE)
		e |= X86_PCD;
	if (level > 0)
		e |= X86_PS;
	return e;
}

/* See pgtable_fmt.h. */
pga_pte_t pga_fmt_mk_table(pga_paddr_t pa)
{
	return (pa & X86_ADDR) | X86_P | X86_RW | X86_US | X86_A;
}

/*
 * See pgtable_fmt.h.  x86 has no break-before-make rule: a present entry
 * may be rewritten in place and invalidated afterwards.
 */
bool pga_fmt_needs_bbm(pga_pte_t old, pga_pte_t new_e)
{
	(void)old;
	(void)new_e;
	return false;
}
