/* SPDX-License-Identifier: MIT */
/*
 * Linux's names for the page allocator API, so code written against
 * Linux's <linux/gfp.h> compiles unchanged on pga.  Optional: include it
 * instead of (or after) <pga.h> in code ported from Linux.
 *
 * struct page is an opaque alias of struct pga_page: pointers pass
 * through, fields are not Linux's.  Every GFP name has Linux 6.6's value
 * (KASAN / lockdep bits are 0, as in a kernel built without them).
 * Constants an embedding kernel may define itself (PAGE_SIZE, ...) are
 * defined only if missing.
 */
#ifndef PGA_LINUX_H
#define PGA_LINUX_H

#include "../pga.h"

/* ---- GFP flags ----------------------------------------------------- */

typedef pga_gfp_t gfp_t;

#define ___GFP_DMA PGA___GFP_DMA
#define ___GFP_HIGHMEM PGA___GFP_HIGHMEM
#define ___GFP_DMA32 PGA___GFP_DMA32
#define ___GFP_MOVABLE PGA___GFP_MOVABLE
#define ___GFP_RECLAIMABLE PGA___GFP_RECLAIMABLE
#define ___GFP_HIGH PGA___GFP_HIGH
#define ___GFP_IO PGA___GFP_IO
#define ___GFP_FS PGA___GFP_FS
#define ___GFP_ZERO PGA___GFP_ZERO
#define ___GFP_DIRECT_RECLAIM PGA___GFP_DIRECT_RECLAIM
#define ___GFP_KSWAPD_RECLAIM PGA___GFP_KSWAPD_RECLAIM
#define ___GFP_WRITE PGA___GFP_WRITE
#define ___GFP_NOWARN PGA___GFP_NOWARN
#define ___GFP_RETRY_MAYFAIL PGA___GFP_RETRY_MAYFAIL
#define ___GFP_NOFAIL PGA___GFP_NOFAIL
#define ___GFP_NORETRY PGA___GFP_NORETRY
#define ___GFP_MEMALLOC PGA___GFP_MEMALLOC
#define ___GFP_COMP PGA___GFP_COMP
#define ___GFP_NOMEMALLOC PGA___GFP_NOMEMALLOC
#define ___GFP_HARDWALL PGA___GFP_HARDWALL
#define ___GFP_THISNODE PGA___GFP_THISNODE
#define ___GFP_ACCOUNT PGA___GFP_ACCOUNT
#define ___GFP_ZEROTAGS PGA___GFP_ZEROTAGS
#define ___GFP_SKIP_ZERO 0u
#define ___GFP_SKIP_KASAN 0u
#define ___GFP_NOLOCKDEP 0u

#define __GFP_DMA PGA_GFP_DMA
#define __GFP_HIGHMEM PGA_GFP_HIGHMEM
#define __GFP_DMA32 PGA_GFP_DMA32
#define __GFP_MOVABLE PGA_GFP_MOVABLE
#define GFP_ZONEMASK PGA_GFP_ZONEMASK
#define __GFP_RECLAIMABLE PGA_GFP_RECLAIMABLE
#define __GFP_WRITE PGA_GFP_WRITE
#define __GFP_HARDWALL PGA_GFP_HARDWALL
#define __GFP_THISNODE PGA_GFP_THISNODE
#define __GFP_ACCOUNT PGA_GFP_ACCOUNT
#define __GFP_HIGH PGA_GFP_HIGH
#define __GFP_MEMALLOC PGA_GFP_MEMALLOC
#define __GFP_NOMEMALLOC PGA_GFP_NOMEMALLOC
#define __GFP_IO PGA_GFP_IO
#define __GFP_FS PGA_GFP_FS
#define __GFP_DIRECT_RECLAIM PGA_GFP_DIRECT_RECLAIM
#define __GFP_KSWAPD_RECLAIM PGA_GFP_KSWAPD_RECLAIM
#define __GFP_RECLAIM PGA_GFP_RECLAIM
#define __GFP_RETRY_MAYFAIL PGA_GFP_RETRY_MAYFAIL
#define __GFP_NOFAIL PGA_GFP_NOFAIL
#define __GFP_NORETRY PGA_GFP_NORETRY
#define __GFP_NOWARN PGA_GFP_NOWARN
#define __GFP_COMP PGA_GFP_COMP
#define __GFP_ZERO PGA_GFP_ZERO
#define __GFP_ZEROTAGS PGA_GFP_ZEROTAGS
#define __GFP_SKIP_ZERO PGA_GFP_SKIP_ZERO
#define __GFP_SKIP_KASAN PGA_GFP_SKIP_KASAN
#define __GFP_NOLOCKDEP PGA_GFP_NOLOCKDEP
#define __GFP_BITS_SHIFT PGA_GFP_BITS_SHIFT
#define __GFP_BITS_MASK PGA_GFP_BITS_MASK

#define GFP_ATOMIC PGA_GFP_ATOMIC
#define GFP_KERNEL PGA_GFP_KERNEL
#define GFP_KERNEL_ACCOUNT PGA_GFP_KERNEL_ACCOUNT
#define GFP_NOWAIT PGA_GFP_NOWAIT
#define GFP_NOIO PGA_GFP_NOIO
#define GFP_NOFS PGA_GFP_NOFS
#define GFP_USER PGA_GFP_USER
#define GFP_DMA PGA_GFP_DMA
#define GFP_DMA32 PGA_GFP_DMA32
#define GFP_HIGHUSER PGA_GFP_HIGHUSER
#define GFP_HIGHUSER_MOVABLE PGA_GFP_HIGHUSER_MOVABLE
#define GFP_TRANSHUGE_LIGHT PGA_GFP_TRANSHUGE_LIGHT
#define GFP_TRANSHUGE PGA_GFP_TRANSHUGE
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT 3

