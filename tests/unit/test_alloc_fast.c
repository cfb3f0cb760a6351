/* SPDX-License-Identifier: MIT */
/*
 * The order-0 fast path (alloc_fast.h): on a pcp hit it hands out the
 * page, and moves the counters, that the general sequence
 * (prepare_alloc + get_page_from_freelist) would; every case it does
 * not handle returns NULL with nothing changed, and pga_alloc_page()
 * then behaves as the general sequence does.
 */
#include <string.h>

#include "blocks.h"
#include "fixture.h"
#include "alloc_fast.h"
#include "internal.h"

#define MOV (PGA_GFP_KERNEL | PGA_GFP_MOVABLE)

static struct pga_zone *normal(void)
{
	return &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
}

static struct pga_pcp *pcp0(void)
{
	return &normal()->pcp[0];
}

/*
 * One 1 GiB NORMAL zone above 4 GiB, two CPUs on node 0, @h hooks,
 * per-CPU lists off with @nopcp.
 */
static void init_zone_ex(const struct pga_hooks *h, bool nopcp)
{
	struct pga_params p;
	struct pga_mem_range r = {GiB(4), GiB(1), 0};

	fx_params(&p);
	p.nr_cpus = 2;
	p.disable_pcp = nopcp;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, h), 0);
	pga_host_set_cpu(0);
}

static void init_zone(const struct pga_hooks *h)
{
	init_zone_ex(h, false);
}

/* Everything an order-0 allocation may move. */
struct snap {
	int count;
	short free_factor;
	unsigned long lock_holds;
	long alloc_delta;
	unsigned long pgalloc, pgfree, hit, local, zone_locks, bad;
	long nr_free;
};

static struct snap snap(void)
{
	struct snap s;

	memset(&s, 0, sizeof(s));
	s.count = pcp0()->count;
	s.free_factor = pcp0()->free_factor;
	s.lock_holds = pcp0()->lock_holds;
	s.alloc_delta = pcp0()->alloc_delta;
	s.pgalloc = pga_vm_event_sum(PGA_PGALLOC_NORMAL);
	s.pgfree = pga_vm_event_sum(PGA_PGFREE);
	s.hit = pga_zone_numa_stat(normal(), PGA_NUMA_HIT);
	s.local = pga_zone_numa_stat(normal(), PGA_NUMA_LOCAL);
	s.zone_locks = pga_host_lock_acquisitions(&normal()->lock);
	s.bad = (unsigned long)pga_atomic_long_read(&normal()->nr_bad_pages);
	s.nr_free = zone_page_state(normal(), PGA_NR_FREE_PAGES);
	return s;
}

