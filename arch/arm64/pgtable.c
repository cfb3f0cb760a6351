/* SPDX-License-Identifier: MIT */
/*
 * arm64 VMSAv8-64 stage-1 descriptors, 4 KiB granule, 48-bit VA, four
 * levels (Arm ARM D8.3): the format half of pga/pgtable.h.  Pure C,
 * built on the host for the tests.
 *
 * Descriptor bits: valid 0; 1 = table (L0-L2) or page (L3), clear for a
 * block (L1 1 GiB, L2 2 MiB); AttrIndx 4:2; AP[2:1] 7:6; SH 9:8; AF 10;
 * nG 11; output address 47:12; PXN 53; UXN 54.  Table descriptors carry
 * no hierarchical attributes (APTable, XNTable stay 0).
 *
 * Memory types come from MAIR_EL1, which the embedder programs with
 * PGA_ARM64_MAIR (pga_arch_impl.h): index 0 Normal write-back,
 * 1 Normal non-cacheable, 2 Device-nGnRE.  Normal memory is inner
 * shareable; device entries leave SH 0 (ignored for Device memory).
 * AF is always set (no hardware access-flag management is assumed).
 * Execute: a kernel (non-USER) executable page clears PXN and sets UXN;
 * a USER executable page clears UXN and sets PXN (the kernel never runs
 * user code); everything else sets both.
 */
#include "../common/pgtable_fmt.h"

#define A64_VALID (1ULL << 0)
#define A64_TABLE (1ULL << 1) /* also "page" at L3 */
#define A64_ATTR_SHIFT 2
#define A64_ATTR_MASK (7ULL << A64_ATTR_SHIFT)
#define A64_AP_USER (1ULL << 6)	 /* AP[1]: EL0 access */
#define A64_AP_RDONLY (1ULL << 7) /* AP[2]: read-only */
#define A64_SH_INNER (3ULL << 8)
#define A64_AF (1ULL << 10)
#define A64_NG (1ULL << 11)
#define A64_PXN (1ULL << 53)
#define A64_UXN (1ULL << 54)
#define A64_ADDR 0x0000fffffffff000ULL

/* MAIR indices, matching PGA_ARM64_MAIR. */
#define A64_MT_NORMAL 0ULL
#define A64_MT_NORMAL_NC 1ULL
#define A64_MT_DEVICE 2ULL

/* Bits that may change in a live entry without break-before-make. */
#define A64_NO_BBM_BITS (A64_AP_USER | A64_AP_RDONLY | A64_PXN | A64_UXN)

/* See pgtable_fmt.h.  Bits 63:48 all 0 (TTBR0) or all 1 (TTBR1). */
bool pga_fmt_va_ok(uintptr_t va, uintptr_t last)
{
	uint64_t lo = (uint64_t)va >> 48, hi = (uint64_t)last >> 48;

	return (lo == 0 || lo == 0xffff) && lo == hi;
}

/* See pgtable_fmt.h.  48-bit output addresses. */
bool pga_fmt_pa_ok(pga_paddr_t last)
{
	return last < (1ULL << 48);
}

/* See pgtable_fmt.h. */
bool pga_fmt_present(pga_pte_t e)
{
	return (e & A64_VALID) != 0;
}

/* See pgtable_fmt.h. */
bool pga_fmt_is_leaf(pga_pte_t e, int level)
{
	if (level == 0)
		return (e & A64_TABLE) != 0;
	return level < PGA_PT_ROOT_LEVEL && !(e & A64_TABLE);
}

/* See pgtable_fmt.h. */
pga_paddr_t pga_fmt_addr(pga_pte_t e, int level)
{
	if (pga_fmt_is_leaf(e, level))
		return e & A64_ADDR & ~(pt_level_size(level) - 1);
	return e & A64_ADDR;
}

/* See pgtable_fmt.h. */
unsigned int pga_fmt_prot(pga_pte_t e)
{
	unsigned int prot = PGA_PROT_READ;
	uint64_t mt = (e & A64_ATTR_MASK) >> A64_ATTR_SHIFT;

	if (!(e & A64_AP_RDONLY))
		prot |= PGA_PROT_WRITE;
	if (e & A64_AP_USER)
		prot |= PGA_PROT_USER;
	if (!(e & ((e & A64_AP_USER) ? A64_UXN : A64_PXN)))
		prot |= PGA_PROT_EXEC;
	if (!(e & A64_NG))
		prot |= PGA_PROT_GLOBAL;
	if (mt == A64_MT_DEVICE)
		prot |= PGA_PROT_DEVICE;
	else if (mt == A64_MT_NORMAL_NC)
		prot |= PGA_PROT_NOCACHE;
	return prot;
}

static pga_pte_t attr_bits(unsigned int prot)
{
	if (prot & PGA_PROT_DEVICE)
		return A64_MT_DEVICE << A64_ATTR_SHIFT;
	if (prot & PGA_PROT_NOCACHE)
		return (A64_MT_NORMAL_NC << A64_ATTR_SHIFT) | A64_SH_INNER;
	return (A64_MT_NORMAL << A64_ATTR_SHIFT) | A64_SH_INNER;
}

static pga_pte_t xn_bits(unsigned int prot)
{
	if (!(prot & PGA_PROT_EXEC))
		return A64_PXN | A64_UXN;
	return (prot & PGA_PROT_USER) ? A64_PXN : A64_UXN;
}

/* See pgtable_fmt.h. */
pga_pte_t pga_fmt_mk_leaf(pga_paddr_t pa, unsigned int prot, int level)
{
	pga_pte_t e = (pa & A64_ADDR) | A64_VALID | A64_AF;

	if (level == 0)
		e |= A64_TABLE; /* L3 page descriptor */
	if (!(prot & PGA_PROT_WRITE))
		e |= A64_AP_RDONLY;
	if (prot & PGA_PROT_USER)
		e |= A64_AP_USER;
	if (!(prot & PGA_PROT_GLOBAL))
		e |= A64_NG;
	return e | attr_bits(prot) | xn_bits(prot);
}

/* See pgtable_fmt.h. */
pga_pte_t pga_fmt_mk_table(pga_paddr_t pa)
{
	return (pa & A64_ADDR) | A64_VALID | A64_TABLE;
}

/*
 * See pgtable_fmt.h.  Changing the output address, block/table shape,
 * memory type, shareability or nG of a valid entry requires
 * break-before-make; permission changes (AP, PXN, UXN) do not.
 */
bool pga_fmt_needs_bbm(pga_pte_t old, pga_pte_t new_e)
{
	if (!(old & A64_VALID) || !(new_e & A64_VALID))
		return false;
	return ((old ^ new_e) & ~A64_NO_BBM_BITS) != 0;
}
