/* SPDX-License-Identifier: MIT */
/*
 * SMP stress: host threads play CPUs and hammer one pga instance with
 * random operations: single and bulk allocations of every order and
 * several migratetypes and zones, frees, batched releases, blocks handed
 * to another CPU with an extra reference (the receiver drops the last
 * one), local and remote drains, CPU offline/online and pcp high
 * changes.  Every page handed out is tagged with its owner, so a block
 * given to two CPUs at once is caught at once.  At regular barriers all
 * threads stop and the invariant walker runs, and the allocated-page
 * count must equal what the threads hold.  At the end everything is
 * freed and drained, and the buddy must be exactly as it was after
 * pga_init (same blocks per order in every zone).
 *
 * Built twice by tests/stress.mk: with ThreadSanitizer and with
 * AddressSanitizer + UndefinedBehaviorSanitizer.
 *
 * Usage: pga-stress [threads (2..4)] [ops per thread] [seed]
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pga.h>
#include <pga_host.h>

#define MAX_THREADS 4
#define POOL 2048
#define MAILBOX 64
#define CHECK_EVERY 50000
#define MiB(x) ((pga_paddr_t)(x) << 20)
#define GiB(x) ((pga_paddr_t)(x) << 30)

struct block {
	struct pga_page *page;
	unsigned int order;
	bool compound;
};

struct thread {
	pthread_t tid;
	unsigned int cpu;
	uint64_t rng;
	struct block pool[POOL];
	int n;
	unsigned long held; /* pages in pool */
	unsigned long ops, failed, handed, received;
};

static struct thread threads[MAX_THREADS];
static unsigned int nr_threads = 4;
static unsigned long ops_per_thread = 400000;
static pthread_barrier_t barrier;
static struct pga_host_ram ram;

/* Owner tag per pfn (thread + 1), to catch double allocation. */
static pga_pfn_t max_pfn;
static unsigned char *owner;

/*
 * Blocks in transit between CPUs: page pointer | order << 1 | compound.
 * Page descriptors are 32-byte aligned, leaving 5 low bits.
 */
static uintptr_t mailbox[MAILBOX];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "pga-stress: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static uint64_t rnd(struct thread *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->rng;
}

static void log_hook(void *ctx, enum pga_log_level level, const char *msg)
{
	(void)ctx;
	if (level <= PGA_LOG_ERR || strstr(msg, "BUG"))
		die("unexpected report: %s", msg);
}

static void panic_hook(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "pga-stress: panic: %s\n", msg);
	abort();
}

