/* SPDX-License-Identifier: MIT */
/*
 * Batched allocation and freeing of order-0 pages (Linux 6.6
 * __alloc_pages_bulk and release_pages / free_unref_page_list): many pages
 * move between the caller and this CPU's pcp list under one pcp-lock
 * hold, so the per-page cost is the list operation and page preparation.
 */
#include "internal.h"

/* Linux SWAP_CLUSTER_MAX: pages freed per pcp-lock hold. */
#define PGA_FREE_BATCH 32

/*
 * The zone a bulk request may use: the first zone in the zonelist that
 * the cpuset allows and that passes the low watermark plus @nr_pages,
 * checked against the preferred zone's index.  NULL if none qualifies or
 * the walk reaches another node first (the caller then allocates a single
 * page the ordinary way, which may reclaim).
 */
static struct pga_zone *bulk_zone(pga_gfp_t gfp, unsigned int alloc_flags,
				  const struct pga_alloc_context *ac,
				  unsigned long nr_pages)
{
	const struct pga_zone *preferred = ac->preferred_zoneref->zone;

	for (const struct pga_zoneref *zr = ac->preferred_zoneref; zr->zone;
	     zr++) {
		struct pga_zone *z = zr->zone;
		unsigned long mark;

		if (zr->zone_idx > ac->highest_zoneidx ||
		    (ac->nodemask && !pga_nodemask_test(ac->nodemask, z->nid)))
			continue;
		if (pga_cpusets_enabled() && (alloc_flags & PGA_ALLOC_CPUSET) &&
		    !pga_g.hooks.cpuset_node_allowed(pga_g.hooks.ctx, z->nid,
						     gfp))
			continue;
		if (z != preferred && z->nid != preferred->nid &&
		    pga_nr_online_nodes() > 1)
			return NULL;
		mark = pga_wmark_pages(z, alloc_flags & PGA_ALLOC_WMARK_MASK) +
		       nr_pages;
		if (pga_zone_watermark_fast(z, 0, mark,
					    ac->preferred_zoneref->zone_idx,
					    alloc_flags))
			return z;
	}
	return NULL;
}

/*
 * Fill the empty slots from @z's pcp list.  Return: the new populated
 * count, or 0 if not even one page could be had (the caller falls back).
 */
static unsigned long fill_from_pcp(struct pga_zone *z, pga_gfp_t gfp,
				   unsigned int alloc_flags,
				   const struct pga_alloc_context *ac,
				   unsigned long nr_populated,
				   unsigned long nr_pages,
				   struct pga_page **array)
{
	unsigned long flags;
	unsigned int cpu;
	struct pga_pcp *pcp = pga_pcp_trylock(z, &flags, &cpu);
	long nr_account = 0;

	if (!pcp)
		return 0;
	for (; nr_populated < nr_pages; nr_populated++) {
		struct pga_page *page;

		if (array[nr_populated])
			continue;
		page = pga_pcp_take(z, pcp, 0, ac->migratetype, alloc_flags);
		if (!page)
			break;
		nr_account++;
		pga_prep_new_page(page, 0, gfp, 0);
		array[nr_populated] = page;
	}
	if (nr_account) {
		pga_account_alloc_irqoff(z, cpu, nr_account);
		pga_count_event_irqoff(cpu, pga_pgalloc_event(z->idx),
				       (unsigned long)nr_account);
		pga_zone_statistics_irqoff(ac->preferred_zoneref->zone, z, cpu,
					   nr_account);
	}
	pga_pcp_unlock(pcp, flags);
	return nr_account ? nr_populated : 0;
}

unsigned long pga_alloc_pages_bulk(pga_gfp_t gfp, int preferred_nid,
				   const pga_nodemask_t *nodemask,
				   unsigned long nr_pages,
				   struct pga_page **page_array)
{
	unsigned long nr_populated = 0, filled;
	struct pga_alloc_context ac;
	unsigned int alloc_flags;
	pga_gfp_t alloc_gfp;
	pga_nodemask_t mems;
	struct pga_page *page;
	struct pga_zone *z;

