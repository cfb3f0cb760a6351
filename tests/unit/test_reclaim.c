/* SPDX-License-Identifier: MIT */
/*
 * The reclaim drivers: when kswapd is woken (and when not), what the
 * kswapd body asks the embedder for and when it stops, boost reclaim,
 * hopeless nodes, throttling of direct reclaimers, and the counters.
 */
#include <string.h>

#include "hookfake.h"
#include "slowpath.h"

static struct pga_alloc_context ac;

static void request(pga_gfp_t gfp)
{
	hf_request(&ac, gfp);
}

static unsigned long high(void)
{
	return pga_wmark_pages(hf_zone(), PGA_WMARK_HIGH);
}

static void done(void)
{
	hf_unhog_all();
	fx_assert_consistent();
}

/* ---- waking ----------------------------------------------------------- */

static void balanced_node_is_not_woken(void **state)
{
	struct pga_node *n;

	(void)state;
	hf_init(32, 1, false);
	n = &pga_g.nodes[0];
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 3, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 0);
	/* The request is still recorded for the next kswapd run. */
	assert_int_equal(n->kswapd_order, 3);
	assert_int_equal(n->kswapd_highest_zoneidx, PGA_ZONE_NORMAL);
	/* Below high: woken, with the largest order asked for. */
	hf_hog_to((long)high() - 1);
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 1, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 1);
	assert_int_equal(hf.kswapd_order, 1);
	assert_int_equal(n->kswapd_order, 3);
	done();
}

static void boosted_node_is_woken(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf_zone()->watermark_boost = 8;
	/* high + 8 is still met, but the boost must be reclaimed. */
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 0, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 1);
	hf_zone()->watermark_boost = 0;
}

static void hopeless_node_is_left_alone(void **state)
{
	(void)state;
	hf_init(64, 1, false);
	hf_hog_to(0);
	hf_unhog_odd(); /* fragmented: order-3 requests need compaction */
	hf_hog_to((long)high() - 1);
	pga_g.nodes[0].kswapd_failures = PGA_MAX_RECLAIM_RETRIES;
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 3, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 0);
	assert_int_equal(hf.wake_kcompactd, 0); /* can reclaim directly */
	/* A caller that cannot reclaim gets kcompactd instead. */
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_ATOMIC, 3, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 0);
	assert_int_equal(hf.wake_kcompactd, 1);
	assert_int_equal(hf.kcompactd_order, 3);
	/* Direct reclaim progress makes the node worth waking again. */
	request(PGA_GFP_KERNEL);
	hf.reclaim_frees = 1;
	assert_int_equal(pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac), 1);
	assert_int_equal(pga_g.nodes[0].kswapd_failures, 0);
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 3, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 1);
	done();
}

static bool only_node0(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	(void)gfp;
	return nid == 0;
}

/*
 * Node 1's first zone in the zonelist (NORMAL) has no managed pages, its
 * DMA32 zone does: node 1 must still be woken, once.
 */
static void every_node_woken_once(void **state)
{
	const struct pga_mem_range ram[] = {
		{GiB(4) + MiB(256), MiB(32), 0},
		{GiB(4) - MiB(32), MiB(48), 1},
	};
	const struct pga_mem_range res[] = {{GiB(4), MiB(16), 0}};
	struct pga_params p;
	struct pga_hooks h = hf_hooks();
	struct pga_zone *n0, *n1n, *n1d;

	(void)state;
	fx_params(&p);
	p.disable_pcp = true;
	hf_prepare();
	assert_int_equal(fx_init(&p, ram, 2, res, 1, &h), 0);
	n0 = &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
	n1n = &pga_g.nodes[1].node_zones[PGA_ZONE_NORMAL];
	n1d = &pga_g.nodes[1].node_zones[PGA_ZONE_DMA32];
	assert_true(zone_populated(n1n));
	assert_int_equal(zone_managed(n1n), 0);
	hf_hog_zone_to(n0, 10);
	hf_hog_zone_to(n1d, 10);
	request(PGA_GFP_KERNEL);
	pga_wake_all_kswapds(2, PGA_GFP_KERNEL, &ac);
	assert_int_equal(hf.wake_kswapd, 2);
	assert_int_equal(hf.kswapd_nid, 1); /* zonelist order: 0, then 1 */
	assert_int_equal(hf.kswapd_order, 2);
	assert_int_equal(hf.kswapd_zone, PGA_ZONE_NORMAL);
	/* A nodemask, or the cpuset, narrows the wake-ups. */
	{
		pga_nodemask_t m = pga_nodemask_of(1);

		ac.nodemask = &m;
		pga_wake_all_kswapds(0, PGA_GFP_KERNEL, &ac);
		assert_int_equal(hf.wake_kswapd, 3);
		assert_int_equal(hf.kswapd_nid, 1);
		ac.nodemask = NULL;
	}
	pga_g.hooks.cpuset_node_allowed = only_node0;
	pga_wake_all_kswapds(0, PGA_GFP_KERNEL, &ac);
	assert_int_equal(hf.wake_kswapd, 4);
	assert_int_equal(hf.kswapd_nid, 0);
	pga_g.hooks.cpuset_node_allowed = NULL;
	done();
}

