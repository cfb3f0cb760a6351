/* SPDX-License-Identifier: MIT */
/*
 * make demo: bring pga up on a simulated 1 GiB machine (with a firmware
 * hole and reserved ranges, like a PC; two NUMA nodes), run a mixed
 * workload, and print /proc/buddyinfo before and after, as Linux would.
 * Then the same machine under memory pressure (machine.c): page cache,
 * processes, kernel objects and huge pages on four CPUs, with kswapd and
 * kcompactd threads per node, direct reclaim, compaction and the OOM
 * killer; /proc/vmstat before and after and a summary of what happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pga.h>
#include <pga_host.h>

#include "machine.h"

#define MiB(x) ((pga_paddr_t)(x) << 20)

static void emit(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, (FILE *)ctx);
}

/* /proc/vmstat captured as text, to print two snapshots side by side. */
struct text {
	char buf[4096];
	size_t len;
};

static void emit_text(void *ctx, const char *text, size_t len)
{
	struct text *t = ctx;

	if (t->len + len < sizeof(t->buf)) {
		memcpy(t->buf + t->len, text, len);
		t->len += len;
		t->buf[t->len] = '\0';
	}
}

static void show_vmstat_change(const struct text *before)
{
	struct text after = {{0}, 0};
	const char *a, *b = before->buf;

	pga_show_vmstat(emit_text, &after);
	printf("%-32s %12s %12s\n", "/proc/vmstat", "before", "after");
	for (a = after.buf; *a && *b;) {
		char name[64];
		unsigned long vb, va;

		if (sscanf(b, "%63s %lu", name, &vb) != 2 ||
		    sscanf(a, "%*s %lu", &va) != 1)
			break;
		printf("%-32s %12lu %12lu\n", name, vb, va);
		a = strchr(a, '\n') + 1;
		b = strchr(b, '\n') + 1;
	}
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct held {
	struct pga_page *page;
	unsigned int order;
};

static void workload(struct held *h, size_t n, unsigned long *allocs,
		     unsigned long *fails)
{
	static const pga_gfp_t masks[] = {
		PGA_GFP_KERNEL, PGA_GFP_HIGHUSER_MOVABLE,
		PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE, PGA_GFP_ATOMIC,
		PGA_GFP_KERNEL | PGA_GFP_DMA32};

	for (int step = 0; step < 400000; step++) {
		struct held *s = &h[next() % n];
		unsigned int r;

		if (s->page) {
			pga_free_pages(s->page, s->order);
			s->page = NULL;
			continue;
		}
		r = (unsigned int)(next() % 100);
		s->order = r < 70 ? 0 : r < 90 ? 1 + r % 3 : 4 + r % 5;
		s->page = pga_alloc_pages(masks[next() % 5] | PGA_GFP_NOWARN,
					  s->order);
		(*allocs)++;
		*fails += !s->page;
	}
}

static void emit_file(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, (FILE *)ctx);
}

/* One SVG fragmentation map per populated zone, in build/demo/. */
static void write_fragmaps(const char *when)
{
	char path[128];
	int n = 0;

	for (int nid = 0; nid < pga_nr_nodes(); nid++) {
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
			FILE *f;
			int err;

			snprintf(path, sizeof(path),
				 "build/demo/fragmap-%s-node%d-%s.svg", when,
				 nid, pga_zone_names[zt]);
			f = fopen(path, "w");
			if (!f)
				continue;
			err = pga_write_fragmap_svg(nid, (enum pga_zone_type)zt,
						    emit_file, f);
			fclose(f);
			if (err)
				remove(path);
			else
				n++;
		}
	}
	printf("(fragmentation maps: %d SVG files build/demo/fragmap-%s-*.svg)\n",
	       n, when);
}

