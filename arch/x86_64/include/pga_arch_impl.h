/* SPDX-License-Identifier: MIT */
/*
 * x86_64 arch entries for pga (see include/pga/arch.h for the contract).
 * Kernel code: interrupts via pushf/cli/popf, pause in spin loops,
 * lock-prefixed atomics, a ticket spinlock, the CPU id from the per-CPU
 * area at GS (or TSC_AUX, see below), rep stosb / rep movsb for pages.
 * Everything here but the interrupt and CPU-id entries also runs in user
 * space, which is how tests/arch checks it on the build machine.
 */
#ifndef PGA_ARCH_IMPL_X86_64_H
#define PGA_ARCH_IMPL_X86_64_H

#define PGA_ARCH_PAGE_SHIFT 12
#define PGA_ARCH_CACHE_LINE 64
#define PGA_ARCH_DMA_LIMIT ((pga_paddr_t)16 << 20)
#define PGA_ARCH_DMA32_LIMIT ((pga_paddr_t)4 << 30)

static inline unsigned long pga_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}
#define pga_arch_irq_save pga_arch_irq_save

static inline void pga_arch_irq_restore(unsigned long flags)
{
	__asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}
#define pga_arch_irq_restore pga_arch_irq_restore

static inline int pga_arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
	return !(flags & (1UL << 9)); /* RFLAGS.IF */
}
#define pga_arch_irqs_disabled pga_arch_irqs_disabled

static inline void pga_arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}
#define pga_arch_cpu_relax pga_arch_cpu_relax

/* ---- atomics: lock xadd / lock cmpxchg are full barriers ---------------- */

typedef struct {
	int counter;
} pga_atomic_t;
#define pga_atomic_t pga_atomic_t
typedef struct {
	long counter;
} pga_atomic_long_t;
#define pga_atomic_long_t pga_atomic_long_t

static inline int pga_atomic_add_return(pga_atomic_t *a, int v)
{
	int old = v;

	__asm__ volatile("lock xaddl %0, %1"
			 : "+r"(old), "+m"(a->counter) : : "memory", "cc");
	return old + v;
}
#define pga_atomic_add_return pga_atomic_add_return

static inline int pga_atomic_cmpxchg(pga_atomic_t *a, int old, int new_v)
{
	__asm__ volatile("lock cmpxchgl %2, %1"
			 : "+a"(old), "+m"(a->counter)
			 : "r"(new_v) : "memory", "cc");
	return old;
}
#define pga_atomic_cmpxchg pga_atomic_cmpxchg

static inline long pga_atomic_long_add_return(pga_atomic_long_t *a, long v)
{
	long old = v;

	__asm__ volatile("lock xaddq %0, %1"
			 : "+r"(old), "+m"(a->counter) : : "memory", "cc");
	return old + v;
}
#define pga_atomic_long_add_return pga_atomic_long_add_return

/* Statistics: atomic but no compiler barrier for other accesses. */
static inline void pga_atomic_long_add_relaxed(pga_atomic_long_t *a, long v)
{
	__asm__ volatile("lock addq %1, %0" : "+m"(a->counter) : "er"(v)
			 : "cc");
}
#define pga_atomic_long_add_relaxed pga_atomic_long_add_relaxed

/*
 * Mandatory barriers (also order against device memory and
 * write-combining); pga's own CPU-to-CPU ordering would need only the
 * compiler barrier for rmb/wmb under x86's TSO.
 */
static inline void pga_arch_mb(void)
{
	__asm__ volatile("mfence" : : : "memory");
}
#define pga_arch_mb pga_arch_mb
static inline void pga_arch_rmb(void)
{
	__asm__ volatile("lfence" : : : "memory");
}
#define pga_arch_rmb pga_arch_rmb
static inline void pga_arch_wmb(void)
{
	__asm__ volatile("sfence" : : : "memory");
}
#define pga_arch_wmb pga_arch_wmb

/* ---- spinlock: pga/arch.h's ticket lock on lock xadd / lock cmpxchg --- */

static inline uint32_t pga_arch_ticket_take(uint32_t *word)
{
	uint32_t old = 1u << 16;

	__asm__ volatile("lock xaddl %0, %1"
			 : "+r"(old), "+m"(*word) : : "memory", "cc");
	return old;
}
#define pga_arch_ticket_take pga_arch_ticket_take

static inline bool pga_arch_ticket_try(uint32_t *word, uint32_t old)
{
	uint32_t seen = old;

	__asm__ volatile("lock cmpxchgl %2, %1"
			 : "+a"(seen), "+m"(*word)
			 : "r"(old + (1u << 16)) : "memory", "cc");
	return seen == old;
}
#define pga_arch_ticket_try pga_arch_ticket_try
/* Waiting: the generic loop of acquire loads and pause. */

/* ---- current CPU id ------------------------------------------------------ */

/*
 * Default: the embedder points IA32_GS_BASE (MSR 0xc0000101) of each CPU
 * at a per-CPU area holding that CPU's id as a 32-bit value at offset
 * PGA_X86_64_CPU_ID_OFFSET (default 0).  Build with
 * -DPGA_X86_64_CPU_ID_TSC_AUX=1 to read it from IA32_TSC_AUX (MSR
 * 0xc0000103, low 12 bits, Linux's layout) with RDTSCP instead.  Either
 * way struct pga_hooks.cpu_id overrides it.  Ring 0 setup required.
 */
#ifndef PGA_X86_64_CPU_ID_OFFSET
#define PGA_X86_64_CPU_ID_OFFSET 0
#endif
#ifndef PGA_X86_64_CPU_ID_TSC_AUX
#define PGA_X86_64_CPU_ID_TSC_AUX 0
#endif

static inline unsigned int pga_arch_cpu_id(void)
{
	unsigned int id, lo, hi;

	if (PGA_X86_64_CPU_ID_TSC_AUX) {
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(id));
		return id & 0xfff;
	}
	__asm__ volatile("movl %%gs:%c1, %0"
			 : "=r"(id) : "i"(PGA_X86_64_CPU_ID_OFFSET));
	return id;
}
#define pga_arch_cpu_id pga_arch_cpu_id

/* ---- pages: fast string operations (ERMS) -------------------------------- */

static inline void pga_arch_zero_pages(void *va, size_t bytes)
{
	__asm__ volatile("rep stosb"
			 : "+D"(va), "+c"(bytes) : "a"(0) : "memory");
}
#define pga_arch_zero_pages pga_arch_zero_pages

static inline void pga_arch_copy_page(void *dst, const void *src)
{
	size_t n = 1UL << PGA_ARCH_PAGE_SHIFT;

	__asm__ volatile("rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
#define pga_arch_copy_page pga_arch_copy_page

/* Kernel page tables: pga/pgtable.h, arch/x86_64/pgtable.c and priv.c. */
#define PGA_ARCH_HAS_PGTABLE 1

#endif
