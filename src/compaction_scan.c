/* SPDX-License-Identifier: MIT */
/*
 * The two compaction scanners and migration (Linux isolate_migratepages,
 * isolate_freepages, migrate_pages as compaction uses them).
 *
 * The migrate scanner walks up from the zone start and isolates allocated
 * pages the embedder marked movable: it takes a reference and sets
 * PG_isolated, so a concurrent free by the owner leaves the page with
 * compaction, which frees it later.  The free scanner walks down from the
 * zone end and takes free blocks off the buddy lists (as long as the zone
 * stays above its min watermark), split into order-0 target pages that
 * count as allocated while compaction holds them.  Migration hands each
 * (target, source) pair to the embedder's migrate_page hook; on success
 * the source is freed, and those frees may complete the block a direct
 * compactor is waiting for (capture, see compaction.c).
 */
#include "compaction.h"

#define PG_BIT(f) PGA_PAGE_FLAG(f)

static pga_pfn_t block_start(pga_pfn_t pfn)
{
	return PGA_ALIGN_DOWN(pfn, PGA_PAGEBLOCK_NR_PAGES);
}

static pga_pfn_t block_end(pga_pfn_t pfn)
{
	return block_start(pfn) + PGA_PAGEBLOCK_NR_PAGES;
}

static uint64_t flags_of(const struct pga_page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_RELAXED);
}

/*
 * Prepare @cc for a run over @z for a request of @order (-1: the whole
 * zone) and @gfp.  The caller sets the mode and the hints.  Context: any.
 */
void pga_compact_cc_init(struct pga_compact_control *cc, struct pga_zone *z,
			 int order, pga_gfp_t gfp)
{
	int mt = pga_gfp_migratetype(gfp);

	__builtin_memset(cc, 0, sizeof(*cc));
	list_init(&cc->freepages);
	list_init(&cc->migratepages);
	cc->zone = z;
	cc->order = order;
	cc->gfp = gfp;
	cc->migratetype = mt < 0 ? PGA_MIGRATE_MOVABLE : mt;
	cc->highest_zoneidx = (int)z->idx;
	cc->mode = PGA_MIGRATE_SYNC_LIGHT;
}

/*
 * Have the scanners met, at pageblock granularity (Linux
 * compact_scanners_met)?  Return: true if so.  Context: any.
 */
bool pga_compact_scanners_met(const struct pga_compact_control *cc)
{
	return (cc->free_pfn >> PGA_PAGEBLOCK_ORDER) <=
	       (cc->migrate_pfn >> PGA_PAGEBLOCK_ORDER);
}

/*
 * First page of [@start, @end) if the whole range has descriptors in @z
 * (Linux pageblock_pfn_to_page), else NULL.
 */
static struct pga_page *range_first_page(struct pga_zone *z, pga_pfn_t start,
					 pga_pfn_t end)
{
	struct pga_page *first, *last;

	start = PGA_MAX(start, z->zone_start_pfn);
	end = PGA_MIN(end, zone_end_pfn(z));
	if (start >= end)
		return NULL;
	first = pfn_to_page_or_null(start);
	last = pfn_to_page_or_null(end - 1);
	if (!first || !last || page_zone(first) != z || page_zone(last) != z)
		return NULL;
	return first;
}

static bool isolation_suitable(const struct pga_compact_control *cc,
			       pga_pfn_t pfn)
{
	return cc->ignore_skip_hint || !pga_pageblock_skip(pfn);
}

/*
 * Linux suitable_migration_source: async direct compaction only empties
 * blocks of the request's own type (movable-like for movable requests).
 */
