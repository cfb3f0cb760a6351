/* SPDX-License-Identifier: MIT */
/*
 * The slow path (Linux 6.6 __alloc_pages_slowpath) as an explicit state
 * machine.  One function per state of slowpath.h, each mapped to a label
 * or block of the reference, returning the next state:
 *
 *   RESTART -> GOT_PAGE | NOPAGE | INITIAL_COMPACT
 *   INITIAL_COMPACT -> GOT_PAGE | NOPAGE | RETRY
 *   RETRY -> GOT_PAGE | NOPAGE | DIRECT_RECLAIM
 *   DIRECT_RECLAIM -> GOT_PAGE | DIRECT_COMPACT
 *   DIRECT_COMPACT -> GOT_PAGE | SHOULD_RETRY
 *   SHOULD_RETRY -> NOPAGE | RECLAIM_RETRY
 *   RECLAIM_RETRY -> RETRY | COMPACT_RETRY
 *   COMPACT_RETRY -> RETRY | RESTART | OOM
 *   OOM -> GOT_PAGE | NOPAGE | RETRY
 *   NOPAGE -> RESTART | FAIL | GOT_PAGE | RETRY
 *   FAIL, GOT_PAGE -> DONE
 *
 * The retry decisions, the OOM step and the failure report are in
 * slowpath_retry.c.
 */
#include "slowpath.h"

const char *const pga_sp_state_names[PGA_SP_NR_STATES] = {
	[PGA_SP_RESTART] = "restart",
	[PGA_SP_INITIAL_COMPACT] = "initial_compact",
	[PGA_SP_RETRY] = "retry",
	[PGA_SP_DIRECT_RECLAIM] = "direct_reclaim",
	[PGA_SP_DIRECT_COMPACT] = "direct_compact",
	[PGA_SP_SHOULD_RETRY] = "should_retry",
	[PGA_SP_RECLAIM_RETRY] = "reclaim_retry",
	[PGA_SP_COMPACT_RETRY] = "compact_retry",
	[PGA_SP_OOM] = "oom",
	[PGA_SP_NOPAGE] = "nopage",
	[PGA_SP_FAIL] = "fail",
	[PGA_SP_GOT_PAGE] = "got_page",
};

/*
 * Set up the slow path's locals for a request (the declarations at the
 * top of __alloc_pages_slowpath).  Context: any.
 */
void pga_sp_init(struct pga_slowpath *sp, pga_gfp_t gfp, unsigned int order,
		 struct pga_alloc_context *ac)
{
	__builtin_memset(sp, 0, sizeof(*sp));
	sp->gfp = gfp;
	sp->order = order;
	sp->ac = ac;
	sp->can_direct_reclaim = (gfp & PGA_GFP_DIRECT_RECLAIM) != 0;
	sp->can_compact = (gfp & PGA_GFP_IO) != 0; /* gfp_compaction_allowed */
	sp->costly = order > PGA_COSTLY_ORDER;
	sp->compact_priority = PGA_DEF_COMPACT_PRIORITY;
	sp->compact_result = PGA_COMPACT_SKIPPED;
}

static struct pga_page *gpf(struct pga_slowpath *sp)
{
	return pga_get_page_from_freelist(sp->gfp, sp->order, sp->alloc_flags,
					  sp->ac);
}

static unsigned int cpuset_cookie(void)
{
	return pga_g.hooks.cpuset_mems_cookie
		       ? pga_g.hooks.cpuset_mems_cookie(pga_g.hooks.ctx)
		       : 0;
}

/* Does any zone the request may use lie on a node its cpuset allows? */
static bool cpuset_has_zone(const struct pga_slowpath *sp)
{
	const struct pga_alloc_context *ac = sp->ac;

	for (const struct pga_zoneref *zr = ac->zonelist->zonerefs; zr->zone;
	     zr++)
		if (zr->zone_idx <= ac->highest_zoneidx &&
		    pga_g.hooks.cpuset_node_allowed(pga_g.hooks.ctx,
						    zr->zone->nid, sp->gfp))
			return true;
	return false;
}

/*
 * Linux check_retry_cpuset: restart when the caller's nodemask no longer
 * meets the cpuset (dropping the nodemask), or when the cpuset changed
 * since RESTART.
 */
static bool check_retry_cpuset(struct pga_slowpath *sp)
{
	const pga_nodemask_t *nm = sp->ac->nodemask;

	if (pga_cpusets_enabled() && nm) {
		bool meets = false;

		for (int nid = 0; nid < pga_g.nr_nodes && !meets; nid++)
			meets = pga_nodemask_test(nm, nid) &&
				pga_g.hooks.cpuset_node_allowed(
					pga_g.hooks.ctx, nid, PGA_GFP_HARDWALL);
		if (!meets) {
			sp->ac->nodemask = NULL;
			return true;
		}
	}
	return cpuset_cookie() != sp->cpuset_cookie;
}

