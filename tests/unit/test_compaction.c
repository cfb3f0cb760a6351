/* SPDX-License-Identifier: MIT */
/*
 * Compaction: the fragmentation index and suitability numbers, deferral
 * arithmetic, a real run that turns a zone of scattered movable pages
 * into free pageblock-sized blocks through the migrate_page hook (with a
 * test-side reverse map and page contents that must survive), capture,
 * refusals, skip hints, kcompactd and compact_node.
 */
#include <stdlib.h>
#include <string.h>

#include "hookfake.h"
#include "slowpath.h"

#define MAX_OBJ 32768

/* A movable object owned by the "embedder": its page and its contents. */
struct obj {
	struct pga_page *page;
	uint64_t sig;
	bool live;
};

static struct obj objs[MAX_OBJ];
static int nobj;
static int *rmap; /* pfn - base -> object index, -1 if none */
static pga_pfn_t rbase;
static unsigned long rlen;
static bool objs_movable;
static int refuse_every; /* refuse every n-th migration (0: never) */
static bool free_src_and_refuse;

static uint64_t *data(struct pga_page *pg)
{
	return pga_page_address(pg);
}

static int *rslot(struct pga_page *pg)
{
	pga_pfn_t pfn = pga_page_to_pfn(pg);

	assert_true(pfn >= rbase && pfn < rbase + rlen);
	return &rmap[pfn - rbase];
}

/* The embedder's migrate_page: copy, repoint the owner, or refuse. */
static int migrate(struct pga_page *dst, struct pga_page *src)
{
	int i = *rslot(src);
	struct obj *o;

	if (i < 0)
		return -1;
	o = &objs[i];
	assert_ptr_equal(o->page, src);
	if (free_src_and_refuse) {
		/* The owner lets go of the page while compaction holds it. */
		o->live = false;
		*rslot(src) = -1;
		pga_free_pages(src, 0);
		return -1;
	}
	if (refuse_every && hf.migrate % refuse_every == 0)
		return -1;
	assert_int_equal(pga_page_count(dst), 1);
	memcpy(data(dst), data(src), PGA_PAGE_SIZE);
	o->page = dst;
	*rslot(dst) = i;
	*rslot(src) = -1;
	return 0;
}

/* A 64 MiB zone: every even page a movable object, every odd page free. */
static void scattered(bool movable)
{
	struct pga_zone *z;

	hf_init(64, 1, false);
	z = hf_zone();
	rbase = z->zone_start_pfn;
	rlen = z->spanned_pages;
	rmap = realloc(rmap, rlen * sizeof(*rmap));
	memset(rmap, 0xff, rlen * sizeof(*rmap));
	memset(objs, 0, sizeof(objs));
	nobj = 0;
	objs_movable = movable;
	refuse_every = 0;
	free_src_and_refuse = false;
	hf.migrate_fn = migrate;
	hf_hog_to(0);
	hf_unhog_odd();
	assert_true(hf_hogged() > 0);
	for (unsigned long i = 0; hf_hog_page(i); i++) {
		struct pga_page *pg = hf_hog_page(i);

		assert_true(nobj < MAX_OBJ);
		objs[nobj].page = pg;
		objs[nobj].sig = 0x9e3779b97f4a7c15ULL * (uint64_t)(nobj + 1);
		objs[nobj].live = true;
		data(pg)[0] = objs[nobj].sig;
		data(pg)[PGA_PAGE_SIZE / 8 - 1] = ~objs[nobj].sig;
		*rslot(pg) = nobj;
		if (movable)
			pga_page_set_movable(pg, true);
		nobj++;
	}
}

/* Every live object still has its contents, its page and its rmap. */
static void check_objects(void)
{
	for (int i = 0; i < nobj; i++) {
		struct obj *o = &objs[i];

		if (!o->live)
			continue;
		assert_int_equal(data(o->page)[0], o->sig);
		assert_int_equal(data(o->page)[PGA_PAGE_SIZE / 8 - 1], ~o->sig);
		assert_int_equal(*rslot(o->page), i);
		assert_int_equal(pga_page_count(o->page), 1);
		/* A migrated page stays movable for the next compaction. */
		assert_int_equal(pga_page_is_movable(o->page), objs_movable);
		assert_false(o->page->flags & PGA_PAGE_FLAG(PGA_PG_isolated));
	}
}

