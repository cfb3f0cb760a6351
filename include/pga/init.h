/* SPDX-License-Identifier: MIT */
/*
 * Bringing pga up: the memory map, the run-time parameters and pga_init().
 */
#ifndef PGA_INIT_H
#define PGA_INIT_H

#include "config.h"
#include "hooks.h"
#include "mmzone.h"
#include "types.h"

/* A physical range [base, base + size) on node @nid (ignored if reserved). */
struct pga_mem_range {
	pga_paddr_t base;
	pga_paddr_t size;
	int nid;
};

/*
 * Run-time parameters.  Fill with pga_params_init() and change what you
 * need; every field keeps Linux's default and meaning.
 */
struct pga_params {
	/* Direct map: virtual address = physical address + this offset. */
	uintptr_t direct_map_offset;
	/* CPUs that will call pga (ids 0 .. nr_cpus-1).  Default 1. */
	unsigned int nr_cpus;
	/* Node of each CPU; used when the cpu_to_node hook is NULL. */
	uint8_t cpu_to_node[PGA_CONFIG_MAX_CPUS];
	/*
	 * Zone limits (exclusive physical ends).  PGA_ZONE_LIMIT_DEFAULT
	 * takes the arch default (x86_64: 16 MiB / 4 GiB; arm64: none / 4 GiB),
	 * PGA_ZONE_LIMIT_NONE removes the zone.
	 */
	pga_paddr_t dma_limit;
	pga_paddr_t dma32_limit;
	/*
	 * Start of ZONE_MOVABLE (Linux movablecore/kernelcore): on every node,
	 * RAM at or above this address (and above the DMA32 limit) is
	 * ZONE_MOVABLE.  0: no movable zone.
	 */
	pga_paddr_t movable_start;
	/*
	 * Node distances (Linux SLIT).  0 entries take the default:
	 * 10 to itself, 20 to any other node.
	 */
	uint8_t node_distance[PGA_CONFIG_MAX_NODES][PGA_CONFIG_MAX_NODES];
	/* vm.min_free_kbytes; -1 (default) computes it from lowmem size. */
	int min_free_kbytes;
	/* vm.watermark_scale_factor (1..3000), default 10. */
	unsigned int watermark_scale_factor;
	/* vm.watermark_boost_factor, default 15000; 0 disables boosting. */
	unsigned int watermark_boost_factor;
	/* vm.lowmem_reserve_ratio per zone: 256, 256, 32, 0. */
	unsigned int lowmem_reserve_ratio[PGA_MAX_NR_ZONES];
	/* vm.percpu_pagelist_high_fraction: 0 (default) or >= 8. */
	unsigned int percpu_pagelist_high_fraction;
	/*
	 * The GFP bits honoured at first.  Default PGA_GFP_BOOT_MASK, as in
	 * Linux before the scheduler runs (no reclaim, IO or FS); widen it with
	 * pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK) once the kernel can sleep.
	 */
	pga_gfp_t gfp_allowed_mask;
	/* Force page_group_by_mobility_disabled (benchmarks, tiny systems). */
	bool disable_mobility_grouping;
	/* Disable the per-CPU page lists (every free goes to the buddy). */
	bool disable_pcp;
	/*
	 * CMA areas (Linux cma=, reserved-memory "shared-dma-pool"): memory
	 * the buddy lends to movable allocations only, and takes back with
	 * pga_cma_alloc() (memory.h).  Each area must be pageblock aligned
	 * in base and size, lie inside one RAM range and one zone, and hold
	 * no reserved memory; nid is ignored (the RAM's node is used).
	 * Areas are numbered in this order for pga_cma_area().
	 */
	struct pga_mem_range cma[PGA_CONFIG_MAX_CMA_AREAS];
	unsigned int nr_cma;
	/*
	 * Debug features (Linux boot options), effective in builds with
	 * PGA_CONFIG_DEBUG=1 and ignored otherwise:
	 * page_poisoning: fill freed pages with 0xaa and check the pattern on
	 * allocation (reports "pagealloc: memory corruption" or "single bit
	 * error"); takes precedence over init_on_alloc/free.
	 * init_on_alloc / init_on_free: zero pages when handed out / freed.
	 * page_owner: record caller, order, gfp and CPU of every allocation
	 * (costs 16 bytes per page of metadata), dumped by
	 * pga_show_page_owner() to find leaks.
	 * debug_pagealloc: free pages are unmapped from the direct map (and
	 * mapped again when handed out) through hooks.kernel_map_pages, so a
	 * use after free faults at once.
	 */
	bool page_poisoning;
	bool init_on_alloc;
	bool init_on_free;
	bool page_owner;
	bool debug_pagealloc;
};

