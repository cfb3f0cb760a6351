/* SPDX-License-Identifier: MIT */
/*
 * Page isolation (Linux mm/page_isolation.c): a pageblock set to
 * MIGRATE_ISOLATE keeps its free pages on the ISOLATE lists, out of the
 * free counters and out of reach of every allocation, and pages freed
 * into it stay there (the free paths re-read the pageblock type while
 * zone->nr_isolate_pageblock is non-zero).  Contiguous allocation, CMA
 * and offlining isolate a range first, empty it, then take it.
 *
 * Rules kept from Linux: isolation fails with -EBUSY on a pageblock that
 * is already isolated or that holds an unmovable page inside the
 * requested range (has_unmovable_pages); CMA pageblocks are only isolated
 * for MIGRATE_CMA; a free block larger than a pageblock that straddles
 * the range boundary is split so the part outside stays usable; undoing
 * re-merges isolated free blocks with their free neighbours.
 */
#include "internal.h"

#define PB PGA_PAGEBLOCK_NR_PAGES

static pga_pfn_t pb_start(pga_pfn_t pfn)
{
	return PGA_ALIGN_DOWN(pfn, PB);
}

/* The zone of the pageblock at @pfn, or NULL if it has holes or two zones. */
static struct pga_zone *pageblock_zone(pga_pfn_t pfn)
{
	struct pga_page *first = pfn_to_page_or_null(pfn);
	struct pga_page *last = pfn_to_page_or_null(pfn + PB - 1);

	if (!first || !last || page_zone(first) != page_zone(last))
		return NULL;
	return page_zone(first);
}

/*
 * Validate a pfn range for isolation.  Return: the zone holding every
 * pageblock that covers [@start, @end), or NULL (logged) for an empty
 * range, a range past the memmap or one that spans zones.  Context: any.
 */
struct pga_zone *pga_isolation_zone(pga_pfn_t start, pga_pfn_t end)
{
	struct pga_zone *z = NULL;

	if (start >= end || end > PGA_MAX_PFN) {
		pga_log(PGA_LOG_ERR,
			"pga: pfn range [%#llx, %#llx) is empty "
			"or out of range",
			(unsigned long long)start, (unsigned long long)end);
		return NULL;
	}
	for (pga_pfn_t pfn = pb_start(start); pfn < end; pfn += PB) {
		struct pga_zone *pz = pageblock_zone(pfn);

		if (!pz || (z && pz != z)) {
			pga_log(PGA_LOG_ERR,
				"pga: pfn range [%#llx, %#llx) is "
				"not in one zone (pageblock at pfn %#llx)",
				(unsigned long long)start,
				(unsigned long long)end,
				(unsigned long long)pfn);
			return NULL;
		}
		z = pz;
	}
	return z;
}

/*
 * Return: true if @mt is a valid isolation target (MOVABLE, or CMA when
 * configured); false, logged, otherwise.  Context: any.
 */
bool pga_isolation_mt_ok(int mt)
{
	if (mt == PGA_MIGRATE_MOVABLE ||
	    (PGA_CONFIG_CMA && mt == PGA_MIGRATE_CMA))
		return true;
	pga_log(PGA_LOG_ERR,
		"pga: isolation target migratetype %d is not MOVABLE or CMA",
		mt);
	return false;
}

/*
 * The first page of [@s, @e) (inside one pageblock) that cannot be moved
 * away, or NULL (Linux has_unmovable_pages).  Free pages, pages on
 * per-CPU lists and movable pages pass; reserved and quarantined pages
 * never do; in ZONE_MOVABLE everything else passes.
 */
static struct pga_page *first_unmovable(const struct pga_zone *z, pga_pfn_t s,
					pga_pfn_t e)
{
	for (pga_pfn_t pfn = s; pfn < e; pfn++) {
		struct pga_page *p = pfn_page(pfn);

		if (page_flag(p, PGA_PG_reserved) || page_flag(p, PGA_PG_bad))
			return p;
		if (z->idx == PGA_ZONE_MOVABLE)
			continue;
		if (page_flag(p, PGA_PG_head) || page_flag(p, PGA_PG_tail)) {
			struct pga_page *h = pga_stable_head(p);
			unsigned int order;

			if (!h) /* being freed */
				continue;
			if (!page_flag(h, PGA_PG_movable))
				return p;
			order = pga_compound_order(h);
			if (order <= PGA_MAX_ORDER)
				pfn = PGA_MAX(pfn,
					      page_pfn(h) + (1UL << order) - 1);
			continue;
		}
		if (!pga_atomic_read(&p->refcount)) {
			if (page_flag(p, PGA_PG_buddy))
				pfn += (1UL << p->private) - 1;
			continue;
		}
		if (!page_flag(p, PGA_PG_movable))
			return p;
	}
	return NULL;
}

