/* SPDX-License-Identifier: MIT */
/*
 * The simulated machine (see machine.h).  Everything the embedding kernel
 * owns lives here: the memory-management lock, the reverse map, the page
 * cache LRU, the processes, the OOM policy and the kernel threads.  pga
 * only sees the hooks.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pga_host.h>

#include "mm.h"

pthread_mutex_t mm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rmap_ent *rmap;
static pga_pfn_t rmap_len;
struct proc procs[NPROC];
static struct centry *cache;
static uint32_t cache_cap, cache_free, cache_used;
static atomic_long cache_pages[M_NODES][PGA_MAX_NR_ZONES];
struct kthread kswapd[M_NODES], kcompactd[M_NODES];
atomic_bool stopping;
FILE *log_out;
static _Thread_local unsigned int task_flags;
_Thread_local bool is_kthread;

/* What the machine saw. */
atomic_long n_kswapd_wake, n_kswapd_run, n_kswapd_pages;
atomic_long n_kcompactd_wake, n_kcompactd_run, n_kcompactd_pages;
static atomic_long n_reclaim, n_reclaim_pages, n_migrate, n_migrate_refused;
static atomic_long n_oom, n_oom_pages, n_log, n_log_shown;
atomic_long n_alloc[5], n_fail[5];
static const char *const alloc_names[5] = {"page cache", "anonymous",
					   "kernel", "atomic", "huge page"};

uint64_t *page_data(struct pga_page *pg)
{
	return pga_page_address(pg);
}

struct rmap_ent *rmap_of(struct pga_page *pg)
{
	pga_pfn_t pfn = pga_page_to_pfn(pg);

	if (pfn >= rmap_len) {
		fprintf(stderr, "demo: pfn %#llx outside the rmap\n",
			(unsigned long long)pfn);
		abort();
	}
	return &rmap[pfn];
}

uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* ---- hooks: environment and task context ------------------------------- */

static void hook_log(void *ctx, enum pga_log_level level, const char *msg)
{
	(void)ctx;
	if (level > PGA_LOG_WARN)
		return;
	atomic_fetch_add(&n_log, 1);
	if (atomic_fetch_add(&n_log_shown, 1) < 16)
		fprintf(log_out, "  | %s\n", msg);
}

uint64_t hook_clock(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void hook_yield(void *ctx)
{
	(void)ctx;
	sched_yield();
}

static unsigned int hook_task_flags(void *ctx)
{
	(void)ctx;
	return task_flags | (is_kthread ? PGA_TASK_KTHREAD : 0);
}

static void hook_set_task_flags(void *ctx, unsigned int flags)
{
	(void)ctx;
	task_flags = flags & ~PGA_TASK_KTHREAD;
}

/* ---- hooks: kswapd and kcompactd wake-ups ------------------------------- */

void kick(struct kthread *k, unsigned int order, int zone)
{
	pthread_mutex_lock(&k->lock);
	if (!k->pending || order > k->order)
		k->order = order;
	if (!k->pending || zone > k->zone)
		k->zone = zone;
	k->pending = true;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
}

static void hook_wake_kswapd(void *ctx, int nid, unsigned int order, int hz)
{
	(void)ctx;
	atomic_fetch_add(&n_kswapd_wake, 1);
	kick(&kswapd[nid], order, hz);
}

static void hook_wake_kcompactd(void *ctx, int nid, unsigned int order,
				int hz)
{
	(void)ctx;
	atomic_fetch_add(&n_kcompactd_wake, 1);
	kick(&kcompactd[nid], order, hz);
}

/* ---- the page cache ------------------------------------------------------ */

static void lru_unlink(uint32_t i)
{
	cache[cache[i].prev].next = cache[i].next;
	cache[cache[i].next].prev = cache[i].prev;
}

static atomic_long *cache_counter(struct pga_page *pg)
{
	return &cache_pages[pga_page_to_nid(pg)][pga_page_zonenum(pg)];
}

/* Insert a freshly read page at the LRU head.  Caller holds mm_lock. */
bool cache_add(struct pga_page *pg, uint64_t sig)
{
	uint32_t i = cache_free;

	if (!i)
		return false;
	cache_free = cache[i].next;
	cache[i].page = pg;
	cache[i].sig = sig;
	cache[i].prev = 0;
	cache[i].next = cache[0].next;
	cache[cache[0].next].prev = i;
	cache[0].next = i;
	cache_used++;
	*rmap_of(pg) = (struct rmap_ent){O_CACHE, 0, i};
	atomic_fetch_add(cache_counter(pg), 1);
	return true;
}

/* Drop cache entry @i; return its page for freeing.  Holds mm_lock. */
static struct pga_page *cache_del(uint32_t i)
{
	struct pga_page *pg = cache[i].page;

	lru_unlink(i);
	cache[i].page = NULL;
	cache[i].next = cache_free;
	cache_free = i;
	cache_used--;
	rmap_of(pg)->type = O_NONE;
	pga_page_set_movable(pg, false);
	atomic_fetch_sub(cache_counter(pg), 1);
	return pg;
}

/*
 * Take up to @max clean pages from the cold end of the LRU, on the nodes
 * of @nodemask.  Holds mm_lock.
 */
static unsigned int cache_shrink(const pga_nodemask_t *nodemask,
				 struct pga_page **out, unsigned int max)
{
	unsigned int n = 0, scanned = 0;
	uint32_t i = cache[0].prev;

	while (i && n < max && scanned++ < 8 * max) {
		uint32_t prev = cache[i].prev;

		if (!nodemask ||
		    pga_nodemask_test(nodemask, pga_page_to_nid(cache[i].page)))
			out[n++] = cache_del(i);
		i = prev;
	}
	return n;
}

void free_page_list(struct pga_page **pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		pga_page_set_movable(pages[i], false);
		pga_free_pages(pages[i], 0);
	}
}

