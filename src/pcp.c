/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU page lists (Linux 6.6 per_cpu_pages): small blocks are handed
 * out from and freed to a list owned by the running CPU, refilled from and
 * drained to the buddy a batch at a time under one zone-lock hold.
 *
 * Locking: each pcp has its own lock.  Its CPU takes it with trylock and
 * interrupts off, so an interrupt that re-enters the allocator, or a
 * remote drain holding it, sends the caller to the buddy instead.  Remote
 * drains spin on it.  It is a test-and-set lock rather than the fair arch
 * lock: the owner's trylock is one atomic exchange (a ticket trylock is a
 * load and a compare-and-swap), and fairness cannot matter when only
 * occasional drainers ever wait.  Lock order: pcp lock, then zone lock.
 * Pages on these lists are not counted as free.
 *
 * count is written only under the pcp lock but read without it by
 * drainers deciding whether a pcp is worth locking, so writes are atomic
 * stores (Linux: WRITE_ONCE / data_race).  high and batch are rewritten
 * by pga_pcp_update_zone() at any time and read once per use (READ_ONCE).
 */
#include "internal.h"
#include "pcp_fast.h"

#define PGA_PCP_BATCH_SCALE_MAX 5

static unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

/*
 * Linux zone_batchsize (MMU): a quarter of the zone's managed pages per
 * 1024, at most 1 MiB worth, clamped to 2^n - 1.  Return: the batch (0 for
 * tiny zones; callers store max(1, batch)).  Context: any.
 */
int pga_zone_batchsize(const struct pga_zone *z)
{
	unsigned long batch = PGA_MIN(zone_managed(z) >> 10,
				      (1UL << 20) / PGA_PAGE_SIZE);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)(rounddown_pow_of_two(batch + batch / 2) - 1);
}

/* Online CPUs on node @nid, and (in *all) online CPUs anywhere. */
static unsigned int online_cpus_of_node(int nid, unsigned int *all)
{
	unsigned int n = 0;

	*all = 0;
	for (unsigned int c = 0; c < pga_g.nr_cpus; c++) {
		if (!cpu_online(c))
			continue;
		(*all)++;
		n += pga_cpu_to_node(c) == nid;
	}
	return n;
}

/*
 * Linux zone_highsize: the low watermark (or managed /
 * percpu_pagelist_high_fraction) split over the online CPUs of the zone's
 * node (over all online CPUs for a CPU-less node), at least 4 batches.
 * Return: the high mark in pages.  Context: any.
 */
int pga_zone_highsize(const struct pga_zone *z, int batch)
{
	unsigned long total;
	unsigned int all, split = online_cpus_of_node(z->nid, &all);

	if (!pga_g.percpu_pagelist_high_fraction)
		total = pga_wmark_pages(z, PGA_WMARK_LOW);
	else
		total = zone_managed(z) / pga_g.percpu_pagelist_high_fraction;
	if (!split)
		split = all ? all : 1;
	return (int)PGA_MAX(total / split, (unsigned long)batch << 2);
}

/*
 * Recompute high and batch of every pcp of @z.  Disabled pcps keep high 0
 * and batch 1, so every free goes straight back.  Context: task, with no
 * concurrent update (see pga_pcp_update_all).
 */
void pga_pcp_update_zone(struct pga_zone *z)
{
	int batch, high;

	if (!z->pcp)
		return;
	batch = PGA_MAX(1, pga_zone_batchsize(z));
	high = pga_zone_highsize(z, batch);
	if (pga_g.params.disable_pcp) {
		batch = 1;
		high = 0;
	}
	for (unsigned int c = 0; c < pga_g.nr_cpus; c++) {
		__atomic_store_n(&z->pcp[c].batch, batch, __ATOMIC_RELAXED);
		__atomic_store_n(&z->pcp[c].high, high, __ATOMIC_RELAXED);
	}
}

/* Serialises high/batch updates (Linux pcp_batch_high_lock). */
static pga_arch_spinlock_t update_lock = PGA_ARCH_SPINLOCK_INIT;

