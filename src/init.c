/* SPDX-License-Identifier: MIT */
/*
 * pga_init(): from the caller's memory map to a running buddy allocator.
 *
 * Steps (Linux: memblock -> free_area_init -> memblock_free_all):
 * validate and sort the ranges; size nodes and zones from the RAM; carve
 * the sparse memmap, the per-CPU structures and the CMA bitmaps from the
 * top of each node (never from a CMA area); initialise every descriptor
 * (managed pages free, everything else reserved); mark CMA pageblocks;
 * seed the buddy with the largest aligned blocks; build the zonelists and
 * compute watermarks.  Hot-add (hotplug.c) runs the same steps on one
 * range through the pga_init_* functions declared in memblock.h.
 */
#include "internal.h"
#include "memblock.h"

struct pga_state pga_g;
struct pga_mem_section pga_sections[PGA_NR_SECTIONS];

/* Static so boot does not need a large stack. */
static struct pga_memblock boot_mb;

const char *const pga_zone_names[PGA_MAX_NR_ZONES] = {"DMA", "DMA32",
						       "Normal", "Movable"};
const char *const pga_migratetype_names[PGA_MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate"};

/* Fill @p with Linux's defaults (see init.h).  Context: any. */
void pga_params_init(struct pga_params *p)
{
	__builtin_memset(p, 0, sizeof(*p));
	p->nr_cpus = 1;
	p->dma_limit = PGA_ZONE_LIMIT_DEFAULT;
	p->dma32_limit = PGA_ZONE_LIMIT_DEFAULT;
	p->min_free_kbytes = -1;
	p->watermark_scale_factor = 10;
	p->watermark_boost_factor = 15000;
	p->lowmem_reserve_ratio[PGA_ZONE_DMA] = 256;
	p->lowmem_reserve_ratio[PGA_ZONE_DMA32] = 256;
	p->lowmem_reserve_ratio[PGA_ZONE_NORMAL] = 32;
	p->lowmem_reserve_ratio[PGA_ZONE_MOVABLE] = 0;
	p->gfp_allowed_mask = PGA_GFP_BOOT_MASK;
}

static pga_pfn_t limit_pfn(pga_paddr_t limit, pga_paddr_t dflt)
{
	if (limit == PGA_ZONE_LIMIT_DEFAULT)
		limit = dflt;
	if (limit == PGA_ZONE_LIMIT_NONE)
		return 0;
	return limit >> PGA_PAGE_SHIFT;
}

static void setup_zone_limits(const struct pga_params *p)
{
	pga_g.dma_end_pfn = limit_pfn(p->dma_limit, PGA_ARCH_DMA_LIMIT);
	pga_g.dma32_end_pfn = limit_pfn(p->dma32_limit, PGA_ARCH_DMA32_LIMIT);
	pga_g.movable_start_pfn = p->movable_start >> PGA_PAGE_SHIFT;
	if (pga_g.movable_start_pfn)
		pga_g.movable_start_pfn = PGA_MAX(pga_g.movable_start_pfn,
						  pga_g.dma32_end_pfn);
	pga_g.zone_configured[PGA_ZONE_DMA] = pga_g.dma_end_pfn != 0;
	pga_g.zone_configured[PGA_ZONE_DMA32] = pga_g.dma32_end_pfn != 0;
	pga_g.zone_configured[PGA_ZONE_NORMAL] = true;
	pga_g.zone_configured[PGA_ZONE_MOVABLE] = pga_g.movable_start_pfn != 0;
}

/*
 * Return: the zone type @pfn belongs to by the configured limits; @limit
 * gets the first pfn past that zone's limit.  Context: any.
 */
enum pga_zone_type pga_zone_of_pfn(pga_pfn_t pfn, pga_pfn_t *limit)
{
	if (pfn < pga_g.dma_end_pfn) {
		*limit = pga_g.dma_end_pfn;
		return PGA_ZONE_DMA;
	}
	if (pfn < pga_g.dma32_end_pfn) {
		*limit = pga_g.dma32_end_pfn;
		return PGA_ZONE_DMA32;
	}
	if (!pga_g.movable_start_pfn || pfn < pga_g.movable_start_pfn) {
		*limit = pga_g.movable_start_pfn ? pga_g.movable_start_pfn
						 : PGA_MAX_PFN;
		return PGA_ZONE_NORMAL;
	}
	*limit = PGA_MAX_PFN;
	return PGA_ZONE_MOVABLE;
}

/* Grow @z's span over [@s, @e) and count the pages present. */
static void zone_grow(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e)
{
	unsigned long flags = zone_lock(z);
	pga_pfn_t end = z->spanned_pages ? zone_end_pfn(z) : e;

	if (!z->spanned_pages || s < z->zone_start_pfn)
		z->zone_start_pfn = z->spanned_pages ? PGA_MIN(s, z->zone_start_pfn)
						     : s;
	end = PGA_MAX(end, e);
	z->spanned_pages = (unsigned long)(end - z->zone_start_pfn);
	z->present_pages += (unsigned long)(e - s);
	zone_unlock(z, flags);
}

/*
 * Grow nodes and zones over the RAM ranges of @mb (spans, present pages,
 * online nodes, nr_nodes).  Context: boot or hot-add (serialised).
 */
void pga_init_size_nodes(const struct pga_memblock *mb)
{
	for (size_t i = 0; i < mb->nr_ram; i++) {
		const struct pga_mb_range *r = &mb->ram[i];
		struct pga_node *n = &pga_g.nodes[r->nid];
		pga_pfn_t s = r->start;

		if (!n->online || r->start < n->node_start_pfn) {
			pga_pfn_t end = n->online ? n->node_start_pfn +
							    n->node_spanned_pages
						  : r->end;
			n->node_start_pfn = r->start;
			n->node_spanned_pages = (unsigned long)(end - r->start);
		}
		if (r->end > n->node_start_pfn + n->node_spanned_pages)
			n->node_spanned_pages =
				(unsigned long)(r->end - n->node_start_pfn);
		n->online = true;
		n->node_present_pages += (unsigned long)(r->end - r->start);
		pga_g.nr_nodes = PGA_MAX(pga_g.nr_nodes, r->nid + 1);
		while (s < r->end) {
			pga_pfn_t lim;
			enum pga_zone_type zt = pga_zone_of_pfn(s, &lim);
			pga_pfn_t e = PGA_MIN(r->end, lim);

			zone_grow(&n->node_zones[zt], s, e);
			s = e;
		}
	}
}

static void init_zone_struct(struct pga_node *n, int zt)
{
	struct pga_zone *z = &n->node_zones[zt];

	pga_arch_spin_init(&z->lock);
	z->node = n;
	z->nid = n->node_id;
	z->idx = (enum pga_zone_type)zt;
	z->compact_order_failed = PGA_MAX_ORDER + 1;
	pga_init_zone_lists(z);
}

/*
 * Reset the free lists of @z to empty.  Context: init or hot-add, zone
 * not yet in use.
 */
void pga_init_zone_lists(struct pga_zone *z)
{
	for (int o = 0; o < PGA_NR_ORDERS; o++) {
		for (int t = 0; t < PGA_MIGRATE_TYPES; t++)
			list_init(&z->free_area[o].free_list[t]);
		z->free_area[o].nr_free = 0;
	}
}

/* Window of section @sec that needs descriptors, from the RAM ranges. */
static bool section_window(const struct pga_memblock *mb, unsigned long sec,
			   uint32_t *lo, uint32_t *hi, int *nid)
{
	pga_pfn_t base = (pga_pfn_t)sec << PGA_PFN_SECTION_SHIFT;
	pga_pfn_t end = base + PGA_PAGES_PER_SECTION;
	pga_pfn_t first = end, last = base;

	for (size_t i = 0; i < mb->nr_ram; i++) {
		const struct pga_mb_range *r = &mb->ram[i];

		if (r->end <= base || r->start >= end)
			continue;
		if (first == end)
			*nid = r->nid;
		first = PGA_MIN(first, PGA_MAX(r->start, base));
		last = PGA_MAX(last, PGA_MIN(r->end, end));
	}
	if (first >= last)
		return false;
	*lo = (uint32_t)(PGA_ALIGN_DOWN(first, PGA_MAX_ORDER_NR_PAGES) - base);
	*hi = (uint32_t)(PGA_ALIGN_UP(last, PGA_MAX_ORDER_NR_PAGES) - base);
	return true;
}

static unsigned long memmap_pages(uint32_t lo, uint32_t hi)
{
	unsigned long n = hi - lo;
	unsigned long bytes = n * sizeof(struct pga_page) +
			      (n >> PGA_PAGEBLOCK_ORDER) + 1 +
			      pga_owner_bytes(n);

	return (bytes + PGA_PAGE_SIZE - 1) >> PGA_PAGE_SHIFT;
}

/*
 * Carve the memmap of every section the RAM of @mb touches.  With @commit
 * the sections are published in pga_sections; without, only the carving
 * happens (a dry run on a scratch copy tells hot-add whether it fits).
 * Return: 0 or -PGA_ENOMEM.  Context: boot or hot-add (serialised).
 */
int pga_init_memmap(struct pga_memblock *mb, bool commit)
{
	pga_pfn_t first = mb->ram[0].start;
	pga_pfn_t last = mb->ram[mb->nr_ram - 1].end - 1;

	for (unsigned long sec = (unsigned long)(first >> PGA_PFN_SECTION_SHIFT);
	     sec <= (unsigned long)(last >> PGA_PFN_SECTION_SHIFT); sec++) {
		struct pga_mem_section *s = &pga_sections[sec];
		uint32_t lo, hi;
		int nid = 0;
		pga_pfn_t pfn;

		if (!section_window(mb, sec, &lo, &hi, &nid))
			continue;
		pfn = pga_mb_carve(mb, memmap_pages(lo, hi), nid);
		if (pfn == PGA_MB_NONE) {
			pga_log(PGA_LOG_ERR,
				"pga: no room for the memmap of section %lu",
				sec);
			return -PGA_ENOMEM;
		}
		if (!commit)
			continue;
		s->map = pga_phys_to_virt(pfn << PGA_PAGE_SHIFT);
		s->pageblock = (uint8_t *)(s->map + (hi - lo));
		s->lo = lo;
		s->hi = hi;
	}
	return 0;
}

static void init_zone_pcps(struct pga_zone *z, struct pga_pcp *pcp)
{
	z->pcp = pcp;
	for (unsigned int c = 0; c < pga_g.nr_cpus; c++) {
		z->pcp[c].batch = 1;
		for (int l = 0; l < PGA_NR_PCP_LISTS; l++)
			list_init(&z->pcp[c].lists[l]);
	}
}

/*
 * Carve one block of per-CPU structures for the zones of node @nid in
 * @zone_mask (bit i = zone type i) and, with @commit, hand them out.
 * Return: 0 or -PGA_ENOMEM.  Context: boot or hot-add (serialised).
 */
int pga_init_pcps(struct pga_memblock *mb, int nid, unsigned int zone_mask,
		  bool commit)
{
	size_t per_zone = sizeof(struct pga_pcp) * pga_g.nr_cpus, nz = 0;
	unsigned long pages;
	struct pga_pcp *pcp;
	pga_pfn_t pfn;

	for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
		nz += (zone_mask >> zt) & 1;
	if (!nz)
		return 0;
	pages = (per_zone * nz + PGA_PAGE_SIZE - 1) >> PGA_PAGE_SHIFT;
	pfn = pga_mb_carve(mb, pages, nid);
	if (pfn == PGA_MB_NONE) {
		pga_log(PGA_LOG_ERR, "pga: no room for per-CPU lists");
		return -PGA_ENOMEM;
	}
	if (!commit)
		return 0;
	pcp = pga_phys_to_virt(pfn << PGA_PAGE_SHIFT);
	__builtin_memset(pcp, 0, pages << PGA_PAGE_SHIFT);
	for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
		if (!(zone_mask & (1u << zt)))
			continue;
		init_zone_pcps(&pga_g.nodes[nid].node_zones[zt], pcp);
		pcp += pga_g.nr_cpus;
	}
	return 0;
}