static bool suitable_migration_source(const struct pga_compact_control *cc,
				      pga_pfn_t pfn)
{
	int mt;

	if (cc->mode != PGA_MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	mt = get_pageblock_migratetype(pfn);
	if (cc->migratetype == PGA_MIGRATE_MOVABLE)
		return is_migrate_movable(mt);
	return mt == cc->migratetype;
}

/*
 * Linux suitable_migration_target: a block that is not already one free
 * block of pageblock size, and movable-like unless the caller said any
 * block will do.
 */
static bool suitable_migration_target(const struct pga_compact_control *cc,
				      pga_pfn_t pfn)
{
	const struct pga_page *page = pfn_page(pfn);

	if ((flags_of(page) & PG_BIT(PGA_PG_buddy)) &&
	    __atomic_load_n(&page->private, __ATOMIC_RELAXED) >=
		    PGA_PAGEBLOCK_ORDER)
		return false;
	if (cc->ignore_block_suitable)
		return true;
	return is_migrate_movable(get_pageblock_migratetype(pfn));
}

/* Remember how far the migrate scanner got (Linux update_cached_migrate). */
static void update_cached_migrate(struct pga_compact_control *cc,
				  pga_pfn_t pfn)
{
	struct pga_zone *z = cc->zone;

	pfn = block_end(pfn);
	if (pfn > z->compact_cached_migrate_pfn[0])
		z->compact_cached_migrate_pfn[0] = pfn;
	if (cc->mode != PGA_MIGRATE_ASYNC &&
	    pfn > z->compact_cached_migrate_pfn[1])
		z->compact_cached_migrate_pfn[1] = pfn;
}

/* Linux get_page_unless_zero: a reference on an allocated page. */
static bool get_page_unless_zero(struct pga_page *page)
{
	int ref = pga_atomic_read(&page->refcount);

	for (;;) {
		int seen;

		if (ref <= 0)
			return false;
		seen = pga_atomic_cmpxchg(&page->refcount, ref, ref + 1);
		if (seen == ref)
			return true;
		ref = seen;
	}
}

/*
 * Take a reference on @page if it is an allocated, movable, not yet
 * isolated order-0 page, and mark it PG_isolated.  Nothing is written to
 * the page's flags until the reference is held and the owner's movable
 * mark is seen: a page that is being prepared for a new owner (its flags
 * written without atomics) is never movable yet.  A concurrent
 * compactor that isolated it first wins.  Return: true if taken.
 */
static bool isolate_movable_page(struct pga_page *page)
{
	const uint64_t refuse = PG_BIT(PGA_PG_isolated) | PG_BIT(PGA_PG_buddy) |
				PG_BIT(PGA_PG_head) | PG_BIT(PGA_PG_tail) |
				PG_BIT(PGA_PG_reserved) | PG_BIT(PGA_PG_bad) |
				PG_BIT(PGA_PG_pcp);
	uint64_t f;

	if (!get_page_unless_zero(page))
		return false;
	f = __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE);
	if ((f & PG_BIT(PGA_PG_movable)) && !(f & refuse) &&
	    !(__atomic_fetch_or(&page->flags, PG_BIT(PGA_PG_isolated),
				__ATOMIC_ACQ_REL) &
	      PG_BIT(PGA_PG_isolated)))
		return true;
	pga_put_page(page);
	return false;
}

/* Give an isolated page back to its owner (Linux putback_movable_page). */
static void putback_page(struct pga_page *page)
{
	__atomic_fetch_and(&page->flags, ~PG_BIT(PGA_PG_isolated),
			   __ATOMIC_ACQ_REL);
	pga_put_page(page);
}

/*
 * Isolate movable pages of [@low, @end) until COMPACT_CLUSTER_MAX are
 * held (Linux isolate_migratepages_block).  A block scanned to its end
 * without isolating anything gets its skip hint.
 */
static void isolate_migrate_block(struct pga_compact_control *cc,
				  pga_pfn_t low, pga_pfn_t end)
{
	unsigned long scanned = 0, isolated = 0;

	for (; low < end; low++) {
		struct pga_page *page = pfn_page(low);
		uint64_t f;

		if (cc->nr_migratepages >= PGA_COMPACT_CLUSTER_MAX)
			break;
		scanned++;
		f = flags_of(page);
		if (f & PG_BIT(PGA_PG_buddy)) {
			unsigned int o = __atomic_load_n(&page->private,
							 __ATOMIC_RELAXED);

			if (o <= PGA_MAX_ORDER)
				low += (1UL << o) - 1;
			continue;
		}
		if (f & PG_BIT(PGA_PG_head)) {
			low += (1UL << __atomic_load_n(&page[1].private,
						       __ATOMIC_RELAXED)) - 1;
			continue;
		}
		if (!(f & PG_BIT(PGA_PG_movable)) ||
		    !isolate_movable_page(page))
			continue;
		list_add_tail(&page->lru, &cc->migratepages);
		cc->nr_migratepages++;
		isolated++;
	}
	if (low >= end) {
		low = end;
		if (!isolated) {
			pga_pageblock_set_skip(low - 1, true);
			update_cached_migrate(cc, low - 1);
		}
	}
	cc->migrate_pfn = low;
	cc->total_migrate_scanned += scanned;
	pga_count_event(PGA_COMPACTMIGRATE_SCANNED, scanned);
	pga_count_event(PGA_COMPACTISOLATED, isolated);
}

