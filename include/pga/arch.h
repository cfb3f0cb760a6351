/* SPDX-License-Identifier: MIT */
/*
 * The arch contract: what a CPU architecture supplies to pga.
 *
 * Each arch has a directory arch/<name>/ whose include/pga_arch_impl.h is
 * found first on the include path.  That header defines what the arch
 * provides and *claims* each optional entry with a self-referencing macro
 * (musl style):
 *
 *	static inline void pga_arch_cpu_relax(void) { __asm__("pause"); }
 *	#define pga_arch_cpu_relax pga_arch_cpu_relax
 *
 * This file then supplies a generic fallback for every entry the arch left
 * unclaimed.  The fallbacks are correct but may be slow or uniprocessor
 * only; each says so.  Entries marked REQUIRED have no fallback.
 *
 * Conventions for every entry: "Context" says where it may be called
 * (any context = also with interrupts off and from interrupt handlers);
 * no entry may sleep or allocate memory.
 *
 * Sections: 1 constants, 2 atomics and barriers, 3 interrupts,
 * 4 spinlocks, 5 CPU id, 6 kernel page tables (see pgtable.h),
 * 7 page zeroing and copying.
 */
#ifndef PGA_ARCH_H
#define PGA_ARCH_H

#include "config.h"
#include "types.h"
#include <pga_arch_impl.h>

/* ---- 1. Constants ------------------------------------------------------ */

/*
 * PGA_ARCH_PAGE_SHIFT: log2 of the base page size.  OPTIONAL, default 12
 * (4 KiB).  pga's formulas (batch sizes, watermarks) assume 4 KiB-like
 * pages, as Linux's do.
 */
#ifndef PGA_ARCH_PAGE_SHIFT
#define PGA_ARCH_PAGE_SHIFT 12
#endif
#define PGA_PAGE_SHIFT PGA_ARCH_PAGE_SHIFT
#define PGA_PAGE_SIZE (1UL << PGA_PAGE_SHIFT)

/* PGA_ARCH_CACHE_LINE: bytes per cache line, for padding.  OPTIONAL, 64. */
#ifndef PGA_ARCH_CACHE_LINE
#define PGA_ARCH_CACHE_LINE 64
#endif

/*
 * Default zone limits (exclusive physical end addresses) used when
 * struct pga_params leaves them at PGA_ZONE_LIMIT_DEFAULT.
 * PGA_ARCH_DMA_LIMIT: end of ZONE_DMA, or PGA_ZONE_LIMIT_NONE for no DMA
 * zone.  PGA_ARCH_DMA32_LIMIT: end of ZONE_DMA32, or PGA_ZONE_LIMIT_NONE.
 * OPTIONAL: default 16 MiB and 4 GiB (the PC layout).
 */
#define PGA_ZONE_LIMIT_DEFAULT ((pga_paddr_t)0)
#define PGA_ZONE_LIMIT_NONE (~(pga_paddr_t)0)
#ifndef PGA_ARCH_DMA_LIMIT
#define PGA_ARCH_DMA_LIMIT ((pga_paddr_t)16 << 20)
#endif
#ifndef PGA_ARCH_DMA32_LIMIT
#define PGA_ARCH_DMA32_LIMIT ((pga_paddr_t)4 << 30)
#endif

_Static_assert(PGA_CONFIG_SECTION_SHIFT >= PGA_ARCH_PAGE_SHIFT +
						   PGA_CONFIG_MAX_ORDER,
	       "a memmap section must hold a whole MAX_ORDER block");

/* ---- 2. Atomics and barriers ------------------------------------------ */

/*
 * pga_atomic_t (int) and pga_atomic_long_t (long): counters and
 * refcounts.  The operations below are fully ordered (sequentially
 * consistent) unless named _relaxed.  OPTIONAL: the fallbacks use the
 * compiler's __atomic builtins, which must expand inline (arm64 needs
 * -mno-outline-atomics for that; arch/arm64/arch.mk sets it).
 * Context: any.
 */
#ifndef pga_atomic_t
typedef struct {
	int counter;
} pga_atomic_t;
#endif
#ifndef pga_atomic_long_t
typedef struct {
	long counter;
} pga_atomic_long_t;
#endif

#ifndef pga_atomic_read
static inline int pga_atomic_read(const pga_atomic_t *a)
{
	return __atomic_load_n(&a->counter, __ATOMIC_RELAXED);
}
#endif
#ifndef pga_atomic_set
static inline void pga_atomic_set(pga_atomic_t *a, int v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_RELAXED);
}
#endif
/* Adds @v and returns the new value. */
#ifndef pga_atomic_add_return
static inline int pga_atomic_add_return(pga_atomic_t *a, int v)
{
	return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST);
}
#endif
/* Sets *a to @new if it held @old; returns the value seen. */
#ifndef pga_atomic_cmpxchg
static inline int pga_atomic_cmpxchg(pga_atomic_t *a, int old, int new_v)
{
	__atomic_compare_exchange_n(&a->counter, &old, new_v, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}
#endif
#ifndef pga_atomic_long_read
static inline long pga_atomic_long_read(const pga_atomic_long_t *a)
{
	return __atomic_load_n(&a->counter, __ATOMIC_RELAXED);
}
#endif
#ifndef pga_atomic_long_set
static inline void pga_atomic_long_set(pga_atomic_long_t *a, long v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_RELAXED);
}
#endif
#ifndef pga_atomic_long_add_return
static inline long pga_atomic_long_add_return(pga_atomic_long_t *a, long v)
{
	return __atomic_add_fetch(&a->counter, v, __ATOMIC_SEQ_CST);
}
#endif
/* Adds @v without ordering other accesses (statistics). */
#ifndef pga_atomic_long_add_relaxed
static inline void pga_atomic_long_add_relaxed(pga_atomic_long_t *a, long v)
{
	__atomic_add_fetch(&a->counter, v, __ATOMIC_RELAXED);
}
#endif

