/* SPDX-License-Identifier: MIT */
/*
 * Linux /proc text formats (mm/vmstat.c layouts) for the fields pga has:
 * /proc/pagetypeinfo, /proc/zoneinfo and /proc/vmstat.  Buddyinfo lives in
 * stats.c.  Output goes through the caller's emit callback.
 */
#include "internal.h"

const char *const pga_vm_event_names[PGA_NR_VM_EVENTS] = {
	"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable",
	"allocstall_dma", "allocstall_dma32", "allocstall_normal",
	"allocstall_movable", "pgfree", "pgsteal_kswapd", "pgsteal_direct",
	"pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle",
	"zone_reclaim_failed", "kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly", "pageoutrun", "oom_kill",
	"pgmigrate_success", "pgmigrate_fail", "compact_migrate_scanned",
	"compact_free_scanned", "compact_isolated", "compact_stall",
	"compact_fail", "compact_success", "compact_daemon_wake",
	"compact_daemon_migrate_scanned", "compact_daemon_free_scanned",
};

_Static_assert(PGA_ARRAY_SIZE(pga_vm_event_names) == PGA_NR_VM_EVENTS,
	       "every vm event has a /proc/vmstat name");

static const char *const numa_stat_names[PGA_NR_NUMA_STATS] = {
	"numa_hit", "numa_miss", "numa_foreign",
	"numa_interleave", "numa_local", "numa_other",
};

#define for_each_populated_zone(nid, zt, z)                               \
	for ((nid) = 0; (nid) < pga_g.nr_nodes; (nid)++)                  \
		for ((zt) = 0; (zt) < PGA_MAX_NR_ZONES; (zt)++)           \
			if (((z) = &pga_g.nodes[nid].node_zones[zt]),     \
			    zone_populated(z))

/* The migratetypes this build has (Linux hides CMA without CONFIG_CMA). */
static bool mt_shown(int mt)
{
	return mt != PGA_MIGRATE_CMA || PGA_CONFIG_CMA;
}

static void free_counts_row(pga_emit_fn emit, void *ctx, struct pga_zone *z,
			    int mt)
{
	unsigned long n[PGA_NR_ORDERS];
	unsigned long flags = zone_lock(z);

	for (int o = 0; o <= PGA_MAX_ORDER; o++) {
		const struct pga_list_head *h = &z->free_area[o].free_list[mt];

		n[o] = 0;
		for (const struct pga_list_head *l = h->next;
		     l != h && n[o] < 100000; l = l->next)
			n[o]++;
	}
	zone_unlock(z, flags);
	pga_emitf(emit, ctx, "Node %4d, zone %8s, type %12s ", z->nid,
		  pga_zone_names[z->idx], pga_migratetype_names[mt]);
	for (int o = 0; o <= PGA_MAX_ORDER; o++)
		pga_emitf(emit, ctx, "%s%6lu ", n[o] >= 100000 ? ">" : "",
			  n[o]);
	emit(ctx, "\n", 1);
}

/* Pageblocks of each type whose first pfn is in @z. */
static void count_blocks(const struct pga_zone *z,
			 unsigned long count[PGA_MIGRATE_TYPES])
{
	for (pga_pfn_t pfn = z->zone_start_pfn; pfn < zone_end_pfn(z);
	     pfn = PGA_ALIGN_DOWN(pfn, PGA_PAGEBLOCK_NR_PAGES) +
		   PGA_PAGEBLOCK_NR_PAGES) {
		const struct pga_page *p = pfn_to_page_or_null(pfn);

		if (p && page_zone(p) == z)
			count[get_pageblock_migratetype(pfn)]++;
	}
}

static void block_counts_row(pga_emit_fn emit, void *ctx,
			     const struct pga_zone *z)
{
	unsigned long count[PGA_MIGRATE_TYPES] = {0};

	count_blocks(z, count);
	pga_emitf(emit, ctx, "Node %d, zone %8s ", z->nid,
		  pga_zone_names[z->idx]);
	for (int mt = 0; mt < PGA_MIGRATE_TYPES; mt++)
		if (mt_shown(mt))
			pga_emitf(emit, ctx, "%12lu ", count[mt]);
	emit(ctx, "\n", 1);
}

void pga_show_pagetypeinfo(pga_emit_fn emit, void *ctx)
{
	struct pga_zone *z;
	int nid, zt;

	pga_emitf(emit, ctx, "Page block order: %d\n", PGA_PAGEBLOCK_ORDER);
	pga_emitf(emit, ctx, "Pages per block:  %lu\n\n", PGA_PAGEBLOCK_NR_PAGES);
	pga_emitf(emit, ctx, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o <= PGA_MAX_ORDER; o++)
		pga_emitf(emit, ctx, "%6d ", o);
	emit(ctx, "\n", 1);
	for_each_populated_zone(nid, zt, z)
		for (int mt = 0; mt < PGA_MIGRATE_TYPES; mt++)
			if (mt_shown(mt))
				free_counts_row(emit, ctx, z, mt);
	pga_emitf(emit, ctx, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < PGA_MIGRATE_TYPES; mt++)
		if (mt_shown(mt))
			pga_emitf(emit, ctx, "%12s ", pga_migratetype_names[mt]);
	emit(ctx, "\n", 1);
	for_each_populated_zone(nid, zt, z)
		block_counts_row(emit, ctx, z);
}

