/* SPDX-License-Identifier: MIT */
/*
 * Runtime memory under concurrency: two CPUs allocate and free small
 * blocks (through their per-CPU lists) while a third takes contiguous
 * ranges and isolates pageblocks in the same zone.  Every call must give
 * a defined answer and the allocator must add up at the end.
 */
#include <pthread.h>

#include "runtime_fx.h"

#define PB PGA_PAGEBLOCK_NR_PAGES
#define WORKERS 2
#define ROUNDS 300

static volatile int stop;

static void *worker(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	struct pga_page *held[64] = {0};
	unsigned int orders[64] = {0};
	unsigned int seed = cpu * 7919u + 1;

	pga_host_set_cpu(cpu);
	while (!stop) {
		unsigned int i = (seed = seed * 1103515245u + 12345u) >> 16;
		unsigned int slot = i % 64, order = i % 3;

		if (held[slot]) {
			pga_free_pages(held[slot], orders[slot]);
			held[slot] = NULL;
			continue;
		}
		held[slot] =
		    pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, order);
		orders[slot] = order;
	}
	for (int s = 0; s < 64; s++)
		if (held[s])
			pga_free_pages(held[s], orders[s]);
	return NULL;
}

static void contig_while_allocating(void **state)
{
	struct pga_params p;
	struct pga_mem_range r = {0, MiB(64), 0};
	pthread_t t[WORKERS];
	int ok = 0, busy = 0;

	(void)state;
	fx_params(&p);
	p.nr_cpus = WORKERS + 1;
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
	stop = 0;
	for (uintptr_t c = 0; c < WORKERS; c++)
		assert_int_equal(
		    pthread_create(&t[c], NULL, worker, (void *)(c + 1)), 0);
	pga_host_set_cpu(0);
	for (int round = 0; round < ROUNDS; round++) {
		pga_pfn_t s = 4096 + (pga_pfn_t)(round % 20) * PB + 37;
		int err =
		    pga_alloc_contig_range(s, s + 300, PGA_MIGRATE_MOVABLE,
					   PGA_GFP_KERNEL | PGA_GFP_NOWARN);

		if (err == 0) {
			ok++;
			for (pga_pfn_t pfn = s; pfn < s + 300; pfn++)
				assert_int_equal(
				    pga_page_count(pga_pfn_to_page(pfn)), 1);
			pga_free_contig_range(s, 300);
		} else {
			assert_int_equal(err, -PGA_EBUSY);
			busy++;
		}
		err = pga_isolate_range(s, s + PB, PGA_MIGRATE_MOVABLE,
					PGA_ISOLATE_ALLOW_UNMOVABLE);
		assert_true(err == 0 || err == -PGA_EBUSY);
		if (!err)
			assert_int_equal(pga_undo_isolate_range(
					     s, s + PB, PGA_MIGRATE_MOVABLE),
					 0);
	}
	stop = 1;
	for (int c = 0; c < WORKERS; c++)
		pthread_join(t[c], NULL);
	print_message("contig under load: %d taken, %d busy\n", ok, busy);
	assert_true(ok > 0);
	pga_drain_all_pages();
	assert_int_equal(rt_acct().allocated, 0);
	assert_int_equal(rt_zone(0, PGA_ZONE_DMA32)->nr_isolate_pageblock, 0);
	fx_assert_consistent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(contig_while_allocating),
	};

	return cmocka_run_group_tests(tests, NULL, fx_group_teardown);
}
