/* SPDX-License-Identifier: MIT */
/*
 * NUMA topology: node distances, CPU -> node, and the zonelists each node
 * allocates from (Linux build_zonelists).
 */
#include "internal.h"

/*
 * Distance from node @a to node @b: the params table, else 10 to itself
 * and 20 to others (Linux LOCAL_DISTANCE / REMOTE_DISTANCE).
 * Context: any.
 */
int pga_node_distance(int a, int b)
{
	int d = pga_g.params.node_distance[a][b];

	if (d)
		return d;
	return a == b ? 10 : 20;
}

static int add_node_zones(struct pga_zonelist *zl, int pos, int nid)
{
	for (int zt = PGA_MAX_NR_ZONES - 1; zt >= 0; zt--) {
		struct pga_zone *z = &pga_g.nodes[nid].node_zones[zt];

		if (!zone_populated(z))
			continue;
		zl->zonerefs[pos].zone = z;
		zl->zonerefs[pos].zone_idx = zt;
		pos++;
	}
	return pos;
}

/*
 * Nodes in the order @local falls back to them: by distance, ties by
 * node id (the local node first, as its distance is the smallest).
 */
static int fallback_order(int local, int *order)
{
	int n = 0;

	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		int i;

		if (!pga_g.nodes[nid].online)
			continue;
		i = n++;
		while (i > 0 && pga_node_distance(local, order[i - 1]) >
					pga_node_distance(local, nid)) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = nid;
	}
	return n;
}

static void build_node_zonelists(struct pga_node *n)
{
	struct pga_zonelist *fb = &n->node_zonelists[PGA_ZONELIST_FALLBACK];
	struct pga_zonelist *nofb = &n->node_zonelists[PGA_ZONELIST_NOFALLBACK];
	int order[PGA_CONFIG_MAX_NODES];
	int nr = fallback_order(n->node_id, order);
	int pos = 0;

	for (int i = 0; i < nr; i++)
		pos = add_node_zones(fb, pos, order[i]);
	fb->zonerefs[pos].zone = NULL;
	fb->zonerefs[pos].zone_idx = 0;
	pos = add_node_zones(nofb, 0, n->node_id);
	nofb->zonerefs[pos].zone = NULL;
	nofb->zonerefs[pos].zone_idx = 0;
}

/*
 * Build the fallback zonelist (nodes by distance, zones high to low) and
 * the no-fallback zonelist (__GFP_THISNODE: the node's own zones) of
 * every node, memoryless ones included.  Context: init or hot-add.
 */
void pga_numa_build_zonelists(void)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		build_node_zonelists(&pga_g.nodes[nid]);
}

/* Number of nodes pga_init() set up.  Context: any. */
int pga_nr_nodes(void)
{
	return pga_g.nr_nodes;
}