/* Move the free blocks whose heads lie in pageblock @pb (clipped to @z). */
static unsigned long move_block_locked(struct pga_zone *z, pga_pfn_t pb, int mt)
{
	pga_pfn_t s = PGA_MAX(pb, z->zone_start_pfn);
	pga_pfn_t e = PGA_MIN(pb + PB, zone_end_pfn(z));

	PGA_ASSERT_LOCKED(z);
	return s < e ? pga_move_freepages_locked(z, s, e - 1, mt, NULL) : 0;
}

/* A free block larger than a pageblock, taken off its list. */
struct big_block {
	pga_pfn_t head;
	unsigned int order;
};

/*
 * Take off its list the free block larger than a pageblock that covers
 * @pfn, if there is one, counting it out with its head pageblock's type
 * (the list it is on).  Return: true if one was taken.
 */
static bool take_covering_locked(struct pga_zone *z, pga_pfn_t pfn,
				 struct big_block *b)
{
	PGA_ASSERT_LOCKED(z);
	for (unsigned int o = PGA_PAGEBLOCK_ORDER + 1; o <= PGA_MAX_ORDER;
	     o++) {
		pga_pfn_t head = PGA_ALIGN_DOWN(pfn, 1UL << o);
		struct pga_page *p = pfn_to_page_or_null(head);

		if (!p || page_zone(p) != z || !page_flag(p, PGA_PG_buddy) ||
		    p->private != o)
			continue;
		pga_buddy_del_page_locked(z, p, o);
		pga_buddy_account_free(z, -(long)(1UL << o),
				       get_pageblock_migratetype(head));
		b->head = head;
		b->order = o;
		return true;
	}
	return false;
}

/*
 * Free a block taken by take_covering_locked() back one pageblock at a
 * time, each piece with its pageblock's current type (Linux
 * split_free_page): pieces of types that may not merge stay apart.
 */
static void free_pieces_locked(struct pga_zone *z, const struct big_block *b)
{
	for (pga_pfn_t q = b->head; q < b->head + (1UL << b->order); q += PB)
		pga_buddy_free_one_page_locked(
		    z, pfn_page(q), q, PGA_PAGEBLOCK_ORDER,
		    get_pageblock_migratetype(q), PGA_FPI_NONE);
}

/*
 * Turn pageblock @pb from type @old into @mt with its free pages: a free
 * block that also covers other pageblocks is split so only this
 * pageblock's part changes type; the blocks inside move to @mt's lists
 * and the counters follow; then merges the change allows are made.
 */
static void retype_pageblock_locked(struct pga_zone *z, pga_pfn_t pb, int old,
				    int mt)
{
	struct big_block b;
	bool big = take_covering_locked(z, pb, &b);
	long moved = (long)move_block_locked(z, pb, mt);

	pga_buddy_account_free(z, -moved, old);
	pga_buddy_account_free(z, moved, mt);
	pga_pageblock_set_type(pb, mt);
	if (big)
		free_pieces_locked(z, &b);
	pga_buddy_remerge_locked(z, pb);
}

static void report_unmovable(const struct pga_page *p, pga_pfn_t pb)
{
	pga_log(PGA_LOG_WARN,
		"pga: cannot isolate pageblock at pfn %#llx: "
		"unmovable page pfn %#llx refcount %d flags %#llx",
		(unsigned long long)pb, (unsigned long long)page_pfn(p),
		pga_atomic_read(&p->refcount),
		(unsigned long long)(p->flags &
				     (PGA_PAGE_FLAG(PGA_PG_NR_FLAGS) - 1)));
}

/* Why pageblock @pb cannot become isolated for @mt: -errno, or 0. */
static int isolate_check_locked(struct pga_zone *z, pga_pfn_t pb,
				pga_pfn_t start, pga_pfn_t end, int mt,
				unsigned int flags, struct pga_page **bad)
{
	int old = get_pageblock_migratetype(pb);

	PGA_ASSERT_LOCKED(z);
	*bad = NULL;
	if (old == PGA_MIGRATE_ISOLATE)
		return -PGA_EBUSY;
	if (old == PGA_MIGRATE_CMA && mt != PGA_MIGRATE_CMA) {
		*bad = pfn_page(pb);
		return -PGA_EBUSY;
	}
	if (old != PGA_MIGRATE_CMA && mt == PGA_MIGRATE_CMA) {
		pga_log(PGA_LOG_ERR, "pga: pageblock at pfn %#llx is not CMA",
			(unsigned long long)pb);
		return -PGA_EINVAL;
	}
	if (!(flags & PGA_ISOLATE_ALLOW_UNMOVABLE) && old != PGA_MIGRATE_CMA)
		*bad = first_unmovable(z, PGA_MAX(pb, start),
				       PGA_MIN(pb + PB, end));
	return *bad ? -PGA_EBUSY : 0;
}

