/* SPDX-License-Identifier: MIT */
/*
 * GFP translation: the zone table for every modifier combination and zone
 * configuration, the migratetype, the allowed mask, scoped NOIO/NOFS/PIN,
 * and the alloc_flags of the fast path, the slow path and the reserves.
 * Expected values are written out from the reference tables, not derived
 * from the code under test.
 */
#include <string.h>

#include "fixture.h"
#include "internal.h"

enum {
	DMA = PGA_ZONE_DMA,
	DMA32 = PGA_ZONE_DMA32,
	NORMAL = PGA_ZONE_NORMAL,
	MOVABLE = PGA_ZONE_MOVABLE
};

/* ---- a machine with a chosen set of zones --------------------------- */

struct layout {
	bool dma, dma32, movable;
};

/*
 * 64 MiB at 0 (DMA below 16 MiB and DMA32 above, when they exist) and
 * 64 MiB at 4 GiB (NORMAL, its upper half MOVABLE when asked).
 */
static void init_layout(struct layout l, const struct pga_hooks *hooks)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{0, MiB(64), 0},
					    {GiB(4), MiB(64), 0}};

	fx_params(&p);
	p.dma_limit = l.dma ? MiB(16) : PGA_ZONE_LIMIT_NONE;
	p.dma32_limit = l.dma32 ? GiB(4) : PGA_ZONE_LIMIT_NONE;
	p.movable_start = l.movable ? GiB(4) + MiB(32) : 0;
	assert_int_equal(fx_init(&p, ram, 2, NULL, 0, hooks), 0);
}

/* The reference's zone table (OPT_ZONE_* = NORMAL when absent); -1 = BAD. */
static int table_zone(unsigned int b, struct layout l)
{
	switch (b) {
	case 0x0: /* none */
	case 0x2: /* HIGHMEM: no highmem on 64-bit */
	case 0x8: /* MOVABLE alone */
		return NORMAL;
	case 0x1: /* DMA */
	case 0x9: /* MOVABLE | DMA */
		return l.dma ? DMA : NORMAL;
	case 0x4: /* DMA32 */
	case 0xC: /* MOVABLE | DMA32 */
		return l.dma32 ? DMA32 : NORMAL;
	case 0xA: /* MOVABLE | HIGHMEM */
		return MOVABLE;
	default: /* two or three of DMA, DMA32, HIGHMEM */
		return -1;
	}
}

/* The zone a page from zone limit @hz comes from on an idle machine. */
static int served_zone(int hz)
{
	while (hz > 0 && !zone_populated(&pga_g.nodes[0].node_zones[hz]))
		hz--;
	return hz;
}

static void check_layout(struct layout l)
{
	init_layout(l, NULL);
	for (unsigned int b = 0; b < 16; b++) {
		int want = table_zone(b, l);
		struct pga_page *pg;

		assert_int_equal(pga_gfp_zone(b | PGA_GFP_KERNEL), want);
		fx_log_clear();
		pg = pga_alloc_pages(PGA_GFP_KERNEL | b, 0);
		if (want < 0) {
			/* Refused and reported, never a silent zone 0. */
			assert_null(pg);
			assert_true(
			    fx_log_contains("impossible zone combination"));
			continue;
		}
		assert_non_null(pg);
		assert_int_equal(pga_page_zonenum(pg), served_zone(want));
		pga_free_page(pg);
	}
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
}

static void zone_table_every_layout(void **state)
{
	(void)state;
	for (int m = 0; m < 8; m++) {
		struct layout l = {m & 1, (m >> 1) & 1, (m >> 2) & 1};

		check_layout(l);
	}
}

/* The bad set is exactly 0xE8E8: bits 3,5,6,7,11,13,14,15. */
static void zone_bad_set(void **state)
{
	const unsigned int bad[] = {3, 5, 6, 7, 11, 13, 14, 15};
	unsigned int mask = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		mask |= 1u << bad[i];
	assert_int_equal(mask, PGA_GFP_ZONE_BAD);
	init_layout((struct layout){true, true, true}, NULL);
	for (unsigned int b = 0; b < 16; b++)
		assert_int_equal(pga_gfp_zone(b) < 0, (mask >> b) & 1);
	/* Only the low four bits choose the zone. */
	assert_int_equal(
	    pga_gfp_zone(PGA_GFP_DMA | PGA_GFP_RECLAIMABLE | PGA_GFP_THISNODE),
	    DMA);
}

