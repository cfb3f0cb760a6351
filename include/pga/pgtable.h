/* SPDX-License-Identifier: MIT */
/*
 * Kernel page tables: map, unmap, protect and query virtual ranges.
 *
 * Provided by arches that claim PGA_ARCH_HAS_PGTABLE (x86_64, arm64); the
 * host backend has none.  Both formats are 4-level radix trees of 512
 * eight-byte entries with 4 KiB pages and 2 MiB / 1 GiB large entries:
 * x86_64 4-level paging (PML4, PDPT, PD, PT) and arm64 4 KiB granule,
 * 48-bit VA stage-1 tables (L0 .. L3).
 *
 * What a call does:
 * - map places the largest entries the alignment of @va and @pa allows
 *   (1 GiB, 2 MiB, else 4 KiB) and replaces whatever was mapped there;
 * - unmap and protect split a large entry that the range covers only in
 *   part into entries of the next size down (recursively);
 * - every change to an entry the TLB may hold is followed by the
 *   invalidation the architecture requires (x86_64 invlpg or a full flush
 *   for long batches; arm64 break-before-make, TLBI + DSB + ISB).
 * Tables are never freed: a split is never undone and an emptied table
 * stays in place (as Linux's kernel direct map).
 *
 * Table pages come from pt->alloc_table, which may be the boot pool of
 * the embedder or pga itself (pga_pgtable_alloc_page).  The code reaches
 * a table at physical address pa through the virtual address
 * pa + pt->table_offset, so table pages must be mapped that way whenever
 * the tables are changed (identity, 0, before paging is set up; the
 * direct map offset afterwards).
 *
 * Locking: each call takes pt->lock with interrupts off, so calls on the
 * same tables may come from several CPUs.  alloc_table is called under
 * that lock and must not sleep.
 */
#ifndef PGA_PGTABLE_H
#define PGA_PGTABLE_H

#include "arch.h"
#include "types.h"

/*
 * Protection bits.  PGA_PROT_READ is required in every mapping (neither
 * format can express write- or execute-only kernel pages).  Without
 * PGA_PROT_GLOBAL the entry is tagged with the address space (x86_64 G
 * clear, arm64 nG set).  NOCACHE is uncached normal memory
 * (x86_64 UC- via PCD; arm64 Normal non-cacheable); DEVICE is strongly
 * ordered device memory (x86_64 UC via PCD|PWT; arm64 Device-nGnRE) and
 * wins over NOCACHE.
 */
#define PGA_PROT_READ 0x01u
#define PGA_PROT_WRITE 0x02u
#define PGA_PROT_EXEC 0x04u
#define PGA_PROT_USER 0x08u
#define PGA_PROT_GLOBAL 0x10u
#define PGA_PROT_NOCACHE 0x20u
#define PGA_PROT_DEVICE 0x40u
#define PGA_PROT_ALL 0x7fu

/* Common kernel combinations. */
#define PGA_PROT_KERNEL (PGA_PROT_READ | PGA_PROT_WRITE | PGA_PROT_GLOBAL)
#define PGA_PROT_KERNEL_RO (PGA_PROT_READ | PGA_PROT_GLOBAL)
#define PGA_PROT_KERNEL_EXEC (PGA_PROT_READ | PGA_PROT_EXEC | PGA_PROT_GLOBAL)
#define PGA_PROT_KERNEL_RWX (PGA_PROT_KERNEL | PGA_PROT_EXEC)

/* Entry sizes the formats support. */
#define PGA_PT_SIZE_4K ((size_t)1 << 12)
#define PGA_PT_SIZE_2M ((size_t)1 << 21)
#define PGA_PT_SIZE_1G ((size_t)1 << 30)

/* What alloc_table returns when it has no page. */
#define PGA_PT_NO_TABLE (~(pga_paddr_t)0)

/* pt->flags: never use 1 GiB entries (x86_64 CPUs without PDPE1GB). */
#define PGA_PT_NO_1G 0x1u

