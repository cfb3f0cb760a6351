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

#endif
