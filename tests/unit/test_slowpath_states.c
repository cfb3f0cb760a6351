/* SPDX-License-Identifier: MIT */
/*
 * The slow path's states one at a time: for each state, every condition
 * that picks a different next state (state x condition -> next state),
 * plus the side effects that state owns (flags, counters, hook calls).
 * The machine: one 32 MiB ZONE_NORMAL, pcp off unless a test needs it.
 */
#include <string.h>

#include "hookfake.h"
#include "slowpath.h"

static struct pga_alloc_context ac;
static struct pga_slowpath sp;

static void request(pga_gfp_t gfp, unsigned int order)
{
	hf_request(&ac, gfp);
	pga_sp_init(&sp, gfp, order, &ac);
	sp.alloc_flags = pga_gfp_to_alloc_flags(gfp, order);
}

static void setup(unsigned int order_unused)
{
	(void)order_unused;
	hf_init(32, 1, false);
}

static unsigned long ev(enum pga_vm_event e)
{
	return pga_vm_event_sum(e);
}

/* Free the page a state returned, drop the hog, check the books. */
static void finish(void)
{
	if (sp.page)
		pga_free_pages(sp.page, sp.order);
	sp.page = NULL;
	hf_unhog_all();
	fx_assert_consistent();
}

static bool deny_all(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	(void)nid;
	(void)gfp;
	return false;
}

static bool allow_node0(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	(void)gfp;
	return nid == 0;
}

/* ---- RESTART ---------------------------------------------------------- */

static void restart_resets_and_gets_page(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 0);
	sp.no_progress_loops = 7;
	sp.compaction_retries = 3;
	sp.compact_priority = PGA_COMPACT_PRIO_ASYNC;
	sp.alloc_flags = 0;
	assert_int_equal(pga_sp_restart(&sp), PGA_SP_GOT_PAGE);
	assert_non_null(sp.page);
	assert_int_equal(sp.no_progress_loops, 0);
	assert_int_equal(sp.compaction_retries, 0);
	assert_int_equal(sp.compact_priority, PGA_COMPACT_PRIO_SYNC_LIGHT);
	/* GFP_KERNEL in the slow path: MIN | CPUSET | KSWAPD. */
	assert_int_equal(sp.alloc_flags, PGA_ALLOC_WMARK_MIN |
						 PGA_ALLOC_CPUSET |
						 PGA_ALLOC_KSWAPD);
	finish();
}

static void restart_below_min_wakes_kswapd(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 2);
	hf.cookie_value = 41;
	assert_int_equal(pga_sp_restart(&sp), PGA_SP_INITIAL_COMPACT);
	assert_null(sp.page);
	assert_int_equal(hf.wake_kswapd, 1);
	assert_int_equal(hf.kswapd_nid, 0);
	assert_int_equal(hf.kswapd_order, 2);
	assert_int_equal(hf.kswapd_zone, PGA_ZONE_NORMAL);
	assert_int_equal(sp.cpuset_cookie, 41);
	finish();
}

static void restart_without_kswapd_bit_does_not_wake(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL & ~PGA_GFP_KSWAPD_RECLAIM, 0);
	assert_int_equal(pga_sp_restart(&sp), PGA_SP_INITIAL_COMPACT);
	assert_int_equal(hf.wake_kswapd, 0);
	finish();
}

static void restart_no_zone_is_nopage(void **state)
{
	pga_nodemask_t none = {0};

	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 0);
	ac.nodemask = &none;
	assert_int_equal(pga_sp_restart(&sp), PGA_SP_NOPAGE);
	assert_int_equal(hf.wake_kswapd, 0);
	finish();
}

static void restart_cpuset_without_zone_is_nopage(void **state)
{
	(void)state;
	setup(0);
	pga_g.hooks.cpuset_node_allowed = deny_all;
	request(PGA_GFP_USER, 0); /* HARDWALL */
	assert_int_equal(pga_sp_restart(&sp), PGA_SP_NOPAGE);
	/* Without HARDWALL the request goes on (and fails its cpuset). */
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_restart(&sp), PGA_SP_INITIAL_COMPACT);
	pga_g.hooks.cpuset_node_allowed = NULL;
	finish();
}