static inline bool gfpflags_allow_blocking(const gfp_t gfp)
{
	return pga_gfpflags_allow_blocking(gfp);
}

static inline bool gfp_has_io_fs(gfp_t gfp)
{
	return pga_gfp_has_io_fs(gfp);
}

/* Scoped constraints (<linux/sched/mm.h>). */
static inline unsigned int memalloc_noio_save(void)
{
	return pga_memalloc_noio_save();
}
static inline void memalloc_noio_restore(unsigned int flags)
{
	pga_memalloc_noio_restore(flags);
}
static inline unsigned int memalloc_nofs_save(void)
{
	return pga_memalloc_nofs_save();
}
static inline void memalloc_nofs_restore(unsigned int flags)
{
	pga_memalloc_nofs_restore(flags);
}
static inline unsigned int memalloc_noreclaim_save(void)
{
	return pga_memalloc_noreclaim_save();
}
static inline void memalloc_noreclaim_restore(unsigned int flags)
{
	pga_memalloc_noreclaim_restore(flags);
}

/* ---- pages, constants ------------------------------------------------ */

/*
 * A struct page is a struct pga_page, so arrays and pointer arithmetic
 * (page + i within an allocated block) work as in Linux; the fields are
 * pga's (use the calls below).
 */
struct page {
	struct pga_page pga;
};

_Static_assert(sizeof(struct page) == sizeof(struct pga_page),
	       "struct page must be laid out as struct pga_page");

typedef pga_nodemask_t nodemask_t;

#ifndef PAGE_SHIFT
#define PAGE_SHIFT PGA_PAGE_SHIFT
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE PGA_PAGE_SIZE
#endif
#ifndef PAGE_MASK
#define PAGE_MASK (~((unsigned long)PAGE_SIZE - 1))
#endif
#ifndef MAX_ORDER
#define MAX_ORDER PGA_MAX_ORDER
#endif
#ifndef NR_PAGE_ORDERS
#define NR_PAGE_ORDERS PGA_NR_ORDERS
#endif
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE PGA_NUMA_NO_NODE
#endif

static inline struct pga_page *pga_from_linux(const struct page *page)
{
	return (struct pga_page *)(uintptr_t)page;
}

static inline struct page *pga_to_linux(const struct pga_page *page)
{
	return (struct page *)(uintptr_t)page;
}

/* The page @n frames after @page (any distance, any memmap section). */
#define nth_page(page, n) pfn_to_page(page_to_pfn(page) + (n))

static inline int get_order(unsigned long size)
{
	return (int)pga_get_order(size);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)pga_page_to_pfn(pga_from_linux(page));
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return pga_to_linux(pga_pfn_to_page(pfn));
}

static inline void *page_address(const struct page *page)
{
	return pga_page_address(pga_from_linux(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pga_to_linux(pga_virt_to_page(addr));
}

static inline void get_page(struct page *page)
{
	pga_get_page(pga_from_linux(page));
}

static inline void put_page(struct page *page)
{
	pga_put_page(pga_from_linux(page));
}

static inline int page_count(const struct page *page)
{
	return pga_page_count(pga_from_linux(page));
}

static inline int page_to_nid(const struct page *page)
{
	return pga_page_to_nid(pga_from_linux(page));
}

static inline void split_page(struct page *page, unsigned int order)
{
	pga_split_page(pga_from_linux(page), order);
}

/* ---- allocation ------------------------------------------------------ */

static inline struct page *__alloc_pages(gfp_t gfp, unsigned int order,
					 int preferred_nid,
					 nodemask_t *nodemask)
{
	return pga_to_linux(
	    pga_alloc_pages_nodemask(gfp, order, preferred_nid, nodemask));
}

static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return pga_to_linux(pga_alloc_pages(gfp, order));
}

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline struct page *alloc_pages_node(int nid, gfp_t gfp,
					    unsigned int order)
{
	return pga_to_linux(pga_alloc_pages_node(nid, gfp, order));
}

static inline unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	return (unsigned long)pga_get_free_pages(gfp, order);
}

static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

static inline unsigned long get_zeroed_page(gfp_t gfp)
{
	return (unsigned long)pga_get_zeroed_page(gfp);
}

static inline unsigned long __get_dma_pages(gfp_t gfp, unsigned int order)
{
	return (unsigned long)pga_get_dma_pages(gfp, order);
}

static inline void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	return pga_alloc_pages_exact(size, gfp);
}

/* ---- freeing --------------------------------------------------------- */

static inline void __free_pages(struct page *page, unsigned int order)
{
	pga_free_pages(pga_from_linux(page), order);
}

static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

static inline void free_pages(unsigned long addr, unsigned int order)
{
	pga_free_pages_va((uintptr_t)addr, order);
}

static inline void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}

static inline void free_pages_exact(void *virt, size_t size)
{
	pga_free_pages_exact(virt, size);
}

#endif /* PGA_LINUX_H */
