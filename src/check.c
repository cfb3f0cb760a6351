/* SPDX-License-Identifier: MIT */
/*
 * The invariant walker pga_check() and page accounting.  Both lock each
 * zone in turn; with other CPUs quiescent the answers are exact.
 */
#include "internal.h"

struct walk {
	char *report;
	size_t len;
	int err;
};

static bool fail(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct walk *w, const char *fmt, ...)
{
	char line[200];
	__builtin_va_list ap;

	if (w->err)
		return false;
	__builtin_va_start(ap, fmt);
	pga_vsnprintf(line, sizeof(line), fmt, ap);
	__builtin_va_end(ap);
	if (w->report && w->len)
		pga_snprintf(w->report, w->len, "%s", line);
	pga_log(PGA_LOG_ERR, "pga_check: %s", line);
	w->err = -PGA_EINVAL;
	return false;
}

/* May a block on list @list_mt sit in a pageblock of type @pb_mt? */
static bool list_type_ok(int list_mt, int pb_mt)
{
	if (list_mt == pb_mt)
		return true;
	/*
	 * A block drained from a per-CPU list is freed with the type its
	 * pageblock had when it went there (6.6 pcppage migratetype): after
	 * a highatomic pageblock was given back, on the HIGHATOMIC list.
	 */
	if (list_mt == PGA_MIGRATE_HIGHATOMIC)
		return is_migrate_mergeable(pb_mt);
	/* 6.6 single-page steals leave blocks on another mergeable list. */
	return is_migrate_mergeable(list_mt) &&
	       (is_migrate_mergeable(pb_mt) || pb_mt == PGA_MIGRATE_HIGHATOMIC);
}

/*
 * The free list (migratetype) the free block @page of order @o is on, or
 * -1.  Lists at pageblock order and above are short.
 */
static int list_type_of(const struct pga_zone *z, const struct pga_page *page,
			unsigned int o)
{
	for (int mt = 0; mt < PGA_MIGRATE_TYPES; mt++) {
		const struct pga_list_head *h = &z->free_area[o].free_list[mt];
		unsigned long n = 0;

		for (const struct pga_list_head *l = h->next;
		     l != h && n++ <= zone_managed(z); l = l->next)
			if (list_page(l) == page)
				return mt;
	}
	return -1;
}

static bool check_block(struct walk *w, const struct pga_zone *z,
			const struct pga_page *page, unsigned int o, int mt)
{
	pga_pfn_t pfn = page_pfn(page);
	int pb = get_pageblock_migratetype(pfn);

	if (page_zone(page) != z || !zone_spans_pfn(z, pfn))
		return fail(w, "pfn %#llx on a list of node %d zone %s belongs "
			    "elsewhere", (unsigned long long)pfn, z->nid,
			    pga_zone_names[z->idx]);
	if (!page_flag(page, PGA_PG_buddy) || page->private != o)
		return fail(w, "pfn %#llx on the order-%u %s list has buddy=%d "
			    "order=%u", (unsigned long long)pfn, o,
			    pga_migratetype_names[mt],
			    page_flag(page, PGA_PG_buddy), page->private);
	if (pfn & ((1UL << o) - 1))
		return fail(w, "pfn %#llx misaligned for order %u",
			    (unsigned long long)pfn, o);
	if (!list_type_ok(mt, pb))
		return fail(w, "pfn %#llx on the %s list but its pageblock is %s",
			    (unsigned long long)pfn, pga_migratetype_names[mt],
			    pga_migratetype_names[pb]);
	return true;
}

/* May a block freed with type @mt merge with a buddy in a @pb_mt block? */
static bool merges_with(int mt, int pb_mt)
{
	return mt == pb_mt ||
	       (is_migrate_mergeable(mt) && is_migrate_mergeable(pb_mt));
}

/*
 * True if the free block at @pfn/@o (on the @mt list) and its buddy
 * should have merged.  Inside a pageblock they always do.  Across
 * pageblocks the one freed last merged if its free type - the list it is
 * on, which after a pcp drain may differ from its pageblock's (see
 * list_type_ok) - allowed it with the other's pageblock
 * (__free_one_page), so they should have merged only if that holds both
 * ways.
 */
static bool unmerged(const struct pga_zone *z, const struct pga_page *page,
		     pga_pfn_t pfn, unsigned int o, int mt)
{
	pga_pfn_t bpfn = pfn ^ (1UL << o);
	const struct pga_page *buddy = page + ((long)bpfn - (long)pfn);
	int pb, bpb, bmt;

	if (o >= PGA_MAX_ORDER || !pga_page_is_buddy(page, buddy, o))
		return false;
	if (o < PGA_PAGEBLOCK_ORDER)
		return true;
	pb = get_pageblock_migratetype(pfn);
	bpb = get_pageblock_migratetype(bpfn);
	bmt = list_type_of(z, buddy, o);
	return bmt >= 0 && merges_with(mt, bpb) && merges_with(bmt, pb);
}

