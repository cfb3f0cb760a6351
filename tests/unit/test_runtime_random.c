/* SPDX-License-Identifier: MIT */
/*
 * A fixed-seed random mix of every runtime-memory operation with ordinary
 * allocations (movable and not), with pga_check() after every step: each
 * call gives one of its documented answers, and once everything is given
 * back the zone is exactly the boot layout again.
 *
 * Machine: 128 MiB, one ZONE_DMA32, 1 CPU.
 */
#include "movable.h"
#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define ZONE_PAGES 32768UL
#define STEPS 1500
#define SLOTS 64

struct range {
	pga_pfn_t s, e;
	bool used;
};

static struct pga_page *held[SLOTS];
static unsigned int held_order[SLOTS];
static struct range contig[SLOTS], offline[SLOTS], isolated[SLOTS];
static unsigned long seed = 12345;
static unsigned long counts[4]; /* contig ok, contig busy, offline ok, busy */

static unsigned long rnd(unsigned long n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (seed >> 33) % n;
}

static struct range *slot_of(struct range *r, bool used)
{
	int i = (int)rnd(SLOTS);

	return r[i].used == used ? &r[i] : NULL;
}

static void op_unmovable(void)
{
	int i = (int)rnd(SLOTS);

	if (held[i]) {
		pga_free_pages(held[i], held_order[i]);
		held[i] = NULL;
		return;
	}
	held_order[i] = (unsigned int)rnd(4);
	held[i] =
	    pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, held_order[i]);
}

static void op_contig(void)
{
	struct range *r = slot_of(contig, false);
	pga_pfn_t s = rnd(ZONE_PAGES - 700), e = s + 1 + rnd(600);
	int err;

	if (!r) {
		r = slot_of(contig, true);
		if (r) {
			pga_free_contig_range(r->s, r->e - r->s);
			r->used = false;
		}
		return;
	}
	err = pga_alloc_contig_range(s, e, PGA_MIGRATE_MOVABLE,
				     PGA_GFP_KERNEL | PGA_GFP_NOWARN);
	assert_true(err == 0 || err == -PGA_EBUSY || err == -PGA_ENOMEM);
	counts[err ? 1 : 0]++;
	if (!err)
		*r = (struct range){s, e, true};
}

static void op_offline(void)
{
	struct range *r = slot_of(offline, false);
	pga_pfn_t s = rnd(ZONE_PAGES / PB) * PB, n = (1 + rnd(3)) * PB;
	int err;

	if (!r) {
		r = slot_of(offline, true);
		if (r) {
			assert_int_equal(
			    pga_add_memory(r->s << PGA_PAGE_SHIFT,
					   (r->e - r->s) << PGA_PAGE_SHIFT, 0),
			    0);
			r->used = false;
		}
		return;
	}
	err = pga_offline_range(s, n);
	assert_true(err == 0 || err == -PGA_EBUSY || err == -PGA_EINVAL);
	counts[err ? 3 : 2]++;
	if (!err)
		*r = (struct range){s, s + n, true};
}

static void op_isolate(void)
{
	struct range *r = slot_of(isolated, false);
	pga_pfn_t s = rnd(ZONE_PAGES - PB), e = s + 1 + rnd(PB);
	int err;

	if (!r) {
		r = slot_of(isolated, true);
		if (r) {
			assert_int_equal(pga_undo_isolate_range(
					     r->s, r->e, PGA_MIGRATE_MOVABLE),
					 0);
			r->used = false;
		}
		return;
	}
	err = pga_isolate_range(s, e, PGA_MIGRATE_MOVABLE,
				PGA_ISOLATE_ALLOW_UNMOVABLE);
	assert_true(err == 0 || err == -PGA_EBUSY);
	if (!err)
		*r = (struct range){s, e, true};
}

static void step(void)
{
	switch (rnd(8)) {
	case 0:
	case 1:
		op_unmovable();
		break;
	case 2:
		mv_alloc(PGA_GFP_HIGHUSER_MOVABLE, rnd(2) ? 0 : 2);
		break;
	case 3:
		mv_free((int)rnd(MV_MAX_OWNERS / 8));
		break;
	case 4:
	case 5:
		op_contig();
		break;
	case 6:
		op_offline();
		break;
	default:
		op_isolate();
		break;
	}
}

static void give_everything_back(void)
{
	for (int i = 0; i < SLOTS; i++) {
		if (held[i])
			pga_free_pages(held[i], held_order[i]);
		if (contig[i].used)
			pga_free_contig_range(contig[i].s,
					      contig[i].e - contig[i].s);
		if (isolated[i].used)
			pga_undo_isolate_range(isolated[i].s, isolated[i].e,
					       PGA_MIGRATE_MOVABLE);
		if (offline[i].used)
			assert_int_equal(
			    pga_add_memory(offline[i].s << PGA_PAGE_SHIFT,
					   (offline[i].e - offline[i].s)
					       << PGA_PAGE_SHIFT,
					   0),
			    0);
	}
	mv_free_all();
	pga_drain_all_pages();
}

static void random_runtime_ops(void **state)
{
	unsigned long boot_free[PGA_NR_ORDERS];
	char report[256];

	(void)state;
	rt_boot_dma32(MiB(128), MiB(128), false);
	fx_nr_free(0, PGA_ZONE_DMA32, boot_free);
	/* Mostly full of movable pages, so ranges need migration. */
	for (int i = mv_fill(PGA_GFP_HIGHUSER_MOVABLE, 0, 24000); i > 0; i -= 5)
		mv_free(i - 1);
	for (int i = 0; i < STEPS; i++) {
		step();
		if (pga_check(report, sizeof(report)))
			fail_msg("step %d: %s", i, report);
	}
	print_message("contig %lu ok / %lu busy, offline %lu ok / %lu "
		      "refused, %lu pages migrated\n",
		      counts[0], counts[1], counts[2], counts[3],
		      mv_stats.moved);
	assert_true(counts[0] > 0 && counts[2] > 0 && mv_stats.moved > 0);
	assert_true(mv_verify());
	give_everything_back();
	assert_int_equal(rt_acct().allocated, 0);
	assert_int_equal(rt_acct().offline, 0);
	rt_assert_nr_free(0, PGA_ZONE_DMA32, boot_free);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(random_runtime_ops),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
