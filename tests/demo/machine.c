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

#include "machine.h"

#define NPROC 8
#define KRING 192 /* kernel objects each worker keeps alive */

enum owner { O_NONE, O_ANON, O_CACHE };

/* Reverse map: who owns each page frame (Linux: rmap / page->mapping). */
struct rmap_ent {
	uint8_t type;
	uint8_t proc;
	uint32_t idx; /* slot in the process, or the cache entry */
};

struct apage {
	struct pga_page *page;
	uint64_t sig;
};

struct proc {
	bool alive;
	unsigned int gen;
	struct apage *pages; /* anonymous memory, movable */
	uint32_t n, cap;
	struct pga_page **thp; /* huge pages (compound, order 9) */
	uint32_t nthp, capthp;
};

/* A page cache entry, on the LRU (index 0 is the list head). */
struct centry {
	struct pga_page *page;
	uint64_t sig;
	uint32_t prev, next;
};

struct kthread {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool pending;
	unsigned int order;
	int zone;
};

static pthread_mutex_t mm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rmap_ent *rmap;
static pga_pfn_t rmap_len;
static struct proc procs[NPROC];
static struct centry *cache;
static uint32_t cache_cap, cache_free, cache_used;
static atomic_long cache_pages[M_NODES][PGA_MAX_NR_ZONES];
static struct kthread kswapd[M_NODES], kcompactd[M_NODES];
static atomic_bool stopping;
static FILE *log_out;
static _Thread_local unsigned int task_flags;
static _Thread_local bool is_kthread;

/* What the machine saw. */
static atomic_long n_kswapd_wake, n_kswapd_run, n_kswapd_pages;
static atomic_long n_kcompactd_wake, n_kcompactd_run, n_kcompactd_pages;
static atomic_long n_reclaim, n_reclaim_pages, n_migrate, n_migrate_refused;
static atomic_long n_oom, n_oom_pages, n_log, n_log_shown;
static atomic_long n_alloc[5], n_fail[5];
enum { A_CACHE, A_ANON, A_KERNEL, A_ATOMIC, A_THP };
static const char *const alloc_names[5] = {"page cache", "anonymous",
					   "kernel", "atomic", "huge page"};

static uint64_t *page_data(struct pga_page *pg)
{
	return pga_page_address(pg);
}

static struct rmap_ent *rmap_of(struct pga_page *pg)
{
	pga_pfn_t pfn = pga_page_to_pfn(pg);

	if (pfn >= rmap_len) {
		fprintf(stderr, "demo: pfn %#llx outside the rmap\n",
			(unsigned long long)pfn);
		abort();
	}
	return &rmap[pfn];
}

static uint64_t mix(uint64_t x)
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

static uint64_t hook_clock(void *ctx)
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

static void kick(struct kthread *k, unsigned int order, int zone)
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
static bool cache_add(struct pga_page *pg, uint64_t sig)
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

static void free_page_list(struct pga_page **pages, unsigned int n)
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

struct loot {
	struct apage *pages;
	uint32_t n;
	struct pga_page **thp;
	uint32_t nthp;
};

/* Take all of process @p's memory away.  Holds mm_lock. */
static struct loot proc_strip(struct proc *p)
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

static unsigned long loot_free(struct loot *l, bool check)
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

/* ---- kernel threads ------------------------------------------------------ */

struct kargs {
	int nid;
	bool compact;
};

/* Wait for a wake-up; false when the machine stops. */
static bool kwait(struct kthread *k, unsigned int *order, int *zone)
{
	pthread_mutex_lock(&k->lock);
	while (!k->pending && !atomic_load(&stopping))
		pthread_cond_wait(&k->wake, &k->lock);
	k->pending = false;
	*order = k->order;
	*zone = k->zone;
	pthread_mutex_unlock(&k->lock);
	return !atomic_load(&stopping);
}

static void *kthread_main(void *arg)
{
	struct kargs *a = arg;
	struct kthread *k = a->compact ? &kcompactd[a->nid] : &kswapd[a->nid];
	unsigned int order;
	int zone;

	is_kthread = true;
	pga_host_set_cpu(M_WORKERS + (unsigned int)a->nid +
			 (a->compact ? M_NODES : 0));
	while (kwait(k, &order, &zone)) {
		if (a->compact) {
			long got = pga_kcompactd_run(a->nid);

			atomic_fetch_add(&n_kcompactd_run, 1);
			atomic_fetch_add(&n_kcompactd_pages, got > 0 ? got : 0);
		} else {
			pga_kswapd_balance(a->nid, order, zone);
			atomic_fetch_add(&n_kswapd_run, 1);
		}
	}
	return NULL;
}

