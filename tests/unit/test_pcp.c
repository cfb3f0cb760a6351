/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU page lists: batch and high, refill sizes, which pages come back
 * in which order, drains at high with free_factor, free_high, the smaller
 * high under reclaim, the trylock fallback, CPU isolation, hotplug, and
 * the zone lock staying untouched on pcp hits.
 */
#include "blocks.h"
#include "fixture.h"
#include "internal.h"

#define MOV (PGA_GFP_KERNEL | PGA_GFP_MOVABLE)

static struct pga_zone *normal(void)
{
	return &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
}

static struct pga_pcp *pcp_of(unsigned int cpu)
{
	return &normal()->pcp[cpu];
}

/* One 1 GiB NORMAL zone (above 4 GiB), @cpus CPUs on node 0. */
static void init_cpus(unsigned int cpus)
{
	struct pga_params p;
	struct pga_mem_range r = {GiB(4), GiB(1), 0};

	fx_params(&p);
	p.nr_cpus = cpus;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	pga_host_set_cpu(0);
}

static int list_len(const struct pga_pcp *pcp, int pindex)
{
	int n = 0;

	for (const struct pga_list_head *l = pcp->lists[pindex].next;
	     l != &pcp->lists[pindex]; l = l->next)
		n++;
	return n;
}

static long nr_free(void)
{
	return zone_page_state(normal(), PGA_NR_FREE_PAGES);
}

static unsigned long zone_locks(void)
{
	return pga_host_lock_acquisitions(&normal()->lock);
}

/* Linux zone_batchsize, written out independently for 4 KiB pages. */
static int expect_batch(unsigned long managed)
{
	unsigned long b = managed >> 10 < 256 ? managed >> 10 : 256;
	unsigned long p = 1;

	b /= 4;
	if (b < 1)
		b = 1;
	while (p * 2 <= b + b / 2)
		p *= 2;
	return (int)p - 1 > 0 ? (int)p - 1 : 1;
}

static unsigned long wmark_low(void)
{
	struct pga_zone_info i;

	assert_int_equal(pga_zone_get_info(0, PGA_ZONE_NORMAL, &i), 0);
	return i.wmark_low;
}

static void batch_and_high(void **state)
{
	unsigned long managed;
	int batch, high;

	(void)state;
	init_cpus(4);
	managed = zone_managed(normal());
	batch = expect_batch(managed);
	assert_int_equal(batch, 63);
	high = (int)(wmark_low() / 4);
	if (high < 4 * batch)
		high = 4 * batch;
	for (unsigned int c = 0; c < 4; c++) {
		assert_int_equal(pcp_of(c)->batch, batch);
		assert_int_equal(pcp_of(c)->high, high);
	}
	/* high_fraction: managed / fraction split over the node's CPUs. */
	assert_int_equal(pga_set_percpu_pagelist_high_fraction(8), 0);
	assert_int_equal(pcp_of(3)->high, (int)(managed / 8 / 4));
	fx_log_clear();
	assert_int_equal(pga_set_percpu_pagelist_high_fraction(7),
			 -PGA_EINVAL);
	assert_true(fx_log_contains("percpu_pagelist_high_fraction 7"));
	assert_int_equal(pcp_of(3)->high, (int)(managed / 8 / 4));
	assert_int_equal(pga_set_percpu_pagelist_high_fraction(0), 0);
	assert_int_equal(pcp_of(3)->high, high);
	/* An offline CPU leaves the split; online brings it back. */
	assert_int_equal(pga_cpu_offline(1), 0);
	assert_int_equal(pcp_of(0)->high,
			 PGA_MAX((int)(wmark_low() / 3), 4 * batch));
	assert_int_equal(pga_cpu_online(1), 0);
	assert_int_equal(pcp_of(0)->high, high);
}

