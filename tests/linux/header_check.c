/* SPDX-License-Identifier: MIT */
/*
 * <pga/linux.h> in a freestanding kernel translation unit: compiled (not
 * linked) for x86_64 and arm64 by `make linux-header`.
 */
#include <pga/linux.h>

unsigned long pga_linux_header_check(void);

unsigned long pga_linux_header_check(void)
{
	struct page *page =
	    alloc_pages(GFP_KERNEL | __GFP_COMP, get_order(3 * PAGE_SIZE));
	unsigned long addr = __get_free_page(GFP_ATOMIC);

	if (page)
		__free_pages(page, 2);
	free_page(addr);
	return page_to_pfn(pfn_to_page(1)) + GFP_HIGHUSER_MOVABLE;
}