/* ---- the kswapd body --------------------------------------------------- */

static void kswapd_reclaims_to_high(void **state)
{
	struct pga_zone *z;
	unsigned long got;

	(void)state;
	hf_init(32, 1, false);
	z = hf_zone();
	hf_hog_to(10);
	hf.reclaim_frees = 50;
	got = pga_kswapd_balance(0, 0, PGA_ZONE_NORMAL);
	/* Passes of 50 until free > high. */
	assert_int_equal(got, ((high() - 10) / 50 + 1) * 50);
	assert_true(hf_free() > (long)high());
	assert_int_equal(hf.direct_reclaim, (int)(got / 50));
	assert_false(hf.reclaim_nodemask_null);
	assert_int_equal(hf.reclaim_nodemask, 1); /* node 0 only */
	assert_int_equal(hf.reclaim_nr, PGA_MAX(high(), 32UL));
	assert_int_equal(hf.reclaim_gfp, PGA_GFP_KERNEL);
	assert_true(hf.reclaim_task_flags & PGA_TASK_MEMALLOC);
	assert_true(hf.reclaim_zone_flags & PGA_ZONE_RECLAIM_ACTIVE);
	assert_false(z->flags & PGA_ZONE_RECLAIM_ACTIVE);
	assert_false(pga_task_flags() & PGA_TASK_MEMALLOC);
	assert_int_equal(pga_vm_event_sum(PGA_PAGEOUTRUN), 1);
	assert_int_equal(pga_vm_event_sum(PGA_PGSTEAL_KSWAPD), got);
	/* Balanced: nothing to do. */
	assert_int_equal(pga_kswapd_balance(0, 0, PGA_ZONE_NORMAL), 0);
	assert_int_equal(hf.direct_reclaim, (int)(got / 50));
	done();
}

static void kswapd_failures_make_node_hopeless(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf_hog_to(10);
	for (int i = 1; i <= PGA_MAX_RECLAIM_RETRIES; i++) {
		assert_int_equal(pga_kswapd_balance(0, 0, PGA_ZONE_NORMAL), 0);
		assert_int_equal(pga_g.nodes[0].kswapd_failures, i);
	}
	/* 12 priority passes per run. */
	assert_int_equal(hf.direct_reclaim, 12 * PGA_MAX_RECLAIM_RETRIES);
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 0, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kswapd, 0);
	/* kswapd's own progress revives the node. */
	hf.reclaim_frees = 400;
	assert_true(pga_kswapd_balance(0, 0, PGA_ZONE_NORMAL) > 0);
	assert_int_equal(pga_g.nodes[0].kswapd_failures, 0);
	done();
}

static void kswapd_consumes_recorded_request(void **state)
{
	struct pga_node *n;

	(void)state;
	hf_init(32, 1, false);
	n = &pga_g.nodes[0];
	hf_hog_to(10);
	hf.reclaim_frees = 4000;
	pga_wakeup_kswapd(hf_zone(), PGA_GFP_KERNEL, 4, PGA_ZONE_NORMAL);
	assert_int_equal(n->kswapd_order, 4);
	pga_kswapd_balance(0, 0, PGA_ZONE_NORMAL);
	assert_int_equal(hf.reclaim_order, 4); /* the recorded order */
	assert_int_equal(n->kswapd_order, 0);
	done();
}

