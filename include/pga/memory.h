/* SPDX-License-Identifier: MIT */
/*
 * Runtime memory: adding and removing memory after pga_init(), page
 * isolation, physically contiguous allocations and CMA areas (Linux
 * memory hotplug, mm/page_isolation.c, alloc_contig_range, mm/cma.c).
 *
 * Moving pages.  Contiguous allocation, CMA and offlining empty a range by
 * migrating the allocated pages in it.  pga migrates only pages the
 * embedder marked with pga_page_set_movable() (an order-0 page, or the
 * head of a __GFP_COMP compound page), holding no reference but the
 * owner's, through hooks.migrate_page(dst, src): pga allocates @dst
 * outside the range (GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL on
 * the range's node), the hook copies the data and repoints every
 * reference from @src to @dst, and pga then frees @src and marks @dst
 * movable.  The hook must leave @src's mapcount at 0.  A refusal (or an
 * extra reference) is retried; a batch of up to 32 pages gets 5 tries, as
 * in Linux.  Without the hook nothing can move.
 *
 * Context for every call here: task context, may call hooks that sleep;
 * never with a zone lock held or interrupts off.
 */
#ifndef PGA_MEMORY_H
#define PGA_MEMORY_H

#include "gfp.h"
#include "mmzone.h"
#include "page.h"
#include "types.h"

/* ---- hot-add and offline --------------------------------------------- */

/*
 * Add RAM [@base, @base + @size) on node @nid after pga_init() (Linux
 * add_memory + online_pages).  The new range's memmap, pageblock bits and
 * (for zones that had no memory) per-CPU lists are carved from the range
 * itself and stay reserved; the rest is freed to the buddy at the tail of
 * the lists.  Zone and node spans grow, a node without memory comes
 * online, zonelists are rebuilt when a zone or node becomes populated, and
 * watermarks, lowmem reserves and per-CPU high/batch are recomputed.
 *
 * Two kinds of range are accepted:
 *  - new memory: every 128 MiB section (PGA_CONFIG_SECTION_SHIFT) the
 *    range touches must have no memmap yet (so it must not touch a section
 *    that already holds RAM), and the range must be page aligned;
 *  - memory taken out by pga_offline_range(): every page in the range is
 *    offline, on node @nid, and the range is pageblock aligned.
 *
 * Rebuilding zonelists rewrites them in place: add memory that populates
 * a new zone or node while no other CPU allocates.
 *
 * Return: 0; -PGA_EINVAL for a malformed range (size 0, not aligned, past
 * PGA_CONFIG_MAX_PHYS_BITS, bad node, before pga_init(), an offline range
 * on another node); -PGA_EEXIST if the range overlaps memory pga already
 * manages or a section with a memmap; -PGA_ENOMEM if the range is too
 * small for its own memmap.  On error nothing changed; the reason goes to
 * the log hook.
 */
int pga_add_memory(pga_paddr_t base, pga_paddr_t size, int nid);

/*
 * Take [@start_pfn, @start_pfn + @nr_pages) away from the allocator
 * (Linux offline_pages): isolate it, migrate its movable pages out, drain
 * the per-CPU lists, retry the migration up to 5 passes, then take every
 * free page off the lists and mark it offline.  Managed and present pages
 * shrink, watermarks are recomputed; the memmap stays, so
 * pga_pfn_valid() stays true and pga_add_memory() can bring the range
 * back.  Zone spans are not shrunk.
 *
 * The range must be pageblock aligned (start and size), lie in one zone,
 * hold no reserved page (pga's own metadata included) and no offline page.
 * Return: 0; -PGA_EINVAL for a malformed range; -PGA_EBUSY if a page
 * could not be isolated or moved (the range is then restored as it was);
 * -PGA_EINTR if hooks.fatal_signal_pending said so.
 */
int pga_offline_range(pga_pfn_t start_pfn, unsigned long nr_pages);

/* ---- page isolation -------------------------------------------------- */

/* Isolation flags (Linux isol_flags, plus ALLOW_UNMOVABLE). */
#define PGA_ISOLATE_ALLOW_UNMOVABLE 0x1u /* skip the unmovable-page check */
#define PGA_ISOLATE_REPORT 0x2u		 /* log the page that makes it fail */
#define PGA_ISOLATE_OFFLINE 0x4u /* MEMORY_OFFLINE: offline pages are free */

/*
 * Mark the pageblocks covering [@start, @end) MIGRATE_ISOLATE (Linux
 * start_isolate_page_range): their free pages leave the free counters and
 * are never handed out, and pages freed into them stay on the isolated
 * lists.  A free block larger than a pageblock that straddles the range
 * boundary is split so the outside part stays usable.  The per-CPU lists
 * of the zone are drained afterwards.  @migratetype (MOVABLE or CMA) is
 * what the pageblocks are reset to on failure; CMA pageblocks can only be
 * isolated for MIGRATE_CMA.
 *
 * The range must lie in one zone.  Unless PGA_ISOLATE_ALLOW_UNMOVABLE is
 * given, an allocated page in [@start, @end) that is not marked movable
 * (or a reserved or quarantined page) makes the call fail; in ZONE_MOVABLE
 * every non-reserved page counts as movable, as in Linux.
 * Return: 0; -PGA_EINVAL for a malformed range or migratetype; -PGA_EBUSY
 * if a pageblock is already isolated or holds an unmovable page (nothing
 * stays isolated then).
 */
