/* SPDX-License-Identifier: MIT */
/*
 * Fragmentation (issue 8, item 3), in the manner of mmtests'
 * stress-highalloc: fill 90% of the zone with order-0 pages, a random
 * mix of movable (90%: pages of a fake owner that the migrate_page hook
 * can move), reclaimable (5%) and unmovable (5%) allocations; free a
 * random half; then allocate order-9 blocks until the allocator gives
 * up.  The figure is the blocks obtained as a percentage of the blocks
 * the free memory could hold (free pages / 512 at that point).
 *
 * Variants: grouping by mobility and compaction on; no compaction (the
 * migrate_page hook is absent, so compaction moves nothing); no grouping
 * (page_group_by_mobility_disabled, compaction on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define FILL_PCT 90
#define ORDER9 PGA_PAGEBLOCK_ORDER
/*
 * The order-9 phase's flags: GFP_KERNEL (a costly order: one async then
 * one sync-light compaction per attempt, no retries, no OOM).
 */
#define ORDER9_GFP (PGA_GFP_KERNEL | PGA_GFP_NOWARN)

enum kind { MOVABLE, RECLAIMABLE, UNMOVABLE };

struct fill {
	struct pga_page **page;	/* every allocation; NULL once freed */
	unsigned char *kind;
	long nr;
	pga_pfn_t base;		/* the zone's first pfn */
	long *rmap;		/* pfn - base -> index + 1 of a movable page */
	long span;
};
static struct fill fl;

/* The embedder's migrate_page: copy, repoint the owner, fix the rmap. */
static int frag_migrate(void *ctx, struct pga_page *dst, struct pga_page *src)
{
	long s = (long)(pga_page_to_pfn(src) - fl.base);
	long d = (long)(pga_page_to_pfn(dst) - fl.base);
	long i = s >= 0 && s < fl.span ? fl.rmap[s] - 1 : -1;

	(void)ctx;
	if (i < 0 || fl.page[i] != src || d < 0 || d >= fl.span)
		return -PGA_EINVAL;
	memcpy(pga_page_address(dst), pga_page_address(src), PGA_PAGE_SIZE);
	fl.rmap[s] = 0;
	fl.rmap[d] = i + 1;
	fl.page[i] = dst;
	return 0;
}

static enum kind pick_kind(void)
{
	uint64_t r = rnd() % 100;

	return r < 90 ? MOVABLE : r < 95 ? RECLAIMABLE : UNMOVABLE;
}

static void fill_one(enum kind k)
{
	static const pga_gfp_t gfp[] = {
		[MOVABLE] = PGA_GFP_HIGHUSER_MOVABLE,
		[RECLAIMABLE] = PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE,
		[UNMOVABLE] = PGA_GFP_KERNEL};
	struct pga_page *pg = pga_alloc_pages(gfp[k] | PGA_GFP_NOWARN, 0);

	if (!pg)
		return;
	fl.page[fl.nr] = pg;
	fl.kind[fl.nr] = (unsigned char)k;
	if (k == MOVABLE) {
		*(uint64_t *)pga_page_address(pg) = (uint64_t)fl.nr;
		pga_page_set_movable(pg, true);
		fl.rmap[pga_page_to_pfn(pg) - fl.base] = fl.nr + 1;
	}
	fl.nr++;
}

static void free_one(long i)
{
	struct pga_page *pg = fl.page[i];

	if (fl.kind[i] == MOVABLE) {
		fl.rmap[pga_page_to_pfn(pg) - fl.base] = 0;
		pga_page_set_movable(pg, false);
	}
	pga_free_pages(pg, 0);
	fl.page[i] = NULL;
}

/* Fill FILL_PCT% of the zone, then free a random half. */
static void fragment_zone(void)
{
	long target = (long)zone_managed(normal()) * FILL_PCT / 100;

	fl.base = normal()->zone_start_pfn;
	fl.span = (long)normal()->spanned_pages;
	fl.page = calloc((size_t)target, sizeof(*fl.page));
	fl.kind = calloc((size_t)target, 1);
	fl.rmap = calloc((size_t)fl.span, sizeof(*fl.rmap));
	if (!fl.page || !fl.kind || !fl.rmap) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	fl.nr = 0;
	for (long i = 0; i < target; i++)
		fill_one(pick_kind());
	for (long i = 0; i < fl.nr; i++)
		if (rnd() & 1)
			free_one(i);
}

