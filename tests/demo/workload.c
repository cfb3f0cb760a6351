/* SPDX-License-Identifier: MIT */
/*
 * The simulated machine's threads: kswapd and kcompactd per node, and
 * the worker CPUs running the workload (page cache reads, page faults,
 * unmaps, process exits, huge pages, kernel objects, atomic buffers).
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <pga_host.h>

#include "mm.h"

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
