/* SPDX-License-Identifier: MIT */
/*
 * struct pga_page: the descriptor of one page frame (Linux struct page),
 * and the calls that convert between pages, pfns, physical and virtual
 * addresses, count references and describe compound pages.
 *
 * There is one descriptor per managed frame, kept in a sparse memmap
 * carved from RAM at pga_init().  The fields belong to the allocator; an
 * embedder reads them only through the calls below, except mapcount,
 * which it may maintain (a page freed while mapcount != 0 is a bad page).
 */
#ifndef PGA_PAGE_H
#define PGA_PAGE_H

#include "arch.h"
#include "types.h"

struct pga_list_head {
	struct pga_list_head *next, *prev;
};

struct pga_page {
	/*
	 * Free pages: links on a buddy free list or a per-CPU list.
	 * Compound tail pages: lru.next points at the head page.
	 */
	struct pga_list_head lru;
	/*
	 * Page flags (PGA_PG_* bits 0..23), then the zone index, the node
	 * id and the memmap section number packed above them.
	 */
	uint64_t flags;
	pga_atomic_t refcount;
	/* Mappings the embedder recorded; must be 0 when the page is freed. */
	int16_t mapcount;
	/*
	 * Buddy head: its order.  Per-CPU list: its cached migratetype.
	 * Second page of a compound page: the compound order.
	 */
	uint16_t private;
};

/* Page flag bits (low 24 bits of flags). */
enum pga_page_flag {
	PGA_PG_buddy,	   /* head of a free block in a buddy free list */
	PGA_PG_head,	   /* head of a compound page */
	PGA_PG_tail,	   /* tail of a compound page */
	PGA_PG_reserved,   /* never managed: firmware, kernel, memmap */
	PGA_PG_pfmemalloc, /* allocated from the emergency reserves */
	PGA_PG_guard,	   /* debug guard page (debug_pagealloc) */
	PGA_PG_pcp,	   /* sitting on a per-CPU free list */
	PGA_PG_bad,	   /* failed a bad-page check: leaked, never reused */
	PGA_PG_movable,	   /* the embedder can migrate it (set by embedder) */
	PGA_PG_isolated,   /* taken off the free lists by isolation/compaction */
	PGA_PG_offline,	   /* removed by pga_offline_range() */
	PGA_PG_NR_FLAGS
};

/* Frame number of @page. */
pga_pfn_t pga_page_to_pfn(const struct pga_page *page);
/* Descriptor of @pfn, or NULL if pga never managed that frame. */
struct pga_page *pga_pfn_to_page(pga_pfn_t pfn);
/* True if @pfn has a descriptor (RAM known to pga, managed or reserved). */
bool pga_pfn_valid(pga_pfn_t pfn);
/* Physical address of @page. */
pga_paddr_t pga_page_to_phys(const struct pga_page *page);
/* Direct-map virtual address of @page. */
void *pga_page_address(const struct pga_page *page);
/* Descriptor of the page holding direct-map address @va, or NULL. */
struct pga_page *pga_virt_to_page(const void *va);
/* Physical address <-> direct-map virtual address. */
void *pga_phys_to_virt(pga_paddr_t pa);
pga_paddr_t pga_virt_to_phys(const void *va);

/*
 * Reference counting (Linux get_page / put_page / page_count).  Counts
 * live on the head of a compound page; a tail is redirected to its head.
 * pga_put_page() frees the page (at its compound order) when the count
 * drops to zero.  Context: any.
 */
void pga_get_page(struct pga_page *page);
void pga_put_page(struct pga_page *page);
int pga_page_count(const struct pga_page *page);

/* Compound pages: head of @page (itself if not a tail) and its order. */
struct pga_page *pga_compound_head(struct pga_page *page);
unsigned int pga_compound_order(const struct pga_page *page);
bool pga_page_is_head(const struct pga_page *page);
bool pga_page_is_tail(const struct pga_page *page);

/* Allocated from the emergency reserves: use it only to free memory. */
bool pga_page_is_pfmemalloc(const struct pga_page *page);

/*
 * The embedder marks pages it can migrate (Linux: LRU or movable pages).
 * Compaction and contiguous allocation move only pages marked movable,
 * through the migrate_page hook.
 */
void pga_page_set_movable(struct pga_page *page, bool movable);
bool pga_page_is_movable(const struct pga_page *page);

/* Zone index and node id of @page. */
int pga_page_zonenum(const struct pga_page *page);
int pga_page_to_nid(const struct pga_page *page);

#endif /* PGA_PAGE_H */
