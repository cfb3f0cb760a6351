/* SPDX-License-Identifier: MIT */
/*
 * NUMA: zonelists ordered by distance (with Linux's tie-breakers) and by
 * zone from high to low, THISNODE, nodemasks, cpu_to_node, memoryless
 * nodes, the cpuset hook and the NUMA hit/miss statistics.
 */
#include <string.h>

#include "zones.h"

/* Node n gets 64 MiB of ZONE_NORMAL at (4 + n) GiB. */
static void init_nodes(struct pga_params *p, int nr,
		       const struct pga_hooks *hooks)
{
	struct pga_mem_range ram[PGA_CONFIG_MAX_NODES];

	for (int n = 0; n < nr; n++) {
		ram[n].base = GiB(4 + n);
		ram[n].size = MiB(64);
		ram[n].nid = n;
	}
	assert_int_equal(fx_init(p, ram, (size_t)nr, NULL, 0, hooks), 0);
}

/* Node ids of the zonelist of @nid, one per zone, into @out. */
static int zonelist_nodes(int nid, int which, int *out)
{
	const struct pga_zoneref *zr =
	    pga_g.nodes[nid].node_zonelists[which].zonerefs;
	int n = 0;

	for (; zr->zone; zr++)
		out[n++] = zr->zone->nid;
	return n;
}

static void assert_order(int nid, const int *want, int n)
{
	int got[PGA_MAX_ZONES_PER_ZONELIST];

	assert_int_equal(zonelist_nodes(nid, PGA_ZONELIST_FALLBACK, got), n);
	for (int i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("node %d fallback[%d] = %d, want %d", nid, i,
				 got[i], want[i]);
}

/* Parameters with CPU n on node n, for @nr nodes. */
static void cpu_per_node(struct pga_params *p, int nr)
{
	fx_params(p);
	p->nr_cpus = (unsigned int)nr;
	for (int c = 0; c < nr; c++)
		p->cpu_to_node[c] = (uint8_t)c;
}

static void set_distance(struct pga_params *p, int a, int b, int d)
{
	p->node_distance[a][b] = (uint8_t)d;
	p->node_distance[b][a] = (uint8_t)d;
}

/* Zones high to low within a node, nodes by distance; THISNODE list. */
static void zone_order_within_nodes(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
	    {0, MiB(64), 0}, {GiB(4), MiB(128), 0}, {GiB(6), MiB(64), 1}};
	const struct pga_zoneref *zr;
	const int want_idx[] = {PGA_ZONE_MOVABLE, PGA_ZONE_NORMAL,
				PGA_ZONE_DMA32, PGA_ZONE_DMA, PGA_ZONE_MOVABLE};
	const int want_nid[] = {0, 0, 0, 0, 1};

	(void)state;
	fx_params(&p);
	p.movable_start = GiB(4) + MiB(64);
	assert_int_equal(fx_init(&p, ram, 3, NULL, 0, NULL), 0);
	zr = pga_g.nodes[0].node_zonelists[PGA_ZONELIST_FALLBACK].zonerefs;
	for (int i = 0; i < 5; i++, zr++) {
		assert_int_equal(zr->zone_idx, want_idx[i]);
		assert_int_equal(zr->zone->idx, want_idx[i]);
		assert_int_equal(zr->zone->nid, want_nid[i]);
	}
	assert_null(zr->zone);
	/* Node 1's memory is above the movable start: ZONE_MOVABLE only. */
	zr = pga_g.nodes[1].node_zonelists[PGA_ZONELIST_FALLBACK].zonerefs;
	assert_int_equal(zr->zone->nid, 1);
	assert_int_equal(zr[1].zone->nid, 0);
	assert_int_equal(zr[1].zone_idx, PGA_ZONE_MOVABLE);
	/* The no-fallback list holds the node's own zones only. */
	zr = pga_g.nodes[0].node_zonelists[PGA_ZONELIST_NOFALLBACK].zonerefs;
	for (int i = 0; i < 4; i++)
		assert_int_equal(zr[i].zone->nid, 0);
	assert_null(zr[4].zone);
}