/* Two nodes: each zone's high is split over its own node's CPUs. */
static void high_split_per_node(void **state)
{
	struct pga_params p;
	struct pga_mem_range r[2] = {{GiB(4), GiB(1), 0}, {GiB(5), GiB(1), 1}};
	struct pga_zone *z1;
	struct pga_zone_info i;

	(void)state;
	fx_params(&p);
	p.nr_cpus = 3;
	p.cpu_to_node[2] = 1;
	assert_int_equal(fx_init(&p, r, 2, NULL, 0, NULL), 0);
	z1 = &pga_g.nodes[1].node_zones[PGA_ZONE_NORMAL];
	assert_int_equal(pcp_of(0)->high,
			 PGA_MAX((int)(wmark_low() / 2), 4 * pcp_of(0)->batch));
	assert_int_equal(pga_zone_get_info(1, PGA_ZONE_NORMAL, &i), 0);
	assert_int_equal(z1->pcp[0].high,
			 PGA_MAX((int)i.wmark_low, 4 * z1->pcp[0].batch));
	/* Node 1 loses its only CPU: its zone splits over all online CPUs. */
	assert_int_equal(pga_cpu_offline(2), 0);
	assert_int_equal(z1->pcp[0].high,
			 PGA_MAX((int)(i.wmark_low / 2), 4 * z1->pcp[0].batch));
}

/* Small zones get batch 1 and keep no pages; so does disable_pcp. */
static void tiny_batch_and_disabled(void **state)
{
	struct pga_params p;
	struct pga_mem_range r = {0, MiB(16), 0};
	struct pga_zone *dma = &pga_g.nodes[0].node_zones[PGA_ZONE_DMA];
	struct pga_page *pg;
	long before;

	(void)state;
	fx_init_simple(0, MiB(16));
	assert_int_equal(pga_zone_batchsize(dma), 0);
	assert_int_equal(dma->pcp[0].batch, 1);
	pg = pga_alloc_pages(PGA_GFP_DMA | PGA_GFP_KERNEL, 0);
	assert_non_null(pg);
	assert_int_equal(dma->pcp[0].count, 0);
	pga_free_pages(pg, 0);
	fx_assert_consistent();

	fx_params(&p);
	p.disable_pcp = true;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	assert_int_equal(dma->pcp[0].high, 0);
	assert_int_equal(dma->pcp[0].batch, 1);
	before = zone_page_state(dma, PGA_NR_FREE_PAGES);
	pg = pga_alloc_pages(PGA_GFP_DMA | PGA_GFP_KERNEL, 0);
	assert_int_equal(dma->pcp[0].count, 0);
	assert_int_equal(zone_page_state(dma, PGA_NR_FREE_PAGES), before - 1);
	pga_free_pages(pg, 0);
	assert_int_equal(dma->pcp[0].count, 0);
	assert_int_equal(zone_page_state(dma, PGA_NR_FREE_PAGES), before);
	fx_assert_consistent();
}

/*
 * A model of the buddy's hand-out order for one migratetype (Linux
 * __rmqueue_smallest + expand): the head of the smallest non-empty list,
 * upper halves pushed on the heads of the lower lists.  Only the first
 * entries of each list matter for a few dozen takes.
 */
#define MODEL_DEPTH 128
struct model {
	pga_pfn_t pfn[PGA_NR_ORDERS][MODEL_DEPTH];
	int n[PGA_NR_ORDERS];
};

static void model_snapshot(struct model *m, int mt)
{
	for (int o = 0; o <= PGA_MAX_ORDER; o++) {
		const struct pga_list_head *h = &normal()->free_area[o].free_list[mt];
		const struct pga_list_head *l = h->next;

		for (m->n[o] = 0; l != h && m->n[o] < MODEL_DEPTH / 2;
		     l = l->next)
			m->pfn[o][m->n[o]++] = pga_page_to_pfn(list_page(l));
	}
}

static void model_push(struct model *m, int o, pga_pfn_t pfn)
{
	assert_true(m->n[o] < MODEL_DEPTH);
	for (int i = m->n[o]; i > 0; i--)
		m->pfn[o][i] = m->pfn[o][i - 1];
	m->pfn[o][0] = pfn;
	m->n[o]++;
}

static pga_pfn_t model_take(struct model *m, int order)
{
	int o = order;
	pga_pfn_t pfn;

	while (!m->n[o])
		o++;
	pfn = m->pfn[o][0];
	m->n[o]--;
	for (int i = 0; i < m->n[o]; i++)
		m->pfn[o][i] = m->pfn[o][i + 1];
	while (o > order) {
		o--;
		model_push(m, o, pfn + (1UL << o));
	}
	return pfn;
}

/*
 * Allocate one movable block of @order from an empty pcp list and check
 * that it and the n - 1 blocks left on the list are, in list order, the
 * blocks the buddy hands out one after another.
 */
