/* SPDX-License-Identifier: MIT */
/* Test helpers that reach into zones: pageblock types and fill levels. */
#ifndef PGA_TEST_BLOCKS_H
#define PGA_TEST_BLOCKS_H

#include "fixture.h"

struct pga_zone;

/*
 * Give @pfn's pageblock in @z type @mt and move its free pages along, as
 * isolation and the highatomic reserve do (ISOLATE: the free pages leave
 * the free count and the zone counts an isolated block; back from
 * ISOLATE: the reverse).  A whole free block is freed again so it can
 * merge with its buddy.  Return: the free pages moved.
 */
long bl_retype_block(struct pga_zone *z, pga_pfn_t pfn, int mt);

/* True if @pg lies in a free block on a buddy list of type @mt of @z. */
bool bl_on_free_list(const struct pga_zone *z, const struct pga_page *pg,
		     int mt);

/*
 * Allocate from @z (with @gfp, which must select it) until exactly
 * @target pages are free, keeping the blocks; bl_release() frees them.
 */
void bl_fill_to(struct pga_zone *z, pga_gfp_t gfp, long target);
void bl_release(void);

#endif
