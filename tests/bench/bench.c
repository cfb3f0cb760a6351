/* SPDX-License-Identifier: MIT */
/*
 * pga benchmarks (make bench): the order-0 fast path with and without
 * per-CPU lists against a plain locked free list, a batch of 4096 pages
 * allocated and freed in random order (and the zone-lock acquisitions it
 * costs), bulk against single allocation, and two CPUs side by side;
 * then the higher orders and the mixed workload (bench_orders.c),
 * order-9 allocation on a fragmented zone (bench_frag.c), init cost
 * and metadata (bench_init.c) and worst-case latency (bench_latency.c).
 * Every figure is the median of repeated runs; all run in one process,
 * so ratios between them hold.  Prints a table and writes
 * build/bench/results.json (or the path given with -o).
 *
 * Usage: pga-bench [--quick] [-o results.json]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define BATCH 4096
#define BULK 64

static long pair_iters = 2000000;
static long bulk_rounds = 20000;

/* ns per alloc+free pair of one order-0 page. */
static double pair_once(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		struct pga_page *pg = pga_alloc_page(PGA_GFP_KERNEL);

		pga_free_page(pg);
	}
	return (now_ns() - t0) / (double)n;
}

static double pair_median(long n)
{
	double v[64];

	pair_once(n / 10);
	for (int r = 0; r < reps; r++)
		v[r] = pair_once(n);
	return median(v, reps);
}

/* The baseline: a singly linked free list under the same spinlock. */
struct node {
	struct node *next;
};
static struct {
	pga_arch_spinlock_t lock;
	struct node *head;
} baseline;

static struct node *base_alloc(void)
{
	struct node *n;

	pga_arch_spin_lock(&baseline.lock);
	n = baseline.head;
	if (n)
		baseline.head = n->next;
	pga_arch_spin_unlock(&baseline.lock);
	return n;
}

static void base_free(struct node *n)
{
	pga_arch_spin_lock(&baseline.lock);
	n->next = baseline.head;
	baseline.head = n;
	pga_arch_spin_unlock(&baseline.lock);
}

static double base_once(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		struct node *x = base_alloc();

		__asm__ __volatile__("" : : "r"(x) : "memory");
		base_free(x);
	}
	return (now_ns() - t0) / (double)n;
}

static double baseline_median(long n)
{
	static struct node nodes[BATCH];
	double v[64];

	pga_arch_spin_init(&baseline.lock);
	for (int i = 0; i < BATCH; i++)
		base_free(&nodes[i]);
	base_once(n / 10);
	for (int r = 0; r < reps; r++)
		v[r] = base_once(n);
	return median(v, reps);
}

/*
 * 4096 order-0 allocations, then frees in a random order: ns per page for
 * each half, and zone-lock acquisitions per 1000 allocations.
 */