static struct pga_page *alloc_and_check_refill(unsigned int order, int n)
{
	struct pga_list_head *list =
		&pcp_of(0)->lists[pga_pcp_pindex(PGA_MIGRATE_MOVABLE, order)];
	struct model m;
	struct pga_page *pg;
	int i = 0;

	assert_true(list_empty(list));
	model_snapshot(&m, PGA_MIGRATE_MOVABLE);
	pg = pga_alloc_pages(MOV, order);
	assert_int_equal(pga_page_to_pfn(pg), model_take(&m, (int)order));
	for (struct pga_list_head *l = list->next; l != list; l = l->next) {
		struct pga_page *q = list_page(l);

		assert_int_equal(pga_page_to_pfn(q), model_take(&m, (int)order));
		assert_true(page_flag(q, PGA_PG_pcp));
		assert_int_equal(q->private, PGA_MIGRATE_MOVABLE);
		i++;
	}
	assert_int_equal(i, n - 1);
	return pg;
}

/* Refill: max(batch >> order, 2) blocks under one zone-lock hold. */
static void refill_size_per_order(void **state)
{
	static const unsigned int orders[] = {0, 1, 2, 3, PGA_PAGEBLOCK_ORDER};

	(void)state;
	init_cpus(1);
	for (size_t i = 0; i < PGA_ARRAY_SIZE(orders); i++) {
		unsigned int o = orders[i];
		int n = PGA_MAX(63 >> o, 2);
		int pindex = pga_pcp_pindex(PGA_MIGRATE_MOVABLE, o);
		long free0 = nr_free();
		unsigned long locks0 = zone_locks();
		struct pga_page *pg = alloc_and_check_refill(o, n);

		assert_int_equal(zone_locks(), locks0 + 1);
		assert_int_equal(nr_free(), free0 - ((long)n << o));
		assert_int_equal(list_len(pcp_of(0), pindex), n - 1);
		assert_int_equal(pcp_of(0)->count, (n - 1) << o);
		pga_free_pages(pg, o);
		pga_drain_local_pages();
		assert_int_equal(nr_free(), free0);
	}
	fx_assert_consistent();
}

/* The list is used from the head: frees come back LIFO. */
static void pages_come_back_in_order(void **state)
{
	struct pga_list_head *mlist;
	struct pga_page *a, *b, *c, *d;

	(void)state;
	init_cpus(1);
	mlist = &pcp_of(0)->lists[pga_pcp_pindex(PGA_MIGRATE_MOVABLE, 0)];
	a = alloc_and_check_refill(0, 63);
	b = list_first_page(mlist);
	c = list_page(b->lru.next);
	d = list_page(c->lru.next);
	assert_ptr_equal(pga_alloc_pages(MOV, 0), b);
	assert_ptr_equal(pga_alloc_pages(MOV, 0), c);
	pga_free_pages(b, 0);
	pga_free_pages(a, 0);
	assert_ptr_equal(list_first_page(mlist), a);
	assert_ptr_equal(pga_alloc_pages(MOV, 0), a);
	assert_ptr_equal(pga_alloc_pages(MOV, 0), b);
	assert_ptr_equal(pga_alloc_pages(MOV, 0), d);
	/* Another migratetype has its own list. */
	pga_alloc_pages(PGA_GFP_KERNEL, 0);
	assert_int_equal(list_len(pcp_of(0), pga_pcp_pindex(
					PGA_MIGRATE_UNMOVABLE, 0)), 62);
	assert_int_equal(list_len(pcp_of(0), pga_pcp_pindex(
					PGA_MIGRATE_MOVABLE, 0)), 59);
}

/* Independent model of Linux nr_pcp_free for the drain test. */
static int model_free(int *ff, int high, int batch)
{
	int b = batch << *ff;

	if (b < high - batch && *ff < 5)
		(*ff)++;
	if (b < batch)
		b = batch;
	return b > high - batch ? high - batch : b;
}

/*
 * Allocate @n order-0 pages, empty the pcp, then free them one by one and
 * check every drain against the model: when it happens, how much goes,
 * which pages (the oldest) and free_factor.  Return: drains seen.
 */
