/* SPDX-License-Identifier: MIT */
/*
 * Physically contiguous allocations of any size (Linux alloc_contig_range,
 * alloc_contig_pages, free_contig_range): isolate the range, drain the
 * per-CPU lists, migrate the movable pages out, then take every free
 * block of the range off the isolated lists, give back what sticks out
 * at either end (pga_take_isolated_locked) and count the range allocated.
 */
#include "internal.h"

/* Each page of the range becomes an allocated order-0 page. */
static void prep_range(pga_pfn_t start, pga_pfn_t end, pga_gfp_t gfp)
{
	for (pga_pfn_t pfn = start; pfn < end; pfn++)
		pga_prep_new_page(pfn_page(pfn), 0, gfp & ~PGA_GFP_COMP, 0);
}

int pga_alloc_contig_range(pga_pfn_t start, pga_pfn_t end, int migratetype,
			   pga_gfp_t gfp)
{
	struct pga_zone *z;
	unsigned long flags;
	int ret;

	if (!pga_isolation_mt_ok(migratetype))
		return -PGA_EINVAL;
	z = pga_isolation_zone(start, end);
	if (!z)
		return -PGA_EINVAL;
	ret = pga_isolate_zone_range(z, start, end, migratetype, 0);
	if (ret)
		goto out;
	ret = pga_migrate_range(z, start, end);
	/* A page that would not move shows up as busy just below. */
	if (!ret || ret == -PGA_EBUSY) {
		flags = zone_lock(z);
		ret = pga_take_isolated_locked(z, start, end, 0);
		if (!ret)
			pga_account_alloc_irqoff(z, pga_cpu(),
						 (long)(end - start));
		zone_unlock(z, flags);
	}
	if (!ret)
		prep_range(start, end, gfp);
	pga_undo_isolate_zone_range(z, start, end, migratetype);
out:
	if (ret && !(gfp & PGA_GFP_NOWARN))
		pga_log(PGA_LOG_INFO,
			"pga: alloc_contig_range [%#llx, %#llx) failed: %d",
			(unsigned long long)start, (unsigned long long)end,
			ret);
	return ret;
}

/*
 * May [@pfn, @pfn + @nr) be tried (Linux pfn_range_valid_contig)?  Every
 * page must exist, be in @z, and be neither reserved nor offline.
 */
static bool range_valid(const struct pga_zone *z, pga_pfn_t pfn,
			unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		const struct pga_page *p = pfn_to_page_or_null(pfn + i);

		if (!p || page_zone(p) != z || page_flag(p, PGA_PG_reserved) ||
		    page_flag(p, PGA_PG_offline))
			return false;
	}
	return true;
}

/* Try each @nr-aligned run of @z from the bottom. */
static struct pga_page *contig_in_zone(struct pga_zone *z, unsigned long nr,
				       pga_gfp_t gfp)
{
	pga_pfn_t end = zone_end_pfn(z);
	pga_pfn_t pfn = (z->zone_start_pfn + nr - 1) / nr * nr;

	for (; pfn + nr <= end && pfn + nr > pfn; pfn += nr) {
		if (range_valid(z, pfn, nr) &&
		    !pga_alloc_contig_range(pfn, pfn + nr, PGA_MIGRATE_MOVABLE,
					    gfp | PGA_GFP_NOWARN))
			return pfn_page(pfn);
	}
	return NULL;
}

struct pga_page *pga_alloc_contig_pages(unsigned long nr_pages, pga_gfp_t gfp,
					int nid, const pga_nodemask_t *nodemask)
{
	int hz = pga_gfp_zone(gfp);
	const struct pga_zoneref *zr;

	if (!pga_g.initialised || !nr_pages || hz < 0 ||
	    (nid != PGA_NUMA_NO_NODE && (nid < 0 || nid >= pga_g.nr_nodes))) {
		pga_log(PGA_LOG_ERR,
			"pga: alloc_contig_pages(%lu, %#x, node %d) refused",
			nr_pages, gfp, nid);
		return NULL;
	}
	if (nid == PGA_NUMA_NO_NODE)
		nid = pga_numa_node_id();
	zr = pga_g.nodes[nid]
		 .node_zonelists[(gfp & PGA_GFP_THISNODE)
				     ? PGA_ZONELIST_NOFALLBACK
				     : PGA_ZONELIST_FALLBACK]
		 .zonerefs;
	for (; zr->zone; zr++) {
		struct pga_page *page;

		if (zr->zone_idx > hz ||
		    (nodemask && !pga_nodemask_test(nodemask, zr->zone->nid)))
			continue;
		page = contig_in_zone(zr->zone, nr_pages, gfp);
		if (page)
			return page;
	}
	if (!(gfp & PGA_GFP_NOWARN))
		pga_log(PGA_LOG_INFO,
			"pga: alloc_contig_pages: no run of %lu "
			"pages on node %d",
			nr_pages, nid);
	return NULL;
}

void pga_free_contig_range(pga_pfn_t pfn, unsigned long nr_pages)
{
	unsigned long busy = 0;

	for (; nr_pages; nr_pages--, pfn++) {
		struct pga_page *p = pfn_to_page_or_null(pfn);

		if (!p) {
			pga_log(PGA_LOG_ERR,
				"pga: free_contig_range: pfn "
				"%#llx is not a page pga manages",
				(unsigned long long)pfn);
			continue;
		}
		busy += pga_atomic_read(&p->refcount) != 1;
		pga_free_pages(p, 0);
	}
	if (busy)
		pga_log(PGA_LOG_WARN,
			"pga: free_contig_range: %lu pages are still in use",
			busy);
}
