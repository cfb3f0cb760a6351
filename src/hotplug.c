/* SPDX-License-Identifier: MIT */
/*
 * Memory hotplug (Linux add_memory + online_pages, offline_pages): RAM
 * that arrives after pga_init() goes through the same steps as boot
 * memory (init.c, via memblock.h) with its metadata carved from itself;
 * RAM taken away is isolated, emptied by migration and marked offline,
 * keeping its memmap so it can come back.  Either way the zone and node
 * sizes change, so zonelists (when a zone or node appears or empties),
 * watermarks, lowmem reserves and per-CPU high/batch are recomputed.
 *
 * Hot-add and offline are serialised against each other by a flag the
 * caller spins on (with the yield hook), not by a lock, because offlining
 * calls the migrate_page hook, which may sleep.
 */
#include "internal.h"
#include "memblock.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define OFFLINE_PASSES 5

/* Static: a memblock is too large for a kernel stack. */
static struct pga_memblock hot_mb, scratch_mb;
static pga_atomic_t hotplug_busy;

static void hotplug_begin(void)
{
	while (pga_atomic_cmpxchg(&hotplug_busy, 0, 1) != 0) {
		if (pga_g.hooks.yield)
			pga_g.hooks.yield(pga_g.hooks.ctx);
		else
			pga_arch_cpu_relax();
	}
}

static void hotplug_end(void)
{
	pga_atomic_cmpxchg(&hotplug_busy, 1, 0);
}

/* Per node: bit 7 online, bits 0..3 the populated zones. */
static void snapshot(uint8_t map[PGA_CONFIG_MAX_NODES])
{
	for (int nid = 0; nid < PGA_CONFIG_MAX_NODES; nid++) {
		const struct pga_node *n = &pga_g.nodes[nid];

		map[nid] = n->online ? 0x80 : 0;
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			if (zone_populated(&n->node_zones[zt]))
				map[nid] |= (uint8_t)(1u << zt);
	}
}

/*
 * Memory came or went: rebuild the zonelists if a zone or node changed
 * between populated and empty, then recompute min_free_kbytes,
 * watermarks, lowmem reserves and per-CPU high/batch.
 */
static void resize_done(const uint8_t before[PGA_CONFIG_MAX_NODES])
{
	uint8_t after[PGA_CONFIG_MAX_NODES];

	snapshot(after);
	if (__builtin_memcmp(before, after, sizeof(after)))
		pga_numa_build_zonelists();
	pga_watermark_recalc();
}

/* Zones of node @nid that [@s, @e) touches and that have no pcp yet. */
static unsigned int zones_without_pcp(int nid, pga_pfn_t s, pga_pfn_t e)
{
	unsigned int mask = 0;

	while (s < e) {
		pga_pfn_t lim;
		enum pga_zone_type zt = pga_zone_of_pfn(s, &lim);

		if (!pga_g.nodes[nid].node_zones[zt].pcp)
			mask |= 1u << zt;
		s = PGA_MIN(lim, e);
	}
	return mask;
}

/* Add the range loaded in hot_mb, whose sections have no memmap yet. */
static int add_new(int nid)
{
	pga_pfn_t s = hot_mb.ram[0].start, e = hot_mb.ram[0].end;
	unsigned int pcp_mask = zones_without_pcp(nid, s, e);
	uint8_t before[PGA_CONFIG_MAX_NODES];

	if (pga_mb_compute_avail(&hot_mb))
		return -PGA_EINVAL;
	scratch_mb = hot_mb;
	if (pga_init_memmap(&scratch_mb, false) ||
	    pga_init_pcps(&scratch_mb, nid, pcp_mask, false)) {
		pga_log(PGA_LOG_ERR,
			"pga: add_memory [%#llx, %#llx): too "
			"small to hold its own metadata",
			(unsigned long long)s, (unsigned long long)e);
		return -PGA_ENOMEM;
	}
	snapshot(before);
	if (pga_init_memmap(&hot_mb, true) ||
	    pga_init_pcps(&hot_mb, nid, pcp_mask, true))
		pga_panic(
		    "pga: hot-add metadata carve changed after its dry run");
	for (pga_pfn_t sec = s >> PGA_PFN_SECTION_SHIFT;
	     sec <= (e - 1) >> PGA_PFN_SECTION_SHIFT; sec++)
		pga_init_section_pages(&hot_mb, (unsigned long)sec);
	pga_init_size_nodes(&hot_mb);
	pga_init_seed(&hot_mb);
	resize_done(before);
	return 0;
}