static int free_and_watch_drains(struct pga_page **pg, int n, int *ff)
{
	struct pga_pcp *pcp = pcp_of(0);
	int count = 0, drained = 0, drains = 0;
	int high = pcp->high, batch = pcp->batch;

	for (int i = 0; i < n; i++)
		pg[i] = pga_alloc_pages(MOV, 0);
	pga_drain_local_pages();
	assert_int_equal(pcp->free_factor, 0);
	*ff = 0;
	for (int i = 0; i < n; i++) {
		unsigned long locks0 = zone_locks();

		pga_free_pages(pg[i], 0);
		count++;
		if (count >= high) {
			int nr = model_free(ff, high, batch);

			/* The oldest pages, freed first, went back. */
			for (int j = drained; j < drained + nr; j++)
				assert_false(page_flag(pg[j], PGA_PG_pcp));
			assert_true(page_flag(pg[drained + nr], PGA_PG_pcp));
			drained += nr;
			count -= nr;
			drains++;
			assert_int_equal(zone_locks(), locks0 + 1);
		} else {
			assert_int_equal(zone_locks(), locks0);
		}
		assert_int_equal(pcp->count, count);
		assert_int_equal(pcp->free_factor, *ff);
	}
	return drains;
}

/* Drains at high: batch << free_factor, clamped to high - batch. */
static void drain_at_high_and_free_factor(void **state)
{
	enum { N = 4000 };
	static struct pga_page *pg[N];
	int ff;

	(void)state;
	init_cpus(1);
	/* 63, 126, 252, 504, 1008, then high - batch (the clamp). */
	assert_true(pcp_of(0)->high - 63 < 2016);
	assert_int_equal(free_and_watch_drains(pg, N, &ff), 6);
	assert_int_equal(ff, 5);
	/* An allocation halves free_factor. */
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	assert_int_equal(pcp_of(0)->free_factor, 2);
	fx_assert_consistent();
}

/* free_factor stops at PCP_BATCH_SCALE_MAX (5) even below the clamp. */
static void free_factor_cap(void **state)
{
	enum { N = 40000 };
	static struct pga_page *pg[N];
	int ff;

	(void)state;
	init_cpus(1);
	assert_int_equal(pga_set_percpu_pagelist_high_fraction(8), 0);
	assert_true(pcp_of(0)->high - 63 > 2 * 2016);
	/*
	 * 63 ... 1008, then 2016 three times: ff 5 is not raised to 6
	 * (which would drain 4032 and leave room for only 7 drains).
	 */
	assert_int_equal(free_and_watch_drains(pg, N, &ff), 8);
	assert_int_equal(ff, 5);
	fx_assert_consistent();
}

/*
 * A drain starts at the list of the page just freed and moves round-robin
 * over the other lists, oldest pages first.
 */
static void drain_round_robin(void **state)
{
	enum { NU = 1400, NR = 20, NM = 10 };
	static struct pga_page *u[NU], *r[NR], *m[NM];
	const pga_gfp_t rec = PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE;
	int high, nu = 0;

	(void)state;
	init_cpus(1);
	high = pcp_of(0)->high;
	assert_true(high - NR - NM < NU);
	for (int i = 0; i < NU; i++)
		u[i] = pga_alloc_pages(PGA_GFP_KERNEL, 0);
	for (int i = 0; i < NR; i++)
		r[i] = pga_alloc_pages(rec, 0);
	for (int i = 0; i < NM; i++)
		m[i] = pga_alloc_pages(MOV, 0);
	pga_drain_local_pages();
	for (int i = 0; i < NR; i++)
		pga_free_pages(r[i], 0);
	for (int i = 0; i < NM - 1; i++)
		pga_free_pages(m[i], 0);
	while (pcp_of(0)->count < high - 1)
		pga_free_pages(u[nu++], 0);
	/* count reaches high on the movable list: 63 pages go. */
	pga_free_pages(m[NM - 1], 0);
	assert_int_equal(pcp_of(0)->count, high - 63);
	for (int i = 0; i < NM; i++)
		assert_false(page_flag(m[i], PGA_PG_pcp));
	for (int i = 0; i < NR; i++)
		assert_false(page_flag(r[i], PGA_PG_pcp));
	for (int i = 0; i < 63 - NM - NR; i++)
		assert_false(page_flag(u[i], PGA_PG_pcp));
	assert_true(page_flag(u[63 - NM - NR], PGA_PG_pcp));
	while (nu < NU)
		pga_free_pages(u[nu++], 0);
	fx_assert_consistent();
}