/* A ring of four nodes: nearer nodes first, from every node's view. */
static void four_nodes_by_distance(void **state)
{
	struct pga_params p;
	const int order[4][4] = {
	    {0, 1, 3, 2}, {1, 2, 0, 3}, {2, 3, 1, 0}, {3, 0, 2, 1}};

	(void)state;
	fx_params(&p);
	/* Around the ring 0-1-2-3-0 a node is 20 from the next node and 25
	 * from the previous one; opposite corners are 30 apart. */
	set_distance(&p, 0, 1, 20);
	set_distance(&p, 1, 2, 20);
	set_distance(&p, 2, 3, 20);
	set_distance(&p, 3, 0, 20);
	set_distance(&p, 0, 2, 30);
	set_distance(&p, 1, 3, 30);
	p.node_distance[0][3] = 25;
	p.node_distance[1][0] = 25;
	p.node_distance[2][1] = 25;
	p.node_distance[3][2] = 25;
	init_nodes(&p, 4, NULL);
	for (int n = 0; n < 4; n++)
		assert_order(n, order[n], 4);
	assert_int_equal(pga_node_distance(0, 0), 10);
	assert_int_equal(pga_node_distance(0, 3), 25);
	assert_int_equal(pga_node_distance(3, 0), 20);
}

/*
 * Equal distances: Linux's tie-breakers.  Nodes numbered above the local
 * one come first, and the first node of a distance group gets a load
 * point, so the next node's list starts elsewhere (round robin).
 */
static void equal_distances_round_robin(void **state)
{
	struct pga_params p;
	const int order[4][4] = {
	    {0, 1, 2, 3}, {1, 2, 3, 0}, {2, 3, 0, 1}, {3, 0, 1, 2}};

	(void)state;
	cpu_per_node(&p, 4);
	init_nodes(&p, 4, NULL);
	for (int n = 0; n < 4; n++)
		assert_order(n, order[n], 4);
}

/*
 * Two pairs of nodes, 20 within a pair and 30 across, a CPU on each.  The
 * load points earned by being first of a group decide between the two
 * nodes of the far pair: node 1 goes to 3 before 2, node 3 to 1 before 0.
 */
static void load_spreads_groups(void **state)
{
	struct pga_params p;
	const int order[4][4] = {
	    {0, 1, 2, 3}, {1, 0, 3, 2}, {2, 3, 0, 1}, {3, 2, 1, 0}};

	(void)state;
	cpu_per_node(&p, 4);
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			if (a != b)
				p.node_distance[a][b] =
				    a / 2 == b / 2 ? 20 : 30;
	init_nodes(&p, 4, NULL);
	for (int n = 0; n < 4; n++)
		assert_order(n, order[n], 4);
}

/* Nodes without CPUs are preferred at equal distance. */
static void headless_nodes_preferred(void **state)
{
	struct pga_params p;
	const int from0[] = {0, 1, 2}, from1[] = {1, 2, 0}, from2[] = {2, 1, 0};

	(void)state;
	fx_params(&p); /* one CPU, on node 0 */
	init_nodes(&p, 3, NULL);
	assert_order(0, from0, 3);
	assert_order(1, from1, 3);
	assert_order(2, from2, 3);
}

/* Default distances, bad tables refused. */
static void distance_table_checks(void **state)
{
	struct pga_params p;
	const struct pga_mem_range r = {GiB(4), MiB(64), 0};

	(void)state;
	fx_params(&p);
	init_nodes(&p, 2, NULL);
	assert_int_equal(pga_node_distance(1, 1), 10);
	assert_int_equal(pga_node_distance(0, 1), 20);
	p.node_distance[1][1] = 12;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), -PGA_EINVAL);
	assert_true(fx_log_contains("node distance 1 -> 1 is 12"));
	fx_params(&p);
	p.node_distance[0][1] = 10;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), -PGA_EINVAL);
	p.node_distance[0][1] = 11;
	p.node_distance[2][2] = 10;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
}

static struct pga_page *alloc_on(int nid, pga_gfp_t gfp)
{
	return pga_alloc_pages_node(nid, gfp | PGA_GFP_NOWARN, 0);
}

/*
 * Exhausting a node sends the next allocation to the nearest node; with
 * __GFP_THISNODE it never leaves the node.
 */
