/* SPDX-License-Identifier: MIT */
/*
 * NUMA topology: node distances, CPU -> node, which nodes are online, and
 * the zonelists each node allocates from (Linux build_all_zonelists).
 *
 * A node is online when it has RAM or a CPU (Linux N_ONLINE); a node with
 * CPUs but no RAM is "memoryless": its zonelist starts with the nearest
 * node that has memory.  Node order follows Linux's find_next_best_node:
 * the node itself first, then by distance, with three tie-breakers folded
 * into the score (a node numbered below the local one costs one unit, a
 * node with CPUs costs one unit, and among equal scores the node that has
 * been the first of a distance group least often wins, which spreads
 * fallback pressure round-robin over equidistant nodes).
 */
#include "internal.h"

#define PGA_LOCAL_DISTANCE 10
#define PGA_REMOTE_DISTANCE 20
/* Score of a node that has CPUs (Linux PENALTY_FOR_NODE_WITH_CPUS). */
#define PGA_PENALTY_FOR_NODE_WITH_CPUS 1

/* Nodes with a CPU, and nodes online (RAM or CPU), as of the last build. */
static pga_nodemask_t cpu_nodes, online_nodes;
static unsigned int nr_online;

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
	return a == b ? PGA_LOCAL_DISTANCE : PGA_REMOTE_DISTANCE;
}

/*
 * Check the distance table of @p as Linux checks a SLIT: an entry that is
 * set must be 10 on the diagonal and more than 10 elsewhere.
 * Return: 0 or -PGA_EINVAL (reported).  Context: init.
 */
int pga_numa_check_params(const struct pga_params *p)
{
	for (int a = 0; a < PGA_CONFIG_MAX_NODES; a++) {
		for (int b = 0; b < PGA_CONFIG_MAX_NODES; b++) {
			int d = p->node_distance[a][b];

			if (!d || (a == b && d == PGA_LOCAL_DISTANCE) ||
			    (a != b && d > PGA_LOCAL_DISTANCE))
				continue;
			pga_log(PGA_LOG_ERR,
				"pga: node distance %d -> %d is %d "
				"(local must be %d, remote more than that)",
				a, b, d, PGA_LOCAL_DISTANCE);
			return -PGA_EINVAL;
		}
	}
	return 0;
}

/*
 * Node of @cpu from the cpu_to_node hook (pga_cpu_to_node's slow case).
 * The node may be memoryless.  An answer outside 0..MAX_NODES-1 is
 * reported and replaced by node 0.  Context: any.
 */
int pga_cpu_to_node_hook(unsigned int cpu)
{
	int nid = pga_g.hooks.cpu_to_node(pga_g.hooks.ctx, cpu);

	if (pga_unlikely(nid < 0 || nid >= PGA_CONFIG_MAX_NODES)) {
		pga_log(PGA_LOG_ERR,
			"pga: cpu_to_node(%u) gave node %d; using "
			"node 0",
			cpu, nid);
		return 0;
	}
	return nid;
}

/* Node of the calling CPU (Linux numa_node_id).  Context: any. */
int pga_numa_node_id(void)
{
	return pga_cpu_to_node(pga_cpu());
}

/*
 * The node with memory nearest to @nid: @nid itself unless it is
 * memoryless (Linux local_memory_node).  Context: any.
 */
int pga_local_memory_node(int nid)
{
	const struct pga_zoneref *zr = pga_first_zone(
	    &pga_g.nodes[nid].node_zonelists[PGA_ZONELIST_FALLBACK],
	    PGA_ZONE_NORMAL, NULL);

	return zr->zone ? zr->zone->nid : nid;
}

/* True if @nid has RAM or a CPU.  Context: any. */
bool pga_node_online(int nid)
{
	return pga_nodemask_test(&online_nodes, nid);
}

/* Number of online nodes (Linux nr_online_nodes).  Context: any. */
unsigned int pga_nr_online_nodes(void)
{
	return nr_online;
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
	zl->zonerefs[pos].zone = NULL;
	zl->zonerefs[pos].zone_idx = 0;
	return pos;
}

/*
 * The next node for @local's fallback list (Linux find_next_best_node):
 * @local first, then the node with memory of lowest score.
 * Return: the node, or -1 when every node with memory is in @used.
 */
static int next_best_node(int local, pga_nodemask_t *used, const int *load)
{
	long best_val = 0;
	int best = -1;

	if (!pga_nodemask_test(used, local)) {
		pga_nodemask_set(used, local);
		return local;
	}
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		long val;

		if (!pga_g.nodes[nid].online || pga_nodemask_test(used, nid))
			continue;
		val = pga_node_distance(local, nid) + (nid < local);
		if (pga_nodemask_test(&cpu_nodes, nid))
			val += PGA_PENALTY_FOR_NODE_WITH_CPUS;
		val = val * PGA_CONFIG_MAX_NODES + load[nid];
		if (best < 0 || val < best_val) {
			best_val = val;
			best = nid;
		}
	}
	if (best >= 0)
		pga_nodemask_set(used, best);
	return best;
}

/*
 * The fallback zonelist (nodes in next_best_node order, each node's zones
 * from the highest index down) and the no-fallback zonelist (the node's
 * own zones, for __GFP_THISNODE) of node @n.  The first node of each new
 * distance group gets one more unit of @load.
 */
static void build_node_zonelists(struct pga_node *n, int *load)
{
	struct pga_zonelist *fb = &n->node_zonelists[PGA_ZONELIST_FALLBACK];
	pga_nodemask_t used = {0};
	int local = n->node_id, prev = local, pos = 0, nid;

	while ((nid = next_best_node(local, &used, load)) >= 0) {
		if (pga_node_distance(local, nid) !=
		    pga_node_distance(local, prev))
			load[nid]++;
		pos = add_node_zones(fb, pos, nid);
		prev = nid;
	}
	add_node_zones(&n->node_zonelists[PGA_ZONELIST_NOFALLBACK], 0, local);
}

static void update_node_states(void)
{
	pga_nodemask_clear(&cpu_nodes);
	for (unsigned int cpu = 0; cpu < pga_g.nr_cpus; cpu++)
		pga_nodemask_set(&cpu_nodes, pga_cpu_to_node(cpu));
	online_nodes = cpu_nodes;
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		if (pga_g.nodes[nid].online)
			pga_nodemask_set(&online_nodes, nid);
	nr_online = 0;
	for (uint64_t b = online_nodes.bits; b; b &= b - 1)
		nr_online++;
}

/*
 * Recompute which nodes are online and rebuild the zonelists of every
 * online node, memoryless ones included; other nodes get empty lists.
 * Context: init or hot-add, no allocation running.
 */
void pga_numa_build_zonelists(void)
{
	int load[PGA_CONFIG_MAX_NODES] = {0};

	update_node_states();
	for (int nid = 0; nid < PGA_CONFIG_MAX_NODES; nid++) {
		struct pga_node *n = &pga_g.nodes[nid];

		if (pga_node_online(nid)) {
			build_node_zonelists(n, load);
		} else {
			n->node_zonelists[PGA_ZONELIST_FALLBACK]
			    .zonerefs[0]
			    .zone = NULL;
			n->node_zonelists[PGA_ZONELIST_NOFALLBACK]
			    .zonerefs[0]
			    .zone = NULL;
		}
	}
}

/* Number of node ids in use: the highest node with RAM, plus one. */
int pga_nr_nodes(void)
{
	return pga_g.nr_nodes;
}