struct zone_sums {
	unsigned long free, counted, cma, blocks;
};

static void walk_lists(struct walk *w, const struct pga_zone *z,
		       struct zone_sums *s)
{
	for (unsigned int o = 0; o <= PGA_MAX_ORDER && !w->err; o++) {
		unsigned long n = 0;

		for (int mt = 0; mt < PGA_MIGRATE_TYPES && !w->err; mt++) {
			const struct pga_list_head *h =
				&z->free_area[o].free_list[mt];

			for (const struct pga_list_head *l = h->next; l != h;
			     l = l->next) {
				const struct pga_page *p = list_page(l);

				if (++n > zone_managed(z) ||
				    !check_block(w, z, p, o, mt))
					break;
				if (unmerged(z, p, page_pfn(p), o, mt)) {
					pga_pfn_t b = page_pfn(p) ^ (1UL << o);

					fail(w, "free buddies at pfn %#llx (%s "
					     "list, %s pageblock) and %#llx (%s "
					     "pageblock) order %u left unmerged",
					     (unsigned long long)page_pfn(p),
					     pga_migratetype_names[mt],
					     pga_migratetype_names[
						get_pageblock_migratetype(
							page_pfn(p))],
					     (unsigned long long)b,
					     pga_migratetype_names[
						get_pageblock_migratetype(b)],
					     o);
					break;
				}
				s->free += 1UL << o;
				if (mt != PGA_MIGRATE_ISOLATE)
					s->counted += 1UL << o;
				if (mt == PGA_MIGRATE_CMA)
					s->cma += 1UL << o;
			}
		}
		if (!w->err && n != z->free_area[o].nr_free)
			fail(w, "node %d zone %s order %u: nr_free %lu but %lu "
			     "blocks on the lists", z->nid,
			     pga_zone_names[z->idx], o,
			     z->free_area[o].nr_free, n);
		s->blocks += n;
	}
}

struct memmap_sums {
	unsigned long heads, isolated, offline;
};

/* Pageblock @pfn of @z: a valid type; count it if isolated (not offline). */
static void check_pageblock(struct walk *w, const struct pga_zone *z,
			    const struct pga_page *p, pga_pfn_t pfn,
			    struct memmap_sums *m)
{
	int mt = get_pageblock_migratetype(pfn);

	if (mt >= PGA_MIGRATE_TYPES)
		fail(w, "pageblock at pfn %#llx has type %d",
		     (unsigned long long)pfn, mt);
	if (mt == PGA_MIGRATE_ISOLATE && page_zone(p) == z &&
	    !page_flag(p, PGA_PG_offline))
		m->isolated++;
}

static void check_page(struct walk *w, const struct pga_page *p,
		       pga_pfn_t pfn, struct memmap_sums *m)
{
	if (page_flag(p, PGA_PG_buddy))
		m->heads++;
	if (!page_flag(p, PGA_PG_offline))
		return;
	m->offline++;
	if (page_flag(p, PGA_PG_buddy) || page_flag(p, PGA_PG_pcp) ||
	    pga_atomic_read(&p->refcount))
		fail(w, "offline pfn %#llx is in use (refcount %d, buddy %d)",
		     (unsigned long long)pfn, pga_atomic_read(&p->refcount),
		     page_flag(p, PGA_PG_buddy));
}

/*
 * Every PG_buddy head in the span must be one of the listed blocks; the
 * isolated pageblocks and offline pages must match the zone's counts.
 */
static void walk_memmap(struct walk *w, const struct pga_zone *z,
			const struct zone_sums *s)
{
	struct memmap_sums m = {0, 0, 0};

	for (pga_pfn_t pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn++) {
		const struct pga_page *p = pfn_to_page_or_null(pfn);

		if (!p)
			continue;
		if ((pfn & (PGA_PAGEBLOCK_NR_PAGES - 1)) == 0)
			check_pageblock(w, z, p, pfn, &m);
		if (page_zone(p) == z)
			check_page(w, p, pfn, &m);
	}
	if (!w->err && m.heads != s->blocks)
		fail(w, "node %d zone %s: %lu pages marked buddy, %lu on lists",
		     z->nid, pga_zone_names[z->idx], m.heads, s->blocks);
	if (!w->err && m.isolated != z->nr_isolate_pageblock)
		fail(w, "node %d zone %s: nr_isolate_pageblock %lu but %lu "
		     "isolated pageblocks", z->nid, pga_zone_names[z->idx],
		     z->nr_isolate_pageblock, m.isolated);
	if (!w->err && m.offline != z->nr_offline_pages)
		fail(w, "node %d zone %s: nr_offline_pages %lu but %lu pages "
		     "marked offline", z->nid, pga_zone_names[z->idx],
		     z->nr_offline_pages, m.offline);
}

