/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU list pieces the order-0 fast paths inline (pcp.c has the
 * locking rules): the owner's trylock, the count update, and a list hit
 * that hands out the head of a list only when that cannot go wrong.
 */
#ifndef PGA_PCP_FAST_H
#define PGA_PCP_FAST_H

#include "internal.h"

static inline bool cpu_online(unsigned int cpu)
{
	return !__atomic_load_n(&pga_g.cpu_offline[cpu], __ATOMIC_RELAXED);
}

/* One atomic exchange; lock_holds counts the takes (under the lock). */
static inline bool pcp_trylock(struct pga_pcp *pcp)
{
	if (__atomic_exchange_n(&pcp->lock, 1, __ATOMIC_ACQUIRE))
		return false;
	pcp->lock_holds++;
	return true;
}

static inline void pcp_unlock_raw(struct pga_pcp *pcp)
{
	__atomic_store_n(&pcp->lock, 0, __ATOMIC_RELEASE);
}

/* count is read locklessly by drainers: atomic store, written locked. */
static inline void pcp_count_add(struct pga_pcp *pcp, int nr)
{
	__atomic_store_n(&pcp->count, pcp->count + nr, __ATOMIC_RELAXED);
}

/*
 * Disable interrupts and trylock the running CPU's pcp of @z.  Return: the
 * pcp, with *@flags (for pga_pcp_unlock) and *@cpu set; or NULL, with
 * interrupts restored, when the lock is busy (a remote drain, or an
 * interrupted holder on this CPU) or the CPU has no pcp (an id past
 * nr_cpus, or offline).  Context: any.
 */
static inline struct pga_pcp *this_pcp_trylock(struct pga_zone *z,
					       unsigned long *flags,
					       unsigned int *cpu)
{
	unsigned long f = pga_arch_irq_save();
	unsigned int c = pga_cpu();

	if (pga_likely(c < pga_g.nr_cpus && cpu_online(c) &&
		       pcp_trylock(&z->pcp[c]))) {
		*flags = f;
		*cpu = c;
		return &z->pcp[c];
	}
	pga_arch_irq_restore(f);
	return NULL;
}

/*
 * Back out of a pcp take that handed nothing out: the take is not
 * counted, so the full path that follows counts exactly as it would
 * have on its own.  Context: @pcp's lock held with interrupts off.
 */
static inline void pcp_unlock_untaken(struct pga_pcp *pcp, unsigned long f)
{
	pcp->lock_holds--;
	pcp_unlock_raw(pcp);
	pga_arch_irq_restore(f);
}

/*
 * Order-0 list hit (the common case of Linux rmqueue_pcplist): the head
 * of this CPU's order-0 @mt list of @z, when the list has one and it
 * passes the new-page check, taken and accounted as pga_pcp_alloc()
 * would (free_factor halved, page accounting, pgalloc, NUMA statistics
 * with @z preferred).  Return: the page, or NULL with nothing changed
 * (pcp busy, list empty - a refill is the full path's job - or a head
 * that the full path must quarantine).  Context: any.
 */
static inline struct pga_page *pga_pcp_alloc_hit(struct pga_zone *z, int mt)
{
	unsigned long f;
	unsigned int cpu;
	struct pga_pcp *pcp = this_pcp_trylock(z, &f, &cpu);
	struct pga_list_head *list;
	struct pga_page *page;
	uint64_t flags;

	if (!pcp)
		return NULL;
	list = &pcp->lists[pga_pcp_pindex(mt, 0)];
	if (pga_unlikely(list_empty(list))) {
		pcp_unlock_untaken(pcp, f);
		return NULL;
	}
	page = list_first_page(list);
	flags = page_flags_read(page) & ~PGA_PAGE_FLAG(PGA_PG_pcp);
	if (pga_unlikely(!pga_new_page_ok(page, flags))) {
		pcp_unlock_untaken(pcp, f);
		return NULL;
	}
	pcp->free_factor >>= 1;
	list_del(&page->lru);
	page_flags_write(page, flags);
	pcp_count_add(pcp, -1);
	pga_count_alloc_irqoff(z, z, cpu, 0);
	pcp_unlock_raw(pcp);
	pga_arch_irq_restore(f);
	return page;
}

#endif /* PGA_PCP_FAST_H */
