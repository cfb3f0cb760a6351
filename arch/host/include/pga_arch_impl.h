/* SPDX-License-Identifier: MIT */
/*
 * Host (Linux user space) backend: the arch contract of include/pga/arch.h
 * implemented for unit tests.  Host threads play CPUs.  The spinlock is
 * checked (owner, recursion, unlock by a non-owner) and counts its
 * acquisitions; the interrupt state is a per-thread counter that checks
 * save/restore nesting; the CPU id is set per thread by the test.
 * Test-only controls are declared in pga_host.h.
 */
#ifndef PGA_ARCH_IMPL_HOST_H
#define PGA_ARCH_IMPL_HOST_H

#include <stdbool.h>

#define PGA_ARCH_PAGE_SHIFT 12
#define PGA_ARCH_CACHE_LINE 64
#define PGA_ARCH_DMA_LIMIT ((pga_paddr_t)16 << 20)
#define PGA_ARCH_DMA32_LIMIT ((pga_paddr_t)4 << 30)

#ifndef PGA_HOST_FAST_LOCKS
/* Interrupt state: see arch/host/irq.c. */
unsigned long pga_arch_irq_save(void);
#define pga_arch_irq_save pga_arch_irq_save
void pga_arch_irq_restore(unsigned long token);
#define pga_arch_irq_restore pga_arch_irq_restore
int pga_arch_irqs_disabled(void);
#define pga_arch_irqs_disabled pga_arch_irqs_disabled

/* Checked ticket lock: see arch/host/spinlock.c. */
typedef struct {
	unsigned int next;
	unsigned int owner;
	int holder;		     /* host thread token of the holder, or 0 */
	unsigned long acquisitions;  /* successful lock + trylock calls */
} pga_arch_spinlock_t;
#define pga_arch_spinlock_t pga_arch_spinlock_t
#define PGA_ARCH_SPINLOCK_INIT {0, 0, 0, 0}

void pga_arch_spin_init(pga_arch_spinlock_t *l);
void pga_arch_spin_lock(pga_arch_spinlock_t *l);
bool pga_arch_spin_trylock(pga_arch_spinlock_t *l);
void pga_arch_spin_unlock(pga_arch_spinlock_t *l);
bool pga_arch_spin_is_locked(pga_arch_spinlock_t *l);

/* The CPU id the calling thread set with pga_host_set_cpu(). */
unsigned int pga_arch_cpu_id(void);
#define pga_arch_cpu_id pga_arch_cpu_id

#else /* PGA_HOST_FAST_LOCKS */
/*
 * Benchmark build: the same interface, inline.  A plain ticket lock that
 * still counts acquisitions (under the lock, so without an atomic), an
 * interrupt-depth counter and the CPU id in thread-local variables.  No
 * recursion or owner checks: unit tests use the checked build.
 */
#include <sched.h>

extern _Thread_local unsigned int pga_host_tls_irq_depth;
extern _Thread_local unsigned int pga_host_tls_cpu;

static inline unsigned long pga_arch_irq_save(void)
{
	return ++pga_host_tls_irq_depth;
}
#define pga_arch_irq_save pga_arch_irq_save
static inline void pga_arch_irq_restore(unsigned long token)
{
	(void)token;
	pga_host_tls_irq_depth--;
}
#define pga_arch_irq_restore pga_arch_irq_restore
static inline int pga_arch_irqs_disabled(void)
{
	return pga_host_tls_irq_depth != 0;
}
#define pga_arch_irqs_disabled pga_arch_irqs_disabled

typedef struct {
	unsigned int next;
	unsigned int owner;
	unsigned long acquisitions;
} pga_arch_spinlock_t;
#define pga_arch_spinlock_t pga_arch_spinlock_t
#define PGA_ARCH_SPINLOCK_INIT {0, 0, 0}

static inline void pga_arch_spin_init(pga_arch_spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
	l->acquisitions = 0;
}
static inline void pga_arch_spin_lock(pga_arch_spinlock_t *l)
{
	unsigned int me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	unsigned int spins = 0;

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#elif defined(__aarch64__)
		__asm__ __volatile__("yield");
#endif
		if (++spins % 1024 == 0)
			sched_yield();
	}
	l->acquisitions++;
}
static inline bool pga_arch_spin_trylock(pga_arch_spinlock_t *l)
{
	unsigned int owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	unsigned int expect = owner;

	if (!__atomic_compare_exchange_n(&l->next, &expect, owner + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	l->acquisitions++;
	return true;
}
static inline void pga_arch_spin_unlock(pga_arch_spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}
static inline bool pga_arch_spin_is_locked(pga_arch_spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline unsigned int pga_arch_cpu_id(void)
{
	return pga_host_tls_cpu;
}
#define pga_arch_cpu_id pga_arch_cpu_id
#endif /* PGA_HOST_FAST_LOCKS */
#endif
