/* SPDX-License-Identifier: MIT */
/*
 * Zones, nodes and migratetypes as users see them: the enums, a nodemask
 * type, and read-only snapshots of zone state.
 */
#ifndef PGA_MMZONE_H
#define PGA_MMZONE_H

#include "config.h"
#include "types.h"

/*
 * Zone types, lowest first.  ZONE_DMA and ZONE_DMA32 exist when their
 * limits (struct pga_params) are set; ZONE_MOVABLE when movable_start is.
 * 64-bit machines have no highmem, so there is no ZONE_HIGHMEM.
 */
enum pga_zone_type {
	PGA_ZONE_DMA,
	PGA_ZONE_DMA32,
	PGA_ZONE_NORMAL,
	PGA_ZONE_MOVABLE,
	PGA_MAX_NR_ZONES
};

/*
 * Migratetypes: which free list a block sits on and what a pageblock is
 * used for.  The first three are "mergeable" (PCPTYPES); HIGHATOMIC is the
 * reserve for high-order atomic allocations; CMA blocks only serve movable
 * allocations; ISOLATE blocks are being taken away and serve nobody.
 */
enum pga_migratetype {
	PGA_MIGRATE_UNMOVABLE,
	PGA_MIGRATE_MOVABLE,
	PGA_MIGRATE_RECLAIMABLE,
	PGA_MIGRATE_PCPTYPES,
	PGA_MIGRATE_HIGHATOMIC = PGA_MIGRATE_PCPTYPES,
	PGA_MIGRATE_CMA,
	PGA_MIGRATE_ISOLATE,
	PGA_MIGRATE_TYPES
};

/* Linux's names for the zone types and migratetypes, as /proc prints. */
extern const char *const pga_zone_names[PGA_MAX_NR_ZONES];
extern const char *const pga_migratetype_names[PGA_MIGRATE_TYPES];

/* A set of node ids. */
typedef struct {
	uint64_t bits;
} pga_nodemask_t;

_Static_assert(PGA_CONFIG_MAX_NODES <= 64, "nodemask holds 64 nodes");

static inline void pga_nodemask_clear(pga_nodemask_t *m)
{
	m->bits = 0;
}
static inline void pga_nodemask_set(pga_nodemask_t *m, int nid)
{
	m->bits |= (uint64_t)1 << nid;
}
static inline void pga_nodemask_unset(pga_nodemask_t *m, int nid)
{
	m->bits &= ~((uint64_t)1 << nid);
}
static inline bool pga_nodemask_test(const pga_nodemask_t *m, int nid)
{
	return nid >= 0 && nid < 64 && (m->bits >> nid) & 1;
}
static inline pga_nodemask_t pga_nodemask_of(int nid)
{
	pga_nodemask_t m = {(uint64_t)1 << nid};
	return m;
}

/* A snapshot of one zone, for reports and tests. */
struct pga_zone_info {
	int nid;
	enum pga_zone_type type;
	const char *name;
	pga_pfn_t start_pfn;
	unsigned long spanned;	/* pfns from start to end, holes included */
	unsigned long present;	/* RAM pages in the span */
	unsigned long managed;	/* pages the buddy allocator owns */
	unsigned long free;	/* NR_FREE_PAGES: buddy, not pcp, not isolated */
	unsigned long free_cma;
	unsigned long wmark_min, wmark_low, wmark_high, wmark_promo;
	unsigned long boost;
	unsigned long nr_reserved_highatomic;
	unsigned long lowmem_reserve[PGA_MAX_NR_ZONES];
	unsigned long nr_free[PGA_NR_ORDERS]; /* free blocks per order */
};

/*
 * Fill @info for zone @type of node @nid.  Return: 0, or -PGA_EINVAL if
 * the node does not exist (an empty zone gives zero counts).
 * Context: any; takes the zone lock.
 */
int pga_zone_get_info(int nid, enum pga_zone_type type,
		      struct pga_zone_info *info);

/* Number of nodes pga_init() set up. */
int pga_nr_nodes(void);

#endif /* PGA_MMZONE_H */
