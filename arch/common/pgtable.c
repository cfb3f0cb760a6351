/* SPDX-License-Identifier: MIT */
/*
 * The generic 4-level page-table walker behind pga/pgtable.h.  It knows
 * the radix shape shared by x86_64 and arm64 (512 entries, 4 KiB /
 * 2 MiB / 1 GiB leaves); descriptor bits come from the format
 * (pgtable_fmt.h) and TLB work goes through the privileged operations.
 *
 * TLB policy: an entry that was not present is written and published
 * with one sync at the end (neither arch caches non-present entries).  A
 * live present entry that changes is either rewritten and queued for
 * invalidation (up to PGA_PT_FLUSH_MAX entries, else one full flush at
 * the end of the call), or, when the format says so (arm64 output
 * address, shape or memory-type changes), broken first: written
 * invalid, invalidated at once, then written anew.
 */
#include <pga/alloc.h>
#include <pga/page.h>

#include "pgtable_fmt.h"

enum walk_op { WALK_MAP, WALK_UNMAP, WALK_PROTECT };

struct walk {
	struct pga_pgtable *pt;
	enum walk_op op;
	uintptr_t start;	/* first va of the call (map: maps to pa) */
	pga_paddr_t pa;
	unsigned int prot;
	bool wrote_new;		/* a non-present entry became present */
	bool flush_all;		/* too many entries queued */
	bool broke;		/* a break-before-make flushed at once */
	unsigned int nr_flush;
	uintptr_t flush_va[PGA_PT_FLUSH_MAX];
};

static pga_pte_t *table_va(const struct pga_pgtable *pt, pga_paddr_t pa)
{
	return (pga_pte_t *)(uintptr_t)(pa + pt->table_offset);
}

