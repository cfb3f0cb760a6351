/* SPDX-License-Identifier: MIT */
/* Host backend: per-thread CPU id and thread identity. */
#include "pga_host.h"
#include "host_internal.h"

static _Thread_local unsigned int this_cpu;
static _Thread_local int token;
static int next_token;

void pga_host_set_cpu(unsigned int cpu)
{
	this_cpu = cpu;
}

unsigned int pga_arch_cpu_id(void)
{
	return this_cpu;
}

int host_thread_token(void)
{
	if (!token)
		token = __atomic_add_fetch(&next_token, 1, __ATOMIC_RELAXED);
	return token;
}
