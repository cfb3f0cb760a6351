/* SPDX-License-Identifier: MIT */
/*
 * GFP ("get free pages") flags: how an allocation may be satisfied.
 *
 * The bit values are those of Linux 6.6 (include/linux/gfp_types.h), so a
 * GFP value means the same thing in pga and in Linux.  The flags come in
 * groups: zone modifiers, mobility, watermark modifiers, reclaim modifiers
 * and action modifiers; the useful combinations are at the end.
 * Bits that only exist with KASAN or lockdep in Linux are 0 here.
 */
#ifndef PGA_GFP_H
#define PGA_GFP_H

#include "types.h"

/* Raw bit numbers (Linux ___GFP_*). */
#define PGA___GFP_DMA 0x01u
#define PGA___GFP_HIGHMEM 0x02u
#define PGA___GFP_DMA32 0x04u
#define PGA___GFP_MOVABLE 0x08u
#define PGA___GFP_RECLAIMABLE 0x10u
#define PGA___GFP_HIGH 0x20u
#define PGA___GFP_IO 0x40u
#define PGA___GFP_FS 0x80u
#define PGA___GFP_ZERO 0x100u
/* 0x200 is unused in 6.6 (was ___GFP_ATOMIC up to 6.2). */
#define PGA___GFP_DIRECT_RECLAIM 0x400u
#define PGA___GFP_KSWAPD_RECLAIM 0x800u
#define PGA___GFP_WRITE 0x1000u
#define PGA___GFP_NOWARN 0x2000u
#define PGA___GFP_RETRY_MAYFAIL 0x4000u
#define PGA___GFP_NOFAIL 0x8000u
#define PGA___GFP_NORETRY 0x10000u
#define PGA___GFP_MEMALLOC 0x20000u
#define PGA___GFP_COMP 0x40000u
#define PGA___GFP_NOMEMALLOC 0x80000u
#define PGA___GFP_HARDWALL 0x100000u
#define PGA___GFP_THISNODE 0x200000u
#define PGA___GFP_ACCOUNT 0x400000u
#define PGA___GFP_ZEROTAGS 0x800000u

/*
 * Zone modifiers.  The lowest four bits pick the highest zone the
 * allocation may use (see the zone table in src/gfp.c).  At most one of
 * DMA, DMA32 and HIGHMEM may be set; MOVABLE alone keeps ZONE_NORMAL and
 * only MOVABLE|HIGHMEM reaches ZONE_MOVABLE.  64-bit machines have no
 * highmem, so __GFP_HIGHMEM behaves like "normal" except for that pairing.
 */
#define PGA_GFP_DMA PGA___GFP_DMA
#define PGA_GFP_HIGHMEM PGA___GFP_HIGHMEM
#define PGA_GFP_DMA32 PGA___GFP_DMA32
#define PGA_GFP_MOVABLE PGA___GFP_MOVABLE
#define PGA_GFP_ZONEMASK \
	(PGA_GFP_DMA | PGA_GFP_HIGHMEM | PGA_GFP_DMA32 | PGA_GFP_MOVABLE)

/*
 * Page mobility and placement hints.  RECLAIMABLE: slab-like memory a
 * shrinker can free.  MOVABLE (also a zone modifier): the embedder can
 * migrate the page.  WRITE: the page will be dirtied (spread over nodes by
 * the dirty-limit hook).  HARDWALL: enforce the cpuset strictly.
 * THISNODE: the requested node only, no fallback.  ACCOUNT: charge to the
 * caller's memory group (embedder hook).
 */
#define PGA_GFP_RECLAIMABLE PGA___GFP_RECLAIMABLE
#define PGA_GFP_WRITE PGA___GFP_WRITE
#define PGA_GFP_HARDWALL PGA___GFP_HARDWALL
#define PGA_GFP_THISNODE PGA___GFP_THISNODE
#define PGA_GFP_ACCOUNT PGA___GFP_ACCOUNT

/*
 * Watermark modifiers: access to the emergency reserves.  HIGH: high
 * priority, may use half of the min reserve.  MEMALLOC: ignore watermarks
 * (only for callers that free memory).  NOMEMALLOC: never use the
 * reserves; beats MEMALLOC.
 */
#define PGA_GFP_HIGH PGA___GFP_HIGH
#define PGA_GFP_MEMALLOC PGA___GFP_MEMALLOC
#define PGA_GFP_NOMEMALLOC PGA___GFP_NOMEMALLOC

/*
 * Reclaim modifiers.  IO: may start physical IO (also needed for
 * compaction).  FS: may call into file systems.  DIRECT_RECLAIM: the
 * caller may sleep and reclaim.  KSWAPD_RECLAIM: wake kswapd at the low
 * watermark.  NORETRY: one light attempt, no OOM.  RETRY_MAYFAIL: try hard
 * but fail rather than OOM-kill.  NOFAIL: never return NULL.
 */
#define PGA_GFP_IO PGA___GFP_IO
#define PGA_GFP_FS PGA___GFP_FS
#define PGA_GFP_DIRECT_RECLAIM PGA___GFP_DIRECT_RECLAIM
#define PGA_GFP_KSWAPD_RECLAIM PGA___GFP_KSWAPD_RECLAIM
#define PGA_GFP_RECLAIM (PGA___GFP_DIRECT_RECLAIM | PGA___GFP_KSWAPD_RECLAIM)
#define PGA_GFP_RETRY_MAYFAIL PGA___GFP_RETRY_MAYFAIL
#define PGA_GFP_NOFAIL PGA___GFP_NOFAIL
#define PGA_GFP_NORETRY PGA___GFP_NORETRY

/*
 * Action modifiers.  NOWARN: no failure report.  COMP: build a compound
 * page.  ZERO: return zeroed memory.  ZEROTAGS: accepted, no effect
 * (memory tagging is not supported).
 */