/* Fill @p with the defaults described above.  Context: any. */
void pga_params_init(struct pga_params *p);

/*
 * Bring the allocator up.
 *
 * @ram lists the usable RAM (any order; ranges may touch but must not
 * overlap each other) with node ids; @reserved lists memory inside or
 * outside RAM that pga must never hand out (kernel image, firmware
 * tables, initrd).  Both must be page aligned.  pga carves its own
 * metadata (memmap, pageblock bits, per-CPU lists) from the RAM, marks it
 * reserved, seeds the buddy with everything else and computes watermarks.
 * @hooks is copied; it may be NULL.
 *
 * Calling pga_init() again discards all previous state (host tests do
 * this); it is not safe while other CPUs use the allocator.
 *
 * Return: 0, -PGA_EINVAL for malformed input (no RAM, a zero-sized,
 * misaligned or overlapping range, a node id past PGA_CONFIG_MAX_NODES, an
 * address past PGA_CONFIG_MAX_PHYS_BITS, nr_cpus out of range, a CMA area
 * breaking the rules above), -PGA_ENOSYS for CMA areas in a build without
 * PGA_CONFIG_CMA, or
 * -PGA_ENOMEM if the metadata does not fit.  The reason goes to the log
 * hook.  Context: boot, single CPU, may not be called concurrently.
 */
int pga_init(const struct pga_params *params, const struct pga_mem_range *ram,
	     size_t nr_ram, const struct pga_mem_range *reserved,
	     size_t nr_reserved, const struct pga_hooks *hooks);

/*
 * Replace the mask of GFP bits the allocator honours (Linux
 * gfp_allowed_mask): widen it once the scheduler runs, narrow it around
 * suspend.  Returns the previous mask.  Context: any.
 */
pga_gfp_t pga_set_gfp_allowed_mask(pga_gfp_t mask);

/*
 * Tunables, as Linux's vm sysctls: each recomputes what depends on it
 * (watermarks, lowmem reserves, per-CPU list limits) at once.
 * Return: 0 or -PGA_EINVAL for a value out of range.  Context: task.
 */
int pga_set_min_free_kbytes(int kbytes);
int pga_get_min_free_kbytes(void);
int pga_set_watermark_scale_factor(unsigned int factor); /* 1..3000 */
int pga_set_watermark_boost_factor(unsigned int factor);
int pga_set_lowmem_reserve_ratio(const unsigned int ratio[PGA_MAX_NR_ZONES]);
int pga_set_percpu_pagelist_high_fraction(unsigned int fraction); /* 0, >=8 */

/*
 * Per-CPU lists: return this CPU's (or every CPU's) cached pages to the
 * buddy (Linux drain_local_pages / drain_all_pages).  One drain-all runs
 * at a time: a call made while another is under way returns at once, as
 * in Linux.  Context: task or atomic.
 */
void pga_drain_local_pages(void);
void pga_drain_all_pages(void);

/*
 * CPU hotplug (Linux page_alloc_cpu_dead / _online).  pga_cpu_offline()
 * is called, from another CPU, once @cpu has stopped calling pga: it
 * returns every page on @cpu's lists to the buddy and re-splits the
 * per-CPU high marks over the CPUs still online.  Until
 * pga_cpu_online(@cpu), calls made on @cpu bypass its lists (every block
 * goes to and comes from the buddy).  All CPUs start online.
 * Return: 0, or -PGA_EINVAL (and a log report) for an unknown CPU.
 * Context: task or atomic.
 */
int pga_cpu_offline(unsigned int cpu);
int pga_cpu_online(unsigned int cpu);

#endif /* PGA_INIT_H */