static void fallback_and_thisnode(void **state)
{
	struct pga_params p;
	static struct zh_block taken[16384];
	struct pga_page *pg;
	size_t n;
	const pga_gfp_t nb = PGA_GFP_KERNEL & ~PGA_GFP_DIRECT_RECLAIM;

	(void)state;
	fx_params(&p);
	set_distance(&p, 0, 1, 40);
	set_distance(&p, 0, 2, 20);
	set_distance(&p, 1, 2, 20);
	p.disable_pcp = true;
	init_nodes(&p, 3, NULL);
	n = zh_drain_to(zh_zone(0, PGA_ZONE_NORMAL), 0, taken, 256);
	pg = alloc_on(0, nb);
	assert_non_null(pg);
	assert_int_equal(pga_page_to_nid(pg), 2);
	pga_free_page(pg);
	assert_null(alloc_on(0, nb | PGA_GFP_THISNODE));
	pg = alloc_on(1, nb | PGA_GFP_THISNODE);
	assert_int_equal(pga_page_to_nid(pg), 1);
	pga_free_page(pg);
	zh_release(taken, n);
	/* THISNODE stops at node 0's watermark, never taking node 2's pages. */
	n = 0;
	while ((pg = alloc_on(0, nb | PGA_GFP_THISNODE)) != NULL) {
		assert_int_equal(pga_page_to_nid(pg), 0);
		assert_true(n < 16384);
		taken[n].page = pg;
		taken[n++].order = 0;
	}
	/* (A late steal may have boosted the mark above the free count.) */
	assert_true(
	    zh_free(zh_zone(0, PGA_ZONE_NORMAL)) <=
	    pga_wmark_pages(zh_zone(0, PGA_ZONE_NORMAL), PGA_WMARK_MIN));
	assert_true(zh_free(zh_zone(0, PGA_ZONE_NORMAL)) >=
		    zh_zone(0, PGA_ZONE_NORMAL)->watermark[PGA_WMARK_MIN]);
	assert_int_equal(zh_free(zh_zone(2, PGA_ZONE_NORMAL)),
			 zone_managed(zh_zone(2, PGA_ZONE_NORMAL)));
	zh_release(taken, n);
	fx_assert_consistent();
}

/* A nodemask keeps the walk inside it; the NUMA statistics follow. */
static void nodemask_and_numa_stats(void **state)
{
	struct pga_params p;
	static struct zh_block taken[256];
	pga_nodemask_t only1 = pga_nodemask_of(1), none = {0};
	struct pga_zone *z0 = zh_zone(0, PGA_ZONE_NORMAL);
	struct pga_zone *z1 = zh_zone(1, PGA_ZONE_NORMAL);
	struct pga_page *pg;
	size_t n;

	(void)state;
	fx_params(&p);
	p.nr_cpus = 2;
	p.cpu_to_node[1] = 1;
	p.disable_pcp = true;
	init_nodes(&p, 2, NULL);
	pg = pga_alloc_pages_nodemask(PGA_GFP_KERNEL, 2, 0, &only1);
	assert_int_equal(pga_page_to_nid(pg), 1);
	/* The first allowed zone is the preferred one: a hit, on CPU 0 of
	 * node 0 an "other" allocation; one event per allocation. */
	assert_int_equal(pga_zone_numa_stat(z1, PGA_NUMA_HIT), 1);
	assert_int_equal(pga_zone_numa_stat(z1, PGA_NUMA_OTHER), 1);
	assert_int_equal(pga_zone_numa_stat(z1, PGA_NUMA_MISS), 0);
	pga_free_pages(pg, 2);
	fx_log_clear();
	assert_null(pga_alloc_pages_nodemask(PGA_GFP_KERNEL, 0, 0, &none));
	assert_true(fx_log_contains("page allocation failure"));
	/* Node 0 empty: the fallback to node 1 is a miss there and foreign
	 * on node 0.  On CPU 1 (node 1) it is local. */
	n = zh_drain_to(z0, 0, taken, 256);
	pga_host_set_cpu(1);
	pg = pga_alloc_pages_node(0, PGA_GFP_KERNEL, 0);
	pga_host_set_cpu(0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	assert_int_equal(pga_zone_numa_stat(z1, PGA_NUMA_MISS), 1);
	assert_int_equal(pga_zone_numa_stat(z0, PGA_NUMA_FOREIGN), 1);
	assert_int_equal(pga_zone_numa_stat(z1, PGA_NUMA_LOCAL), 1);
	pga_free_page(pg);
	zh_release(taken, n);
	fx_assert_consistent();
}

static int hook_node = 1;

static int cpu_to_node_hook(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
	return hook_node;
}

/* The allocating CPU's node is preferred: params table, then the hook. */
static void cpu_to_node_sources(void **state)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();
	struct pga_page *pg;

	(void)state;
	fx_params(&p);
	p.nr_cpus = 3;
	p.cpu_to_node[1] = 1;
	p.cpu_to_node[2] = 1;
	init_nodes(&p, 2, NULL);
	assert_int_equal(pga_cpu_to_node(2), 1);
	pga_host_set_cpu(2);
	assert_int_equal(pga_numa_node_id(), 1);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	pga_free_page(pg);
	pga_host_set_cpu(0);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 0);
	pga_free_page(pg);
	/* The hook overrides the table; nonsense is reported, node 0 used. */
	h.cpu_to_node = cpu_to_node_hook;
	init_nodes(&p, 2, &h);
	hook_node = 1;
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	pga_free_page(pg);
	hook_node = 99;
	fx_log_clear();
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 0);
	assert_true(fx_log_contains("cpu_to_node(0) gave node 99"));
	pga_free_page(pg);
	hook_node = 1;
	fx_assert_consistent();
}

