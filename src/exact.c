/* SPDX-License-Identifier: MIT */
/*
 * Exact-size allocations (Linux alloc_pages_exact / free_pages_exact):
 * a power-of-two block trimmed to the pages the caller asked for.
 */
#include "internal.h"

/*
 * Keep the first @nr pages of the order-@order block at @page as
 * separately referenced pages and give the rest back to the buddy one
 * page at a time, to the tail of the lists (Linux make_alloc_exact).
 */
static void trim_block(struct pga_page *page, unsigned int order,
		       unsigned long nr)
{
	/* Each kept page is now an order-0 block of its own. */
	page->private = 0;
	for (unsigned long i = 1; i < nr; i++) {
		page[i].private = 0;
		pga_atomic_set(&page[i].refcount, 1);
	}
	for (unsigned long i = nr; i < (1UL << order); i++)
		pga_free_pages_ok(page + i, 0, PGA_FPI_TO_TAIL);
}

/*
 * Allocate ceil(@size / PGA_PAGE_SIZE) pages (see alloc.h).
 * Context: any the gfp allows.  Return: the address or NULL.
 */
void *pga_alloc_pages_exact(size_t size, pga_gfp_t gfp)
{
	unsigned int order = pga_get_order(size);
	uintptr_t addr;

	if (gfp & (PGA_GFP_COMP | PGA_GFP_HIGHMEM)) {
		pga_log(PGA_LOG_WARN,
			"pga: alloc_pages_exact(%zu) with gfp "
			"%#x: __GFP_COMP and __GFP_HIGHMEM dropped",
			size, gfp);
		gfp &= ~(PGA_GFP_COMP | PGA_GFP_HIGHMEM);
	}
	addr = pga_get_free_pages(gfp, order);
	if (!addr)
		return NULL;
	trim_block(pga_virt_to_page((void *)addr), order,
		   (size + PGA_PAGE_SIZE - 1) >> PGA_PAGE_SHIFT);
	return (void *)addr;
}

/*
 * Free every page of [@virt, @virt + @size rounded up to a page), each
 * as order 0 (Linux free_pages_exact).  Context: any.
 */
void pga_free_pages_exact(void *virt, size_t size)
{
	uintptr_t addr = (uintptr_t)virt;
	uintptr_t end = addr + ((size + PGA_PAGE_SIZE - 1) &
				~(uintptr_t)(PGA_PAGE_SIZE - 1));

	for (; addr < end; addr += PGA_PAGE_SIZE)
		pga_free_pages_va(addr, 0);
}