static void claim(struct thread *t, struct pga_page *pg, unsigned long n)
{
	pga_pfn_t pfn = pga_page_to_pfn(pg);

	for (unsigned long i = 0; i < n; i++) {
		unsigned char expect = 0;

		if (pfn + i >= max_pfn ||
		    !__atomic_compare_exchange_n(&owner[pfn + i], &expect,
						 (unsigned char)(t->cpu + 1),
						 false, __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			die("pfn %#lx handed out twice (owner %d)",
			    (unsigned long)(pfn + i), expect);
	}
	/* Write where the direct map says the page is. */
	*(volatile uint64_t *)pga_page_address(pg) = pfn;
}

static void unclaim(struct pga_page *pg, unsigned long first, unsigned long n)
{
	pga_pfn_t pfn = pga_page_to_pfn(pg);

	if (*(volatile uint64_t *)pga_page_address(pg) != pfn && first == 0)
		die("pfn %#lx: its data was overwritten", (unsigned long)pfn);
	for (unsigned long i = first; i < first + n; i++)
		__atomic_store_n(&owner[pfn + i], 0, __ATOMIC_RELAXED);
}

static void keep(struct thread *t, struct pga_page *pg, unsigned int order,
		 bool compound)
{
	claim(t, pg, 1UL << order);
	t->pool[t->n].page = pg;
	t->pool[t->n].order = order;
	t->pool[t->n].compound = compound;
	t->n++;
	t->held += 1UL << order;
}

static struct block take(struct thread *t, int i)
{
	struct block b = t->pool[i];

	t->pool[i] = t->pool[--t->n];
	t->held -= 1UL << b.order;
	return b;
}

static unsigned int random_order(struct thread *t)
{
	unsigned int r = (unsigned int)(rnd(t) % 1000);

	if (r < 700)
		return 0;
	if (r < 800)
		return 1;
	if (r < 880)
		return 2;
	if (r < 930)
		return 3;
	if (r < 990)
		return 4 + (unsigned int)(rnd(t) % 5);
	if (r < 998)
		return PGA_PAGEBLOCK_ORDER;
	return PGA_MAX_ORDER;
}

static pga_gfp_t random_gfp(struct thread *t, unsigned int order)
{
	static const pga_gfp_t kinds[] = {
		PGA_GFP_KERNEL,
		PGA_GFP_KERNEL | PGA_GFP_MOVABLE,
		PGA_GFP_KERNEL | PGA_GFP_RECLAIMABLE,
		PGA_GFP_KERNEL | PGA_GFP_DMA32,
		PGA_GFP_KERNEL | PGA_GFP_MOVABLE | PGA_GFP_ZERO,
		PGA_GFP_ATOMIC,
	};
	/* High-order atomic requests would build a highatomic reserve. */
	size_t nk = order ? 5 : 6;
	pga_gfp_t gfp = kinds[rnd(t) % nk] | PGA_GFP_NOWARN;

	if (order && rnd(t) % 2)
		gfp |= PGA_GFP_COMP;
	/* Zeroing is the sanitizers' slowest path: small blocks only. */
	if (order > 2)
		gfp &= ~PGA_GFP_ZERO;
	return gfp;
}

static void op_alloc(struct thread *t)
{
	unsigned int order = random_order(t);
	pga_gfp_t gfp = random_gfp(t, order);
	struct pga_page *pg;

	if (t->n == POOL)
		return;
	pg = pga_alloc_pages(gfp, order);
	if (!pg) {
		t->failed++;
		return;
	}
	keep(t, pg, order, order && (gfp & PGA_GFP_COMP));
}

static void free_block(struct block b)
{
	unclaim(b.page, 0, 1UL << b.order);
	pga_free_pages(b.page, b.order);
}

static void op_free(struct thread *t)
{
	if (t->n)
		free_block(take(t, (int)(rnd(t) % (uint64_t)t->n)));
}

static void op_bulk(struct thread *t)
{
	struct pga_page *arr[64] = {0};
	unsigned long want = 2 + rnd(t) % 63, got;
	pga_gfp_t gfp = random_gfp(t, 0);

	if (t->n + (int)want > POOL)
		return;
	got = pga_alloc_pages_bulk_array(gfp, want, arr);
	for (unsigned long i = 0; i < got; i++)
		keep(t, arr[i], 0, false);
	if (got < want)
		t->failed++;
}

static void op_release(struct thread *t)
{
	struct pga_page *arr[64];
	int n = 0;

	for (int tries = 0; tries < 64 && t->n; tries++) {
		int i = (int)(rnd(t) % (uint64_t)t->n);

		if (t->pool[i].order)
			continue;
		arr[n] = take(t, i).page;
		unclaim(arr[n], 0, 1);
		n++;
	}
	pga_release_pages(arr, (unsigned long)n);
}

/*
 * Give a block to whichever CPU empties the slot: take an extra
 * reference, publish, then drop ours.  A non-compound block frees its
 * upper pages now (Linux __free_pages); the receiver puts page 0.
 */
static void op_hand_over(struct thread *t)
{
	unsigned int slot = (unsigned int)(rnd(t) % MAILBOX);
	struct block b;
	uintptr_t word, expect = 0;
	unsigned long left;

	if (!t->n)
		return;
	b = take(t, (int)(rnd(t) % (uint64_t)t->n));
	left = b.compound ? 1UL << b.order : 1;
	pga_get_page(b.page);
	word = (uintptr_t)b.page | (uintptr_t)b.order << 1 | b.compound;
	if (!b.compound)
		unclaim(b.page, 1, (1UL << b.order) - 1);
	if (!__atomic_compare_exchange_n(&mailbox[slot], &expect, word, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
		/* Occupied: drop both references ourselves. */
		pga_free_pages(b.page, b.order);
		unclaim(b.page, 0, left);
		pga_put_page(b.page);
		return;
	}
	pga_free_pages(b.page, b.order);
	t->handed++;
}

static unsigned long take_over(uintptr_t word)
{
	struct pga_page *pg = (struct pga_page *)(word & ~(uintptr_t)31);
	unsigned int order = (unsigned int)(word >> 1) & 15;
	unsigned long n = (word & 1) ? 1UL << order : 1;

	unclaim(pg, 0, n);
	pga_put_page(pg);
	return n;
}

static void op_receive(struct thread *t)
{
	unsigned int slot = (unsigned int)(rnd(t) % MAILBOX);
	uintptr_t word = __atomic_exchange_n(&mailbox[slot], 0,
					     __ATOMIC_ACQUIRE);

	if (word) {
		take_over(word);
		t->received++;
	}
}

static void op_hotplug(struct thread *t)
{
	/* This CPU goes away for a while: its lists empty, calls bypass. */
	if (pga_cpu_offline(t->cpu))
		die("cpu_offline(%u) failed", t->cpu);
	for (int i = 0; i < 32; i++) {
		op_alloc(t);
		op_free(t);
	}
	if (pga_cpu_online(t->cpu))
		die("cpu_online(%u) failed", t->cpu);
}

static void one_op(struct thread *t)
{
	unsigned int r = (unsigned int)(rnd(t) % 1000);

	if (r < 420)
		op_alloc(t);
	else if (r < 820)
		op_free(t);
	else if (r < 860)
		op_bulk(t);
	else if (r < 900)
		op_release(t);
	else if (r < 940)
		op_hand_over(t);
	else if (r < 980)
		op_receive(t);
	else if (r < 990)
		pga_drain_local_pages();
	else if (r < 995)
		pga_drain_all_pages();
	else if (r < 997)
		op_hotplug(t);
	else if (t->cpu == 0 && r < 998)
		pga_set_percpu_pagelist_high_fraction(rnd(t) % 2 ? 8 : 0);
}

static unsigned long mailbox_held(void)
{
	unsigned long n = 0;

	for (int i = 0; i < MAILBOX; i++) {
		uintptr_t w = __atomic_load_n(&mailbox[i], __ATOMIC_ACQUIRE);

		if (w)
			n += (w & 1) ? 1UL << ((w >> 1) & 15) : 1;
	}
	return n;
}

/* All threads stopped: the walker passes and allocated == held. */
static void check_quiescent(void)
{
	char report[256];
	struct pga_page_accounting a;
	unsigned long held = mailbox_held();

	if (pga_check(report, sizeof(report)))
		die("pga_check: %s", report);
	pga_page_accounting(&a);
	for (unsigned int i = 0; i < nr_threads; i++)
		held += threads[i].held;
	if (a.allocated != held)
		die("allocated %lu but the threads hold %lu", a.allocated, held);
	if (a.managed != a.free + a.pcp + a.allocated + a.bad || a.bad)
		die("accounting: managed %lu, bad %lu", a.managed, a.bad);
}

static void *run(void *arg)
{
	struct thread *t = arg;

	pga_host_set_cpu(t->cpu);
	for (unsigned long i = 1; i <= ops_per_thread; i++) {
		one_op(t);
		t->ops++;
		if (i % CHECK_EVERY == 0) {
			pthread_barrier_wait(&barrier);
			if (t->cpu == 0)
				check_quiescent();
			pthread_barrier_wait(&barrier);
		}
	}
	while (t->n)
		free_block(take(t, t->n - 1));
	return NULL;
}

/*
 * Two nodes of 96 MiB each: node 0 has DMA and DMA32, node 1 has NORMAL.
 * Threads 0-1 run on node 0, 2-3 on node 1.
 */
static void init_machine(void)
{
	struct pga_params p;
	struct pga_hooks h = {0};
	struct pga_mem_range r[2] = {{0, MiB(96), 0}, {GiB(4), MiB(96), 1}};

	pga_params_init(&p);
	p.gfp_allowed_mask = PGA_GFP_BITS_MASK;
	p.nr_cpus = nr_threads;
	for (unsigned int c = 0; c < nr_threads; c++)
		p.cpu_to_node[c] = c >= 2;
	h.log = log_hook;
	h.panic = panic_hook;
	if (pga_host_ram_create(&ram, 0, GiB(4) + MiB(96)))
		die("no address space for the fake RAM");
	p.direct_map_offset = ram.offset;
	if (pga_init(&p, r, 2, NULL, 0, &h))
		die("pga_init failed");
	max_pfn = (GiB(4) + MiB(96)) >> PGA_PAGE_SHIFT;
	owner = calloc(max_pfn, 1);
	if (!owner)
		die("out of memory");
}

static void snapshot(unsigned long out[2][PGA_MAX_NR_ZONES][PGA_NR_ORDERS])
{
	for (int nid = 0; nid < 2; nid++)
		for (int zt = 0; zt < PGA_MAX_NR_ZONES; zt++) {
			struct pga_zone_info info;

			if (pga_zone_get_info(nid, (enum pga_zone_type)zt, &info))
				die("zone_get_info failed");
			memcpy(out[nid][zt], info.nr_free, sizeof(info.nr_free));
		}
}

int main(int argc, char **argv)
{
	static unsigned long before[2][PGA_MAX_NR_ZONES][PGA_NR_ORDERS];
	static unsigned long after[2][PGA_MAX_NR_ZONES][PGA_NR_ORDERS];
	uint64_t seed = 12345;
	unsigned long total = 0, failed = 0, handed = 0, received = 0;
	struct pga_page_accounting a;

	if (argc > 1)
		nr_threads = (unsigned int)strtoul(argv[1], NULL, 0);
	if (argc > 2)
		ops_per_thread = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		seed = strtoull(argv[3], NULL, 0);
	if (nr_threads < 2 || nr_threads > MAX_THREADS)
		die("threads must be 2..%d (got %u)", MAX_THREADS, nr_threads);
	init_machine();
	snapshot(before);
	pthread_barrier_init(&barrier, NULL, nr_threads);
	for (unsigned int i = 0; i < nr_threads; i++) {
		threads[i].cpu = i;
		threads[i].rng = seed * 0x9E3779B97F4A7C15ull + i + 1;
		pthread_create(&threads[i].tid, NULL, run, &threads[i]);
	}
	for (unsigned int i = 0; i < nr_threads; i++) {
		pthread_join(threads[i].tid, NULL);
		total += threads[i].ops;
		failed += threads[i].failed;
		handed += threads[i].handed;
		received += threads[i].received;
	}
	for (int i = 0; i < MAILBOX; i++)
		if (mailbox[i])
			take_over(__atomic_exchange_n(&mailbox[i], 0,
						      __ATOMIC_ACQUIRE));
	pga_drain_all_pages();
	check_quiescent();
	pga_page_accounting(&a);
	if (a.pcp || a.allocated || a.free != a.managed)
		die("pages missing after the run: free %lu of %lu", a.free,
		    a.managed);
	snapshot(after);
	if (memcmp(before, after, sizeof(before)))
		die("buddy layout differs from boot");
	printf("pga-stress: %u threads, %lu ops (%lu failed allocations, "
	       "%lu blocks handed over, %lu received); %lu pages conserved\n",
	       nr_threads, total, failed, handed, received, a.managed);
	return 0;
}
