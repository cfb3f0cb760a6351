/* SPDX-License-Identifier: MIT */
/*
 * Observability: the invariant walker, page accounting and Linux-format
 * text reports written through a caller-supplied emit callback.
 */
#ifndef PGA_STATS_H
#define PGA_STATS_H

#include "mmzone.h"
#include "types.h"

/*
 * Walk every zone and check the allocator's invariants: each free block
 * is on exactly one list that matches its order and its pageblock's type,
 * nr_free and the free counters match the lists, no two free buddies are
 * left unmerged, free + per-CPU + allocated + bad + reserved-by-pga pages
 * add up to managed, every pageblock holds a valid type, the isolated
 * pageblocks and offline pages match the zone's counts, and no offline
 * page is in use.
 * On the first violation a one-line description goes to @report (if not
 * NULL, truncated to @len) and to the log hook.
 * Return: 0 if consistent, -PGA_EINVAL otherwise.
 * Context: takes every zone lock in turn; quiesce other CPUs for an exact
 * answer.
 */
int pga_check(char *report, size_t len);

/* Where every managed page is, summed over all zones. */
struct pga_page_accounting {
	unsigned long managed;	 /* pages handed to the buddy at init */
	unsigned long free;	 /* on buddy free lists (isolated included) */
	unsigned long pcp;	 /* on per-CPU lists */
	unsigned long allocated; /* handed out and not yet freed */
	unsigned long bad;	 /* quarantined by bad-page checks */
	unsigned long isolated;	 /* part of free: in isolated pageblocks */
	unsigned long offline;	 /* offlined (memory.h): no longer managed */
};

/*
 * Fill @a.  managed == free + pcp + allocated + bad whenever the allocator
 * is quiescent.  Context: takes every zone lock in turn.
 */
void pga_page_accounting(struct pga_page_accounting *a);

/*
 * Events counted per CPU (Linux vm_event_item: the ones pga has), in the
 * order /proc/vmstat prints them.
 */
enum pga_vm_event {
	PGA_PGALLOC_DMA,	/* pages allocated from each zone type */
	PGA_PGALLOC_DMA32,
	PGA_PGALLOC_NORMAL,
	PGA_PGALLOC_MOVABLE,
	PGA_ALLOCSTALL_DMA,	/* direct reclaim calls, by reclaim zone */
	PGA_ALLOCSTALL_DMA32,
	PGA_ALLOCSTALL_NORMAL,
	PGA_ALLOCSTALL_MOVABLE,
	PGA_PGFREE,		/* pages freed (6.6 rules) */
	PGA_PGSTEAL_KSWAPD,	/* pages kswapd / direct reclaim freed */
	PGA_PGSTEAL_DIRECT,
	PGA_PGSCAN_KSWAPD,
	PGA_PGSCAN_DIRECT,
	PGA_PGSCAN_DIRECT_THROTTLE,
	PGA_ZONE_RECLAIM_FAILED,
	PGA_KSWAPD_LOW_WMARK_HIT_QUICKLY,
	PGA_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PGA_PAGEOUTRUN,		/* kswapd balance runs */
	PGA_OOM_KILL,
	PGA_PGMIGRATE_SUCCESS,
	PGA_PGMIGRATE_FAIL,
	PGA_COMPACTMIGRATE_SCANNED,
	PGA_COMPACTFREE_SCANNED,
	PGA_COMPACTISOLATED,
	PGA_COMPACTSTALL,
	PGA_COMPACTFAIL,
	PGA_COMPACTSUCCESS,
	PGA_COMPACTDAEMON_WAKE,
	PGA_COMPACTDAEMON_MIGRATE_SCANNED,
	PGA_COMPACTDAEMON_FREE_SCANNED,
	PGA_NR_VM_EVENTS
};

/* Linux's /proc/vmstat name of @ev. */
extern const char *const pga_vm_event_names[PGA_NR_VM_EVENTS];

/* Sum of @ev over all CPUs.  Context: any (racy snapshot). */
unsigned long pga_vm_event_sum(enum pga_vm_event ev);

/* Receives report text in pieces; @text is not NUL-terminated. */
typedef void (*pga_emit_fn)(void *ctx, const char *text, size_t len);

/*
 * Linux's /proc text for the fields pga has, byte-compatible in layout:
 * buddyinfo (free blocks per order), pagetypeinfo (per migratetype and
 * pageblock counts), zoneinfo (watermarks, sizes, counters, pagesets) and
 * vmstat (counters and events).  Context: task; takes zone locks briefly.
 */
void pga_show_buddyinfo(pga_emit_fn emit, void *ctx);
void pga_show_pagetypeinfo(pga_emit_fn emit, void *ctx);
void pga_show_zoneinfo(pga_emit_fn emit, void *ctx);
void pga_show_vmstat(pga_emit_fn emit, void *ctx);

/*
 * Fragmentation of zone @zt on node @nid for @order, in thousandths (Linux
 * debugfs extfrag_index and unusable_index).  fragmentation_index: 0 when
 * nothing is free, -1000 when a block of @order is free, otherwise near
 * 1000 when a failure would be due to fragmentation and near 0 when due to
 * lack of memory.  unusable_free_index: the share of free memory that
 * cannot serve @order.  Context: any (racy snapshot).
 */
int pga_fragmentation_index(int nid, enum pga_zone_type zt, unsigned int order);
int pga_unusable_free_index(int nid, enum pga_zone_type zt, unsigned int order);
/* Both for every populated zone and order, as "%d.%03d" columns. */
void pga_show_extfrag_index(pga_emit_fn emit, void *ctx);
void pga_show_unusable_index(pga_emit_fn emit, void *ctx);

/*
 * Write an SVG picture of zone @zt of node @nid: one cell per pageblock,
 * coloured by migratetype and shaded by how much of it is free (pale =
 * free, solid = allocated), with a legend.
 * Return: 0, or -PGA_EINVAL for a zone that does not exist or is empty.
 * Context: task; holds the zone lock while it samples the zone.
 */
int pga_write_fragmap_svg(int nid, enum pga_zone_type zt, pga_emit_fn emit,
			  void *ctx);

/* Who allocated a block (params.page_owner in a PGA_CONFIG_DEBUG build). */
struct pga_page_owner {
	uintptr_t caller;	/* return address of the allocation call */
	pga_gfp_t gfp;
	uint16_t order;
	uint16_t cpu;
};

/*
 * The owner record of the allocated block headed by @page.
 * Return: 0, or -PGA_EINVAL if owners are not recorded or @page is not
 * the head of an allocated block.  Context: any.
 */
int pga_page_owner(const struct pga_page *page, struct pga_page_owner *out);

/*
 * One line per allocated block with its owner ("Page allocated via order
 * %u, mask %#x, pfn %#llx, cpu %u, caller %p"), to find leaks.
 * Return: the number of blocks listed.  Context: task; quiesce for an
 * exact list.
 */
unsigned long pga_show_page_owner(pga_emit_fn emit, void *ctx);

#endif /* PGA_STATS_H */
