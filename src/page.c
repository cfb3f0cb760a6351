/* SPDX-License-Identifier: MIT */
/*
 * Page descriptors as callers see them: conversions between pages, pfns
 * and addresses, reference counts, compound heads and the movable mark.
 */
#include "internal.h"

pga_pfn_t pga_page_to_pfn(const struct pga_page *page)
{
	return page_pfn(page);
}

struct pga_page *pga_pfn_to_page(pga_pfn_t pfn)
{
	return pfn_to_page_or_null(pfn);
}

bool pga_pfn_valid(pga_pfn_t pfn)
{
	return pfn_to_page_or_null(pfn) != NULL;
}

pga_paddr_t pga_page_to_phys(const struct pga_page *page)
{
	return page_pfn(page) << PGA_PAGE_SHIFT;
}

void *pga_phys_to_virt(pga_paddr_t pa)
{
	return (void *)(uintptr_t)(pga_g.params.direct_map_offset + pa);
}

pga_paddr_t pga_virt_to_phys(const void *va)
{
	return (pga_paddr_t)((uintptr_t)va - pga_g.params.direct_map_offset);
}

void *pga_page_address(const struct pga_page *page)
{
	return pga_phys_to_virt(pga_page_to_phys(page));
}

struct pga_page *pga_virt_to_page(const void *va)
{
	return pfn_to_page_or_null(pga_virt_to_phys(va) >> PGA_PAGE_SHIFT);
}

struct pga_page *pga_compound_head(struct pga_page *page)
{
	if (page_flag(page, PGA_PG_tail))
		return (struct pga_page *)(void *)page->lru.next;
	return page;
}

unsigned int pga_compound_order(const struct pga_page *page)
{
	if (!page_flag(page, PGA_PG_head))
		return 0;
	return page[1].private;
}

bool pga_page_is_head(const struct pga_page *page)
{
	return page_flag(page, PGA_PG_head);
}

bool pga_page_is_tail(const struct pga_page *page)
{
	return page_flag(page, PGA_PG_tail);
}

bool pga_page_is_pfmemalloc(const struct pga_page *page)
{
	return page_flag(page, PGA_PG_pfmemalloc);
}

void pga_page_set_movable(struct pga_page *page, bool movable)
{
	/* Atomic: compaction may set PG_isolated on the page meanwhile. */
	if (movable)
		__atomic_fetch_or(&page->flags, PGA_PAGE_FLAG(PGA_PG_movable),
				  __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&page->flags,
				   ~PGA_PAGE_FLAG(PGA_PG_movable),
				   __ATOMIC_RELAXED);
}

bool pga_page_is_movable(const struct pga_page *page)
{
	return page_flag(page, PGA_PG_movable);
}

int pga_page_zonenum(const struct pga_page *page)
{
	return page_zid(page);
}

int pga_page_to_nid(const struct pga_page *page)
{
	return page_nid(page);
}

void pga_get_page(struct pga_page *page)
{
	int old, seen;

	page = pga_compound_head(page);
	old = pga_atomic_read(&page->refcount);
	for (;;) {
		if (old <= 0) {
			pga_log(PGA_LOG_ERR, "pga: get_page on free pfn %#llx",
				(unsigned long long)page_pfn(page));
			return;
		}
		seen = pga_atomic_cmpxchg(&page->refcount, old, old + 1);
		if (seen == old)
			return;
		old = seen;
	}
}

void pga_put_page(struct pga_page *page)
{
	int ref;

	page = pga_compound_head(page);
	ref = pga_atomic_read(&page->refcount);
	if (ref <= 0) {
		pga_log(PGA_LOG_ERR, "pga: put_page on free pfn %#llx "
			"(refcount %d)", (unsigned long long)page_pfn(page), ref);
		return;
	}
	if (pga_atomic_dec_return(&page->refcount) == 0)
		pga_free_released_page(page);
}

int pga_page_count(const struct pga_page *page)
{
	return pga_atomic_read(
		&pga_compound_head((struct pga_page *)(uintptr_t)page)->refcount);
}
