/* SPDX-License-Identifier: MIT */
/*
 * The common body of the boot tests: build a direct map with pga's
 * page-table code and switch to it, bring up the other CPUs, pga_init,
 * allocator stress on every CPU with frees handed to other CPUs, then
 * pga_check and exact page conservation, then a debug_pagealloc-style
 * unmap of a freed page whose touch must fault.  One PASS/FAIL line.
 */
#include "boot.h"

#define MAX_HELD 24
#define HANDOFF 256
#define POOL_PAGES 64

struct held {
	struct pga_page *page;
	unsigned int order;
	uint64_t token;
};

/* Frees passed from one CPU to another (Linux: a remote free). */
static struct {
	pga_arch_spinlock_t lock;
	unsigned int head, tail;
	struct held q[HANDOFF];
} handoff;

struct cpu_stats {
	unsigned long allocs, failed, freed, handed, received, drains;
	uint64_t ticks;
} __attribute__((aligned(64)));

static struct cpu_stats stats[BOOT_CPUS];
static struct pga_pgtable kpt;
static pga_paddr_t pool_base;
static unsigned int pool_used;
static volatile int phase;
static pga_atomic_t arrived;
static volatile int failures;
volatile uintptr_t boot_fault_addr;

static const pga_gfp_t gfps[] = {
	PGA_GFP_KERNEL, PGA_GFP_ATOMIC, PGA_GFP_HIGHUSER_MOVABLE,
	PGA_GFP_KERNEL | PGA_GFP_DMA32, PGA_GFP_KERNEL | PGA_GFP_ZERO,
	PGA_GFP_KERNEL | PGA_GFP_DMA,
};

static void fail(const char *why, uint64_t v)
{
	kprintf("boot: check failed: %s (%llx)\n", why, (unsigned long long)v);
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
}

_Noreturn void boot_unexpected(const char *what, uint64_t a, uint64_t b,
			       uint64_t c)
{
	kprintf("boot: unexpected %s %llx %llx %llx\n", what,
		(unsigned long long)a, (unsigned long long)b,
		(unsigned long long)c);
	kprintf("FAIL pga boot test\n");
	arch_exit(false);
}

/* Table pages for the boot page tables, from after the kernel image. */
static pga_paddr_t pool_alloc(void *ctx)
{
	(void)ctx;
	if (pool_used == POOL_PAGES)
		return PGA_PT_NO_TABLE;
	return pool_base + PGA_PAGE_SIZE * pool_used++;
}

static unsigned int cpu_id_hook(void *ctx)
{
	(void)ctx;
	return pga_arch_cpu_id();
}

static void log_hook(void *ctx, enum pga_log_level level, const char *msg)
{
	(void)ctx;
	if (level <= PGA_LOG_WARN)
		kprintf("pga: %s\n", msg);
}