/*
 * restart: reset the retry state, compute the slow path's alloc_flags
 * (MIN watermark, reserve rights of atomic callers), find the first
 * usable zone, wake kswapd and try again.  A hardwalled request whose
 * cpuset allows none of its zones fails at once.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_restart(struct pga_slowpath *sp)
{
	struct pga_alloc_context *ac = sp->ac;

	sp->compaction_retries = 0;
	sp->no_progress_loops = 0;
	sp->compact_priority = PGA_DEF_COMPACT_PRIORITY;
	sp->cpuset_cookie = cpuset_cookie();
	sp->alloc_flags = pga_gfp_to_alloc_flags(sp->gfp, sp->order);
	ac->preferred_zoneref = pga_first_zone(
		ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		return PGA_SP_NOPAGE;
	if (pga_cpusets_enabled() && (sp->gfp & PGA_GFP_HARDWALL) &&
	    !cpuset_has_zone(sp))
		return PGA_SP_NOPAGE;
	if (sp->alloc_flags & PGA_ALLOC_KSWAPD)
		pga_wake_all_kswapds(sp->order, sp->gfp, ac);
	sp->page = gpf(sp);
	return sp->page ? PGA_SP_GOT_PAGE : PGA_SP_INITIAL_COMPACT;
}

/*
 * Linux __alloc_pages_direct_compact: compact at @prio with PF_MEMALLOC
 * set, then take the captured block or try the freelists.  Counts
 * compact_stall / compact_success / compact_fail and resets the zone's
 * deferral on success.  Order 0 never compacts.
 */
static struct pga_page *direct_compact(struct pga_slowpath *sp,
				       enum pga_compact_priority prio)
{
	struct pga_page *page;
	unsigned int saved;

	if (!sp->order)
		return NULL;
	saved = pga_memalloc_noreclaim_save();
	sp->compact_result = pga_try_to_compact_pages(
		sp->gfp, sp->order, sp->alloc_flags, sp->ac, prio, &page);
	pga_memalloc_noreclaim_restore(saved);
	if (sp->compact_result == PGA_COMPACT_SKIPPED)
		return NULL;
	pga_count_event(PGA_COMPACTSTALL, 1);
	if (page)
		pga_prep_new_page(page, sp->order, sp->gfp, sp->alloc_flags);
	else
		page = gpf(sp);
	if (page) {
		struct pga_zone *z = page_zone(page);

		z->compact_blockskip_flush = false;
		pga_compaction_defer_reset(z, (int)sp->order, true);
		pga_count_event(PGA_COMPACTSUCCESS, 1);
		return page;
	}
	pga_count_event(PGA_COMPACTFAIL, 1);
	if (pga_g.hooks.yield)
		pga_g.hooks.yield(pga_g.hooks.ctx);
	return NULL;
}

/*
 * Costly requests, and high-order requests that are not movable, try
 * async compaction before reclaim (not for callers allowed to ignore
 * watermarks: they have not tried that yet).  A costly NORETRY request
 * whose compaction was skipped or deferred gives up; otherwise it stays
 * with async compaction.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_initial_compact(struct pga_slowpath *sp)
{
	bool unmovable = sp->ac->migratetype != PGA_MIGRATE_MOVABLE;
	bool wanted = sp->costly || (sp->order > 0 && unmovable);

	if (!sp->can_direct_reclaim || !sp->can_compact || !wanted ||
	    pga_gfp_pfmemalloc_flags(sp->gfp))
		return PGA_SP_RETRY;
	sp->page = direct_compact(sp, PGA_INIT_COMPACT_PRIORITY);
	if (sp->page)
		return PGA_SP_GOT_PAGE;
	if (sp->costly && (sp->gfp & PGA_GFP_NORETRY)) {
		if (sp->compact_result == PGA_COMPACT_SKIPPED ||
		    sp->compact_result == PGA_COMPACT_DEFERRED)
			return PGA_SP_NOPAGE;
		sp->compact_priority = PGA_INIT_COMPACT_PRIORITY;
	}
	return PGA_SP_RETRY;
}

/*
 * retry: keep kswapd awake, replace alloc_flags with the reserve rights
 * of PF_MEMALLOC tasks, __GFP_MEMALLOC and OOM victims (dropping the
 * nodemask for them and for cpuset-free requests), try again.  Callers
 * that cannot reclaim, and reclaimers themselves (recursion guard), stop
 * here.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_retry(struct pga_slowpath *sp)
{
	struct pga_alloc_context *ac = sp->ac;
	unsigned int reserve;

	if (sp->alloc_flags & PGA_ALLOC_KSWAPD)
		pga_wake_all_kswapds(sp->order, sp->gfp, ac);
	reserve = pga_gfp_pfmemalloc_flags(sp->gfp);
	if (!reserve && sp->dying && !(sp->gfp & PGA_GFP_NOMEMALLOC) &&
	    !(pga_task_flags() & PGA_TASK_IN_IRQ))
		reserve = PGA_ALLOC_OOM; /* as an OOM victim (out_of_memory) */
	if (reserve)
		sp->alloc_flags = pga_gfp_to_alloc_flags_cma(sp->gfp, reserve) |
				  (sp->alloc_flags & PGA_ALLOC_KSWAPD);
	if (!(sp->alloc_flags & PGA_ALLOC_CPUSET) || reserve) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = pga_first_zone(
			ac->zonelist, ac->highest_zoneidx, NULL);
	}
	sp->page = gpf(sp);
	if (sp->page)
		return PGA_SP_GOT_PAGE;
	if (!sp->can_direct_reclaim ||
	    (pga_task_flags() & PGA_TASK_MEMALLOC))
		return PGA_SP_NOPAGE;
	return PGA_SP_DIRECT_RECLAIM;
}

