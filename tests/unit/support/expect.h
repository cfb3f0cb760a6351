/* SPDX-License-Identifier: MIT */
/* Independent reference computations the tests compare pga against. */
#ifndef PGA_TEST_EXPECT_H
#define PGA_TEST_EXPECT_H

#include "fixture.h"

/*
 * Add to @nr_free the blocks a buddy allocator holds for the free pfn range
 * [@s, @e) after boot seeding: the largest naturally aligned blocks.
 */
void ex_seed_blocks(pga_pfn_t s, pga_pfn_t e, unsigned long nr_free[PGA_NR_ORDERS]);

/* Pages pga carves for the memmap of a section window of @pages pfns. */
unsigned long ex_memmap_pages(unsigned long pages);
/* Pages pga carves for per-CPU structures of @zones zones and @cpus CPUs. */
unsigned long ex_pcp_pages(unsigned int zones, unsigned int cpus);

#endif