	if (!page_array) {
		pga_log(PGA_LOG_ERR, "pga: alloc_pages_bulk of %lu pages into "
			"a NULL array", nr_pages);
		return 0;
	}
	while (nr_populated < nr_pages && page_array[nr_populated])
		nr_populated++;
	if (nr_populated == nr_pages)
		return nr_populated;
	if (nr_pages - nr_populated == 1 || !pga_g.initialised)
		goto single;
	gfp &= pga_g.gfp_allowed_mask;
	if (!pga_prepare_alloc(gfp, 0, preferred_nid, nodemask, &ac,
			       &alloc_gfp, &alloc_flags, &mems))
		return nr_populated;
	if (!ac.preferred_zoneref->zone)
		goto single;
	z = bulk_zone(alloc_gfp, alloc_flags, &ac, nr_pages);
	if (!z)
		goto single;
	filled = fill_from_pcp(z, alloc_gfp, alloc_flags, &ac, nr_populated,
			       nr_pages, page_array);
	if (filled)
		return filled;
single:
	page = pga_alloc_pages_nodemask(gfp, 0, preferred_nid, nodemask);
	if (page)
		page_array[nr_populated++] = page;
	return nr_populated;
}

unsigned long pga_alloc_pages_bulk_array(pga_gfp_t gfp, unsigned long nr_pages,
					 struct pga_page **page_array)
{
	return pga_alloc_pages_bulk(gfp, PGA_NUMA_NO_NODE, NULL, nr_pages,
				    page_array);
}

/* The pcp lock pga_release_pages() holds while it frees. */
struct free_batch {
	struct pga_zone *zone; /* NULL: no pcp held */
	struct pga_pcp *pcp;
	unsigned long flags;
	unsigned int cpu;
	int count;
};

static void batch_unlock(struct free_batch *b)
{
	if (b->zone)
		pga_pcp_unlock(b->pcp, b->flags);
	b->zone = NULL;
}

/*
 * Commit a prepared order-0 page to this CPU's list of its zone, relocking
 * when the zone changes or PGA_FREE_BATCH pages went under one hold
 * (Linux free_unref_page_list).  A busy list sends the page to the buddy.
 */
static void batch_free(struct free_batch *b, struct pga_page *page)
{
	struct pga_zone *z = page_zone(page);
	pga_pfn_t pfn = page_pfn(page);
	int mt = get_pageblock_migratetype(pfn);

	if (pga_unlikely(mt == PGA_MIGRATE_ISOLATE)) {
		pga_free_unref_to_buddy(z, page, pfn, 0);
		return;
	}
	if (z != b->zone || b->count == PGA_FREE_BATCH) {
		batch_unlock(b);
		b->count = 0;
		b->pcp = pga_pcp_trylock(z, &b->flags, &b->cpu);
		if (!b->pcp) {
			pga_free_unref_to_buddy(z, page, pfn, 0);
			return;
		}
		b->zone = z;
	}
	pga_pcp_commit(z, b->pcp, b->cpu, page, 0, mt);
	b->count++;
}

/* The head page @entry stands for, if it may lose a reference. */
static struct pga_page *release_target(struct pga_page *entry)
{
	struct pga_page *page = pga_page_checked(entry);

	if (!page) {
		pga_log(PGA_LOG_ERR, "pga: release_pages: %p is not a page pga "
			"manages", (void *)entry);
		return NULL;
	}
	page = pga_compound_head(page);
	if (page_flag(page, PGA_PG_reserved) || page_flag(page, PGA_PG_bad) ||
	    pga_atomic_read(&page->refcount) <= 0) {
		pga_log(PGA_LOG_ERR, "pga: release_pages: pfn %#llx is not "
			"allocated (refcount %d)",
			(unsigned long long)page_pfn(page),
			pga_atomic_read(&page->refcount));
		return NULL;
	}
	return page;
}

void pga_release_pages(struct pga_page **pages, unsigned long nr)
{
	struct free_batch b = {0};

	for (unsigned long i = 0; pages && i < nr; i++) {
		struct pga_page *page;

		if (!pages[i] || !(page = release_target(pages[i])))
			continue;
		if (pga_atomic_dec_return(&page->refcount) != 0)
			continue;
		if (page_flag(page, PGA_PG_head)) {
			/* Compound pages go back whole, outside the batch. */
			batch_unlock(&b);
			pga_free_released_page(page);
			continue;
		}
		if (!pga_free_pages_prepare(page, 0))
			continue;
		pga_trace_page(PGA_TRACE_MM_PAGE_FREE, page, 0, 0);
		batch_free(&b, page);
	}
	batch_unlock(&b);
}