/* Is [@s, @e) made of pages pga_offline_range() took from node @nid? */
static int check_offline(pga_pfn_t s, pga_pfn_t e, int nid)
{
	if ((s | e) & (PB - 1)) {
		pga_log(PGA_LOG_ERR,
			"pga: add_memory [%#llx, %#llx): offline "
			"memory comes back in whole pageblocks",
			(unsigned long long)s, (unsigned long long)e);
		return -PGA_EINVAL;
	}
	for (pga_pfn_t pfn = s; pfn < e; pfn++) {
		const struct pga_page *p = pfn_to_page_or_null(pfn);

		if (!p || !page_flag(p, PGA_PG_offline)) {
			pga_log(PGA_LOG_ERR,
				"pga: add_memory [%#llx, %#llx): "
				"pfn %#llx is not offline memory, and its "
				"section already has a memmap",
				(unsigned long long)s, (unsigned long long)e,
				(unsigned long long)pfn);
			return -PGA_EEXIST;
		}
		if (page_nid(p) != nid) {
			pga_log(PGA_LOG_ERR,
				"pga: add_memory: pfn %#llx was "
				"offlined from node %d, not %d",
				(unsigned long long)pfn, page_nid(p), nid);
			return -PGA_EINVAL;
		}
	}
	return 0;
}

/* Bring back offline pages [@s, @e) of zone @z (Linux online_pages). */
static void online_zone_range(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e)
{
	unsigned long n = (unsigned long)(e - s);
	unsigned long flags = zone_lock(z);

	for (pga_pfn_t pfn = s; pfn < e; pfn++)
		page_clear(pfn_page(pfn), PGA_PG_offline);
	for (pga_pfn_t pfn = s; pfn < e; pfn += PB)
		pga_pageblock_set_type(pfn, PGA_MIGRATE_MOVABLE);
	z->nr_offline_pages -= n;
	z->present_pages += n;
	pga_atomic_long_add_return(&z->managed_pages, (long)n);
	pga_buddy_free_range_locked(z, s, e, PGA_FPI_TO_TAIL, false);
	zone_unlock(z, flags);
	z->node->node_present_pages += n;
	z->node->online = true;
	pga_g.totalram_pages += n;
}

static void add_offline(pga_pfn_t s, pga_pfn_t e)
{
	uint8_t before[PGA_CONFIG_MAX_NODES];

	snapshot(before);
	while (s < e) {
		struct pga_zone *z = page_zone(pfn_page(s));
		pga_pfn_t ze = s + PB;

		while (ze < e && page_zone(pfn_page(ze)) == z)
			ze += PB;
		online_zone_range(z, s, ze);
		s = ze;
	}
	resize_done(before);
}

int pga_add_memory(pga_paddr_t base, pga_paddr_t size, int nid)
{
	struct pga_mem_range r = {base, size, nid};
	unsigned long mapped = 0, total = 0;
	pga_pfn_t s, e;
	int err;

	if (!pga_g.initialised) {
		pga_log(PGA_LOG_ERR, "pga: add_memory before pga_init()");
		return -PGA_EINVAL;
	}
	hotplug_begin();
	err = pga_mb_load(&hot_mb, &r, 1, NULL, 0);
	if (err)
		goto out;
	s = hot_mb.ram[0].start;
	e = hot_mb.ram[0].end;
	for (pga_pfn_t sec = s >> PGA_PFN_SECTION_SHIFT;
	     sec <= (e - 1) >> PGA_PFN_SECTION_SHIFT; sec++, total++)
		mapped += pga_sections[sec].map != NULL;
	if (!mapped) {
		err = add_new(nid);
	} else if (mapped < total) {
		pga_log(PGA_LOG_ERR,
			"pga: add_memory [%#llx, %#llx) touches "
			"a section that already has a memmap",
			(unsigned long long)s, (unsigned long long)e);
		err = -PGA_EEXIST;
	} else {
		err = check_offline(s, e, nid);
		if (!err)
			add_offline(s, e);
	}
out:
	hotplug_end();
	return err;
}

