/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "movable.h"

struct owner {
	struct pga_page *page;
	unsigned int order;
	uint64_t stamp;
	bool live;
};

static struct owner owners[MV_MAX_OWNERS];
static int nr_owners;
static int rmap[MV_MAX_PFN]; /* pfn -> slot + 1, 0 = none */
static pga_pfn_t refuse_pfn = ~(pga_pfn_t)0;
struct mv_stats mv_stats;

void mv_reset(void)
{
	memset(owners, 0, sizeof(owners));
	memset(rmap, 0, sizeof(rmap));
	memset(&mv_stats, 0, sizeof(mv_stats));
	nr_owners = 0;
	refuse_pfn = ~(pga_pfn_t)0;
}

static void stamp(const struct owner *o, bool check, bool *ok)
{
	for (unsigned long i = 0; i < (1UL << o->order); i++) {
		uint64_t *va = (uint64_t *)pga_page_address(o->page + i);
		uint64_t want = o->stamp ^ i;

		if (!check)
			va[0] = va[PGA_PAGE_SIZE / 8 - 1] = want;
		else if (va[0] != want || va[PGA_PAGE_SIZE / 8 - 1] != want)
			*ok = false;
	}
}

int mv_alloc(pga_gfp_t gfp, unsigned int order)
{
	struct pga_page *pg;
	struct owner *o;
	pga_pfn_t pfn;

	if (nr_owners == MV_MAX_OWNERS)
		return -1;
	pg = pga_alloc_pages(gfp | PGA_GFP_MOVABLE | PGA_GFP_NOWARN |
				 (order ? PGA_GFP_COMP : 0),
			     order);
	if (!pg)
		return -1;
	pfn = pga_page_to_pfn(pg);
	if (pfn >= MV_MAX_PFN) {
		pga_free_pages(pg, order);
		return -1;
	}
	o = &owners[nr_owners];
	o->page = pg;
	o->order = order;
	o->stamp = 0x5eed000000000000ULL ^ ((uint64_t)nr_owners << 20);
	o->live = true;
	stamp(o, false, NULL);
	pga_page_set_movable(pg, true);
	rmap[pfn] = nr_owners + 1;
	return nr_owners++;
}

int mv_fill(pga_gfp_t gfp, unsigned int order, int max)
{
	int n = 0;

	while (n < max && mv_alloc(gfp, order) >= 0)
		n++;
	return n;
}

void mv_free(int slot)
{
	struct owner *o = &owners[slot];

	if (!o->live)
		return;
	rmap[pga_page_to_pfn(o->page)] = 0;
	pga_free_pages(o->page, o->order);
	o->live = false;
	o->page = NULL;
}

void mv_free_all(void)
{
	for (int i = 0; i < nr_owners; i++)
		if (owners[i].live)
			mv_free(i);
}

struct pga_page *mv_page(int slot)
{
	return owners[slot].page;
}

unsigned long mv_in_range(pga_pfn_t s, pga_pfn_t e)
{
	unsigned long n = 0;

	for (int i = 0; i < nr_owners; i++) {
		pga_pfn_t pfn;

		if (!owners[i].live)
			continue;
		pfn = pga_page_to_pfn(owners[i].page);
		n += pfn >= s && pfn < e;
	}
	return n;
}

bool mv_verify(void)
{
	bool ok = true;

	for (int i = 0; i < nr_owners; i++) {
		if (!owners[i].live)
			continue;
		stamp(&owners[i], true, &ok);
		if (rmap[pga_page_to_pfn(owners[i].page)] != i + 1 ||
		    !pga_page_is_movable(owners[i].page))
			ok = false;
	}
	return ok;
}

void mv_refuse(pga_pfn_t pfn)
{
	refuse_pfn = pfn;
}

static int migrate_hook(void *ctx, struct pga_page *dst, struct pga_page *src)
{
	pga_pfn_t spfn = pga_page_to_pfn(src), dpfn = pga_page_to_pfn(dst);
	int slot = spfn < MV_MAX_PFN ? rmap[spfn] - 1 : -1;
	struct owner *o;

	(void)ctx;
	mv_stats.calls++;
	if (slot < 0 || owners[slot].page != src) {
		mv_stats.unknown++;
		return -PGA_EINVAL;
	}
	if (spfn == refuse_pfn) {
		mv_stats.refused++;
		return -PGA_EAGAIN;
	}
	o = &owners[slot];
	if (pga_compound_order(dst) != o->order || dpfn >= MV_MAX_PFN) {
		mv_stats.unknown++;
		return -PGA_EINVAL;
	}
	memcpy(pga_page_address(dst), pga_page_address(src),
	       PGA_PAGE_SIZE << o->order);
	rmap[spfn] = 0;
	rmap[dpfn] = slot + 1;
	o->page = dst;
	mv_stats.moved++;
	return 0;
}

struct pga_hooks mv_hooks_from(const struct pga_hooks *base)
{
	struct pga_hooks h;

	if (base)
		h = *base;
	else
		memset(&h, 0, sizeof(h));
	h.migrate_page = migrate_hook;
	return h;
}