int main(void)
{
	/* A PC-like map: low RAM, a hole at 640 KiB-1 MiB, a PCI hole. */
	const struct pga_mem_range ram[] = {
		{0, 0x9f000, 0},
		{MiB(1), MiB(768) - MiB(1), 0},
		{MiB(1024), MiB(256), 1},
	};
	const struct pga_mem_range reserved[] = {
		{MiB(1), MiB(15), 0},   /* kernel image and boot data */
		{MiB(700), MiB(4), 0},  /* firmware tables */
	};
	struct pga_host_ram arena;
	struct pga_params params;
	struct pga_hooks hooks;
	struct pga_page_accounting acct;
	static struct held held[20000];
	unsigned long allocs = 0, fails = 0;
	char report[256];
	struct text vmstat = {{0}, 0};

	if (pga_host_ram_create(&arena, 0, MiB(1280))) {
		fprintf(stderr, "cannot reserve the fake RAM\n");
		return 1;
	}
	pga_params_init(&params);
	params.direct_map_offset = arena.offset;
	params.gfp_allowed_mask = PGA_GFP_BITS_MASK; /* the scheduler runs */
	params.nr_cpus = M_CPUS;
	for (unsigned int c = 0; c < M_CPUS; c++) /* workers 0,1 | 2,3 */
		params.cpu_to_node[c] =
			c < M_WORKERS ? c / 2 : (c - M_WORKERS) % M_NODES;
	hooks = machine_hooks(stdout);
	if (machine_init(MiB(1280)) ||
	    pga_init(&params, ram, 3, reserved, 2, &hooks)) {
		fprintf(stderr, "pga_init failed\n");
		return 1;
	}
	printf("pga demo: 1 GiB simulated machine (2 nodes, %d CPUs), "
	       "struct pga_page is %zu bytes\n\n", M_CPUS,
	       sizeof(struct pga_page));
	printf("/proc/buddyinfo after boot:\n");
	pga_show_buddyinfo(emit, stdout);
	write_fragmaps("boot");
	workload(held, sizeof(held) / sizeof(held[0]), &allocs, &fails);
	printf("\n/proc/buddyinfo under load (%lu allocations, %lu failed):\n",
	       allocs, fails);
	pga_show_buddyinfo(emit, stdout);
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		if (held[i].page)
			pga_free_pages(held[i].page, held[i].order);
	pga_drain_all_pages();
	printf("\n/proc/buddyinfo after freeing everything:\n");
	pga_show_buddyinfo(emit, stdout);

	printf("\n=== the machine under memory pressure: %d CPUs run page "
	       "cache reads, process\n    page faults, kernel and atomic "
	       "allocations and huge pages; kswapd and\n    kcompactd run "
	       "per node; direct reclaim, compaction and the OOM killer\n"
	       "    step in (pga's own reports below are prefixed '|')\n\n",
	       M_WORKERS);
	pga_show_vmstat(emit_text, &vmstat);
	machine_run(700000, 12.0);
	printf("\n/proc/buddyinfo under pressure:\n");
	pga_show_buddyinfo(emit, stdout);
	write_fragmaps("pressure");
	printf("\n");
	show_vmstat_change(&vmstat);
	machine_summary(stdout);
	if (contig_scene(stdout) || machine_teardown())
		return 1;
	pga_drain_all_pages();
	printf("\n/proc/buddyinfo after the machine shut down:\n");
	pga_show_buddyinfo(emit, stdout);
	pga_page_accounting(&acct);
	printf("\npages: managed %lu = free %lu + per-cpu %lu + allocated %lu "
	       "+ bad %lu\n", acct.managed, acct.free, acct.pcp,
	       acct.allocated, acct.bad);
	if (acct.allocated || acct.managed != acct.free + acct.pcp + acct.bad) {
		printf("pages lost!\n");
		return 1;
	}
	if (pga_check(report, sizeof(report))) {
		printf("pga_check: FAILED: %s\n", report);
		return 1;
	}
	printf("pga_check: all invariants hold\n");
	pga_host_ram_destroy(&arena);
	return 0;
}