struct pga_pgtable {
	/* Physical address of the top-level table (set by pga_pgtable_init). */
	pga_paddr_t root;
	/* Tables are accessed at physical address + table_offset. */
	uintptr_t table_offset;
	/*
	 * One 4 KiB page for a table, or PGA_PT_NO_TABLE.  The page need not
	 * be zeroed.  Called with pt->lock held: must not sleep.
	 */
	pga_paddr_t (*alloc_table)(void *ctx);
	/*
	 * Invalidate [@va, @last] on the other CPUs after a change, for
	 * arches whose TLB invalidation is CPU-local (x86_64: send an IPI
	 * that runs invlpg or a full flush).  arm64's TLBI is broadcast, so
	 * leave it NULL there.  NULL: only the calling CPU is invalidated.
	 * Called with pt->lock held and interrupts off.
	 */
	void (*shootdown)(void *ctx, uintptr_t va, uintptr_t last);
	void *ctx;
	unsigned int flags;	/* PGA_PT_* */
	/*
	 * True once the tables may be in use by a CPU (pga_pgtable_activate
	 * sets it; an embedder that installs the root itself sets it too).
	 * Before that no TLB maintenance is done.
	 */
	bool live;
	pga_arch_spinlock_t lock;
};

/* What pga_pgtable_query found at an address. */
struct pga_pt_mapping {
	uintptr_t va;		/* start of the entry that maps it */
	size_t size;		/* PGA_PT_SIZE_4K, _2M or _1G */
	pga_paddr_t phys;	/* physical address of va (the entry start) */
	unsigned int prot;	/* PGA_PROT_* */
};

/*
 * Prepare @pt: the caller has filled alloc_table, ctx, table_offset and
 * flags (other fields zero); this allocates and clears the root table.
 * Return: 0 or -PGA_ENOMEM.  Context: any, not concurrently with other
 * calls on @pt.
 */
int pga_pgtable_init(struct pga_pgtable *pt);

/*
 * Map [@va, @va + @size) to [@pa, @pa + @size) with @prot, replacing any
 * previous mapping of the range.
 * Return: 0; -PGA_EINVAL for a size of 0, an address or size not 4 KiB
 * aligned, a range the format cannot translate (non-canonical, crossing
 * into the other half, past the physical address width) or @prot without
 * PGA_PROT_READ or with unknown bits; -PGA_ENOMEM if a table page could
 * not be had (the range is then partly mapped).  Context: any (takes
 * pt->lock with interrupts off); must not be called from alloc_table.
 */
int pga_pgtable_map(struct pga_pgtable *pt, uintptr_t va, pga_paddr_t pa,
		    size_t size, unsigned int prot);

/*
 * Remove every mapping in [@va, @va + @size); holes are skipped.
 * Return: 0, -PGA_EINVAL as for map, -PGA_ENOMEM if a split needed a
 * table page it could not have.  Context: as pga_pgtable_map.
 */
int pga_pgtable_unmap(struct pga_pgtable *pt, uintptr_t va, size_t size);

/*
 * Change the protection of the mapped range [@va, @va + @size) to @prot,
 * keeping the physical addresses.
 * Return: 0, -PGA_EINVAL as for map or if any page of the range is not
 * mapped (nothing is changed then), -PGA_ENOMEM as for unmap.
 * Context: as pga_pgtable_map.
 */
int pga_pgtable_protect(struct pga_pgtable *pt, uintptr_t va, size_t size,
			unsigned int prot);

/*
 * Look up @va.  Return: true and *@m filled if @va is mapped, else false.
 * Context: any; lock-free against concurrent changes of other ranges.
 */
bool pga_pgtable_query(struct pga_pgtable *pt, uintptr_t va,
		       struct pga_pt_mapping *m);

/*
 * Install @pt on the calling CPU and mark it live: x86_64 loads CR3;
 * arm64 loads TTBR0_EL1 and TTBR1_EL1 with the same root (the tables
 * describe both halves of the 48-bit space; the MMU must be configured
 * with T0SZ = T1SZ = 16 and the MAIR of PGA_ARM64_MAIR) and invalidates
 * the local TLB.  Context: kernel, privileged; each CPU calls it once.
 */
void pga_pgtable_activate(struct pga_pgtable *pt);

/*
 * An alloc_table callback that takes the page from pga
 * (PGA_GFP_ATOMIC, order 0); @ctx is unused.  Pages are never returned.
 * Return: the page's physical address or PGA_PT_NO_TABLE.
 * Context: any, after pga_init.
 */
pga_paddr_t pga_pgtable_alloc_page(void *ctx);

/*
 * debug_pagealloc support: map (@map) or unmap @nr_pages direct-map pages
 * at @va in @pt (kernel read/write).  Call it from hooks.kernel_map_pages.
 * Return: 0 or the error of map/unmap.  Context: as pga_pgtable_map.
 */
int pga_pgtable_kernel_map_pages(struct pga_pgtable *pt, void *va,
				 unsigned long nr_pages, bool map);

#endif /* PGA_PGTABLE_H */