#define pga_atomic_inc_return(a) pga_atomic_add_return((a), 1)
#define pga_atomic_dec_return(a) pga_atomic_add_return((a), -1)

/*
 * pga_arch_mb / _rmb / _wmb: full, read and write memory barriers.
 * pga_arch_cpu_relax: spin-wait hint (pause, yield).  OPTIONAL.
 * Context: any.
 */
#ifndef pga_arch_mb
static inline void pga_arch_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
#endif
#ifndef pga_arch_rmb
static inline void pga_arch_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}
#endif
#ifndef pga_arch_wmb
static inline void pga_arch_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}
#endif
#ifndef pga_arch_cpu_relax
static inline void pga_arch_cpu_relax(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}
#endif

/* ---- 3. Interrupts ----------------------------------------------------- */

/*
 * pga_arch_irq_save(): disable interrupts on this CPU and return a token
 * describing the previous state.  pga_arch_irq_restore(token): put back
 * the state @token describes; tokens nest strictly LIFO.
 * pga_arch_irqs_disabled(): true if interrupts are off on this CPU.
 * REQUIRED.  Context: any.  Bad input: restoring a token out of order is a
 * bug the host backend reports; real hardware simply restores the bits.
 */
#ifndef pga_arch_irq_save
#error "the arch must provide pga_arch_irq_save/restore/irqs_disabled"
#endif

/* ---- 4. Spinlocks ------------------------------------------------------- */

/*
 * pga_arch_spinlock_t: a fair (FIFO) lock; PGA_ARCH_SPINLOCK_INIT its
 * static initialiser.  pga_arch_spin_lock / _unlock / _trylock (true if
 * taken) / _is_locked (true if anyone holds it; used in assertions).
 * The lock does not touch interrupts: callers that need both use
 * pga_arch_irq_save() first.  OPTIONAL: the fallback is a ticket lock on
 * the atomics above.  Context: any; the holder must not sleep.
 * Bad input: recursion or unlocking a lock one does not hold is undefined
 * on hardware; the host backend detects and reports both.
 */
#ifndef pga_arch_spinlock_t
typedef struct {
	unsigned short next;
	unsigned short owner;
} pga_arch_spinlock_t;
#define PGA_ARCH_SPINLOCK_INIT {0, 0}

static inline void pga_arch_spin_init(pga_arch_spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void pga_arch_spin_lock(pga_arch_spinlock_t *l)
{
	unsigned short me =
		__atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		pga_arch_cpu_relax();
}

static inline bool pga_arch_spin_trylock(pga_arch_spinlock_t *l)
{
	/* Acquire pairs with the release in unlock (see arch/host). */
	unsigned short owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	unsigned short expect = owner;

	return __atomic_compare_exchange_n(&l->next, &expect,
					   (unsigned short)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void pga_arch_spin_unlock(pga_arch_spinlock_t *l)
{
	unsigned short owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->owner, (unsigned short)(owner + 1),
			 __ATOMIC_RELEASE);
}

static inline bool pga_arch_spin_is_locked(pga_arch_spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}
#endif

/* ---- 5. Current CPU id ------------------------------------------------- */

/*
 * pga_arch_cpu_id(): the id (0 .. nr_cpus-1) of the CPU running the
 * caller.  The caller has interrupts off or is otherwise pinned.
 * OPTIONAL: the fallback returns 0 (uniprocessor).  An embedder with its
 * own numbering sets struct pga_hooks.cpu_id, which wins over this entry.
 * Context: any.
 */
#ifndef pga_arch_cpu_id
static inline unsigned int pga_arch_cpu_id(void)
{
	return 0;
}
#endif

/* ---- 6. Kernel page tables --------------------------------------------- */

/*
 * Map, unmap, protect and query kernel virtual ranges (direct map,
 * debug_pagealloc).  OPTIONAL: an arch without page-table support leaves
 * PGA_ARCH_HAS_PGTABLE undefined; pga then never asks for (un)mapping and
 * reports -PGA_ENOSYS to callers who request it.  The interface itself is
 * declared in pga/pgtable.h.
 */

/* ---- 7. Page zeroing and copying --------------------------------------- */

/*
 * pga_arch_zero_pages(va, bytes): zero @bytes (a multiple of the page
 * size) at the page-aligned kernel address @va.  pga_arch_copy_page(dst,
 * src): copy one page.  OPTIONAL: the fallbacks call memset / memcpy.
 * Context: any.
 */
#ifndef pga_arch_zero_pages
static inline void pga_arch_zero_pages(void *va, size_t bytes)
{
	__builtin_memset(va, 0, bytes);
}
#endif
#ifndef pga_arch_copy_page
static inline void pga_arch_copy_page(void *dst, const void *src)
{
	__builtin_memcpy(dst, src, PGA_PAGE_SIZE);
}
#endif

#endif /* PGA_ARCH_H */
