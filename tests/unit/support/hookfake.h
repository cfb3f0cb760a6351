/* SPDX-License-Identifier: MIT */
/*
 * Recording fakes of every reclaim-side hook, for the slow path,
 * reclaim and compaction tests.  Each fake counts its calls, records its
 * arguments and the task flags it ran under, appends a letter to an
 * event trace, and does what the test scripted (free hogged pages, kill,
 * refuse ...).  "Hogged" pages stand for memory the embedder could give
 * back: taken straight from the buddy so no allocator path is involved.
 */
#ifndef PGA_TEST_HOOKFAKE_H
#define PGA_TEST_HOOKFAKE_H

#include "fixture.h"

struct pga_zone;
struct pga_alloc_context;

struct hf_state {
	/* calls */
	int wake_kswapd, wake_kcompactd, direct_reclaim, reclaimable, oom,
	    migrate, yield, fatal_checks, cookie;
	/* last arguments */
	int kswapd_nid, kswapd_order, kswapd_zone;
	int kcompactd_nid, kcompactd_order, kcompactd_zone;
	pga_gfp_t reclaim_gfp;
	unsigned int reclaim_order;
	unsigned long reclaim_nr;
	bool reclaim_nodemask_null;
	uint64_t reclaim_nodemask;
	unsigned int reclaim_task_flags; /* task flags seen inside */
	unsigned int reclaim_zone_flags; /* zone flags seen inside */
	pga_gfp_t oom_gfp;
	/* events: K kswapd wake, C kcompactd wake, R direct reclaim,
	 * r kswapd reclaim, O oom, Y yield */
	char trace[512];
	int ntrace;

	/* script */
	/* direct_reclaim frees this many hogged pages per call (and says so) */
	unsigned long reclaim_frees;
	/* ... and reports this much extra progress it did not make */
	unsigned long reclaim_lies;
	/* the first this-many reclaim calls free nothing */
	int reclaim_fail_first;
	/* reclaimable_pages answer */
	unsigned long reclaimable_answer;
	/* oom: free this many hogged pages and return true; 0: return false */
	unsigned long oom_frees;
	bool oom_returns;
	/* migrate_page: 0 accept, else refuse; or a custom function */
	int migrate_result;
	int (*migrate_fn)(struct pga_page *dst, struct pga_page *src);
	/* yield advances the clock by this many ns and may call back */
	uint64_t clock_ns, yield_advance_ns;
	void (*on_yield)(void);
	/* wake_kswapd may run the kswapd body at once */
	bool kswapd_runs_inline;
	/* or a yield lets a woken kswapd run (one CPU, cooperative) */
	bool kswapd_on_yield;
	bool kswapd_woken, in_kswapd;
	int kswapd_runs;
	int kswapd_reclaim; /* direct_reclaim calls made by kswapd */
	bool fatal_signal;
	unsigned int cookie_value;
};

extern struct hf_state hf;

/* Hooks with every fake installed (log capture from the fixture too). */
struct pga_hooks hf_hooks(void);
/* Reset the counters and the script. */
void hf_reset(void);

/*
 * A one-node machine with a single ZONE_NORMAL of @mib MiB at 4 GiB,
 * @cpus CPUs, per-CPU lists on or off, every fake installed.
 */
void hf_init(unsigned int mib, unsigned int cpus, bool pcp);
/* Reset the fakes and the hog before a test's own fx_init(). */
void hf_prepare(void);

/*
 * The NORMAL zone of node 0, its free pages, and its min watermark
 * without boost (a steal in an unmovable allocation may add one).
 */
struct pga_zone *hf_zone(void);
long hf_free(void);
unsigned long hf_min(void);

/*
 * Hog order-0 pages straight from the buddy until the zone has exactly
 * @target free pages (never splits more than needed).  Return: pages
 * hogged by this call.
 */
unsigned long hf_hog_to(long target);
/* The same for any zone @z. */
unsigned long hf_hog_zone_to(struct pga_zone *z, long target);
/* Give back up to @n hogged pages (newest first).  Return: pages freed. */
unsigned long hf_unhog(unsigned long n);
/* Pages currently hogged. */
unsigned long hf_hogged(void);
/* Give every hogged page back. */
void hf_unhog_all(void);
/* Give back the hogged pages at odd pfns (a fragmented zone). */
unsigned long hf_unhog_odd(void);
/* Forget the hogged pages without freeing them (a test took them over). */
void hf_forget_hog(void);
/* The @i-th hogged page, or NULL. */
struct pga_page *hf_hog_page(unsigned long i);

/* Run the kswapd body for the last wake-up, as the kswapd thread would. */
void hf_run_kswapd(void);

/* An allocation context for @gfp on node 0, as prepare_alloc would. */
void hf_request(struct pga_alloc_context *ac, pga_gfp_t gfp);

/* Occurrences of @c in the event trace. */
int hf_count(char c);

#endif
