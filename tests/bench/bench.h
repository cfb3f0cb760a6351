/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the benchmark harness (tests/bench): the results
 * table, timing and statistics helpers, and the simulated machine.  Each
 * bench_*.c file measures one area and records its figures here; bench.c
 * runs them in order and writes the table and the JSON file.
 */
#ifndef PGA_BENCH_H
#define PGA_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <pga.h>
#include <pga_host.h>

#include "internal.h"

#define GiB(x) ((pga_paddr_t)(x) << 30)

/* Repetitions per figure (15; 3 with --quick) and the --quick flag. */
extern int reps;
extern bool bench_quick;
/* The simulated RAM arena machine() boots on. */
extern struct pga_host_ram ram;

/* Record one figure for the table and the JSON file. */
void record(const char *key, double value, const char *what);
/* The value of a figure recorded earlier (0 if none). */
double recorded(const char *key);
/* The thread's CPU time in ns. */
double now_ns(void);
/* CLOCK_MONOTONIC in ns. */
double mono_ns(void);
/*
 * The per-call clock: the fenced TSC on x86_64, cntvct_el0 on arm64,
 * CLOCK_MONOTONIC ns elsewhere.  Raw ticks; calibrate against mono_ns().
 */
uint64_t bench_ticks(void);
/* Median of @n values (sorts @v). */
double median(double *v, int n);
/* The value at quantile @q (0..1) of @n values (sorts @v). */
double quantile(double *v, long n, double q);
/* Pin the calling thread to host CPU @cpu (modulo the online CPUs). */
void pin(int cpu);
/* xorshift64: a fixed, reproducible sequence. */
uint64_t rnd(void);
/* A fresh machine: one 1 GiB NORMAL zone at 4 GiB, two CPUs. */
void machine(bool disable_pcp);
/*
 * The same machine with page_group_by_mobility_disabled forced when
 * @no_grouping, and @hooks (may be NULL) given to pga_init().
 */
void machine_ex(bool disable_pcp, bool no_grouping,
		const struct pga_hooks *hooks);
/* Node 0's NORMAL zone. */
struct pga_zone *normal(void);
/* Init time per page for 1/4/16 GiB and metadata size (bench_init.c). */
void bench_init(void);
/* Worst single alloc/free over 10 M mixed ops (bench_latency.c). */
void bench_latency(void);
/* Pairs at orders 1..10 (bench_orders.c). */
void bench_order_pairs(void);
/* The mixed workload at a 50% and a 90% live-set cap (bench_orders.c). */
void bench_mixed(void);
/* order-9 allocation success on a fragmented zone (bench_frag.c). */
void bench_frag(void);
/* Print the table of recorded figures to stdout. */
void print_table(void);
/* Write the recorded figures as JSON to @path (exits on error). */
void write_json(const char *path);

#endif /* PGA_BENCH_H */
