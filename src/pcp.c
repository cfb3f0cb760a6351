/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU page lists (Linux 6.6 per_cpu_pages): small blocks are handed
 * out from and freed to a list owned by the running CPU, refilled from and
 * drained to the buddy a batch at a time under one zone-lock hold.
 *
 * Locking: each pcp has its own lock.  Its CPU takes it with trylock and
 * interrupts off, so an interrupt that re-enters the allocator, or a
 * remote drain holding it, sends the caller to the buddy instead.  Remote
 * drains take it with a plain lock.  Pages on these lists are not counted
 * as free.
 */
#include "internal.h"

#define PGA_PCP_BATCH_SCALE_MAX 5

static unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

/* Linux zone_batchsize (MMU). */
int pga_zone_batchsize(const struct pga_zone *z)
{
	unsigned long batch = PGA_MIN(zone_managed(z) >> 10,
				      (1UL << 20) / PGA_PAGE_SIZE);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)(rounddown_pow_of_two(batch + batch / 2) - 1);
}

static unsigned int cpus_of_node(int nid)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < pga_g.nr_cpus; c++)
		n += pga_cpu_to_node(c) == nid;
	return n;
}

/* Linux zone_highsize (no CPU coming online). */
int pga_zone_highsize(const struct pga_zone *z, int batch)
{
	unsigned long total;
	unsigned int split = cpus_of_node(z->nid);

	if (!pga_g.percpu_pagelist_high_fraction)
		total = pga_wmark_pages(z, PGA_WMARK_LOW);
	else
		total = zone_managed(z) / pga_g.percpu_pagelist_high_fraction;
	if (!split)
		split = pga_g.nr_cpus;
	return (int)PGA_MAX(total / split, (unsigned long)batch << 2);
}

/*
 * Recompute high and batch of every pcp of @z.  Disabled pcps keep high 0
 * and batch 1, so every free goes straight back.  Context: task.
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

/* pga_pcp_update_zone() for every zone.  Context: task. */
void pga_pcp_update_all(void)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
			pga_pcp_update_zone(&pga_g.nodes[nid].node_zones[zt]);
}

static int pindex_to_order(int pindex)
{
	if (pindex >= PGA_NR_LOWORDER_PCP_LISTS)
		return PGA_PAGEBLOCK_ORDER;
	return pindex / PGA_MIGRATE_PCPTYPES;
}

/*
 * Linux free_pcppages_bulk: return @count pages (rounded up to whole
 * blocks) to the buddy, taking the oldest (tail) pages of the lists in
 * round-robin order starting at @pindex.  Context: pcp lock held,
 * interrupts off; takes the zone lock once.
 */
