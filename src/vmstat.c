/* SPDX-License-Identifier: MIT */
/* /proc/vmstat (Linux mm/vmstat.c vmstat_show) for the counters pga keeps. */
#include "internal.h"

/* Linux's names, listed in the order /proc/vmstat prints them. */
static const struct {
	enum pga_vm_event ev;
	const char *name;
} vm_events[] = {
	{PGA_PGALLOC_DMA, "pgalloc_dma"},
	{PGA_PGALLOC_DMA32, "pgalloc_dma32"},
	{PGA_PGALLOC_NORMAL, "pgalloc_normal"},
	{PGA_PGALLOC_MOVABLE, "pgalloc_movable"},
	{PGA_ALLOCSTALL_DMA, "allocstall_dma"},
	{PGA_ALLOCSTALL_DMA32, "allocstall_dma32"},
	{PGA_ALLOCSTALL_NORMAL, "allocstall_normal"},
	{PGA_ALLOCSTALL_MOVABLE, "allocstall_movable"},
	{PGA_PGFREE, "pgfree"},
	{PGA_PGSTEAL_KSWAPD, "pgsteal_kswapd"},
	{PGA_PGSTEAL_DIRECT, "pgsteal_direct"},
	{PGA_PGSCAN_DIRECT_THROTTLE, "pgscan_direct_throttle"},
	{PGA_PAGEOUTRUN, "pageoutrun"},
	{PGA_OOM_KILL, "oom_kill"},
	{PGA_PGMIGRATE_SUCCESS, "pgmigrate_success"},
	{PGA_PGMIGRATE_FAIL, "pgmigrate_fail"},
	{PGA_COMPACTMIGRATE_SCANNED, "compact_migrate_scanned"},
	{PGA_COMPACTFREE_SCANNED, "compact_free_scanned"},
	{PGA_COMPACTISOLATED, "compact_isolated"},
	{PGA_COMPACTSTALL, "compact_stall"},
	{PGA_COMPACTFAIL, "compact_fail"},
	{PGA_COMPACTSUCCESS, "compact_success"},
	{PGA_COMPACTDAEMON_WAKE, "compact_daemon_wake"},
	{PGA_COMPACTDAEMON_MIGRATE_SCANNED, "compact_daemon_migrate_scanned"},
	{PGA_COMPACTDAEMON_FREE_SCANNED, "compact_daemon_free_scanned"},
};

_Static_assert(PGA_ARRAY_SIZE(vm_events) == PGA_NR_VM_EVENTS,
	       "every vm event has a /proc/vmstat line");

static const char *const numa_names[PGA_NR_NUMA_STATS] = {
	"numa_hit", "numa_miss", "numa_foreign",
	"numa_interleave", "numa_local", "numa_other",
};

static unsigned long sum_zones(enum pga_zone_stat item)
{
	long sum = 0;

	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			sum += zone_page_state(&pga_g.nodes[nid].node_zones[zt],
					       item);
	return sum > 0 ? (unsigned long)sum : 0;
}

static unsigned long sum_numa(enum pga_numa_stat item)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			sum += pga_zone_numa_stat(
				&pga_g.nodes[nid].node_zones[zt], item);
	return sum;
}

void pga_show_vmstat(pga_emit_fn emit, void *ctx)
{
	pga_emitf(emit, ctx, "nr_free_pages %lu\n",
		  sum_zones(PGA_NR_FREE_PAGES));
	pga_emitf(emit, ctx, "nr_free_cma %lu\n",
		  sum_zones(PGA_NR_FREE_CMA_PAGES));
	for (int i = 0; i < PGA_NR_NUMA_STATS; i++)
		pga_emitf(emit, ctx, "%s %lu\n", numa_names[i],
			  sum_numa((enum pga_numa_stat)i));
	for (size_t i = 0; i < PGA_ARRAY_SIZE(vm_events); i++)
		pga_emitf(emit, ctx, "%s %lu\n", vm_events[i].name,
			  pga_vm_event_sum(vm_events[i].ev));
}