/* The reclaim hook: free clean page cache, oldest first. */
static unsigned long hook_reclaim(void *ctx, pga_gfp_t gfp, unsigned int order,
				  const pga_nodemask_t *nodemask,
				  unsigned long nr)
{
	struct pga_page *batch[64];
	unsigned long done = 0;

	(void)ctx;
	(void)gfp;
	(void)order;
	while (done < nr) {
		unsigned int n;

		pthread_mutex_lock(&mm_lock);
		n = cache_shrink(nodemask, batch, 64);
		pthread_mutex_unlock(&mm_lock);
		if (!n)
			break;
		free_page_list(batch, n);
		done += n;
	}
	if (is_kthread) {
		atomic_fetch_add(&n_kswapd_pages, (long)done);
	} else {
		atomic_fetch_add(&n_reclaim, 1);
		atomic_fetch_add(&n_reclaim_pages, (long)done);
	}
	return done;
}

static unsigned long hook_reclaimable(void *ctx, int nid, int zone)
{
	(void)ctx;
	return (unsigned long)atomic_load(&cache_pages[nid][zone]);
}

/* ---- processes, migration and the OOM killer ----------------------------- */

/* Move a page's contents and its owner's pointer (Linux migrate_folio). */
static int hook_migrate(void *ctx, struct pga_page *dst, struct pga_page *src)
{
	struct rmap_ent e;

	(void)ctx;
	pthread_mutex_lock(&mm_lock);
	e = *rmap_of(src);
	if (e.type == O_NONE) {
		pthread_mutex_unlock(&mm_lock);
		atomic_fetch_add(&n_migrate_refused, 1);
		return -1; /* being freed by its owner */
	}
	memcpy(page_data(dst), page_data(src), PGA_PAGE_SIZE);
	if (e.type == O_ANON) {
		procs[e.proc].pages[e.idx].page = dst;
	} else {
		atomic_fetch_sub(cache_counter(src), 1);
		atomic_fetch_add(cache_counter(dst), 1);
		cache[e.idx].page = dst;
	}
	*rmap_of(dst) = e;
	rmap_of(src)->type = O_NONE;
	pthread_mutex_unlock(&mm_lock);
	atomic_fetch_add(&n_migrate, 1);
	return 0;
}

/* Take all of process @p's memory away.  Holds mm_lock. */
struct loot proc_strip(struct proc *p)
{
	struct loot l = {p->pages, p->n, p->thp, p->nthp};

	/* Torn down: no longer the owner's, no longer worth migrating. */
	for (uint32_t i = 0; i < p->n; i++) {
		rmap_of(p->pages[i].page)->type = O_NONE;
		pga_page_set_movable(p->pages[i].page, false);
	}
	p->pages = NULL;
	p->thp = NULL;
	p->n = p->cap = p->nthp = p->capthp = 0;
	p->alive = false;
	p->gen++;
	return l;
}

unsigned long loot_free(struct loot *l, bool check)
{
	unsigned long pages = 0;

	for (uint32_t i = 0; i < l->n; i++) {
		struct pga_page *pg = l->pages[i].page;

		if (check && page_data(pg)[0] != l->pages[i].sig) {
			fprintf(stderr, "demo: anonymous page corrupted\n");
			abort();
		}
		pga_page_set_movable(pg, false);
		pga_free_pages(pg, 0);
	}
	for (uint32_t i = 0; i < l->nthp; i++)
		pga_free_pages(l->thp[i], PGA_PAGEBLOCK_ORDER);
	pages = l->n + ((unsigned long)l->nthp << PGA_PAGEBLOCK_ORDER);
	free(l->pages);
	free(l->thp);
	return pages;
}

