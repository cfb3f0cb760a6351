/* SPDX-License-Identifier: MIT */
/*
 * arm64 arch entries for pga (see include/pga/arch.h for the contract).
 * Kernel code at EL1: interrupts via DAIF, yield in spin loops, a
 * ticket spinlock and atomics in LSE or LL/SC form, the CPU id in
 * TPIDR_EL1, DC ZVA page zeroing.  arm64 has no ZONE_DMA by default here;
 * ZONE_DMA32 ends at 4 GiB.
 *
 * LSE or LL/SC, chosen at run time: every atomic tests pga_arm64_use_lse
 * (arch/arm64/cpu.c), false at start, so LL/SC (LDAXR/STXR) works on
 * every ARMv8.0 CPU.  The embedder calls pga_arm64_probe_lse() once at
 * boot (it reads ID_AA64ISAR0_EL1.Atomic) to switch to the ARMv8.1
 * instructions (LDADDAL, CASAL, STADD).  A build for CPUs known to have
 * LSE (-march=armv8.1-a, __ARM_FEATURE_ATOMICS) uses them always.
 * Everything but DAIF and TPIDR_EL1 also runs at EL0, which is how
 * tests/arch checks it under qemu-aarch64.
 */
#ifndef PGA_ARCH_IMPL_ARM64_H
#define PGA_ARCH_IMPL_ARM64_H

#define PGA_ARCH_PAGE_SHIFT 12
#define PGA_ARCH_CACHE_LINE 64
#define PGA_ARCH_DMA_LIMIT (~(pga_paddr_t)0)
#define PGA_ARCH_DMA32_LIMIT ((pga_paddr_t)4 << 30)

static inline unsigned long pga_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #3"
			 : "=r"(flags) : : "memory");
	return flags;
}
#define pga_arch_irq_save pga_arch_irq_save

static inline void pga_arch_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}
#define pga_arch_irq_restore pga_arch_irq_restore

static inline int pga_arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) : : "memory");
	return (flags & (1UL << 7)) != 0; /* DAIF.I */
}
#define pga_arch_irqs_disabled pga_arch_irqs_disabled

static inline void pga_arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}
#define pga_arch_cpu_relax pga_arch_cpu_relax

/* ---- LSE or LL/SC ---------------------------------------------------- */

extern bool pga_arm64_use_lse;

/*
 * Read ID_AA64ISAR0_EL1 and use LSE atomics from now on if the CPU has
 * them.  Return: true if LSE is in use.  Context: boot, before other CPUs
 * or pga run (all CPUs must agree); also at EL0 under Linux, which
 * emulates the register read.
 */
bool pga_arm64_probe_lse(void);

static inline bool arm64_lse(void)
{
#ifdef __ARM_FEATURE_ATOMICS
	return true;
#else
	return __atomic_load_n(&pga_arm64_use_lse, __ATOMIC_RELAXED);
#endif
}

#define PGA_ARM64_LSE ".arch_extension lse\n\t"

/* ---- atomics ---------------------------------------------------------- */

typedef struct {
	int counter;
} pga_atomic_t;
#define pga_atomic_t pga_atomic_t
typedef struct {
	long counter;
} pga_atomic_long_t;
#define pga_atomic_long_t pga_atomic_long_t

/* Fully ordered fetch-and-add of a 32-bit (@w) or 64-bit word. */
static inline uint32_t arm64_fetch_add32(uint32_t *p, uint32_t v)
{
	uint32_t old, tmp, st;

	if (arm64_lse()) {
		__asm__ volatile(PGA_ARM64_LSE "ldaddal %w2, %w0, %1"
				 : "=&r"(old), "+Q"(*p) : "r"(v) : "memory");
		return old;
	}
	__asm__ volatile("1: ldxr %w0, %3\n\t"
			 "add %w1, %w0, %w4\n\t"
			 "stlxr %w2, %w1, %3\n\t"
			 "cbnz %w2, 1b\n\t"
			 "dmb ish"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st), "+Q"(*p)
			 : "r"(v) : "memory");
	return old;
}

