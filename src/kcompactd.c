/* SPDX-License-Identifier: MIT */
/*
 * The compaction daemon's side (Linux kcompactd and compact_node): the
 * wake-up rules, the body the embedder's kcompactd thread runs, full
 * compaction of a node on request, and vm.extfrag_threshold.
 */
#include "compaction.h"

/* Linux kcompactd_node_suitable: some zone needs and allows compaction. */
static bool kcompactd_node_suitable(struct pga_node *n, int order, int hz)
{
	for (int i = 0; i <= hz && i < PGA_MAX_NR_ZONES; i++) {
		const struct pga_zone *z = &n->node_zones[i];

		if (!zone_populated(z))
			continue;
		if (pga_zone_watermark_ok(z, (unsigned int)order,
					  pga_wmark_pages(z, PGA_WMARK_MIN), hz,
					  0))
			continue;
		if (pga_compaction_suitable(z, (unsigned int)order, hz))
			return true;
	}
	return false;
}

/*
 * Record a request for @n's compaction daemon (largest order, lowest
 * zone asked for) and wake it through the wake_kcompactd hook if some
 * zone needs it (Linux wakeup_kcompactd).  Order 0 is ignored.
 * Context: any.
 */
void pga_wakeup_kcompactd(struct pga_node *n, int order, int hz)
{
	if (order <= 0)
		return;
	if (!__atomic_exchange_n(&n->kcompactd_pending, true,
				 __ATOMIC_ACQ_REL)) {
		__atomic_store_n(&n->kcompactd_max_order, order,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&n->kcompactd_highest_zoneidx, hz,
				 __ATOMIC_RELAXED);
	} else {
		if (__atomic_load_n(&n->kcompactd_max_order,
				    __ATOMIC_RELAXED) < order)
			__atomic_store_n(&n->kcompactd_max_order, order,
					 __ATOMIC_RELAXED);
		if (__atomic_load_n(&n->kcompactd_highest_zoneidx,
				    __ATOMIC_RELAXED) > hz)
			__atomic_store_n(&n->kcompactd_highest_zoneidx, hz,
					 __ATOMIC_RELAXED);
	}
	if (!kcompactd_node_suitable(n, order, hz))
		return;
	if (pga_g.hooks.wake_kcompactd)
		pga_g.hooks.wake_kcompactd(pga_g.hooks.ctx, n->node_id,
					   (unsigned int)order, hz);
}

static void drain_zone_all_cpus(struct pga_zone *z)
{
	for (unsigned int cpu = 0; cpu < pga_g.nr_cpus; cpu++)
		pga_pcp_drain_cpu(cpu, z);
}

/* kcompactd's work on one zone (the loop body of kcompactd_do_work). */
static unsigned long kcompactd_zone(struct pga_zone *z, int order, int hz)
{
	struct pga_compact_control cc;
	enum pga_compact_result st;

	if (!zone_populated(z) || pga_compaction_deferred(z, order) ||
	    pga_zone_watermark_ok(z, (unsigned int)order,
				  pga_wmark_pages(z, PGA_WMARK_MIN),
				  (int)z->idx, 0) ||
	    !pga_compaction_suitable(z, (unsigned int)order, (int)z->idx))
		return 0;
	pga_compact_cc_init(&cc, z, order, PGA_GFP_KERNEL);
	cc.highest_zoneidx = hz;
	st = pga_compact_zone(&cc, NULL);
	if (st == PGA_COMPACT_SUCCESS) {
		pga_compaction_defer_reset(z, order, false);
	} else if (st == PGA_COMPACT_PARTIAL_SKIPPED ||
		   st == PGA_COMPACT_COMPLETE) {
		drain_zone_all_cpus(z);
		pga_defer_compaction(z, order);
	}
	pga_count_event(PGA_COMPACTDAEMON_MIGRATE_SCANNED,
			cc.total_migrate_scanned);
	pga_count_event(PGA_COMPACTDAEMON_FREE_SCANNED, cc.total_free_scanned);
	return cc.nr_migrated;
}

long pga_kcompactd_run(int nid)
{
	struct pga_node *n;
	unsigned long migrated = 0;
	int order, hz;

	if (nid < 0 || nid >= pga_g.nr_nodes || !pga_g.nodes[nid].online) {
		pga_log(PGA_LOG_ERR, "pga: kcompactd_run(%d): no such node",
			nid);
		return -PGA_EINVAL;
	}
	n = &pga_g.nodes[nid];
	if (!__atomic_exchange_n(&n->kcompactd_pending, false,
				 __ATOMIC_ACQ_REL))
		return 0;
	order = __atomic_load_n(&n->kcompactd_max_order, __ATOMIC_RELAXED);
	hz = __atomic_load_n(&n->kcompactd_highest_zoneidx, __ATOMIC_RELAXED);
	pga_count_event(PGA_COMPACTDAEMON_WAKE, 1);
	for (int i = 0; i <= hz && i < PGA_MAX_NR_ZONES; i++)
		migrated += kcompactd_zone(&n->node_zones[i], order, hz);
	return (long)migrated;
}

long pga_compact_node(int nid)
{
	unsigned long migrated = 0;

	if (nid < 0 || nid >= pga_g.nr_nodes || !pga_g.nodes[nid].online) {
		pga_log(PGA_LOG_ERR, "pga: compact_node(%d): no such node",
			nid);
		return -PGA_EINVAL;
	}
	for (int i = 0; i < PGA_MAX_NR_ZONES; i++) {
		struct pga_zone *z = &pga_g.nodes[nid].node_zones[i];
		struct pga_compact_control cc;

		if (!zone_populated(z))
			continue;
		pga_compact_cc_init(&cc, z, -1, PGA_GFP_KERNEL);
		cc.mode = PGA_MIGRATE_SYNC;
		cc.ignore_skip_hint = true;
		cc.whole_zone = true;
		pga_compact_zone(&cc, NULL);
		migrated += cc.nr_migrated;
	}
	return (long)migrated;
}

int pga_set_extfrag_threshold(unsigned int threshold)
{
	if (threshold > 1000)
		return -PGA_EINVAL;
	pga_g.reclaim.extfrag_threshold = threshold;
	return 0;
}
