/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: input bytes decode to a sequence of allocator
 * operations on a fresh two-node, four-CPU machine: allocations with
 * random gfp/order/node/CPU, frees, splits, extra references, drains, CPU
 * offline, tunables, hooks that fail or lie, and misuse (double free,
 * wrong or huge order, tail and foreign pointers).  After every operation
 * pga_check() must pass and every managed page must be accounted for;
 * anything else aborts, which the fuzzer reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pga.h>
#include <pga_host.h>

#define MiB(x) ((pga_paddr_t)(x) << 20)
#define SLOTS 64

struct slot {
	struct pga_page *page;
	unsigned int order;
};

struct input {
	const uint8_t *d;
	size_t n;
};

static struct slot slots[SLOTS];
static struct pga_host_ram arena;
static bool cpuset_deny_node1, dirty_full, reclaim_lies;

static uint8_t byte(struct input *in)
{
	uint8_t b = 0;

	if (in->n) {
		b = *in->d++;
		in->n--;
	}
	return b;
}

static bool trace; /* FUZZ_TRACE=1 in the environment: print each step */

/* pga's reports are expected (misuse is fuzzed); shown when tracing. */
static void quiet_log(void *ctx, enum pga_log_level l, const char *m)
{
	(void)ctx;
	(void)l;
	if (trace)
		fprintf(stderr, "  log: %s\n", m);
}

static bool cpuset_allowed(void *ctx, int nid, pga_gfp_t gfp)
{
	(void)ctx;
	(void)gfp;
	return !(cpuset_deny_node1 && nid == 1);
}

static bool dirty_ok(void *ctx, int nid)
{
	(void)ctx;
	return !(dirty_full && nid == 0);
}

/*
 * GFP_NOIO/NOFS requests retry until memory appears (Linux): when reclaim
 * cannot help, the task is "killed" after this many rounds in one step,
 * as an embedder's watchdog would, and the request must then end.
 */
#define ROUNDS_BEFORE_KILL 64
static unsigned int reclaim_rounds; /* in the current step */

static bool fatal_signal(void *ctx)
{
	(void)ctx;
	return reclaim_rounds > ROUNDS_BEFORE_KILL;
}

/* Reclaim frees one held slot, or lies about progress. */
static unsigned long reclaim(void *ctx, pga_gfp_t gfp, unsigned int order,
			     const pga_nodemask_t *nm, unsigned long nr)
{
	(void)ctx;
	(void)gfp;
	(void)order;
	(void)nm;
	(void)nr;
	reclaim_rounds++;
	if (reclaim_lies)
		return 32;
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].page) {
			unsigned long n = 1UL << slots[i].order;

			pga_free_pages(slots[i].page, slots[i].order);
			slots[i].page = NULL;
			return n;
		}
	}
	return 0;
}

/* The OOM killer "kills" a holder: it frees half the slots. */
static bool oom(void *ctx, pga_gfp_t gfp, unsigned int order,
		const pga_nodemask_t *nm)
{
	bool freed = false;

	(void)ctx;
	(void)gfp;
	(void)order;
	(void)nm;
	for (int i = 0; i < SLOTS; i += 2) {
		if (slots[i].page) {
			pga_free_pages(slots[i].page, slots[i].order);
			slots[i].page = NULL;
			freed = true;
		}
	}
	return freed;
}

static void machine(struct input *in)
{
	const struct pga_mem_range ram[] = {
		{MiB(8), MiB(16), 0}, {MiB(64), MiB(12), 1}, {MiB(4200), MiB(4), 1}};
	const struct pga_mem_range res[] = {{MiB(12), MiB(1), 0}};
	struct pga_params p;
	struct pga_hooks h;
	uint8_t cfg = byte(in);

	memset(slots, 0, sizeof(slots));
	pga_params_init(&p);
	p.direct_map_offset = arena.offset;
	p.nr_cpus = 4;
	p.cpu_to_node[2] = p.cpu_to_node[3] = 1;
	p.gfp_allowed_mask = PGA_GFP_BITS_MASK;
	p.disable_pcp = cfg & 1;
	memset(&h, 0, sizeof(h));
	h.log = quiet_log;
	h.direct_reclaim = reclaim;
	h.oom = oom;
	h.fatal_signal_pending = fatal_signal;
	if (cfg & 2)
		h.cpuset_node_allowed = cpuset_allowed;
	if (cfg & 4)
		h.node_dirty_ok = dirty_ok;
	cpuset_deny_node1 = cfg & 8;
	dirty_full = cfg & 16;
	reclaim_lies = cfg & 32;
	if (pga_init(&p, ram, 3, res, 1, &h))
		abort();
}

static const pga_gfp_t masks[] = {
	PGA_GFP_KERNEL, PGA_GFP_ATOMIC, PGA_GFP_NOWAIT, PGA_GFP_NOIO,
	PGA_GFP_NOFS, PGA_GFP_USER, PGA_GFP_HIGHUSER_MOVABLE,
	PGA_GFP_KERNEL | PGA_GFP_DMA32, PGA_GFP_KERNEL | PGA_GFP_DMA,
	PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE, PGA_GFP_KERNEL | PGA_GFP_COMP,
	PGA_GFP_KERNEL | PGA_GFP_ZERO, PGA_GFP_KERNEL | PGA_GFP_THISNODE,
	PGA_GFP_KERNEL | PGA_GFP_NORETRY, PGA_GFP_KERNEL | PGA_GFP_RETRY_MAYFAIL,
	PGA_GFP_ATOMIC | PGA_GFP_MEMALLOC, PGA_GFP_KERNEL | PGA_GFP_WRITE,
	PGA_GFP_KERNEL | PGA_GFP_DMA | PGA_GFP_HIGHMEM, /* impossible zone */
	PGA_GFP_KERNEL | PGA_GFP_MOVABLE | PGA_GFP_RECLAIMABLE, /* invalid */
};