/* ---- INITIAL_COMPACT ------------------------------------------------- */

static void initial_compact_skipped_cases(void **state)
{
	unsigned long stall;

	(void)state;
	setup(0);
	stall = ev(PGA_COMPACTSTALL);
	/* order 0 */
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	/* order 2 movable: neither costly nor unmovable */
	request(PGA_GFP_HIGHUSER_MOVABLE, 2);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	/* costly but no __GFP_IO: no compaction */
	request(PGA_GFP_NOIO, 4);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	/* costly but cannot reclaim */
	request(PGA_GFP_NOWAIT, 4);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	/* costly, but allowed to ignore watermarks (not tried yet) */
	pga_set_task_flags(PGA_TASK_MEMALLOC);
	request(PGA_GFP_KERNEL, 4);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	pga_set_task_flags(0);
	assert_int_equal(ev(PGA_COMPACTSTALL), stall);
	finish();
}

static void initial_compact_gets_page(void **state)
{
	unsigned long stall, ok;

	(void)state;
	setup(0);
	stall = ev(PGA_COMPACTSTALL);
	ok = ev(PGA_COMPACTSUCCESS);
	/* Unmovable order 2 compacts too; here the zone already fits it. */
	request(PGA_GFP_KERNEL, 2);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_GOT_PAGE);
	assert_non_null(sp.page);
	assert_int_equal(ev(PGA_COMPACTSTALL), stall + 1);
	assert_int_equal(ev(PGA_COMPACTSUCCESS), ok + 1);
	assert_int_equal(sp.compact_result, PGA_COMPACT_SUCCESS);
	finish();
}

static void initial_compact_costly_noretry_skipped_is_nopage(void **state)
{
	unsigned long stall;

	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5); /* too little free to compact */
	stall = ev(PGA_COMPACTSTALL);
	request(PGA_GFP_KERNEL | PGA_GFP_NORETRY, 4);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_NOPAGE);
	assert_int_equal(sp.compact_result, PGA_COMPACT_SKIPPED);
	assert_int_equal(ev(PGA_COMPACTSTALL), stall); /* skipped: no stall */
	/* Without NORETRY the same request goes on to RETRY. */
	request(PGA_GFP_KERNEL, 4);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	finish();
}

static void initial_compact_costly_noretry_deferred_is_nopage(void **state)
{
	unsigned long stall, fail;

	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	hf_zone()->compact_defer_shift = 3;
	hf_zone()->compact_considered = 0;
	hf_zone()->compact_order_failed = 0;
	stall = ev(PGA_COMPACTSTALL);
	fail = ev(PGA_COMPACTFAIL);
	request(PGA_GFP_KERNEL | PGA_GFP_NORETRY, 4);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_NOPAGE);
	assert_int_equal(sp.compact_result, PGA_COMPACT_DEFERRED);
	/* A deferred attempt is a stall that failed. */
	assert_int_equal(ev(PGA_COMPACTSTALL), stall + 1);
	assert_int_equal(ev(PGA_COMPACTFAIL), fail + 1);
	assert_int_equal(hf_zone()->compact_considered, 1);
	finish();
}

static void initial_compact_costly_noretry_failed_stays_async(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to(0);
	hf_unhog_odd(); /* half free, no free pair anywhere, nothing movable */
	request(PGA_GFP_KERNEL | PGA_GFP_NORETRY, 4);
	assert_int_equal(sp.compact_priority, PGA_COMPACT_PRIO_SYNC_LIGHT);
	assert_int_equal(pga_sp_initial_compact(&sp), PGA_SP_RETRY);
	assert_int_equal(sp.compact_result, PGA_COMPACT_COMPLETE);
	assert_int_equal(sp.compact_priority, PGA_COMPACT_PRIO_ASYNC);
	finish();
}

/* ---- RETRY ------------------------------------------------------------ */

static void retry_gets_page_and_keeps_kswapd_awake(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(hf.wake_kswapd, 0); /* balanced node: not woken */
	sp.page = (pga_free_pages(sp.page, 0), NULL);
	hf_hog_to((long)hf_min() + 3);
	/* Movable: no steal, so no boost wake-up from rmqueue either. */
	request(PGA_GFP_KERNEL | PGA_GFP_MOVABLE, 0);
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(hf.wake_kswapd, 1);
	finish();
}