/* Free count pages to @pcp until one drain happened; returns nothing. */
static void free_until_drain(struct pga_page **pg, int n, int *used)
{
	int before = pcp_of(0)->count;

	while (*used < n) {
		pga_free_pages(pg[(*used)++], 0);
		if (pcp_of(0)->count < before)
			return;
		before = pcp_of(0)->count;
	}
	fail_msg("no drain after %d frees", n);
}

/* After a drain, a free of order 1..3 empties the whole pcp. */
static void free_high_flushes(void **state)
{
	enum { N = 2000 };
	static struct pga_page *pg[N];
	struct pga_page *o1, *o3, *o9;
	int used = 0;
	long free0;

	(void)state;
	init_cpus(1);
	o1 = pga_alloc_pages(MOV, 1);
	o3 = pga_alloc_pages(MOV, 3);
	o9 = pga_alloc_pages(MOV, PGA_PAGEBLOCK_ORDER);
	for (int i = 0; i < N; i++)
		pg[i] = pga_alloc_pages(MOV, 0);
	pga_drain_local_pages();
	free_until_drain(pg, N, &used);
	assert_int_equal(pcp_of(0)->free_factor, 1);
	/* Order 0 and the pageblock order are not high-order frees. */
	pga_free_pages(pg[used++], 0);
	pga_free_pages(o9, PGA_PAGEBLOCK_ORDER);
	assert_true(pcp_of(0)->count > 512);
	free0 = nr_free();
	pga_free_pages(o1, 1);
	assert_int_equal(pcp_of(0)->count, 0);
	assert_true(nr_free() > free0);
	/* Allocations halve free_factor; at 0 an order-3 free stays. */
	while (pcp_of(0)->free_factor) {
		int ff = pcp_of(0)->free_factor;

		pga_free_pages(pga_alloc_pages(MOV, 0), 0);
		assert_int_equal(pcp_of(0)->free_factor, ff >> 1);
	}
	pga_free_pages(o3, 3);
	assert_int_equal(list_len(pcp_of(0), pga_pcp_pindex(1, 3)), 1);
	assert_int_equal(pcp_of(0)->count, 63 + 8);
	while (used < N)
		pga_free_pages(pg[used++], 0);
	fx_assert_consistent();
}

/* With kswapd active (ZONE_RECLAIM_ACTIVE) high is min(4 batch, high). */
static void reclaim_active_high(void **state)
{
	enum { N = 600 };
	static struct pga_page *pg[N];
	int used = 0, drains_at = -1;

	(void)state;
	init_cpus(1);
	assert_true(pcp_of(0)->high > 4 * pcp_of(0)->batch);
	for (int i = 0; i < N; i++)
		pg[i] = pga_alloc_pages(MOV, 0);
	pga_drain_local_pages();
	normal()->flags |= PGA_ZONE_RECLAIM_ACTIVE;
	while (used < N && drains_at < 0) {
		int before = pcp_of(0)->count;

		pga_free_pages(pg[used++], 0);
		if (pcp_of(0)->count < before)
			drains_at = before + 1;
	}
	assert_int_equal(drains_at, 4 * pcp_of(0)->batch);
	/* nr_pcp_free against the reduced high: one batch. */
	assert_int_equal(pcp_of(0)->count, 4 * 63 - 63);
	normal()->flags &= ~PGA_ZONE_RECLAIM_ACTIVE;
	while (used < N)
		pga_free_pages(pg[used++], 0);
	fx_assert_consistent();
}

/* Hits on a filled list take no zone lock and leave the free count. */
static void hits_take_no_zone_lock(void **state)
{
	unsigned long locks0, pcplocks0;
	long free0;
	struct pga_page_accounting a;

	(void)state;
	init_cpus(1);
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	locks0 = zone_locks();
	pcplocks0 = pcp_of(0)->lock_holds;
	free0 = nr_free();
	for (int i = 0; i < 1000; i++) {
		struct pga_page *pg = pga_alloc_pages(MOV, 0);

		pga_free_pages(pg, 0);
	}
	assert_int_equal(zone_locks(), locks0);
	assert_int_equal(pcp_of(0)->lock_holds,
			 pcplocks0 + 2000);
	assert_int_equal(nr_free(), free0);
	/* pcp pages are not free: they show up in the pcp column. */
	pga_page_accounting(&a);
	assert_int_equal(a.pcp, 63);
	assert_int_equal(a.free, (unsigned long)nr_free());
	assert_int_equal(pga_host_irq_depth(), 0);
}