/* Validate an offline request; find its zone. */
static int offline_checks(pga_pfn_t start, unsigned long nr,
			  struct pga_zone **zp)
{
	pga_pfn_t end = start + nr;

	if (!pga_g.initialised || !nr || ((start | nr) & (PB - 1)) ||
	    end < start) {
		pga_log(PGA_LOG_ERR,
			"pga: offline of %lu pages at pfn %#llx: "
			"not a pageblock-aligned range",
			nr, (unsigned long long)start);
		return -PGA_EINVAL;
	}
	*zp = pga_isolation_zone(start, end);
	if (!*zp)
		return -PGA_EINVAL;
	for (pga_pfn_t pfn = start; pfn < end; pfn++) {
		if (page_flag(pfn_page(pfn), PGA_PG_offline)) {
			pga_log(PGA_LOG_ERR,
				"pga: offline: pfn %#llx is already offline",
				(unsigned long long)pfn);
			return -PGA_EINVAL;
		}
	}
	return 0;
}

/*
 * If [@s, @e) is isolated and free, take its free blocks off the lists
 * and mark every page offline (Linux __offline_isolated_pages); the
 * pageblocks stay isolated but no longer count as such.
 * Return: false if a page is still in use.  Context: zone lock held.
 */
static bool take_offline_locked(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e)
{
	unsigned long n = (unsigned long)(e - s);

	PGA_ASSERT_LOCKED(z);
	if (pga_take_isolated_locked(z, s, e, PGA_ISOLATE_OFFLINE))
		return false;
	for (pga_pfn_t pfn = s; pfn < e; pfn++)
		page_set(pfn_page(pfn), PGA_PG_offline);
	z->nr_isolate_pageblock -= n / PB;
	z->nr_offline_pages += n;
	z->present_pages -= n;
	pga_atomic_long_add_return(&z->managed_pages, -(long)n);
	return true;
}

/* Empty the isolated range by migration, a few passes, then take it. */
static int offline_isolated(struct pga_zone *z, pga_pfn_t s, pga_pfn_t e)
{
	for (int pass = 0; pass < OFFLINE_PASSES; pass++) {
		unsigned long flags;
		bool done;

		if (pga_migrate_range(z, s, e) == -PGA_EINTR)
			return -PGA_EINTR;
		pga_drain_zone(z);
		flags = zone_lock(z);
		done = take_offline_locked(z, s, e);
		zone_unlock(z, flags);
		if (done)
			return 0;
	}
	return -PGA_EBUSY;
}

int pga_offline_range(pga_pfn_t start_pfn, unsigned long nr_pages)
{
	pga_pfn_t end = start_pfn + nr_pages;
	uint8_t before[PGA_CONFIG_MAX_NODES];
	struct pga_zone *z = NULL;
	int err;

	hotplug_begin();
	snapshot(before);
	err = offline_checks(start_pfn, nr_pages, &z);
	if (!err)
		err = pga_isolate_zone_range(
		    z, start_pfn, end, PGA_MIGRATE_MOVABLE,
		    PGA_ISOLATE_OFFLINE | PGA_ISOLATE_REPORT);
	if (!err) {
		err = offline_isolated(z, start_pfn, end);
		if (err)
			pga_undo_isolate_zone_range(z, start_pfn, end,
						    PGA_MIGRATE_MOVABLE);
	}
	if (!err) {
		z->node->node_present_pages -= nr_pages;
		z->node->online = z->node->node_present_pages != 0;
		pga_g.totalram_pages -= nr_pages;
		resize_done(before);
	} else {
		pga_log(PGA_LOG_WARN,
			"pga: offline of [%#llx, %#llx) failed: %d",
			(unsigned long long)start_pfn, (unsigned long long)end,
			err);
	}
	hotplug_end();
	return err;
}