static void retry_cannot_reclaim_is_nopage(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_NOWAIT, 0);
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_NOPAGE);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_DIRECT_RECLAIM);
	assert_int_equal(hf.direct_reclaim, 0);
	finish();
}

static void retry_memalloc_recursion_guard(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to(0); /* nothing at all: even NO_WATERMARKS fails */
	pga_set_task_flags(PGA_TASK_MEMALLOC);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_NOPAGE);
	assert_int_equal(sp.alloc_flags,
			 PGA_ALLOC_NO_WATERMARKS | PGA_ALLOC_KSWAPD);
	pga_set_task_flags(0);
	assert_int_equal(hf.direct_reclaim, 0);
	finish();
}

static void retry_reserve_flags_replace_and_drop_nodemask(void **state)
{
	pga_nodemask_t node0 = pga_nodemask_of(0);

	(void)state;
	setup(0);
	/* Between 50% of min and min: only ALLOC_OOM (50%) gets a page. */
	hf_hog_to((long)hf_min() - 5);
	pga_set_task_flags(PGA_TASK_OOM_VICTIM);
	request(PGA_GFP_KERNEL, 0);
	ac.nodemask = &node0;
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(sp.alloc_flags, PGA_ALLOC_OOM | PGA_ALLOC_KSWAPD);
	assert_null(ac.nodemask);
	pga_set_task_flags(0);
	finish();
	/* No reserve, CPUSET set: the nodemask stays. */
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 0);
	ac.nodemask = &node0;
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_DIRECT_RECLAIM);
	assert_ptr_equal(ac.nodemask, &node0);
	/* Atomic high priority has no CPUSET: the nodemask goes. */
	request(PGA_GFP_ATOMIC, 0);
	ac.nodemask = &node0;
	assert_int_equal(pga_sp_retry(&sp), PGA_SP_GOT_PAGE);
	assert_null(ac.nodemask);
	finish();
}

/* ---- DIRECT_RECLAIM ---------------------------------------------------- */

static void direct_reclaim_no_progress_goes_compact(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_direct_reclaim(&sp), PGA_SP_DIRECT_COMPACT);
	assert_int_equal(sp.did_some_progress, 0);
	assert_int_equal(hf.direct_reclaim, 1);
	/* PF_MEMALLOC was set around the hook, and is clear again. */
	assert_true(hf.reclaim_task_flags & PGA_TASK_MEMALLOC);
	assert_false(pga_task_flags() & PGA_TASK_MEMALLOC);
	assert_int_equal(hf.reclaim_nr, 32);
	assert_int_equal(hf.reclaim_gfp, PGA_GFP_KERNEL);
	assert_true(hf.reclaim_nodemask_null);
	finish();
}

static void direct_reclaim_progress_gets_page(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	hf.reclaim_frees = 50;
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_direct_reclaim(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(sp.did_some_progress, 50);
	finish();
}

static void direct_reclaim_progress_but_nothing_goes_compact(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	hf.reclaim_lies = 32;
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_direct_reclaim(&sp), PGA_SP_DIRECT_COMPACT);
	assert_int_equal(sp.did_some_progress, 32);
	finish();
}

static void direct_reclaim_drains_pcp_once(void **state)
{
	struct pga_page_accounting a;

	(void)state;
	hf_init(32, 1, true);
	hf_hog_to((long)hf_min() - 5);
	/* Reclaimed pages land on the CPU's list, not in the buddy. */
	hf.reclaim_frees = 40;
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_direct_reclaim(&sp), PGA_SP_GOT_PAGE);
	pga_page_accounting(&a);
	assert_int_equal(a.pcp, 0); /* drain_all_pages ran */
	finish();
}

/* ---- DIRECT_COMPACT ---------------------------------------------------- */