static void kswapd_order_drops_after_compact_gap(void **state)
{
	(void)state;
	hf_init(64, 1, false);
	hf_hog_to(0);
	hf_unhog_odd(); /* plenty free but no order-9 block, ever */
	hf_hog_to(100);
	hf.reclaim_frees = 512;
	/* Reclaim alone cannot make order 9; after 2<<9 pages it stops. */
	assert_int_equal(pga_kswapd_balance(0, PGA_PAGEBLOCK_ORDER,
					    PGA_ZONE_NORMAL),
			 1024);
	assert_int_equal(hf.direct_reclaim, 2);
	assert_int_equal(hf.reclaim_order, PGA_PAGEBLOCK_ORDER);
	done();
}

static void kswapd_reclaims_boost_without_io(void **state)
{
	struct pga_zone *z;

	(void)state;
	hf_init(32, 1, false);
	z = hf_zone();
	z->watermark_boost = 100;
	hf.reclaim_frees = 30;
	hf_hog_to((long)high() + 150); /* balanced even with the boost */
	assert_int_equal(pga_kswapd_balance(0, 0, PGA_ZONE_NORMAL), 120);
	assert_int_equal(hf.direct_reclaim, 4); /* 30 at a time, up to 100 */
	assert_int_equal(hf.reclaim_gfp, PGA_GFP_NOIO);
	assert_int_equal(z->watermark_boost, 0);
	/* Then kcompactd is asked to defragment at pageblock order. */
	assert_true(pga_g.nodes[0].kcompactd_pending);
	assert_int_equal(pga_g.nodes[0].kcompactd_max_order,
			 PGA_PAGEBLOCK_ORDER);
	done();
}

static void kswapd_before_sleep_duties(void **state)
{
	struct pga_zone *z;

	(void)state;
	hf_init(32, 1, false);
	z = hf_zone();
	pga_pageblock_set_skip(z->zone_start_pfn, true);
	z->compact_blockskip_flush = true;
	assert_int_equal(pga_kswapd_balance(0, 3, PGA_ZONE_NORMAL), 0);
	assert_false(pga_pageblock_skip(z->zone_start_pfn));
	assert_false(z->compact_blockskip_flush);
	/* Without a kcompactd thread kswapd runs its body itself. */
	pga_g.hooks.wake_kcompactd = NULL;
	assert_int_equal(pga_kswapd_balance(0, 3, PGA_ZONE_NORMAL), 0);
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTDAEMON_WAKE), 1);
	assert_false(pga_g.nodes[0].kcompactd_pending);
}

static void kswapd_bad_arguments(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	fx_log_clear();
	assert_int_equal(pga_kswapd_balance(3, 0, PGA_ZONE_NORMAL), 0);
	assert_int_equal(pga_kswapd_balance(-1, 0, PGA_ZONE_NORMAL), 0);
	assert_int_equal(pga_kswapd_balance(0, PGA_MAX_ORDER + 1, 0), 0);
	assert_int_equal(pga_kswapd_balance(0, 0, PGA_MAX_NR_ZONES), 0);
	assert_int_equal(fx_log_count(), 4);
	assert_true(fx_log_contains("bad argument"));
	assert_int_equal(hf.direct_reclaim, 0);
}

/* ---- direct reclaim ------------------------------------------------------ */

static void direct_reclaim_counts_allocstall_by_zone(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	request(PGA_GFP_KERNEL);
	hf.reclaim_frees = 3;
	hf_hog_to(1000);
	assert_int_equal(pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac), 3);
	assert_int_equal(pga_vm_event_sum(PGA_ALLOCSTALL_NORMAL), 1);
	assert_int_equal(pga_vm_event_sum(PGA_PGSTEAL_DIRECT), 3);
	request(PGA_GFP_HIGHUSER_MOVABLE);
	pga_try_to_free_pages(PGA_GFP_HIGHUSER_MOVABLE, 0, &ac);
	assert_int_equal(pga_vm_event_sum(PGA_ALLOCSTALL_MOVABLE), 1);
	pga_try_to_free_pages(PGA_GFP_KERNEL | PGA_GFP_DMA32, 0, &ac);
	assert_int_equal(pga_vm_event_sum(PGA_ALLOCSTALL_DMA32), 1);
	assert_int_equal(pga_vm_event_sum(PGA_PGSCAN_DIRECT_THROTTLE), 0);
	done();
}