static void update_all_locked(void)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			pga_pcp_update_zone(&pga_g.nodes[nid].node_zones[zt]);
}

/*
 * pga_pcp_update_zone() for every zone, one updater at a time.
 * Context: task or atomic.
 */
void pga_pcp_update_all(void)
{
	unsigned long flags = pga_arch_irq_save();

	pga_arch_spin_lock(&update_lock);
	update_all_locked();
	pga_arch_spin_unlock(&update_lock);
	pga_arch_irq_restore(flags);
}

/*
 * Take @pcp's lock, spinning (remote drains and tests; the owning CPU
 * only trylocks).  Context: interrupts off.
 */
void pga_pcp_spin_lock(struct pga_pcp *pcp)
{
	while (!pcp_trylock(pcp))
		while (__atomic_load_n(&pcp->lock, __ATOMIC_RELAXED))
			pga_arch_cpu_relax();
}

/* Release @pcp's lock.  Context: its holder. */
void pga_pcp_spin_unlock(struct pga_pcp *pcp)
{
	pcp_unlock_raw(pcp);
}

/* For assertions: @pcp's lock is held and interrupts are off. */
static inline bool pcp_locked(const struct pga_pcp *pcp)
{
	return __atomic_load_n(&pcp->lock, __ATOMIC_RELAXED) != 0 &&
	       pga_arch_irqs_disabled();
}

static int pcp_batch(const struct pga_pcp *pcp)
{
	return __atomic_load_n(&pcp->batch, __ATOMIC_RELAXED);
}

static int pindex_to_order(int pindex)
{
	if (pindex >= PGA_NR_LOWORDER_PCP_LISTS)
		return PGA_PAGEBLOCK_ORDER;
	return pindex / PGA_MIGRATE_PCPTYPES;
}

/* The next non-empty list after @pindex, round-robin. */
static int next_busy_list(const struct pga_pcp *pcp, int pindex)
{
	do {
		if (++pindex >= PGA_NR_PCP_LISTS)
			pindex = 0;
	} while (list_empty(&pcp->lists[pindex]));
	return pindex;
}

/*
 * Linux free_pcppages_bulk: return @count pages (rounded up to whole
 * blocks) to the buddy, taking the oldest (tail) pages of the lists in
 * round-robin order starting at @pindex.  Context: @pcp's lock held,
 * interrupts off; takes the zone lock once.
 */