/* Carve and initialise the per-CPU structures of every populated zone. */
static int alloc_pcp(struct pga_memblock *mb)
{
	int nid;

	for_each_node(nid) {
		unsigned int mask = 0;

		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			if (zone_populated(&pga_g.nodes[nid].node_zones[zt]))
				mask |= 1u << zt;
		if (pga_init_pcps(mb, nid, mask, true))
			return -PGA_ENOMEM;
	}
	return 0;
}

/* Cursor over sorted ranges: is @pfn inside one, and where that changes. */
static bool in_ranges(const struct pga_mb_range *r, size_t n, size_t *cur,
		      pga_pfn_t pfn, pga_pfn_t *next, int *nid)
{
	while (*cur < n && r[*cur].end <= pfn)
		(*cur)++;
	if (*cur < n && r[*cur].start <= pfn) {
		*next = r[*cur].end;
		*nid = r[*cur].nid;
		return true;
	}
	*next = *cur < n ? r[*cur].start : PGA_MAX_PFN;
	return false;
}

static void fill_pages(struct pga_page *p, unsigned long n, uint64_t flags,
		       int ref)
{
	for (unsigned long i = 0; i < n; i++) {
		p[i].lru.next = NULL;
		p[i].lru.prev = NULL;
		p[i].flags = flags;
		p[i].refcount.counter = ref;
		p[i].mapcount = 0;
		p[i].private = 0;
	}
}