static void direct_compact_transitions(void **state)
{
	unsigned long stall;

	(void)state;
	setup(0);
	stall = ev(PGA_COMPACTSTALL);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_direct_compact(&sp), PGA_SP_SHOULD_RETRY);
	assert_int_equal(ev(PGA_COMPACTSTALL), stall); /* order 0: nothing */
	request(PGA_GFP_KERNEL, 3);
	assert_int_equal(pga_sp_direct_compact(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(ev(PGA_COMPACTSTALL), stall + 1);
	finish();
	setup(0);
	hf_hog_to(0);
	hf_unhog_odd();
	stall = ev(PGA_COMPACTSTALL);
	request(PGA_GFP_KERNEL, 3);
	assert_int_equal(pga_sp_direct_compact(&sp), PGA_SP_SHOULD_RETRY);
	assert_int_equal(ev(PGA_COMPACTSTALL), stall + 1);
	assert_int_equal(ev(PGA_COMPACTFAIL), 1);
	finish();
}

/* ---- SHOULD_RETRY ------------------------------------------------------ */

static void should_retry_table(void **state)
{
	static const struct {
		pga_gfp_t gfp;
		unsigned int order;
		enum pga_sp_state next;
	} t[] = {
		{PGA_GFP_KERNEL, 0, PGA_SP_RECLAIM_RETRY},
		{PGA_GFP_KERNEL, 3, PGA_SP_RECLAIM_RETRY},
		{PGA_GFP_KERNEL | PGA_GFP_NORETRY, 0, PGA_SP_NOPAGE},
		{PGA_GFP_KERNEL, 4, PGA_SP_NOPAGE},
		{PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL, 4,
		 PGA_SP_RECLAIM_RETRY},
		{PGA_GFP_NOIO | PGA_GFP_RETRY_MAYFAIL, 4, PGA_SP_NOPAGE},
		{PGA_GFP_NOIO | PGA_GFP_RETRY_MAYFAIL, 3, PGA_SP_RECLAIM_RETRY},
	};

	(void)state;
	setup(0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		request(t[i].gfp, t[i].order);
		if (pga_sp_should_retry(&sp) != t[i].next)
			fail_msg("row %zu: gfp %#x order %u", i, t[i].gfp,
				 t[i].order);
	}
	finish();
}

/* ---- RECLAIM_RETRY ----------------------------------------------------- */

static void reclaim_retry_estimate(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 0);
	/* Reclaimable pages would lift the zone over min: retry. */
	hf.reclaimable_answer = 100;
	sp.did_some_progress = 1;
	sp.no_progress_loops = 5;
	assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_RETRY);
	assert_int_equal(sp.no_progress_loops, 0);
	assert_true(hf.yield >= 1);
	/* Not enough reclaimable: give up on reclaim. */
	hf.reclaimable_answer = 4;
	sp.did_some_progress = 0;
	assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_COMPACT_RETRY);
	assert_int_equal(sp.no_progress_loops, 1);
	finish();
}

static void reclaim_retry_sixteen_loops(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 0);
	hf.reclaimable_answer = 1000;
	sp.did_some_progress = 0;
	for (int i = 1; i <= 16; i++) {
		assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_RETRY);
		assert_int_equal(sp.no_progress_loops, i);
	}
	hf.reclaimable = 0;
	assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_COMPACT_RETRY);
	assert_int_equal(sp.no_progress_loops, 17);
	assert_int_equal(hf.reclaimable, 0); /* no estimate past the limit */
	finish();
}

static void reclaim_retry_costly_progress_still_counts(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL, 4);
	sp.did_some_progress = 10;
	sp.no_progress_loops = 3;
	assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_RETRY);
	assert_int_equal(sp.no_progress_loops, 4);
	finish();
}

static void reclaim_retry_forced_unreserve(void **state)
{
	struct pga_zone *z;
	struct pga_page *pg;

	(void)state;
	setup(0);
	z = hf_zone();
	/*
	 * A high-order atomic allocation in the slow path (below low)
	 * reserves a HIGHATOMIC pageblock.
	 */
	hf_hog_to((long)pga_wmark_pages(z, PGA_WMARK_LOW) - 5);
	pg = pga_alloc_pages(PGA_GFP_ATOMIC, 2);
	assert_non_null(pg);
	assert_int_equal(z->nr_reserved_highatomic, PGA_PAGEBLOCK_NR_PAGES);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 0);
	sp.no_progress_loops = 16; /* the last allowed loop is used up */
	assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_RETRY);
	assert_int_equal(z->nr_reserved_highatomic, 0);
	/* Nothing left to unreserve: now it gives up. */
	assert_int_equal(pga_sp_reclaim_retry(&sp), PGA_SP_COMPACT_RETRY);
	pga_free_pages(pg, 2);
	finish();
}