/*
 * Linux __alloc_pages_direct_reclaim: reclaim, and if that freed pages,
 * try again; if the page still does not come, release one highatomic
 * reserve block and drain every CPU's lists, and try once more.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_direct_reclaim(struct pga_slowpath *sp)
{
	const struct pga_alloc_context *ac = sp->ac;

	sp->did_some_progress = pga_direct_reclaim(sp->gfp, sp->order, ac);
	if (!sp->did_some_progress)
		return PGA_SP_DIRECT_COMPACT;
	sp->page = gpf(sp);
	if (!sp->page) {
		pga_unreserve_highatomic_pageblock(ac->zonelist,
						   ac->highest_zoneidx,
						   ac->nodemask,
						   ac->migratetype, false);
		pga_drain_all_pages();
		sp->page = gpf(sp);
	}
	return sp->page ? PGA_SP_GOT_PAGE : PGA_SP_DIRECT_COMPACT;
}

/*
 * Direct compaction at the current priority (no-op for order 0).
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_direct_compact(struct pga_slowpath *sp)
{
	sp->page = direct_compact(sp, sp->compact_priority);
	return sp->page ? PGA_SP_GOT_PAGE : PGA_SP_SHOULD_RETRY;
}

/*
 * NORETRY stops after one round; costly orders go on only with
 * RETRY_MAYFAIL and the ability to compact.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_should_retry(struct pga_slowpath *sp)
{
	if (sp->gfp & PGA_GFP_NORETRY)
		return PGA_SP_NOPAGE;
	if (sp->costly &&
	    (!sp->can_compact || !(sp->gfp & PGA_GFP_RETRY_MAYFAIL)))
		return PGA_SP_NOPAGE;
	return PGA_SP_RECLAIM_RETRY;
}

/*
 * Retry while reclaim could still bring a zone above min.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_reclaim_retry(struct pga_slowpath *sp)
{
	if (pga_should_reclaim_retry(sp->gfp, sp->order, sp->ac,
				     sp->alloc_flags,
				     sp->did_some_progress > 0,
				     &sp->no_progress_loops))
		return PGA_SP_RETRY;
	return PGA_SP_COMPACT_RETRY;
}

/*
 * Retry compaction (at rising priority) only if reclaim made progress;
 * restart rather than OOM-kill when the cpuset changed meanwhile.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_compact_retry(struct pga_slowpath *sp)
{
	if (sp->did_some_progress > 0 && sp->can_compact &&
	    pga_should_compact_retry(sp->ac, sp->order, sp->alloc_flags,
				     sp->compact_result,
				     &sp->compact_priority,
				     &sp->compaction_retries))
		return PGA_SP_RETRY;
	if (check_retry_cpuset(sp))
		return PGA_SP_RESTART;
	return PGA_SP_OOM;
}

/*
 * Reclaim has failed: the OOM step.  An OOM victim that already has its
 * reserves (or may not use them) gives up rather than loop; any OOM
 * progress resets the no-progress count and retries.  A task with a
 * fatal signal that reached the OOM killer is its own victim from then
 * on (Linux mark_oom_victim(current)), which is how a GFP_NOFS/NOIO
 * request - otherwise retried until memory appears - ends.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_oom(struct pga_slowpath *sp)
{
	sp->page = pga_may_oom(sp->gfp, sp->order, sp->ac,
			       &sp->did_some_progress);
	if (sp->page)
		return PGA_SP_GOT_PAGE;
	if (sp->did_some_progress && fatal_signal_pending())
		sp->dying = true;
	if (((pga_task_flags() & PGA_TASK_OOM_VICTIM) || sp->dying) &&
	    ((sp->alloc_flags & PGA_ALLOC_OOM) ||
	     (sp->gfp & PGA_GFP_NOMEMALLOC)))
		return PGA_SP_NOPAGE;
	if (sp->did_some_progress) {
		sp->no_progress_loops = 0;
		return PGA_SP_RETRY;
	}
	return PGA_SP_NOPAGE;
}

/*
 * nopage: a cpuset change restarts.  __GFP_NOFAIL never fails (unless it
 * cannot reclaim, which is a caller bug): it tries the cpuset fallback
 * with ALLOC_MIN_RESERVE, yields and retries.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_nopage(struct pga_slowpath *sp)
{
	if (check_retry_cpuset(sp))
		return PGA_SP_RESTART;
	if (!(sp->gfp & PGA_GFP_NOFAIL))
		return PGA_SP_FAIL;
	if (!sp->can_direct_reclaim) {
		pga_warn_once(PGA_WARN_NOFAIL_NOWAIT, sp->gfp,
			      "__GFP_NOFAIL without __GFP_DIRECT_RECLAIM");
		return PGA_SP_FAIL;
	}
	if (pga_task_flags() & PGA_TASK_MEMALLOC)
		pga_warn_once(PGA_WARN_NOFAIL_MEMALLOC, sp->gfp,
			      "__GFP_NOFAIL from a PF_MEMALLOC task");
	if (sp->costly)
		pga_warn_once(PGA_WARN_NOFAIL_COSTLY, sp->gfp,
			      "__GFP_NOFAIL of a costly order");
	sp->page = pga_cpuset_fallback(sp->gfp, sp->order,
				       PGA_ALLOC_MIN_RESERVE, sp->ac);
	if (sp->page)
		return PGA_SP_GOT_PAGE;
	if (pga_g.hooks.yield)
		pga_g.hooks.yield(pga_g.hooks.ctx);
	return PGA_SP_RETRY;
}

/*
 * fail: report (rate-limited) and return NULL.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_fail(struct pga_slowpath *sp)
{
	pga_warn_alloc(sp->gfp, sp->ac->nodemask, sp->order);
	sp->page = NULL;
	return PGA_SP_DONE;
}

/*
 * got_pg: the page is in sp->page.
 * Context: as the gfp allows.  Return: the next state.
 */