#define PGA_GFP_NOWARN PGA___GFP_NOWARN
#define PGA_GFP_COMP PGA___GFP_COMP
#define PGA_GFP_ZERO PGA___GFP_ZERO
#define PGA_GFP_ZEROTAGS PGA___GFP_ZEROTAGS
/* KASAN / lockdep only in Linux: always 0 here. */
#define PGA_GFP_SKIP_ZERO 0u
#define PGA_GFP_SKIP_KASAN 0u
#define PGA_GFP_NOLOCKDEP 0u

#define PGA_GFP_BITS_SHIFT 26
#define PGA_GFP_BITS_MASK ((pga_gfp_t)((1u << PGA_GFP_BITS_SHIFT) - 1))

/* Useful combinations (Linux values in the comments). */
#define PGA_GFP_ATOMIC (PGA_GFP_HIGH | PGA_GFP_KSWAPD_RECLAIM)	/* 0x820 */
#define PGA_GFP_KERNEL (PGA_GFP_RECLAIM | PGA_GFP_IO | PGA_GFP_FS) /* 0xcc0 */
#define PGA_GFP_KERNEL_ACCOUNT (PGA_GFP_KERNEL | PGA_GFP_ACCOUNT)
#define PGA_GFP_NOWAIT (PGA_GFP_KSWAPD_RECLAIM)		/* 0x800 */
#define PGA_GFP_NOIO (PGA_GFP_RECLAIM)			/* 0xc00 */
#define PGA_GFP_NOFS (PGA_GFP_RECLAIM | PGA_GFP_IO)		/* 0xc40 */
#define PGA_GFP_USER \
	(PGA_GFP_RECLAIM | PGA_GFP_IO | PGA_GFP_FS | PGA_GFP_HARDWALL)
#define PGA_GFP_HIGHUSER (PGA_GFP_USER | PGA_GFP_HIGHMEM) /* 0x100cc2 */
#define PGA_GFP_HIGHUSER_MOVABLE \
	(PGA_GFP_HIGHUSER | PGA_GFP_MOVABLE | PGA_GFP_SKIP_KASAN)
#define PGA_GFP_TRANSHUGE_LIGHT                                         \
	((PGA_GFP_HIGHUSER_MOVABLE | PGA_GFP_COMP | PGA_GFP_NOMEMALLOC | \
	  PGA_GFP_NOWARN) &                                              \
	 ~PGA_GFP_RECLAIM)
#define PGA_GFP_TRANSHUGE (PGA_GFP_TRANSHUGE_LIGHT | PGA_GFP_DIRECT_RECLAIM)

/* Masks used by the allocator itself (Linux mm/internal.h). */
#define PGA_GFP_RECLAIM_MASK                                               \
	(PGA_GFP_RECLAIM | PGA_GFP_HIGH | PGA_GFP_IO | PGA_GFP_FS |        \
	 PGA_GFP_NOWARN | PGA_GFP_RETRY_MAYFAIL | PGA_GFP_NOFAIL |         \
	 PGA_GFP_NORETRY | PGA_GFP_MEMALLOC | PGA_GFP_NOMEMALLOC |         \
	 PGA_GFP_NOLOCKDEP)
/* What is allowed before the scheduler runs: no reclaim, IO or FS. */
#define PGA_GFP_BOOT_MASK \
	(PGA_GFP_BITS_MASK & ~(PGA_GFP_RECLAIM | PGA_GFP_IO | PGA_GFP_FS))
#define PGA_GFP_CONSTRAINT_MASK (PGA_GFP_HARDWALL | PGA_GFP_THISNODE)

/* The zone-modifier combinations that make no sense (Linux GFP_ZONE_BAD). */
#define PGA_GFP_ZONE_BAD 0xE8E8u

/* True if the caller may sleep, reclaim and compact. */
static inline bool pga_gfpflags_allow_blocking(pga_gfp_t gfp)
{
	return (gfp & PGA_GFP_DIRECT_RECLAIM) != 0;
}

/* True if the caller may do both IO and file-system calls. */
static inline bool pga_gfp_has_io_fs(pga_gfp_t gfp)
{
	return (gfp & (PGA_GFP_IO | PGA_GFP_FS)) == (PGA_GFP_IO | PGA_GFP_FS);
}

/* True if compaction may run for @gfp (it needs __GFP_IO). */
static inline bool pga_gfp_compaction_allowed(pga_gfp_t gfp)
{
	return (gfp & PGA_GFP_IO) != 0;
}

/*
 * Scoped allocation constraints (Linux memalloc_*_save/restore): inside a
 * NOIO scope every allocation of the current task loses __GFP_IO and
 * __GFP_FS, inside a NOFS scope __GFP_FS, inside a PIN scope
 * __GFP_MOVABLE.  save() returns the previous state to hand to restore(),
 * so scopes nest.  The state lives in the task through the task_flags /
 * set_task_flags hooks (a single global word without them).
 * Context: task.
 */
unsigned int pga_memalloc_noio_save(void);
void pga_memalloc_noio_restore(unsigned int saved);
unsigned int pga_memalloc_nofs_save(void);
void pga_memalloc_nofs_restore(unsigned int saved);
unsigned int pga_memalloc_pin_save(void);
void pga_memalloc_pin_restore(unsigned int saved);
/* PF_MEMALLOC scope: the task is freeing memory and may use reserves. */
unsigned int pga_memalloc_noreclaim_save(void);
void pga_memalloc_noreclaim_restore(unsigned int saved);

/* @gfp after the allowed mask and the current task's scopes. */
pga_gfp_t pga_current_gfp(pga_gfp_t gfp);

#endif /* PGA_GFP_H */
