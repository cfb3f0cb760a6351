/* SPDX-License-Identifier: MIT */
/*
 * The benchmark harness's shared pieces (see bench.h).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_RESULTS 96

int reps = 15;
bool bench_quick;
struct pga_host_ram ram;

struct result {
	const char *key;
	double value;
	const char *what;
};
static struct result results[MAX_RESULTS];
static int nr_results;
static uint64_t rng = 88172645463325252ull;

void record(const char *key, double value, const char *what)
{
	if (nr_results == MAX_RESULTS) {
		fprintf(stderr, "bench: too many results (%s)\n", key);
		exit(1);
	}
	results[nr_results].key = key;
	results[nr_results].value = value;
	results[nr_results].what = what;
	nr_results++;
}

double recorded(const char *key)
{
	for (int i = 0; i < nr_results; i++)
		if (!strcmp(results[i].key, key))
			return results[i].value;
	return 0;
}

double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

uint64_t bench_ticks(void)
{
#if defined(__x86_64__)
	uint64_t t;

	__builtin_ia32_lfence();
	t = __builtin_ia32_rdtsc();
	__builtin_ia32_lfence();
	return t;
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
#endif
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double quantile(double *v, long n, double q)
{
	long i;

	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	i = (long)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

void pin(int cpu)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	CPU_SET((int)(cpu % (n > 0 ? n : 1)), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

void machine(bool disable_pcp)
{
	machine_ex(disable_pcp, false, NULL);
}

/* See bench.h.  Exits if pga_init() fails.  Context: main thread. */
void machine_ex(bool disable_pcp, bool no_grouping,
		const struct pga_hooks *hooks)
{
	struct pga_params p;
	struct pga_mem_range r = {GiB(4), GiB(1), 0};

	pga_params_init(&p);
	p.gfp_allowed_mask = PGA_GFP_BITS_MASK;
	p.nr_cpus = 2;
	p.disable_pcp = disable_pcp;
	p.disable_mobility_grouping = no_grouping;
	pga_host_ram_destroy(&ram);
	if (pga_host_ram_create(&ram, 0, GiB(5)))
		exit(1);
	p.direct_map_offset = ram.offset;
	if (pga_init(&p, &r, 1, NULL, 0, hooks)) {
		fprintf(stderr, "pga_init failed\n");
		exit(1);
	}
	pga_host_set_cpu(0);
}

struct pga_zone *normal(void)
{
	return &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
}

void print_table(void)
{
	printf("%-28s %12s  %s\n", "metric", "value", "what");
	for (int i = 0; i < nr_results; i++)
		printf("%-28s %12.2f  %s\n", results[i].key, results[i].value,
		       results[i].what);
}

void write_json(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "{\n  \"config\": {\"locks\": \"%s\", \"debug\": %d, "
		"\"reps\": %d, \"cpus_online\": %ld},\n",
#ifdef PGA_HOST_FAST_LOCKS
		"host fast ticket lock (PGA_HOST_FAST_LOCKS)",
#else
		"host checked lock",
#endif
		PGA_CONFIG_DEBUG, reps, sysconf(_SC_NPROCESSORS_ONLN));
	for (int i = 0; i < nr_results; i++)
		fprintf(f, "  \"%s\": %.3f%s\n", results[i].key,
			results[i].value, i + 1 < nr_results ? "," : "");
	fprintf(f, "}\n");
	fclose(f);
}