/* ---- COMPACT_RETRY ----------------------------------------------------- */

static void compact_retry_success_counts_then_escalates(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 2);
	sp.did_some_progress = 1;
	sp.compact_result = PGA_COMPACT_SUCCESS;
	for (int i = 1; i <= PGA_MAX_COMPACT_RETRIES; i++) {
		assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RETRY);
		assert_int_equal(sp.compaction_retries, i);
	}
	/* 17th: escalate SYNC_LIGHT -> SYNC_FULL and restart the count. */
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RETRY);
	assert_int_equal(sp.compact_priority, PGA_COMPACT_PRIO_SYNC_FULL);
	assert_int_equal(sp.compaction_retries, 0);
	/* Failed at the strongest priority: on to OOM. */
	sp.compact_result = PGA_COMPACT_COMPLETE;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	finish();
}

static void compact_retry_costly_limits(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL, 5);
	sp.did_some_progress = 1;
	sp.compact_result = PGA_COMPACT_SUCCESS;
	sp.compact_priority = PGA_COMPACT_PRIO_ASYNC;
	for (int i = 1; i <= PGA_MAX_COMPACT_RETRIES / 4; i++)
		assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RETRY);
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RETRY);
	assert_int_equal(sp.compact_priority, PGA_COMPACT_PRIO_SYNC_LIGHT);
	sp.compact_result = PGA_COMPACT_COMPLETE;
	/* Costly orders never go past SYNC_LIGHT. */
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	assert_int_equal(sp.compact_priority, PGA_COMPACT_PRIO_SYNC_LIGHT);
	finish();
}

static void compact_retry_needs_progress_and_order(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 2);
	sp.compact_result = PGA_COMPACT_SUCCESS;
	sp.did_some_progress = 0;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	request(PGA_GFP_KERNEL, 0);
	sp.did_some_progress = 1;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	request(PGA_GFP_NOIO, 2); /* cannot compact */
	sp.did_some_progress = 1;
	sp.compact_result = PGA_COMPACT_SUCCESS;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	/* A fatal signal stops compaction retries. */
	request(PGA_GFP_KERNEL, 2);
	sp.did_some_progress = 1;
	sp.compact_result = PGA_COMPACT_SUCCESS;
	hf.fatal_signal = true;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	finish();
}

static void compact_retry_skipped_asks_reclaim(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_KERNEL, 2);
	sp.did_some_progress = 1;
	sp.compact_result = PGA_COMPACT_SKIPPED;
	hf.reclaimable_answer = 0;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	/* reclaimable/order + free would pass min + compact_gap: retry. */
	hf.reclaimable_answer = 2 * (hf_min() + 100);
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RETRY);
	finish();
}

static void compact_retry_cpuset_change_restarts(void **state)
{
	pga_nodemask_t only1 = pga_nodemask_of(1);

	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 0);
	hf.cookie_value = 5;
	sp.cpuset_cookie = 4;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RESTART);
	sp.cpuset_cookie = 5;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_OOM);
	/* A nodemask outside the cpuset is dropped, and we restart. */
	pga_g.hooks.cpuset_node_allowed = allow_node0;
	ac.nodemask = &only1;
	assert_int_equal(pga_sp_compact_retry(&sp), PGA_SP_RESTART);
	assert_null(ac.nodemask);
	pga_g.hooks.cpuset_node_allowed = NULL;
	finish();
}

/* ---- OOM -------------------------------------------------------------- */

static void oom_progress_retries(void **state)
{
	unsigned long kills;

	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	kills = ev(PGA_OOM_KILL);
	hf.oom_returns = true;
	request(PGA_GFP_KERNEL, 0);
	sp.no_progress_loops = 9;
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_RETRY);
	assert_int_equal(hf.oom, 1);
	assert_int_equal(sp.did_some_progress, 1);
	assert_int_equal(sp.no_progress_loops, 0);
	assert_int_equal(ev(PGA_OOM_KILL), kills + 1);
	hf.oom_returns = false;
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_NOPAGE);
	assert_int_equal(hf.oom, 2);
	finish();
}

