/* SPDX-License-Identifier: MIT */
/* Host backend: per-thread CPU id and thread identity. */
#include "pga_host.h"
#include "host_internal.h"

/* Read inline by the PGA_HOST_FAST_LOCKS build. */
_Thread_local unsigned int pga_host_tls_cpu;
static _Thread_local int token;
static int next_token;

void pga_host_set_cpu(unsigned int cpu)
{
	pga_host_tls_cpu = cpu;
}

#ifndef PGA_HOST_FAST_LOCKS
unsigned int pga_arch_cpu_id(void)
{
	return pga_host_tls_cpu;
}
#endif

int host_thread_token(void)
{
	if (!token)
		token = __atomic_add_fetch(&next_token, 1, __ATOMIC_RELAXED);
	return token;
}