/* ---- migratetype --------------------------------------------------- */

static void migratetype_rules(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram = {GiB(4), MiB(64), 0};
	pga_pfn_t pfn;

	(void)state;
	init_layout((struct layout){true, true, false}, NULL);
	assert_int_equal(pga_gfp_migratetype(PGA_GFP_KERNEL),
			 PGA_MIGRATE_UNMOVABLE);
	assert_int_equal(pga_gfp_migratetype(PGA_GFP_HIGHUSER_MOVABLE),
			 PGA_MIGRATE_MOVABLE);
	assert_int_equal(
	    pga_gfp_migratetype(PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE),
	    PGA_MIGRATE_RECLAIMABLE);
	assert_int_equal(
	    pga_gfp_migratetype(PGA_GFP_MOVABLE | PGA_GFP_RECLAIMABLE), -1);
	fx_log_clear();
	assert_null(pga_alloc_pages(PGA_GFP_MOVABLE | PGA_GFP_RECLAIMABLE, 0));
	assert_true(fx_log_contains("both MOVABLE and RECLAIMABLE"));

	/* Grouping by mobility off: everything valid is UNMOVABLE. */
	fx_params(&p);
	p.disable_mobility_grouping = true;
	assert_int_equal(fx_init(&p, &ram, 1, NULL, 0, NULL), 0);
	assert_true(pga_g.group_by_mobility_disabled);
	assert_int_equal(pga_gfp_migratetype(PGA_GFP_HIGHUSER_MOVABLE),
			 PGA_MIGRATE_UNMOVABLE);
	assert_int_equal(pga_gfp_migratetype(PGA_GFP_RECLAIMABLE),
			 PGA_MIGRATE_UNMOVABLE);
	assert_int_equal(
	    pga_gfp_migratetype(PGA_GFP_MOVABLE | PGA_GFP_RECLAIMABLE), -1);
	/* ... and no ALLOC_CMA, which follows the migratetype. */
	assert_int_equal(pga_gfp_to_alloc_flags(PGA_GFP_HIGHUSER_MOVABLE, 0),
			 PGA_ALLOC_CPUSET | PGA_ALLOC_KSWAPD);
	/* Mergeable pageblock types are stored as UNMOVABLE, others kept. */
	pfn = pga_g.nodes[0].node_zones[NORMAL].zone_start_pfn;
	pga_pageblock_set_type(pfn, PGA_MIGRATE_RECLAIMABLE);
	assert_int_equal(get_pageblock_migratetype(pfn), PGA_MIGRATE_UNMOVABLE);
	pga_pageblock_set_type(pfn, PGA_MIGRATE_HIGHATOMIC);
	assert_int_equal(get_pageblock_migratetype(pfn), PGA_MIGRATE_HIGHATOMIC);
	pga_pageblock_set_type(pfn, PGA_MIGRATE_MOVABLE);
	assert_int_equal(get_pageblock_migratetype(pfn), PGA_MIGRATE_UNMOVABLE);
	fx_assert_consistent();
}

/* ---- what the allocation really used: the trace hook --------------- */

static pga_gfp_t traced_gfp;
static int traced;

static void trace_hook(void *ctx, const struct pga_trace_event *ev)
{
	(void)ctx;
	if (ev->type == PGA_TRACE_MM_PAGE_ALLOC) {
		traced_gfp = ev->gfp;
		traced++;
	}
}

static pga_gfp_t gfp_used(pga_gfp_t gfp)
{
	struct pga_page *pg;

	traced = 0;
	pg = pga_alloc_pages(gfp, 0);
	assert_non_null(pg);
	assert_int_equal(traced, 1);
	pga_free_page(pg);
	return traced_gfp;
}

static void init_traced(pga_gfp_t allowed)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();
	const struct pga_mem_range ram = {GiB(4), MiB(64), 0};

	h.trace = trace_hook;
	fx_params(&p);
	p.gfp_allowed_mask = allowed;
	assert_int_equal(fx_init(&p, &ram, 1, NULL, 0, &h), 0);
}

