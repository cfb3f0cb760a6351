/* SPDX-License-Identifier: MIT */
/*
 * Private structures of pga and the prototypes that cross files.
 *
 * Naming: cross-file functions are pga_<module>_<verb>; a _locked suffix
 * means the caller holds the zone lock (asserted in debug builds).
 * The Linux concept each structure mirrors is named in its comment.
 */
#ifndef PGA_INTERNAL_H
#define PGA_INTERNAL_H

#include <pga.h>

#include "list.h"

/* ---- basics ------------------------------------------------------------ */

#define PGA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PGA_MAX(a, b) ((a) > (b) ? (a) : (b))
#define PGA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PGA_ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define PGA_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define pga_likely(x) __builtin_expect(!!(x), 1)
#define pga_unlikely(x) __builtin_expect(!!(x), 0)

#define PGA_MAX_ORDER_NR_PAGES (1UL << PGA_MAX_ORDER)

/*
 * Add @n to a per-CPU counter: only its CPU writes it (interrupts off),
 * but sums read it from anywhere, so the store is atomic (Linux
 * this_cpu_add; a plain add and store on x86_64 and arm64).
 */
#define PGA_PCPU_ADD(var, n) \
	__atomic_store_n(&(var), (var) + (n), __ATOMIC_RELAXED)

/*
 * Zone fields the zone lock guards but lockless checks read (watermarks,
 * boost, lowmem reserves, nr_free, highatomic reserve): Linux READ_ONCE /
 * WRITE_ONCE, so those reads are defined behaviour (and TSan-clean).
 */
#define PGA_READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define PGA_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* ---- page flags and packed fields ---------------------------------------- */

#define PGA_PAGE_FLAG(f) ((uint64_t)1 << (f))
#define PGA_ZONE_SHIFT 32
#define PGA_ZONE_BITS 3
#define PGA_NODE_SHIFT (PGA_ZONE_SHIFT + PGA_ZONE_BITS)
#define PGA_NODE_BITS 6
#define PGA_SECTION_SHIFT_IN_FLAGS (PGA_NODE_SHIFT + PGA_NODE_BITS)

/*
 * page->flags: only the page's owner (or, for free pages, the zone-lock
 * holder) changes the flag bits, but __free_one_page reads the flags of
 * any neighbouring page to find buddies, whoever owns it.  So every
 * access is a relaxed atomic load or store (Linux: non-atomic __SetPage
 * by the owner, lockless PageBuddy readers); the read-modify-write is not
 * atomic and needs the ownership rule.
 */
static inline uint64_t page_flags_read(const struct pga_page *p)
{
	return __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
}
static inline void page_flags_write(struct pga_page *p, uint64_t flags)
{
	__atomic_store_n(&p->flags, flags, __ATOMIC_RELAXED);
}
static inline bool page_flag(const struct pga_page *p, enum pga_page_flag f)
{
	return (page_flags_read(p) & PGA_PAGE_FLAG(f)) != 0;
}
static inline void page_set(struct pga_page *p, enum pga_page_flag f)
{
	page_flags_write(p, page_flags_read(p) | PGA_PAGE_FLAG(f));
}
static inline void page_clear(struct pga_page *p, enum pga_page_flag f)
{
	page_flags_write(p, page_flags_read(p) & ~PGA_PAGE_FLAG(f));
}
static inline int page_zid(const struct pga_page *p)
{
	return (int)((page_flags_read(p) >> PGA_ZONE_SHIFT) &
		     ((1u << PGA_ZONE_BITS) - 1));
}
static inline int page_nid(const struct pga_page *p)
{
	return (int)((page_flags_read(p) >> PGA_NODE_SHIFT) &
		     ((1u << PGA_NODE_BITS) - 1));
}
static inline unsigned long page_section(const struct pga_page *p)
{
	return (unsigned long)(page_flags_read(p) >>
			       PGA_SECTION_SHIFT_IN_FLAGS);
}

/* ---- sparse memmap (Linux SPARSEMEM) --------------------------------------- */

#define PGA_PFN_SECTION_SHIFT (PGA_CONFIG_SECTION_SHIFT - PGA_PAGE_SHIFT)
#define PGA_PAGES_PER_SECTION (1UL << PGA_PFN_SECTION_SHIFT)
#define PGA_NR_SECTIONS (1UL << (PGA_CONFIG_MAX_PHYS_BITS - PGA_CONFIG_SECTION_SHIFT))
#define PGA_MAX_PFN ((pga_pfn_t)1 << (PGA_CONFIG_MAX_PHYS_BITS - PGA_PAGE_SHIFT))

_Static_assert(64 - PGA_SECTION_SHIFT_IN_FLAGS >=
		       PGA_CONFIG_MAX_PHYS_BITS - PGA_CONFIG_SECTION_SHIFT,
	       "section numbers must fit in page flags");
_Static_assert(PGA_CONFIG_MAX_NODES <= (1 << PGA_NODE_BITS), "node bits");

/*
 * One section of the memmap.  Only the MAX_ORDER-aligned pfn window
 * [section base + lo, section base + hi) that holds RAM has descriptors;
 * map points at the descriptor of pfn base + lo.  The pageblock bytes of
 * the window follow the descriptors in the same carve-out.
 */
struct pga_mem_section {
	struct pga_page *map;
	uint8_t *pageblock;
	uint32_t lo, hi;
};

extern struct pga_mem_section pga_sections[PGA_NR_SECTIONS];