void pga_pcp_free_bulk(struct pga_zone *z, int count, struct pga_pcp *pcp,
		       int pindex)
{
	int min_pindex = 0, max_pindex = PGA_NR_PCP_LISTS - 1;
	bool isolated;

	count = PGA_MIN(pcp->count, count);
	if (count <= 0)
		return;
	pindex--;
	pga_arch_spin_lock(&z->lock);
	isolated = z->nr_isolate_pageblock != 0;
	while (count > 0) {
		struct pga_list_head *list;
		int order, nr;

		for (;;) {
			if (++pindex > max_pindex)
				pindex = min_pindex;
			list = &pcp->lists[pindex];
			if (!list_empty(list))
				break;
			if (pindex == max_pindex)
				max_pindex--;
			if (pindex == min_pindex)
				min_pindex++;
		}
		order = pindex_to_order(pindex);
		nr = 1 << order;
		do {
			struct pga_page *page = list_last_page(list);
			pga_pfn_t pfn = page_pfn(page);
			int mt = page->private;

			list_del(&page->lru);
			page_clear(page, PGA_PG_pcp);
			count -= nr;
			pcp->count -= nr;
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
 * to the tail of @list under one zone-lock hold.  Return: blocks moved.
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

/* Linux __rmqueue_pcplist: take the head, refilling an empty list first. */
static struct pga_page *rmqueue_pcplist_locked(struct pga_zone *z,
					       unsigned int order, int mt,
					       unsigned int alloc_flags,
					       struct pga_pcp *pcp)
{
	struct pga_list_head *list = &pcp->lists[pga_pcp_pindex(mt, order)];
	struct pga_page *page;

	if (list_empty(list)) {
		int batch = pcp->batch;
		int got;

		if (batch > 1)
			batch = PGA_MAX(batch >> order, 2);
		got = rmqueue_bulk(z, order, batch, list, mt, alloc_flags);
		pcp->count += got << order;
		if (!got)
			return NULL;
	}
	page = list_first_page(list);
	list_del(&page->lru);
	page_clear(page, PGA_PG_pcp);
	pcp->count -= 1 << order;
	return page;
}

/*
 * Allocate a block of @order (pcp-allowed) for @mt from this CPU's list
 * of @z (Linux rmqueue_pcplist).  Return: the page, or NULL when the pcp
 * is busy or the zone has nothing; the caller then tries the buddy.
 * Context: any; disables interrupts around the list.
 */
struct pga_page *pga_pcp_alloc(struct pga_zone *preferred, struct pga_zone *z,
			       unsigned int order, int mt,
			       unsigned int alloc_flags)
{
	unsigned long flags = pga_arch_irq_save();
	unsigned int cpu = pga_cpu();
	struct pga_pcp *pcp;
	struct pga_page *page;

	if (cpu >= pga_g.nr_cpus ||
	    !pga_arch_spin_trylock(&z->pcp[cpu].lock)) {
		pga_arch_irq_restore(flags);
		return NULL;
	}
	pcp = &z->pcp[cpu];
	pcp->free_factor >>= 1;
	page = rmqueue_pcplist_locked(z, order, mt, alloc_flags, pcp);
	if (page)
		pga_count_alloc_irqoff(preferred, z, cpu, order);
	pga_arch_spin_unlock(&pcp->lock);
	pga_arch_irq_restore(flags);
	return page;
}

/* Linux nr_pcp_high. */
static int nr_pcp_high(const struct pga_pcp *pcp, const struct pga_zone *z,
		       bool free_high)
{
	int high = pcp->high;

	if (!high || free_high)
		return 0;
	if (!(z->flags & PGA_ZONE_RECLAIM_ACTIVE))
		return high;
	return PGA_MIN(pcp->batch << 2, high);
}

/* Linux nr_pcp_free, with the PCP_BATCH_SCALE_MAX cap of 6.6.45+. */
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

/* Linux free_unref_page_commit. */
static void free_commit(struct pga_zone *z, struct pga_pcp *pcp,
			struct pga_page *page, int pcp_mt, unsigned int order)
{
	int pindex = pga_pcp_pindex(pcp_mt, order);
	bool free_high;
	int high;

	page_set(page, PGA_PG_pcp);
	list_add(&page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	free_high = pcp->free_factor && order && order <= PGA_COSTLY_ORDER;
	high = nr_pcp_high(pcp, z, free_high);
	if (pcp->count >= high)
		pga_pcp_free_bulk(z,
				  nr_pcp_free(pcp, high, pcp->batch, free_high),
				  pcp, pindex);
}

/*
 * Free a prepared block of pcp-allowed @order whose pageblock type is @mt
 * to this CPU's list (Linux free_unref_page after free_pages_prepare).
 * HIGHATOMIC and CMA blocks use the movable list and keep their type in
 * page->private.  Return: false when the block must go to the buddy
 * instead (isolated pageblock, pcp busy, unknown CPU); the caller does
 * that and its accounting.  Context: any.
 */
bool pga_pcp_free(struct pga_zone *z, struct pga_page *page,
		  unsigned int order, int mt)
{
	int pcp_mt = mt >= PGA_MIGRATE_PCPTYPES ? PGA_MIGRATE_MOVABLE : mt;
	unsigned long flags;
	unsigned int cpu;
	struct pga_pcp *pcp;

	if (mt == PGA_MIGRATE_ISOLATE)
		return false;
	page->private = (uint16_t)mt;
	flags = pga_arch_irq_save();
	cpu = pga_cpu();
	if (cpu >= pga_g.nr_cpus ||
	    !pga_arch_spin_trylock(&z->pcp[cpu].lock)) {
		pga_arch_irq_restore(flags);
		return false;
	}
	pcp = &z->pcp[cpu];
	pcp->alloc_delta -= 1L << order;
	pga_count_event_irqoff(cpu, PGA_PGFREE, 1UL << order);
	free_commit(z, pcp, page, pcp_mt, order);
	pga_arch_spin_unlock(&pcp->lock);
	pga_arch_irq_restore(flags);
	return true;
}

/* Empty one pcp in chunks (Linux drain_pages_zone). */
static void drain_pcp(struct pga_zone *z, struct pga_pcp *pcp)
{
	for (;;) {
		unsigned long flags = pga_arch_irq_save();
		int count;

		pga_arch_spin_lock(&pcp->lock);
		count = pcp->count;
		if (count)
			pga_pcp_free_bulk(
				z,
				PGA_MIN(count, pcp->batch
						       << PGA_PCP_BATCH_SCALE_MAX),
				pcp, 0);
		pga_arch_spin_unlock(&pcp->lock);
		pga_arch_irq_restore(flags);
		if (!count)
			return;
	}
}

/*
 * Drain every pcp list of @cpu in @z (NULL: all zones) back to the buddy.
 * Context: task or atomic; any CPU may drain any other.
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

void pga_drain_local_pages(void)
{
	unsigned long flags = pga_arch_irq_save();
	unsigned int cpu = pga_cpu();

	pga_arch_irq_restore(flags);
	pga_pcp_drain_cpu(cpu, NULL);
}

void pga_drain_all_pages(void)
{
	for (unsigned int cpu = 0; cpu < pga_g.nr_cpus; cpu++)
		pga_pcp_drain_cpu(cpu, NULL);
}

int pga_cpu_offline(unsigned int cpu)
{
	if (cpu >= pga_g.nr_cpus) {
		pga_log(PGA_LOG_ERR, "pga: cpu_offline(%u): no such CPU", cpu);
		return -PGA_EINVAL;
	}
	pga_pcp_drain_cpu(cpu, NULL);
	return 0;
}

int pga_set_percpu_pagelist_high_fraction(unsigned int fraction)
{
	if (fraction != 0 && fraction < 8)
		return -PGA_EINVAL;
	pga_g.percpu_pagelist_high_fraction = fraction;
	pga_pcp_update_all();
	return 0;
}