static void oom_skipped_requests(void **state)
{
	static const struct {
		pga_gfp_t gfp;
		unsigned int order;
	} t[] = {
		{PGA_GFP_KERNEL, 4},			/* costly */
		{PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL, 0},
		{PGA_GFP_KERNEL | PGA_GFP_THISNODE, 0},
	};

	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	hf.oom_returns = true;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		request(t[i].gfp, t[i].order);
		assert_int_equal(pga_sp_oom(&sp), PGA_SP_NOPAGE);
	}
	/* Lowmem-only requests (highest zone below NORMAL). */
	request(PGA_GFP_KERNEL, 0);
	ac.highest_zoneidx = PGA_ZONE_DMA32;
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_NOPAGE);
	/* Storage suspended: the allowed mask lost IO/FS. */
	pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK & ~PGA_GFP_FS);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_NOPAGE);
	pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK);
	assert_int_equal(hf.oom, 0);
	finish();
}

static void oom_nofs_is_progress_without_kill(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	request(PGA_GFP_NOFS, 0);
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_RETRY);
	assert_int_equal(hf.oom, 0);
	finish();
}

static void oom_high_watermark_last_try(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 0); /* the zone is above HIGH */
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(hf.oom, 0);
	finish();
}

static void oom_victim_gives_up(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to(0);
	hf.oom_returns = true;
	pga_set_task_flags(PGA_TASK_OOM_VICTIM);
	request(PGA_GFP_KERNEL, 0);
	sp.alloc_flags = PGA_ALLOC_OOM;
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_NOPAGE);
	request(PGA_GFP_KERNEL | PGA_GFP_NOMEMALLOC, 0);
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_NOPAGE);
	request(PGA_GFP_KERNEL, 0); /* victim, but without its reserve yet */
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_RETRY);
	pga_set_task_flags(0);
	finish();
}

static void oom_lock_busy_is_progress(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to((long)hf_min() - 5);
	pga_g.reclaim.oom_lock = 1;
	hf.oom_returns = true;
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_RETRY);
	assert_int_equal(hf.oom, 0);
	assert_int_equal(hf.yield, 1);
	pga_g.reclaim.oom_lock = 0;
	finish();
}

static void oom_nofail_takes_no_watermarks(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to(3);
	request(PGA_GFP_KERNEL | PGA_GFP_NOFAIL, 0);
	fx_log_clear();
	assert_int_equal(pga_sp_oom(&sp), PGA_SP_GOT_PAGE);
	assert_int_equal(hf.oom, 1);
	assert_true(fx_log_contains("__GFP_NOFAIL and the OOM killer"));
	finish();
}

/* ---- NOPAGE / FAIL / GOT ---------------------------------------------- */

static void nopage_table(void **state)
{
	(void)state;
	setup(0);
	hf_hog_to(0);
	request(PGA_GFP_KERNEL, 0);
	assert_int_equal(pga_sp_nopage(&sp), PGA_SP_FAIL);
	hf.cookie_value = 1;
	assert_int_equal(pga_sp_nopage(&sp), PGA_SP_RESTART);
	hf.cookie_value = 0;
	/* NOFAIL without reclaim: a caller bug, warned once, fails. */
	request(PGA_GFP_NOWAIT | PGA_GFP_NOFAIL, 0);
	fx_log_clear();
	assert_int_equal(pga_sp_nopage(&sp), PGA_SP_FAIL);
	assert_int_equal(pga_sp_nopage(&sp), PGA_SP_FAIL);
	assert_int_equal(fx_log_count(), 1);
	assert_true(fx_log_contains("__GFP_NOFAIL without __GFP_DIRECT_RECLAIM"));
	/* NOFAIL with nothing free: yield and retry. */
	request(PGA_GFP_KERNEL | PGA_GFP_NOFAIL, 0);
	assert_int_equal(pga_sp_nopage(&sp), PGA_SP_RETRY);
	assert_int_equal(hf.yield, 1);
	finish();
}