static void assert_same(const struct snap *a, const struct snap *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

/* b - a, field by field, in d. */
static void delta(const struct snap *a, const struct snap *b, struct snap *d)
{
	memset(d, 0, sizeof(*d));
	d->count = b->count - a->count;
	d->free_factor = (short)(b->free_factor - a->free_factor);
	d->lock_holds = b->lock_holds - a->lock_holds;
	d->alloc_delta = b->alloc_delta - a->alloc_delta;
	d->pgalloc = b->pgalloc - a->pgalloc;
	d->pgfree = b->pgfree - a->pgfree;
	d->hit = b->hit - a->hit;
	d->local = b->local - a->local;
	d->zone_locks = b->zone_locks - a->zone_locks;
	d->bad = b->bad - a->bad;
	d->nr_free = b->nr_free - a->nr_free;
}

/* The fast path declines @gfp and changes nothing; return the state. */
static struct snap declines(pga_gfp_t gfp)
{
	struct snap before = snap(), after;

	assert_null(pga_alloc_order0_fast(gfp, 0));
	after = snap();
	assert_same(&before, &after);
	return before;
}

/* The general sequence alone, as pga_alloc_page runs it. */
static struct pga_page *general_alloc(pga_gfp_t gfp)
{
	struct pga_alloc_context ac;
	pga_nodemask_t mems;
	unsigned int flags;
	pga_gfp_t agfp;

	assert_true(pga_prepare_alloc(gfp, 0, PGA_NUMA_NO_NODE, NULL, &ac,
				      &agfp, &flags, &mems));
	return pga_get_page_from_freelist(agfp, 0, flags, &ac);
}

/* Fill this CPU's lists: one pair refills them by a batch. */
static void warm(pga_gfp_t gfp)
{
	pga_free_page(pga_alloc_page(gfp));
	assert_true(pcp0()->count > 1 || pga_g.params.disable_pcp);
}

/* A hit: the head of the list, and exactly the general path's effects. */
static void hit_matches_general_path(void **state)
{
	static const pga_gfp_t gfps[] = {PGA_GFP_KERNEL, MOV,
					 PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		int mt = pga_gfp_migratetype(gfps[i]);
		struct pga_page *head, *pg, *again;
		struct snap s0, s1, s2, s3, d1, d2;

		init_zone(NULL);
		warm(gfps[i]);
		head = list_first_page(&pcp0()->lists[pga_pcp_pindex(mt, 0)]);
		s0 = snap();
		pg = pga_alloc_order0_fast(gfps[i], 0);
		s1 = snap();
		assert_ptr_equal(pg, head);
		assert_int_equal(pga_page_count(pg), 1);
		assert_false(page_flag(pg, PGA_PG_pcp));
		delta(&s0, &s1, &d1);
		assert_int_equal(d1.count, -1);
		assert_int_equal(d1.lock_holds, 1);
		assert_int_equal(d1.alloc_delta, 1);
		assert_int_equal(d1.pgalloc, 1);
		assert_int_equal(d1.hit, 1);
		assert_int_equal(d1.local, 1);
		assert_int_equal(d1.zone_locks, 0);
		assert_int_equal(d1.nr_free, 0);
		/* Back to the head of the list; the general path takes it. */
		pga_free_page(pg);
		s2 = snap();
		again = general_alloc(gfps[i]);
		s3 = snap();
		assert_ptr_equal(again, pg);
		delta(&s2, &s3, &d2);
		assert_memory_equal(&d1, &d2, sizeof(d1));
		pga_free_page(again);
		fx_assert_consistent();
	}
}

/* Empty list: the refill is the general path's, and only counted once. */
static void empty_list_falls_back(void **state)
{
	struct snap s0, s1, d;
	struct pga_page *pg;

	(void)state;
	init_zone(NULL);
	assert_int_equal(pcp0()->count, 0);
	s0 = declines(PGA_GFP_KERNEL);
	pg = pga_alloc_page(PGA_GFP_KERNEL);
	assert_non_null(pg);
	s1 = snap();
	delta(&s0, &s1, &d);
	assert_int_equal(d.lock_holds, 1);
	assert_int_equal(d.zone_locks, 1);
	assert_int_equal(d.pgalloc, 1);
	assert_int_equal(d.count, pcp0()->batch - 1);
	pga_free_page(pg);
	fx_assert_consistent();
}

/* A busy pcp: NULL, then the general path goes to the buddy. */
static void busy_pcp_falls_back(void **state)
{
	struct snap s0;
	struct pga_page *pg, *head;

	(void)state;
	init_zone(NULL);
	warm(MOV);
	head = list_first_page(&pcp0()->lists[PGA_MIGRATE_MOVABLE]);
	pga_pcp_spin_lock(pcp0());
	s0 = declines(MOV);
	assert_int_equal(pga_host_irq_depth(), 0);
	pg = pga_alloc_page(MOV);
	assert_non_null(pg);
	assert_ptr_not_equal(pg, head);
	assert_int_equal(snap().zone_locks, s0.zone_locks + 1);
	pga_free_page(pg);
	pga_pcp_spin_unlock(pcp0());
	fx_assert_consistent();
}

/* A head that fails the new-page check is left to the general path. */
static void bad_head_falls_back(void **state)
{
	struct pga_page *head, *next, *pg;
	struct snap s0;

	(void)state;
	init_zone(NULL);
	warm(MOV);
	head = list_first_page(&pcp0()->lists[PGA_MIGRATE_MOVABLE]);
	next = list_page(head->lru.next);
	head->mapcount = 3; /* a stray write into a free descriptor */
	fx_log_clear();
	s0 = declines(MOV);
	assert_int_equal(fx_log_count(), 0);
	pg = pga_alloc_page(MOV);
	assert_ptr_equal(pg, next);
	assert_true(fx_log_contains("PAGE_FLAGS_CHECK_AT_PREP"));
	assert_int_equal(snap().bad, s0.bad + 1);
	pga_free_page(pg);
}

static bool allow_all(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	(void)nid;
	(void)gfp;
	return true;
}

static int dirty_calls;

static bool dirty_ok(void *ctx, int nid)
{
	(void)ctx;
	(void)nid;
	dirty_calls++;
	return true;
}

/* Cpusets and dirty limits are the general path's to evaluate. */
static void constraints_fall_back(void **state)
{
	struct pga_hooks h = fx_hooks();
	struct pga_page *pg;

	(void)state;
	h.node_dirty_ok = dirty_ok;
	init_zone(&h);
	warm(PGA_GFP_KERNEL);
	declines(PGA_GFP_KERNEL | PGA_GFP_WRITE);
	dirty_calls = 0;
	pg = pga_alloc_page(PGA_GFP_KERNEL | PGA_GFP_WRITE);
	assert_int_equal(dirty_calls, 1);
	pga_free_page(pg);
	/* Without __GFP_WRITE the dirty hook does not matter. */
	pg = pga_alloc_order0_fast(PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	pga_free_page(pg);
	pga_g.hooks.cpuset_node_allowed = allow_all;
	declines(PGA_GFP_KERNEL);
	pga_g.hooks.cpuset_node_allowed = NULL;
	fx_assert_consistent();
}

/* Only the quick watermark test is made here; below it, NULL. */
static void watermark_falls_back(void **state)
{
	struct pga_zone *z;

	(void)state;
	init_zone(NULL);
	warm(PGA_GFP_KERNEL);
	z = normal();
	/* Free pages exactly at the LOW mark plus the lowmem reserve. */
	z->watermark_boost = (unsigned long)zone_page_state(z, PGA_NR_FREE_PAGES) -
			     z->watermark[PGA_WMARK_LOW];
	declines(PGA_GFP_KERNEL);
	z->watermark_boost--;
	assert_non_null(pga_alloc_order0_fast(PGA_GFP_KERNEL, 0));
}

/* With the lists off every allocation is a refill: the general path's. */
static void disabled_pcp_falls_back(void **state)
{
	struct snap s0, s1, d;
	struct pga_page *pg;

	(void)state;
	init_zone_ex(NULL, true);
	warm(PGA_GFP_KERNEL);
	s0 = declines(PGA_GFP_KERNEL);
	pg = pga_alloc_page(PGA_GFP_KERNEL);
	s1 = snap();
	delta(&s0, &s1, &d);
	assert_int_equal(d.lock_holds, 1);
	assert_int_equal(d.zone_locks, 1);
	assert_int_equal(d.nr_free, -1);
	assert_int_equal(d.count, 0);
	pga_free_page(pg);
	fx_assert_consistent();
}

/* An impossible gfp is reported by the general path, not here. */
static void bad_gfp_falls_back(void **state)
{
	(void)state;
	init_zone(NULL);
	warm(PGA_GFP_KERNEL);
	fx_log_clear();
	assert_null(pga_alloc_order0_fast(
		PGA_GFP_KERNEL | PGA_GFP_MOVABLE | PGA_GFP_RECLAIMABLE, 0));
	assert_int_equal(fx_log_count(), 0);
	assert_null(pga_alloc_page(PGA_GFP_KERNEL | PGA_GFP_MOVABLE |
				   PGA_GFP_RECLAIMABLE));
	assert_true(fx_log_contains("both MOVABLE and RECLAIMABLE"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hit_matches_general_path),
	    cmocka_unit_test(empty_list_falls_back),
	    cmocka_unit_test(busy_pcp_falls_back),
	    cmocka_unit_test(bad_head_falls_back),
	    cmocka_unit_test(constraints_fall_back),
	    cmocka_unit_test(watermark_falls_back),
	    cmocka_unit_test(disabled_pcp_falls_back),
	    cmocka_unit_test(bad_gfp_falls_back),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