static void allowed_mask_boot_then_running(void **state)
{
	struct pga_params p;

	(void)state;
	/* The default is Linux's boot mask: no reclaim, IO or FS. */
	pga_params_init(&p);
	assert_int_equal(p.gfp_allowed_mask, PGA_GFP_BOOT_MASK);
	assert_int_equal(PGA_GFP_BOOT_MASK, 0x3fff33f);
	init_traced(PGA_GFP_BOOT_MASK);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), 0);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL | PGA_GFP_ZERO | PGA_GFP_HIGH),
			 PGA_GFP_ZERO | PGA_GFP_HIGH);
	assert_int_equal(pga_current_gfp(PGA_GFP_USER), PGA_GFP_HARDWALL);
	/* The scheduler runs: everything is allowed; the old mask returns. */
	assert_int_equal(pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK),
			 PGA_GFP_BOOT_MASK);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), 0xcc0);
	/* Suspend (pm_restrict_gfp_mask) clears IO and FS, resume restores. */
	assert_int_equal(pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK &
						  ~(PGA_GFP_IO | PGA_GFP_FS)),
			 PGA_GFP_BITS_MASK);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOIO);
	pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK);
	/* Bits past __GFP_BITS_MASK never get into the mask. */
	pga_set_gfp_allowed_mask(~0u);
	assert_int_equal(pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK),
			 PGA_GFP_BITS_MASK);
	fx_assert_consistent();
}

/* ---- scopes ------------------------------------------------------- */

static void scopes_nest(void **state)
{
	unsigned int fs, io, io2;

	(void)state;
	init_traced(PGA_GFP_BITS_MASK);
	fs = pga_memalloc_nofs_save();
	assert_int_equal(fs, 0);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOFS);
	io = pga_memalloc_noio_save();
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOIO);
	/* A nested NOIO scope saves "already set" and keeps it on restore. */
	io2 = pga_memalloc_noio_save();
	assert_int_equal(io2, PGA_TASK_NOIO);
	pga_memalloc_noio_restore(io2);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOIO);
	pga_memalloc_noio_restore(io);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOFS);
	pga_memalloc_nofs_restore(fs);
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_KERNEL);
	/* NOIO also removes FS from a mask that had no IO to begin with. */
	io = pga_memalloc_noio_save();
	assert_int_equal(pga_current_gfp(PGA_GFP_FS | PGA_GFP_HIGH),
			 PGA_GFP_HIGH);
	pga_memalloc_noio_restore(io);
	assert_int_equal(pga_task_flags(), 0);
}

static unsigned int hook_flags;
static int hook_reads, hook_writes;

static unsigned int task_flags_hook(void *ctx)
{
	(void)ctx;
	hook_reads++;
	return hook_flags;
}

static void set_task_flags_hook(void *ctx, unsigned int flags)
{
	(void)ctx;
	hook_writes++;
	hook_flags = flags;
}

/* With the task hooks the scope lives in the embedder's task. */
static void scopes_through_hooks(void **state)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();
	const struct pga_mem_range ram = {GiB(4), MiB(64), 0};
	unsigned int saved;

	(void)state;
	h.trace = trace_hook;
	h.task_flags = task_flags_hook;
	h.set_task_flags = set_task_flags_hook;
	fx_params(&p);
	assert_int_equal(fx_init(&p, &ram, 1, NULL, 0, &h), 0);
	hook_flags = PGA_TASK_KTHREAD;
	hook_writes = 0;
	saved = pga_memalloc_nofs_save();
	assert_int_equal(hook_writes, 1);
	assert_int_equal(hook_flags, PGA_TASK_KTHREAD | PGA_TASK_NOFS);
	assert_int_equal(pga_g.fallback_task_flags, 0);
	hook_reads = 0;
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOFS);
	assert_true(hook_reads > 0);
	pga_memalloc_nofs_restore(saved);
	assert_int_equal(hook_flags, PGA_TASK_KTHREAD);
	/* An embedder that sets NOIO itself is obeyed too. */
	hook_flags |= PGA_TASK_NOIO;
	assert_int_equal(gfp_used(PGA_GFP_KERNEL), PGA_GFP_NOIO);
	hook_flags = 0;
}