/* The objects are the embedder's: free them, then check the books. */
static void release_all(void)
{
	check_objects();
	for (int i = 0; i < nobj; i++) {
		if (objs[i].live) {
			pga_page_set_movable(objs[i].page, false);
			pga_free_pages(objs[i].page, 0);
			objs[i].live = false;
		}
	}
	hf_forget_hog(); /* the objects owned what the hog took */
	fx_assert_consistent();
}

static unsigned long free_blocks_from(unsigned int order)
{
	unsigned long nr[PGA_NR_ORDERS], n = 0;

	fx_nr_free(0, PGA_ZONE_NORMAL, nr);
	for (unsigned int o = order; o <= PGA_MAX_ORDER; o++)
		n += nr[o];
	return n;
}

/* ---- numbers ------------------------------------------------------------ */

static void fragmentation_index_numbers(void **state)
{
	struct pga_zone *z;
	unsigned long nr[PGA_NR_ORDERS], pages = 0, blocks = 0;
	long want;

	(void)state;
	scattered(false);
	z = hf_zone();
	fx_nr_free(0, PGA_ZONE_NORMAL, nr);
	for (int o = 0; o <= PGA_MAX_ORDER; o++) {
		pages += nr[o] << o;
		blocks += nr[o];
	}
	assert_int_equal(nr[0], blocks); /* only single pages are free */
	want = 1000 - (long)((1000 + pages * 1000 / 16) / blocks);
	assert_int_equal(pga_zone_fragmentation_index(z, 4), want);
	assert_true(want > 900);
	/* A free block of the order (or larger) exists: -1000. */
	assert_int_equal(pga_zone_fragmentation_index(z, 0), -1000);
	/* Costly compaction is suitable above vm.extfrag_threshold only. */
	assert_true(pga_compaction_suitable(z, 4, PGA_ZONE_NORMAL));
	assert_int_equal(pga_set_extfrag_threshold((unsigned int)want), 0);
	assert_false(pga_compaction_suitable(z, 4, PGA_ZONE_NORMAL));
	assert_true(pga_compaction_suitable(z, 3, PGA_ZONE_NORMAL));
	assert_int_equal(pga_set_extfrag_threshold(1001), -PGA_EINVAL);
	assert_int_equal(pga_set_extfrag_threshold(500), 0);
	release_all();
	/* No free page at all: index 0. */
	hf_init(32, 1, false);
	hf_hog_to(0);
	assert_int_equal(pga_zone_fragmentation_index(hf_zone(), 3), 0);
	hf_unhog_all();
}

static void suitable_needs_watermark_plus_gap(void **state)
{
	struct pga_zone *z;
	unsigned long low, min;

	(void)state;
	hf_init(32, 1, false);
	z = hf_zone();
	low = pga_wmark_pages(z, PGA_WMARK_LOW);
	min = pga_wmark_pages(z, PGA_WMARK_MIN);
	/* Costly: low + 2<<order; else min + 2<<order (order-0 check). */
	assert_false(pga_compaction_suitable_free(z, 4, 2, low + 32));
	assert_true(pga_compaction_suitable_free(z, 4, 2, low + 33));
	assert_false(pga_compaction_suitable_free(z, 2, 2, min + 8));
	assert_true(pga_compaction_suitable_free(z, 2, 2, min + 9));
}

