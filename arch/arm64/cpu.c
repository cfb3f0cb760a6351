/* SPDX-License-Identifier: MIT */
/* arm64: the run-time choice between LSE and LL/SC atomics. */
#include <pga/arch.h>

/* See pga_arch_impl.h: false until pga_arm64_probe_lse() finds LSE. */
bool pga_arm64_use_lse;

/*
 * See pga_arch_impl.h.  ID_AA64ISAR0_EL1.Atomic (bits 23:20) is 2 or more
 * when LDADD, CAS and friends exist.
 */
bool pga_arm64_probe_lse(void)
{
	unsigned long isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	pga_arm64_use_lse = ((isar0 >> 20) & 0xf) >= 2;
	return pga_arm64_use_lse;
}
