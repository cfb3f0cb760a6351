/* SPDX-License-Identifier: MIT */
/*
 * The contiguous-buffer scene of the demo: on the machine left full of
 * process and page-cache memory by the pressure run, a driver asks for an
 * 8 MiB physically contiguous buffer - twice the largest buddy block - and
 * pga_alloc_contig_pages() isolates a range, migrates the in-use pages
 * out of it through the machine's migrate hook and hands it over.  The
 * teardown later checks every migrated page's contents.
 */
#include <stdio.h>
#include <time.h>

#include "machine.h"

#define CONTIG_PAGES 2048UL /* 8 MiB */
#define CONTIG_BUFFERS 3
/* Node 0's DMA32 zone in the demo's memory map: 16 MiB to 768 MiB. */
#define SCAN_START ((pga_pfn_t)(16 << 20) >> PGA_PAGE_SHIFT)
#define SCAN_END ((pga_pfn_t)(768 << 20) >> PGA_PAGE_SHIFT)

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Every page held once, and the pfns really consecutive. */
static int check_range(struct pga_page *first)
{
	pga_pfn_t pfn = pga_page_to_pfn(first);

	for (unsigned long i = 0; i < CONTIG_PAGES; i++) {
		struct pga_page *pg = pga_pfn_to_page(pfn + i);

		if (pg != first + i || pga_page_count(pg) != 1) {
			fprintf(stderr, "demo: contiguous page %lu is wrong\n",
				i);
			return -1;
		}
	}
	return 0;
}

/* One buffer: allocate it, report what it cost, check it. */
static struct pga_page *one_buffer(FILE *out, int n)
{
	unsigned long moved = pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS);
	unsigned long failed = pga_vm_event_sum(PGA_PGMIGRATE_FAIL);
	struct timespec t0;
	struct pga_page *pg;
	pga_pfn_t pfn;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pg = pga_alloc_contig_pages(CONTIG_PAGES, PGA_GFP_KERNEL, 0, NULL);
	if (!pg) {
		fprintf(out, "  buffer %d: FAILED after %.1f ms\n", n,
			ms_since(&t0));
		return NULL;
	}
	pfn = pga_page_to_pfn(pg);
	fprintf(out, "  buffer %d: pfns %#llx-%#llx (node %d) in %.1f ms, "
		"%lu in-use pages migrated away, %lu refused\n", n,
		(unsigned long long)pfn,
		(unsigned long long)(pfn + CONTIG_PAGES - 1),
		pga_page_to_nid(pg), ms_since(&t0),
		pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS) - moved,
		pga_vm_event_sum(PGA_PGMIGRATE_FAIL) - failed);
	if (check_range(pg)) {
		pga_free_contig_range(pfn, CONTIG_PAGES);
		return NULL;
	}
	return pg;
}

/* In-use pages of [@pfn, @pfn + CONTIG_PAGES); -1 if one is unmovable. */
static long busy_pages(pga_pfn_t pfn)
{
	long n = 0;

	for (unsigned long i = 0; i < CONTIG_PAGES; i++) {
		struct pga_page *pg = pga_pfn_to_page(pfn + i);

		if (!pg)
			return -1;
		if (pga_page_count(pg) > 0 && !pga_page_is_movable(pg))
			return -1;
		n += pga_page_count(pg) > 0;
	}
	return n;
}

/* The 8 MiB-aligned range of node 0's DMA32 zone with most pages in use. */
static pga_pfn_t busiest_range(long *busy)
{
	pga_pfn_t best = 0;

	*busy = -1;
	for (pga_pfn_t pfn = SCAN_START; pfn < SCAN_END; pfn += CONTIG_PAGES) {
		long n = busy_pages(pfn);

		if (n > *busy) {
			*busy = n;
			best = pfn;
		}
	}
	return best;
}

/*
 * The hard case: exactly the busiest range, every in-use page in it
 * migrated away (pga_alloc_contig_range).  Return: 0 or -1.
 */
static int busiest_buffer(FILE *out)
{
	unsigned long moved = pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS);
	struct timespec t0;
	long busy;
	pga_pfn_t pfn = busiest_range(&busy);
	int err;

	if (busy < 0) {
		fprintf(out, "  no range without unmovable pages\n");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = pga_alloc_contig_range(pfn, pfn + CONTIG_PAGES,
				     PGA_MIGRATE_MOVABLE, PGA_GFP_KERNEL);
	fprintf(out, "  the busiest 8 MiB of node 0, pfns %#llx-%#llx with "
		"%ld pages in use: %s in %.1f ms,\n    %lu pages migrated "
		"away\n", (unsigned long long)pfn,
		(unsigned long long)(pfn + CONTIG_PAGES - 1), busy,
		err ? "FAILED" : "allocated", ms_since(&t0),
		pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS) - moved);
	if (err || check_range(pga_pfn_to_page(pfn)))
		return -1;
	pga_free_contig_range(pfn, CONTIG_PAGES);
	return 0;
}

/*
 * Allocate CONTIG_BUFFERS buffers on node 0 and hold them all, free them,
 * then take the busiest range.  Return: 0, or -1 if one failed or a range
 * was wrong.
 */
int contig_scene(FILE *out)
{
	struct pga_page *buf[CONTIG_BUFFERS];
	struct pga_page_accounting a;
	int got = 0;

	pga_page_accounting(&a);
	fprintf(out, "\n=== a driver wants %d buffers of 8 MiB, physically "
		"contiguous, on the busy machine\n    (%lu of %lu pages in "
		"use; the largest buddy block is %lu KiB): "
		"pga_alloc_contig_pages()\n", CONTIG_BUFFERS, a.allocated,
		a.managed, (PGA_PAGE_SIZE << PGA_MAX_ORDER) >> 10);
	while (got < CONTIG_BUFFERS && (buf[got] = one_buffer(out, got + 1)))
		got++;
	for (int i = 0; i < got; i++)
		pga_free_contig_range(pga_page_to_pfn(buf[i]), CONTIG_PAGES);
	if (got < CONTIG_BUFFERS || busiest_buffer(out))
		return -1;
	fprintf(out, "  every page held once and physically consecutive; "
		"freed with pga_free_contig_range()\n");
	return 0;
}