static void deferral_arithmetic(void **state)
{
	struct pga_zone *z;
	int skipped = 0;

	(void)state;
	hf_init(32, 1, false);
	z = hf_zone();
	z->compact_order_failed = 0; /* Linux's zeroed zone */
	assert_false(pga_compaction_deferred(z, 5)); /* never deferred */
	for (int k = 1; k <= 8; k++) {
		pga_defer_compaction(z, 5);
		skipped = 0;
		while (pga_compaction_deferred(z, 5))
			skipped++;
		/* After k failures, 2^min(k,6) - 1 attempts are skipped. */
		assert_int_equal(skipped, (1 << (k < 6 ? k : 6)) - 1);
		assert_int_equal(z->compact_defer_shift, k < 6 ? k : 6);
	}
	assert_true(pga_compaction_restarting(z, 5));
	assert_int_equal(z->compact_order_failed, 0);
	/* Success resets, and only orders above succeed-order get deferred. */
	pga_compaction_defer_reset(z, 5, true);
	assert_int_equal(z->compact_defer_shift, 0);
	assert_int_equal(z->compact_considered, 0);
	assert_int_equal(z->compact_order_failed, 6);
	pga_defer_compaction(z, 7);
	assert_int_equal(z->compact_order_failed, 6);
	assert_false(pga_compaction_deferred(z, 5)); /* below order_failed */
	assert_true(pga_compaction_deferred(z, 6));
	assert_false(pga_compaction_restarting(z, 6));
	/* A success without an allocation keeps the backoff. */
	pga_compaction_defer_reset(z, 8, false);
	assert_int_equal(z->compact_defer_shift, 1);
	assert_int_equal(z->compact_order_failed, 9);
}

/* ---- real compaction ----------------------------------------------------- */

static void compact_node_frees_pageblocks(void **state)
{
	long migrated;

	(void)state;
	scattered(true);
	assert_int_equal(free_blocks_from(1), 0);
	migrated = pga_compact_node(0);
	assert_true(migrated > 0);
	assert_int_equal(hf.migrate, migrated);
	assert_int_equal(pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS),
			 (unsigned long)migrated);
	/* Scattered movable pages became free order-9 (and 10) blocks. */
	assert_true(free_blocks_from(PGA_PAGEBLOCK_ORDER) >= 8);
	assert_true(pga_vm_event_sum(PGA_COMPACTMIGRATE_SCANNED) > 0);
	assert_true(pga_vm_event_sum(PGA_COMPACTFREE_SCANNED) > 0);
	assert_true(pga_vm_event_sum(PGA_COMPACTISOLATED) >=
		    2 * (unsigned long)migrated);
	release_all();
}

static void thp_allocation_compacts_first(void **state)
{
	struct pga_page *pg;
	unsigned long migr;

	(void)state;
	scattered(true);
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE | PGA_GFP_COMP,
			     PGA_PAGEBLOCK_ORDER);
	assert_non_null(pg);
	assert_true(pga_page_is_head(pg));
	assert_int_equal(pga_page_to_pfn(pg) % PGA_PAGEBLOCK_NR_PAGES, 0);
	/* Costly: async compaction before any reclaim. */
	assert_int_equal(hf.direct_reclaim, 0);
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTSTALL), 1);
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTSUCCESS), 1);
	migr = pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS);
	assert_true(migr >= PGA_PAGEBLOCK_NR_PAGES / 2);
	pga_free_pages(pg, PGA_PAGEBLOCK_ORDER);
	release_all();
}

static void direct_compaction_captures(void **state)
{
	struct pga_alloc_context ac;
	struct pga_page *cap = NULL;
	enum pga_compact_result r;
	long free_before;

	(void)state;
	scattered(true);
	memset(&ac, 0, sizeof(ac));
	ac.zonelist = &pga_g.nodes[0].node_zonelists[PGA_ZONELIST_FALLBACK];
	ac.highest_zoneidx = PGA_ZONE_NORMAL;
	ac.migratetype = PGA_MIGRATE_MOVABLE;
	free_before = hf_free();
	r = pga_try_to_compact_pages(PGA_GFP_HIGHUSER_MOVABLE,
				     PGA_PAGEBLOCK_ORDER, PGA_ALLOC_WMARK_MIN,
				     &ac, PGA_COMPACT_PRIO_SYNC_LIGHT, &cap);
	assert_int_equal(r, PGA_COMPACT_SUCCESS);
	assert_non_null(cap);
	assert_int_equal(pga_page_to_pfn(cap) % PGA_PAGEBLOCK_NR_PAGES, 0);
	assert_false(cap->flags & PGA_PAGE_FLAG(PGA_PG_buddy));
	/* The captured block never reached a free list. */
	assert_int_equal(free_blocks_from(PGA_PAGEBLOCK_ORDER), 0);
	assert_true(hf_free() < free_before);
	assert_int_equal(pga_g.reclaim.nr_capturing, 0);
	fx_assert_consistent(); /* it counts as allocated */
	pga_prep_new_page(cap, PGA_PAGEBLOCK_ORDER, 0, 0);
	pga_free_pages(cap, PGA_PAGEBLOCK_ORDER);
	release_all();
}

