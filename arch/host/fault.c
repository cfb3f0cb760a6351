/* SPDX-License-Identifier: MIT */
/* Host backend: reporting of misuse the backend detects. */
#include <stdio.h>
#include <stdlib.h>

#include "pga_host.h"
#include "host_internal.h"

static void default_fault(const char *msg)
{
	fprintf(stderr, "pga host backend: %s\n", msg);
	abort();
}

static pga_host_fault_fn fault_fn = default_fault;

pga_host_fault_fn pga_host_set_fault_handler(pga_host_fault_fn fn)
{
	pga_host_fault_fn old = fault_fn;

	fault_fn = fn ? fn : default_fault;
	return old;
}

void host_fault(const char *msg)
{
	fault_fn(msg);
}
