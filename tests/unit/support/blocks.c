/* SPDX-License-Identifier: MIT */
#include "blocks.h"
#include "internal.h"

/*
 * A whole free pageblock that changed type may now merge with its buddy:
 * free it again (as Linux unset_migratetype_isolate does).
 */
static void remerge_block_locked(struct pga_zone *z, pga_pfn_t pfn, int mt)
{
	pga_pfn_t start = PGA_ALIGN_DOWN(pfn, PGA_PAGEBLOCK_NR_PAGES);
	struct pga_page *pg = pfn_page(start);
	unsigned int o = pg->private;

	if (!page_flag(pg, PGA_PG_buddy) || o < PGA_PAGEBLOCK_ORDER)
		return;
	pga_buddy_del_page_locked(z, pg, o);
	pga_buddy_account_free(z, -(1L << o), mt);
	pga_buddy_free_one_page_locked(z, pg, start, o, mt, PGA_FPI_NONE);
}

long bl_retype_block(struct pga_zone *z, pga_pfn_t pfn, int mt)
{
	unsigned long flags = zone_lock(z);
	int old = get_pageblock_migratetype(pfn);
	long moved;

	pga_pageblock_set_type(pfn, mt);
	moved = (long)pga_move_freepages_block_locked(z, pfn_page(pfn), mt,
						      NULL);
	if (mt == PGA_MIGRATE_ISOLATE) {
		z->nr_isolate_pageblock++;
		pga_buddy_account_free(z, -moved, old);
	} else if (old == PGA_MIGRATE_ISOLATE) {
		z->nr_isolate_pageblock--;
		pga_buddy_account_free(z, moved, mt);
	}
	remerge_block_locked(z, pfn, mt);
	zone_unlock(z, flags);
	return moved;
}

bool bl_on_free_list(const struct pga_zone *z, const struct pga_page *pg,
		     int mt)
{
	for (int o = 0; o <= PGA_MAX_ORDER; o++) {
		const struct pga_list_head *h = &z->free_area[o].free_list[mt];

		for (const struct pga_list_head *l = h->next; l != h;
		     l = l->next) {
			const struct pga_page *b = list_page(l);

			if (pg >= b && pg < b + (1L << o))
				return true;
		}
	}
	return false;
}

#define KEEP_MAX 8192
static struct {
	struct pga_page *page;
	unsigned int order;
} keep[KEEP_MAX];
static int nkeep;

static void take(pga_gfp_t gfp, unsigned int order)
{
	struct pga_page *pg = pga_alloc_pages(gfp, order);

	assert_non_null(pg);
	assert_true(nkeep < KEEP_MAX);
	keep[nkeep].page = pg;
	keep[nkeep++].order = order;
}

void bl_fill_to(struct pga_zone *z, pga_gfp_t gfp, long target)
{
	/* Orders that bypass the pcp, then single pages with a drain. */
	while (zone_page_state(z, PGA_NR_FREE_PAGES) >= target + 1024)
		take(gfp, PGA_MAX_ORDER);
	while (zone_page_state(z, PGA_NR_FREE_PAGES) >= target + 16)
		take(gfp, 4);
	pga_drain_local_pages();
	while (zone_page_state(z, PGA_NR_FREE_PAGES) > target) {
		take(gfp, 0);
		pga_drain_local_pages();
	}
	assert_int_equal(zone_page_state(z, PGA_NR_FREE_PAGES), target);
}

void bl_release(void)
{
	while (nkeep > 0) {
		nkeep--;
		pga_free_pages(keep[nkeep].page, keep[nkeep].order);
	}
}