/* A busy pcp (re-entry, remote drain) sends both paths to the buddy. */
static void trylock_failure_uses_buddy(void **state)
{
	struct pga_page *pg, *head;
	unsigned long locks0, pgfree0;
	long free0;
	int count0;

	(void)state;
	init_cpus(1);
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	head = list_first_page(&pcp_of(0)->lists[1]);
	count0 = pcp_of(0)->count;
	free0 = nr_free();
	locks0 = zone_locks();
	pga_pcp_spin_lock(pcp_of(0));
	pg = pga_alloc_pages(MOV, 0);
	assert_non_null(pg);
	assert_ptr_not_equal(pg, head);
	assert_int_equal(pcp_of(0)->count, count0);
	assert_int_equal(zone_locks(), locks0 + 1);
	assert_int_equal(nr_free(), free0 - 1);
	/* The free goes to the buddy and, as in 6.6, is not counted. */
	pgfree0 = pga_vm_event_sum(PGA_PGFREE);
	pga_free_pages(pg, 0);
	assert_int_equal(pga_vm_event_sum(PGA_PGFREE), pgfree0);
	assert_int_equal(nr_free(), free0);
	assert_false(page_flag(pg, PGA_PG_pcp));
	pga_pcp_spin_unlock(pcp_of(0));
	assert_int_equal(pcp_of(0)->count, count0);
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	assert_int_equal(pga_vm_event_sum(PGA_PGFREE), pgfree0 + 1);
	fx_assert_consistent();
}

/* Each CPU has its own lists; a page freed on CPU 0 stays with CPU 0. */
static void cpus_are_isolated(void **state)
{
	struct pga_page *a, *b;
	unsigned long locks0;

	(void)state;
	init_cpus(2);
	a = pga_alloc_pages(MOV, 0);
	pga_free_pages(a, 0);
	pga_host_set_cpu(1);
	locks0 = zone_locks();
	b = pga_alloc_pages(MOV, 0);
	assert_ptr_not_equal(b, a);
	assert_int_equal(zone_locks(), locks0 + 1); /* its own refill */
	assert_int_equal(pcp_of(1)->count, 62);
	assert_int_equal(pcp_of(0)->count, 63);
	pga_host_set_cpu(0);
	assert_ptr_equal(pga_alloc_pages(MOV, 0), a);
	/* A page allocated on CPU 0 and freed on CPU 1 joins CPU 1's list. */
	pga_host_set_cpu(1);
	pga_free_pages(a, 0);
	assert_ptr_equal(list_first_page(&pcp_of(1)->lists[1]), a);
	assert_int_equal(pcp_of(0)->count, 62);
	assert_int_equal(pcp_of(1)->count, 63);
	pga_free_pages(b, 0);
	pga_host_set_cpu(0);
	assert_int_equal(fx_allocated_pages(), 0);
	fx_assert_consistent();
	/* drain_local empties only the calling CPU's lists. */
	pga_drain_local_pages();
	assert_int_equal(pcp_of(0)->count, 0);
	assert_int_equal(pcp_of(1)->count, 64);
	pga_drain_all_pages();
	assert_int_equal(pcp_of(1)->count, 0);
}

static int pcp_total(unsigned int cpu)
{
	int n = 0;

	for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
		struct pga_zone *z = &pga_g.nodes[0].node_zones[zt];

		if (z->pcp)
			n += z->pcp[cpu].count;
	}
	return n;
}

/* Leave pages of several orders and zones on every CPU's lists. */
static void populate(unsigned int cpus, struct pga_page *keep[][8])
{
	static const unsigned int orders[] = {0, 1, 2, 3, PGA_PAGEBLOCK_ORDER};

	for (unsigned int c = 0; c < cpus; c++) {
		pga_host_set_cpu(c);
		for (size_t i = 0; i < PGA_ARRAY_SIZE(orders); i++) {
			pga_free_pages(pga_alloc_pages(MOV, orders[i]),
				       orders[i]);
			keep[c][i] = pga_alloc_pages(PGA_GFP_KERNEL, orders[i]);
		}
		pga_free_pages(pga_alloc_pages(PGA_GFP_DMA32 | PGA_GFP_KERNEL,
					       0), 0);
		keep[c][5] = pga_alloc_pages(PGA_GFP_DMA | PGA_GFP_KERNEL, 2);
	}
	pga_host_set_cpu(0);
}

