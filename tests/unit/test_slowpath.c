/* SPDX-License-Identifier: MIT */
/*
 * The slow path end to end, through pga_alloc_pages(): who gets memory
 * below the watermarks, in which order reclaim, compaction and the OOM
 * killer are asked, when each kind of request gives up, and the failure
 * report.  One 32 MiB ZONE_NORMAL, per-CPU lists off.
 */
#include <string.h>

#include "hookfake.h"
#include "slowpath.h"

static void setup(void)
{
	hf_init(32, 1, false);
}

/*
 * Below min but above half of it: direct reclaimers are not throttled
 * (that wait is tested in test_reclaim.c).
 */
static long unthrottled(void)
{
	return (long)(hf_min() / 2) + 10;
}

static void done(struct pga_page *pg, unsigned int order)
{
	if (pg)
		pga_free_pages(pg, order);
	hf_unhog_all();
	fx_assert_consistent();
}

/*
 * GFP_ATOMIC: min - min/2 - (min - min/2)/4, i.e. 37.5% below min.  The
 * unboosted min: order-0 __GFP_HIGH requests ignore a watermark boost.
 */
static long atomic_floor(void)
{
	long min = (long)hf_zone()->watermark[PGA_WMARK_MIN];

	min -= min / 2;
	min -= min / 4;
	return min;
}

static void atomic_reserve_boundary(void **state)
{
	struct pga_page *pg, *pg2;

	(void)state;
	setup();
	hf_hog_to(atomic_floor() + 1);
	/* Below min, GFP_KERNEL's fast path and MIN pass fail ... */
	pg = pga_alloc_pages(PGA_GFP_ATOMIC, 0);
	assert_non_null(pg); /* ... but atomic dips into its reserve */
	assert_int_equal(hf_free(), atomic_floor());
	pg2 = pga_alloc_pages(PGA_GFP_ATOMIC | PGA_GFP_NOWARN, 0);
	assert_null(pg2); /* at the floor: no more */
	assert_int_equal(hf.direct_reclaim, 0);
	assert_int_equal(hf.oom, 0);
	assert_true(hf.wake_kswapd >= 2); /* kswapd asked to help */
	/* __GFP_HIGH alone (blocking) reaches 50%, not 37.5%. */
	assert_true(atomic_floor() < (long)(hf_min() - hf_min() / 2));
	done(pg, 0);
}

static void high_without_atomic_stops_at_half(void **state)
{
	struct pga_page *pg;
	long half;

	(void)state;
	setup();
	half = (long)(hf_min() - hf_min() / 2);
	hf_hog_to(half + 1);
	/* Blocking __GFP_HIGH: 50% of min, then reclaim/OOM. */
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_HIGH | PGA_GFP_NORETRY,
			     0);
	assert_non_null(pg);
	assert_int_equal(hf_free(), half);
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_HIGH |
					    PGA_GFP_NORETRY | PGA_GFP_NOWARN,
				    0));
	assert_int_equal(hf.direct_reclaim, 1);
	done(pg, 0);
}

static void kernel_reclaims_then_retries_then_ooms(void **state)
{
	struct pga_page *pg;

	(void)state;
	setup();
	hf_hog_to(unthrottled());
	/* Reclaim frees nothing, but claims there is plenty to reclaim. */
	hf.reclaimable_answer = 10000;
	hf.oom_returns = true;
	hf.oom_frees = hf_min();
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	/* 16 retries after the first, then the OOM killer, then success. */
	assert_int_equal(hf.direct_reclaim, PGA_MAX_RECLAIM_RETRIES + 1);
	assert_int_equal(hf.oom, 1);
	assert_int_equal(hf_count('O'), 1);
	/* Every reclaim call came before the kill. */
	assert_true(strrchr(hf.trace, 'R') < strchr(hf.trace, 'O'));
	assert_int_equal(pga_vm_event_sum(PGA_ALLOCSTALL_NORMAL),
			 PGA_MAX_RECLAIM_RETRIES + 1);
	done(pg, 0);
}

static void kernel_reclaim_progress_succeeds_without_oom(void **state)
{
	struct pga_page *pg;
	(void)state;
	long start;

	setup();
	start = unthrottled();
	hf_hog_to(start);
	hf.reclaim_frees = 8;
	hf.reclaimable_answer = 10000;
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	assert_int_equal(hf.oom, 0);
	/* Each round frees 8; the page comes once free > min. */
	assert_int_equal(hf.direct_reclaim,
			 (int)(((long)hf_min() - start) / 8 + 1));
	assert_int_equal(pga_vm_event_sum(PGA_PGSTEAL_DIRECT),
			 (unsigned long)hf.direct_reclaim * 8);
	done(pg, 0);
}

