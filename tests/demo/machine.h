/* SPDX-License-Identifier: MIT */
/*
 * The simulated machine of `make demo`: host threads as CPUs, a page
 * cache whose clean pages reclaim frees, processes whose anonymous pages
 * are movable (with a reverse map so compaction can move them), an OOM
 * killer, and a kswapd and a kcompactd thread per node - all wired to
 * pga through its hooks, as an embedding kernel would.
 */
#ifndef PGA_DEMO_MACHINE_H
#define PGA_DEMO_MACHINE_H

#include <stdio.h>

#include <pga.h>

/* CPUs: workers first, then kswapd and kcompactd of each node. */
#define M_WORKERS 4
#define M_NODES 2
#define M_CPUS (M_WORKERS + 2 * M_NODES)

/* The hooks of the machine (log lines go to @out). */
struct pga_hooks machine_hooks(FILE *out);
/* Set up the machine's tables for physical memory below @phys_end. */
int machine_init(pga_paddr_t phys_end);
/* Start kswapd and kcompactd; run the workload; stop them. */
void machine_run(unsigned long ops_per_worker, double max_seconds);
/* Check every page still holds what its owner wrote, then free it all. */
int machine_teardown(void);
/* What the machine saw. */
void machine_summary(FILE *out);
/* contig.c: the 8 MiB contiguous allocation on the busy machine. */
int contig_scene(FILE *out);

#endif