/*
 * A CPU on a node without memory allocates from the nearest node with
 * memory; THISNODE there fails; a node that is neither is refused.
 */
static void memoryless_node(void **state)
{
	struct pga_params p;
	struct pga_page *pg;
	const int from2[] = {1, 0};

	(void)state;
	fx_params(&p);
	p.nr_cpus = 2;
	p.cpu_to_node[1] = 2;
	p.node_distance[2][0] = 30;
	p.node_distance[2][1] = 20;
	init_nodes(&p, 2, NULL);
	assert_true(pga_node_online(2));
	assert_false(pga_node_online(3));
	assert_int_equal(pga_nr_online_nodes(), 3);
	assert_order(2, from2, 2);
	assert_int_equal(pga_local_memory_node(2), 1);
	pga_host_set_cpu(1);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	pga_free_page(pg);
	pg = pga_alloc_pages_node(PGA_NUMA_NO_NODE, PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	pga_free_page(pg);
	pga_host_set_cpu(0);
	fx_log_clear();
	assert_null(pga_alloc_pages_node(
	    2, PGA_GFP_KERNEL | PGA_GFP_THISNODE | PGA_GFP_NOWARN, 0));
	assert_int_equal(fx_log_count(), 0);
	/* Offline node with THISNODE|NOWARN: reported anyway (Linux). */
	assert_null(pga_alloc_pages_node(
	    3, PGA_GFP_KERNEL | PGA_GFP_THISNODE | PGA_GFP_NOWARN, 0));
	assert_true(fx_log_contains("allocation from offline node 3"));
	fx_log_clear();
	assert_null(pga_alloc_pages_node(3, PGA_GFP_KERNEL, 0));
	assert_true(fx_log_contains("node 3, which is not online"));
	fx_assert_consistent();
}

static pga_nodemask_t allowed;
static int cpuset_calls;

static bool cpuset_hook(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	(void)gfp;
	cpuset_calls++;
	return pga_nodemask_test(&allowed, nid);
}

/*
 * The cpuset hook: a task is kept to its nodes in the fast and the slow
 * path; GFP_ATOMIC's slow path ignores cpusets (Linux).
 */
static void cpuset_hook_rules(void **state)
{
	struct pga_params p;
	struct pga_hooks h = fx_hooks();
	static struct zh_block taken[256];
	struct pga_page *pg;
	size_t n;

	(void)state;
	h.cpuset_node_allowed = cpuset_hook;
	fx_params(&p);
	p.disable_pcp = true;
	init_nodes(&p, 2, &h);
	allowed = pga_nodemask_of(1);
	cpuset_calls = 0;
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	assert_true(cpuset_calls > 0);
	pga_free_page(pg);
	/* In an interrupt the zones are checked one by one (ALLOC_CPUSET). */
	pga_set_task_flags(PGA_TASK_IN_IRQ);
	cpuset_calls = 0;
	pg = pga_alloc_pages(PGA_GFP_ATOMIC, 0);
	assert_int_equal(pga_page_to_nid(pg), 1);
	assert_int_equal(cpuset_calls, 2); /* one per zone considered */
	pga_free_page(pg);
	pga_set_task_flags(0);
	/* Node 1 exhausted: GFP_KERNEL fails, GFP_ATOMIC may use node 0. */
	n = zh_drain_to(zh_zone(1, PGA_ZONE_NORMAL), 0, taken, 256);
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT | PGA_GFP_NOWARN, 0));
	pg = pga_alloc_pages(PGA_GFP_ATOMIC, 0);
	assert_non_null(pg);
	assert_int_equal(pga_page_to_nid(pg), 0);
	pga_free_page(pg);
	zh_release(taken, n);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(zone_order_within_nodes),
	    cmocka_unit_test(four_nodes_by_distance),
	    cmocka_unit_test(equal_distances_round_robin),
	    cmocka_unit_test(load_spreads_groups),
	    cmocka_unit_test(headless_nodes_preferred),
	    cmocka_unit_test(distance_table_checks),
	    cmocka_unit_test(fallback_and_thisnode),
	    cmocka_unit_test(nodemask_and_numa_stats),
	    cmocka_unit_test(cpu_to_node_sources),
	    cmocka_unit_test(memoryless_node),
	    cmocka_unit_test(cpuset_hook_rules),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
