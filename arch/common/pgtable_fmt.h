/* SPDX-License-Identifier: MIT */
/*
 * What the generic page-table walker (arch/common/pgtable.c) needs from a
 * table format (arch/<arch>/pgtable.c) and from the privileged operations
 * (arch/<arch>/priv.c, replaced by a recording stub in host tests).
 *
 * Levels count up from the leaves: level 0 holds 4 KiB entries (x86_64
 * PT, arm64 L3), level 1 2 MiB (PD, L2), level 2 1 GiB (PDPT, L1) and
 * level 3 is the root (PML4, L0).  Both formats allow leaves at levels
 * 0 to 2 and none at the root.  The format code is pure C: no
 * privileged instruction, so it is built and checked on the host too.
 */
#ifndef PGA_PGTABLE_FMT_H
#define PGA_PGTABLE_FMT_H

#include <pga/pgtable.h>

typedef uint64_t pga_pte_t;

#define PGA_PT_LEVELS 4
#define PGA_PT_ENTRIES 512
#define PGA_PT_ROOT_LEVEL (PGA_PT_LEVELS - 1)

/* Bytes one entry at @level maps. */
static inline uint64_t pt_level_size(int level)
{
	return (uint64_t)1 << (12 + 9 * level);
}

/* Index of @va in a table at @level. */
static inline unsigned int pt_index(uintptr_t va, int level)
{
	return (unsigned int)((va >> (12 + 9 * level)) & (PGA_PT_ENTRIES - 1));
}

/* ---- format: arch/<arch>/pgtable.c ------------------------------------- */

/* Is [@va, @last] translatable (canonical, in one half)?  Context: any. */
bool pga_fmt_va_ok(uintptr_t va, uintptr_t last);
/* Is @last within the output address width?  Context: any. */
bool pga_fmt_pa_ok(pga_paddr_t last);
/* Does @e translate (valid/present)?  Context: any. */
bool pga_fmt_present(pga_pte_t e);
/* Is present entry @e at @level a leaf (page or block)?  Context: any. */
bool pga_fmt_is_leaf(pga_pte_t e, int level);
/* Output address of leaf @e at @level, or table address.  Context: any. */
pga_paddr_t pga_fmt_addr(pga_pte_t e, int level);
/* Protection of leaf @e (PGA_PROT_*).  Context: any. */
unsigned int pga_fmt_prot(pga_pte_t e);
/* A leaf at @level mapping @pa with @prot.  Context: any. */
pga_pte_t pga_fmt_mk_leaf(pga_paddr_t pa, unsigned int prot, int level);
/* A table entry pointing at the table at @pa.  Context: any. */
pga_pte_t pga_fmt_mk_table(pga_paddr_t pa);
/*
 * Must replacing live @old by @new go through an invalid entry first
 * (break-before-make)?  Context: any.
 */
bool pga_fmt_needs_bbm(pga_pte_t old, pga_pte_t new_e);

/* ---- privileged operations: arch/<arch>/priv.c -------------------------- */

/* Most entries one batched invalidation names before a full flush. */
#define PGA_PT_FLUSH_MAX 16

/* Make entries just written visible to the table walker.  Context: any. */
void pga_arch_pt_sync(void);
/*
 * Invalidate the TLB entries (any size) covering each of @va[0..n-1],
 * after the table writes that changed them.  Context: any.
 */
void pga_arch_pt_flush(const uintptr_t *va, unsigned int n);
/* Invalidate every kernel translation, global ones too.  Context: any. */
void pga_arch_pt_flush_all(void);
/* Install the tables rooted at @root on this CPU.  Context: privileged. */
void pga_arch_pt_activate(pga_paddr_t root);

#endif /* PGA_PGTABLE_FMT_H */