static void nopage_nofail_min_reserve_fallback(void **state)
{
	unsigned long half;

	(void)state;
	setup(0);
	/* Below min but above min/2: ALLOC_MIN_RESERVE reaches it. */
	half = hf_min() / 2;
	hf_hog_to((long)half + 24); /* 15 unusable for order 4 */
	request(PGA_GFP_KERNEL | PGA_GFP_NOFAIL, 4);
	fx_log_clear();
	assert_int_equal(pga_sp_nopage(&sp), PGA_SP_GOT_PAGE);
	assert_true(fx_log_contains("__GFP_NOFAIL of a costly order"));
	finish();
}

static void fail_and_got_are_final(void **state)
{
	(void)state;
	setup(0);
	request(PGA_GFP_KERNEL, 1);
	fx_log_clear();
	assert_int_equal(pga_sp_fail(&sp), PGA_SP_DONE);
	assert_null(sp.page);
	assert_true(fx_log_contains("page allocation failure: order:1, "
				    "mode:0xcc0, nodemask=(null)"));
	assert_int_equal(pga_sp_got_page(&sp), PGA_SP_DONE);
	assert_int_equal(pga_sp_step(&sp, PGA_SP_DONE), PGA_SP_DONE);
	assert_int_equal(pga_sp_step(&sp, (enum pga_sp_state)99), PGA_SP_DONE);
	assert_string_equal(pga_sp_state_names[PGA_SP_DIRECT_COMPACT],
			    "direct_compact");
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(restart_resets_and_gets_page),
		cmocka_unit_test(restart_below_min_wakes_kswapd),
		cmocka_unit_test(restart_without_kswapd_bit_does_not_wake),
		cmocka_unit_test(restart_no_zone_is_nopage),
		cmocka_unit_test(restart_cpuset_without_zone_is_nopage),
		cmocka_unit_test(initial_compact_skipped_cases),
		cmocka_unit_test(initial_compact_gets_page),
		cmocka_unit_test(initial_compact_costly_noretry_skipped_is_nopage),
		cmocka_unit_test(initial_compact_costly_noretry_deferred_is_nopage),
		cmocka_unit_test(initial_compact_costly_noretry_failed_stays_async),
		cmocka_unit_test(retry_gets_page_and_keeps_kswapd_awake),
		cmocka_unit_test(retry_cannot_reclaim_is_nopage),
		cmocka_unit_test(retry_memalloc_recursion_guard),
		cmocka_unit_test(retry_reserve_flags_replace_and_drop_nodemask),
		cmocka_unit_test(direct_reclaim_no_progress_goes_compact),
		cmocka_unit_test(direct_reclaim_progress_gets_page),
		cmocka_unit_test(direct_reclaim_progress_but_nothing_goes_compact),
		cmocka_unit_test(direct_reclaim_drains_pcp_once),
		cmocka_unit_test(direct_compact_transitions),
		cmocka_unit_test(should_retry_table),
		cmocka_unit_test(reclaim_retry_estimate),
		cmocka_unit_test(reclaim_retry_sixteen_loops),
		cmocka_unit_test(reclaim_retry_costly_progress_still_counts),
		cmocka_unit_test(reclaim_retry_forced_unreserve),
		cmocka_unit_test(compact_retry_success_counts_then_escalates),
		cmocka_unit_test(compact_retry_costly_limits),
		cmocka_unit_test(compact_retry_needs_progress_and_order),
		cmocka_unit_test(compact_retry_skipped_asks_reclaim),
		cmocka_unit_test(compact_retry_cpuset_change_restarts),
		cmocka_unit_test(oom_progress_retries),
		cmocka_unit_test(oom_skipped_requests),
		cmocka_unit_test(oom_nofs_is_progress_without_kill),
		cmocka_unit_test(oom_high_watermark_last_try),
		cmocka_unit_test(oom_victim_gives_up),
		cmocka_unit_test(oom_lock_busy_is_progress),
		cmocka_unit_test(oom_nofail_takes_no_watermarks),
		cmocka_unit_test(nopage_table),
		cmocka_unit_test(nopage_nofail_min_reserve_fallback),
		cmocka_unit_test(fail_and_got_are_final),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
