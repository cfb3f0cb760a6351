/* SPDX-License-Identifier: MIT */
/*
 * x86_64 arch entries for pga (see include/pga/arch.h for the contract).
 * Kernel code: interrupts via pushf/cli/popf, pause in spin loops.
 * Unclaimed entries use the generic fallbacks of pga/arch.h.
 */
#ifndef PGA_ARCH_IMPL_X86_64_H
#define PGA_ARCH_IMPL_X86_64_H

#define PGA_ARCH_PAGE_SHIFT 12
#define PGA_ARCH_CACHE_LINE 64
#define PGA_ARCH_DMA_LIMIT ((pga_paddr_t)16 << 20)
#define PGA_ARCH_DMA32_LIMIT ((pga_paddr_t)4 << 30)

static inline unsigned long pga_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}
#define pga_arch_irq_save pga_arch_irq_save

static inline void pga_arch_irq_restore(unsigned long flags)
{
	__asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}
#define pga_arch_irq_restore pga_arch_irq_restore

static inline int pga_arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
	return !(flags & (1UL << 9)); /* RFLAGS.IF */
}
#define pga_arch_irqs_disabled pga_arch_irqs_disabled

static inline void pga_arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}
#define pga_arch_cpu_relax pga_arch_cpu_relax

/* Kernel page tables: pga/pgtable.h, arch/x86_64/pgtable.c and priv.c. */
#define PGA_ARCH_HAS_PGTABLE 1

#endif