static void cpu_offline_returns_everything(void **state)
{
	static struct pga_page *keep[4][8];
	struct pga_page_accounting a0, a1;
	int left[4];

	(void)state;
	{
		struct pga_params p;
		struct pga_mem_range r = {0, GiB(5), 0};

		fx_params(&p);
		p.nr_cpus = 4;
		assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	}
	populate(4, keep);
	for (unsigned int c = 0; c < 4; c++) {
		left[c] = pcp_total(c);
		assert_true(left[c] > 63);
	}
	pga_page_accounting(&a0);
	assert_int_equal(pga_cpu_offline(2), 0);
	pga_page_accounting(&a1);
	assert_int_equal(pcp_total(2), 0);
	assert_int_equal(pcp_total(0), left[0]);
	assert_int_equal(pcp_total(1), left[1]);
	assert_int_equal(pcp_total(3), left[3]);
	assert_int_equal(a1.free, a0.free + (unsigned long)left[2]);
	assert_int_equal(a1.allocated, a0.allocated);
	fx_assert_consistent();
	/* Calls made on the offline CPU bypass its lists. */
	pga_host_set_cpu(2);
	{
		unsigned long locks0 = zone_locks();
		struct pga_page *pg = pga_alloc_pages(MOV, 0);

		assert_int_equal(zone_locks(), locks0 + 1);
		pga_free_pages(pg, 0);
		assert_int_equal(zone_locks(), locks0 + 2);
		assert_int_equal(pcp_total(2), 0);
	}
	pga_host_set_cpu(0);
	fx_log_clear();
	assert_int_equal(pga_cpu_offline(4), -PGA_EINVAL);
	assert_true(fx_log_contains("cpu_offline(4): no such CPU"));
	assert_int_equal(pga_cpu_online(9), -PGA_EINVAL);
	assert_true(fx_log_contains("cpu_online(9)"));
	assert_int_equal(pga_cpu_online(2), 0);
	for (unsigned int c = 0; c < 4; c++) {
		pga_host_set_cpu(c);
		for (int i = 0; i < 5; i++)
			pga_free_pages(keep[c][i], i < 4 ? (unsigned)i
							 : PGA_PAGEBLOCK_ORDER);
		pga_free_pages(keep[c][5], 2);
	}
	pga_host_set_cpu(0);
	for (unsigned int c = 0; c < 4; c++)
		assert_int_equal(pga_cpu_offline(c), 0);
	pga_page_accounting(&a1);
	assert_int_equal(a1.pcp, 0);
	assert_int_equal(a1.allocated, 0);
	assert_int_equal(a1.free, a1.managed);
	fx_assert_consistent();
}

/* HIGHATOMIC blocks use the movable list and keep their type. */
static void highatomic_uses_movable_list(void **state)
{
	struct pga_page *pg;
	pga_pfn_t pfn;

	(void)state;
	init_cpus(1);
	pg = pga_alloc_pages(MOV, 0);
	pfn = pga_page_to_pfn(pg);
	bl_retype_block(normal(), pfn, PGA_MIGRATE_HIGHATOMIC);
	pga_drain_local_pages();
	pga_free_pages(pg, 0);
	assert_ptr_equal(list_first_page(&pcp_of(0)->lists[pga_pcp_pindex(
				 PGA_MIGRATE_MOVABLE, 0)]), pg);
	assert_int_equal(pg->private, PGA_MIGRATE_HIGHATOMIC);
	pga_drain_local_pages();
	assert_true(bl_on_free_list(normal(), pg, PGA_MIGRATE_HIGHATOMIC));
	bl_retype_block(normal(), pfn, PGA_MIGRATE_MOVABLE);
	fx_assert_consistent();
}