/*
 * Linux isolate_migratepages: find the next pageblock worth scanning at or
 * after cc->migrate_pfn, below the free scanner, and isolate from it.
 * Return: SUCCESS if pages are isolated, NONE if not, ABORT on a fatal
 * signal.  Context: task; may take no lock for long.
 */
enum pga_isolate_result pga_isolate_migratepages(struct pga_compact_control *cc)
{
	struct pga_zone *z = cc->zone;
	pga_pfn_t low = cc->migrate_pfn;
	pga_pfn_t start = PGA_MAX(block_start(low), z->zone_start_pfn);
	pga_pfn_t end = block_end(low);

	for (; end <= cc->free_pfn;
	     cc->migrate_pfn = low = end, start = end,
	     end += PGA_PAGEBLOCK_NR_PAGES) {
		if (!range_first_page(z, start, end))
			continue;
		if ((low == block_start(low) || low == z->zone_start_pfn) &&
		    !isolation_suitable(cc, start))
			continue;
		if (!suitable_migration_source(cc, start)) {
			update_cached_migrate(cc, start);
			continue;
		}
		if (cc->direct_compaction && fatal_signal_pending()) {
			cc->contended = true;
			return PGA_ISOLATE_ABORT;
		}
		isolate_migrate_block(cc, low, PGA_MIN(end, zone_end_pfn(z)));
		break;
	}
	return cc->nr_migratepages ? PGA_ISOLATE_SUCCESS : PGA_ISOLATE_NONE;
}

static bool compact_lock(struct pga_compact_control *cc, unsigned long *flags)
{
	struct pga_zone *z = cc->zone;

	*flags = pga_arch_irq_save();
	if (cc->mode != PGA_MIGRATE_ASYNC) {
		pga_arch_spin_lock(&z->lock);
		return true;
	}
	if (pga_arch_spin_trylock(&z->lock))
		return true;
	pga_arch_irq_restore(*flags);
	cc->contended = true;
	return false;
}

/*
 * Take the free block @page of @order for compaction if the zone stays
 * above min + 2^order (Linux __isolate_free_page).  Blocks of nearly a
 * pageblock turn their pageblocks movable.  The pages become order-0
 * pages with refcount 1 on cc->freepages, counted as allocated.
 * Return: pages taken.  Context: zone lock held.
 */
static unsigned long take_free_block_locked(struct pga_compact_control *cc,
					    struct pga_page *page,
					    unsigned int order)
{
	struct pga_zone *z = cc->zone;
	pga_pfn_t pfn = page_pfn(page);
	int mt = get_pageblock_migratetype(pfn);
	unsigned long nr = 1UL << order;

	PGA_ASSERT_LOCKED(z);
	if (mt != PGA_MIGRATE_ISOLATE &&
	    !pga_zone_watermark_ok(z, 0, z->watermark[PGA_WMARK_MIN] + nr, 0,
				   PGA_ALLOC_CMA))
		return 0;
	pga_buddy_del_page_locked(z, page, order);
	pga_buddy_account_free(z, -(long)nr, mt);
	for (unsigned long i = 0;
	     order >= PGA_PAGEBLOCK_ORDER - 1 && i < nr;
	     i += PGA_PAGEBLOCK_NR_PAGES) {
		int bmt = get_pageblock_migratetype(pfn + i);

		if (bmt != PGA_MIGRATE_ISOLATE && bmt != PGA_MIGRATE_CMA &&
		    bmt != PGA_MIGRATE_HIGHATOMIC)
			pga_pageblock_set_type(pfn + i, PGA_MIGRATE_MOVABLE);
	}
	for (unsigned long i = 0; i < nr; i++) {
		page[i].private = 0;
		pga_atomic_set(&page[i].refcount, 1);
		list_add_tail(&page[i].lru, &cc->freepages);
	}
	pga_account_alloc_irqoff(z, pga_cpu(), (long)nr);
	cc->nr_freepages += nr;
	return nr;
}

/*
 * Isolate free blocks from [*@startp, @end) until there are as many
 * targets as isolated movable pages (Linux isolate_freepages_block).
 * *@startp ends where the scan stopped.
 */