/* Linux set_migratetype_isolate for the pageblock at @pb. */
static int isolate_pageblock(struct pga_zone *z, pga_pfn_t pb, pga_pfn_t start,
			     pga_pfn_t end, int mt, unsigned int flags)
{
	unsigned long irq = zone_lock(z);
	int old = get_pageblock_migratetype(pb);
	struct pga_page *bad;
	int err = isolate_check_locked(z, pb, start, end, mt, flags, &bad);

	if (!err) {
		/* A reserve that stops existing stops being counted. */
		if (old == PGA_MIGRATE_HIGHATOMIC)
			z->nr_reserved_highatomic -=
			    PGA_MIN(PB, z->nr_reserved_highatomic);
		retype_pageblock_locked(z, pb, old, PGA_MIGRATE_ISOLATE);
		z->nr_isolate_pageblock++;
	}
	zone_unlock(z, irq);
	if (bad && (flags & PGA_ISOLATE_REPORT))
		report_unmovable(bad, pb);
	return err;
}

/*
 * Split the free blocks larger than a pageblock that straddle the ends
 * of the isolated range [@start, @end): a movable compound page larger
 * than a pageblock that reached into the range was migrated whole, and
 * its freed block starts outside (Linux migrates it inside
 * isolate_single_pageblock).
 */
static void resplit_ends_locked(struct pga_zone *z, pga_pfn_t start,
				pga_pfn_t end)
{
	pga_pfn_t edge[2] = {pb_start(start), PGA_ALIGN_UP(end, PB)};
	struct big_block b;

	for (int i = 0; i < 2; i++)
		if (take_covering_locked(z, edge[i], &b))
			free_pieces_locked(z, &b);
}

/*
 * Start of the free block that contains @start, or @start itself (Linux
 * alloc_contig_range's outer_start).
 */
static pga_pfn_t outer_start(pga_pfn_t start)
{
	pga_pfn_t outer = start;
	unsigned int order = 0;

	while (!page_flag(pfn_page(outer), PGA_PG_buddy)) {
		if (++order > PGA_MAX_ORDER)
			return start;
		outer = PGA_ALIGN_DOWN(start, 1UL << order);
	}
	if (outer != start &&
	    outer + (1UL << pfn_page(outer)->private) <= start)
		return start;
	return outer;
}

/*
 * Take every free page of the isolated range [@start, @end) of @z off the
 * lists (Linux isolate_freepages_range): blocks straddling the range ends
 * are split where pageblock types differ, and a block reaching past an
 * end (merged with a neighbouring isolated range) is taken whole and its
 * outside part freed back.  With PGA_ISOLATE_OFFLINE in @flags, offline
 * pages count as free and are left as they are.
 * Return: 0, or -PGA_EBUSY (nothing taken) if a page of the range is not
 * free.  Context: zone lock held.
 */
int pga_take_isolated_locked(struct pga_zone *z, pga_pfn_t start, pga_pfn_t end,
			     unsigned int flags)
{
	pga_pfn_t outer, pfn;

	PGA_ASSERT_LOCKED(z);
	resplit_ends_locked(z, start, end);
	outer = pfn = outer_start(start);
	if (pga_test_isolated_locked(z, outer, end, flags) < end)
		return -PGA_EBUSY;
	while (pfn < end) {
		struct pga_page *p = pfn_page(pfn);
		unsigned int o = p->private;

		if (!page_flag(p, PGA_PG_buddy)) {
			pfn++; /* offline */
			continue;
		}
		pga_buddy_del_page_locked(z, p, o);
		pga_buddy_account_free(z, -(long)(1UL << o),
				       get_pageblock_migratetype(pfn));
		pfn += 1UL << o;
	}
	pga_buddy_free_range_locked(z, outer, start, PGA_FPI_NONE, false);
	pga_buddy_free_range_locked(z, end, pfn, PGA_FPI_NONE, false);
	return 0;
}

/* Drain every CPU's per-CPU lists of @z.  Context: task or atomic. */
void pga_drain_zone(struct pga_zone *z)
{
	for (unsigned int cpu = 0; cpu < pga_g.nr_cpus; cpu++)
		pga_pcp_drain_cpu(cpu, z);
}

