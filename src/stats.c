/* SPDX-License-Identifier: MIT */
/*
 * Counters and Linux-format text: per-CPU vm events, NUMA hit/miss
 * statistics, trace events and /proc/buddyinfo.
 */
#include <stdarg.h>

#include "internal.h"

struct pga_cpu_events pga_cpu_events[PGA_CONFIG_MAX_CPUS];
pga_atomic_long_t pga_unowned_events[PGA_NR_VM_EVENTS];

/* Reset all event counters.  Context: init. */
void pga_stats_reset(void)
{
	__builtin_memset(pga_cpu_events, 0, sizeof(pga_cpu_events));
	__builtin_memset(pga_unowned_events, 0, sizeof(pga_unowned_events));
}

/* Count @n of @ev on the current CPU.  Context: any. */
void pga_count_event(enum pga_vm_event ev, unsigned long n)
{
	unsigned long flags = pga_arch_irq_save();

	pga_count_event_irqoff(pga_cpu(), ev, n);
	pga_arch_irq_restore(flags);
}

unsigned long pga_vm_event_sum(enum pga_vm_event ev)
{
	unsigned long sum =
		(unsigned long)pga_atomic_long_read(&pga_unowned_events[ev]);

	for (unsigned int c = 0; c < pga_g.nr_cpus; c++)
		sum += __atomic_load_n(&pga_cpu_events[c].ev[ev],
				       __ATOMIC_RELAXED);
	return sum;
}

unsigned long pga_zone_numa_stat(const struct pga_zone *z,
				 enum pga_numa_stat item)
{
	unsigned long sum = 0;

	for (unsigned int c = 0; z->pcp && c < pga_g.nr_cpus; c++)
		sum += __atomic_load_n(&z->pcp[c].numa_stat[item],
				       __ATOMIC_RELAXED);
	return sum;
}

/* Emit an mm_page_alloc / mm_page_free event (hook set).  Context: any. */
void pga_trace_emit(enum pga_trace_type type, const struct pga_page *page,
		    unsigned int order, pga_gfp_t gfp)
{
	struct pga_trace_event ev = {0};

	ev.type = type;
	ev.pfn = page_pfn(page);
	ev.order = order;
	ev.gfp = gfp;
	ev.migratetype = get_pageblock_migratetype(ev.pfn);
	pga_g.hooks.trace(pga_g.hooks.ctx, &ev);
}

/* printf-style output through an emit callback. */
void pga_emitf(pga_emit_fn emit, void *ctx, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pga_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	emit(ctx, line, (size_t)n);
}

void pga_show_buddyinfo(pga_emit_fn emit, void *ctx)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
			struct pga_zone *z = &pga_g.nodes[nid].node_zones[zt];
			unsigned long nr[PGA_NR_ORDERS];
			unsigned long flags;

			if (!zone_populated(z))
				continue;
			flags = zone_lock(z);
			for (int o = 0; o <= PGA_MAX_ORDER; o++)
				nr[o] = z->free_area[o].nr_free;
			zone_unlock(z, flags);
			pga_emitf(emit, ctx, "Node %d, zone %8s ", nid,
				  pga_zone_names[zt]);
			for (int o = 0; o <= PGA_MAX_ORDER; o++)
				pga_emitf(emit, ctx, "%6lu ", nr[o]);
			emit(ctx, "\n", 1);
		}
	}
}

int pga_zone_get_info(int nid, enum pga_zone_type type,
		      struct pga_zone_info *info)
{
	struct pga_zone *z;
	unsigned long flags;

	if (nid < 0 || nid >= pga_g.nr_nodes || (unsigned int)type >= PGA_MAX_NR_ZONES)
		return -PGA_EINVAL;
	z = &pga_g.nodes[nid].node_zones[type];
	__builtin_memset(info, 0, sizeof(*info));
	flags = zone_lock(z);
	info->nid = nid;
	info->type = type;
	info->name = pga_zone_names[type];
	info->start_pfn = z->zone_start_pfn;
	info->spanned = z->spanned_pages;
	info->present = z->present_pages;
	info->managed = zone_managed(z);
	info->free = (unsigned long)zone_page_state(z, PGA_NR_FREE_PAGES);
	info->free_cma = (unsigned long)zone_page_state(z, PGA_NR_FREE_CMA_PAGES);
	info->wmark_min = pga_wmark_pages(z, PGA_WMARK_MIN);
	info->wmark_low = pga_wmark_pages(z, PGA_WMARK_LOW);
	info->wmark_high = pga_wmark_pages(z, PGA_WMARK_HIGH);
	info->wmark_promo = pga_wmark_pages(z, PGA_WMARK_PROMO);
	info->boost = z->watermark_boost;
	info->nr_reserved_highatomic = z->nr_reserved_highatomic;
	for (int i = 0; i < PGA_MAX_NR_ZONES; i++)
		info->lowmem_reserve[i] = (unsigned long)z->lowmem_reserve[i];
	for (int o = 0; o <= PGA_MAX_ORDER; o++)
		info->nr_free[o] = z->free_area[o].nr_free;
	zone_unlock(z, flags);
	return 0;
}
