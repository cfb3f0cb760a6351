/* SPDX-License-Identifier: MIT */
/*
 * The buddy core: free_area lists, split (expand), merge
 * (__free_one_page) and pageblock types.  Every function here runs under
 * the zone lock.  The list disciplines decide which pfn comes back next,
 * so they follow Linux exactly: allocation takes the head of a list,
 * expand puts upper halves at the head, merged blocks go to the head
 * unless a further merge is likely (then the tail), boot seeding goes to
 * the tail, and moves between types go to the tail.
 */
#include "internal.h"

static void set_buddy_order(struct pga_page *page, unsigned int order)
{
	page->private = (uint16_t)order;
	page_set(page, PGA_PG_buddy);
}

static void add_to_free_list(struct pga_zone *z, struct pga_page *page,
			     unsigned int order, int mt, bool tail)
{
	struct pga_free_area *area = &z->free_area[order];

	set_buddy_order(page, order);
	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	PGA_WRITE_ONCE(area->nr_free, area->nr_free + 1);
}

/*
 * Take the free block headed by @page (of @order) off its list.
 * Counters are the caller's business.  Context: zone lock held.
 */
void pga_buddy_del_page_locked(struct pga_zone *z, struct pga_page *page,
			       unsigned int order)
{
	PGA_ASSERT_LOCKED(z);
	list_del(&page->lru);
	page_clear(page, PGA_PG_buddy);
	page->private = 0;
	PGA_WRITE_ONCE(z->free_area[order].nr_free,
		       z->free_area[order].nr_free - 1);
}

/*
 * Move the free block @page of @order to the tail of @mt's list at the
 * same order (Linux move_to_free_list).  Context: zone lock held.
 */
void pga_buddy_move_to_free_list_locked(struct pga_zone *z,
					struct pga_page *page,
					unsigned int order, int mt)
{
	PGA_ASSERT_LOCKED(z);
	list_del(&page->lru);
	list_add_tail(&page->lru, &z->free_area[order].free_list[mt]);
}

/* Adjust NR_FREE_PAGES (and NR_FREE_CMA_PAGES) unless @mt is ISOLATE. */
void pga_buddy_account_free(struct pga_zone *z, long nr, int mt)
{
	if (mt == PGA_MIGRATE_ISOLATE)
		return;
	zone_stat_add(z, PGA_NR_FREE_PAGES, nr);
	if (mt == PGA_MIGRATE_CMA)
		zone_stat_add(z, PGA_NR_FREE_CMA_PAGES, nr);
}

/*
 * True if @buddy heads a free block of @order that may merge with @page:
 * it is on a free list at that order and in the same zone.
 * Context: zone lock held.
 */
bool pga_page_is_buddy(const struct pga_page *page,
		       const struct pga_page *buddy, unsigned int order)
{
	if (!page_flag(buddy, PGA_PG_buddy) || buddy->private != order)
		return false;
	return page_zid(page) == page_zid(buddy) &&
	       page_nid(page) == page_nid(buddy);
}

/* The free buddy of @pfn at @order, or NULL. */
static struct pga_page *find_buddy(struct pga_page *page, pga_pfn_t pfn,
				   unsigned int order, pga_pfn_t *buddy_pfn)
{
	pga_pfn_t bpfn = pfn ^ (1UL << order);
	struct pga_page *buddy = page + ((long)bpfn - (long)pfn);

	*buddy_pfn = bpfn;
	return pga_page_is_buddy(page, buddy, order) ? buddy : NULL;
}

/*
 * Will the block at @pfn of @order probably merge again once its buddy is
 * freed?  True when the buddy of its parent is already free (Linux
 * buddy_merge_likely); such blocks go to the tail so they stay free.
 */
static bool buddy_merge_likely(struct pga_page *page, pga_pfn_t pfn,
			       pga_pfn_t buddy_pfn, unsigned int order)
{
	pga_pfn_t higher_pfn, unused;

	if (order >= PGA_MAX_ORDER - 1)
		return false;
	higher_pfn = buddy_pfn & pfn;
	return find_buddy(page + ((long)higher_pfn - (long)pfn), higher_pfn,
			  order + 1, &unused) != NULL;
}