static inline uint64_t arm64_fetch_add64(uint64_t *p, uint64_t v)
{
	uint64_t old, tmp;
	uint32_t st;

	if (arm64_lse()) {
		__asm__ volatile(PGA_ARM64_LSE "ldaddal %2, %0, %1"
				 : "=&r"(old), "+Q"(*p) : "r"(v) : "memory");
		return old;
	}
	__asm__ volatile("1: ldxr %0, %3\n\t"
			 "add %1, %0, %4\n\t"
			 "stlxr %w2, %1, %3\n\t"
			 "cbnz %w2, 1b\n\t"
			 "dmb ish"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st), "+Q"(*p)
			 : "r"(v) : "memory");
	return old;
}

static inline int pga_atomic_add_return(pga_atomic_t *a, int v)
{
	return (int)(arm64_fetch_add32((uint32_t *)&a->counter,
				       (uint32_t)v) + (uint32_t)v);
}
#define pga_atomic_add_return pga_atomic_add_return

static inline long pga_atomic_long_add_return(pga_atomic_long_t *a, long v)
{
	return (long)(arm64_fetch_add64((uint64_t *)&a->counter,
					(uint64_t)v) + (uint64_t)v);
}
#define pga_atomic_long_add_return pga_atomic_long_add_return

/* Fully ordered when it succeeds; no ordering when it fails. */
static inline int pga_atomic_cmpxchg(pga_atomic_t *a, int old, int new_v)
{
	int seen = old;
	uint32_t st;

	if (arm64_lse()) {
		__asm__ volatile(PGA_ARM64_LSE "casal %w0, %w2, %1"
				 : "+r"(seen), "+Q"(a->counter) : "r"(new_v)
				 : "memory");
		return seen;
	}
	__asm__ volatile("1: ldxr %w0, %2\n\t"
			 "cmp %w0, %w3\n\t"
			 "b.ne 2f\n\t"
			 "stlxr %w1, %w4, %2\n\t"
			 "cbnz %w1, 1b\n\t"
			 "dmb ish\n"
			 "2:"
			 : "=&r"(seen), "=&r"(st), "+Q"(a->counter)
			 : "r"(old), "r"(new_v) : "memory", "cc");
	return seen;
}
#define pga_atomic_cmpxchg pga_atomic_cmpxchg

/* Statistics: atomic, unordered (STADD, or LDXR/STXR). */
static inline void pga_atomic_long_add_relaxed(pga_atomic_long_t *a, long v)
{
	long tmp;
	uint32_t st;

	if (arm64_lse()) {
		__asm__ volatile(PGA_ARM64_LSE "stadd %1, %0"
				 : "+Q"(a->counter) : "r"(v));
		return;
	}
	__asm__ volatile("1: ldxr %0, %2\n\t"
			 "add %0, %0, %3\n\t"
			 "stxr %w1, %0, %2\n\t"
			 "cbnz %w1, 1b"
			 : "=&r"(tmp), "=&r"(st), "+Q"(a->counter) : "r"(v));
}
#define pga_atomic_long_add_relaxed pga_atomic_long_add_relaxed

/* Barriers between CPUs of the inner-shareable domain. */
static inline void pga_arch_mb(void)
{
	__asm__ volatile("dmb ish" : : : "memory");
}
#define pga_arch_mb pga_arch_mb
static inline void pga_arch_rmb(void)
{
	__asm__ volatile("dmb ishld" : : : "memory");
}
#define pga_arch_rmb pga_arch_rmb
static inline void pga_arch_wmb(void)
{
	__asm__ volatile("dmb ishst" : : : "memory");
}
#define pga_arch_wmb pga_arch_wmb

/* ---- spinlock: pga/arch.h's ticket lock on these primitives ---------- */