static void batch_pattern(void)
{
	static struct pga_page *pages[BATCH];
	static int perm[BATCH];
	double va[64], vf[64], vl[64];

	for (int r = -1; r < reps; r++) {
		unsigned long locks0 = pga_host_lock_acquisitions(&normal()->lock);
		double t0, t1, t2;

		for (int i = 0; i < BATCH; i++)
			perm[i] = i;
		for (int i = BATCH - 1; i > 0; i--) {
			int j = (int)(rnd() % (uint64_t)(i + 1)), t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		t0 = now_ns();
		for (int i = 0; i < BATCH; i++)
			pages[i] = pga_alloc_page(PGA_GFP_KERNEL);
		t1 = now_ns();
		for (int i = 0; i < BATCH; i++)
			pga_free_page(pages[perm[i]]);
		t2 = now_ns();
		if (r < 0)
			continue; /* warm-up */
		va[r] = (t1 - t0) / BATCH;
		vf[r] = (t2 - t1) / BATCH;
		vl[r] = (double)(pga_host_lock_acquisitions(&normal()->lock) -
				 locks0) * 1000.0 / BATCH;
	}
	record("batch_alloc_ns", median(va, reps),
	       "4096 order-0 allocations, per page");
	record("batch_free_ns", median(vf, reps),
	       "their frees in random order, per page");
	record("zone_lock_per_1000_order0", median(vl, reps),
	       "zone-lock takes (refills + drains) per 1000 allocations");
}

/*
 * ns per page: 64 pages by one bulk call, or by 64 single calls.  Eight
 * such calls run between two clock reads (512 pages, within the pcp's
 * high mark), so the clock's own cost - a system call of about half a
 * microsecond - adds only about 1 ns per page; the frees are not timed.
 */
#define BULK_CALLS 8
static double alloc64_once(bool bulk, long rounds)
{
	struct pga_page *arr[BULK_CALLS][BULK];
	double spent = 0;

	for (long k = 0; k < rounds; k++) {
		double t0;

		memset(arr, 0, sizeof(arr));
		t0 = now_ns();
		for (int c = 0; c < BULK_CALLS; c++) {
			if (bulk) {
				pga_alloc_pages_bulk_array(PGA_GFP_KERNEL,
							   BULK, arr[c]);
				continue;
			}
			for (int i = 0; i < BULK; i++)
				arr[c][i] = pga_alloc_page(PGA_GFP_KERNEL);
		}
		spent += now_ns() - t0;
		for (int c = 0; c < BULK_CALLS; c++)
			pga_release_pages(arr[c], BULK);
	}
	return spent / (double)(rounds * BULK_CALLS * BULK);
}

static void bulk_vs_single(void)
{
	double vb[64], vs[64];

	long rounds = bulk_rounds / BULK_CALLS;

	alloc64_once(true, rounds / 10);
	alloc64_once(false, rounds / 10);
	for (int r = 0; r < reps; r++) {
		vb[r] = alloc64_once(true, rounds);
		vs[r] = alloc64_once(false, rounds);
	}
	record("bulk_per_page_ns", median(vb, reps),
	       "pga_alloc_pages_bulk_array of 64, per page");
	record("single_per_page_ns", median(vs, reps),
	       "64 pga_alloc_page calls, per page");
}

struct pair_thread {
	int cpu;
	long n;
	double ns;
	pthread_barrier_t *start;
};

static void *pair_thread(void *arg)
{
	struct pair_thread *t = arg;

	pin(t->cpu);
	pga_host_set_cpu((unsigned int)t->cpu);
	pair_once(t->n / 10);
	pthread_barrier_wait(t->start);
	t->ns = pair_once(t->n);
	return NULL;
}

/* Per-thread pair cost with @n threads (each its own CPU and core). */
static double threads_pair(int n, long iters)
{
	struct pair_thread t[2];
	pthread_barrier_t start;
	double sum = 0;

	pthread_barrier_init(&start, NULL, (unsigned int)n);
	for (int i = 0; i < n; i++) {
		t[i].cpu = i;
		t[i].n = iters;
		t[i].start = &start;
	}
	{
		pthread_t tid[2];

		for (int i = 0; i < n; i++)
			pthread_create(&tid[i], NULL, pair_thread, &t[i]);
		for (int i = 0; i < n; i++) {
			pthread_join(tid[i], NULL);
			sum += t[i].ns;
		}
	}
	pthread_barrier_destroy(&start);
	return sum / n;
}

static void two_threads(void)
{
	double v1[64], v2[64];

	for (int r = 0; r < reps; r++) {
		v1[r] = threads_pair(1, pair_iters);
		v2[r] = threads_pair(2, pair_iters);
	}
	record("one_thread_pair_ns", median(v1, reps),
	       "alloc+free pair, one thread (threaded run)");
	record("two_thread_pair_ns", median(v2, reps),
	       "alloc+free pair per thread, two threads on two cores");
	record("two_thread_pair_ratio",
	       median(v2, reps) / median(v1, reps), "two threads / one");
}

/*
 * Give the zone the free order-0 pages a machine that has run a while
 * has: allocate 2048 pages and free every other one, so a freed page's
 * buddy is in use and an order-0 request finds a page on its list.
 */
static void fragment(void)
{
	static struct pga_page *pages[2048];

	for (int i = 0; i < 2048; i++)
		pages[i] = pga_alloc_page(PGA_GFP_KERNEL);
	for (int i = 0; i < 2048; i += 2)
		pga_free_page(pages[i]);
}

int main(int argc, char **argv)
{
	const char *out = "build/bench/results.json";
	double pcp, nopcp, base;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			bench_quick = true;
			reps = 3;
			pair_iters = 20000;
			bulk_rounds = 200;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		}
	}
	pin(0);
	machine(false);
	pcp = pair_median(pair_iters);
	base = baseline_median(pair_iters);
	record("order0_pair_ns", pcp, "alloc+free of one page via the pcp");
	record("baseline_list_pair_ns", base,
	       "pop+push on a locked singly linked list");
	record("pcp_vs_baseline", pcp / base, "order0_pair / baseline");
	batch_pattern();
	bulk_vs_single();
	record("bulk_speedup", recorded("single_per_page_ns") /
				       recorded("bulk_per_page_ns"),
	       "single / bulk per page");
	two_threads();
	machine(true);
	record("order0_pair_nopcp_fresh_ns", pair_median(pair_iters / 8),
	       "pcp disabled, fresh zone: every pair splits/merges 10 orders");
	fragment();
	nopcp = pair_median(pair_iters / 4);
	record("order0_pair_nopcp_ns", nopcp,
	       "pcp disabled, zone with free order-0 pages (steady state)");
	bench_order_pairs();
	bench_mixed();
	bench_frag();
	bench_init();
	bench_latency();
	print_table();
	write_json(out);
	printf("wrote %s\n", out);
	return 0;
}
