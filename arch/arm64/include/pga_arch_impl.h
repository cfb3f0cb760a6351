/* SPDX-License-Identifier: MIT */
/*
 * arm64 arch entries for pga (see include/pga/arch.h for the contract).
 * Kernel code at EL1: interrupts via DAIF, yield in spin loops.  arm64 has
 * no ZONE_DMA by default here; ZONE_DMA32 ends at 4 GiB.
 * Unclaimed entries use the generic fallbacks of pga/arch.h.
 */
#ifndef PGA_ARCH_IMPL_ARM64_H
#define PGA_ARCH_IMPL_ARM64_H

#define PGA_ARCH_PAGE_SHIFT 12
#define PGA_ARCH_CACHE_LINE 64
#define PGA_ARCH_DMA_LIMIT (~(pga_paddr_t)0)
#define PGA_ARCH_DMA32_LIMIT ((pga_paddr_t)4 << 30)

static inline unsigned long pga_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #3"
			 : "=r"(flags) : : "memory");
	return flags;
}
#define pga_arch_irq_save pga_arch_irq_save

static inline void pga_arch_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}
#define pga_arch_irq_restore pga_arch_irq_restore

static inline int pga_arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags) : : "memory");
	return (flags & (1UL << 7)) != 0; /* DAIF.I */
}
#define pga_arch_irqs_disabled pga_arch_irqs_disabled

static inline void pga_arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}
#define pga_arch_cpu_relax pga_arch_cpu_relax

/* Kernel page tables: pga/pgtable.h, arch/arm64/pgtable.c and priv.c. */
#define PGA_ARCH_HAS_PGTABLE 1

/*
 * MAIR_EL1 value the page-table format assumes (arch/arm64/pgtable.c):
 * Attr0 Normal write-back RW-allocate, Attr1 Normal non-cacheable,
 * Attr2 Device-nGnRE.  The embedder programs it before enabling the MMU.
 */
#define PGA_ARM64_MAIR 0x00000000000444ffULL

#endif