/*
 * Initialise the descriptors of one section window in runs: managed pages
 * get refcount 0, everything else (holes, reserved, metadata) is reserved
 * with refcount 1.  Zone and node are recorded in each page's flags; all
 * pageblocks start MOVABLE.  Context: boot or hot-add (serialised).
 */
void pga_init_section_pages(const struct pga_memblock *mb, unsigned long sec)
{
	struct pga_mem_section *s = &pga_sections[sec];
	pga_pfn_t base = (pga_pfn_t)sec << PGA_PFN_SECTION_SHIFT;
	pga_pfn_t pfn = base + s->lo, end = base + s->hi;
	size_t rc = 0, ac = 0;
	int nid = -1, unused;

	__builtin_memset(s->pageblock, PGA_MIGRATE_MOVABLE,
			 (s->hi - s->lo) >> PGA_PAGEBLOCK_ORDER);
	if (pga_owner_enabled())
		__builtin_memset(s->pageblock +
					 ((s->hi - s->lo) >> PGA_PAGEBLOCK_ORDER),
				 0, pga_owner_bytes(s->hi - s->lo));
	while (pfn < end) {
		pga_pfn_t zlim, rnext, anext, stop;
		enum pga_zone_type zt = pga_zone_of_pfn(pfn, &zlim);
		int rnid = -1;
		bool ram = in_ranges(mb->ram, mb->nr_ram, &rc, pfn, &rnext, &rnid);
		bool managed = in_ranges(mb->avail, mb->nr_avail, &ac, pfn,
					 &anext, &unused);
		uint64_t flags = ((uint64_t)zt << PGA_ZONE_SHIFT) |
				 ((uint64_t)sec << PGA_SECTION_SHIFT_IN_FLAGS);

		/* A hole belongs to the node before it (or after, at first). */
		if (ram)
			nid = rnid;
		else if (nid < 0)
			nid = rc < mb->nr_ram ? mb->ram[rc].nid : 0;
		flags |= (uint64_t)nid << PGA_NODE_SHIFT;
		stop = PGA_MIN(PGA_MIN(zlim, rnext), PGA_MIN(anext, end));
		if (managed)
			fill_pages(pfn_page(pfn), (unsigned long)(stop - pfn),
				   flags, 0);
		else
			fill_pages(pfn_page(pfn), (unsigned long)(stop - pfn),
				   flags | PGA_PAGE_FLAG(PGA_PG_reserved), 1);
		pfn = stop;
	}
}