/* Pages in the blocks of order @o on @h. */
static unsigned long list_pages(const struct pga_list_head *h, unsigned int o)
{
	unsigned long n = 0;

	for (const struct pga_list_head *l = h->next; l != h; l = l->next)
		n += 1UL << o;
	return n;
}

static unsigned long pcp_pages(struct walk *w, const struct pga_zone *z)
{
	unsigned long total = 0;

	for (unsigned int c = 0; z->pcp && c < pga_g.nr_cpus; c++) {
		const struct pga_pcp *pcp = &z->pcp[c];
		unsigned long n = 0;

		for (int i = 0; i < PGA_NR_PCP_LISTS; i++)
			n += list_pages(&pcp->lists[i],
					i >= PGA_NR_LOWORDER_PCP_LISTS
						? PGA_PAGEBLOCK_ORDER
						: (unsigned int)i /
							  PGA_MIGRATE_PCPTYPES);
		if (n != (unsigned long)pcp->count)
			fail(w, "cpu %u node %d zone %s: pcp count %d but %lu "
			     "pages listed", c, z->nid, pga_zone_names[z->idx],
			     pcp->count, n);
		total += n;
	}
	return total;
}

static long zone_allocated(const struct pga_zone *z)
{
	long n = pga_atomic_long_read(&z->alloc_unowned);

	for (unsigned int c = 0; z->pcp && c < pga_g.nr_cpus; c++)
		n += __atomic_load_n(&z->pcp[c].alloc_delta, __ATOMIC_RELAXED);
	return n;
}

static void check_zone(struct walk *w, struct pga_zone *z)
{
	struct zone_sums s = {0};
	unsigned long flags = zone_lock(z);
	unsigned long pcp = pcp_pages(w, z);
	long alloc = zone_allocated(z);
	long bad = pga_atomic_long_read(&z->nr_bad_pages);

	walk_lists(w, z, &s);
	if (!w->err)
		walk_memmap(w, z, &s);
	if (!w->err && (long)s.counted != zone_page_state(z, PGA_NR_FREE_PAGES))
		fail(w, "node %d zone %s: NR_FREE_PAGES %ld, lists hold %lu",
		     z->nid, pga_zone_names[z->idx],
		     zone_page_state(z, PGA_NR_FREE_PAGES), s.counted);
	if (!w->err && (long)s.cma != zone_page_state(z, PGA_NR_FREE_CMA_PAGES))
		fail(w, "node %d zone %s: NR_FREE_CMA_PAGES %ld, lists hold %lu",
		     z->nid, pga_zone_names[z->idx],
		     zone_page_state(z, PGA_NR_FREE_CMA_PAGES), s.cma);
	if (!w->err && (long)(s.free + pcp) + alloc + bad != (long)zone_managed(z))
		fail(w, "node %d zone %s: free %lu + pcp %lu + allocated %ld + "
		     "bad %ld != managed %lu", z->nid, pga_zone_names[z->idx],
		     s.free, pcp, alloc, bad, zone_managed(z));
	zone_unlock(z, flags);
}

int pga_check(char *report, size_t len)
{
	struct walk w = {report, len, 0};

	if (report && len)
		report[0] = '\0';
	for (int nid = 0; nid < pga_g.nr_nodes && !w.err; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES && !w.err; zt++)
			if (zone_populated(&pga_g.nodes[nid].node_zones[zt]))
				check_zone(&w, &pga_g.nodes[nid].node_zones[zt]);
	return w.err;
}

void pga_page_accounting(struct pga_page_accounting *a)
{
	__builtin_memset(a, 0, sizeof(*a));
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
			struct pga_zone *z = &pga_g.nodes[nid].node_zones[zt];
			unsigned long flags = zone_lock(z);

			a->managed += zone_managed(z);
			for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++) {
				const struct pga_free_area *fa =
					&z->free_area[o];

				a->free += fa->nr_free << o;
				a->isolated += list_pages(
					&fa->free_list[PGA_MIGRATE_ISOLATE], o);
			}
			a->offline += z->nr_offline_pages;
			for (unsigned int c = 0; z->pcp && c < pga_g.nr_cpus; c++)
				a->pcp += (unsigned long)z->pcp[c].count;
			a->allocated += (unsigned long)zone_allocated(z);
			a->bad += (unsigned long)pga_atomic_long_read(
				&z->nr_bad_pages);
			zone_unlock(z, flags);
		}
	}
}