/* May a block of type @mt merge with a buddy in a block of @buddy_mt? */
static bool pageblocks_mergeable(int mt, int buddy_mt)
{
	return mt == buddy_mt ||
	       (is_migrate_mergeable(mt) && is_migrate_mergeable(buddy_mt));
}

/*
 * Free the block @page (@pfn, @order) of type @mt into the buddy lists,
 * merging with free buddies up to PGA_MAX_ORDER (Linux __free_one_page).
 * Merging stops at a pageblock border where either side is HIGHATOMIC,
 * CMA or ISOLATE and the types differ.  While a direct compactor on
 * this CPU waits for a block of its order, the block is handed to it
 * at that order instead (compaction capture).  @fpi: PGA_FPI_* flags.
 * Context: zone lock held.
 */
void pga_buddy_free_one_page_locked(struct pga_zone *z, struct pga_page *page,
				    pga_pfn_t pfn, unsigned int order, int mt,
				    unsigned int fpi)
{
	pga_pfn_t buddy_pfn = pfn ^ 1;
	struct pga_page *buddy;
	bool tail;

	PGA_ASSERT_LOCKED(z);
	pga_buddy_account_free(z, (long)(1UL << order), mt);
	while (order < PGA_MAX_ORDER) {
		/* A direct compactor waiting for this order takes it. */
		if (compaction_capture(z, page, order, mt))
			return;
		buddy = find_buddy(page, pfn, order, &buddy_pfn);
		if (!buddy)
			break;
		if (order >= PGA_PAGEBLOCK_ORDER &&
		    !pageblocks_mergeable(mt,
					  get_pageblock_migratetype(buddy_pfn)))
			break;
		pga_buddy_del_page_locked(z, buddy, order);
		page += (long)(pfn & buddy_pfn) - (long)pfn;
		pfn &= buddy_pfn;
		order++;
	}
	if (fpi & PGA_FPI_TO_TAIL)
		tail = true;
	else
		tail = buddy_merge_likely(page, pfn, pfn ^ (1UL << order), order);
	add_to_free_list(z, page, order, mt, tail);
}

/*
 * The free block of at least pageblock order heading pageblock @pb could
 * not merge with its buddy while their types differed; now that @pb
 * changed type, take it off and free it again so it merges if it may
 * (Linux unset_migratetype_isolate's isolate-and-putback; pga does the
 * same when a highatomic pageblock is given back, where 6.6 leaves the
 * two halves apart).  Context: zone lock held.
 */
void pga_buddy_remerge_locked(struct pga_zone *z, pga_pfn_t pb)
{
	struct pga_page *p = pfn_page(pb);
	unsigned int o = p->private;
	pga_pfn_t buddy;
	int mt;

	PGA_ASSERT_LOCKED(z);
	if (!page_flag(p, PGA_PG_buddy) || o < PGA_PAGEBLOCK_ORDER ||
	    o >= PGA_MAX_ORDER)
		return;
	buddy = pb ^ (1UL << o);
	mt = get_pageblock_migratetype(pb);
	if (!pga_page_is_buddy(p, pfn_page(buddy), o) ||
	    !pageblocks_mergeable(mt, get_pageblock_migratetype(buddy)))
		return;
	pga_buddy_del_page_locked(z, p, o);
	pga_buddy_account_free(z, -(long)(1UL << o), mt);
	pga_buddy_free_one_page_locked(z, p, pb, o, mt, PGA_FPI_NONE);
}

/* Do all pageblocks of the order-@order block at @pfn share one type? */
static bool pageblocks_uniform(pga_pfn_t pfn, unsigned int order)
{
	int mt = get_pageblock_migratetype(pfn);

	for (unsigned long i = PGA_PAGEBLOCK_NR_PAGES; i < (1UL << order);
	     i += PGA_PAGEBLOCK_NR_PAGES)
		if (get_pageblock_migratetype(pfn + i) != mt)
			return false;
	return true;
}

