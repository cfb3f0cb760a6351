/* SPDX-License-Identifier: MIT */
/*
 * Host backend: a checked ticket lock.  It records its holder so recursion
 * and unlock by a non-owner are reported, and counts acquisitions so tests
 * can prove a path took no lock.  The PGA_HOST_FAST_LOCKS build (for
 * benchmarks) replaces it with an inline unchecked ticket lock in
 * pga_arch_impl.h that still counts acquisitions.
 */
#include <sched.h>

#include "pga_host.h"
#include "host_internal.h"

#ifndef PGA_HOST_FAST_LOCKS

void pga_arch_spin_init(pga_arch_spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
	l->holder = 0;
	l->acquisitions = 0;
}

static void took(pga_arch_spinlock_t *l)
{
	__atomic_store_n(&l->holder, host_thread_token(), __ATOMIC_RELAXED);
	__atomic_add_fetch(&l->acquisitions, 1, __ATOMIC_RELAXED);
}

void pga_arch_spin_lock(pga_arch_spinlock_t *l)
{
	unsigned int me;
	unsigned int spins = 0;

	if (__atomic_load_n(&l->holder, __ATOMIC_RELAXED) ==
	    host_thread_token()) {
		host_fault("spinlock recursion");
		return;
	}
	me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me) {
		if (++spins % 64 == 0)
			sched_yield(); /* host threads may be descheduled */
	}
	took(l);
}

bool pga_arch_spin_trylock(pga_arch_spinlock_t *l)
{
	/*
	 * Acquire on owner pairs with the release in unlock: that store, not
	 * the earlier fetch_add on next, publishes the previous holder's
	 * critical section to us.
	 */
	unsigned int owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	unsigned int expect = owner;

	if (!__atomic_compare_exchange_n(&l->next, &expect, owner + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	took(l);
	return true;
}

void pga_arch_spin_unlock(pga_arch_spinlock_t *l)
{
	if (__atomic_load_n(&l->holder, __ATOMIC_RELAXED) !=
	    host_thread_token()) {
		host_fault("spinlock unlocked by a thread that does not hold it");
		return;
	}
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner,
			 __atomic_load_n(&l->owner, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELEASE);
}

bool pga_arch_spin_is_locked(pga_arch_spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

#endif /* !PGA_HOST_FAST_LOCKS */

unsigned long pga_host_lock_acquisitions(const pga_arch_spinlock_t *l)
{
	return __atomic_load_n(&l->acquisitions, __ATOMIC_RELAXED);
}