/*
 * Hand [@s, @e) of zone @z to the buddy (Linux __free_pages_core with
 * FPI_TO_TAIL).  Context: init/hot-add.
 */
static void seed_range(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e)
{
	unsigned long flags = zone_lock(z);

	pga_buddy_free_range_locked(z, s, e, PGA_FPI_TO_TAIL, true);
	zone_unlock(z, flags);
}

/*
 * Seed the buddy with the available ranges of @mb, zone by zone, and
 * count them managed.  Context: boot or hot-add (serialised).
 */
void pga_init_seed(const struct pga_memblock *mb)
{
	for (size_t i = 0; i < mb->nr_avail; i++) {
		pga_pfn_t s = mb->avail[i].start;

		while (s < mb->avail[i].end) {
			pga_pfn_t lim;
			enum pga_zone_type zt = pga_zone_of_pfn(s, &lim);
			pga_pfn_t e = PGA_MIN(mb->avail[i].end, lim);
			struct pga_zone *z =
				&pga_g.nodes[mb->avail[i].nid].node_zones[zt];

			seed_range(z, s, e);
			pga_atomic_long_add_return(&z->managed_pages,
						   (long)(e - s));
			pga_g.totalram_pages += (unsigned long)(e - s);
			s = e;
		}
	}
}

