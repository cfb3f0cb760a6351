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
 * pga_arch_irq_save() first.  Context: any; the holder must not sleep.
 * Bad input: recursion or unlocking a lock one does not hold is undefined
 * on hardware; the host backend detects and reports both.
 *
 * OPTIONAL.  An arch either claims pga_arch_spinlock_t and supplies the
 * whole lock (the host backend does), or takes the ticket lock below and
 * may claim its three primitives, which work on the 32-bit lock word
 * (next ticket in the high half, ticket being served in the low half):
 *   pga_arch_ticket_take(word): add 1 << 16, acquire; return the old word.
 *   pga_arch_ticket_wait(owner, me): spin until *owner == me, acquire.
 *   pga_arch_ticket_try(word, old): replace @old by @old + (1 << 16) if
 *	the word still holds it, acquire; true on success.
 * The fallbacks use the compiler's __atomic builtins and cpu_relax.
 */
#ifndef pga_arch_spinlock_t
typedef union {
	uint32_t val;
	struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		uint16_t owner; /* ticket being served */
		uint16_t next;	/* next ticket to hand out */
#else
		uint16_t next;
		uint16_t owner;
#endif
	} t;
} pga_arch_spinlock_t;
#define PGA_ARCH_SPINLOCK_INIT {0}
#define PGA_ARCH_TICKET (1u << 16)

#ifndef pga_arch_ticket_take
static inline uint32_t pga_arch_ticket_take(uint32_t *word)
{
	return __atomic_fetch_add(word, PGA_ARCH_TICKET, __ATOMIC_ACQUIRE);
}
#endif
#ifndef pga_arch_ticket_wait
static inline void pga_arch_ticket_wait(uint16_t *owner, uint16_t me)
{
	while (__atomic_load_n(owner, __ATOMIC_ACQUIRE) != me)
		pga_arch_cpu_relax();
}
#endif
#ifndef pga_arch_ticket_try
static inline bool pga_arch_ticket_try(uint32_t *word, uint32_t old)
{
	return __atomic_compare_exchange_n(word, &old, old + PGA_ARCH_TICKET,
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}
#endif

static inline void pga_arch_spin_init(pga_arch_spinlock_t *l)
{
	__atomic_store_n(&l->val, 0, __ATOMIC_RELAXED);
}

static inline void pga_arch_spin_lock(pga_arch_spinlock_t *l)
{
	uint32_t old = pga_arch_ticket_take(&l->val);
	uint16_t me = (uint16_t)(old >> 16);

	if ((uint16_t)old != me)
		pga_arch_ticket_wait(&l->t.owner, me);
}

static inline bool pga_arch_spin_trylock(pga_arch_spinlock_t *l)
{
	uint32_t old = __atomic_load_n(&l->val, __ATOMIC_RELAXED);

	if ((uint16_t)old != (uint16_t)(old >> 16))
		return false;
	return pga_arch_ticket_try(&l->val, old);
}

/* Only the holder writes owner: a release store of owner + 1. */
static inline void pga_arch_spin_unlock(pga_arch_spinlock_t *l)
{
	uint16_t owner = __atomic_load_n(&l->t.owner, __ATOMIC_RELAXED);

	__atomic_store_n(&l->t.owner, (uint16_t)(owner + 1), __ATOMIC_RELEASE);
}

static inline bool pga_arch_spin_is_locked(pga_arch_spinlock_t *l)
{
	uint32_t v = __atomic_load_n(&l->val, __ATOMIC_RELAXED);

	return (uint16_t)v != (uint16_t)(v >> 16);
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
 * debug_pagealloc, later vmalloc): the API is pga/pgtable.h.  OPTIONAL:
 * an arch that implements it defines PGA_ARCH_HAS_PGTABLE (x86_64 and
 * arm64 do); without it, pga/pgtable.h is not available on that arch.
 *
 * An arch with a 4-level, 512-entry, 4 KiB / 2 MiB / 1 GiB radix format
 * reuses the generic walker (arch/common/pgtable.c) and supplies:
 * - arch/<arch>/pgtable.c: the descriptor format (pga_fmt_* in
 *   arch/common/pgtable_fmt.h): pure C, no privileged instruction, so
 *   the host unit tests build and check it bit by bit;
 * - arch/<arch>/priv.c: the privileged operations (pga_arch_pt_sync,
 *   _flush, _flush_all, _activate), which host tests replace with a
 *   recording stub.  Context: any, interrupts off, called with the
 *   table's lock held; they must not allocate.
 * x86_64: no break-before-make; INVLPG per changed entry, a CR4.PGE
 * toggle (or CR3 reload) for long batches; remote CPUs through the
 * embedder's shootdown callback.  arm64: break-before-make when the
 * output address, shape, memory type or nG of a live entry changes;
 * TLBI VAAE1IS / VMALLE1IS between DSB ISHST and DSB ISH + ISB
 * (broadcast, no shootdown needed).
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
