/* SPDX-License-Identifier: MIT */
/* Recording stub of arch/<arch>/priv.c and a pool of table pages. */
#include <string.h>

#include "pt_test.h"

#define MAX_OPS 4096
#define ADDR_MASK 0x0000fffffffff000ULL

static uint8_t pool[PT_POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned int pool_used;
static int pool_limit = -1;
static struct pt_op ops[MAX_OPS];
static unsigned int nr_ops;
static const struct pga_pgtable *cur;

static pga_paddr_t pool_alloc(void *ctx)
{
	(void)ctx;
	if (pool_used == PT_POOL_PAGES ||
	    (pool_limit >= 0 && pool_used >= (unsigned int)pool_limit))
		return PGA_PT_NO_TABLE;
	/* Dirty the page: the walker must clear what it gets. */
	memset(pool[pool_used], 0xa5, sizeof(pool[0]));
	return PT_POOL_PHYS + 4096ULL * pool_used++;
}

static void shootdown(void *ctx, uintptr_t va, uintptr_t last)
{
	(void)ctx;
	if (nr_ops < MAX_OPS)
		ops[nr_ops++] = (struct pt_op){PT_OP_SHOOTDOWN, va, last, 0};
}

void pt_setup(struct pga_pgtable *pt, unsigned int flags)
{
	memset(pt, 0, sizeof(*pt));
	pool_used = 0;
	pool_limit = -1;
	nr_ops = 0;
	pt->alloc_table = pool_alloc;
	pt->shootdown = shootdown;
	pt->table_offset = (uintptr_t)pool - (uintptr_t)PT_POOL_PHYS;
	pt->flags = flags;
	cur = pt;
	assert_int_equal(pga_pgtable_init(pt), 0);
	assert_int_equal(pt->root, PT_POOL_PHYS);
}

unsigned int pt_pool_used(void)
{
	return pool_used;
}

void pt_pool_limit(int pages)
{
	pool_limit = pages;
}

void pt_ops_reset(void)
{
	nr_ops = 0;
}

unsigned int pt_nr_ops(void)
{
	return nr_ops;
}

const struct pt_op *pt_op(unsigned int i)
{
	assert_true(i < nr_ops);
	return &ops[i];
}

pga_pte_t *pt_raw_ptr(const struct pga_pgtable *pt, uintptr_t va, int level)
{
	pga_paddr_t table = pt->root;
	int l;

	for (l = PGA_PT_ROOT_LEVEL; l > level; l--) {
		pga_pte_t e = ((pga_pte_t *)(uintptr_t)(table +
				pt->table_offset))[pt_index(va, l)];

		/* bit 0 is "present" in both formats; bit 1 table (arm64),
		 * PS (bit 7) a large leaf (x86_64): tests know which. */
		if (!(e & 1))
			return NULL;
		table = e & ADDR_MASK;
		assert_true(table >= PT_POOL_PHYS &&
			    table < PT_POOL_PHYS + sizeof(pool));
	}
	return (pga_pte_t *)(uintptr_t)(table + pt->table_offset) +
	       pt_index(va, level);
}

pga_pte_t pt_raw(const struct pga_pgtable *pt, uintptr_t va, int level)
{
	pga_pte_t *p = pt_raw_ptr(pt, va, level);

	return p ? *p : 0;
}

void pt_make_live(struct pga_pgtable *pt)
{
	pt->live = true;
}

void pt_assert_op(unsigned int i, enum pt_op_kind kind, uint64_t arg)
{
	const struct pt_op *op = pt_op(i);

	assert_int_equal(op->kind, kind);
	assert_int_equal(op->arg, arg);
}

/* The deepest entry the format would use for @va right now. */
static void snapshot(struct pt_op *op, uintptr_t va)
{
	int level;

	for (level = PGA_PT_ROOT_LEVEL; level >= 0; level--) {
		pga_pte_t e = pt_raw(cur, va, level);

		op->seen = e;
		op->seen_level = level;
		if (!pga_fmt_present(e) || pga_fmt_is_leaf(e, level))
			return;
	}
}

static void record(enum pt_op_kind kind, uint64_t arg)
{
	assert_true(nr_ops < MAX_OPS);
	ops[nr_ops] = (struct pt_op){kind, arg, 0, 0};
	if (kind == PT_OP_FLUSH)
		snapshot(&ops[nr_ops], (uintptr_t)arg);
	nr_ops++;
}

void pga_arch_pt_sync(void)
{
	record(PT_OP_SYNC, 0);
}

void pga_arch_pt_flush(const uintptr_t *va, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		record(PT_OP_FLUSH, va[i]);
}

void pga_arch_pt_flush_all(void)
{
	record(PT_OP_FLUSH_ALL, 0);
}

void pga_arch_pt_activate(pga_paddr_t root)
{
	record(PT_OP_ACTIVATE, root);
}
