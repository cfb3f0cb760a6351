/* SPDX-License-Identifier: MIT */
/*
 * The free path (Linux __free_pages, free_the_page, __free_pages_ok,
 * free_one_page) and split_page.  Reference counting decides when a block
 * is really freed; bad-page checks decide whether it may be reused.
 */
#include "internal.h"

static bool pcp_allowed_order(unsigned int order)
{
	return order <= PGA_COSTLY_ORDER || order == PGA_PAGEBLOCK_ORDER;
}

/*
 * Free a prepared block to the buddy under the zone lock (Linux
 * free_one_page).  The pageblock type is re-read under the lock when the
 * zone has isolated blocks.  Context: any.
 */
void pga_free_one_page(struct pga_zone *z, struct pga_page *page,
		       pga_pfn_t pfn, unsigned int order, int mt)
{
	unsigned long flags = zone_lock(z);

	if (z->nr_isolate_pageblock || mt == PGA_MIGRATE_ISOLATE)
		mt = get_pageblock_migratetype(pfn);
	pga_buddy_free_one_page_locked(z, page, pfn, order, mt, PGA_FPI_NONE);
	zone_unlock(z, flags);
}

/*
 * Free a prepared pcp-order block to the buddy when its CPU's list cannot
 * take it (busy, isolated pageblock): it stops counting as allocated, and,
 * as in 6.6, PGFREE does not count it.  Context: any.
 */
void pga_free_unref_to_buddy(struct pga_zone *z, struct pga_page *page,
			     pga_pfn_t pfn, unsigned int order)
{
	unsigned long flags = pga_arch_irq_save();

	pga_account_alloc_irqoff(z, pga_cpu(), -(1L << order));
	pga_arch_irq_restore(flags);
	pga_free_one_page(z, page, pfn, order, get_pageblock_migratetype(pfn));
}

/* Linux __free_pages_ok: straight to the buddy, counted as a free. */
static void free_pages_ok(struct pga_zone *z, struct pga_page *page,
			  pga_pfn_t pfn, unsigned int order, unsigned int fpi)
{
	int mt = get_pageblock_migratetype(pfn);
	unsigned long flags = zone_lock(z);
	unsigned int cpu = pga_cpu();

	if (z->nr_isolate_pageblock || mt == PGA_MIGRATE_ISOLATE)
		mt = get_pageblock_migratetype(pfn);
	pga_buddy_free_one_page_locked(z, page, pfn, order, mt, fpi);
	pga_account_alloc_irqoff(z, cpu, -(1L << order));
	if (mt != PGA_MIGRATE_ISOLATE)
		pga_count_event_irqoff(cpu, PGA_PGFREE, 1UL << order);
	zone_unlock(z, flags);
}

/*
 * Free a block whose last reference is gone: checks first (a bad block is
 * quarantined), then the CPU's list or the buddy.  Context: any.
 */
static void free_the_page(struct pga_page *page, unsigned int order)
{
	struct pga_zone *z = page_zone(page);

	if (!pga_free_pages_prepare(page, order))
		return;
	pga_trace_page(PGA_TRACE_MM_PAGE_FREE, page, order, 0);
	if (!pcp_allowed_order(order)) {
		free_pages_ok(z, page, page_pfn(page), order, PGA_FPI_NONE);
		return;
	}
	if (pga_pcp_free(z, page, order, page_pageblock_migratetype(page)))
		return;
	/* The CPU's list was busy or the block is isolated: to the buddy. */
	pga_free_unref_to_buddy(z, page, page_pfn(page), order);
}

/*
 * Free a block whose reference count is already zero straight to the
 * buddy, bypassing the per-CPU lists, with @fpi placement (Linux
 * __free_pages_ok).  A block that fails the checks is quarantined.
 * Context: any.
 */
void pga_free_pages_ok(struct pga_page *page, unsigned int order,
		       unsigned int fpi)
{
	if (!pga_free_pages_prepare(page, order))
		return;
	pga_trace_page(PGA_TRACE_MM_PAGE_FREE, page, order, 0);
	free_pages_ok(page_zone(page), page, page_pfn(page), order, fpi);
}