static void op_alloc(struct input *in, struct slot *s)
{
	pga_gfp_t gfp = masks[byte(in) % (sizeof(masks) / sizeof(masks[0]))];
	unsigned int order = byte(in) % 13; /* 11, 12: too large */
	int nid = (int)(byte(in) % 4) - 1;  /* -1, 0, 1, 2 (bad) */

	if (s->page)
		return;
	s->page = pga_alloc_pages_node(nid, gfp | PGA_GFP_NOWARN, order);
	s->order = order;
	if (trace)
		fprintf(stderr, "  alloc gfp %#x order %u nid %d: pfn %#lx\n", gfp,
			order, nid, s->page ? (unsigned long)pga_page_to_pfn(s->page) : 0UL);
}

static void op_free(struct slot *s)
{
	if (!s->page)
		return;
	pga_free_pages(s->page, s->order);
	s->page = NULL;
}

static void verify(void);

static void op_split(struct slot *s)
{
	unsigned int n;

	if (!s->page || pga_page_is_head(s->page))
		return;
	n = 1U << s->order;
	pga_split_page(s->page, s->order);
	for (unsigned int i = 1; i < n; i++) {
		pga_free_page(s->page + i);
		if (trace) {
			fprintf(stderr, "  split: freed page %u\n", i);
			verify();
		}
	}
	s->order = 0;
}

static void op_misuse(struct input *in, struct slot *s)
{
	struct pga_page fake;

	switch (byte(in) % 6) {
	case 0: /* double free, with nothing allocated in between */
		if (s->page) {
			struct pga_page *pg = s->page;

			op_free(s);
			pga_free_pages(pg, s->order);
		}
		break;
	case 1:
		memset(&fake, 0, sizeof(fake));
		pga_free_pages(&fake, 0);
		break;
	case 2:
		if (s->page)
			pga_free_pages(s->page, 40);
		break;
	case 3:
		if (s->page && pga_page_is_head(s->page))
			pga_free_pages(s->page + 1, 0);
		break;
	case 4:
		pga_free_pages_va((uintptr_t)arena.virt + MiB(1), 0);
		break;
	default:
		pga_free_pages(pga_pfn_to_page((MiB(24) >> PGA_PAGE_SHIFT) - 1), 0);
		break;
	}
}

static void op_refs(struct slot *s)
{
	if (!s->page)
		return;
	pga_get_page(s->page);
	/*
	 * Another holder frees first: a compound page stays whole, a plain
	 * block gives its tails back at once and only page 0 stays ours.
	 */
	pga_free_pages(s->page, s->order);
	if (!pga_page_is_head(s->page))
		s->order = 0;
}

static void op_tune(struct input *in)
{
	switch (byte(in) % 4) {
	case 0:
		pga_set_min_free_kbytes(128 + byte(in) * 32);
		break;
	case 1:
		pga_set_watermark_scale_factor(1 + byte(in) * 10);
		break;
	case 2:
		pga_set_percpu_pagelist_high_fraction(byte(in) % 2 ? 8 : 0);
		break;
	default:
		pga_set_gfp_allowed_mask(byte(in) % 2 ? PGA_GFP_BOOT_MASK
						      : PGA_GFP_BITS_MASK);
		break;
	}
}

static void step(struct input *in)
{
	uint8_t op = byte(in);
	struct slot *s = &slots[byte(in) % SLOTS];
	uint8_t cpu = byte(in) % 5; /* 4: a CPU pga does not know */

	if (trace)
		fprintf(stderr, "op %u slot %td cpu %u (%zu bytes left)\n",
			op % 10, s - slots, cpu, in->n);
	pga_host_set_cpu(cpu);
	reclaim_rounds = 0;
	switch (op % 10) {
	case 0: case 1: case 2:
		op_alloc(in, s);
		break;
	case 3: case 4:
		op_free(s);
		break;
	case 5:
		op_split(s);
		break;
	case 6:
		op_refs(s);
		break;
	case 7:
		if (op & 0x10)
			pga_drain_all_pages();
		else if (op & 0x20)
			pga_cpu_offline(byte(in) % 6);
		else
			pga_drain_local_pages();
		break;
	case 8:
		op_misuse(in, s);
		break;
	default:
		op_tune(in);
		break;
	}
}

static void verify(void)
{
	char report[256];
	struct pga_page_accounting a;

	if (pga_check(report, sizeof(report))) {
		fprintf(stderr, "pga_check: %s\n", report);
		abort();
	}
	pga_page_accounting(&a);
	if (a.managed != a.free + a.pcp + a.allocated + a.bad) {
		fprintf(stderr, "accounting: managed %lu free %lu pcp %lu "
			"allocated %lu bad %lu\n", a.managed, a.free, a.pcp,
			a.allocated, a.bad);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	if (!arena.virt && pga_host_ram_create(&arena, 0, MiB(4224)))
		abort();
	trace = getenv("FUZZ_TRACE") != NULL;
	machine(&in);
	pga_host_set_cpu(0);
	while (in.n) {
		step(&in);
		verify();
	}
	pga_host_set_cpu(0);
	for (int i = 0; i < SLOTS; i++)
		op_free(&slots[i]);
	pga_set_gfp_allowed_mask(PGA_GFP_BITS_MASK);
	pga_drain_all_pages();
	verify();
	return 0;
}