static inline uint32_t pga_arch_ticket_take(uint32_t *word)
{
	uint32_t old, tmp, st;

	if (arm64_lse()) {
		__asm__ volatile(PGA_ARM64_LSE "ldadda %w2, %w0, %1"
				 : "=&r"(old), "+Q"(*word)
				 : "r"(1u << 16) : "memory");
		return old;
	}
	__asm__ volatile("1: ldaxr %w0, %3\n\t"
			 "add %w1, %w0, %w4\n\t"
			 "stxr %w2, %w1, %3\n\t"
			 "cbnz %w2, 1b"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st), "+Q"(*word)
			 : "r"(1u << 16) : "memory");
	return old;
}
#define pga_arch_ticket_take pga_arch_ticket_take

/*
 * SEVL primes the first WFE; LDAXRH arms the exclusive monitor, so the
 * unlocker's store to owner sends the event that ends the next WFE.
 */
static inline void pga_arch_ticket_wait(uint16_t *owner, uint16_t me)
{
	uint32_t tmp;

	__asm__ volatile("sevl\n"
			 "1: wfe\n\t"
			 "ldaxrh %w0, %1\n\t"
			 "eor %w0, %w0, %w2\n\t"
			 "cbnz %w0, 1b"
			 : "=&r"(tmp) : "Q"(*owner), "r"((uint32_t)me)
			 : "memory");
}
#define pga_arch_ticket_wait pga_arch_ticket_wait

static inline bool pga_arch_ticket_try(uint32_t *word, uint32_t old)
{
	uint32_t seen = old, st;

	if (arm64_lse()) {
		__asm__ volatile(PGA_ARM64_LSE "casa %w0, %w2, %1"
				 : "+r"(seen), "+Q"(*word)
				 : "r"(old + (1u << 16)) : "memory");
		return seen == old;
	}
	__asm__ volatile("1: ldaxr %w0, %2\n\t"
			 "cmp %w0, %w3\n\t"
			 "b.ne 2f\n\t"
			 "stxr %w1, %w4, %2\n\t"
			 "cbnz %w1, 1b\n"
			 "2:"
			 : "=&r"(seen), "=&r"(st), "+Q"(*word)
			 : "r"(old), "r"(old + (1u << 16)) : "memory", "cc");
	return seen == old;
}
#define pga_arch_ticket_try pga_arch_ticket_try

/* ---- current CPU id: TPIDR_EL1 ------------------------------------------ */

/*
 * The embedder writes each CPU's id (0 .. nr_cpus-1) to TPIDR_EL1 at
 * bring-up (pga_arm64_set_cpu_id).  A kernel that keeps its per-CPU
 * offset there sets struct pga_hooks.cpu_id instead.  EL1 only.
 */
static inline unsigned int pga_arch_cpu_id(void)
{
	unsigned long id;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(id));
	return (unsigned int)id;
}
#define pga_arch_cpu_id pga_arch_cpu_id

static inline void pga_arm64_set_cpu_id(unsigned int id)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"((unsigned long)id));
}

/* ---- page zeroing: DC ZVA ---------------------------------------------- */

/*
 * DCZID_EL0: bit 4 (DZP) forbids DC ZVA, bits 3:0 give the block size
 * as log2 of 4-byte words.  Falls back to memset when forbidden or when
 * the block exceeds a page.
 */
static inline void pga_arch_zero_pages(void *va, size_t bytes)
{
	unsigned long dczid;
	size_t block, off;

	__asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
	block = (size_t)4 << (dczid & 0xf);
	if ((dczid & 0x10) || block > (1UL << PGA_ARCH_PAGE_SHIFT)) {
		__builtin_memset(va, 0, bytes);
		return;
	}
	for (off = 0; off < bytes; off += block)
		__asm__ volatile("dc zva, %0" : : "r"((char *)va + off)
				 : "memory");
}
#define pga_arch_zero_pages pga_arch_zero_pages

/* Kernel page tables: pga/pgtable.h, arch/arm64/pgtable.c and priv.c. */
#define PGA_ARCH_HAS_PGTABLE 1

/*
 * MAIR_EL1 value the page-table format assumes (arch/arm64/pgtable.c):
 * Attr0 Normal write-back RW-allocate, Attr1 Normal non-cacheable,
 * Attr2 Device-nGnRE.  The embedder programs it before enabling the MMU.
 */
#define PGA_ARM64_MAIR 0x00000000000444ffULL

#endif
