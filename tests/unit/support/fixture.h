/* SPDX-License-Identifier: MIT */
/*
 * Test fixture: a fake machine in host memory, a log hook that records
 * messages, and assertions over the allocator's invariants.
 */
#ifndef PGA_TEST_FIXTURE_H
#define PGA_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pga.h>
#include <pga_host.h>

#define MiB(x) ((pga_paddr_t)(x) << 20)
#define GiB(x) ((pga_paddr_t)(x) << 30)
#define PFN(pa) ((pga_pfn_t)((pa) >> PGA_PAGE_SHIFT))

/* Defaults for tests: Linux defaults, but every GFP bit allowed. */
void fx_params(struct pga_params *p);

/* The hooks the fixture installs (log capture); tests may extend a copy. */
struct pga_hooks fx_hooks(void);

/*
 * Reserve host address space for physical [0, @phys_end), fill in
 * p->direct_map_offset and call pga_init().  Return: pga_init()'s result.
 */
int fx_init(struct pga_params *p, const struct pga_mem_range *ram,
	    size_t nr_ram, const struct pga_mem_range *res, size_t nr_res,
	    const struct pga_hooks *hooks);
/* One node, one RAM range [@base, @base + @size), defaults otherwise. */
void fx_init_simple(pga_paddr_t base, pga_paddr_t size);
/* Release the fake machine. */
void fx_teardown(void);

/* Log capture. */
void fx_log_clear(void);
int fx_log_count(void);
bool fx_log_contains(const char *needle);
const char *fx_log_last(void);

/* Assert pga_check() passes and pages add up. */
void fx_assert_consistent(void);
/* Total free pages (buddy lists) and allocated pages. */
unsigned long fx_free_pages(void);
unsigned long fx_allocated_pages(void);

/* Free blocks per order of zone @zt on node @nid. */
void fx_nr_free(int nid, int zt, unsigned long out[PGA_NR_ORDERS]);

/* CMocka group set-up helpers. */
int fx_group_teardown(void **state);

#endif
