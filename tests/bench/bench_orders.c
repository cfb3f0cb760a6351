/* SPDX-License-Identifier: MIT */
/*
 * Higher orders and a mixed workload (issue 8, items 1 and 2).
 *
 * order{1..10}_pair_ns: one alloc+free pair of a block of each order on a
 * fresh zone (orders 1-3 go through the per-CPU lists, 4-10 take the zone
 * lock and split/merge in the buddy).
 *
 * mixed{50,90}_*: a random stream of allocations (70% order 0, 20% orders
 * 1-3, 10% orders 4-10) and frees of random live blocks, with the live
 * set held below 50% or 90% of the zone.  Every single call is timed
 * (see bench_ticks()); the percentiles cover allocations and frees alike.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#define ORDERS 10

static const char *const pair_keys[ORDERS + 1] = {
	NULL,		  "order1_pair_ns", "order2_pair_ns",
	"order3_pair_ns", "order4_pair_ns", "order5_pair_ns",
	"order6_pair_ns", "order7_pair_ns", "order8_pair_ns",
	"order9_pair_ns", "order10_pair_ns"};

/* ns per alloc+free pair of one block of @order. */
static double order_pair_once(unsigned int order, long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		struct pga_page *pg = pga_alloc_pages(PGA_GFP_KERNEL, order);

		pga_free_pages(pg, order);
	}
	return (now_ns() - t0) / (double)n;
}

/*
 * Item 1: record order{1..10}_pair_ns, each the median of the
 * repetitions on a fresh machine.  Context: the bench's main thread.
 */
void bench_order_pairs(void)
{
	long n = bench_quick ? 5000 : 500000;
	double v[64];

	machine(false);
	for (unsigned int order = 1; order <= ORDERS; order++) {
		order_pair_once(order, n / 10);
		for (int r = 0; r < reps; r++)
			v[r] = order_pair_once(order, n);
		record(pair_keys[order], median(v, reps),
		       "alloc+free of one block of this order, fresh zone");
	}
}

/*
 * The per-call clock is bench_ticks() (the fenced TSC on x86_64),
 * converted with a factor calibrated against CLOCK_MONOTONIC; op_ns()
 * converts a difference to ns and takes off the cost of an empty
 * measurement.
 */
static double ns_per_tick = 1.0;
static double empty_ns;

static void calibrate(void)
{
	double m0 = mono_ns(), m1, v[101];
	uint64_t t0 = bench_ticks(), t1;

	do
		m1 = mono_ns();
	while (m1 - m0 < 20e6);
	t1 = bench_ticks();
	ns_per_tick = (m1 - m0) / (double)(t1 - t0);
	empty_ns = 0;
	for (int i = 0; i < 101; i++) {
		uint64_t a = bench_ticks();

		v[i] = (double)(bench_ticks() - a) * ns_per_tick;
	}
	empty_ns = median(v, 101);
}

static double op_ns(uint64_t t0, uint64_t t1)
{
	double ns = (double)(t1 - t0) * ns_per_tick - empty_ns;

	return ns > 0 ? ns : 0;
}

/* 70% order 0, 20% orders 1-3, 10% orders 4-10. */
static unsigned int mixed_order(void)
{
	uint64_t r = rnd() % 100;

	if (r < 70)
		return 0;
	if (r < 90)
		return 1 + (unsigned int)(rnd() % 3);
	return 4 + (unsigned int)(rnd() % 7);
}

struct live {
	struct pga_page *page;
	unsigned int order;
};

struct mixed {
	struct live *set;	/* live blocks */
	long nr, pages;		/* their count and total pages */
	long cap;		/* the live-set limit in pages */
	double *lat;		/* per-call ns */
	long nr_lat;
	long failures;
};

/* Free a random live block; timed if @lat. */
static void mixed_free(struct mixed *m, bool lat)
{
	long i = (long)(rnd() % (uint64_t)m->nr);
	struct live b = m->set[i];
	uint64_t t0, t1;

	m->set[i] = m->set[--m->nr];
	m->pages -= 1L << b.order;
	t0 = bench_ticks();
	pga_free_pages(b.page, b.order);
	t1 = bench_ticks();
	if (lat)
		m->lat[m->nr_lat++] = op_ns(t0, t1);
}

/* Allocate a block of @order; timed if @lat.  Counts failures. */
static void mixed_alloc(struct mixed *m, unsigned int order, bool lat)
{
	struct pga_page *pg;
	uint64_t t0, t1;

	t0 = bench_ticks();
	pg = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, order);
	t1 = bench_ticks();
	if (lat)
		m->lat[m->nr_lat++] = op_ns(t0, t1);
	if (!pg) {
		m->failures++;
		return;
	}
	m->set[m->nr].page = pg;
	m->set[m->nr].order = order;
	m->nr++;
	m->pages += 1L << order;
}

/*
 * One step: pick an order; free random blocks while it would push the
 * live set over the cap; then free a random block (40% of steps, when
 * anything is live and @fill is false) or allocate.  Allocations outweigh
 * the random frees, so the live set stays close to the cap.
 */
static void mixed_step(struct mixed *m, bool lat, bool fill)
{
	unsigned int order = mixed_order();

	while (m->nr && m->pages + (1L << order) > m->cap)
		mixed_free(m, lat);
	if (!fill && m->nr && rnd() % 10 < 4)
		mixed_free(m, lat);
	else
		mixed_alloc(m, order, lat);
}

/* Run the workload with the live set capped at @pct% of the zone. */
static void mixed_run(int pct, const char *const keys[4])
{
	long ops = bench_quick ? 20000 : 2000000;
	struct mixed m = {0};

	machine(false);
	m.cap = (long)zone_managed(normal()) * pct / 100;
	m.set = calloc((size_t)m.cap + 1, sizeof(*m.set));
	/* a step makes at most 1 + (pages freed) calls */
	m.lat = calloc((size_t)(2 * ops + m.cap), sizeof(*m.lat));
	if (!m.set || !m.lat) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	while (m.pages < m.cap - (1L << ORDERS))
		mixed_step(&m, false, true); /* fill to the cap, untimed */
	for (long i = 0; i < ops; i++)
		mixed_step(&m, true, false);
	record(keys[0], quantile(m.lat, m.nr_lat, 0.5),
	       "mixed workload, live <= 50%/90%: median call (alloc or free)");
	record(keys[1], quantile(m.lat, m.nr_lat, 0.99), "  99th percentile");
	record(keys[2], quantile(m.lat, m.nr_lat, 0.999),
	       "  99.9th percentile");
	if (keys[3])
		record(keys[3], (double)m.failures,
		       "failed allocations (fill and timed part)");
	while (m.nr)
		mixed_free(&m, false);
	free(m.set);
	free(m.lat);
}

/*
 * Item 2: record the mixed workload's percentiles at a 50% and a 90%
 * live-set cap, and the failures at 90%.  Context: the bench's main thread.
 */
void bench_mixed(void)
{
	static const char *const k50[4] = {"mixed50_p50_ns", "mixed50_p99_ns",
					   "mixed50_p999_ns", NULL};
	static const char *const k90[4] = {"mixed90_p50_ns", "mixed90_p99_ns",
					   "mixed90_p999_ns",
					   "mixed90_failures"};

	calibrate();
	mixed_run(50, k50);
	mixed_run(90, k90);
}
