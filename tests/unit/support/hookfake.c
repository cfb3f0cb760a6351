/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "hookfake.h"
#include "internal.h"

struct hf_state hf;

#define MAX_HOG (1 << 20)
static struct pga_page **hog;
static unsigned long nhog;

static void event(char c)
{
	if (hf.ntrace < (int)sizeof(hf.trace) - 1)
		hf.trace[hf.ntrace++] = c;
}

int hf_count(char c)
{
	int n = 0;

	for (int i = 0; i < hf.ntrace; i++)
		n += hf.trace[i] == c;
	return n;
}

static void fake_wake_kswapd(void *ctx, int nid, unsigned int order, int hz)
{
	(void)ctx;
	hf.wake_kswapd++;
	hf.kswapd_nid = nid;
	hf.kswapd_order = (int)order;
	hf.kswapd_zone = hz;
	event('K');
	hf.kswapd_woken = true;
	if (hf.kswapd_runs_inline && !hf.in_kswapd)
		hf_run_kswapd();
}

void hf_run_kswapd(void)
{
	hf.kswapd_woken = false;
	hf.in_kswapd = true;
	hf.kswapd_runs++;
	pga_kswapd_balance(hf.kswapd_nid, (unsigned int)hf.kswapd_order,
			   hf.kswapd_zone);
	hf.in_kswapd = false;
}

static void fake_wake_kcompactd(void *ctx, int nid, unsigned int order, int hz)
{
	(void)ctx;
	hf.wake_kcompactd++;
	hf.kcompactd_nid = nid;
	hf.kcompactd_order = (int)order;
	hf.kcompactd_zone = hz;
	event('C');
}

static unsigned long fake_direct_reclaim(void *ctx, pga_gfp_t gfp,
					 unsigned int order,
					 const pga_nodemask_t *nodemask,
					 unsigned long nr)
{
	unsigned long freed = 0;

	(void)ctx;
	if (hf.in_kswapd)
		hf.kswapd_reclaim++;
	else
		hf.direct_reclaim++;
	hf.reclaim_gfp = gfp;
	hf.reclaim_order = order;
	hf.reclaim_nr = nr;
	hf.reclaim_nodemask_null = nodemask == NULL;
	hf.reclaim_nodemask = nodemask ? nodemask->bits : 0;
	hf.reclaim_task_flags = pga_task_flags();
	hf.reclaim_zone_flags = hf_zone()->flags;
	event(hf.in_kswapd ? 'r' : 'R');
	if (hf.in_kswapd || hf.direct_reclaim > hf.reclaim_fail_first)
		freed = hf_unhog(hf.reclaim_frees);
	return freed + hf.reclaim_lies;
}

static unsigned long fake_reclaimable(void *ctx, int nid, int zone)
{
	(void)ctx;
	(void)nid;
	(void)zone;
	hf.reclaimable++;
	return hf.reclaimable_answer;
}

static bool fake_oom(void *ctx, pga_gfp_t gfp, unsigned int order,
		     const pga_nodemask_t *nodemask)
{
	(void)ctx;
	(void)order;
	(void)nodemask;
	hf.oom++;
	hf.oom_gfp = gfp;
	event('O');
	if (hf.oom_frees)
		hf_unhog(hf.oom_frees);
	return hf.oom_returns;
}

static int fake_migrate(void *ctx, struct pga_page *dst, struct pga_page *src)
{
	(void)ctx;
	hf.migrate++;
	if (hf.migrate_fn)
		return hf.migrate_fn(dst, src);
	return hf.migrate_result;
}

static void fake_yield(void *ctx)
{
	(void)ctx;
	hf.yield++;
	hf.clock_ns += hf.yield_advance_ns;
	event('Y');
	if (hf.on_yield)
		hf.on_yield();
	if (hf.kswapd_on_yield && hf.kswapd_woken && !hf.in_kswapd)
		hf_run_kswapd();
}

static uint64_t fake_clock(void *ctx)
{
	(void)ctx;
	return hf.clock_ns;
}

static bool fake_fatal(void *ctx)
{
	(void)ctx;
	hf.fatal_checks++;
	return hf.fatal_signal;
}

static unsigned int fake_cookie(void *ctx)
{
	(void)ctx;
	hf.cookie++;
	return hf.cookie_value;
}