static void costly_never_ooms(void **state)
{
	struct pga_page *pg;

	(void)state;
	setup();
	hf_hog_to(0);
	hf_unhog_odd(); /* plenty free, but no free pair */
	hf.reclaim_lies = 32;
	hf.oom_returns = true;
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 4);
	assert_null(pg);
	assert_int_equal(hf.oom, 0);
	assert_int_equal(hf.direct_reclaim, 1); /* one round, no retry */
	/*
	 * RETRY_MAYFAIL goes on only while a retry rule holds: here neither
	 * the order-4 watermark estimate nor compaction (SYNC_LIGHT is the
	 * strongest costly priority) can help, so one more round, no kill.
	 */
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL |
				     PGA_GFP_NOWARN, 4);
	assert_null(pg);
	assert_int_equal(hf.oom, 0);
	assert_int_equal(hf.direct_reclaim, 2);
	done(NULL, 0);
}

static void costly_mayfail_retries_while_reclaim_helps(void **state)
{
	struct pga_page *pg;

	(void)state;
	setup();
	hf_hog_to(unthrottled());
	/* Too little free to compact; reclaim frees 32 pages a round. */
	hf.reclaim_frees = 32;
	hf.reclaimable_answer = 100000;
	hf.oom_returns = true;
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL, 4);
	assert_non_null(pg);
	assert_true(hf.direct_reclaim > 1); /* it retried */
	assert_int_equal(hf.oom, 0);
	done(pg, 4);
}

static void noretry_stops_after_one_round(void **state)
{
	(void)state;
	setup();
	hf_hog_to(unthrottled());
	hf.reclaimable_answer = 10000;
	hf.oom_returns = true;
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NORETRY |
					    PGA_GFP_NOWARN, 0));
	assert_int_equal(hf.direct_reclaim, 1);
	assert_int_equal(hf.oom, 0);
	done(NULL, 0);
}

static void nofail_keeps_going_until_a_hook_frees(void **state)
{
	struct pga_page *pg;

	(void)state;
	setup();
	hf_hog_to(0);
	hf.reclaim_fail_first = 40;
	hf.reclaim_frees = 1000;
	hf.oom_returns = false;
	fx_log_clear();
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOFAIL, 0);
	assert_non_null(pg);
	assert_int_equal(hf.direct_reclaim, 41);
	/* Each failed round also asked the OOM killer. */
	assert_int_equal(hf.oom, 40);
	assert_true(fx_log_contains("__GFP_NOFAIL and the OOM killer"));
	assert_false(fx_log_contains("page allocation failure"));
	done(pg, 0);
}

static void lying_reclaim_does_not_loop_forever(void **state)
{
	(void)state;
	setup();
	hf_hog_to(0);
	hf.reclaim_lies = 32; /* "progress", nothing freed */
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 0));
	assert_int_equal(hf.direct_reclaim, 1);
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 2));
	assert_true(hf.direct_reclaim < 10);
	done(NULL, 0);
}

/*
 * A hook that claims progress forever while freeing nothing, with enough
 * "reclaimable" memory that should_reclaim_retry would always retry: the
 * 17th claim in a row is disbelieved (one report), no-progress rounds
 * then count up to MAX_RECLAIM_RETRIES and the request fails; the first
 * real free makes claims believable again.
 */
static void reclaim_claiming_progress_without_freeing_is_disbelieved(
	void **state)
{
	struct pga_page *pg;

	(void)state;
	setup();
	hf_hog_to(unthrottled()); /* compaction skipped, "suitable" later */
	hf.reclaim_lies = 32;
	hf.reclaimable_answer = 1UL << 20;
	fx_log_clear();
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 1);
	assert_null(pg);
	/* 16 believed claims, then 1 + MAX_RECLAIM_RETRIES disbelieved. */
	assert_int_equal(hf.direct_reclaim, 2 * PGA_MAX_RECLAIM_RETRIES + 1);
	assert_int_equal(fx_log_count(), 0); /* NOWARN silences it */
	assert_int_equal(pga_g.reclaim.empty_claims,
			 2 * PGA_MAX_RECLAIM_RETRIES + 1);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 1);
	assert_null(pg);
	assert_true(fx_log_contains("direct_reclaim hook reports progress "
				    "but frees no page"));
	/* An honest round frees plenty: believed again, and served. */
	hf.reclaim_lies = 0;
	hf.reclaim_frees = 1024;
	hf.direct_reclaim = 0;
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 1);
	assert_non_null(pg);
	assert_int_equal(hf.direct_reclaim, 1);
	assert_int_equal(pga_g.reclaim.empty_claims, 0);
	done(pg, 1);
}

/*
 * GFP_NOIO never asks the OOM killer and retries until memory appears;
 * a fatal signal ends that: the task becomes its own OOM victim (no one
 * else is killed), may dip into the OOM reserve once, then fails.
 */