static bool free_args_ok(struct pga_page **pagep, unsigned int order)
{
	struct pga_page *page = pga_page_checked(*pagep);
	uint64_t flags;

	if (!page) {
		pga_log(PGA_LOG_ERR, "pga: free of %p, which is not a page "
			"pga manages (order %u)", (void *)*pagep, order);
		return false;
	}
	if (order > PGA_MAX_ORDER) {
		pga_log(PGA_LOG_ERR, "pga: free of pfn %#llx with order %u "
			"(max %d)", (unsigned long long)page_pfn(page), order,
			PGA_MAX_ORDER);
		return false;
	}
	flags = page_flags_read(page);
	if (flags & (PGA_PAGE_FLAG(PGA_PG_reserved) | PGA_PAGE_FLAG(PGA_PG_bad))) {
		pga_log(PGA_LOG_ERR, "pga: free of %s pfn %#llx order %u refused",
			(flags & PGA_PAGE_FLAG(PGA_PG_bad)) ? "quarantined"
							    : "reserved",
			(unsigned long long)page_pfn(page), order);
		return false;
	}
	if (flags & PGA_PAGE_FLAG(PGA_PG_tail)) {
		pga_log(PGA_LOG_ERR, "pga: free of tail page pfn %#llx order %u "
			"refused", (unsigned long long)page_pfn(page), order);
		return false;
	}
	if (pga_atomic_read(&page->refcount) <= 0) {
		pga_log(PGA_LOG_ERR, "pga: double free of pfn %#llx order %u "
			"(refcount %d)", (unsigned long long)page_pfn(page),
			order, pga_atomic_read(&page->refcount));
		return false;
	}
	if (page->private != order) {
		pga_log(PGA_LOG_ERR, "pga: free of pfn %#llx with order %u, "
			"allocated with order %u", (unsigned long long)page_pfn(page),
			order, page->private);
		return false;
	}
	*pagep = page;
	return true;
}

/*
 * Drop a reference (Linux __free_pages).  If it was the last, the block is
 * freed.  Otherwise, for a non-compound block, the pages past the first
 * are freed now and page 0 stays with the remaining holder.
 */
void pga_free_pages(struct pga_page *page, unsigned int order)
{
	bool head;

	if (!page || !free_args_ok(&page, order))
		return;
	head = page_flag(page, PGA_PG_head);
	/*
	 * If another holder remains, page 0 stays with it as an order-0
	 * page.  Say so before the reference goes: once it has gone, that
	 * holder may free page 0 at any time.
	 */
	if (!head)
		page->private = 0;
	if (pga_atomic_dec_return(&page->refcount) == 0) {
		free_the_page(page, order);
	} else if (!head) {
		while (order-- > 0)
			free_the_page(page + (1UL << order), order);
	}
}

void pga_free_page(struct pga_page *page)
{
	pga_free_pages(page, 0);
}

void pga_free_pages_va(uintptr_t addr, unsigned int order)
{
	struct pga_page *page;

	if (!addr)
		return;
	page = pga_virt_to_page((const void *)addr);
	if (!page) {
		pga_log(PGA_LOG_ERR, "pga: free of address %#lx, which is not "
			"in memory pga manages", (unsigned long)addr);
		return;
	}
	pga_free_pages(page, order);
}

/*
 * Release a page whose reference count reached zero through put_page:
 * a compound page is freed at its order, anything else as order 0.
 */
void pga_free_released_page(struct pga_page *page)
{
	unsigned int order = page_flag(page, PGA_PG_head) ? page[1].private : 0;

	free_the_page(page, order);
}

/*
 * Linux split_page.  The block must be what the caller holds: referenced,
 * not compound, and allocated at @order (a wrong order - say after
 * __free_pages with a second reference gave the tails back - would hand
 * out free pages).  Misuse is reported and changes nothing.
 * Context: any.
 */
void pga_split_page(struct pga_page *page, unsigned int order)
{
	struct pga_page *pg = pga_page_checked(page);

	if (!pg || order > PGA_MAX_ORDER ||
	    page_flag(pg, PGA_PG_head) || page_flag(pg, PGA_PG_tail) ||
	    pga_atomic_read(&pg->refcount) <= 0 || pg->private != order) {
		pga_log(PGA_LOG_ERR, "pga: split_page(%p, order %u) of a page "
			"that is not a referenced non-compound block of that "
			"order", (void *)page, order);
		return;
	}
	page = pg;
	for (unsigned long i = 0; i < (1UL << order); i++) {
		page[i].private = 0; /* each page is now an order-0 block */
		if (i)
			pga_atomic_set(&page[i].refcount, 1);
	}
}
