/* SPDX-License-Identifier: MIT */
/*
 * Host test harness of the page-table code: a pool of table pages at a
 * fake physical address, a stub of the privileged operations that
 * records every call (and what the table held at that moment), and the
 * tests shared by both formats (generic.c).
 */
#ifndef PGA_PT_TEST_H
#define PGA_PT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgtable_fmt.h"

/* Where the pool of table pages pretends to live. */
#define PT_POOL_PHYS 0x40000000ULL
#define PT_POOL_PAGES 64

enum pt_op_kind { PT_OP_SYNC, PT_OP_FLUSH, PT_OP_FLUSH_ALL, PT_OP_ACTIVATE,
		  PT_OP_SHOOTDOWN };

/*
 * One recorded privileged operation.  For PT_OP_FLUSH: @arg is the VA and
 * @seen / @seen_level the deepest entry for it (a leaf, or the first
 * non-present entry) at the time of the flush.  ACTIVATE: @arg = root.
 * SHOOTDOWN: @arg = first VA, @seen = last VA.
 */
struct pt_op {
	enum pt_op_kind kind;
	uint64_t arg;
	pga_pte_t seen;
	int seen_level;
};

/* Fresh pool and record; fills @pt (flags given) and runs init. */
void pt_setup(struct pga_pgtable *pt, unsigned int flags);
/* Table pages handed out so far; limit further ones (-1: none). */
unsigned int pt_pool_used(void);
void pt_pool_limit(int pages);
/* Clear the record. */
void pt_ops_reset(void);
unsigned int pt_nr_ops(void);
const struct pt_op *pt_op(unsigned int i);
/* Raw entry for @va at @level (3 = root); 0 if a table above is missing. */
pga_pte_t pt_raw(const struct pga_pgtable *pt, uintptr_t va, int level);
/* Pointer to the table entry (for corruption-free direct checks). */
pga_pte_t *pt_raw_ptr(const struct pga_pgtable *pt, uintptr_t va, int level);
/* Mark @pt live (as activate would) without recording anything. */
void pt_make_live(struct pga_pgtable *pt);

/* Assert op @i has @kind and @arg. */
void pt_assert_op(unsigned int i, enum pt_op_kind kind, uint64_t arg);

/*
 * Map every protection at every entry size (at a fixed kernel VA, to
 * @pa) and assert the raw entry equals @spec(@pa, prot, level), the
 * architecture manual's layout, and that query reports prot back.
 */
typedef uint64_t (*pt_spec_fn)(uint64_t pa, unsigned int prot, int level);
void pt_check_all_attributes(struct pga_pgtable *pt, pt_spec_fn spec,
			     uint64_t pa);
/* A fresh @pt with [@va, @va + @size) mapped to @pa, live, record clear. */
void pt_live_mapping(struct pga_pgtable *pt, uintptr_t va, uint64_t pa,
		     size_t size, unsigned int prot);
/*
 * Map one 4 KiB page at @va (fresh tables) with @prot and assert the
 * three table entries above it are pool pages 1, 2, 3 ORed with
 * @table_bits and the leaf is @leaf.
 */
void pt_assert_chain(struct pga_pgtable *pt, uintptr_t va, unsigned int prot,
		     uint64_t table_bits, uint64_t leaf);
/* Run the generic tests and then a format's own; returns failures. */
int pt_run_tests(const char *name, const struct CMUnitTest *tests, size_t n);

/* Each format binary supplies these VAs: a kernel-half address aligned
 * to 1 GiB, and one that the format rejects. */
extern const uintptr_t pt_kva;
extern const uintptr_t pt_bad_va;

#endif
