/* SPDX-License-Identifier: MIT */
/*
 * Worst-case latency (make bench): 10 M mixed allocations and frees of
 * orders 0-10 with the per-CPU lists on, each call timed on its own with
 * the cycle counter (rdtsc on x86_64, cntvct_el0 on arm64, otherwise
 * CLOCK_MONOTONIC in ns).  Reports the longest single alloc and free and
 * the 99.99th percentile, in counter ticks and in ns.  The timer is wall
 * time: on a shared host the maximum includes preemption and host
 * interrupts, so the same duration of back-to-back timer reads gives the
 * noise floor next to it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#define SLOTS 1024

static long lat_ops = 10000000;

/* Half the calls are order 0, 30 % orders 1-3, 20 % orders 4-10. */
static unsigned int pick_order(void)
{
	unsigned int r = (unsigned int)(rnd() % 100);

	if (r < 50)
		return 0;
	if (r < 80)
		return 1 + r % 3;
	return 4 + r % 7;
}

struct lat_log {
	uint32_t *t;
	long n;
	uint64_t max;
};

static void log_one(struct lat_log *l, uint64_t d)
{
	l->t[l->n++] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
	if (d > l->max)
		l->max = d;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sort @l so that pct() can read quantiles off it. */
static void sort_log(struct lat_log *l)
{
	qsort(l->t, (size_t)l->n, sizeof(*l->t), cmp_u32);
}

/* The value at quantile @q of the sorted @l. */
static double pct(const struct lat_log *l, double q)
{
	long i = (long)(q * (double)(l->n - 1) + 0.5);

	return l->n ? l->t[i] : 0;
}

struct slot {
	struct pga_page *page;
	unsigned int order;
};

/* One op on a random slot: allocate into it if empty, else free it. */
static void one_op(struct slot *s, struct lat_log *al, struct lat_log *fl,
		   long *failed)
{
	uint64_t t0, t1;

	if (s->page) {
		t0 = bench_ticks();
		pga_free_pages(s->page, s->order);
		t1 = bench_ticks();
		s->page = NULL;
		log_one(fl, t1 - t0);
		return;
	}
	s->order = pick_order();
	t0 = bench_ticks();
	s->page = pga_alloc_pages(PGA_GFP_KERNEL | PGA_GFP_NOWARN, s->order);
	t1 = bench_ticks();
	log_one(al, t1 - t0);
	*failed += !s->page;
}

/* The longest gap between back-to-back timer reads over @span ticks. */
static uint64_t timer_noise(uint64_t span)
{
	uint64_t start = bench_ticks(), prev = start, max = 0;

	while (prev - start < span) {
		uint64_t now = bench_ticks();

		if (now - prev > max)
			max = now - prev;
		prev = now;
	}
	return max;
}

static void record_pair(const char *key_t, const char *key_ns, double t,
			double ns_per_tick, const char *what)
{
	record(key_t, t, what);
	record(key_ns, t * ns_per_tick, what);
}

#define RUN 4096

/*
 * The longest call of one run of RUN order-0 allocations (pcp refills)
 * and of their frees in order (pcp drains past high, each larger than
 * the last while no allocation intervenes), in ticks.
 */
static void refill_drain_run(double *alloc_max, double *free_max)
{
	static struct pga_page *pages[RUN];
	uint64_t am = 0, fm = 0;

	for (int i = 0; i < RUN; i++) {
		uint64_t t0 = bench_ticks();

		pages[i] = pga_alloc_page(PGA_GFP_KERNEL);
		t0 = bench_ticks() - t0;
		am = t0 > am ? t0 : am;
	}
	for (int i = 0; i < RUN; i++) {
		uint64_t t0 = bench_ticks();

		pga_free_page(pages[i]);
		t0 = bench_ticks() - t0;
		fm = t0 > fm ? t0 : fm;
	}
	*alloc_max = (double)am;
	*free_max = (double)fm;
}

/*
 * The pcp worst cases on purpose: the median over repeated runs of each
 * run's longest call, so a preempted run does not decide the figure.
 */
static void refill_drain(double tick_ns)
{
	double va[64], vf[64];

	refill_drain_run(&va[0], &vf[0]);
	for (int r = 0; r < reps; r++)
		refill_drain_run(&va[r], &vf[r]);
	record_pair("refill_alloc_cycles", "refill_alloc_ns", median(va, reps),
		    tick_ns, "longest of 4096 order-0 allocs (a pcp refill)");
	record_pair("drain_free_cycles", "drain_free_ns", median(vf, reps),
		    tick_ns, "longest of their 4096 frees (a pcp drain)");
}

/*
 * Item 5 of the benchmark plan: the worst single alloc and free over
 * 10 M mixed ops (100 k with --quick) on a fresh 1 GiB machine with pcp
 * lists, their 99.99th percentiles, and the timer's own noise floor.
 * Context: benchmark main thread; boots its own machine.
 */
void bench_latency(void)
{
	static struct slot slots[SLOTS];
	struct lat_log al = {0}, fl = {0};
	long failed = 0, ops = bench_quick ? 100000 : lat_ops;
	uint64_t c0, c1;
	double w0, tick_ns;

	al.t = malloc(sizeof(*al.t) * (size_t)(ops + SLOTS));
	fl.t = malloc(sizeof(*fl.t) * (size_t)(ops + SLOTS));
	if (!al.t || !fl.t)
		exit(1);
	machine(false);
	pin(0);
	record("pcp_batch_1g", normal()->pcp[0].batch,
	       "pcp batch of the 1 GiB zone (2 CPUs)");
	record("pcp_high_1g", normal()->pcp[0].high,
	       "pcp high of the 1 GiB zone (2 CPUs)");
	w0 = mono_ns();
	c0 = bench_ticks();
	for (long i = 0; i < ops; i++)
		one_op(&slots[rnd() % SLOTS], &al, &fl, &failed);
	c1 = bench_ticks();
	tick_ns = (mono_ns() - w0) / (double)(c1 - c0);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].page)
			one_op(&slots[i], &al, &fl, &failed);
	record("latency_ops", (double)(al.n + fl.n), "timed calls");
	record("latency_alloc_failures", (double)failed, "allocations that failed");
	record("tick_ns", tick_ns, "ns per timer tick (cycle counter)");
	record_pair("worst_alloc_cycles", "worst_alloc_ns", (double)al.max,
		    tick_ns, "longest pga_alloc_pages, orders 0-10");
	record_pair("worst_free_cycles", "worst_free_ns", (double)fl.max,
		    tick_ns, "longest pga_free_pages, orders 0-10");
	sort_log(&al);
	sort_log(&fl);
	record_pair("p9999_alloc_cycles", "p9999_alloc_ns", pct(&al, 0.9999),
		    tick_ns, "99.99th percentile pga_alloc_pages");
	record_pair("p9999_free_cycles", "p9999_free_ns", pct(&fl, 0.9999),
		    tick_ns, "99.99th percentile pga_free_pages");
	record_pair("p99999_alloc_cycles", "p99999_alloc_ns",
		    pct(&al, 0.99999), tick_ns,
		    "99.999th percentile pga_alloc_pages");
	record_pair("p99999_free_cycles", "p99999_free_ns", pct(&fl, 0.99999),
		    tick_ns, "99.999th percentile pga_free_pages");
	record_pair("timer_noise_max_cycles", "timer_noise_max_ns",
		    (double)timer_noise(c1 - c0), tick_ns,
		    "longest gap between back-to-back timer reads, same span");
	free(al.t);
	free(fl.t);
	refill_drain(tick_ns);
}