/* The OOM killer: the process with the most memory goes. */
static bool hook_oom(void *ctx, pga_gfp_t gfp, unsigned int order,
		     const pga_nodemask_t *nodemask)
{
	struct proc *victim = NULL;
	unsigned long best = 0;
	struct loot l;

	(void)ctx;
	(void)gfp;
	(void)order;
	(void)nodemask;
	pthread_mutex_lock(&mm_lock);
	for (int i = 0; i < NPROC; i++) {
		unsigned long size = procs[i].n + ((unsigned long)procs[i].nthp
						   << PGA_PAGEBLOCK_ORDER);

		if (procs[i].alive && size > best) {
			best = size;
			victim = &procs[i];
		}
	}
	if (!victim) {
		pthread_mutex_unlock(&mm_lock);
		return false;
	}
	l = proc_strip(victim);
	pthread_mutex_unlock(&mm_lock);
	atomic_fetch_add(&n_oom, 1);
	atomic_fetch_add(&n_oom_pages, (long)loot_free(&l, true));
	return true;
}

struct pga_hooks machine_hooks(FILE *out)
{
	struct pga_hooks h;

	memset(&h, 0, sizeof(h));
	log_out = out;
	h.log = hook_log;
	h.clock_ns = hook_clock;
	h.yield = hook_yield;
	h.task_flags = hook_task_flags;
	h.set_task_flags = hook_set_task_flags;
	h.wake_kswapd = hook_wake_kswapd;
	h.wake_kcompactd = hook_wake_kcompactd;
	h.direct_reclaim = hook_reclaim;
	h.reclaimable_pages = hook_reclaimable;
	h.oom = hook_oom;
	h.migrate_page = hook_migrate;
	return h;
}

int machine_init(pga_paddr_t phys_end)
{
	rmap_len = (pga_pfn_t)(phys_end >> PGA_PAGE_SHIFT);
	rmap = calloc(rmap_len, sizeof(*rmap));
	cache_cap = (uint32_t)rmap_len + 1;
	cache = calloc(cache_cap, sizeof(*cache));
	if (!rmap || !cache)
		return -1;
	for (uint32_t i = 1; i < cache_cap; i++)
		cache[i].next = i + 1 < cache_cap ? i + 1 : 0;
	cache_free = 1;
	for (int n = 0; n < M_NODES; n++) {
		pthread_mutex_init(&kswapd[n].lock, NULL);
		pthread_cond_init(&kswapd[n].wake, NULL);
		pthread_mutex_init(&kcompactd[n].lock, NULL);
		pthread_cond_init(&kcompactd[n].wake, NULL);
	}
	return 0;
}

int machine_teardown(void)
{
	unsigned long checked = 0;

	for (int i = 0; i < NPROC; i++) {
		struct loot l = proc_strip(&procs[i]);

		checked += l.n;
		loot_free(&l, true);
	}
	while (cache[0].prev) {
		uint32_t i = cache[0].prev;
		uint64_t sig = cache[i].sig;
		struct pga_page *pg = cache_del(i);

		if (page_data(pg)[0] != sig) {
			fprintf(stderr, "demo: page cache page corrupted\n");
			return -1;
		}
		free_page_list(&pg, 1);
		checked++;
	}
	printf("\nteardown: %lu anonymous and page cache pages checked "
	       "(contents intact after %ld migrations) and freed\n",
	       checked, atomic_load(&n_migrate));
	return 0;
}

void machine_summary(FILE *out)
{
	fprintf(out, "\nwhat the machine saw:\n");
	fprintf(out, "  kswapd:     %ld wake-ups, %ld balance runs, %ld pages "
		"reclaimed\n", atomic_load(&n_kswapd_wake),
		atomic_load(&n_kswapd_run), atomic_load(&n_kswapd_pages));
	fprintf(out, "  kcompactd:  %ld wake-ups, %ld runs, %ld pages "
		"migrated\n", atomic_load(&n_kcompactd_wake),
		atomic_load(&n_kcompactd_run),
		atomic_load(&n_kcompactd_pages));
	fprintf(out, "  direct reclaim: %ld calls, %ld pages freed\n",
		atomic_load(&n_reclaim), atomic_load(&n_reclaim_pages));
	fprintf(out, "  migrations: %ld pages moved, %ld refused (owner "
		"was freeing them)\n", atomic_load(&n_migrate),
		atomic_load(&n_migrate_refused));
	fprintf(out, "  OOM killer: %ld processes killed, %ld pages freed\n",
		atomic_load(&n_oom), atomic_load(&n_oom_pages));
	for (int i = 0; i < 5; i++)
		fprintf(out, "  %-10s allocations: %8ld, failed %6ld\n",
			alloc_names[i], atomic_load(&n_alloc[i]),
			atomic_load(&n_fail[i]));
	fprintf(out, "  pga warnings: %ld (the first %ld shown above)\n",
		atomic_load(&n_log),
		atomic_load(&n_log) < 16 ? atomic_load(&n_log) : 16L);
}
