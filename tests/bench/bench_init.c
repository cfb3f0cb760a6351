/* SPDX-License-Identifier: MIT */
/*
 * Init cost and metadata (make bench): pga_init over 1, 4 and 16 GiB of
 * simulated RAM, per page, and the memory the allocator's own metadata
 * takes.  The RAM is an address-space reservation (MAP_NORESERVE); after
 * each boot mincore() counts the host pages that became resident, which
 * shows that only the memmap and metadata were touched, never the free
 * pages themselves.
 *
 * Two timings per size: "cold" is the first pga_init on a fresh
 * reservation, so it includes the host kernel faulting in (and zeroing)
 * every memmap page; the headline init_ns_per_page boots again on the
 * same reservation, where the memmap is already backed, as physical RAM
 * on a real machine is.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define INIT_RAM_BASE GiB(4)

static void boot(struct pga_host_ram *r, pga_paddr_t size)
{
	struct pga_params p;
	struct pga_mem_range range = {INIT_RAM_BASE, size, 0};

	pga_params_init(&p);
	p.gfp_allowed_mask = PGA_GFP_BITS_MASK;
	p.nr_cpus = 2;
	p.direct_map_offset = r->offset;
	if (pga_init(&p, &range, 1, NULL, 0, NULL)) {
		fprintf(stderr, "pga_init of %llu GiB failed\n",
			(unsigned long long)(size >> 30));
		exit(1);
	}
}

/* ns per page of one pga_init over @size bytes of the arena @r. */
static double boot_ns_per_page(struct pga_host_ram *r, pga_paddr_t size)
{
	double t0 = now_ns();

	boot(r, size);
	return (now_ns() - t0) / (double)(size >> PGA_PAGE_SHIFT);
}

/* Host pages of @r that are resident (have been touched). */
static unsigned long resident_pages(const struct pga_host_ram *r)
{
	long hp = sysconf(_SC_PAGESIZE);
	size_t n = (size_t)((r->size + (pga_paddr_t)hp - 1) / (pga_paddr_t)hp);
	unsigned char *vec = malloc(n);
	unsigned long res = 0;

	if (!vec || mincore(r->virt, r->size, vec)) {
		perror("mincore");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		res += vec[i] & 1;
	free(vec);
	return res * (unsigned long)hp;
}

/* Bytes pga took for itself out of the RAM it was given. */
static double metadata_bytes(void)
{
	unsigned long lost = pga_g.nodes[0].node_present_pages -
			     pga_g.totalram_pages;

	return (double)lost * PGA_PAGE_SIZE;
}

struct init_keys {
	unsigned int gib;
	const char *warm, *cold, *touched;
};

static const struct init_keys sizes[] = {
	{1, "init_ns_per_page_1g", "init_cold_ns_per_page_1g",
	 "init_free_touched_1g"},
	{4, "init_ns_per_page_4g", "init_cold_ns_per_page_4g",
	 "init_free_touched_4g"},
	{16, "init_ns_per_page_16g", "init_cold_ns_per_page_16g",
	 "init_free_touched_16g"},
};

/* Boot @k's size: cold once, then the median of warm boots. */
static void init_one(const struct init_keys *k)
{
	pga_paddr_t size = GiB(k->gib);
	struct pga_host_ram r = {0};
	double v[64], cold;

	if (pga_host_ram_create(&r, INIT_RAM_BASE, size)) {
		fprintf(stderr, "cannot reserve %u GiB\n", k->gib);
		exit(1);
	}
	cold = boot_ns_per_page(&r, size);
	record(k->touched, (double)resident_pages(&r) - metadata_bytes(),
	       "bytes pga_init touched beyond its metadata (mincore)");
	record(k->cold, cold, "first pga_init, incl. host faults on memmap");
	for (int i = 0; i < reps; i++)
		v[i] = boot_ns_per_page(&r, size);
	record(k->warm, median(v, reps), "pga_init per 4 KiB page");
	if (k->gib == 1)
		record("metadata_bytes_per_gib", metadata_bytes(),
		       "RAM pga carves for itself (memmap, pageblocks, pcp)");
	pga_host_ram_destroy(&r);
}

/*
 * Item 4 of the benchmark plan: init time per page for 1, 4 and 16 GiB
 * (1 GiB only with --quick), struct page size and metadata per GiB.
 * Leaves pga uninitialised over a freed arena: call machine() before
 * allocating again.  Context: benchmark main thread.
 */
void bench_init(void)
{
	size_t n = bench_quick ? 1 : sizeof(sizes) / sizeof(sizes[0]);

	record("struct_page_bytes", (double)sizeof(struct pga_page),
	       "sizeof(struct pga_page)");
	for (size_t i = 0; i < n; i++)
		init_one(&sizes[i]);
	record("init_ms_per_gib", recorded("init_ns_per_page_1g") *
					  (double)(GiB(1) >> PGA_PAGE_SHIFT) /
					  1e6,
	       "pga_init of 1 GiB, ms (target <= 2)");
}
