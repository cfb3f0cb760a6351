/* SPDX-License-Identifier: MIT */
#include "movable.h"
#include "runtime_fx.h"

struct pga_zone *rt_zone(int nid, int zt)
{
	return &pga_g.nodes[nid].node_zones[zt];
}

struct pga_zone_info rt_info(int nid, int zt)
{
	struct pga_zone_info i;

	assert_int_equal(pga_zone_get_info(nid, (enum pga_zone_type)zt, &i), 0);
	return i;
}

unsigned long rt_list_len(struct pga_zone *z, unsigned int order, int mt)
{
	const struct pga_list_head *h = &z->free_area[order].free_list[mt];
	unsigned long n = 0;

	for (const struct pga_list_head *l = h->next; l != h; l = l->next)
		n++;
	return n;
}

pga_pfn_t rt_list_first(struct pga_zone *z, unsigned int order, int mt)
{
	struct pga_list_head *h = &z->free_area[order].free_list[mt];

	assert_false(list_empty(h));
	return pga_page_to_pfn(list_first_page(h));
}

unsigned long rt_pcp_count(struct pga_zone *z)
{
	unsigned long n = 0;

	for (unsigned int c = 0; z->pcp && c < pga_g.nr_cpus; c++)
		n += (unsigned long)z->pcp[c].count;
	return n;
}

void rt_assert_nr_free(int nid, int zt, const unsigned long want[PGA_NR_ORDERS])
{
	unsigned long got[PGA_NR_ORDERS];

	fx_nr_free(nid, zt, got);
	for (int o = 0; o <= PGA_MAX_ORDER; o++)
		if (got[o] != want[o])
			fail_msg("node %d zone %d order %d: %lu free blocks, "
				 "expected %lu",
				 nid, zt, o, got[o], want[o]);
}

void rt_assert_pageblocks(pga_pfn_t s, pga_pfn_t e, int mt)
{
	for (pga_pfn_t pfn = s; pfn < e; pfn += PGA_PAGEBLOCK_NR_PAGES)
		if (get_pageblock_migratetype(pfn) != mt)
			fail_msg("pageblock %#llx has type %d, expected %d",
				 (unsigned long long)pfn,
				 get_pageblock_migratetype(pfn), mt);
}

struct pga_page_accounting rt_acct(void)
{
	struct pga_page_accounting a;

	pga_page_accounting(&a);
	return a;
}

struct pga_hooks mv_hooks(void)
{
	struct pga_hooks base = fx_hooks();

	return mv_hooks_from(&base);
}

void rt_boot_dma32(pga_paddr_t ram_size, pga_paddr_t dma32_end, bool poison)
{
	struct pga_params p;
	struct pga_mem_range r = {0, ram_size, 0};
	struct pga_hooks h = mv_hooks();

	mv_reset();
	fx_params(&p);
	p.dma_limit = PGA_ZONE_LIMIT_NONE;
	p.dma32_limit = dma32_end;
	p.page_poisoning = poison;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, &h), 0);
}
