/* SPDX-License-Identifier: MIT */
/*
 * Moving movable pages out of a pfn range (Linux
 * __alloc_contig_migrate_range over migrate_pages), for contiguous
 * allocation, CMA and offlining.  The range is isolated first, so the
 * destinations the allocator hands out always lie outside it.
 *
 * A page qualifies when the embedder marked it movable: an order-0 page
 * or a compound head.  It is pinned with an extra reference while in a
 * batch; it is moved only while that pin and the owner's reference are
 * the only two (Linux's expected-refcount check).  Batches of up to 32
 * pages get 5 tries; a page still there after that makes the call fail
 * with -PGA_EBUSY, as in Linux.
 *
 * This is the runtime-memory engineer's own helper; compaction has its
 * own migration loop, to be unified later.
 */
#include "internal.h"

#define MIGRATE_BATCH 32 /* COMPACT_CLUSTER_MAX */
#define MIGRATE_TRIES 5

struct batch {
	struct pga_page *page[MIGRATE_BATCH];
	unsigned int n;
};

/* Linux get_page_unless_zero. */
static bool get_unless_zero(struct pga_page *p)
{
	int old = pga_atomic_read(&p->refcount);

	while (old > 0) {
		int seen = pga_atomic_cmpxchg(&p->refcount, old, old + 1);

		if (seen == old)
			return true;
		old = seen;
	}
	return false;
}

/*
 * For scans without the owner's cooperation: the head of the compound
 * page @p belongs to (@p itself if not a tail), read once and checked.
 * Return: the head, or NULL if @p stopped being a tail under us (its
 * compound page is being freed).  Context: any.
 */
struct pga_page *pga_stable_head(struct pga_page *p)
{
	struct pga_list_head *link =
	    __atomic_load_n(&p->lru.next, __ATOMIC_RELAXED);
	struct pga_page *h;

	if (!page_flag(p, PGA_PG_tail))
		return p;
	h = pga_page_checked((struct pga_page *)(void *)link);
	return h && page_flag(h, PGA_PG_head) ? h : NULL;
}

static void take(struct batch *b, struct pga_page *p)
{
	if (!page_flag(p, PGA_PG_movable) || !get_unless_zero(p))
		return;
	if (page_flag(p, PGA_PG_movable))
		b->page[b->n++] = p;
	else
		pga_put_page(p);
}

/*
 * Pin the movable pages from *@pfnp on into @b until it is full or
 * @end is reached (Linux isolate_migratepages_range).  Reads page state
 * without the zone lock, as Linux does: a wrong guess only costs a retry.
 */
static void isolate_batch(pga_pfn_t *pfnp, pga_pfn_t end, struct batch *b)
{
	pga_pfn_t pfn = *pfnp;

	while (pfn < end && b->n < MIGRATE_BATCH) {
		struct pga_page *p = pfn_page(pfn);
		unsigned int order =
		    __atomic_load_n(&p->private, __ATOMIC_RELAXED);
		struct pga_page *h;

		if (page_flag(p, PGA_PG_buddy) && order <= PGA_MAX_ORDER) {
			pfn += 1UL << order;
			continue;
		}
		h = pga_stable_head(p);
		pfn++;
		if (!h)
			continue;
		order = pga_compound_order(h);
		if (order <= PGA_MAX_ORDER)
			pfn = PGA_MAX(pfn, page_pfn(h) + (1UL << order));
		take(b, h);
	}
	*pfnp = pfn;
}

/*
 * Move one pinned page: allocate a destination, let the embedder copy it
 * and repoint its references, then drop the pin and the owner's
 * reference; counts pgmigrate_success / pgmigrate_fail in base pages.
 * Return: 0 when @src is gone from the range, -PGA_EAGAIN to
 * retry later, -PGA_ENOMEM when no destination was available.
 */
static int migrate_one(struct pga_page *src, int nid, pga_gfp_t gfp)
{
	unsigned int order = pga_compound_order(src);
	int ref = pga_atomic_read(&src->refcount);
	struct pga_page *dst;

	if (ref == 1) {
		/* The owner freed it while pinned: the pin frees it. */
		pga_put_page(src);
		return 0;
	}
	if (ref != 2 || !page_flag(src, PGA_PG_movable))
		return -PGA_EAGAIN;
	dst =
	    pga_alloc_pages_node(nid, gfp | (order ? PGA_GFP_COMP : 0), order);
	if (!dst)
		return -PGA_ENOMEM;
	if (pga_g.hooks.migrate_page(pga_g.hooks.ctx, dst, src)) {
		pga_free_pages(dst, order);
		pga_count_event(PGA_PGMIGRATE_FAIL, 1UL << order);
		return -PGA_EAGAIN;
	}
	pga_count_event(PGA_PGMIGRATE_SUCCESS, 1UL << order);
	pga_page_set_movable(dst, true);
	pga_put_page(src);
	pga_put_page(src);
	return 0;
}

/* Migrate every page of @b; keep the ones that stay.  Return: 0 or ENOMEM. */
static int migrate_batch(struct batch *b, int nid, pga_gfp_t gfp)
{
	unsigned int kept = 0;
	int ret = 0;

	for (unsigned int i = 0; i < b->n; i++) {
		int rc = ret ? -PGA_EAGAIN : migrate_one(b->page[i], nid, gfp);

		if (rc == -PGA_ENOMEM)
			ret = rc;
		if (rc)
			b->page[kept++] = b->page[i];
	}
	b->n = kept;
	return ret;
}

static bool fatal_signal(void)
{
	return pga_g.hooks.fatal_signal_pending &&
	       pga_g.hooks.fatal_signal_pending(pga_g.hooks.ctx);
}

/*
 * Migrate the movable pages of [@start, @end) (in zone @z, isolated) to
 * destinations on @z's node allocated with GFP_USER | __GFP_MOVABLE |
 * __GFP_RETRY_MAYFAIL (| __GFP_HIGHMEM for ZONE_MOVABLE).
 * Return: 0; -PGA_EBUSY if a batch kept pages after 5 tries or there is
 * no migrate_page hook; -PGA_ENOMEM; -PGA_EINTR on a fatal signal.
 * Context: task; calls the migrate_page hook with no lock held.
 */
int pga_migrate_range(struct pga_zone *z, pga_pfn_t start, pga_pfn_t end)
{
	pga_gfp_t gfp = PGA_GFP_USER | PGA_GFP_MOVABLE | PGA_GFP_RETRY_MAYFAIL |
			PGA_GFP_NOWARN;
	struct batch b = {.n = 0};
	unsigned int tries = 0;
	pga_pfn_t pfn = start;
	int ret = 0;

	if (z->idx == PGA_ZONE_MOVABLE)
		gfp |= PGA_GFP_HIGHMEM;
	while (pfn < end || b.n) {
		if (fatal_signal()) {
			ret = -PGA_EINTR;
			break;
		}
		if (!b.n) {
			tries = 0;
			isolate_batch(&pfn, end, &b);
			if (!b.n)
				continue;
		} else if (++tries == MIGRATE_TRIES) {
			ret = -PGA_EBUSY;
			break;
		}
		if (!pga_g.hooks.migrate_page) {
			ret = -PGA_EBUSY;
			break;
		}
		ret = migrate_batch(&b, z->nid, gfp);
		if (ret)
			break;
	}
	for (unsigned int i = 0; i < b.n; i++)
		pga_put_page(b.page[i]);
	return ret;
}