static int check_params(const struct pga_params *p)
{
	if (p->nr_cpus == 0 || p->nr_cpus > PGA_CONFIG_MAX_CPUS) {
		pga_log(PGA_LOG_ERR, "pga: nr_cpus %u out of 1..%d", p->nr_cpus,
			PGA_CONFIG_MAX_CPUS);
		return -PGA_EINVAL;
	}
	for (unsigned int c = 0; c < p->nr_cpus; c++) {
		if (p->cpu_to_node[c] >= PGA_CONFIG_MAX_NODES) {
			pga_log(PGA_LOG_ERR, "pga: cpu %u on node %u, max %d", c,
				p->cpu_to_node[c], PGA_CONFIG_MAX_NODES - 1);
			return -PGA_EINVAL;
		}
	}
	if (pga_numa_check_params(p) ||
	    pga_debug_pagealloc_check(p, &pga_g.hooks))
		return -PGA_EINVAL;
	return pga_watermark_check_params(p);
}

static void reset_state(const struct pga_params *p, const struct pga_hooks *h)
{
	__builtin_memset(&pga_g, 0, sizeof(pga_g));
	__builtin_memset(pga_sections, 0, sizeof(pga_sections));
	pga_g.params = *p;
	if (h)
		pga_g.hooks = *h;
	pga_g.nr_cpus = p->nr_cpus;
	pga_g.gfp_allowed_mask = p->gfp_allowed_mask;
	pga_g.group_by_mobility_disabled = p->disable_mobility_grouping;
	for (int nid = 0; nid < PGA_CONFIG_MAX_NODES; nid++) {
		pga_g.nodes[nid].node_id = nid;
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			init_zone_struct(&pga_g.nodes[nid], zt);
	}
	setup_zone_limits(p);
}

static int setup_memory(struct pga_memblock *mb, const struct pga_params *p)
{
	int err = pga_cma_reserve(mb, p->cma, p->nr_cma);

	if (err)
		return err;
	err = pga_mb_compute_avail(mb);
	if (err) {
		pga_log(PGA_LOG_ERR, "pga: memory map has too many pieces");
		return err;
	}
	pga_init_size_nodes(mb);
	err = pga_init_memmap(mb, true);
	if (!err)
		err = alloc_pcp(mb);
	if (!err)
		err = pga_cma_carve(mb);
	if (err)
		return err;
	for (unsigned long sec = 0; sec < PGA_NR_SECTIONS; sec++)
		if (pga_sections[sec].map)
			pga_init_section_pages(mb, sec);
	pga_cma_activate();
	pga_init_seed(mb);
	return 0;
}

int pga_init(const struct pga_params *params, const struct pga_mem_range *ram,
	     size_t nr_ram, const struct pga_mem_range *reserved,
	     size_t nr_reserved, const struct pga_hooks *hooks)
{
	struct pga_params defaults;
	int err;

	if (!params) {
		pga_params_init(&defaults);
		params = &defaults;
	}
	reset_state(params, hooks);
	pga_stats_reset();
	err = check_params(params);
	if (!err)
		err = pga_mb_load(&boot_mb, ram, nr_ram, reserved, nr_reserved);
	if (!err)
		err = setup_memory(&boot_mb, params);
	if (err) {
		pga_g.nr_nodes = 0;
		return err;
	}
	pga_numa_build_zonelists();
	pga_gfp_init();
	pga_watermark_init();
	pga_reclaim_init();
	pga_g.initialised = true;
	return 0;
}

/* Replace the allowed GFP mask; returns the old one.  Context: any. */
pga_gfp_t pga_set_gfp_allowed_mask(pga_gfp_t mask)
{
	pga_gfp_t old = pga_g.gfp_allowed_mask;

	pga_g.gfp_allowed_mask = mask & PGA_GFP_BITS_MASK;
	return old;
}