static void capture_rules(void **state)
{
	struct pga_compact_control cc;
	struct pga_capture_control capc = {&cc, NULL};
	struct pga_page *pg;
	unsigned int cpu;
	bool pub;
	unsigned long fl;
	long free;

	(void)state;
	hf_init(32, 2, false);
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 4);
	pga_compact_cc_init(&cc, hf_zone(), 4, PGA_GFP_KERNEL); /* unmovable */
	free = hf_free();
	/* A movable sub-pageblock block is not given to an unmovable request. */
	fl = pga_capture_open(&capc, &cpu, &pub);
	assert_true(pub);
	pga_free_pages(pg, 4);
	pga_capture_close(&capc, cpu, pub, fl);
	assert_null(capc.page);
	assert_int_equal(hf_free(), free + 16);
	/* A movable request takes it, and the block leaves the free count. */
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 4);
	free = hf_free();
	cc.migratetype = PGA_MIGRATE_MOVABLE;
	fl = pga_capture_open(&capc, &cpu, &pub);
	pga_free_pages(pg, 4);
	pga_capture_close(&capc, cpu, pub, fl);
	assert_ptr_equal(capc.page, pg);
	assert_int_equal(hf_free(), free);
	/* Another order is not captured; nor another CPU's free. */
	pga_prep_new_page(capc.page, 4, 0, 0);
	pga_free_pages(capc.page, 4);
	capc.page = NULL;
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 5);
	fl = pga_capture_open(&capc, &cpu, &pub);
	pga_free_pages(pg, 5);
	pga_capture_close(&capc, cpu, pub, fl);
	assert_null(capc.page);
	pg = pga_alloc_pages(PGA_GFP_HIGHUSER_MOVABLE, 4);
	fl = pga_capture_open(&capc, &cpu, &pub);
	pga_host_set_cpu(1);
	pga_free_pages(pg, 4);
	pga_host_set_cpu(0);
	pga_capture_close(&capc, cpu, pub, fl);
	assert_null(capc.page);
	/* Nothing published outside the window. */
	assert_int_equal(pga_g.reclaim.nr_capturing, 0);
	fx_assert_consistent();
}

static void refused_migrations_leave_pages(void **state)
{
	(void)state;
	scattered(true);
	hf.migrate_result = -1;
	hf.migrate_fn = NULL;
	assert_int_equal(pga_compact_node(0), 0);
	assert_true(hf.migrate > 0);
	assert_int_equal(pga_vm_event_sum(PGA_PGMIGRATE_FAIL),
			 (unsigned long)hf.migrate);
	assert_int_equal(free_blocks_from(1), 0);
	release_all();
	/* Every third refused: the rest still moves, nothing is lost. */
	scattered(true);
	refuse_every = 3;
	assert_true(pga_compact_node(0) > 0);
	assert_true(pga_vm_event_sum(PGA_PGMIGRATE_FAIL) > 0);
	release_all();
}

static void pinned_pages_are_not_migrated(void **state)
{
	struct pga_page *pinned[64];
	int idx[64], n = 0;

	(void)state;
	scattered(true);
	/* An extra reference (a pin) on 64 pages of the first pageblock. */
	for (int i = 0; i < nobj && n < 64; i++) {
		if (pga_page_to_pfn(objs[i].page) >= rbase + 512)
			continue;
		idx[n] = i;
		pinned[n] = objs[i].page;
		pga_get_page(pinned[n++]);
	}
	assert_int_equal(n, 64);
	assert_true(pga_compact_node(0) > 0);
	for (int i = 0; i < 64; i++) {
		assert_ptr_equal(objs[idx[i]].page, pinned[i]);
		assert_int_equal(pga_page_count(pinned[i]), 2);
		pga_put_page(pinned[i]);
	}
	/* Every hook call was for an unpinned page, and all succeeded. */
	assert_int_equal(pga_vm_event_sum(PGA_PGMIGRATE_FAIL), 64);
	assert_int_equal(pga_vm_event_sum(PGA_PGMIGRATE_SUCCESS),
			 (unsigned long)hf.migrate);
	release_all();
}