enum pga_sp_state pga_sp_got_page(struct pga_slowpath *sp)
{
	(void)sp;
	return PGA_SP_DONE;
}

typedef enum pga_sp_state (*sp_state_fn)(struct pga_slowpath *sp);

static const sp_state_fn sp_states[PGA_SP_NR_STATES] = {
	[PGA_SP_RESTART] = pga_sp_restart,
	[PGA_SP_INITIAL_COMPACT] = pga_sp_initial_compact,
	[PGA_SP_RETRY] = pga_sp_retry,
	[PGA_SP_DIRECT_RECLAIM] = pga_sp_direct_reclaim,
	[PGA_SP_DIRECT_COMPACT] = pga_sp_direct_compact,
	[PGA_SP_SHOULD_RETRY] = pga_sp_should_retry,
	[PGA_SP_RECLAIM_RETRY] = pga_sp_reclaim_retry,
	[PGA_SP_COMPACT_RETRY] = pga_sp_compact_retry,
	[PGA_SP_OOM] = pga_sp_oom,
	[PGA_SP_NOPAGE] = pga_sp_nopage,
	[PGA_SP_FAIL] = pga_sp_fail,
	[PGA_SP_GOT_PAGE] = pga_sp_got_page,
};

/*
 * Run state @s and return the next one.  Return: PGA_SP_DONE for @s
 * out of range.  Context: as the gfp allows.
 */
enum pga_sp_state pga_sp_step(struct pga_slowpath *sp, enum pga_sp_state s)
{
	if ((unsigned int)s >= PGA_SP_NR_STATES)
		return PGA_SP_DONE;
	return sp_states[s](sp);
}

/*
 * Allocate after the fast path failed (Linux __alloc_pages_slowpath).
 * Return: a page or NULL.  Context: as the gfp allows: without
 * __GFP_DIRECT_RECLAIM it never sleeps.
 */
struct pga_page *pga_slowpath(pga_gfp_t gfp, unsigned int order,
			      struct pga_alloc_context *ac)
{
	struct pga_slowpath sp;
	enum pga_sp_state s = PGA_SP_RESTART;

	pga_sp_init(&sp, gfp, order, ac);
	while (s != PGA_SP_DONE)
		s = pga_sp_step(&sp, s);
	return sp.page;
}