void pga_pcp_free_bulk(struct pga_zone *z, int count, struct pga_pcp *pcp,
		       int pindex)
{
	bool isolated;

	PGA_ASSERT(pcp_locked(pcp));
	count = PGA_MIN(pcp->count, count);
	if (count <= 0)
		return;
	pindex--;
	pga_arch_spin_lock(&z->lock);
	isolated = z->nr_isolate_pageblock != 0;
	while (count > 0) {
		struct pga_list_head *list;
		int order, nr;

		pindex = next_busy_list(pcp, pindex);
		list = &pcp->lists[pindex];
		order = pindex_to_order(pindex);
		nr = 1 << order;
		do {
			struct pga_page *page = list_last_page(list);
			pga_pfn_t pfn = page_pfn(page);
			int mt = page->private;

			list_del(&page->lru);
			page_clear(page, PGA_PG_pcp);
			count -= nr;
			pcp_count_add(pcp, -nr);
			/* The pageblock may have been isolated meanwhile. */
			if (isolated)
				mt = get_pageblock_migratetype(pfn);
			pga_buddy_free_one_page_locked(z, page, pfn,
						       (unsigned int)order, mt,
						       PGA_FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	pga_arch_spin_unlock(&z->lock);
}

/*
 * Linux rmqueue_bulk: move up to @count blocks of @order from the buddy
 * to the tail of @list under one zone-lock hold, so split blocks keep
 * their physical order.  Return: blocks moved.
 * Context: pcp lock held, interrupts off.
 */
static int rmqueue_bulk(struct pga_zone *z, unsigned int order, int count,
			struct pga_list_head *list, int mt,
			unsigned int alloc_flags)
{
	int i;

	pga_arch_spin_lock(&z->lock);
	for (i = 0; i < count; i++) {
		struct pga_page *page =
			pga_rmqueue_locked(z, order, mt, alloc_flags);

		if (!page)
			break;
		page_set(page, PGA_PG_pcp);
		list_add_tail(&page->lru, list);
	}
	pga_arch_spin_unlock(&z->lock);
	return i;
}

/* Refill an empty list by a batch scaled to the order.  False if none. */
static bool refill(struct pga_zone *z, struct pga_pcp *pcp,
		   struct pga_list_head *list, unsigned int order, int mt,
		   unsigned int alloc_flags)
{
	int batch = pcp_batch(pcp);
	int got;

	/* A batch of 1 (boot or disabled pcp) never keeps pages around. */
	if (batch > 1)
		batch = PGA_MAX(batch >> order, 2);
	got = rmqueue_bulk(z, order, batch, list, mt, alloc_flags);
	pcp_count_add(pcp, got << order);
	return got != 0;
}

/*
 * Linux __rmqueue_pcplist: take the head of @pcp's list for (@mt, @order),
 * refilling it from the buddy when empty.  A block that fails the new-page
 * check is quarantined and the next one taken.  The caller accounts the
 * allocation.  Return: the block or NULL (the zone has nothing).
 * Context: @pcp's lock held, interrupts off.
 */
struct pga_page *pga_pcp_take(struct pga_zone *z, struct pga_pcp *pcp,
			      unsigned int order, int mt,
			      unsigned int alloc_flags)
{
	struct pga_list_head *list = &pcp->lists[pga_pcp_pindex(mt, order)];
	struct pga_page *page;

	PGA_ASSERT(pcp_locked(pcp));
	do {
		if (list_empty(list) &&
		    !refill(z, pcp, list, order, mt, alloc_flags))
			return NULL;
		page = list_first_page(list);
		list_del(&page->lru);
		page_clear(page, PGA_PG_pcp);
		pcp_count_add(pcp, -(1 << order));
	} while (pga_unlikely(!pga_check_new_page(page, order)));
	return page;
}

struct pga_pcp *pga_pcp_trylock(struct pga_zone *z, unsigned long *flags,
				unsigned int *cpu)
{
	return this_pcp_trylock(z, flags, cpu);
}

/* Release a pcp taken with pga_pcp_trylock().  Context: its holder. */
void pga_pcp_unlock(struct pga_pcp *pcp, unsigned long flags)
{
	pga_pcp_spin_unlock(pcp);
	pga_arch_irq_restore(flags);
}

/*
 * Allocate a block of @order (pcp-allowed) for @mt from this CPU's list
 * of @z (Linux rmqueue_pcplist); an allocation halves free_factor.
 * Return: the page, or NULL when the pcp is busy or the zone has nothing;
 * the caller then tries the buddy.  Context: any; disables interrupts
 * around the list.
 */
struct pga_page *pga_pcp_alloc(struct pga_zone *preferred, struct pga_zone *z,
			       unsigned int order, int mt,
			       unsigned int alloc_flags)
{
	unsigned long flags;
	unsigned int cpu;
	struct pga_pcp *pcp = this_pcp_trylock(z, &flags, &cpu);
	struct pga_page *page;

	if (!pcp)
		return NULL;
	pcp->free_factor >>= 1;
	page = pga_pcp_take(z, pcp, order, mt, alloc_flags);
	if (page)
		pga_count_alloc_irqoff(preferred, z, cpu, order);
	pga_pcp_unlock(pcp, flags);
	return page;
}

/* Linux nr_pcp_high: 0 drains everything; kswapd at work shrinks it. */
static int nr_pcp_high(const struct pga_pcp *pcp, const struct pga_zone *z,
		       bool free_high)
{
	int high = __atomic_load_n(&pcp->high, __ATOMIC_RELAXED);

	if (!high || free_high)
		return 0;
	if (!(__atomic_load_n(&z->flags, __ATOMIC_RELAXED) &
	      PGA_ZONE_RECLAIM_ACTIVE))
		return high;
	return PGA_MIN(pcp_batch(pcp) << 2, high);
}

/*
 * Linux nr_pcp_free, with the PCP_BATCH_SCALE_MAX cap of 6.6.45+: each
 * drain without an allocation in between doubles the amount, leaving at
 * least a batch on the lists.
 */
static int nr_pcp_free(struct pga_pcp *pcp, int high, int batch,
		       bool free_high)
{
	int min_nr_free, max_nr_free;

	if (free_high)
		return pcp->count;
	if (high < batch)
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < PGA_PCP_BATCH_SCALE_MAX)
		pcp->free_factor++;
	return PGA_MIN(PGA_MAX(batch, min_nr_free), max_nr_free);
}

/*
 * Put a prepared block on @pcp (Linux free_unref_page_commit, plus page
 * accounting): head of the list for its order and pcp type (HIGHATOMIC and
 * CMA use the movable list; page->private keeps @mt), then drain past
 * high.  A high-order free right after a drain (free_factor > 0) empties
 * the pcp.  Context: @pcp's lock held by CPU @cpu, interrupts off.
 */
static inline void pcp_commit(struct pga_zone *z, struct pga_pcp *pcp,
			      unsigned int cpu, struct pga_page *page,
			      unsigned int order, int mt)
{
	int pcp_mt = mt >= PGA_MIGRATE_PCPTYPES ? PGA_MIGRATE_MOVABLE : mt;
	int pindex = pga_pcp_pindex(pcp_mt, order);
	bool free_high;
	int high;

	PGA_ASSERT(pcp_locked(pcp));
	PGA_PCPU_ADD(pcp->alloc_delta, -(1L << order));
	pga_count_event_irqoff(cpu, PGA_PGFREE, 1UL << order);
	page->private = (uint16_t)mt;
	page_set(page, PGA_PG_pcp);
	list_add(&page->lru, &pcp->lists[pindex]);
	pcp_count_add(pcp, 1 << order);
	free_high = pcp->free_factor && order && order <= PGA_COSTLY_ORDER;
	high = nr_pcp_high(pcp, z, free_high);
	if (pcp->count >= high)
		pga_pcp_free_bulk(z,
				  nr_pcp_free(pcp, high, pcp_batch(pcp),
					      free_high),
				  pcp, pindex);
}

/* pcp_commit() for bulk.c.  Context: as pcp_commit(). */
void pga_pcp_commit(struct pga_zone *z, struct pga_pcp *pcp, unsigned int cpu,
		    struct pga_page *page, unsigned int order, int mt)
{
	pcp_commit(z, pcp, cpu, page, order, mt);
}

/*
 * Free a prepared block of pcp-allowed @order whose pageblock type is @mt
 * to this CPU's list (Linux free_unref_page after free_pages_prepare).
 * Return: false when the block must go to the buddy instead (isolated
 * pageblock, pcp busy, no pcp for this CPU); the caller does that and its
 * accounting.  Context: any.
 */
bool pga_pcp_free(struct pga_zone *z, struct pga_page *page,
		  unsigned int order, int mt)
{
	unsigned long flags;
	unsigned int cpu;
	struct pga_pcp *pcp;

	if (pga_unlikely(mt == PGA_MIGRATE_ISOLATE))
		return false;
	pcp = this_pcp_trylock(z, &flags, &cpu);
	if (!pcp)
		return false;
	pcp_commit(z, pcp, cpu, page, order, mt);
	pga_pcp_unlock(pcp, flags);
	return true;
}

/*
 * Empty one pcp in chunks of batch << PCP_BATCH_SCALE_MAX pages, dropping
 * the locks between chunks (Linux drain_pages_zone).
 */
static void drain_pcp(struct pga_zone *z, struct pga_pcp *pcp)
{
	int count;

	do {
		unsigned long flags = pga_arch_irq_save();

		pga_pcp_spin_lock(pcp);
		count = pcp->count;
		if (count)
			pga_pcp_free_bulk(
				z,
				PGA_MIN(count, pcp_batch(pcp)
						       << PGA_PCP_BATCH_SCALE_MAX),
				pcp, 0);
		pga_pcp_spin_unlock(pcp);
		pga_arch_irq_restore(flags);
	} while (count);
}

/*
 * Drain every pcp list of @cpu in @zone (NULL: all zones) back to the
 * buddy.  Context: task or atomic; any CPU may drain any other.
 */
void pga_pcp_drain_cpu(unsigned int cpu, struct pga_zone *zone)
{
	if (cpu >= pga_g.nr_cpus) {
		pga_log(PGA_LOG_ERR, "pga: drain of cpu %u, which pga does not "
			"know (nr_cpus %u)", cpu, pga_g.nr_cpus);
		return;
	}
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
			struct pga_zone *z = &pga_g.nodes[nid].node_zones[zt];

			if (!z->pcp || (zone && zone != z))
				continue;
			if (__atomic_load_n(&z->pcp[cpu].count,
					    __ATOMIC_RELAXED))
				drain_pcp(z, &z->pcp[cpu]);
		}
	}
}

