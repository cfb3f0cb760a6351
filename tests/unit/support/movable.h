/* SPDX-License-Identifier: MIT */
/*
 * A fake owner of movable pages, for tests of migration: it allocates
 * pages, marks them movable, stamps their memory, and keeps a reverse map
 * pfn -> owner that its migrate_page hook fixes when pga moves a page.
 * It needs only pga.h and libc, so a host program (the demo's "large
 * contiguous allocation on a busy machine" scene) can link it too:
 * install mv_hooks_from(&its_hooks), fill memory with mv_fill(), then
 * call pga_alloc_contig_pages() and watch mv_stats.moved.
 */
#ifndef PGA_TEST_MOVABLE_H
#define PGA_TEST_MOVABLE_H

#include <pga.h>

/* Owners and pfns the table can hold. */
#define MV_MAX_OWNERS 65536
#define MV_MAX_PFN (1UL << 19)

/* Forget every owner and zero the counters (pages are not freed). */
void mv_reset(void);
/*
 * Allocate a movable block of @order with @gfp; its owner slot, or -1 if
 * the allocation failed, the table is full or the pfn is past MV_MAX_PFN.
 */
int mv_alloc(pga_gfp_t gfp, unsigned int order);
/* Allocate until allocation fails or @max owners; the number allocated. */
int mv_fill(pga_gfp_t gfp, unsigned int order, int max);
/* Free the block of owner @slot (a slot already freed is ignored). */
void mv_free(int slot);
/* Free every live owner's block. */
void mv_free_all(void);
/* The current page of owner @slot (NULL if freed). */
struct pga_page *mv_page(int slot);
/* Live owners whose block starts in [@s, @e). */
unsigned long mv_in_range(pga_pfn_t s, pga_pfn_t e);
/* True if every live owner's memory still carries its stamp. */
bool mv_verify(void);

/* @base (may be NULL) with mv's migrate_page hook added. */
struct pga_hooks mv_hooks_from(const struct pga_hooks *base);
/* Hooks for unit tests: the fixture's (log) plus mv's migrate_page. */
struct pga_hooks mv_hooks(void);
/* Refuse to migrate the page at @pfn (~0: refuse nothing). */
void mv_refuse(pga_pfn_t pfn);

/* What the migrate hook saw. */
struct mv_stats {
	unsigned long calls;   /* every call */
	unsigned long moved;   /* copied and repointed */
	unsigned long refused; /* refused on purpose (mv_refuse) */
	unsigned long unknown; /* src not a live owner's page */
};
extern struct mv_stats mv_stats;

#endif