static void isolate_free_block(struct pga_compact_control *cc,
			       pga_pfn_t *startp, pga_pfn_t end)
{
	unsigned long flags, scanned = 0, isolated = 0;
	pga_pfn_t pfn = *startp;

	if (!compact_lock(cc, &flags))
		return;
	for (; pfn < end; pfn++) {
		struct pga_page *page = pfn_page(pfn);
		unsigned long got;

		scanned++;
		if (!page_flag(page, PGA_PG_buddy))
			continue;
		got = take_free_block_locked(cc, page, page->private);
		if (!got)
			break;
		isolated += got;
		pfn += got - 1;
		if (cc->nr_migratepages <= cc->nr_freepages) {
			pfn++;
			break;
		}
	}
	zone_unlock(cc->zone, flags);
	*startp = PGA_MIN(pfn, end);
	cc->total_free_scanned += scanned;
	pga_count_event(PGA_COMPACTFREE_SCANNED, scanned);
	pga_count_event(PGA_COMPACTISOLATED, isolated);
}

/* Mark a free-scanner block as not worth a visit (update_pageblock_skip). */
static void skip_free_block(struct pga_compact_control *cc, pga_pfn_t start,
			    pga_pfn_t next)
{
	pga_pageblock_set_skip(start, true);
	if (next < cc->zone->compact_cached_free_pfn)
		cc->zone->compact_cached_free_pfn = next;
}

/*
 * Linux isolate_freepages: walk down from cc->free_pfn, one pageblock at
 * a time, until enough targets are isolated or the scanners meet.
 */
static void isolate_freepages(struct pga_compact_control *cc)
{
	struct pga_zone *z = cc->zone;
	pga_pfn_t isolate_start = cc->free_pfn;
	pga_pfn_t start = block_start(cc->free_pfn);
	pga_pfn_t end =
		PGA_MIN(start + PGA_PAGEBLOCK_NR_PAGES, zone_end_pfn(z));
	pga_pfn_t low = block_end(cc->migrate_pfn);

	for (; start >= low; end = start, start -= PGA_PAGEBLOCK_NR_PAGES,
	     isolate_start = start) {
		if (!range_first_page(z, start, end) ||
		    !suitable_migration_target(cc, start) ||
		    !isolation_suitable(cc, start))
			continue;
		isolate_start = PGA_MAX(isolate_start, z->zone_start_pfn);
		isolate_free_block(cc, &isolate_start, end);
		if (isolate_start == end)
			skip_free_block(cc, start,
					start - PGA_PAGEBLOCK_NR_PAGES);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			if (isolate_start >= end)
				isolate_start = start - PGA_PAGEBLOCK_NR_PAGES;
			break;
		}
		if (isolate_start < end || cc->contended)
			break;
	}
	cc->free_pfn = isolate_start;
}

/* Linux compaction_alloc: the next target page, scanning for more. */
static struct pga_page *compaction_alloc(struct pga_compact_control *cc)
{
	struct pga_page *page;

	if (list_empty(&cc->freepages)) {
		isolate_freepages(cc);
		if (list_empty(&cc->freepages))
			return NULL;
	}
	page = list_first_page(&cc->freepages);
	list_del(&page->lru);
	cc->nr_freepages--;
	return page;
}

/* Linux compaction_free: an unused target goes back on the list. */
static void compaction_free(struct pga_compact_control *cc,
			    struct pga_page *page)
{
	list_add(&page->lru, &cc->freepages);
	cc->nr_freepages++;
}

/*
 * Move @src into @dst through the embedder.  Only a page held by its
 * owner and by compaction alone (refcount 2) is offered, as Linux checks
 * the expected reference count.  On success @dst inherits the movable
 * mark.  Return: true if migrated.
 */
static bool migrate_one(struct pga_page *dst, struct pga_page *src)
{
	if (!pga_g.hooks.migrate_page ||
	    pga_atomic_read(&src->refcount) != 2)
		return false;
	if (pga_g.hooks.migrate_page(pga_g.hooks.ctx, dst, src) != 0)
		return false;
	__atomic_fetch_or(&dst->flags, PG_BIT(PGA_PG_movable),
			  __ATOMIC_ACQ_REL);
	return true;
}

/*
 * Free migrated sources: drop compaction's and the owner's reference.
 * The frees run inside the capture window, so the block a direct
 * compactor waits for can be handed to it.
 */