static void throttled_until_kswapd_catches_up(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf_hog_to((long)hf_min() / 2); /* at half of min: throttle */
	hf.reclaimable_answer = 1000;
	hf.reclaim_frees = 100;
	hf.kswapd_on_yield = true;
	request(PGA_GFP_KERNEL);
	assert_int_equal(pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac), 100);
	assert_int_equal(pga_vm_event_sum(PGA_PGSCAN_DIRECT_THROTTLE), 1);
	/* The waiter woke kswapd, yielded, and kswapd reclaimed first. */
	assert_true(hf.wake_kswapd >= 1);
	assert_int_equal(hf.kswapd_zone, PGA_ZONE_NORMAL);
	assert_true(hf.kswapd_runs >= 1);
	assert_true(strchr(hf.trace, 'r') < strchr(hf.trace, 'R'));
	done();
}

static void throttle_boundary_is_half_of_min(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf.reclaimable_answer = 1000;
	hf.yield_advance_ns = 100000000;
	request(PGA_GFP_NOFS);
	hf_hog_to((long)hf_min() / 2 + 1);
	pga_try_to_free_pages(PGA_GFP_NOFS, 0, &ac);
	assert_int_equal(pga_vm_event_sum(PGA_PGSCAN_DIRECT_THROTTLE), 0);
	hf_hog_to((long)hf_min() / 2);
	pga_try_to_free_pages(PGA_GFP_NOFS, 0, &ac);
	assert_int_equal(pga_vm_event_sum(PGA_PGSCAN_DIRECT_THROTTLE), 1);
	done();
}

static void throttle_nofs_bounded_by_a_second(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf_hog_to(1);
	hf.reclaimable_answer = 1000;
	hf.yield_advance_ns = 100000000; /* 100 ms a yield */
	request(PGA_GFP_NOFS);
	assert_int_equal(pga_try_to_free_pages(PGA_GFP_NOFS, 0, &ac), 0);
	assert_int_equal(hf.yield, 10);
	assert_int_equal(hf.direct_reclaim, 1);
	done();
}

static void throttle_exemptions(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf_hog_to(1);
	hf.reclaimable_answer = 1000;
	request(PGA_GFP_KERNEL);
	/* Kernel threads are never throttled. */
	pga_set_task_flags(PGA_TASK_KTHREAD);
	pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac);
	pga_set_task_flags(0);
	/* Nothing reclaimable: nothing to wait for. */
	hf.reclaimable_answer = 0;
	pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac);
	assert_int_equal(hf.yield, 0);
	assert_int_equal(pga_vm_event_sum(PGA_PGSCAN_DIRECT_THROTTLE), 0);
	/* Without a yield hook there is no way to wait: no throttle. */
	hf.reclaimable_answer = 1000;
	pga_g.hooks.yield = NULL;
	pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac);
	assert_int_equal(hf.direct_reclaim, 3);
	assert_int_equal(pga_vm_event_sum(PGA_PGSCAN_DIRECT_THROTTLE), 0);
	done();
}

static bool fatal_after_yield(void *ctx)
{
	(void)ctx;
	return hf.yield > 0;
}

static void throttle_fatal_signal_returns_progress(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	hf_hog_to(1);
	hf.reclaimable_answer = 1000;
	pga_g.hooks.fatal_signal_pending = fatal_after_yield;
	request(PGA_GFP_KERNEL);
	assert_int_equal(pga_try_to_free_pages(PGA_GFP_KERNEL, 0, &ac), 1);
	assert_int_equal(hf.yield, 1);
	assert_int_equal(hf.direct_reclaim, 0); /* never reached the hook */
	done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(balanced_node_is_not_woken),
		cmocka_unit_test(boosted_node_is_woken),
		cmocka_unit_test(hopeless_node_is_left_alone),
		cmocka_unit_test(every_node_woken_once),
		cmocka_unit_test(kswapd_reclaims_to_high),
		cmocka_unit_test(kswapd_failures_make_node_hopeless),
		cmocka_unit_test(kswapd_consumes_recorded_request),
		cmocka_unit_test(kswapd_order_drops_after_compact_gap),
		cmocka_unit_test(kswapd_reclaims_boost_without_io),
		cmocka_unit_test(kswapd_before_sleep_duties),
		cmocka_unit_test(kswapd_bad_arguments),
		cmocka_unit_test(direct_reclaim_counts_allocstall_by_zone),
		cmocka_unit_test(throttled_until_kswapd_catches_up),
		cmocka_unit_test(throttle_boundary_is_half_of_min),
		cmocka_unit_test(throttle_nofs_bounded_by_a_second),
		cmocka_unit_test(throttle_exemptions),
		cmocka_unit_test(throttle_fatal_signal_returns_progress),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
