/* SPDX-License-Identifier: MIT */
/*
 * The fragmentation map: an SVG of a zone with one cell per pageblock,
 * coloured by migratetype and shaded by how much of the block is free.
 */
#include "internal.h"

#define COLS 64
#define CELL 10
#define TOP 24

static const char *const mt_colour[PGA_MIGRATE_TYPES] = {
	"#d62728", /* Unmovable: red */
	"#2ca02c", /* Movable: green */
	"#1f77b4", /* Reclaimable: blue */
	"#ff7f0e", /* HighAtomic: orange */
	"#9467bd", /* CMA: purple */
	"#7f7f7f", /* Isolate: grey */
};

/* Free buddy pages in the pageblock starting at @start.  Zone lock held. */
static unsigned long pageblock_free_locked(const struct pga_zone *z,
					   pga_pfn_t start)
{
	pga_pfn_t end = start + PGA_PAGEBLOCK_NR_PAGES;
	unsigned long free = 0;

	/* Inside a larger free block that starts further down? */
	for (unsigned int o = PGA_MAX_ORDER; o > PGA_PAGEBLOCK_ORDER; o--) {
		const struct pga_page *h =
			pfn_to_page_or_null(PGA_ALIGN_DOWN(start, 1UL << o));

		if (h && page_flag(h, PGA_PG_buddy) && h->private >= o &&
		    page_zone(h) == z)
			return PGA_PAGEBLOCK_NR_PAGES;
	}
	for (pga_pfn_t pfn = start; pfn < end;) {
		const struct pga_page *p = pfn_to_page_or_null(pfn);

		if (p && page_flag(p, PGA_PG_buddy) && page_zone(p) == z) {
			free += 1UL << p->private;
			pfn += 1UL << p->private;
		} else {
			pfn++;
		}
	}
	return PGA_MIN(free, PGA_PAGEBLOCK_NR_PAGES);
}

static void cell(pga_emit_fn emit, void *ctx, struct pga_zone *z,
		 pga_pfn_t start, unsigned long i)
{
	unsigned long flags = zone_lock(z);
	unsigned long free = pageblock_free_locked(z, start);
	int mt = get_pageblock_migratetype(start);
	unsigned long opacity = 1000 - 850 * free / PGA_PAGEBLOCK_NR_PAGES;

	zone_unlock(z, flags);
	pga_emitf(emit, ctx,
		  "<rect x=\"%lu\" y=\"%lu\" width=\"%d\" height=\"%d\" "
		  "fill=\"%s\" fill-opacity=\"%lu.%03lu\"><title>pfn %#llx: %s, "
		  "%lu of %lu pages free</title></rect>\n",
		  4 + (i % COLS) * CELL, TOP + (i / COLS) * CELL, CELL - 1,
		  CELL - 1, mt_colour[mt], opacity / 1000, opacity % 1000,
		  (unsigned long long)start, pga_migratetype_names[mt], free,
		  PGA_PAGEBLOCK_NR_PAGES);
}

static void legend(pga_emit_fn emit, void *ctx, unsigned long y)
{
	for (int mt = 0; mt < PGA_MIGRATE_TYPES; mt++) {
		unsigned long x = 4 + (unsigned long)mt * 105;

		pga_emitf(emit, ctx,
			  "<rect x=\"%lu\" y=\"%lu\" width=\"%d\" height=\"%d\" "
			  "fill=\"%s\"/><text x=\"%lu\" y=\"%lu\">%s</text>\n",
			  x, y, CELL - 1, CELL - 1, mt_colour[mt], x + CELL + 2,
			  y + CELL - 1, pga_migratetype_names[mt]);
	}
	pga_emitf(emit, ctx, "<text x=\"4\" y=\"%lu\">solid = allocated, "
		  "pale = free</text>\n", y + 2 * CELL + 4);
}

int pga_write_fragmap_svg(int nid, enum pga_zone_type zt, pga_emit_fn emit,
			  void *ctx)
{
	struct pga_zone *z;
	pga_pfn_t first, pfn;
	unsigned long n, rows, i = 0;

	if (nid < 0 || nid >= pga_g.nr_nodes ||
	    (unsigned int)zt >= PGA_MAX_NR_ZONES)
		return -PGA_EINVAL;
	z = &pga_g.nodes[nid].node_zones[zt];
	if (!zone_populated(z))
		return -PGA_EINVAL;
	first = PGA_ALIGN_DOWN(z->zone_start_pfn, PGA_PAGEBLOCK_NR_PAGES);
	n = (unsigned long)((zone_end_pfn(z) - first + PGA_PAGEBLOCK_NR_PAGES - 1) >>
			    PGA_PAGEBLOCK_ORDER);
	rows = (n + COLS - 1) / COLS;
	pga_emitf(emit, ctx,
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		  "height=\"%lu\" font-family=\"monospace\" font-size=\"11\">\n"
		  "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		  "<text x=\"4\" y=\"15\">Node %d, zone %s: %lu pageblocks of "
		  "%lu pages</text>\n",
		  8 + COLS * CELL, TOP + rows * CELL + 3 * CELL + 16, nid,
		  pga_zone_names[zt], n, PGA_PAGEBLOCK_NR_PAGES);
	for (pfn = first; pfn < zone_end_pfn(z); pfn += PGA_PAGEBLOCK_NR_PAGES, i++)
		if (pfn_to_page_or_null(pfn))
			cell(emit, ctx, z, pfn, i);
	legend(emit, ctx, TOP + rows * CELL + 6);
	emit(ctx, "</svg>\n", 7);
	return 0;
}