static pga_pte_t read_entry(const pga_pte_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Single-copy atomic store, so the hardware walker never sees a torn entry. */
static void write_entry(pga_pte_t *p, pga_pte_t e)
{
	__atomic_store_n(p, e, __ATOMIC_RELEASE);
}

static void queue_flush(struct walk *w, uintptr_t va)
{
	if (w->nr_flush == PGA_PT_FLUSH_MAX) {
		w->flush_all = true;
		return;
	}
	w->flush_va[w->nr_flush++] = va;
}

/* Replace *@p (mapping @va) by @e with the TLB work the change needs. */
static void set_entry(struct walk *w, pga_pte_t *p, uintptr_t va, pga_pte_t e)
{
	pga_pte_t old = read_entry(p);

	if (old == e)
		return;
	if (!pga_fmt_present(old) || !w->pt->live) {
		write_entry(p, e);
		w->wrote_new = true;
		return;
	}
	if (pga_fmt_present(e) && pga_fmt_needs_bbm(old, e)) {
		write_entry(p, 0);
		pga_arch_pt_flush(&va, 1);
		write_entry(p, e);
		w->wrote_new = true;
		w->broke = true;
		return;
	}
	write_entry(p, e);
	queue_flush(w, va);
}

/* Do the queued invalidations; called once per operation. */
static void finish(struct walk *w, uintptr_t last)
{
	if (!w->pt->live)
		return;
	if (w->flush_all)
		pga_arch_pt_flush_all();
	else if (w->nr_flush)
		pga_arch_pt_flush(w->flush_va, w->nr_flush);
	else if (w->wrote_new)
		pga_arch_pt_sync(); /* flushes above sync too */
	if ((w->flush_all || w->nr_flush || w->broke) && w->pt->shootdown)
		w->pt->shootdown(w->pt->ctx, w->start, last);
}

/* Leaves: 4 KiB, 2 MiB, and 1 GiB unless the flags forbid them. */
static bool leaf_ok(int level, unsigned int pt_flags)
{
	return level < 2 || (level == 2 && !(pt_flags & PGA_PT_NO_1G));
}

static pga_paddr_t new_table(struct pga_pgtable *pt)
{
	pga_paddr_t pa = pt->alloc_table(pt->ctx);

	if (pa == PGA_PT_NO_TABLE || (pa & (PGA_PT_SIZE_4K - 1)))
		return PGA_PT_NO_TABLE;
	__builtin_memset(table_va(pt, pa), 0, PGA_PT_SIZE_4K);
	return pa;
}

/*
 * The table below entry *@p at @level: the existing one, a new empty one
 * (map into a hole) or one that repeats the leaf *@p with entries one
 * size down (split).  PGA_PT_NO_TABLE if none could be had.
 */
static pga_paddr_t child_table(struct walk *w, pga_pte_t *p, int level,
			       uintptr_t va)
{
	pga_pte_t e = read_entry(p);
	uint64_t step = pt_level_size(level - 1);
	pga_paddr_t pa, base;
	pga_pte_t *t;
	unsigned int i, prot;

	if (pga_fmt_present(e) && !pga_fmt_is_leaf(e, level))
		return pga_fmt_addr(e, level);
	pa = new_table(w->pt);
	if (pa == PGA_PT_NO_TABLE || !pga_fmt_present(e))
		goto out;
	base = pga_fmt_addr(e, level);
	prot = pga_fmt_prot(e);
	t = table_va(w->pt, pa);
	for (i = 0; i < PGA_PT_ENTRIES; i++)
		t[i] = pga_fmt_mk_leaf(base + i * step, prot, level - 1);
out:
	if (pa != PGA_PT_NO_TABLE)
		set_entry(w, p, va & ~(pt_level_size(level) - 1),
			  pga_fmt_mk_table(pa));
	return pa;
}

/*
 * Handle entry *@p, which the range covers entirely.  Return: true if
 * done, false if the walk must go down into its table.
 */
static bool whole_entry(struct walk *w, pga_pte_t *p, int level, uintptr_t va)
{
	pga_pte_t e = read_entry(p);
	bool leaf = pga_fmt_present(e) && pga_fmt_is_leaf(e, level);
	pga_paddr_t pa = w->pa + (va - w->start);

	if (pga_fmt_present(e) && !leaf)
		return false;
	switch (w->op) {
	case WALK_MAP:
		if (!leaf_ok(level, w->pt->flags) ||
		    (pa & (pt_level_size(level) - 1)))
			return false;
		set_entry(w, p, va, pga_fmt_mk_leaf(pa, w->prot, level));
		return true;
	case WALK_UNMAP:
		if (leaf)
			set_entry(w, p, va, 0);
		return true;
	case WALK_PROTECT:
		if (leaf)
			set_entry(w, p, va,
				  pga_fmt_mk_leaf(pga_fmt_addr(e, level),
						  w->prot, level));
		return true;
	}
	return true;
}

/* Apply the walk to [@va, @last] inside the table at @table_pa (@level). */
static int walk_level(struct walk *w, pga_paddr_t table_pa, int level,
		      uintptr_t va, uintptr_t last)
{
	pga_pte_t *t = table_va(w->pt, table_pa);
	uint64_t mask = pt_level_size(level) - 1;

	for (;;) {
		uintptr_t blk_last = va | mask;
		uintptr_t seg_last = blk_last < last ? blk_last : last;
		pga_pte_t *p = &t[pt_index(va, level)];
		bool whole = !(va & mask) && seg_last == blk_last;
		pga_paddr_t child;
		int err;

		if (whole && whole_entry(w, p, level, va))
			goto next;
		if (!pga_fmt_present(read_entry(p)) && w->op != WALK_MAP)
			goto next;
		child = child_table(w, p, level, va);
		if (child == PGA_PT_NO_TABLE)
			return -PGA_ENOMEM;
		err = walk_level(w, child, level - 1, va, seg_last);
		if (err)
			return err;
next:
		if (seg_last == last)
			return 0;
		va = seg_last + 1;
	}
}

static bool args_ok(uintptr_t va, size_t size, unsigned int prot)
{
	uintptr_t last = va + size - 1;

	if (!size || ((va | size) & (PGA_PT_SIZE_4K - 1)) || last < va)
		return false;
	if (!(prot & PGA_PROT_READ) || (prot & ~PGA_PROT_ALL))
		return false;
	return pga_fmt_va_ok(va, last);
}

static int run(struct pga_pgtable *pt, struct walk *w, size_t size)
{
	uintptr_t last = w->start + size - 1;
	unsigned long flags = pga_arch_irq_save();
	int err;

	pga_arch_spin_lock(&pt->lock);
	err = walk_level(w, pt->root, PGA_PT_ROOT_LEVEL, w->start, last);
	finish(w, last);
	pga_arch_spin_unlock(&pt->lock);
	pga_arch_irq_restore(flags);
	return err;
}

/* See pga/pgtable.h. */
int pga_pgtable_init(struct pga_pgtable *pt)
{
	pga_arch_spin_init(&pt->lock);
	pt->live = false;
	pt->root = new_table(pt);
	return pt->root == PGA_PT_NO_TABLE ? -PGA_ENOMEM : 0;
}

/* See pga/pgtable.h. */
int pga_pgtable_map(struct pga_pgtable *pt, uintptr_t va, pga_paddr_t pa,
		    size_t size, unsigned int prot)
{
	struct walk w = {.pt = pt, .op = WALK_MAP, .start = va, .pa = pa,
			 .prot = prot};

	if (!args_ok(va, size, prot) || (pa & (PGA_PT_SIZE_4K - 1)) ||
	    pa + size - 1 < pa || !pga_fmt_pa_ok(pa + size - 1))
		return -PGA_EINVAL;
	return run(pt, &w, size);
}

/* See pga/pgtable.h. */
int pga_pgtable_unmap(struct pga_pgtable *pt, uintptr_t va, size_t size)
{
	struct walk w = {.pt = pt, .op = WALK_UNMAP, .start = va};

	if (!args_ok(va, size, PGA_PROT_READ))
		return -PGA_EINVAL;
	return run(pt, &w, size);
}

/* True if every page of [@va, @va + @size) is mapped. */
static bool range_mapped(struct pga_pgtable *pt, uintptr_t va, size_t size)
{
	uintptr_t last = va + size - 1;
	struct pga_pt_mapping m;

	for (;;) {
		if (!pga_pgtable_query(pt, va, &m))
			return false;
		if (m.va + (m.size - 1) >= last)
			return true;
		va = m.va + m.size;
	}
}

/* See pga/pgtable.h. */
int pga_pgtable_protect(struct pga_pgtable *pt, uintptr_t va, size_t size,
			unsigned int prot)
{
	struct walk w = {.pt = pt, .op = WALK_PROTECT, .start = va,
			 .prot = prot};

	if (!args_ok(va, size, prot) || !range_mapped(pt, va, size))
		return -PGA_EINVAL;
	return run(pt, &w, size);
}

/* See pga/pgtable.h. */
bool pga_pgtable_query(struct pga_pgtable *pt, uintptr_t va,
		       struct pga_pt_mapping *m)
{
	pga_paddr_t table = pt->root;
	int level;

	if (!pga_fmt_va_ok(va, va))
		return false;
	for (level = PGA_PT_ROOT_LEVEL; level >= 0; level--) {
		pga_pte_t e = read_entry(&table_va(pt, table)[pt_index(va,
								       level)]);

		if (!pga_fmt_present(e))
			return false;
		if (pga_fmt_is_leaf(e, level)) {
			m->size = (size_t)pt_level_size(level);
			m->va = va & ~(uintptr_t)(m->size - 1);
			m->phys = pga_fmt_addr(e, level);
			m->prot = pga_fmt_prot(e);
			return true;
		}
		table = pga_fmt_addr(e, level);
	}
	return false;
}

/* See pga/pgtable.h. */
void pga_pgtable_activate(struct pga_pgtable *pt)
{
	pga_arch_pt_activate(pt->root);
	pt->live = true;
}

/* See pga/pgtable.h. */
pga_paddr_t pga_pgtable_alloc_page(void *ctx)
{
	struct pga_page *page = pga_alloc_page(PGA_GFP_ATOMIC);

	(void)ctx;
	return page ? pga_page_to_phys(page) : PGA_PT_NO_TABLE;
}
