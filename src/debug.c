/* SPDX-License-Identifier: MIT */
/*
 * Bad-page checks (Linux free_pages_prepare / check_new_page / bad_page).
 * A block that fails a check on free is quarantined: reported, marked
 * PG_bad, moved from "allocated" to "bad" in the page accounting and
 * never reused, as Linux leaks it.
 */
#include "internal.h"

#define PAGE_FLAGS_MASK ((PGA_PAGE_FLAG(PGA_PG_NR_FLAGS)) - 1)

/*
 * Report a bad page (Linux bad_page) through the log hook and mark it.
 * Context: any.
 */
void pga_bad_page(struct pga_page *page, unsigned int order, const char *reason)
{
	pga_log(PGA_LOG_ERR,
		"pga: BUG: Bad page state pfn:%05llx order:%u refcount:%d "
		"mapcount:%d flags:%#llx reason: %s",
		(unsigned long long)page_pfn(page), order,
		pga_atomic_read(&page->refcount), page->mapcount,
		(unsigned long long)(page_flags_read(page) & PAGE_FLAGS_MASK),
		reason);
	/* Like Linux, drop the buddy mark so no merge ever takes it. */
	page_clear(page, PGA_PG_buddy);
	page_set(page, PGA_PG_bad);
}

/* The reason @page may not be freed, or NULL (Linux page_bad_reason). */
static const char *free_bad_reason(const struct pga_page *page)
{
	const char *reason = NULL;

	if (page->mapcount != 0)
		reason = "nonzero mapcount";
	if (pga_atomic_read(&page->refcount) != 0)
		reason = "nonzero _refcount";
	if (page_flags_read(page) & PGA_CHECK_AT_FREE)
		reason = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return reason;
}

static bool tail_bad(struct pga_page *head, struct pga_page *tail,
		     unsigned int order)
{
	const char *reason = NULL;

	if (!page_flag(tail, PGA_PG_tail))
		reason = "PageTail not set";
	else if ((struct pga_page *)(void *)tail->lru.next != head)
		reason = "compound_head not consistent";
	page_clear(tail, PGA_PG_tail);
	tail->lru.next = NULL;
	if (reason)
		pga_bad_page(tail, order, reason);
	return reason != NULL;
}

static void quarantine(struct pga_page *page, unsigned int order)
{
	struct pga_zone *z = page_zone(page);
	unsigned long flags = pga_arch_irq_save();

	pga_account_alloc_irqoff(z, pga_cpu(), -(1L << order));
	pga_arch_irq_restore(flags);
	pga_atomic_long_add_relaxed(&z->nr_bad_pages, 1L << order);
	page_set(page, PGA_PG_bad);
}

/* Bad tail pages of a block (compound: links; debug: free checks). */
static int tails_bad(struct pga_page *page, unsigned int order, bool compound)
{
	const char *reason;
	int bad = 0;

	for (unsigned long i = 1; i < (1UL << order); i++) {
		if (compound) {
			bad += tail_bad(page, page + i, order);
		} else if ((reason = free_bad_reason(page + i)) != NULL) {
			pga_bad_page(page + i, order, reason);
			bad++;
		}
	}
	return bad;
}

/* Debug work on free: page_owner, poison or init_on_free, unmapping. */
static bool free_has_extras(void)
{
	const struct pga_params *p = &pga_g.params;

	return PGA_CONFIG_DEBUG && (p->page_owner || p->page_poisoning ||
				    p->init_on_free || p->debug_pagealloc);
}

/*
 * Check and clean a block whose last reference is gone (Linux
 * free_pages_prepare).  Return: true if it may be freed; false if it was
 * quarantined.  Context: any.
 */
bool pga_free_pages_prepare(struct pga_page *page, unsigned int order)
{
	uint64_t flags = page_flags_read(page);
	bool compound = (flags & PGA_PAGE_FLAG(PGA_PG_head)) != 0;
	const char *reason;
	int bad = 0;

	if (compound)
		page_flags_write(page, flags & ~PGA_PAGE_FLAG(PGA_PG_head));
	/* tail pages: only compound blocks and debug builds look at them */
	if (order && (compound || PGA_CONFIG_DEBUG))
		bad = tails_bad(page, order, compound);
	if (order)
		page[1].private = 0;
	reason = free_bad_reason(page);
	if (reason) {
		pga_bad_page(page, order, reason);
		bad++;
	}
	if (bad) {
		quarantine(page, order);
		return false;
	}
	page_flags_write(page, page_flags_read(page) &
				       ~(PGA_PAGE_FLAG(PGA_PG_pfmemalloc) |
					 PGA_PAGE_FLAG(PGA_PG_movable)));
	page->private = 0;
	if (pga_unlikely(free_has_extras())) {
		pga_owner_clear(page);
		pga_contents_on_free(page, order);
		pga_debug_pagealloc(page, order, false);
	}
	return true;
}

/*
 * The full check behind pga_check_new_page() (Linux check_new_pages):
 * every page of the block in debug builds, the head otherwise.  A bad
 * block is reported and quarantined (counted as bad, like Linux leaking
 * it).  Return: true if good.  Context: any.
 */
bool pga_check_new_pages(struct pga_page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (PGA_CONFIG_DEBUG ? 1UL << order : 1);
	     i++) {
		struct pga_page *p = page + i;

		if (!pga_new_page_ok(p, page_flags_read(p))) {
			pga_bad_page(p, order, "PAGE_FLAGS_CHECK_AT_PREP flag(s) set");
			page_set(page, PGA_PG_bad);
			pga_atomic_long_add_relaxed(
				&page_zone(page)->nr_bad_pages, 1L << order);
			return false;
		}
	}
	return true;
}