/* Descriptor of @pfn or NULL (hole, or never managed). */
static inline struct pga_page *pfn_to_page_or_null(pga_pfn_t pfn)
{
	const struct pga_mem_section *s;
	unsigned long off;

	if (pfn >= PGA_MAX_PFN)
		return NULL;
	s = &pga_sections[pfn >> PGA_PFN_SECTION_SHIFT];
	off = (unsigned long)(pfn & (PGA_PAGES_PER_SECTION - 1));
	if (!s->map || off < s->lo || off >= s->hi)
		return NULL;
	return s->map + (off - s->lo);
}

/* Descriptor of @pfn, which the caller knows to be covered. */
static inline struct pga_page *pfn_page(pga_pfn_t pfn)
{
	const struct pga_mem_section *s =
		&pga_sections[pfn >> PGA_PFN_SECTION_SHIFT];

	return s->map + ((pfn & (PGA_PAGES_PER_SECTION - 1)) - s->lo);
}

static inline pga_pfn_t page_pfn(const struct pga_page *p)
{
	unsigned long sec = page_section(p);
	const struct pga_mem_section *s = &pga_sections[sec];

	return ((pga_pfn_t)sec << PGA_PFN_SECTION_SHIFT) + s->lo +
	       (pga_pfn_t)(p - s->map);
}

/* ---- pageblocks ------------------------------------------------------------ */

/* One byte per pageblock: bits 0-2 migratetype, bit 3 compaction skip. */
#define PGA_PB_MT_MASK 0x7u
#define PGA_PB_SKIP 0x8u

static inline uint8_t *pageblock_byte(pga_pfn_t pfn)
{
	const struct pga_mem_section *s =
		&pga_sections[pfn >> PGA_PFN_SECTION_SHIFT];
	unsigned long off = (unsigned long)(pfn & (PGA_PAGES_PER_SECTION - 1));

	return &s->pageblock[(off - s->lo) >> PGA_PAGEBLOCK_ORDER];
}

/* The migratetype in pageblock byte @b. */
static inline int pageblock_type(const uint8_t *b)
{
	return __atomic_load_n(b, __ATOMIC_RELAXED) & PGA_PB_MT_MASK;
}

static inline int get_pageblock_migratetype(pga_pfn_t pfn)
{
	return pageblock_type(pageblock_byte(pfn));
}

/*
 * The pageblock type of the block holding @p, straight from its section
 * (the window starts on a MAX_ORDER boundary, so pageblocks count from
 * its first descriptor).
 */
static inline int page_pageblock_migratetype(const struct pga_page *p)
{
	const struct pga_mem_section *s = &pga_sections[page_section(p)];

	return pageblock_type(&s->pageblock[(p - s->map) >>
					    PGA_PAGEBLOCK_ORDER]);
}

/* Set the pageblock type of @pfn (grouping rules applied by the caller). */
void pga_pageblock_set_type(pga_pfn_t pfn, int mt);
bool pga_pageblock_skip(pga_pfn_t pfn);
void pga_pageblock_set_skip(pga_pfn_t pfn, bool skip);

static inline bool is_migrate_mergeable(int mt)
{
	return mt < PGA_MIGRATE_PCPTYPES;
}
static inline bool is_migrate_movable(int mt)
{
	return mt == PGA_MIGRATE_MOVABLE || mt == PGA_MIGRATE_CMA;
}

/* ---- zones and nodes --------------------------------------------------------- */

/* Zone stat items (Linux enum zone_stat_item, the ones we keep). */
enum pga_zone_stat {
	PGA_NR_FREE_PAGES,
	PGA_NR_FREE_CMA_PAGES,
	PGA_NR_ZONE_STATS
};

/* Zone flags (Linux enum zone_flags). */
#define PGA_ZONE_BOOSTED_WATERMARK 0x1u
#define PGA_ZONE_RECLAIM_ACTIVE 0x2u

/* Watermark indices (Linux enum zone_watermarks). */
enum pga_wmark { PGA_WMARK_MIN, PGA_WMARK_LOW, PGA_WMARK_HIGH,
		 PGA_WMARK_PROMO, PGA_NR_WMARK };

/* Linux struct free_area. */
struct pga_free_area {
	struct pga_list_head free_list[PGA_MIGRATE_TYPES];
	unsigned long nr_free;
};

/*
 * Per-CPU page lists of one zone (Linux struct per_cpu_pages), plus the
 * per-CPU statistics deltas of that zone.  Lists: order <= COSTLY_ORDER
 * per pcp migratetype, then the pageblock-order list (unmovable-ish,
 * movable).  count is in base pages.
 */
#define PGA_NR_LOWORDER_PCP_LISTS (PGA_MIGRATE_PCPTYPES * (PGA_COSTLY_ORDER + 1))
#define PGA_NR_PCP_LISTS (PGA_NR_LOWORDER_PCP_LISTS + 2)

/* NUMA allocation statistics (Linux numa_stat_item). */
enum pga_numa_stat {
	PGA_NUMA_HIT,
	PGA_NUMA_MISS,
	PGA_NUMA_FOREIGN,
	PGA_NUMA_INTERLEAVE_HIT,
	PGA_NUMA_LOCAL,
	PGA_NUMA_OTHER,
	PGA_NR_NUMA_STATS
};

