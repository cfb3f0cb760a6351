/* SPDX-License-Identifier: MIT */
/*
 * What happens to page contents on free and allocation (Linux
 * mm/page_poison.c and init_on_alloc/init_on_free): poisoning with 0xaa and
 * checking the pattern, or zeroing.  Poisoning takes precedence over both
 * init options.  Only with PGA_CONFIG_DEBUG and the run-time parameters.
 */
#include "internal.h"

#define PAGE_POISON 0xaa

static bool poisoning(void)
{
	return PGA_CONFIG_DEBUG && pga_g.params.page_poisoning;
}

static bool init_on_free(void)
{
	return PGA_CONFIG_DEBUG && !poisoning() && pga_g.params.init_on_free;
}

static bool init_on_alloc(pga_gfp_t gfp)
{
	if (init_on_free())
		return false; /* freed memory is already zero */
	if (PGA_CONFIG_DEBUG && !poisoning() && pga_g.params.init_on_alloc)
		return true;
	return (gfp & PGA_GFP_ZERO) != 0;
}

/* Report the first difference from the poison pattern in one page. */
static void check_page_poison(const struct pga_page *page)
{
	const uint8_t *p = pga_page_address(page);
	size_t first = PGA_PAGE_SIZE, last = 0;
	unsigned int diff;

	for (size_t i = 0; i < PGA_PAGE_SIZE; i++) {
		if (p[i] != PAGE_POISON) {
			if (first == PGA_PAGE_SIZE)
				first = i;
			last = i;
		}
	}
	if (first == PGA_PAGE_SIZE)
		return;
	diff = (unsigned int)(p[first] ^ PAGE_POISON);
	if (first == last && !(diff & (diff - 1)))
		pga_log(PGA_LOG_ERR, "pagealloc: single bit error at pfn %#llx "
			"offset %zu: %#x", (unsigned long long)page_pfn(page),
			first, p[first]);
	else
		pga_log(PGA_LOG_ERR, "pagealloc: memory corruption at pfn %#llx "
			"bytes %zu..%zu (first %#x)",
			(unsigned long long)page_pfn(page), first, last,
			p[first]);
}

/*
 * Contents of a block being handed out: check the poison, then zero if
 * asked.  Context: any.
 */
void pga_contents_on_alloc(struct pga_page *page, unsigned int order,
			   pga_gfp_t gfp)
{
	if (poisoning())
		for (unsigned long i = 0; i < (1UL << order); i++)
			check_page_poison(page + i);
	if (init_on_alloc(gfp))
		pga_arch_zero_pages(pga_page_address(page),
				    PGA_PAGE_SIZE << order);
}

/* Contents of a block being freed: poison or zero.  Context: any. */
void pga_contents_on_free(struct pga_page *page, unsigned int order)
{
	if (poisoning())
		__builtin_memset(pga_page_address(page), PAGE_POISON,
				 PGA_PAGE_SIZE << order);
	else if (init_on_free())
		pga_arch_zero_pages(pga_page_address(page),
				    PGA_PAGE_SIZE << order);
}