/*
 * Isolate the pageblocks covering [@start, @end) of zone @z (validated
 * by pga_isolation_zone()), then drain the zone's per-CPU lists.  On
 * failure the pageblocks isolated so far are restored to @mt.
 * Return: 0, -PGA_EBUSY or -PGA_EINVAL.
 * Context: task; takes the zone lock per pageblock.
 */
int pga_isolate_zone_range(struct pga_zone *z, pga_pfn_t start, pga_pfn_t end,
			   int mt, unsigned int flags)
{
	pga_pfn_t s = pb_start(start), e = PGA_ALIGN_UP(end, PB);

	for (pga_pfn_t pfn = s; pfn < e; pfn += PB) {
		int err = isolate_pageblock(z, pfn, start, end, mt, flags);

		if (err) {
			pga_undo_isolate_zone_range(z, s, pfn, mt);
			return err;
		}
	}
	pga_drain_zone(z);
	return 0;
}

/* Linux unset_migratetype_isolate for the pageblock at @pb. */
static void unisolate_pageblock(struct pga_zone *z, pga_pfn_t pb, int mt)
{
	unsigned long irq = zone_lock(z);

	if (get_pageblock_migratetype(pb) == PGA_MIGRATE_ISOLATE &&
	    !page_flag(pfn_page(pb), PGA_PG_offline)) {
		retype_pageblock_locked(z, pb, PGA_MIGRATE_ISOLATE, mt);
		z->nr_isolate_pageblock--;
	}
	zone_unlock(z, irq);
}

/*
 * Return every isolated (not offline) pageblock covering [@start, @end)
 * of @z to @mt.  Context: task; takes the zone lock per pageblock.
 */
void pga_undo_isolate_zone_range(struct pga_zone *z, pga_pfn_t start,
				 pga_pfn_t end, int mt)
{
	for (pga_pfn_t pfn = pb_start(start); pfn < end; pfn += PB)
		unisolate_pageblock(z, pfn, mt);
}

/*
 * Linux test_pages_isolated.  Return: the first pfn of [@start, @end)
 * that is not isolated and free (in a pageblock that is not isolated, or
 * not the head of a free block; with PGA_ISOLATE_OFFLINE, offline pages
 * count as free), or @end if none.  Context: zone lock held.
 */
pga_pfn_t pga_test_isolated_locked(struct pga_zone *z, pga_pfn_t start,
				   pga_pfn_t end, unsigned int flags)
{
	pga_pfn_t pfn = start;

	PGA_ASSERT_LOCKED(z);
	for (pga_pfn_t pb = pb_start(start); pb < end; pb += PB)
		if (get_pageblock_migratetype(pb) != PGA_MIGRATE_ISOLATE)
			return PGA_MAX(pb, start);
	while (pfn < end) {
		struct pga_page *p = pfn_page(pfn);

		if (page_zone(p) != z)
			break;
		if (page_flag(p, PGA_PG_buddy))
			pfn += 1UL << p->private;
		else if ((flags & PGA_ISOLATE_OFFLINE) &&
			 page_flag(p, PGA_PG_offline) &&
			 !pga_atomic_read(&p->refcount))
			pfn++;
		else
			break;
	}
	return pfn;
}

static struct pga_zone *range_args(pga_pfn_t start, pga_pfn_t end, int mt)
{
	return pga_isolation_mt_ok(mt) ? pga_isolation_zone(start, end) : NULL;
}

int pga_isolate_range(pga_pfn_t start, pga_pfn_t end, int migratetype,
		      unsigned int flags)
{
	struct pga_zone *z = range_args(start, end, migratetype);

	if (!z)
		return -PGA_EINVAL;
	return pga_isolate_zone_range(z, start, end, migratetype, flags);
}

int pga_undo_isolate_range(pga_pfn_t start, pga_pfn_t end, int migratetype)
{
	struct pga_zone *z = range_args(start, end, migratetype);

	if (!z)
		return -PGA_EINVAL;
	pga_undo_isolate_zone_range(z, start, end, migratetype);
	return 0;
}

int pga_test_range_isolated(pga_pfn_t start, pga_pfn_t end, unsigned int flags)
{
	struct pga_zone *z = pga_isolation_zone(start, end);
	unsigned long irq;
	pga_pfn_t busy;

	if (!z)
		return -PGA_EINVAL;
	irq = zone_lock(z);
	busy = pga_test_isolated_locked(z, start, end, flags);
	zone_unlock(z, irq);
	if (busy == end)
		return 0;
	if (flags & PGA_ISOLATE_REPORT)
		pga_log(PGA_LOG_INFO,
			"pga: pfn %#llx in [%#llx, %#llx) is "
			"not isolated and free",
			(unsigned long long)busy, (unsigned long long)start,
			(unsigned long long)end);
	return -PGA_EBUSY;
}
