/* SPDX-License-Identifier: MIT */
/*
 * Host backend: interrupt state as a per-thread counter.  A token encodes
 * the nesting depth at save time, so a restore out of LIFO order is caught.
 */
#include "pga_host.h"
#include "host_internal.h"

static _Thread_local unsigned int depth;

unsigned long pga_arch_irq_save(void)
{
	return ++depth;
}

void pga_arch_irq_restore(unsigned long token)
{
	if (token != depth || depth == 0) {
		host_fault("irq restore out of order");
		return;
	}
	depth--;
}

int pga_arch_irqs_disabled(void)
{
	return depth != 0;
}

unsigned int pga_host_irq_depth(void)
{
	return depth;
}