static void zone_counters(pga_emit_fn emit, void *ctx, const struct pga_zone *z)
{
	pga_emitf(emit, ctx, "\n      %-12s %ld", "nr_free_pages",
		  zone_page_state(z, PGA_NR_FREE_PAGES));
	pga_emitf(emit, ctx, "\n      %-12s %ld", "nr_free_cma",
		  zone_page_state(z, PGA_NR_FREE_CMA_PAGES));
	for (int i = 0; i < PGA_NR_NUMA_STATS; i++)
		pga_emitf(emit, ctx, "\n      %-12s %lu", numa_stat_names[i],
			  pga_zone_numa_stat(z, (enum pga_numa_stat)i));
}

static void zone_pagesets(pga_emit_fn emit, void *ctx, const struct pga_zone *z)
{
	pga_emitf(emit, ctx, "\n  pagesets");
	for (unsigned int c = 0; z->pcp && c < pga_g.nr_cpus; c++) {
		const struct pga_pcp *pcp = &z->pcp[c];

		pga_emitf(emit, ctx, "\n    cpu: %u", c);
		pga_emitf(emit, ctx, "\n              count:    %d",
			  __atomic_load_n(&pcp->count, __ATOMIC_RELAXED));
		pga_emitf(emit, ctx, "\n              high:     %d",
			  __atomic_load_n(&pcp->high, __ATOMIC_RELAXED));
		pga_emitf(emit, ctx, "\n              batch:    %d",
			  __atomic_load_n(&pcp->batch, __ATOMIC_RELAXED));
	}
}

static void zoneinfo_zone(pga_emit_fn emit, void *ctx, const struct pga_zone *z)
{
	unsigned long blocks[PGA_MIGRATE_TYPES] = {0};

	count_blocks(z, blocks);
	pga_emitf(emit, ctx, "Node %d, zone %8s", z->nid, pga_zone_names[z->idx]);
	pga_emitf(emit, ctx, "\n  pages free     %ld",
		  zone_page_state(z, PGA_NR_FREE_PAGES));
	pga_emitf(emit, ctx, "\n        boost    %lu", z->watermark_boost);
	pga_emitf(emit, ctx, "\n        min      %lu",
		  pga_wmark_pages(z, PGA_WMARK_MIN));
	pga_emitf(emit, ctx, "\n        low      %lu",
		  pga_wmark_pages(z, PGA_WMARK_LOW));
	pga_emitf(emit, ctx, "\n        high     %lu",
		  pga_wmark_pages(z, PGA_WMARK_HIGH));
	pga_emitf(emit, ctx, "\n        promo    %lu",
		  pga_wmark_pages(z, PGA_WMARK_PROMO));
	pga_emitf(emit, ctx, "\n        spanned  %lu", z->spanned_pages);
	pga_emitf(emit, ctx, "\n        present  %lu", z->present_pages);
	pga_emitf(emit, ctx, "\n        managed  %lu", zone_managed(z));
	pga_emitf(emit, ctx, "\n        cma      %lu",
		  blocks[PGA_MIGRATE_CMA] * PGA_PAGEBLOCK_NR_PAGES);
	pga_emitf(emit, ctx, "\n        protection: (%ld", z->lowmem_reserve[0]);
	for (int i = 1; i < PGA_MAX_NR_ZONES; i++)
		pga_emitf(emit, ctx, ", %ld", z->lowmem_reserve[i]);
	emit(ctx, ")", 1);
	if (!zone_populated(z)) {
		emit(ctx, "\n", 1);
		return;
	}
	zone_counters(emit, ctx, z);
	zone_pagesets(emit, ctx, z);
	pga_emitf(emit, ctx, "\n  node_unreclaimable:  %u",
		  z->node->kswapd_failures >= 16 ? 1u : 0u);
	pga_emitf(emit, ctx, "\n  start_pfn:           %llu\n",
		  (unsigned long long)z->zone_start_pfn);
}

void pga_show_zoneinfo(pga_emit_fn emit, void *ctx)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		if (!pga_g.nodes[nid].online)
			continue;
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			if (pga_g.zone_configured[zt])
				zoneinfo_zone(emit, ctx,
					      &pga_g.nodes[nid].node_zones[zt]);
	}
}

void pga_show_vmstat(pga_emit_fn emit, void *ctx)
{
	long free = 0, cma = 0;
	unsigned long numa[PGA_NR_NUMA_STATS] = {0};
	struct pga_zone *z;
	int nid, zt;

	for_each_populated_zone(nid, zt, z) {
		free += zone_page_state(z, PGA_NR_FREE_PAGES);
		cma += zone_page_state(z, PGA_NR_FREE_CMA_PAGES);
		for (int i = 0; i < PGA_NR_NUMA_STATS; i++)
			numa[i] += pga_zone_numa_stat(z, (enum pga_numa_stat)i);
	}
	pga_emitf(emit, ctx, "nr_free_pages %ld\n", free);
	pga_emitf(emit, ctx, "nr_free_cma %ld\n", cma);
	for (int i = 0; i < PGA_NR_NUMA_STATS; i++)
		pga_emitf(emit, ctx, "%s %lu\n", numa_stat_names[i], numa[i]);
	for (int ev = 0; ev < PGA_NR_VM_EVENTS; ev++)
		pga_emitf(emit, ctx, "%s %lu\n", pga_vm_event_names[ev],
			  pga_vm_event_sum((enum pga_vm_event)ev));
}
