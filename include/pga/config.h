/* SPDX-License-Identifier: MIT */
/*
 * pga compile-time configuration.
 *
 * Every knob has an #ifndef default, so an embedder overrides it with -D on
 * the command line (or a header included before pga.h).  The checks at the
 * bottom reject combinations the allocator cannot work with.  Run-time
 * tunables live in struct pga_params (init.h); policy lives in the hooks.
 */
#ifndef PGA_CONFIG_H
#define PGA_CONFIG_H

/* Largest buddy order, inclusive (Linux 6.4+ MAX_ORDER / MAX_PAGE_ORDER). */
#ifndef PGA_CONFIG_MAX_ORDER
#define PGA_CONFIG_MAX_ORDER 10
#endif

/* Order of a pageblock, the unit of mobility grouping (x86-64: 9 = 2 MiB). */
#ifndef PGA_CONFIG_PAGEBLOCK_ORDER
#define PGA_CONFIG_PAGEBLOCK_ORDER 9
#endif

/* Most NUMA nodes pga_init() accepts. */
#ifndef PGA_CONFIG_MAX_NODES
#define PGA_CONFIG_MAX_NODES 8
#endif

/* Most CPUs; struct pga_params.nr_cpus may be smaller. */
#ifndef PGA_CONFIG_MAX_CPUS
#define PGA_CONFIG_MAX_CPUS 64
#endif

/* Most RAM and reserved ranges pga_init() accepts in one call. */
#ifndef PGA_CONFIG_MAX_RANGES
#define PGA_CONFIG_MAX_RANGES 128
#endif

/*
 * Sparse memmap: physical memory is cut into sections of
 * 2^PGA_CONFIG_SECTION_SHIFT bytes.  Only sections that hold RAM get a
 * memmap, so a hole costs one pointer per section and nothing per page.
 * PGA_CONFIG_MAX_PHYS_BITS bounds the physical address space (and the static
 * section table: 2^(MAX_PHYS_BITS - SECTION_SHIFT) pointers).
 */
#ifndef PGA_CONFIG_SECTION_SHIFT
#define PGA_CONFIG_SECTION_SHIFT 27
#endif
#ifndef PGA_CONFIG_MAX_PHYS_BITS
#define PGA_CONFIG_MAX_PHYS_BITS 40
#endif

/* Debug checks: bad-page checks, lock assertions, PGA_ASSERT. 0 or 1. */
#ifndef PGA_CONFIG_DEBUG
#define PGA_CONFIG_DEBUG 1
#endif

/* CMA areas and ALLOC_CMA (issue: runtime memory). 0 or 1. */
#ifndef PGA_CONFIG_CMA
#define PGA_CONFIG_CMA 1
#endif

/* Most CMA areas struct pga_params can declare (Linux MAX_CMA_AREAS). */
#ifndef PGA_CONFIG_MAX_CMA_AREAS
#define PGA_CONFIG_MAX_CMA_AREAS 8
#endif

#define PGA_NR_ORDERS (PGA_CONFIG_MAX_ORDER + 1)
#define PGA_MAX_ORDER PGA_CONFIG_MAX_ORDER
#define PGA_PAGEBLOCK_ORDER PGA_CONFIG_PAGEBLOCK_ORDER
#define PGA_PAGEBLOCK_NR_PAGES (1UL << PGA_PAGEBLOCK_ORDER)
/* Orders above this are "costly" (PAGE_ALLOC_COSTLY_ORDER). */
#define PGA_COSTLY_ORDER 3

_Static_assert(PGA_CONFIG_MAX_ORDER >= 1 && PGA_CONFIG_MAX_ORDER <= 20,
	       "PGA_CONFIG_MAX_ORDER must be 1..20");
_Static_assert(PGA_CONFIG_PAGEBLOCK_ORDER >= 1 &&
		       PGA_CONFIG_PAGEBLOCK_ORDER <= PGA_CONFIG_MAX_ORDER,
	       "pageblock order must be 1..MAX_ORDER");
_Static_assert(PGA_CONFIG_MAX_NODES >= 1 && PGA_CONFIG_MAX_NODES <= 64,
	       "PGA_CONFIG_MAX_NODES must be 1..64");
_Static_assert(PGA_CONFIG_MAX_CPUS >= 1 && PGA_CONFIG_MAX_CPUS <= 1024,
	       "PGA_CONFIG_MAX_CPUS must be 1..1024");
_Static_assert(PGA_CONFIG_MAX_PHYS_BITS > PGA_CONFIG_SECTION_SHIFT &&
		       PGA_CONFIG_MAX_PHYS_BITS <= 52,
	       "PGA_CONFIG_MAX_PHYS_BITS must exceed the section shift, <= 52");
_Static_assert(PGA_CONFIG_DEBUG == 0 || PGA_CONFIG_DEBUG == 1,
	       "PGA_CONFIG_DEBUG is 0 or 1");
_Static_assert(PGA_CONFIG_CMA == 0 || PGA_CONFIG_CMA == 1,
	       "PGA_CONFIG_CMA is 0 or 1");
_Static_assert(PGA_CONFIG_MAX_CMA_AREAS >= 1 && PGA_CONFIG_MAX_CMA_AREAS <= 64,
	       "PGA_CONFIG_MAX_CMA_AREAS must be 1..64");

#endif /* PGA_CONFIG_H */