/* Isolated blocks bypass the pcp; a drain re-reads the type. */
static void isolated_blocks(void **state)
{
	struct pga_page *a, *b;
	pga_pfn_t pfn;
	long free0;
	int count0;

	(void)state;
	init_cpus(1);
	a = pga_alloc_pages(MOV, 0);
	b = pga_alloc_pages(MOV, 0);
	pfn = pga_page_to_pfn(a);
	pga_free_pages(b, 0); /* b sits on the pcp */
	bl_retype_block(normal(), pfn, PGA_MIGRATE_ISOLATE);
	count0 = pcp_of(0)->count;
	free0 = nr_free();
	pga_free_pages(a, 0);
	assert_int_equal(pcp_of(0)->count, count0);
	assert_true(bl_on_free_list(normal(), a, PGA_MIGRATE_ISOLATE));
	assert_int_equal(nr_free(), free0); /* isolated pages are not free */
	pga_drain_local_pages();
	assert_true(bl_on_free_list(normal(), b, PGA_MIGRATE_ISOLATE));
	assert_int_equal(nr_free(), free0);
	bl_retype_block(normal(), pfn, PGA_MIGRATE_MOVABLE);
	fx_assert_consistent();
}

/* A corrupted page met on the way out is quarantined and skipped. */
static void bad_page_skipped_on_alloc(void **state)
{
	struct pga_page *head, *next, *pg, *blk;
	struct pga_page_accounting a;
	unsigned int o;

	(void)state;
	init_cpus(1);
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	head = list_first_page(&pcp_of(0)->lists[1]);
	next = list_page(head->lru.next);
	head->mapcount = 1;
	fx_log_clear();
	pg = pga_alloc_pages(MOV, 0);
	assert_ptr_equal(pg, next);
	assert_true(fx_log_contains("Bad page state"));
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 1);
	assert_int_equal(a.allocated, 1);
	pga_free_pages(pg, 0);
	/* The same on the buddy path (order 4 has no pcp list). */
	for (o = 4; list_empty(&normal()->free_area[o].free_list[1]); o++)
		;
	blk = list_first_page(&normal()->free_area[o].free_list[1]);
	blk->mapcount = 1;
	pg = pga_alloc_pages(MOV, 4);
	assert_ptr_not_equal(pg, blk);
	pga_page_accounting(&a);
	assert_int_equal(a.bad, 1 + 16);
	assert_int_equal(a.allocated, 16);
	pga_free_pages(pg, 4);
	fx_assert_consistent();
}

/*
 * PGALLOC and PGFREE count pages; NUMA_HIT/LOCAL count allocations (6.6
 * zone_statistics(..., 1)).
 */
static void counters(void **state)
{
	struct pga_page *pg;

	(void)state;
	init_cpus(1);
	pg = pga_alloc_pages(MOV, 2);
	assert_int_equal(pga_vm_event_sum(PGA_PGALLOC_NORMAL), 4);
	pga_free_pages(pg, 2);
	assert_int_equal(pga_vm_event_sum(PGA_PGFREE), 4);
	assert_int_equal(pga_zone_numa_stat(normal(), PGA_NUMA_HIT), 1);
	assert_int_equal(pga_zone_numa_stat(normal(), PGA_NUMA_LOCAL), 1);
	assert_int_equal(pga_zone_numa_stat(normal(), PGA_NUMA_MISS), 0);
	pga_free_pages(pga_alloc_pages(MOV, 0), 0);
	assert_int_equal(pga_zone_numa_stat(normal(), PGA_NUMA_HIT), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_and_high),
		cmocka_unit_test(high_split_per_node),
		cmocka_unit_test(tiny_batch_and_disabled),
		cmocka_unit_test(refill_size_per_order),
		cmocka_unit_test(pages_come_back_in_order),
		cmocka_unit_test(drain_at_high_and_free_factor),
		cmocka_unit_test(free_factor_cap),
		cmocka_unit_test(drain_round_robin),
		cmocka_unit_test(free_high_flushes),
		cmocka_unit_test(reclaim_active_high),
		cmocka_unit_test(hits_take_no_zone_lock),
		cmocka_unit_test(trylock_failure_uses_buddy),
		cmocka_unit_test(cpus_are_isolated),
		cmocka_unit_test(cpu_offline_returns_everything),
		cmocka_unit_test(highatomic_uses_movable_list),
		cmocka_unit_test(isolated_blocks),
		cmocka_unit_test(bad_page_skipped_on_alloc),
		cmocka_unit_test(counters),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