void hf_reset(void)
{
	memset(&hf, 0, sizeof(hf));
}

struct pga_hooks hf_hooks(void)
{
	struct pga_hooks h = fx_hooks();

	h.wake_kswapd = fake_wake_kswapd;
	h.wake_kcompactd = fake_wake_kcompactd;
	h.direct_reclaim = fake_direct_reclaim;
	h.reclaimable_pages = fake_reclaimable;
	h.oom = fake_oom;
	h.migrate_page = fake_migrate;
	h.yield = fake_yield;
	h.clock_ns = fake_clock;
	h.fatal_signal_pending = fake_fatal;
	h.cpuset_mems_cookie = fake_cookie;
	return h;
}

void hf_init(unsigned int mib, unsigned int cpus, bool pcp)
{
	struct pga_params p;
	struct pga_mem_range r = {GiB(4), MiB(mib), 0};
	struct pga_hooks h = hf_hooks();

	fx_params(&p);
	p.nr_cpus = cpus;
	p.disable_pcp = !pcp;
	hf_prepare();
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, &h), 0);
	pga_set_task_flags(0);
}

void hf_prepare(void)
{
	hf_reset();
	if (!hog)
		hog = calloc(MAX_HOG, sizeof(*hog));
	nhog = 0;
}

struct pga_zone *hf_zone(void)
{
	return &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
}

long hf_free(void)
{
	return zone_page_state(hf_zone(), PGA_NR_FREE_PAGES);
}

unsigned long hf_min(void)
{
	return hf_zone()->watermark[PGA_WMARK_MIN];
}

/* One order-0 page from any list of @z, as an allocation would take it. */
static struct pga_page *take_one(struct pga_zone *z)
{
	unsigned long flags = zone_lock(z);
	struct pga_page *page = NULL;

	for (int mt = 0; mt < PGA_MIGRATE_TYPES && !page; mt++)
		if (mt != PGA_MIGRATE_ISOLATE)
			page = pga_buddy_rmqueue_smallest_locked(z, 0, mt);
	if (page)
		pga_account_alloc_irqoff(z, pga_cpu(), 1);
	zone_unlock(z, flags);
	if (page)
		pga_prep_new_page(page, 0, 0, 0);
	return page;
}

unsigned long hf_hog_to(long target)
{
	return hf_hog_zone_to(hf_zone(), target);
}

unsigned long hf_hog_zone_to(struct pga_zone *z, long target)
{
	unsigned long n = 0;

	while (zone_page_state(z, PGA_NR_FREE_PAGES) > target &&
	       nhog < MAX_HOG) {
		struct pga_page *page = take_one(z);

		if (!page)
			break;
		hog[nhog++] = page;
		n++;
	}
	return n;
}

unsigned long hf_unhog(unsigned long n)
{
	unsigned long done = 0;

	while (done < n && nhog) {
		pga_free_pages(hog[--nhog], 0);
		done++;
	}
	return done;
}

unsigned long hf_hogged(void)
{
	return nhog;
}

void hf_unhog_all(void)
{
	hf_unhog(nhog);
}

unsigned long hf_unhog_odd(void)
{
	unsigned long kept = 0, freed = 0;

	for (unsigned long i = 0; i < nhog; i++) {
		if (page_pfn(hog[i]) & 1) {
			pga_free_pages(hog[i], 0);
			freed++;
		} else {
			hog[kept++] = hog[i];
		}
	}
	nhog = kept;
	return freed;
}

void hf_forget_hog(void)
{
	nhog = 0;
}

struct pga_page *hf_hog_page(unsigned long i)
{
	return i < nhog ? hog[i] : NULL;
}

void hf_request(struct pga_alloc_context *ac, pga_gfp_t gfp)
{
	int list = (gfp & PGA_GFP_THISNODE) ? PGA_ZONELIST_NOFALLBACK
					    : PGA_ZONELIST_FALLBACK;

	memset(ac, 0, sizeof(*ac));
	ac->highest_zoneidx = pga_gfp_zone(gfp);
	ac->migratetype = pga_gfp_migratetype(gfp);
	ac->zonelist = &pga_g.nodes[0].node_zonelists[list];
	ac->preferred_zoneref = pga_first_zone(ac->zonelist,
					       ac->highest_zoneidx, NULL);
}
