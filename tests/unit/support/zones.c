/* SPDX-License-Identifier: MIT */
#include "zones.h"

#include "expect.h"

struct pga_zone *zh_zone(int nid, int zt)
{
	return &pga_g.nodes[nid].node_zones[zt];
}

struct pga_zone *zh_normal(void)
{
	return zh_zone(0, PGA_ZONE_NORMAL);
}

/* Pages pga carves for a range of @pages starting on a section boundary. */
static unsigned long carved(unsigned long pages, unsigned int nzones)
{
	unsigned long full = pages / PGA_PAGES_PER_SECTION;
	unsigned long rest = pages % PGA_PAGES_PER_SECTION;
	unsigned long n = full * ex_memmap_pages(PGA_PAGES_PER_SECTION);

	if (rest)
		n +=
		    ex_memmap_pages(PGA_ALIGN_UP(rest, PGA_MAX_ORDER_NR_PAGES));
	return n + ex_pcp_pages(nzones, 1);
}

unsigned long zh_ram_pages(pga_paddr_t base, unsigned long below,
			   unsigned long managed, unsigned int nzones)
{
	unsigned long total = below + managed, prev = 0;

	assert_int_equal(base % (PGA_PAGES_PER_SECTION << PGA_PAGE_SHIFT), 0);
	/* The carve-out grows in steps, so this settles in a few rounds. */
	while (total != prev) {
		prev = total;
		total = below + managed + carved(prev, nzones);
	}
	return total;
}

void zh_init_normal(struct pga_params *p, pga_paddr_t base,
		    unsigned long managed, const struct pga_hooks *hooks)
{
	struct pga_params defaults;
	struct pga_mem_range r = {base, 0, 0};
	struct pga_zone_info info;

	if (!p) {
		fx_params(&defaults);
		p = &defaults;
	}
	assert_true(base >= GiB(4));
	r.size = (pga_paddr_t)zh_ram_pages(base, 0, managed, 1)
		 << PGA_PAGE_SHIFT;
	assert_int_equal(fx_init(p, &r, 1, NULL, 0, hooks), 0);
	assert_int_equal(pga_zone_get_info(0, PGA_ZONE_NORMAL, &info), 0);
	assert_int_equal(info.managed, managed);
}

struct pga_page *zh_take(struct pga_zone *z, unsigned int order, int mt,
			 unsigned int alloc_flags)
{
	struct pga_zonelist zl;
	struct pga_alloc_context ac = {0};

	zl.zonerefs[0].zone = z;
	zl.zonerefs[0].zone_idx = (int)z->idx;
	zl.zonerefs[1].zone = NULL;
	ac.zonelist = &zl;
	ac.nodemask = NULL;
	ac.preferred_zoneref = &zl.zonerefs[0];
	ac.migratetype = mt;
	ac.highest_zoneidx = (int)z->idx;
	ac.spread_dirty_pages = false;
	return pga_get_page_from_freelist(0, order, alloc_flags, &ac);
}

size_t zh_drain_to(struct pga_zone *z, unsigned long free, struct zh_block *out,
		   size_t max)
{
	size_t n = 0;
	int order = PGA_MAX_ORDER;

	while (zh_free(z) > free && order >= 0) {
		unsigned long excess = zh_free(z) - free;
		struct pga_page *pg;

		if ((1UL << order) > excess) {
			order--;
			continue;
		}
		pg = zh_take(z, (unsigned int)order, PGA_MIGRATE_MOVABLE,
			     PGA_ALLOC_NO_WATERMARKS);
		/* A per-CPU refill may have taken more: give it back. */
		pga_drain_local_pages();
		if (!pg) {
			order--;
			continue;
		}
		assert_true(n < max);
		out[n].page = pg;
		out[n].order = (unsigned int)order;
		n++;
	}
	assert_int_equal(zh_free(z), free);
	return n;
}

void zh_release(struct zh_block *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pga_free_pages(b[i].page, b[i].order);
}

unsigned long zh_free(const struct pga_zone *z)
{
	return (unsigned long)zone_page_state(z, PGA_NR_FREE_PAGES);
}

pga_pfn_t zh_head(const struct pga_zone *z, unsigned int order, int mt)
{
	const struct pga_list_head *l = &z->free_area[order].free_list[mt];

	return list_empty(l) ? 0 : page_pfn(list_first_page(l));
}

pga_pfn_t zh_tail(const struct pga_zone *z, unsigned int order, int mt)
{
	const struct pga_list_head *l = &z->free_area[order].free_list[mt];

	return list_empty(l) ? 0 : page_pfn(list_last_page(l));
}

unsigned long zh_count(const struct pga_zone *z, unsigned int order, int mt)
{
	const struct pga_list_head *l = &z->free_area[order].free_list[mt];
	unsigned long n = 0;

	for (const struct pga_list_head *e = l->next; e != l; e = e->next)
		n++;
	return n;
}

bool zh_on_list(const struct pga_zone *z, pga_pfn_t pfn, unsigned int order,
		int mt)
{
	const struct pga_list_head *l = &z->free_area[order].free_list[mt];
	const struct pga_page *page = pga_pfn_to_page(pfn);

	for (const struct pga_list_head *e = l->next; e != l; e = e->next)
		if (e == &page->lru)
			return true;
	return false;
}