static void owner_frees_page_under_compaction(void **state)
{
	struct pga_page_accounting a;
	unsigned long alloc_before;

	(void)state;
	scattered(true);
	pga_page_accounting(&a);
	alloc_before = a.allocated;
	free_src_and_refuse = true;
	assert_int_equal(pga_compact_node(0), 0);
	/* Every page compaction isolated was freed by its last holder. */
	pga_page_accounting(&a);
	assert_int_equal(a.allocated + (unsigned long)hf.migrate, alloc_before);
	assert_int_equal(a.bad, 0);
	release_all();
}

static void unmovable_pages_block_compaction_and_set_skip(void **state)
{
	unsigned long scanned1, scanned2;
	int skipped = 0;
	struct pga_zone *z;

	(void)state;
	scattered(false); /* the objects are not marked movable */
	z = hf_zone();
	assert_int_equal(pga_compact_node(0), 0);
	assert_int_equal(hf.migrate, 0);
	for (pga_pfn_t p = z->zone_start_pfn; p < zone_end_pfn(z);
	     p += PGA_PAGEBLOCK_NR_PAGES)
		skipped += pga_pageblock_skip(p);
	assert_true(skipped > 0);
	/* A run that honours the hints scans less. */
	scanned1 = pga_vm_event_sum(PGA_COMPACTMIGRATE_SCANNED);
	{
		struct pga_compact_control cc;

		pga_compact_cc_init(&cc, z, 4, PGA_GFP_KERNEL);
		cc.whole_zone = true;
		assert_int_equal(pga_compact_zone(&cc, NULL),
				 PGA_COMPACT_COMPLETE);
	}
	scanned2 = pga_vm_event_sum(PGA_COMPACTMIGRATE_SCANNED) - scanned1;
	assert_true(scanned2 < scanned1 / 4);
	pga_reset_isolation_suitable(z);
	for (pga_pfn_t p = z->zone_start_pfn; p < zone_end_pfn(z);
	     p += PGA_PAGEBLOCK_NR_PAGES)
		assert_false(pga_pageblock_skip(p));
	release_all();
}

/* Count compaction runs through the trace hook. */
static int runs;
static void count_runs(void *ctx, const struct pga_trace_event *ev)
{
	(void)ctx;
	runs += ev->type == PGA_TRACE_MM_COMPACTION_BEGIN;
}

static void deferral_skips_attempts(void **state)
{
	static const int want[] = {1, 3, 7, 15, 31, 63, 127, 191};
	struct pga_alloc_context ac;
	struct pga_page *cap;
	int next = 0, deferred = 0;

	(void)state;
	scattered(false); /* compaction can never succeed */
	pga_g.hooks.trace = count_runs;
	runs = 0;
	memset(&ac, 0, sizeof(ac));
	ac.zonelist = &pga_g.nodes[0].node_zonelists[PGA_ZONELIST_FALLBACK];
	ac.highest_zoneidx = PGA_ZONE_NORMAL;
	for (int call = 1; call <= 200; call++) {
		int before = runs;
		enum pga_compact_result r = pga_try_to_compact_pages(
			PGA_GFP_KERNEL, 4, PGA_ALLOC_WMARK_MIN, &ac,
			PGA_COMPACT_PRIO_SYNC_LIGHT, &cap);

		if (runs > before) {
			assert_true(next < 8);
			assert_int_equal(call, want[next++]);
			assert_int_equal(r, PGA_COMPACT_COMPLETE);
		} else {
			assert_int_equal(r, PGA_COMPACT_DEFERRED);
			deferred++;
		}
	}
	assert_int_equal(next, 8);
	assert_int_equal(deferred, 192);
	/* SYNC_FULL ignores deferral. */
	pga_try_to_compact_pages(PGA_GFP_KERNEL, 4, PGA_ALLOC_WMARK_MIN, &ac,
				 PGA_COMPACT_PRIO_SYNC_FULL, &cap);
	assert_int_equal(runs, 9);
	/* Without __GFP_IO compaction is skipped outright. */
	assert_int_equal(pga_try_to_compact_pages(PGA_GFP_NOIO, 4,
						  PGA_ALLOC_WMARK_MIN, &ac,
						  PGA_COMPACT_PRIO_SYNC_FULL,
						  &cap),
			 PGA_COMPACT_SKIPPED);
	pga_g.hooks.trace = NULL;
	release_all();
}