/* A PIN scope takes MOVABLE away: no ZONE_MOVABLE, no movable blocks. */
static void pin_scope_drops_movable(void **state)
{
	struct pga_page *pg;
	unsigned int saved;

	(void)state;
	init_layout((struct layout){true, true, true}, NULL);
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(pga_page_zonenum(pg), MOVABLE);
	pga_free_page(pg);
	saved = pga_memalloc_pin_save();
	assert_int_equal(pga_current_gfp(PGA_GFP_HIGHUSER_MOVABLE),
			 PGA_GFP_HIGHUSER);
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(pga_page_zonenum(pg), NORMAL);
	pga_free_page(pg);
	pga_memalloc_pin_restore(saved);
	assert_int_equal(pga_task_flags(), 0);
	fx_assert_consistent();
}

/* ---- alloc_flags ---------------------------------------------------- */

#define MIN_ PGA_ALLOC_WMARK_MIN
#define CPUSET PGA_ALLOC_CPUSET
#define KSWAPD PGA_ALLOC_KSWAPD
#define NONBLK PGA_ALLOC_NON_BLOCK
#define MINRES PGA_ALLOC_MIN_RESERVE
#define HIATOM PGA_ALLOC_HIGHATOMIC
#define CMA PGA_ALLOC_CMA

/* The reference's numeric values of the ALLOC_* bits. */
static void alloc_flag_values(void **state)
{
	(void)state;
	assert_int_equal(PGA_ALLOC_WMARK_MIN, 0);
	assert_int_equal(PGA_ALLOC_WMARK_LOW, 1);
	assert_int_equal(PGA_ALLOC_WMARK_HIGH, 2);
	assert_int_equal(PGA_ALLOC_NO_WATERMARKS, 0x4);
	assert_int_equal(PGA_ALLOC_OOM, 0x8);
	assert_int_equal(PGA_ALLOC_NON_BLOCK, 0x10);
	assert_int_equal(PGA_ALLOC_MIN_RESERVE, 0x20);
	assert_int_equal(PGA_ALLOC_CPUSET, 0x40);
	assert_int_equal(PGA_ALLOC_CMA, 0x80);
	assert_int_equal(PGA_ALLOC_NOFRAGMENT, 0x100);
	assert_int_equal(PGA_ALLOC_HIGHATOMIC, 0x200);
	assert_int_equal(PGA_ALLOC_KSWAPD, 0x800);
	assert_int_equal(PGA_ALLOC_RESERVES, 0x238);
}

/* Flags at order 0 and at any higher order. */
struct flags_case {
	pga_gfp_t gfp;
	unsigned int order0, order3;
};