int pga_isolate_range(pga_pfn_t start, pga_pfn_t end, int migratetype,
		      unsigned int flags);

/*
 * Undo pga_isolate_range(): every isolated pageblock covering
 * [@start, @end) becomes @migratetype (MOVABLE or CMA) and its free pages
 * count as free again, merged with free neighbours.  Pageblocks that are
 * not isolated, or are offline, are left alone.
 * Return: 0 or -PGA_EINVAL.
 */
int pga_undo_isolate_range(pga_pfn_t start, pga_pfn_t end, int migratetype);

/*
 * Is [@start, @end) entirely isolated and free (Linux
 * test_pages_isolated)?  Every pageblock must be isolated and every page a
 * free buddy block starting inside the range (with PGA_ISOLATE_OFFLINE,
 * offline pages also pass).
 * Return: 0 if so; -PGA_EBUSY if not (with PGA_ISOLATE_REPORT the first
 * busy pfn is logged); -PGA_EINVAL for a malformed range.
 */
int pga_test_range_isolated(pga_pfn_t start, pga_pfn_t end, unsigned int flags);

/* ---- contiguous ranges ----------------------------------------------- */

/*
 * Allocate exactly the pages [@start, @end) (Linux alloc_contig_range):
 * isolate them, drain per-CPU lists, migrate movable pages away, take the
 * free range and restore the pageblocks to @migratetype (MOVABLE or CMA).
 * Any alignment; the range must lie in one zone.  On success each page
 * has refcount 1 (free them with pga_free_contig_range() or one by one);
 * __GFP_ZERO zeroes them.  __GFP_NOWARN silences the failure report.
 * Return: 0; -PGA_EINVAL for bad input; -PGA_EBUSY if a page could not be
 * isolated or moved; -PGA_ENOMEM if no destination page was available;
 * -PGA_EINTR on a fatal signal.  On failure nothing is allocated and the
 * isolation is undone.
 */
int pga_alloc_contig_range(pga_pfn_t start, pga_pfn_t end, int migratetype,
			   pga_gfp_t gfp);

/*
 * Find and allocate @nr_pages contiguous pages (Linux alloc_contig_pages):
 * walk the zonelist of @nid (PGA_NUMA_NO_NODE: this CPU's node; with
 * __GFP_THISNODE only that node) up to gfp's highest zone and inside
 * @nodemask (NULL: any), and try pga_alloc_contig_range() on each run of
 * @nr_pages pages that starts at a multiple of @nr_pages (so a power of
 * two is naturally aligned), lies in the zone and holds no reserved or
 * offline page.
 * Return: the first page (each page refcount 1), or NULL.
 */
struct pga_page *pga_alloc_contig_pages(unsigned long nr_pages, pga_gfp_t gfp,
					int nid,
					const pga_nodemask_t *nodemask);

/*
 * Drop one reference on each page of [@pfn, @pfn + @nr_pages) (Linux
 * free_contig_range); pages still referenced elsewhere are reported.
 */
void pga_free_contig_range(pga_pfn_t pfn, unsigned long nr_pages);

/* ---- CMA areas ------------------------------------------------------- */

/*
 * A CMA area, declared in struct pga_params (cma[], nr_cma).  Its
 * pageblocks are MIGRATE_CMA: only movable allocations (ALLOC_CMA) use
 * them, preferring them when more than half of a zone's free pages are
 * CMA; pga_cma_alloc() takes runs back by migrating those pages away.
 */
struct pga_cma;

/* Area @idx in declaration order, or NULL. */
struct pga_cma *pga_cma_area(unsigned int idx);

struct pga_cma_info {
	pga_pfn_t base_pfn;
	unsigned long count; /* pages in the area */
	unsigned long used;  /* pages handed out by pga_cma_alloc() */
	int nid;
	enum pga_zone_type zone;
};

/* Fill @info.  Return: 0, or -PGA_EINVAL for an unknown area. */
int pga_cma_get_info(const struct pga_cma *cma, struct pga_cma_info *info);

/*
 * Allocate @count contiguous pages from @cma whose first pfn is a
 * multiple of 2^@align (Linux cma_alloc): try the free aligned positions
 * in the area from the bottom, moving on to the next aligned position when
 * one is busy.  @no_warn silences the failure report.
 * Return: the first page (each page refcount 1), or NULL.
 */
struct pga_page *pga_cma_alloc(struct pga_cma *cma, unsigned long count,
			       unsigned int align, bool no_warn);

/*
 * Give back @count pages at @pages that pga_cma_alloc() returned.
 * Return: true, or false (logged) if they are not an allocated part of
 * @cma.
 */
bool pga_cma_release(struct pga_cma *cma, const struct pga_page *pages,
		     unsigned long count);

#endif /* PGA_MEMORY_H */