static void dying_noio_task_takes_oom_reserve_then_fails(void **state)
{
	struct pga_page *pg;
	unsigned long before;

	(void)state;
	setup();
	hf.fatal_signal = true;
	hf.oom_returns = true;
	hf_hog_to(unthrottled()); /* above the OOM reserve floor */
	pg = pga_alloc_pages(PGA_GFP_NOIO, 0);
	assert_non_null(pg);
	assert_int_equal(hf.oom, 0);
	assert_int_equal(hf_free(), unthrottled() - 1);
	pga_free_pages(pg, 0);
	hf_hog_to(0);
	hf_reset();
	hf.fatal_signal = true;
	hf.oom_returns = true;
	before = pga_vm_event_sum(PGA_OOM_KILL);
	assert_null(pga_alloc_pages(PGA_GFP_NOIO | PGA_GFP_NOWARN, 0));
	assert_int_equal(hf.oom, 0);
	assert_int_equal(pga_vm_event_sum(PGA_OOM_KILL), before);
	/*
	 * Nothing reclaimable: each reclaim round goes straight to the OOM
	 * step; the first marks the task, the second (with ALLOC_OOM) ends it.
	 */
	assert_int_equal(hf.direct_reclaim, 2);
	done(NULL, 0);
}

static void memalloc_task_uses_reserves_and_never_reclaims(void **state)
{
	struct pga_page *pg;

	(void)state;
	setup();
	hf_hog_to(2);
	pga_set_task_flags(PGA_TASK_MEMALLOC);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	assert_true(pga_page_is_pfmemalloc(pg));
	hf_hog_to(0);
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 0));
	assert_int_equal(hf.direct_reclaim, 0);
	pga_set_task_flags(0);
	done(pg, 0);
}

static void warn_alloc_report_and_ratelimit(void **state)
{
	(void)state;
	setup();
	hf_hog_to(0);
	fx_log_clear();
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT | PGA_GFP_NOWARN, 0));
	assert_int_equal(fx_log_count(), 0);
	hf.clock_ns = 5;
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT, 3));
	assert_true(fx_log_contains("page allocation failure: order:3, "
				    "mode:0x800, nodemask=(null)"));
	/* show_mem: the zone's numbers and its free blocks per order. */
	assert_true(fx_log_contains("Node 0 Normal free:0kB"));
	assert_true(fx_log_contains("Node 0 Normal: 0*4kB 0*8kB"));
	assert_true(fx_log_contains("= 0kB"));
	fx_log_clear();
	hf.clock_ns += 9ULL * 1000000000ULL;
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT, 0));
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT, 0));
	assert_int_equal(fx_log_count(), 0); /* within 10 s: suppressed */
	hf.clock_ns += 1000000000ULL;
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT, 1));
	assert_true(fx_log_contains("2 callbacks suppressed"));
	assert_true(fx_log_contains("order:1"));
	done(NULL, 0);
}

static void warn_alloc_nodemask_and_dma(void **state)
{
	pga_nodemask_t m = {0x1};

	(void)state;
	setup();
	hf_hog_to(0);
	fx_log_clear();
	assert_null(pga_alloc_pages_nodemask(PGA_GFP_NOWAIT, 0, 0, &m));
	assert_true(fx_log_contains("nodemask=0"));
	/* __GFP_DMA with no DMA zone on this machine: no report. */
	fx_log_clear();
	assert_null(pga_alloc_pages(PGA_GFP_NOWAIT | PGA_GFP_DMA, 0));
	assert_false(fx_log_contains("page allocation failure"));
	done(NULL, 0);
}

static void oom_victim_gets_half_min_then_stops(void **state)
{
	struct pga_page *pg;
	long half;

	(void)state;
	setup();
	half = (long)(hf_min() - hf_min() / 2);
	hf_hog_to(half + 1);
	hf.oom_returns = true;
	pga_set_task_flags(PGA_TASK_OOM_VICTIM);
	pg = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	assert_int_equal(hf.direct_reclaim, 0); /* the reserve came first */
	/* At the floor: reclaim, then OOM - and a victim gives up. */
	assert_null(pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, 0));
	assert_int_equal(hf.oom, 1);
	pga_set_task_flags(0);
	done(pg, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(atomic_reserve_boundary),
		cmocka_unit_test(high_without_atomic_stops_at_half),
		cmocka_unit_test(kernel_reclaims_then_retries_then_ooms),
		cmocka_unit_test(kernel_reclaim_progress_succeeds_without_oom),
		cmocka_unit_test(costly_never_ooms),
		cmocka_unit_test(costly_mayfail_retries_while_reclaim_helps),
		cmocka_unit_test(noretry_stops_after_one_round),
		cmocka_unit_test(nofail_keeps_going_until_a_hook_frees),
		cmocka_unit_test(lying_reclaim_does_not_loop_forever),
		cmocka_unit_test(
			reclaim_claiming_progress_without_freeing_is_disbelieved),
		cmocka_unit_test(dying_noio_task_takes_oom_reserve_then_fails),
		cmocka_unit_test(memalloc_task_uses_reserves_and_never_reclaims),
		cmocka_unit_test(warn_alloc_report_and_ratelimit),
		cmocka_unit_test(warn_alloc_nodemask_and_dma),
		cmocka_unit_test(oom_victim_gets_half_min_then_stops),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