/* Linux 6.6 gfp_to_alloc_flags for the named masks (CMA configured). */
static void slow_alloc_flags_named_masks(void **state)
{
	const struct flags_case cases[] = {
	    {PGA_GFP_KERNEL, MIN_ | CPUSET | KSWAPD, MIN_ | CPUSET | KSWAPD},
	    {PGA_GFP_ATOMIC, MIN_ | KSWAPD | MINRES | NONBLK,
	     MIN_ | KSWAPD | MINRES | NONBLK | HIATOM},
	    {PGA_GFP_NOWAIT, MIN_ | CPUSET | KSWAPD | NONBLK,
	     MIN_ | CPUSET | KSWAPD | NONBLK | HIATOM},
	    {PGA_GFP_NOIO, MIN_ | CPUSET | KSWAPD, MIN_ | CPUSET | KSWAPD},
	    {PGA_GFP_NOFS, MIN_ | CPUSET | KSWAPD, MIN_ | CPUSET | KSWAPD},
	    {PGA_GFP_USER, MIN_ | CPUSET | KSWAPD, MIN_ | CPUSET | KSWAPD},
	    {PGA_GFP_HIGHUSER_MOVABLE, MIN_ | CPUSET | KSWAPD | CMA,
	     MIN_ | CPUSET | KSWAPD | CMA},
	    /* NOMEMALLOC keeps non-blocking callers out of the reserves. */
	    {PGA_GFP_ATOMIC | PGA_GFP_NOMEMALLOC, MIN_ | KSWAPD | MINRES,
	     MIN_ | KSWAPD | MINRES},
	    {PGA_GFP_NOWAIT | PGA_GFP_NOMEMALLOC, MIN_ | CPUSET | KSWAPD,
	     MIN_ | CPUSET | KSWAPD},
	    /* __GFP_HIGH with reclaim: MIN_RESERVE, cpuset kept. */
	    {PGA_GFP_KERNEL | PGA_GFP_HIGH, MIN_ | CPUSET | KSWAPD | MINRES,
	     MIN_ | CPUSET | KSWAPD | MINRES},
	    {PGA_GFP_TRANSHUGE_LIGHT, MIN_ | CPUSET | CMA, MIN_ | CPUSET | CMA},
	    {PGA_GFP_TRANSHUGE, MIN_ | CPUSET | CMA, MIN_ | CPUSET | CMA},
	    {0, MIN_ | CPUSET | NONBLK, MIN_ | CPUSET | NONBLK | HIATOM},
	};

	(void)state;
	init_layout((struct layout){true, true, false}, NULL);
	assert_int_equal(PGA_GFP_ATOMIC, 0x820);
	assert_int_equal(PGA_GFP_KERNEL, 0xcc0);
	assert_int_equal(PGA_GFP_NOWAIT, 0x800);
	assert_int_equal(PGA_GFP_NOIO, 0xc00);
	assert_int_equal(PGA_GFP_NOFS, 0xc40);
	assert_int_equal(PGA_GFP_USER, 0x100cc0);
	assert_int_equal(PGA_GFP_HIGHUSER_MOVABLE, 0x100cca);
	assert_int_equal(PGA_GFP_TRANSHUGE_LIGHT, 0x1c20ca);
	assert_int_equal(PGA_GFP_TRANSHUGE, 0x1c24ca);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(pga_gfp_to_alloc_flags(cases[i].gfp, 0),
				 cases[i].order0);
		assert_int_equal(pga_gfp_to_alloc_flags(cases[i].gfp, 1),
				 cases[i].order3);
		assert_int_equal(pga_gfp_to_alloc_flags(cases[i].gfp, 3),
				 cases[i].order3);
	}
}

/* Realtime tasks that may block get MIN_RESERVE, but not in interrupts. */
static void realtime_min_reserve(void **state)
{
	(void)state;
	init_layout((struct layout){true, true, false}, NULL);
	pga_set_task_flags(PGA_TASK_RT);
	assert_int_equal(pga_gfp_to_alloc_flags(PGA_GFP_KERNEL, 0),
			 MIN_ | CPUSET | KSWAPD | MINRES);
	/* Non-blocking RT requests follow the non-blocking rules only. */
	assert_int_equal(pga_gfp_to_alloc_flags(PGA_GFP_NOWAIT, 0),
			 MIN_ | CPUSET | KSWAPD | NONBLK);
	pga_set_task_flags(PGA_TASK_RT | PGA_TASK_IN_IRQ);
	assert_int_equal(pga_gfp_to_alloc_flags(PGA_GFP_KERNEL, 0),
			 MIN_ | CPUSET | KSWAPD);
	pga_set_task_flags(0);
}

struct pfm_case {
	unsigned int task;
	pga_gfp_t gfp;
	unsigned int want;
};