/* ---- the workload -------------------------------------------------------- */

struct worker {
	pthread_t tid;
	unsigned int cpu;
	uint64_t rng;
	unsigned long ops;
	double deadline;
	struct {
		struct pga_page *page;
		unsigned int order;
	} ring[KRING];
	unsigned int ring_pos;
};

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static double now_s(void)
{
	return (double)hook_clock(NULL) / 1e9;
}

static struct pga_page *alloc_counted(int kind, pga_gfp_t gfp,
				      unsigned int order)
{
	struct pga_page *pg = pga_alloc_pages(gfp, order);

	atomic_fetch_add(&n_alloc[kind], 1);
	if (!pg)
		atomic_fetch_add(&n_fail[kind], 1);
	return pg;
}

/* A new user page, movable, with a signature the owner can check. */
static struct pga_page *user_page(int kind, uint64_t sig)
{
	struct pga_page *pg = alloc_counted(kind, PGA_GFP_HIGHUSER_MOVABLE, 0);

	if (pg) {
		page_data(pg)[0] = sig;
		pga_page_set_movable(pg, true);
	}
	return pg;
}

static void op_read_file(struct worker *w)
{
	uint64_t sig = mix(rnd(w));
	struct pga_page *pg = user_page(A_CACHE, sig);
	bool ok;

	if (!pg)
		return;
	pthread_mutex_lock(&mm_lock);
	ok = cache_add(pg, sig);
	pthread_mutex_unlock(&mm_lock);
	if (!ok)
		free_page_list(&pg, 1);
}

static bool grow(void **arr, uint32_t *cap, uint32_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*arr, (*cap ? *cap * 2 : 64) * size);
	if (!p)
		return false;
	*arr = p;
	*cap = *cap ? *cap * 2 : 64;
	return true;
}

static void op_fault(struct worker *w, struct proc *p)
{
	uint64_t sig = mix(rnd(w));
	unsigned int gen;
	struct pga_page *pg;

	pthread_mutex_lock(&mm_lock);
	p->alive = true; /* a dead process is started again */
	gen = p->gen;
	pthread_mutex_unlock(&mm_lock);
	pg = user_page(A_ANON, sig);
	if (!pg)
		return;
	pthread_mutex_lock(&mm_lock);
	if (p->gen != gen ||
	    !grow((void **)&p->pages, &p->cap, p->n, sizeof(*p->pages))) {
		pthread_mutex_unlock(&mm_lock);
		free_page_list(&pg, 1); /* killed meanwhile */
		return;
	}
	p->pages[p->n] = (struct apage){pg, sig};
	*rmap_of(pg) = (struct rmap_ent){O_ANON, (uint8_t)(p - procs), p->n};
	p->n++;
	pthread_mutex_unlock(&mm_lock);
}

static void op_unmap(struct worker *w, struct proc *p)
{
	struct pga_page *pg = NULL, *huge = NULL;

	pthread_mutex_lock(&mm_lock);
	if (p->nthp && !(rnd(w) & 3))
		huge = p->thp[--p->nthp];
	if (p->n) {
		uint32_t i = (uint32_t)(rnd(w) % p->n);

		pg = p->pages[i].page;
		rmap_of(pg)->type = O_NONE;
		pga_page_set_movable(pg, false);
		p->pages[i] = p->pages[--p->n];
		if (i < p->n)
			rmap_of(p->pages[i].page)->idx = i;
	}
	pthread_mutex_unlock(&mm_lock);
	if (pg)
		free_page_list(&pg, 1);
	if (huge)
		pga_free_pages(huge, PGA_PAGEBLOCK_ORDER);
}

static void op_exit(struct proc *p)
{
	struct loot l;

	pthread_mutex_lock(&mm_lock);
	l = proc_strip(p);
	pthread_mutex_unlock(&mm_lock);
	loot_free(&l, true);
}