/*
 * The order-9 blocks a perfect compactor could make under Linux's rules:
 * the pageblocks holding no page in use other than movable ones, less
 * the blocks needed for their movable pages beyond what the free pages
 * of the other movable-type blocks can take (compaction moves pages only
 * into movable pageblocks, Linux suitable_migration_target).
 */
static long ceiling_blocks(void)
{
	long clean = 0, movable = 0, room = 0;

	for (long b = 0; b + (long)PGA_PAGEBLOCK_NR_PAGES <= fl.span;
	     b += (long)PGA_PAGEBLOCK_NR_PAGES) {
		pga_pfn_t pfn = fl.base + (pga_pfn_t)b;
		long mov = 0, fre = 0, pinned = 0;

		for (unsigned long i = 0; i < PGA_PAGEBLOCK_NR_PAGES; i++) {
			struct pga_page *pg = pga_pfn_to_page(pfn + i);

			if (pga_page_count(pg) == 0)
				fre++;
			else if (pga_page_is_movable(pg))
				mov++;
			else
				pinned++;
		}
		if (!pinned) {
			clean++;
			movable += mov;
		} else if (get_pageblock_migratetype(pfn) ==
			   PGA_MIGRATE_MOVABLE) {
			room += fre;
		}
	}
	movable = movable > room ? movable - room : 0;
	return clean - (movable + (long)PGA_PAGEBLOCK_NR_PAGES - 1) /
			       (long)PGA_PAGEBLOCK_NR_PAGES;
}

/*
 * Allocate order-9 blocks until 64 attempts in a row fail (compaction
 * defers itself after failures) or twice the possible number was tried.
 * Returns the blocks obtained; they are freed afterwards.
 */
static long order9_phase(long possible)
{
	struct pga_page **got = calloc((size_t)possible + 1, sizeof(*got));
	long n = 0;

	if (!got)
		exit(1);
	for (long tries = 0, miss = 0; n < possible && miss < 64 &&
				       tries < 2 * possible; tries++) {
		struct pga_page *pg = pga_alloc_pages(ORDER9_GFP, ORDER9);

		if (pg) {
			got[n++] = pg;
			miss = 0;
		} else {
			miss++;
		}
	}
	for (long i = 0; i < n; i++)
		pga_free_pages(got[i], ORDER9);
	free(got);
	return n;
}

/*
 * One scenario on a fresh machine.  Returns the success percentage and
 * stores the perfect compactor's percentage in @ceiling_pct.
 */
static double frag_run(bool no_grouping, bool compaction, double *ceiling_pct)
{
	struct pga_hooks h;
	long possible, ceiling, n;

	memset(&h, 0, sizeof(h));
	if (compaction)
		h.migrate_page = frag_migrate;
	machine_ex(false, no_grouping, &h);
	fragment_zone();
	pga_drain_all_pages();
	possible = zone_page_state(normal(), PGA_NR_FREE_PAGES) >> ORDER9;
	ceiling = ceiling_blocks();
	if (ceiling > possible)
		ceiling = possible;
	*ceiling_pct = possible ? 100.0 * (double)ceiling / (double)possible
				: 0;
	n = order9_phase(possible);
	for (long i = 0; i < fl.nr; i++)
		if (fl.page[i])
			free_one(i);
	free(fl.page);
	free(fl.kind);
	free(fl.rmap);
	return possible ? 100.0 * (double)n / (double)possible : 0;
}

/*
 * Item 3: record order-9 success on a fragmented zone in three
 * configurations, with the ceilings.  Context: the bench's main thread.
 */
void bench_frag(void)
{
	double c0, c1, c2;

	record("order9_success_pct", frag_run(false, true, &c0),
	       "order-9 blocks got / free pages/512: grouping + compaction");
	record("order9_ceiling_pct", c0,
	       "  what a perfect compactor could reach (same scenario)");
	record("order9_success_pct_nocompact", frag_run(false, false, &c1),
	       "  grouping on, no migrate_page hook (nothing moves)");
	record("order9_success_pct_nogrouping", frag_run(true, true, &c2),
	       "  page_group_by_mobility_disabled, compaction on");
	record("order9_ceiling_pct_nogrouping", c2,
	       "  perfect compactor, no grouping");
}