/*
 * Free the pfn range [@s, @e) of zone @z into the buddy in the largest
 * naturally aligned blocks, each with its pageblock's type; a block never
 * spans pageblocks of different types.  @fresh memory (boot seeding,
 * hot-add) gets the contents and debug_pagealloc treatment of a freed
 * page; pages that stayed free all along (the leftovers of a contiguous
 * allocation, offline pages coming back) keep theirs.
 * Context: zone lock held.
 */
void pga_buddy_free_range_locked(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e,
				 unsigned int fpi, bool fresh)
{
	PGA_ASSERT_LOCKED(z);
	while (s < e) {
		unsigned int order = s ? (unsigned int)__builtin_ctzll(s)
				       : PGA_MAX_ORDER;

		order = PGA_MIN(order, (unsigned int)PGA_MAX_ORDER);
		while (s + (1UL << order) > e)
			order--;
		if (order > PGA_PAGEBLOCK_ORDER &&
		    !pageblocks_uniform(s, order))
			order = PGA_PAGEBLOCK_ORDER;
		if (fresh) {
			pga_contents_on_free(pfn_page(s), order);
			pga_debug_pagealloc(pfn_page(s), order, false);
		}
		pga_buddy_free_one_page_locked(z, pfn_page(s), s, order,
					       get_pageblock_migratetype(s),
					       fpi);
		s += 1UL << order;
	}
}

/*
 * Split a block of order @high down to @low: each upper half goes to the
 * head of @mt's list at its order; the caller keeps the lowest part
 * (Linux expand).
 */
static void expand(struct pga_zone *z, struct pga_page *page,
		   unsigned int low, unsigned int high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_list(z, page + (1UL << high), high, mt, false);
	}
}

/*
 * Take the smallest free block of at least @order from @mt's lists, split
 * it down to @order and return its head (Linux __rmqueue_smallest).  The
 * head's private field records @mt (the pcp migratetype).  The free
 * counters drop by 2^@order.  Context: zone lock held.
 */
struct pga_page *pga_buddy_rmqueue_smallest_locked(struct pga_zone *z,
						   unsigned int order, int mt)
{
	PGA_ASSERT_LOCKED(z);
	for (unsigned int o = order; o <= PGA_MAX_ORDER; o++) {
		struct pga_list_head *list = &z->free_area[o].free_list[mt];
		struct pga_page *page;

		if (list_empty(list))
			continue;
		page = list_first_page(list);
		pga_buddy_del_page_locked(z, page, o);
		expand(z, page, order, o, mt);
		page->private = (uint16_t)mt;
		pga_buddy_account_free(z, -(long)(1UL << order), mt);
		return page;
	}
	return NULL;
}

/*
 * Set the migratetype of the pageblock holding @pfn.  With mobility
 * grouping disabled every mergeable type is stored as UNMOVABLE (Linux
 * set_pageblock_migratetype).  Context: zone lock held, or init.
 */
void pga_pageblock_set_type(pga_pfn_t pfn, int mt)
{
	uint8_t *b = pageblock_byte(pfn);
	uint8_t old = __atomic_load_n(b, __ATOMIC_RELAXED), val;

	if (pga_g.group_by_mobility_disabled && mt < PGA_MIGRATE_PCPTYPES)
		mt = PGA_MIGRATE_UNMOVABLE;
	do {
		val = (uint8_t)((old & ~PGA_PB_MT_MASK) | (unsigned int)mt);
	} while (!__atomic_compare_exchange_n(b, &old, val, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
}

/* Compaction's skip hint for the pageblock of @pfn.  Context: any. */
bool pga_pageblock_skip(pga_pfn_t pfn)
{
	return (__atomic_load_n(pageblock_byte(pfn), __ATOMIC_RELAXED) &
		PGA_PB_SKIP) != 0;
}

/* Set or clear the skip hint of the pageblock of @pfn.  Context: any. */
void pga_pageblock_set_skip(pga_pfn_t pfn, bool skip)
{
	if (skip)
		__atomic_fetch_or(pageblock_byte(pfn), PGA_PB_SKIP,
				  __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(pageblock_byte(pfn),
				   (uint8_t)~PGA_PB_SKIP, __ATOMIC_RELAXED);
}
