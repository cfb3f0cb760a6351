/* SPDX-License-Identifier: MIT */
/*
 * The slow path as a state machine (Linux 6.6 __alloc_pages_slowpath).
 *
 * Each state is one function that does the work of the matching label or
 * block of the reference and returns the next state; pga_slowpath() runs
 * them from PGA_SP_RESTART until PGA_SP_DONE.  The states and the data
 * they share are declared here so the unit tests can drive each state
 * alone and check every transition.
 */
#ifndef PGA_SLOWPATH_H
#define PGA_SLOWPATH_H

#include "compaction.h"

enum pga_sp_state {
	PGA_SP_RESTART,		/* restart: slow flags, kswapd, a try */
	PGA_SP_INITIAL_COMPACT, /* costly / unmovable async compaction */
	PGA_SP_RETRY,		/* retry: kswapd, reserve flags, retry */
	PGA_SP_DIRECT_RECLAIM,	/* __alloc_pages_direct_reclaim */
	PGA_SP_DIRECT_COMPACT,	/* __alloc_pages_direct_compact */
	PGA_SP_SHOULD_RETRY,	/* the NORETRY and costly-order exits */
	PGA_SP_RECLAIM_RETRY,	/* should_reclaim_retry */
	PGA_SP_COMPACT_RETRY,	/* should_compact_retry, cpuset change */
	PGA_SP_OOM,		/* __alloc_pages_may_oom and its exits */
	PGA_SP_NOPAGE,		/* nopage: cpuset change, __GFP_NOFAIL */
	PGA_SP_FAIL,		/* fail: warn_alloc */
	PGA_SP_GOT_PAGE,	/* got_pg: */
	PGA_SP_DONE,
	PGA_SP_NR_STATES = PGA_SP_DONE
};

/* The slow path's local variables, shared by the states. */
struct pga_slowpath {
	pga_gfp_t gfp;
	unsigned int order;
	struct pga_alloc_context *ac;
	unsigned int alloc_flags;
	bool can_direct_reclaim;
	bool can_compact;
	bool costly;
	enum pga_compact_priority compact_priority;
	enum pga_compact_result compact_result;
	int compaction_retries;
	int no_progress_loops;
	unsigned long did_some_progress;
	unsigned int cpuset_cookie;
	bool dying; /* fatal signal at the OOM step: its own OOM victim */
	struct pga_page *page;
};

#define PGA_MAX_RECLAIM_RETRIES 16

extern const char *const pga_sp_state_names[PGA_SP_NR_STATES];

/* slowpath.c */
void pga_sp_init(struct pga_slowpath *sp, pga_gfp_t gfp, unsigned int order,
		 struct pga_alloc_context *ac);
enum pga_sp_state pga_sp_step(struct pga_slowpath *sp, enum pga_sp_state s);
enum pga_sp_state pga_sp_restart(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_initial_compact(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_retry(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_direct_reclaim(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_direct_compact(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_should_retry(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_reclaim_retry(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_compact_retry(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_oom(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_nopage(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_fail(struct pga_slowpath *sp);
enum pga_sp_state pga_sp_got_page(struct pga_slowpath *sp);

/* slowpath_retry.c: the decisions and the last resorts. */
bool pga_should_reclaim_retry(pga_gfp_t gfp, unsigned int order,
			      const struct pga_alloc_context *ac,
			      unsigned int alloc_flags, bool did_progress,
			      int *no_progress_loops);
bool pga_should_compact_retry(const struct pga_alloc_context *ac,
			      unsigned int order, unsigned int alloc_flags,
			      enum pga_compact_result result,
			      enum pga_compact_priority *prio, int *retries);
struct pga_page *pga_may_oom(pga_gfp_t gfp, unsigned int order,
			     struct pga_alloc_context *ac,
			     unsigned long *progress);
struct pga_page *pga_cpuset_fallback(pga_gfp_t gfp, unsigned int order,
				     unsigned int alloc_flags,
				     const struct pga_alloc_context *ac);
bool pga_warn_once(int site, pga_gfp_t gfp, const char *what);
void pga_warn_alloc(pga_gfp_t gfp, const pga_nodemask_t *nodemask,
		    unsigned int order);

/* WARN_ON_ONCE sites of the slow path (pga_g.reclaim.warned_once). */
enum { PGA_WARN_NOFAIL_NOWAIT, PGA_WARN_NOFAIL_MEMALLOC,
       PGA_WARN_NOFAIL_COSTLY, PGA_WARN_NOFAIL_OOM,
       PGA_WARN_RECLAIM_NO_FREE, PGA_NR_WARN_SITES };
_Static_assert(PGA_NR_WARN_SITES <=
		       sizeof(((struct pga_state *)0)->reclaim.warned_once),
	       "warned_once has a flag per site");

#endif /* PGA_SLOWPATH_H */