static void kcompactd_runs_when_woken(void **state)
{
	struct pga_node *n;

	(void)state;
	scattered(true);
	n = &pga_g.nodes[0];
	assert_int_equal(pga_kcompactd_run(0), 0); /* nothing pending */
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTDAEMON_WAKE), 0);
	pga_wakeup_kcompactd(n, PGA_PAGEBLOCK_ORDER, PGA_ZONE_NORMAL);
	assert_int_equal(hf.wake_kcompactd, 1);
	assert_int_equal(hf.kcompactd_order, PGA_PAGEBLOCK_ORDER);
	/* A smaller order and a lower zone merge into the request. */
	pga_wakeup_kcompactd(n, 2, PGA_ZONE_DMA32);
	assert_int_equal(n->kcompactd_max_order, PGA_PAGEBLOCK_ORDER);
	assert_int_equal(n->kcompactd_highest_zoneidx, PGA_ZONE_DMA32);
	n->kcompactd_highest_zoneidx = PGA_ZONE_NORMAL;
	assert_true(pga_kcompactd_run(0) > 0);
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTDAEMON_WAKE), 1);
	assert_true(pga_vm_event_sum(PGA_COMPACTDAEMON_MIGRATE_SCANNED) > 0);
	assert_true(free_blocks_from(PGA_PAGEBLOCK_ORDER) >= 1);
	assert_false(n->kcompactd_pending);
	assert_int_equal(pga_kcompactd_run(7), -PGA_EINVAL);
	assert_int_equal(pga_compact_node(-1), -PGA_EINVAL);
	release_all();
}

static void kcompactd_not_woken_without_need(void **state)
{
	(void)state;
	hf_init(32, 1, false);
	pga_wakeup_kcompactd(&pga_g.nodes[0], 0, PGA_ZONE_NORMAL);
	assert_false(pga_g.nodes[0].kcompactd_pending); /* order 0: ignored */
	/* A fresh zone passes its watermark at order 9: recorded, no wake. */
	pga_wakeup_kcompactd(&pga_g.nodes[0], PGA_PAGEBLOCK_ORDER,
			     PGA_ZONE_NORMAL);
	assert_true(pga_g.nodes[0].kcompactd_pending);
	assert_int_equal(hf.wake_kcompactd, 0);
	/* The daemon, run anyway, finds nothing to do. */
	assert_int_equal(pga_kcompactd_run(0), 0);
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTDAEMON_WAKE), 1);
	assert_int_equal(pga_vm_event_sum(PGA_COMPACTMIGRATE_SCANNED), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fragmentation_index_numbers),
		cmocka_unit_test(suitable_needs_watermark_plus_gap),
		cmocka_unit_test(deferral_arithmetic),
		cmocka_unit_test(compact_node_frees_pageblocks),
		cmocka_unit_test(thp_allocation_compacts_first),
		cmocka_unit_test(direct_compaction_captures),
		cmocka_unit_test(capture_rules),
		cmocka_unit_test(refused_migrations_leave_pages),
		cmocka_unit_test(pinned_pages_are_not_migrated),
		cmocka_unit_test(owner_frees_page_under_compaction),
		cmocka_unit_test(unmovable_pages_block_compaction_and_set_skip),
		cmocka_unit_test(deferral_skips_attempts),
		cmocka_unit_test(kcompactd_runs_when_woken),
		cmocka_unit_test(kcompactd_not_woken_without_need),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