/* Linux __gfp_pfmemalloc_flags, rule by rule. */
static void reserve_override_flags(void **state)
{
	const struct pfm_case cases[] = {
	    {0, PGA_GFP_KERNEL, 0},
	    {0, PGA_GFP_KERNEL | PGA_GFP_MEMALLOC, PGA_ALLOC_NO_WATERMARKS},
	    /* NOMEMALLOC beats everything. */
	    {PGA_TASK_MEMALLOC,
	     PGA_GFP_KERNEL | PGA_GFP_MEMALLOC | PGA_GFP_NOMEMALLOC, 0},
	    {PGA_TASK_OOM_VICTIM, PGA_GFP_NOMEMALLOC, 0},
	    {PGA_TASK_MEMALLOC, PGA_GFP_KERNEL, PGA_ALLOC_NO_WATERMARKS},
	    {PGA_TASK_MEMALLOC | PGA_TASK_IN_IRQ, PGA_GFP_ATOMIC, 0},
	    {PGA_TASK_SOFTIRQ_MEMALLOC | PGA_TASK_IN_IRQ, PGA_GFP_ATOMIC,
	     PGA_ALLOC_NO_WATERMARKS},
	    {PGA_TASK_OOM_VICTIM, PGA_GFP_KERNEL, PGA_ALLOC_OOM},
	    /* PF_MEMALLOC wins over the OOM-victim rule. */
	    {PGA_TASK_OOM_VICTIM | PGA_TASK_MEMALLOC, PGA_GFP_KERNEL,
	     PGA_ALLOC_NO_WATERMARKS},
	    {PGA_TASK_OOM_VICTIM | PGA_TASK_IN_IRQ, PGA_GFP_ATOMIC, 0},
	    {PGA_TASK_IN_IRQ, PGA_GFP_ATOMIC | PGA_GFP_MEMALLOC,
	     PGA_ALLOC_NO_WATERMARKS},
	};

	(void)state;
	init_layout((struct layout){true, true, false}, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pga_set_task_flags(cases[i].task);
		assert_int_equal(pga_gfp_pfmemalloc_flags(cases[i].gfp),
				 cases[i].want);
	}
	pga_set_task_flags(0);
}

/* Fast path (Linux __alloc_pages + prepare_alloc_pages). */
static unsigned int fast_flags(pga_gfp_t gfp, struct pga_alloc_context *ac)
{
	pga_nodemask_t mems;
	pga_gfp_t alloc_gfp;
	unsigned int flags;

	assert_true(
	    pga_prepare_alloc(gfp, 0, 0, NULL, ac, &alloc_gfp, &flags, &mems));
	assert_int_equal(alloc_gfp, gfp); /* no cpusets: gfp unchanged */
	return flags;
}

#define LOW PGA_ALLOC_WMARK_LOW
#define NOFRAG PGA_ALLOC_NOFRAGMENT

static void fast_path_flags(void **state)
{
	struct pga_alloc_context ac;

	(void)state;
	/* UMA with ZONE_DMA32 configured: NOFRAGMENT when NORMAL is first. */
	init_layout((struct layout){true, true, true}, NULL);
	assert_int_equal(fast_flags(PGA_GFP_KERNEL, &ac),
			 LOW | KSWAPD | NOFRAG);
	assert_int_equal(ac.highest_zoneidx, NORMAL);
	assert_int_equal(ac.migratetype, PGA_MIGRATE_UNMOVABLE);
	assert_ptr_equal(ac.preferred_zoneref->zone,
			 &pga_g.nodes[0].node_zones[NORMAL]);
	assert_false(ac.spread_dirty_pages);
	/* No reserve rights in the fast path, atomic or not. */
	assert_int_equal(fast_flags(PGA_GFP_ATOMIC, &ac),
			 LOW | KSWAPD | NOFRAG);
	assert_int_equal(fast_flags(PGA_GFP_NOWAIT, &ac),
			 LOW | KSWAPD | NOFRAG);
	assert_int_equal(
	    fast_flags(PGA_GFP_NOIO & ~PGA_GFP_KSWAPD_RECLAIM, &ac),
	    LOW | NOFRAG);
	/* MOVABLE preferred: CMA, but no NOFRAGMENT (zone is not NORMAL). */
	assert_int_equal(fast_flags(PGA_GFP_HIGHUSER_MOVABLE, &ac),
			 LOW | KSWAPD | CMA);
	assert_int_equal(ac.preferred_zoneref->zone_idx, MOVABLE);
	assert_int_equal(fast_flags(PGA_GFP_KERNEL | PGA_GFP_DMA32, &ac),
			 LOW | KSWAPD);
	assert_int_equal(ac.preferred_zoneref->zone_idx, DMA32);
	assert_int_equal(fast_flags(PGA_GFP_KERNEL | PGA_GFP_WRITE, &ac),
			 LOW | KSWAPD | NOFRAG);
	assert_true(ac.spread_dirty_pages);
	/* THISNODE selects the no-fallback list. */
	fast_flags(PGA_GFP_KERNEL | PGA_GFP_THISNODE, &ac);
	assert_ptr_equal(
	    ac.zonelist,
	    &pga_g.nodes[0].node_zonelists[PGA_ZONELIST_NOFALLBACK]);
	fast_flags(PGA_GFP_KERNEL, &ac);
	assert_ptr_equal(ac.zonelist,
			 &pga_g.nodes[0].node_zonelists[PGA_ZONELIST_FALLBACK]);
	/* Without ZONE_DMA32 there is no NOFRAGMENT at all. */
	init_layout((struct layout){true, false, false}, NULL);
	assert_int_equal(fast_flags(PGA_GFP_KERNEL, &ac), LOW | KSWAPD);
	assert_int_equal(fast_flags(PGA_GFP_HIGHUSER_MOVABLE, &ac),
			 LOW | KSWAPD | CMA);
}