/*
 * Linux drain_all_pages(@zone): drain every CPU's pcps of @zone (NULL:
 * all zones) from the caller.  One drainer at a time: when another is at
 * work, a NULL-zone call returns at once (that drain serves it) and a
 * zone call waits for it.  Interrupts are off only per drained chunk
 * (drain_pcp), not across the CPUs.  Context: task or atomic for NULL;
 * a zone call waits, so task only.
 */
void pga_pcp_drain_all(struct pga_zone *zone)
{
	static int draining;

	while (__atomic_exchange_n(&draining, 1, __ATOMIC_ACQUIRE)) {
		if (!zone)
			return;
		pga_arch_cpu_relax();
	}
	for (unsigned int cpu = 0; cpu < pga_g.nr_cpus; cpu++)
		pga_pcp_drain_cpu(cpu, zone);
	__atomic_store_n(&draining, 0, __ATOMIC_RELEASE);
}

void pga_drain_local_pages(void)
{
	unsigned long flags = pga_arch_irq_save();
	unsigned int cpu = pga_cpu();

	pga_arch_irq_restore(flags);
	pga_pcp_drain_cpu(cpu, NULL);
}

void pga_drain_all_pages(void)
{
	pga_pcp_drain_all(NULL);
}

static bool cpu_arg_ok(unsigned int cpu, const char *what)
{
	if (cpu < pga_g.nr_cpus)
		return true;
	pga_log(PGA_LOG_ERR, "pga: %s(%u): no such CPU (nr_cpus %u)", what,
		cpu, pga_g.nr_cpus);
	return false;
}

