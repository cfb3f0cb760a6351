/* SPDX-License-Identifier: MIT */
/*
 * Test kernels booted under QEMU (tests/boot/<arch>): the common part
 * (main.c: page tables, pga_init, SMP stress, checks) and what each arch
 * directory supplies (start.S, arch.c).
 */
#ifndef PGA_BOOT_H
#define PGA_BOOT_H

#include <stdarg.h>

#include <pga.h>
#include <pga/pgtable.h>

#define BOOT_CPUS 4
#define BOOT_STACK_SIZE 16384

/* How many stress iterations each CPU runs (about two seconds in TCG). */
#ifndef BOOT_OPS
#define BOOT_OPS 60000
#endif
/* 1: leak one page at the end, so the conservation check must fail. */
#ifndef BOOT_CORRUPT
#define BOOT_CORRUPT 0
#endif

/* ---- from the arch (tests/boot/<arch>/arch.c) ---------------------------- */

/* Where the direct map starts. */
extern const uintptr_t boot_direct_map;
/* Write one character to the serial port. */
void arch_putc(char c);
/* A free-running counter and its rate, for reports. */
uint64_t arch_ticks(void);
uint64_t arch_ticks_per_sec(void);
/* End the machine; the PASS/FAIL line has been printed. */
_Noreturn void arch_exit(bool pass);
/* Fill @ram with the usable RAM from the boot memory map; return count. */
int arch_memory_map(struct pga_mem_range *ram, int max);
/* Physical ranges pga must not hand out besides the kernel image. */
int arch_reserved(struct pga_mem_range *res, int max);
/* Device mappings the kernel needs once paging switches. */
int arch_map_boot(struct pga_pgtable *pt);
/* Install @pt on this CPU (and set up what the MMU needs). */
void arch_mmu_on(struct pga_pgtable *pt);
/* Start CPUs 1 .. n-1; each ends up in boot_secondary(cpu). */
void arch_start_cpus(unsigned int n, struct pga_pgtable *pt);
/* Per-CPU set-up on the CPU itself (exceptions, CPU id). */
void arch_cpu_setup(unsigned int cpu);
/*
 * Read a byte at @p.  Return: 0, or 1 if it faulted; the fault handler
 * then stored the faulting address in boot_fault_addr.
 */
int arch_probe_read(const volatile void *p);

/* ---- common (main.c, lib.c) --------------------------------------------- */

extern volatile uintptr_t boot_fault_addr;
extern char _kernel_start[], _kernel_end[];

/* BSP entry after the arch's early start (stack, BSS cleared). */
_Noreturn void boot_main(void);
/* Entry of CPU @cpu once it runs C with the final page tables. */
_Noreturn void boot_secondary(unsigned int cpu);
/* Report an unexpected exception and fail. */
_Noreturn void boot_unexpected(const char *what, uint64_t a, uint64_t b,
			       uint64_t c);

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