struct pga_pcp {
	/* The pcp lock (pcp.c): 1 while held; lock_holds counts takes. */
	unsigned int lock;
	int count;
	int high;
	int batch;
	short free_factor;
	unsigned long lock_holds;
	/* Pages this CPU allocated from the zone minus pages it freed. */
	long alloc_delta;
	unsigned long numa_stat[PGA_NR_NUMA_STATS];
	struct pga_list_head lists[PGA_NR_PCP_LISTS];
} __attribute__((aligned(PGA_ARCH_CACHE_LINE)));

struct pga_node;

/* Linux struct zone. */
struct pga_zone {
	pga_arch_spinlock_t lock;
	struct pga_free_area free_area[PGA_NR_ORDERS];
	unsigned long watermark[PGA_NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[PGA_MAX_NR_ZONES];
	pga_pfn_t zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	pga_atomic_long_t managed_pages;
	pga_atomic_long_t vm_stat[PGA_NR_ZONE_STATS];
	unsigned long nr_isolate_pageblock;
	/* Pages pga_offline_range() took out (PG_offline, not managed). */
	unsigned long nr_offline_pages;
	/* Pages quarantined by bad-page checks (leaked on purpose). */
	pga_atomic_long_t nr_bad_pages;
	/* Allocated-page accounting of CPUs without a pcp (bad CPU ids). */
	pga_atomic_long_t alloc_unowned;
	unsigned int flags;
	struct pga_pcp *pcp; /* [nr_cpus], carved at init */
	struct pga_node *node;
	int nid;
	enum pga_zone_type idx;
	/* Compaction deferral (Linux compact_considered ...). */
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	pga_pfn_t compact_cached_free_pfn;
	pga_pfn_t compact_cached_migrate_pfn[2];
	/* Direct compaction met the scanners: kswapd clears skip bits. */
	bool compact_blockskip_flush;
};

static inline unsigned long zone_managed(const struct pga_zone *z)
{
	return (unsigned long)pga_atomic_long_read(&z->managed_pages);
}
static inline bool zone_populated(const struct pga_zone *z)
{
	return z->present_pages != 0;
}
static inline bool zone_managed_nonzero(const struct pga_zone *z)
{
	return zone_managed(z) != 0;
}
static inline long zone_page_state(const struct pga_zone *z,
				   enum pga_zone_stat item)
{
	return pga_atomic_long_read(&z->vm_stat[item]);
}
static inline void zone_stat_add(struct pga_zone *z, enum pga_zone_stat item,
				 long delta)
{
	pga_atomic_long_add_relaxed(&z->vm_stat[item], delta);
}
static inline bool zone_spans_pfn(const struct pga_zone *z, pga_pfn_t pfn)
{
	return pfn >= z->zone_start_pfn &&
	       pfn < z->zone_start_pfn + z->spanned_pages;
}
static inline pga_pfn_t zone_end_pfn(const struct pga_zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

/* Linux struct zoneref / zonelist. */
struct pga_zoneref {
	struct pga_zone *zone;
	int zone_idx;
};

#define PGA_MAX_ZONES_PER_ZONELIST (PGA_CONFIG_MAX_NODES * PGA_MAX_NR_ZONES)

enum { PGA_ZONELIST_FALLBACK, PGA_ZONELIST_NOFALLBACK, PGA_MAX_ZONELISTS };

struct pga_zonelist {
	/* Terminated by an entry with zone == NULL. */
	struct pga_zoneref zonerefs[PGA_MAX_ZONES_PER_ZONELIST + 1];
};

/* Linux pg_data_t. */
struct pga_node {
	int node_id;
	bool online; /* has RAM */
	struct pga_zone node_zones[PGA_MAX_NR_ZONES];
	struct pga_zonelist node_zonelists[PGA_MAX_ZONELISTS];
	pga_pfn_t node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	unsigned long totalreserve_pages;
	/* kswapd state, written by wakeup and balance. */
	int kswapd_order;
	int kswapd_highest_zoneidx;
	int kswapd_failures;
	/* kcompactd request, written by wakeup_kcompactd (compaction.c). */
	bool kcompactd_pending;
	int kcompactd_max_order;
	int kcompactd_highest_zoneidx;
};

/* ---- alloc_flags (Linux mm/internal.h ALLOC_*, 6.6 values) ------------- */

#define PGA_ALLOC_WMARK_MIN PGA_WMARK_MIN
#define PGA_ALLOC_WMARK_LOW PGA_WMARK_LOW
#define PGA_ALLOC_WMARK_HIGH PGA_WMARK_HIGH
#define PGA_ALLOC_WMARK_MASK 0x3u
#define PGA_ALLOC_NO_WATERMARKS 0x04u
#define PGA_ALLOC_OOM 0x08u
#define PGA_ALLOC_NON_BLOCK 0x10u
#define PGA_ALLOC_MIN_RESERVE 0x20u /* == __GFP_HIGH */
#define PGA_ALLOC_CPUSET 0x40u
#define PGA_ALLOC_CMA 0x80u
#define PGA_ALLOC_NOFRAGMENT 0x100u
#define PGA_ALLOC_HIGHATOMIC 0x200u
#define PGA_ALLOC_KSWAPD 0x800u /* == __GFP_KSWAPD_RECLAIM */
#define PGA_ALLOC_RESERVES \
	(PGA_ALLOC_NON_BLOCK | PGA_ALLOC_MIN_RESERVE | PGA_ALLOC_HIGHATOMIC | \
	 PGA_ALLOC_OOM)

_Static_assert(PGA_ALLOC_MIN_RESERVE == PGA___GFP_HIGH, "MIN_RESERVE bit");
_Static_assert(PGA_ALLOC_KSWAPD == PGA___GFP_KSWAPD_RECLAIM, "KSWAPD bit");

/* ---- global state ------------------------------------------------------------ */

struct pga_state {
	struct pga_params params;
	struct pga_hooks hooks;
	struct pga_node nodes[PGA_CONFIG_MAX_NODES];
	int nr_nodes;		/* highest node id + 1 */
	unsigned int nr_cpus;
	pga_gfp_t gfp_allowed_mask;
	bool initialised;
	bool group_by_mobility_disabled;
	/* Tunables (sysctls) and derived totals. */
	int min_free_kbytes;
	int user_min_free_kbytes;
	unsigned int watermark_scale_factor;
	unsigned int watermark_boost_factor;
	unsigned int lowmem_reserve_ratio[PGA_MAX_NR_ZONES];
	unsigned int percpu_pagelist_high_fraction;
	unsigned long totalreserve_pages;
	unsigned long totalram_pages;
	/* The task-flags word used when the hooks do not provide one. */
	unsigned int fallback_task_flags;
	/* Zone limits in pfns (exclusive); 0 = zone absent. */
	pga_pfn_t dma_end_pfn, dma32_end_pfn, movable_start_pfn;
	bool zone_configured[PGA_MAX_NR_ZONES];
	/* Slow path, reclaim and compaction (slowpath.c, reclaim.c ...). */
	struct pga_reclaim_state {
		unsigned int extfrag_threshold;	/* vm.extfrag_threshold */
		int oom_lock;			/* Linux oom_lock (trylock) */
		int nr_capturing;		/* direct compactors capturing */
		int warn_lock;			/* warn_alloc ratelimit */
		bool warn_window_open;
		uint64_t warn_window_start;
		unsigned int warn_printed, warn_missed;
		unsigned int empty_claims;	/* reclaim.c checked_progress */
		bool warned_once[8];		/* WARN_ON_ONCE sites */
	} reclaim;
	/* CPUs taken down by pga_cpu_offline(): no pcp, not in pcp high. */
	bool cpu_offline[PGA_CONFIG_MAX_CPUS];
};

extern struct pga_state pga_g;

static inline struct pga_zone *page_zone(const struct pga_page *p)
{
	return &pga_g.nodes[page_nid(p)].node_zones[page_zid(p)];
}

#define for_each_node(nid) for ((nid) = 0; (nid) < pga_g.nr_nodes; (nid)++)

/* ---- logging and assertions (log.c, format.c) -------------------------- */

int pga_vsnprintf(char *buf, size_t size, const char *fmt,
		  __builtin_va_list ap);
int pga_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format a message and pass it to the log hook.  Context: any. */
void pga_log(enum pga_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Report corruption through the panic hook; does not return. */
_Noreturn void pga_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#if PGA_CONFIG_DEBUG
#define PGA_ASSERT(cond)                                                    \
	do {                                                                \
		if (pga_unlikely(!(cond)))                                  \
			pga_panic("assertion failed: %s (%s:%d)", #cond,    \
				  __FILE__, __LINE__);                      \
	} while (0)
#else
#define PGA_ASSERT(cond) ((void)0)
#endif

#define PGA_ASSERT_LOCKED(z) PGA_ASSERT(pga_arch_spin_is_locked(&(z)->lock))

/* ---- cross-file functions -------------------------------------------------- */

/* Zone lock with interrupts off (Linux spin_lock_irqsave(&zone->lock)). */
static inline unsigned long zone_lock(struct pga_zone *z)
{
	unsigned long flags = pga_arch_irq_save();

	pga_arch_spin_lock(&z->lock);
	return flags;
}
static inline void zone_unlock(struct pga_zone *z, unsigned long flags)
{
	pga_arch_spin_unlock(&z->lock);
	pga_arch_irq_restore(flags);
}

/* The CPU running the caller (hook override or arch). */
static inline unsigned int pga_cpu(void)
{
	if (pga_g.hooks.cpu_id)
		return pga_g.hooks.cpu_id(pga_g.hooks.ctx);
	return pga_arch_cpu_id();
}

/* buddy.c */
void pga_buddy_remerge_locked(struct pga_zone *z, pga_pfn_t pb);
void pga_buddy_free_one_page_locked(struct pga_zone *z, struct pga_page *page,
				    pga_pfn_t pfn, unsigned int order, int mt,
				    unsigned int fpi);
struct pga_page *pga_buddy_rmqueue_smallest_locked(struct pga_zone *z,
						   unsigned int order, int mt);
void pga_buddy_del_page_locked(struct pga_zone *z, struct pga_page *page,
			       unsigned int order);
void pga_buddy_move_to_free_list_locked(struct pga_zone *z,
					struct pga_page *page,
					unsigned int order, int mt);
void pga_buddy_account_free(struct pga_zone *z, long nr, int mt);
bool pga_page_is_buddy(const struct pga_page *page,
		       const struct pga_page *buddy, unsigned int order);
void pga_buddy_free_range_locked(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e,
				 unsigned int fpi, bool fresh);
#define PGA_FPI_NONE 0u
#define PGA_FPI_SKIP_REPORT 1u
#define PGA_FPI_TO_TAIL 2u

/* gfp.c */
void pga_gfp_init(void);
extern int8_t pga_gfp_zone_table[16];

/*
 * Highest zone index @gfp may use (Linux gfp_zone), or -1 when its zone
 * modifiers are one of the GFP_ZONE_BAD combinations.  Context: any.
 */
static inline int pga_gfp_zone(pga_gfp_t gfp)
{
	unsigned int b = gfp & PGA_GFP_ZONEMASK;

	if ((PGA_GFP_ZONE_BAD >> b) & 1)
		return -1;
	return pga_gfp_zone_table[b];
}

/*
 * Migratetype of @gfp (Linux gfp_migratetype): UNMOVABLE, MOVABLE or
 * RECLAIMABLE; UNMOVABLE when grouping by mobility is off; -1 when both
 * mobility bits are set.  Context: any.
 */
static inline int pga_gfp_migratetype(pga_gfp_t gfp)
{
	unsigned int bits = gfp & (PGA___GFP_MOVABLE | PGA___GFP_RECLAIMABLE);

	if (bits == (PGA___GFP_MOVABLE | PGA___GFP_RECLAIMABLE))
		return -1;
	if (pga_g.group_by_mobility_disabled)
		return PGA_MIGRATE_UNMOVABLE;
	return (int)(bits >> 3);
}
/* The current task's PGA_TASK_* bits.  Context: any. */
static inline unsigned int pga_task_flags(void)
{
	if (pga_g.hooks.task_flags)
		return pga_g.hooks.task_flags(pga_g.hooks.ctx);
	return __atomic_load_n(&pga_g.fallback_task_flags, __ATOMIC_RELAXED);
}

/*
 * Apply the task's scopes to @gfp (Linux current_gfp_context): NOIO
 * clears IO and FS, else NOFS clears FS; PIN clears MOVABLE.
 * Context: any.
 */
static inline pga_gfp_t pga_current_gfp_context(pga_gfp_t gfp)
{
	unsigned int t = pga_task_flags();

	if (t & PGA_TASK_NOIO)
		gfp &= ~(PGA_GFP_IO | PGA_GFP_FS);
	else if (t & PGA_TASK_NOFS)
		gfp &= ~PGA_GFP_FS;
	if (t & PGA_TASK_PIN)
		gfp &= ~PGA_GFP_MOVABLE;
	return gfp;
}

void pga_set_task_flags(unsigned int flags);
unsigned int pga_gfp_to_alloc_flags(pga_gfp_t gfp, unsigned int order);
unsigned int pga_gfp_pfmemalloc_flags(pga_gfp_t gfp);
unsigned int pga_gfp_to_alloc_flags_cma(pga_gfp_t gfp, unsigned int flags);

/* ALLOC_CMA for a request of migratetype @mt (movable, CMA built in). */
static inline unsigned int pga_alloc_flags_cma(int mt)
{
	return PGA_CONFIG_CMA && mt == PGA_MIGRATE_MOVABLE ? PGA_ALLOC_CMA : 0;
}

/* True when the embedder supplies cpusets.  Context: any. */
static inline bool pga_cpusets_enabled(void)
{
	return pga_g.hooks.cpuset_node_allowed != NULL;
}

/* init.c */
void pga_init_zone_lists(struct pga_zone *z);
enum pga_zone_type pga_zone_of_pfn(pga_pfn_t pfn, pga_pfn_t *limit);

/* numa.c */
void pga_numa_build_zonelists(void);
int pga_numa_check_params(const struct pga_params *p);
int pga_node_distance(int a, int b);
int pga_cpu_to_node_hook(unsigned int cpu);

/*
 * Node of @cpu (Linux cpu_to_node): the hook, else params.cpu_to_node
 * (checked at init), node 0 for an unknown CPU.  The node may be
 * memoryless.  Context: any.
 */
static inline int pga_cpu_to_node(unsigned int cpu)
{
	if (pga_unlikely(pga_g.hooks.cpu_to_node != NULL))
		return pga_cpu_to_node_hook(cpu);
	return cpu < pga_g.nr_cpus ? pga_g.params.cpu_to_node[cpu] : 0;
}
/* Node of the calling CPU. */
int pga_numa_node_id(void);
int pga_local_memory_node(int nid);
bool pga_node_online(int nid);
unsigned int pga_nr_online_nodes(void);

/* Linux struct alloc_context. */
struct pga_alloc_context {
	const struct pga_zonelist *zonelist;
	const pga_nodemask_t *nodemask;
	const struct pga_zoneref *preferred_zoneref;
	int migratetype;
	int highest_zoneidx;
	bool spread_dirty_pages;
	uintptr_t caller; /* the embedder's call site (page_owner) */
};

/*
 * May a request limited to zones up to @hz and to @nodemask (NULL: any
 * node) use the zone of @zr?  (The filter of Linux
 * for_each_zone_zonelist_nodemask.)
 */
static inline bool zoneref_eligible(const struct pga_zoneref *zr, int hz,
				    const pga_nodemask_t *nodemask)
{
	return zr->zone_idx <= hz &&
	       (!nodemask || pga_nodemask_test(nodemask, zr->zone->nid));
}

/* alloc.c */
struct pga_page *pga_get_page_from_freelist(pga_gfp_t gfp, unsigned int order,
					    unsigned int alloc_flags,
					    const struct pga_alloc_context *ac);
const struct pga_zoneref *pga_first_zone(const struct pga_zonelist *zl,
					 int hz, const pga_nodemask_t *nodemask);
bool pga_prepare_alloc(pga_gfp_t gfp, unsigned int order, int nid,
		       const pga_nodemask_t *nodemask,
		       struct pga_alloc_context *ac, pga_gfp_t *alloc_gfp,
		       unsigned int *alloc_flags, pga_nodemask_t *mems);
void pga_prep_new_page(struct pga_page *page, unsigned int order,
		       pga_gfp_t gfp, unsigned int alloc_flags);
unsigned int pga_alloc_flags_fast(const struct pga_zone *pref, pga_gfp_t gfp,
				  int mt);
void pga_rmqueue_kswapd_boost(struct pga_zone *z, unsigned int alloc_flags);

/* free.c */
void pga_free_one_page(struct pga_zone *z, struct pga_page *page,
		       pga_pfn_t pfn, unsigned int order, int mt);
void pga_free_released_page(struct pga_page *page);
void pga_free_pages_ok(struct pga_page *page, unsigned int order,
		       unsigned int fpi);
void pga_free_unref_to_buddy(struct pga_zone *z, struct pga_page *page,
			     pga_pfn_t pfn, unsigned int order);

/* fallback.c */
struct pga_page *pga_rmqueue_locked(struct pga_zone *z, unsigned int order,
				    int mt, unsigned int alloc_flags);
unsigned long pga_move_freepages_locked(struct pga_zone *z, pga_pfn_t start,
					pga_pfn_t end, int mt,
					unsigned long *movable);
unsigned long pga_move_freepages_block_locked(struct pga_zone *z,
					      struct pga_page *page, int mt,
					      unsigned long *movable);
int pga_find_suitable_fallback(const struct pga_free_area *area,
			       unsigned int order, int mt, bool only_stealable,
			       bool *can_steal);
void pga_reserve_highatomic_pageblock(struct pga_page *page,
				      struct pga_zone *z);
bool pga_unreserve_highatomic_pageblock(const struct pga_zonelist *zl, int hz,
					const pga_nodemask_t *nodemask, int mt,
					bool force);

/* watermark.c */
unsigned long pga_wmark_pages(const struct pga_zone *z, int i);
unsigned long pga_nr_free_zone_pages(int highest);
void pga_watermark_init(void);
int pga_watermark_check_params(const struct pga_params *p);
int pga_calc_min_free_kbytes(unsigned long lowmem_kbytes);
void pga_watermark_recalc(void);
bool pga_zone_watermark_ok_free(const struct pga_zone *z, unsigned int order,
				unsigned long mark, int hz,
				unsigned int alloc_flags, long free_pages);
bool pga_zone_watermark_ok(const struct pga_zone *z, unsigned int order,
			   unsigned long mark, int hz, unsigned int alloc_flags);
bool pga_zone_watermark_quick(const struct pga_zone *z, unsigned long mark,
			      int hz, unsigned int alloc_flags,
			      long free_pages);
bool pga_zone_watermark_fast(const struct pga_zone *z, unsigned int order,
			     unsigned long mark, int hz,
			     unsigned int alloc_flags);
bool pga_boost_watermark_locked(struct pga_zone *z);

/* pcp.c */
static inline int pga_pcp_pindex(int mt, unsigned int order)
{
	if (order > PGA_COSTLY_ORDER)
		return PGA_NR_LOWORDER_PCP_LISTS + (mt == PGA_MIGRATE_MOVABLE);
	return (int)(PGA_MIGRATE_PCPTYPES * order) + mt;
}
int pga_zone_batchsize(const struct pga_zone *z);
int pga_zone_highsize(const struct pga_zone *z, int batch);
void pga_pcp_update_zone(struct pga_zone *z);
void pga_pcp_update_all(void);
struct pga_page *pga_pcp_alloc(struct pga_zone *preferred, struct pga_zone *z,
			       unsigned int order, int mt,
			       unsigned int alloc_flags);
bool pga_pcp_free(struct pga_zone *z, struct pga_page *page,
		  unsigned int order, int mt);
void pga_pcp_free_bulk(struct pga_zone *z, int count, struct pga_pcp *pcp,
		       int pindex);
void pga_pcp_drain_cpu(unsigned int cpu, struct pga_zone *zone);
void pga_pcp_drain_all(struct pga_zone *zone);
/* The pieces bulk.c batches under one pcp-lock hold. */
struct pga_pcp *pga_pcp_trylock(struct pga_zone *z, unsigned long *flags,
				unsigned int *cpu);
void pga_pcp_unlock(struct pga_pcp *pcp, unsigned long flags);
void pga_pcp_spin_lock(struct pga_pcp *pcp);
void pga_pcp_spin_unlock(struct pga_pcp *pcp);
struct pga_page *pga_pcp_take(struct pga_zone *z, struct pga_pcp *pcp,
			      unsigned int order, int mt,
			      unsigned int alloc_flags);
void pga_pcp_commit(struct pga_zone *z, struct pga_pcp *pcp, unsigned int cpu,
		    struct pga_page *page, unsigned int order, int mt);

/* slowpath.c */
struct pga_page *pga_slowpath(pga_gfp_t gfp, unsigned int order,
			      struct pga_alloc_context *ac);

/* reclaim.c */
void pga_reclaim_init(void);
void pga_wakeup_kswapd(struct pga_zone *z, pga_gfp_t gfp, unsigned int order,
		       int hz);
void pga_wake_all_kswapds(unsigned int order, pga_gfp_t gfp,
			  const struct pga_alloc_context *ac);
unsigned long pga_zone_reclaimable_pages(const struct pga_zone *z);
unsigned long pga_try_to_free_pages(pga_gfp_t gfp, unsigned int order,
				    const struct pga_alloc_context *ac);
unsigned long pga_direct_reclaim(pga_gfp_t gfp, unsigned int order,
				 const struct pga_alloc_context *ac);

/* compaction.c: hand a block being freed to a direct compactor. */
bool pga_compaction_capture_locked(struct pga_zone *z, struct pga_page *page,
				   unsigned int order, int mt);
static inline bool compaction_capture(struct pga_zone *z,
				      struct pga_page *page,
				      unsigned int order, int mt)
{
	if (pga_likely(!__atomic_load_n(&pga_g.reclaim.nr_capturing,
					__ATOMIC_RELAXED)))
		return false;
	return pga_compaction_capture_locked(z, page, order, mt);
}

/* isolation.c (runtime memory: page isolation) */
struct pga_zone *pga_isolation_zone(pga_pfn_t start, pga_pfn_t end);
bool pga_isolation_mt_ok(int mt);
int pga_isolate_zone_range(struct pga_zone *z, pga_pfn_t start, pga_pfn_t end,
			   int mt, unsigned int flags);
void pga_undo_isolate_zone_range(struct pga_zone *z, pga_pfn_t start,
				 pga_pfn_t end, int mt);
pga_pfn_t pga_test_isolated_locked(struct pga_zone *z, pga_pfn_t start,
				   pga_pfn_t end, unsigned int flags);
int pga_take_isolated_locked(struct pga_zone *z, pga_pfn_t start,
			     pga_pfn_t end, unsigned int flags);
void pga_drain_zone(struct pga_zone *z);

/* migrate.c (runtime memory: moving movable pages out of a range) */
int pga_migrate_range(struct pga_zone *z, pga_pfn_t start, pga_pfn_t end);
struct pga_page *pga_stable_head(struct pga_page *p);

/* debug.c */
/* Flags a page may not carry when freed (Linux PAGE_FLAGS_CHECK_AT_FREE). */
#define PGA_CHECK_AT_FREE                                                  \
	(PGA_PAGE_FLAG(PGA_PG_buddy) | PGA_PAGE_FLAG(PGA_PG_reserved) |    \
	 PGA_PAGE_FLAG(PGA_PG_pcp) | PGA_PAGE_FLAG(PGA_PG_bad) |           \
	 PGA_PAGE_FLAG(PGA_PG_guard) | PGA_PAGE_FLAG(PGA_PG_isolated) |    \
	 PGA_PAGE_FLAG(PGA_PG_offline))
/* ... nor when handed out (Linux PAGE_FLAGS_CHECK_AT_PREP). */
#define PGA_CHECK_AT_PREP \
	(PGA_CHECK_AT_FREE | PGA_PAGE_FLAG(PGA_PG_head) | PGA_PAGE_FLAG(PGA_PG_tail))

/*
 * May @p be handed out, @flags being its flags once off the free list
 * (Linux check_new_page without the report)?  Context: any.
 */
static inline bool pga_new_page_ok(const struct pga_page *p, uint64_t flags)
{
	return !p->mapcount && !pga_atomic_read(&p->refcount) &&
	       !(flags & PGA_CHECK_AT_PREP);
}
void pga_bad_page(struct pga_page *page, unsigned int order,
		  const char *reason);
bool pga_free_pages_prepare(struct pga_page *page, unsigned int order);
bool pga_check_new_pages(struct pga_page *page, unsigned int order);

/*
 * Check a block just taken off a free or per-CPU list: nothing may have
 * touched its descriptors while it was free.  A bad block is reported and
 * quarantined; the caller drops it and takes another.  A good head of a
 * block checked by the head alone is passed inline.
 * Return: true if good.  Context: any.
 */
static inline bool pga_check_new_page(struct pga_page *page,
				      unsigned int order)
{
	if ((!order || !PGA_CONFIG_DEBUG) &&
	    pga_likely(pga_new_page_ok(page, page_flags_read(page))))
		return true;
	return pga_check_new_pages(page, order);
}

/* stats.c */
/*
 * Per-CPU event counters, written only by their CPU with interrupts off;
 * one cache line per CPU so CPUs do not share lines on the fast path.
 * Events of callers without a CPU id go to the atomic unowned row.
 */
struct pga_cpu_events {
	unsigned long ev[PGA_NR_VM_EVENTS];
} __attribute__((aligned(PGA_ARCH_CACHE_LINE)));
extern struct pga_cpu_events pga_cpu_events[PGA_CONFIG_MAX_CPUS];
extern pga_atomic_long_t pga_unowned_events[PGA_NR_VM_EVENTS];

void pga_stats_reset(void);

/* Count @n of event @ev on @cpu.  Context: interrupts off. */
static inline void pga_count_event_irqoff(unsigned int cpu,
					  enum pga_vm_event ev,
					  unsigned long n)
{
	if (pga_likely(cpu < pga_g.nr_cpus))
		PGA_PCPU_ADD(pga_cpu_events[cpu].ev[ev], n);
	else
		pga_atomic_long_add_relaxed(&pga_unowned_events[ev], (long)n);
}

void pga_count_event(enum pga_vm_event ev, unsigned long n);

/* The pgalloc_<zone> event of zone type @zt. */
static inline enum pga_vm_event pga_pgalloc_event(int zt)
{
	return (enum pga_vm_event)(PGA_PGALLOC_DMA + zt);
}

unsigned long pga_vm_event_sum(enum pga_vm_event ev);

/*
 * NUMA statistics for an allocation of @nr pages from @z that preferred
 * @preferred (Linux zone_statistics).  Context: interrupts off.
 */
static inline void pga_zone_statistics_irqoff(struct pga_zone *preferred,
					      struct pga_zone *z,
					      unsigned int cpu, long nr)
{
	if (cpu >= pga_g.nr_cpus)
		return;
	if (z->nid != preferred->nid) {
		PGA_PCPU_ADD(z->pcp[cpu].numa_stat[PGA_NUMA_MISS],
			     (unsigned long)nr);
		PGA_PCPU_ADD(preferred->pcp[cpu].numa_stat[PGA_NUMA_FOREIGN],
			     (unsigned long)nr);
	} else {
		PGA_PCPU_ADD(z->pcp[cpu].numa_stat[PGA_NUMA_HIT],
			     (unsigned long)nr);
	}
	if (z->nid == pga_cpu_to_node(cpu))
		PGA_PCPU_ADD(z->pcp[cpu].numa_stat[PGA_NUMA_LOCAL],
			     (unsigned long)nr);
	else
		PGA_PCPU_ADD(z->pcp[cpu].numa_stat[PGA_NUMA_OTHER],
			     (unsigned long)nr);
}

/*
 * Count @nr pages handed out (positive) or taken back (negative) in @z
 * for page accounting.  Context: interrupts off.
 */
static inline void pga_account_alloc_irqoff(struct pga_zone *z,
					    unsigned int cpu, long nr)
{
	if (pga_likely(cpu < pga_g.nr_cpus))
		PGA_PCPU_ADD(z->pcp[cpu].alloc_delta, nr);
	else
		pga_atomic_long_add_relaxed(&z->alloc_unowned, nr);
}

/*
 * Account an allocation of 2^@order pages from @z on @cpu: page
 * accounting and pgalloc_<zone> count pages, the NUMA statistics against
 * @preferred count the allocation once (as Linux 6.6 zone_statistics(...,
 * 1) in rmqueue).  Context: interrupts off.
 */
static inline void pga_count_alloc_irqoff(struct pga_zone *preferred,
					  struct pga_zone *z, unsigned int cpu,
					  unsigned int order)
{
	pga_account_alloc_irqoff(z, cpu, 1L << order);
	pga_count_event_irqoff(cpu, pga_pgalloc_event(z->idx), 1UL << order);
	pga_zone_statistics_irqoff(preferred, z, cpu, 1);
}

unsigned long pga_zone_numa_stat(const struct pga_zone *z,
				 enum pga_numa_stat item);
void pga_trace_emit(enum pga_trace_type type, const struct pga_page *page,
		    unsigned int order, pga_gfp_t gfp);

/* Emit an mm_page_alloc / mm_page_free event if the hook is set. */
static inline void pga_trace_page(enum pga_trace_type type,
				  const struct pga_page *page,
				  unsigned int order, pga_gfp_t gfp)
{
	if (pga_unlikely(pga_g.hooks.trace != NULL))
		pga_trace_emit(type, page, order, gfp);
}

void pga_emitf(pga_emit_fn emit, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* fragindex.c */
int pga_zone_fragmentation_index(const struct pga_zone *z, unsigned int order);
int pga_zone_unusable_free_index(const struct pga_zone *z, unsigned int order);
unsigned int pga_zone_extfrag_for_order(const struct pga_zone *z,
					unsigned int order);

/* poison.c */
void pga_contents_on_alloc(struct pga_page *page, unsigned int order,
			   pga_gfp_t gfp);
void pga_contents_on_free(struct pga_page *page, unsigned int order);

/* debug_pagealloc.c */
void pga_debug_pagealloc(struct pga_page *page, unsigned int order, bool map);
int pga_debug_pagealloc_check(const struct pga_params *p,
			      const struct pga_hooks *h);

/* owner.c */
/* page_owner records are kept (debug builds with params.page_owner). */
static inline bool pga_owner_enabled(void)
{
	return PGA_CONFIG_DEBUG && pga_g.params.page_owner;
}
size_t pga_owner_bytes(unsigned long pages);
void pga_owner_record(const struct pga_page *page, unsigned int order,
		      pga_gfp_t gfp, uintptr_t caller);
void pga_owner_clear(const struct pga_page *page);

/* page.c */
/*
 * Check that @page points at a descriptor in pga's memmap and return it
 * (NULL otherwise).  Reads page->flags, so @page must be readable.
 * Context: any.
 */
static inline struct pga_page *pga_page_checked(const struct pga_page *page)
{
	unsigned long sec;
	const struct pga_mem_section *s;

	if (!page)
		return NULL;
	sec = page_section(page);
	if (sec >= PGA_NR_SECTIONS)
		return NULL;
	s = &pga_sections[sec];
	if (!s->map || page < s->map || page >= s->map + (s->hi - s->lo) ||
	    (size_t)((const char *)page - (const char *)s->map) %
			    sizeof(struct pga_page))
		return NULL;
	return (struct pga_page *)(uintptr_t)page;
}

#endif /* PGA_INTERNAL_H */