static void panic_hook(void *ctx, const char *msg)
{
	(void)ctx;
	boot_unexpected(msg, 0, 0, 0);
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The first word of the block's first and last page carry @token. */
static uint64_t *mark(const struct held *h, int last)
{
	char *va = pga_page_address(h->page);

	return (uint64_t *)(va + (last ? (PGA_PAGE_SIZE << h->order) -
					  PGA_PAGE_SIZE : 0));
}

static bool zeroed(const struct held *h)
{
	const uint64_t *p = pga_page_address(h->page);
	size_t i, n = (PGA_PAGE_SIZE << h->order) / sizeof(*p);

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void check_zone(const struct held *h, pga_gfp_t gfp)
{
	pga_paddr_t end = pga_page_to_phys(h->page) +
			  (PGA_PAGE_SIZE << h->order);

	if ((gfp & PGA_GFP_DMA) && end > PGA_ARCH_DMA_LIMIT)
		fail("GFP_DMA page above the DMA limit", end);
	if ((gfp & PGA_GFP_DMA32) && end > PGA_ARCH_DMA32_LIMIT)
		fail("GFP_DMA32 page above 4 GiB", end);
}

static bool alloc_one(struct held *h, uint64_t r, unsigned int cpu,
		      unsigned long seq)
{
	pga_gfp_t gfp = gfps[(r >> 8) % (sizeof(gfps) / sizeof(gfps[0]))];
	unsigned int order = (r >> 16) % 100 < 85 ? (r >> 24) % 4
						   : (r >> 24) % 11;

	if (gfp & PGA_GFP_ZERO)
		order = order > 2 ? 2 : order;
	h->page = pga_alloc_pages(gfp, order);
	h->order = order;
	if (!h->page) {
		stats[cpu].failed++;
		return false;
	}
	stats[cpu].allocs++;
	if ((gfp & PGA_GFP_ZERO) && !zeroed(h))
		fail("__GFP_ZERO page not zeroed", pga_page_to_phys(h->page));
	check_zone(h, gfp);
	h->token = ((uint64_t)cpu << 56) | seq;
	*mark(h, 0) = h->token;
	*mark(h, 1) = h->token;
	return true;
}

static void free_one(const struct held *h, unsigned int cpu)
{
	if (*mark(h, 0) != h->token || *mark(h, 1) != h->token)
		fail("block changed while allocated (double allocation?)",
		     pga_page_to_phys(h->page));
	pga_free_pages(h->page, h->order);
	stats[cpu].freed++;
}

static bool handoff_push(const struct held *h)
{
	unsigned long flags = pga_arch_irq_save();
	bool ok = false;

	pga_arch_spin_lock(&handoff.lock);
	if (handoff.head - handoff.tail < HANDOFF) {
		handoff.q[handoff.head++ % HANDOFF] = *h;
		ok = true;
	}
	pga_arch_spin_unlock(&handoff.lock);
	pga_arch_irq_restore(flags);
	return ok;
}

static bool handoff_pop(struct held *h)
{
	unsigned long flags = pga_arch_irq_save();
	bool ok = false;

	pga_arch_spin_lock(&handoff.lock);
	if (handoff.head != handoff.tail) {
		*h = handoff.q[handoff.tail++ % HANDOFF];
		ok = true;
	}
	pga_arch_spin_unlock(&handoff.lock);
	pga_arch_irq_restore(flags);
	return ok;
}

/* Free one of the CPU's blocks here or hand it to another CPU. */
static void release(struct held *held, unsigned int *n, uint64_t r,
		    unsigned int cpu)
{
	unsigned int i = (unsigned int)((r >> 32) % *n);

	if (!(r & 0x70) && handoff_push(&held[i]))
		stats[cpu].handed++;
	else
		free_one(&held[i], cpu);
	held[i] = held[--*n];
}

static void stress(unsigned int cpu)
{
	struct held held[MAX_HELD], h;
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (cpu + 1), r;
	uint64_t t0 = arch_ticks();
	unsigned int n = 0;
	unsigned long i;

	for (i = 0; i < BOOT_OPS; i++) {
		r = rnd(&seed);
		while ((i & 31) == 0 && handoff_pop(&h)) {
			free_one(&h, cpu);
			stats[cpu].received++;
		}
		if (n < MAX_HELD && (r & 3) != 0)
			n += alloc_one(&held[n], r, cpu, i);
		else if (n)
			release(held, &n, r, cpu);
		if ((i & 1023) == 1023) {
			pga_drain_local_pages();
			stats[cpu].drains++;
		}
	}
	while (n)
		free_one(&held[--n], cpu);
	stats[cpu].ticks = arch_ticks() - t0;
}

/* All CPUs wait here until every one of them has arrived. */
static void barrier(int round)
{
	pga_atomic_inc_return(&arrived);
	while (pga_atomic_read(&arrived) < round * BOOT_CPUS)
		pga_arch_cpu_relax();
}

static void run_phase(unsigned int cpu)
{
	struct held h;

	while (phase < 1)
		pga_arch_cpu_relax();
	stress(cpu);
	barrier(1);
	if (cpu == 0)
		while (handoff_pop(&h))
			free_one(&h, cpu);
	barrier(2);
	pga_drain_local_pages();
	barrier(3);
}

_Noreturn void boot_secondary(unsigned int cpu)
{
	arch_cpu_setup(cpu);
	kprintf("boot: cpu %u up (id %u)\n", cpu, pga_arch_cpu_id());
	run_phase(cpu);
	for (;;)
		pga_arch_cpu_relax();
}

/*
 * Direct map and identity map (code, stacks, tables, the x86 trampoline)
 * of every RAM range, plus the arch's device mappings.
 */
static void build_page_tables(const struct pga_mem_range *ram, int nr)
{
	int i, err;

	pool_base = ((uintptr_t)_kernel_end + PGA_PAGE_SIZE - 1) &
		    ~(PGA_PAGE_SIZE - 1);
	kpt.alloc_table = pool_alloc;
	kpt.table_offset = 0; /* tables reached by identity until the switch */
	if (pga_pgtable_init(&kpt))
		boot_unexpected("pgtable init", 0, 0, 0);
	for (i = 0; i < nr; i++) {
		err = pga_pgtable_map(&kpt, boot_direct_map + ram[i].base,
				      ram[i].base, ram[i].size,
				      PGA_PROT_KERNEL);
		if (!err)
			err = pga_pgtable_map(&kpt, ram[i].base, ram[i].base,
					      ram[i].size,
					      PGA_PROT_KERNEL_RWX);
		if (err)
			boot_unexpected("direct map", ram[i].base, ram[i].size,
					(uint64_t)err);
	}
	if (arch_map_boot(&kpt))
		boot_unexpected("boot mappings", 0, 0, 0);
	arch_mmu_on(&kpt);
	kpt.table_offset = boot_direct_map;
	kprintf("boot: page tables live, %u table pages, direct map at %lx\n",
		pool_used, (unsigned long)boot_direct_map);
}

static void init_pga(const struct pga_mem_range *ram, int nr)
{
	struct pga_mem_range res[8];
	struct pga_params p;
	struct pga_hooks hooks = {.cpu_id = cpu_id_hook, .log = log_hook,
				  .panic = panic_hook};
	int nres, err;

	res[0].base = (uintptr_t)_kernel_start & ~(PGA_PAGE_SIZE - 1);
	res[0].size = pool_base + POOL_PAGES * PGA_PAGE_SIZE - res[0].base;
	res[0].nid = 0;
	nres = 1 + arch_reserved(res + 1, 7);
	pga_params_init(&p);
	p.nr_cpus = BOOT_CPUS;
	p.gfp_allowed_mask = PGA_GFP_BITS_MASK;
	p.direct_map_offset = boot_direct_map;
	err = pga_init(&p, ram, (size_t)nr, res, (size_t)nres, &hooks);
	if (err)
		boot_unexpected("pga_init", (uint64_t)err, 0, 0);
}

static void report(void)
{
	unsigned long allocs = 0, failed = 0, freed = 0, handed = 0;
	unsigned int c;

	for (c = 0; c < BOOT_CPUS; c++) {
		kprintf("boot: cpu %u: %lu allocs, %lu failed, %lu frees "
			"(%lu received), %lu handed off, %lu drains, %lu ms\n",
			c, stats[c].allocs, stats[c].failed, stats[c].freed,
			stats[c].received, stats[c].handed, stats[c].drains,
			(unsigned long)(stats[c].ticks * 1000 /
					arch_ticks_per_sec()));
		allocs += stats[c].allocs;
		failed += stats[c].failed;
		freed += stats[c].freed;
		handed += stats[c].handed;
	}
	kprintf("boot: stress total: %lu allocs, %lu failed, %lu frees, "
		"%lu remote\n", allocs, failed, freed, handed);
	if (allocs != freed)
		fail("allocs != frees", allocs - freed);
}

static void check_allocator(void)
{
	struct pga_page_accounting a;
	char buf[160];

	if (BOOT_CORRUPT)
		pga_alloc_page(PGA_GFP_KERNEL); /* leaked on purpose */
	if (pga_check(buf, sizeof(buf)) != 0)
		fail(buf, 0);
	pga_page_accounting(&a);
	kprintf("boot: managed %lu free %lu pcp %lu allocated %lu bad %lu\n",
		a.managed, a.free, a.pcp, a.allocated, a.bad);
	if (a.managed != a.free + a.pcp + a.allocated + a.bad)
		fail("managed != free + pcp + allocated + bad", a.managed);
	if (a.allocated != 0)
		fail("pages still allocated", a.allocated);
}

/* debug_pagealloc: a freed page, unmapped, must fault when touched. */
static void check_unmapped_free_page(void)
{
	struct pga_page *page = pga_alloc_page(PGA_GFP_KERNEL);
	volatile uint64_t *va = pga_page_address(page);
	pga_paddr_t pa = pga_page_to_phys(page);
	uintptr_t nb = (uintptr_t)va ^ PGA_PAGE_SIZE; /* its buddy page */
	struct pga_pt_mapping m;

	*va = 0x1234;
	/*
	 * Split the large direct-map entry around the page while it is still
	 * allocated (the new table comes from pga): unmapping it after the
	 * free must not need a table page, which could be this very page.
	 */
	kpt.alloc_table = pga_pgtable_alloc_page;
	if (pga_pgtable_map(&kpt, (uintptr_t)va, pa, PGA_PAGE_SIZE,
			    PGA_PROT_KERNEL))
		fail("split of the direct map", (uintptr_t)va);
	pga_free_pages(page, 0);
	if (pga_pgtable_unmap(&kpt, (uintptr_t)va, PGA_PAGE_SIZE) ||
	    pga_pgtable_query(&kpt, (uintptr_t)va, &m))
		fail("unmap of a freed page", (uintptr_t)va);
	if (arch_probe_read(va) != 1 || boot_fault_addr != (uintptr_t)va)
		fail("touching the unmapped page did not fault", (uintptr_t)va);
	else
		kprintf("boot: touching freed page %lx faulted, handler "
			"reported address %lx\n", (unsigned long)(uintptr_t)va,
			(unsigned long)boot_fault_addr);
	/* the large entry around it was split: the neighbour still maps */
	if (!pga_pgtable_query(&kpt, nb, &m) || m.size != PGA_PT_SIZE_4K ||
	    arch_probe_read((const volatile void *)nb))
		fail("neighbour of the unmapped page", (uintptr_t)va);
	if (pga_pgtable_map(&kpt, (uintptr_t)va, pa, PGA_PAGE_SIZE,
			    PGA_PROT_KERNEL) ||
	    arch_probe_read(va) != 0)
		fail("remapped page not readable", (uintptr_t)va);
}

_Noreturn void boot_main(void)
{
	struct pga_mem_range ram[16];
	int nr;

	arch_cpu_setup(0);
	kprintf("boot: pga boot test, %d CPUs\n", BOOT_CPUS);
	nr = arch_memory_map(ram, 16);
	build_page_tables(ram, nr);
	arch_start_cpus(BOOT_CPUS, &kpt);
	init_pga(ram, nr);
	kprintf("boot: pga_init done, stress %d ops per CPU\n", BOOT_OPS);
	phase = 1;
	run_phase(0);
	report();
	check_allocator();
	check_unmapped_free_page();
	if (failures) {
		kprintf("FAIL pga boot test (%d failed checks)\n", failures);
		arch_exit(false);
	}
	kprintf("PASS pga boot test\n");
	arch_exit(true);
}
