/* SPDX-License-Identifier: MIT */
/*
 * Fixed-seed random alloc/free run with pga_check() after every step;
 * once everything is freed (and the per-CPU lists drained) the buddy holds
 * exactly the blocks it held after init.
 */
#include <string.h>

#include "fixture.h"
#include "internal.h"

#define SLOTS 512
#define STEPS 20000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const pga_gfp_t masks[] = {
	PGA_GFP_KERNEL,
	PGA_GFP_HIGHUSER_MOVABLE,
	PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE,
	PGA_GFP_KERNEL | PGA_GFP_DMA32,
	PGA_GFP_KERNEL | PGA_GFP_DMA,
	PGA_GFP_KERNEL | PGA_GFP_COMP,
	PGA_GFP_NOWAIT | PGA_GFP_NOWARN,
};

struct slot {
	struct pga_page *page;
	unsigned int order;
};

static void snapshot(unsigned long out[PGA_MAX_NR_ZONES][PGA_NR_ORDERS])
{
	for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++)
		fx_nr_free(0, zt, out[zt]);
}

static void random_run(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
		{0, MiB(20), 0}, {MiB(21), MiB(43), 0}};
	const struct pga_mem_range res[] = {{MiB(1), MiB(1), 0}};
	unsigned long initial[PGA_MAX_NR_ZONES][PGA_NR_ORDERS];
	unsigned long final[PGA_MAX_NR_ZONES][PGA_NR_ORDERS];
	static struct slot slots[SLOTS];
	unsigned long failures = 0;

	(void)state;
	fx_params(&p);
	assert_int_equal(fx_init(&p, ram, 2, res, 1, NULL), 0);
	snapshot(initial);
	for (int step = 0; step < STEPS; step++) {
		struct slot *s = &slots[next() % SLOTS];

		if (s->page) {
			pga_free_pages(s->page, s->order);
			s->page = NULL;
		} else {
			unsigned int r = (unsigned int)(next() % 100);

			s->order = r < 70 ? 0 : r < 90 ? 1 + r % 3 : r % 11;
			s->page = pga_alloc_pages(
				masks[next() % PGA_ARRAY_SIZE(masks)], s->order);
			failures += s->page == NULL;
		}
		fx_assert_consistent();
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].page)
			pga_free_pages(slots[i].page, slots[i].order);
	pga_drain_all_pages();
	fx_assert_consistent();
	assert_int_equal(fx_allocated_pages(), 0);
	snapshot(final);
	assert_memory_equal(final, initial, sizeof(final));
	print_message("random run: %d steps, %lu failed allocations\n", STEPS,
		      failures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(random_run)};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