static pga_nodemask_t cpuset_allowed;
static int cpuset_calls;
static pga_gfp_t cpuset_gfp;

static bool cpuset_hook(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	cpuset_calls++;
	cpuset_gfp = gfp;
	return pga_nodemask_test(&cpuset_allowed, nid);
}

/*
 * With cpusets the fast path is hardwalled; a task without a nodemask
 * gets its cpuset's nodes as the nodemask, anything else ALLOC_CPUSET.
 */
static void fast_path_cpusets(void **state)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();
	const struct pga_mem_range ram[] = {{GiB(4), MiB(64), 0},
					    {GiB(8), MiB(64), 1}};
	struct pga_alloc_context ac;
	pga_nodemask_t mems, mask = pga_nodemask_of(0);
	pga_gfp_t gfp;
	unsigned int flags;

	(void)state;
	h.cpuset_node_allowed = cpuset_hook;
	fx_params(&p);
	assert_int_equal(fx_init(&p, ram, 2, NULL, 0, &h), 0);
	cpuset_allowed = pga_nodemask_of(1);
	assert_true(pga_prepare_alloc(PGA_GFP_KERNEL, 0, 0, NULL, &ac, &gfp,
				      &flags, &mems));
	assert_int_equal(gfp, PGA_GFP_KERNEL | PGA_GFP_HARDWALL);
	assert_int_equal(flags & CPUSET, 0);
	assert_ptr_equal(ac.nodemask, &mems);
	assert_int_equal(mems.bits, 2);
	assert_int_equal(cpuset_gfp & PGA_GFP_HARDWALL, PGA_GFP_HARDWALL);
	/* The walk starts on the first allowed node. */
	assert_int_equal(ac.preferred_zoneref->zone->nid, 1);
	/* An explicit nodemask is kept and the zones are checked one by one. */
	assert_true(pga_prepare_alloc(PGA_GFP_KERNEL, 0, 0, &mask, &ac, &gfp,
				      &flags, &mems));
	assert_int_equal(flags & CPUSET, CPUSET);
	assert_ptr_equal(ac.nodemask, &mask);
	/* So are interrupts, which belong to no task. */
	pga_set_task_flags(PGA_TASK_IN_IRQ);
	assert_true(pga_prepare_alloc(PGA_GFP_ATOMIC, 0, 0, NULL, &ac, &gfp,
				      &flags, &mems));
	assert_int_equal(flags & CPUSET, CPUSET);
	assert_null(ac.nodemask);
	pga_set_task_flags(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(zone_table_every_layout),
	    cmocka_unit_test(zone_bad_set),
	    cmocka_unit_test(migratetype_rules),
	    cmocka_unit_test(allowed_mask_boot_then_running),
	    cmocka_unit_test(scopes_nest),
	    cmocka_unit_test(scopes_through_hooks),
	    cmocka_unit_test(pin_scope_drops_movable),
	    cmocka_unit_test(alloc_flag_values),
	    cmocka_unit_test(slow_alloc_flags_named_masks),
	    cmocka_unit_test(realtime_min_reserve),
	    cmocka_unit_test(reserve_override_flags),
	    cmocka_unit_test(fast_path_flags),
	    cmocka_unit_test(fast_path_cpusets),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
