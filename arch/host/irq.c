/* SPDX-License-Identifier: MIT */
/*
 * Host backend: interrupt state as a per-thread counter.  A token encodes
 * the nesting depth at save time, so a restore out of LIFO order is caught
 * (the PGA_HOST_FAST_LOCKS build inlines an unchecked counter instead).
 */
#include "pga_host.h"
#include "host_internal.h"

_Thread_local unsigned int pga_host_tls_irq_depth;

#ifndef PGA_HOST_FAST_LOCKS
unsigned long pga_arch_irq_save(void)
{
	return ++pga_host_tls_irq_depth;
}

void pga_arch_irq_restore(unsigned long token)
{
	if (token != pga_host_tls_irq_depth || pga_host_tls_irq_depth == 0) {
		host_fault("irq restore out of order");
		return;
	}
	pga_host_tls_irq_depth--;
}

int pga_arch_irqs_disabled(void)
{
	return pga_host_tls_irq_depth != 0;
}
#endif

unsigned int pga_host_irq_depth(void)
{
	return pga_host_tls_irq_depth;
}
