/* SPDX-License-Identifier: MIT */
/*
 * Fragmentation measures per zone and order (Linux mm/vmstat.c
 * fill_contig_page_info, __fragmentation_index, unusable_free_index,
 * extfrag_for_order) and their debugfs text (extfrag_index,
 * unusable_index).
 */
#include "internal.h"

struct contig_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_info(const struct pga_zone *z, unsigned int order,
			     struct contig_info *info)
{
	info->free_pages = info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++) {
		unsigned long blocks =
			__atomic_load_n(&z->free_area[o].nr_free, __ATOMIC_RELAXED);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= order)
			info->free_blocks_suitable += blocks << (o - order);
	}
}

/*
 * Linux fragmentation_index of @z for @order, in thousandths: 0 if the zone
 * has no free block, -1000 if a block of @order exists, else toward 1000
 * the more the failure is due to fragmentation rather than lack of memory.
 * Context: any (racy snapshot of the counts).
 */
int pga_zone_fragmentation_index(const struct pga_zone *z, unsigned int order)
{
	struct contig_info info;
	unsigned long requested = 1UL << order;

	if (order > PGA_MAX_ORDER)
		return 0;
	fill_contig_info(z, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info.free_pages * 1000 / requested) /
			    info.free_blocks_total);
}

/*
 * Linux unusable_free_index: thousandths of the free memory that cannot
 * serve an @order request.  Context: any.
 */
int pga_zone_unusable_free_index(const struct pga_zone *z, unsigned int order)
{
	struct contig_info info;

	fill_contig_info(z, order, &info);
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) *
		     1000 / info.free_pages);
}

/* Linux extfrag_for_order: percent of free memory below @order. */
unsigned int pga_zone_extfrag_for_order(const struct pga_zone *z,
					unsigned int order)
{
	struct contig_info info;

	fill_contig_info(z, order, &info);
	if (!info.free_pages)
		return 0;
	return (unsigned int)((info.free_pages -
			       (info.free_blocks_suitable << order)) *
			      100 / info.free_pages);
}

static struct pga_zone *zone_of(int nid, enum pga_zone_type zt)
{
	if (nid < 0 || nid >= pga_g.nr_nodes || (unsigned int)zt >= PGA_MAX_NR_ZONES)
		return NULL;
	return &pga_g.nodes[nid].node_zones[zt];
}

int pga_fragmentation_index(int nid, enum pga_zone_type zt, unsigned int order)
{
	struct pga_zone *z = zone_of(nid, zt);

	return z ? pga_zone_fragmentation_index(z, order) : 0;
}

int pga_unusable_free_index(int nid, enum pga_zone_type zt, unsigned int order)
{
	struct pga_zone *z = zone_of(nid, zt);

	return z ? pga_zone_unusable_free_index(z, order) : 1000;
}

static void show_index(pga_emit_fn emit, void *ctx,
		       int (*fn)(const struct pga_zone *, unsigned int))
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
			const struct pga_zone *z = &pga_g.nodes[nid].node_zones[zt];

			if (!zone_populated(z))
				continue;
			pga_emitf(emit, ctx, "Node %d, zone %8s ", nid,
				  pga_zone_names[zt]);
			for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++) {
				int v = fn(z, o);

				pga_emitf(emit, ctx, "%s%d.%03d ", v < 0 ? "-" : "",
					  (v < 0 ? -v : v) / 1000,
					  (v < 0 ? -v : v) % 1000);
			}
			emit(ctx, "\n", 1);
		}
	}
}

void pga_show_extfrag_index(pga_emit_fn emit, void *ctx)
{
	show_index(emit, ctx, pga_zone_fragmentation_index);
}

void pga_show_unusable_index(pga_emit_fn emit, void *ctx)
{
	show_index(emit, ctx, pga_zone_unusable_free_index);
}