static void op_huge(struct worker *w, struct proc *p)
{
	pga_gfp_t gfp = (rnd(w) & 1) ? PGA_GFP_TRANSHUGE_LIGHT
				     : PGA_GFP_TRANSHUGE | PGA_GFP_NORETRY;
	struct pga_page *pg = alloc_counted(A_THP, gfp, PGA_PAGEBLOCK_ORDER);
	bool kept = false;

	if (!pg)
		return;
	pthread_mutex_lock(&mm_lock);
	if (p->alive && grow((void **)&p->thp, &p->capthp, p->nthp,
			     sizeof(*p->thp))) {
		p->thp[p->nthp++] = pg;
		kept = true;
	}
	pthread_mutex_unlock(&mm_lock);
	if (!kept)
		pga_free_pages(pg, PGA_PAGEBLOCK_ORDER);
}

/* Kernel objects (slab-like, unmovable): a ring, oldest freed first. */
static void op_kernel(struct worker *w)
{
	unsigned int slot = w->ring_pos++ % KRING;
	unsigned int r = (unsigned int)(rnd(w) % 10);
	unsigned int order = r < 7 ? 0 : r - 6;

	if (w->ring[slot].page)
		pga_free_pages(w->ring[slot].page, w->ring[slot].order);
	w->ring[slot].page = alloc_counted(A_KERNEL, PGA_GFP_KERNEL, order);
	w->ring[slot].order = order;
}

/* An interrupt handler's short-lived buffer. */
static void op_atomic(struct worker *w)
{
	unsigned int order = (unsigned int)(rnd(w) & 1);
	struct pga_page *pg = alloc_counted(A_ATOMIC, PGA_GFP_ATOMIC, order);

	if (pg)
		pga_free_pages(pg, order);
}

static void step(struct worker *w)
{
	unsigned int r = (unsigned int)(rnd(w) % 10000);
	struct proc *p = &procs[rnd(w) % NPROC];

	if (r < 3000)
		op_read_file(w);
	else if (r < 7500)
		op_fault(w, p);
	else if (r < 8000)
		op_unmap(w, p);
	else if (r < 8001 && !(rnd(w) % 16))
		op_exit(p); /* a process ends now and then */
	else if (r < 8050)
		op_huge(w, p);
	else if (r < 9500)
		op_kernel(w);
	else
		op_atomic(w);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	pga_host_set_cpu(w->cpu);
	for (unsigned long i = 0; i < w->ops; i++) {
		step(w);
		if (!(i & 1023) && now_s() > w->deadline)
			break;
	}
	for (unsigned int i = 0; i < KRING; i++)
		if (w->ring[i].page)
			pga_free_pages(w->ring[i].page, w->ring[i].order);
	return NULL;
}

/*
 * With memory still full, a driver wants 4 MiB buffers at once and cannot
 * sleep: pga hands out what is free and reports the first failure
 * (warn_alloc with its show_mem summary).
 */
static void driver_request(void)
{
	struct pga_page *got[16];
	int n = 0;

	while (n < 16 && (got[n] = alloc_counted(A_KERNEL, PGA_GFP_NOWAIT,
						 PGA_MAX_ORDER)))
		n++;
	fprintf(log_out, "a driver asked for 4 MiB buffers with GFP_NOWAIT: "
		"got %d before the first failure\n", n);
	while (n)
		pga_free_pages(got[--n], PGA_MAX_ORDER);
}

void machine_run(unsigned long ops_per_worker, double max_seconds)
{
	static struct worker workers[M_WORKERS];
	static struct kargs kargs[2 * M_NODES];

	atomic_store(&stopping, false);
	for (int i = 0; i < 2 * M_NODES; i++) {
		struct kthread *k;

		kargs[i] = (struct kargs){i % M_NODES, i >= M_NODES};
		k = kargs[i].compact ? &kcompactd[kargs[i].nid]
				     : &kswapd[kargs[i].nid];
		pthread_create(&k->tid, NULL, kthread_main, &kargs[i]);
	}
	for (unsigned int i = 0; i < M_WORKERS; i++) {
		workers[i].cpu = i;
		workers[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
		workers[i].ops = ops_per_worker;
		workers[i].deadline = now_s() + max_seconds;
		pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]);
	}
	for (unsigned int i = 0; i < M_WORKERS; i++)
		pthread_join(workers[i].tid, NULL);
	driver_request();
	atomic_store(&stopping, true);
	for (int n = 0; n < M_NODES; n++) {
		kick(&kswapd[n], 0, 0);
		kick(&kcompactd[n], 0, 0);
		pthread_join(kswapd[n].tid, NULL);
		pthread_join(kcompactd[n].tid, NULL);
	}
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