int pga_cpu_offline(unsigned int cpu)
{
	if (!cpu_arg_ok(cpu, "cpu_offline"))
		return -PGA_EINVAL;
	__atomic_store_n(&pga_g.cpu_offline[cpu], true, __ATOMIC_RELAXED);
	pga_pcp_drain_cpu(cpu, NULL);
	pga_pcp_update_all();
	return 0;
}

int pga_cpu_online(unsigned int cpu)
{
	if (!cpu_arg_ok(cpu, "cpu_online"))
		return -PGA_EINVAL;
	__atomic_store_n(&pga_g.cpu_offline[cpu], false, __ATOMIC_RELAXED);
	pga_pcp_update_all();
	return 0;
}

int pga_set_percpu_pagelist_high_fraction(unsigned int fraction)
{
	unsigned long flags;

	if (fraction != 0 && fraction < 8) {
		pga_log(PGA_LOG_ERR, "pga: percpu_pagelist_high_fraction %u "
			"refused (0 or >= 8)", fraction);
		return -PGA_EINVAL;
	}
	flags = pga_arch_irq_save();
	pga_arch_spin_lock(&update_lock);
	pga_g.percpu_pagelist_high_fraction = fraction;
	update_all_locked();
	pga_arch_spin_unlock(&update_lock);
	pga_arch_irq_restore(flags);
	return 0;
}
