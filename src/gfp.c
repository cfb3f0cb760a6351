/* SPDX-License-Identifier: MIT */
/*
 * GFP translation (Linux 6.6): the zone table, the migratetype, the task's
 * scoped constraints, and the alloc_flags of the slow path and of the
 * reserve override.
 */
#include "internal.h"

/* gfp & GFP_ZONEMASK -> highest zone index; -1 marks GFP_ZONE_BAD. */
int8_t pga_gfp_zone_table[16];

/*
 * Build the zone table for the configured zones: optional zones (DMA,
 * DMA32; HIGHMEM never exists on 64-bit) fall back to ZONE_NORMAL when not
 * configured, as Linux's OPT_ZONE_* do.  Context: init.
 */
void pga_gfp_init(void)
{
	int dma = pga_g.zone_configured[PGA_ZONE_DMA] ? PGA_ZONE_DMA
						      : PGA_ZONE_NORMAL;
	int dma32 = pga_g.zone_configured[PGA_ZONE_DMA32] ? PGA_ZONE_DMA32
							  : PGA_ZONE_NORMAL;

	for (int b = 0; b < 16; b++)
		pga_gfp_zone_table[b] = -1;
	pga_gfp_zone_table[0x0] = PGA_ZONE_NORMAL;
	pga_gfp_zone_table[PGA___GFP_DMA] = (int8_t)dma;
	pga_gfp_zone_table[PGA___GFP_HIGHMEM] = PGA_ZONE_NORMAL;
	pga_gfp_zone_table[PGA___GFP_DMA32] = (int8_t)dma32;
	pga_gfp_zone_table[PGA___GFP_MOVABLE] = PGA_ZONE_NORMAL;
	pga_gfp_zone_table[PGA___GFP_MOVABLE | PGA___GFP_DMA] = (int8_t)dma;
	pga_gfp_zone_table[PGA___GFP_MOVABLE | PGA___GFP_HIGHMEM] =
		PGA_ZONE_MOVABLE;
	pga_gfp_zone_table[PGA___GFP_MOVABLE | PGA___GFP_DMA32] = (int8_t)dma32;
}

/* Replace the current task's PGA_TASK_* bits.  Context: task. */
void pga_set_task_flags(unsigned int flags)
{
	if (pga_g.hooks.set_task_flags)
		pga_g.hooks.set_task_flags(pga_g.hooks.ctx, flags);
	else
		__atomic_store_n(&pga_g.fallback_task_flags, flags,
				 __ATOMIC_RELAXED);
}

/* @gfp after the allowed mask and the task's scopes.  Context: any. */
pga_gfp_t pga_current_gfp(pga_gfp_t gfp)
{
	return pga_current_gfp_context(gfp & pga_g.gfp_allowed_mask);
}

static unsigned int scope_save(unsigned int bit)
{
	unsigned int t = pga_task_flags();

	pga_set_task_flags(t | bit);
	return t & bit;
}

static void scope_restore(unsigned int bit, unsigned int saved)
{
	pga_set_task_flags((pga_task_flags() & ~bit) | (saved & bit));
}

/*
 * Scope save/restore (Linux memalloc_*_save/restore): save sets the bit
 * and returns its previous state, restore puts that state back, so scopes
 * nest.  Context: task.
 */
unsigned int pga_memalloc_noio_save(void)
{
	return scope_save(PGA_TASK_NOIO);
}
void pga_memalloc_noio_restore(unsigned int saved)
{
	scope_restore(PGA_TASK_NOIO, saved);
}
unsigned int pga_memalloc_nofs_save(void)
{
	return scope_save(PGA_TASK_NOFS);
}
void pga_memalloc_nofs_restore(unsigned int saved)
{
	scope_restore(PGA_TASK_NOFS, saved);
}
unsigned int pga_memalloc_pin_save(void)
{
	return scope_save(PGA_TASK_PIN);
}
void pga_memalloc_pin_restore(unsigned int saved)
{
	scope_restore(PGA_TASK_PIN, saved);
}
unsigned int pga_memalloc_noreclaim_save(void)
{
	return scope_save(PGA_TASK_MEMALLOC);
}
void pga_memalloc_noreclaim_restore(unsigned int saved)
{
	scope_restore(PGA_TASK_MEMALLOC, saved);
}

/* Add ALLOC_CMA for movable requests (Linux gfp_to_alloc_flags_cma). */
unsigned int pga_gfp_to_alloc_flags_cma(pga_gfp_t gfp, unsigned int flags)
{
	return flags | pga_alloc_flags_cma(pga_gfp_migratetype(gfp));
}

/*
 * The slow path's alloc_flags (Linux 6.6 gfp_to_alloc_flags): the MIN
 * watermark, cpuset, __GFP_HIGH and kswapd bits; callers that cannot
 * block get NON_BLOCK (and HIGHATOMIC above order 0) unless NOMEMALLOC,
 * and high-priority atomic requests ignore cpusets; blocking realtime
 * tasks get MIN_RESERVE.  Context: any.
 */
unsigned int pga_gfp_to_alloc_flags(pga_gfp_t gfp, unsigned int order)
{
	unsigned int f = PGA_ALLOC_WMARK_MIN | PGA_ALLOC_CPUSET;

	f |= gfp & (PGA___GFP_HIGH | PGA___GFP_KSWAPD_RECLAIM);
	if (!(gfp & PGA___GFP_DIRECT_RECLAIM)) {
		if (!(gfp & PGA___GFP_NOMEMALLOC)) {
			f |= PGA_ALLOC_NON_BLOCK;
			if (order > 0)
				f |= PGA_ALLOC_HIGHATOMIC;
		}
		if (f & PGA_ALLOC_MIN_RESERVE)
			f &= ~PGA_ALLOC_CPUSET;
	} else {
		unsigned int t = pga_task_flags();

		if ((t & PGA_TASK_RT) && !(t & PGA_TASK_IN_IRQ))
			f |= PGA_ALLOC_MIN_RESERVE;
	}
	return pga_gfp_to_alloc_flags_cma(gfp, f);
}

/*
 * Reserve rights that replace alloc_flags in the retry loop (Linux
 * __gfp_pfmemalloc_flags): 0, ALLOC_NO_WATERMARKS or ALLOC_OOM.
 * Context: any.
 */
unsigned int pga_gfp_pfmemalloc_flags(pga_gfp_t gfp)
{
	unsigned int t;

	if (gfp & PGA___GFP_NOMEMALLOC)
		return 0;
	if (gfp & PGA___GFP_MEMALLOC)
		return PGA_ALLOC_NO_WATERMARKS;
	t = pga_task_flags();
	if (t & PGA_TASK_SOFTIRQ_MEMALLOC)
		return PGA_ALLOC_NO_WATERMARKS;
	if (!(t & PGA_TASK_IN_IRQ)) {
		if (t & PGA_TASK_MEMALLOC)
			return PGA_ALLOC_NO_WATERMARKS;
		if (t & PGA_TASK_OOM_VICTIM)
			return PGA_ALLOC_OOM;
	}
	return 0;
}