static void free_migrated(struct pga_list_head *done,
			  struct pga_capture_control *capc)
{
	unsigned int cpu;
	bool published;
	unsigned long flags = pga_capture_open(capc, &cpu, &published);

	while (!list_empty(done)) {
		struct pga_page *src = list_first_page(done);

		list_del(&src->lru);
		__atomic_fetch_and(&src->flags,
				   ~(PG_BIT(PGA_PG_isolated) |
				     PG_BIT(PGA_PG_movable)),
				   __ATOMIC_ACQ_REL);
		pga_put_page(src);
		pga_put_page(src);
	}
	pga_capture_close(capc, cpu, published, flags);
}

static void trace_migratepages(const struct pga_compact_control *cc,
			       unsigned long ok, unsigned long failed)
{
	struct pga_trace_event ev = {0};

	if (!pga_g.hooks.trace)
		return;
	ev.type = PGA_TRACE_MM_COMPACTION_MIGRATEPAGES;
	ev.nid = cc->zone->nid;
	ev.zone = (int)cc->zone->idx;
	ev.nr_migrated = ok;
	ev.nr_failed = failed;
	pga_g.hooks.trace(pga_g.hooks.ctx, &ev);
}

/*
 * Migrate every isolated page (Linux migrate_pages with compaction_alloc
 * and compaction_free).  Pages that could not move stay on
 * cc->migratepages for pga_compact_putback().
 * Return: 0, -PGA_ENOMEM when the free scanner ran dry, or -PGA_EBUSY
 * when some page refused to move.  Context: task; calls migrate_page.
 */
int pga_compact_migrate_pages(struct pga_compact_control *cc,
			      struct pga_capture_control *capc)
{
	struct pga_list_head done, failed;
	unsigned long ok = 0, bad = 0;
	int err = 0;

	list_init(&done);
	list_init(&failed);
	while (!list_empty(&cc->migratepages)) {
		struct pga_page *src = list_first_page(&cc->migratepages);
		struct pga_page *dst = compaction_alloc(cc);

		if (!dst) {
			err = -PGA_ENOMEM;
			break;
		}
		list_del(&src->lru);
		cc->nr_migratepages--;
		if (migrate_one(dst, src)) {
			list_add_tail(&src->lru, &done);
			ok++;
		} else {
			compaction_free(cc, dst);
			list_add_tail(&src->lru, &failed);
			bad++;
			err = err ? err : -PGA_EBUSY;
		}
	}
	while (!list_empty(&failed)) {
		struct pga_page *src = list_last_page(&failed);

		list_del(&src->lru);
		list_add(&src->lru, &cc->migratepages);
		cc->nr_migratepages++;
	}
	free_migrated(&done, capc);
	cc->nr_migrated += ok;
	cc->nr_failed += bad;
	pga_count_event(PGA_PGMIGRATE_SUCCESS, ok);
	pga_count_event(PGA_PGMIGRATE_FAIL, bad);
	trace_migratepages(cc, ok, bad);
	return err;
}

/* Return every page still isolated to its owner.  Context: task. */
void pga_compact_putback(struct pga_compact_control *cc)
{
	while (!list_empty(&cc->migratepages)) {
		struct pga_page *page = list_first_page(&cc->migratepages);

		list_del(&page->lru);
		putback_page(page);
	}
	cc->nr_migratepages = 0;
}

/*
 * Free the unused targets (Linux release_freepages).
 * Return: the highest pfn released, 0 if none.  Context: task.
 */
pga_pfn_t pga_compact_release_freepages(struct pga_compact_control *cc)
{
	pga_pfn_t high = 0;

	while (!list_empty(&cc->freepages)) {
		struct pga_page *page = list_first_page(&cc->freepages);

		list_del(&page->lru);
		high = PGA_MAX(high, page_pfn(page));
		pga_free_pages(page, 0);
	}
	cc->nr_freepages = 0;
	return high;
}

/*
 * Flush this CPU's cached pages of the zone into the buddy so freed
 * sources merge (Linux lru_add_drain_cpu_zone), inside the capture
 * window.  Context: task.
 */
void pga_compact_drain_local(struct pga_compact_control *cc,
			     struct pga_capture_control *capc)
{
	unsigned int cpu;
	bool published;
	unsigned long flags = pga_capture_open(capc, &cpu, &published);

	if (cpu < pga_g.nr_cpus)
		pga_pcp_drain_cpu(cpu, cc->zone);
	pga_capture_close(capc, cpu, published, flags);
}
