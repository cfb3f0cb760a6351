/* SPDX-License-Identifier: MIT */
/*
 * arm64 side of the boot test on QEMU -M virt: PL011 at 0x09000000, the
 * memory node of the DTB QEMU puts at the base of RAM, MMU set-up for
 * pga's tables (MAIR = PGA_ARM64_MAIR, 4 KiB granule, 48-bit VA in both
 * halves), PSCI over HVC for CPU_ON and SYSTEM_OFF, the CPU id in
 * TPIDR_EL1 (pga's default scheme), LSE atomics if the CPU has them.
 */
#include "boot.h"

#define UART 0x09000000UL
#define RAM_BASE 0x40000000UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define FDT_MAGIC 0xd00dfeedu

const uintptr_t boot_direct_map = 0xffff800000000000UL;

extern char arm64_probe_insn[], arm64_probe_fixup[], secondary_entry[];
void arm64_trap(uint64_t idx, uint64_t *frame);
void arm64_secondary_mmu(void);

static uint64_t fdt_size;
static uint64_t mmu_tcr;
static pga_paddr_t mmu_root;

void arch_putc(char c)
{
	while (*(volatile uint32_t *)(UART + 0x18) & (1u << 5))
		;
	*(volatile uint32_t *)UART = (uint32_t)(unsigned char)c;
}

uint64_t arch_ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t arch_ticks_per_sec(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static uint64_t psci(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a;
	register uint64_t x2 __asm__("x2") = b;
	register uint64_t x3 __asm__("x3") = c;

	__asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3)
			 : "memory");
	return x0;
}

/* PSCI SYSTEM_OFF: QEMU exits 0; the serial log says PASS or FAIL. */
_Noreturn void arch_exit(bool pass)
{
	(void)pass;
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfe");
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

/* The "reg" pairs (2 address, 2 size cells) of /memory@... nodes. */
static int fdt_memory(const uint8_t *fdt, struct pga_mem_range *ram, int max)
{
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	bool in_memory = false;
	int n = 0;

	for (;;) {
		uint32_t tok = be32(p), len;

		p += 4;
		if (tok == 1) { /* BEGIN_NODE */
			const char *name = (const char *)p;

			in_memory = !__builtin_memcmp(name, "memory", 6);
			p += (slen(name) + 4) & ~3UL;
		} else if (tok == 3) { /* PROP */
			len = be32(p);
			if (in_memory &&
			    !__builtin_memcmp(strings + be32(p + 4), "reg", 4))
				for (uint32_t o = 0; o + 16 <= len && n < max;
				     o += 16)
					ram[n++] = (struct pga_mem_range){
						be64(p + 8 + o),
						be64(p + 16 + o), 0};
			p += 8 + ((len + 3) & ~3UL);
		} else if (tok == 9) { /* END */
			return n;
		} else if (tok == 2) {
			in_memory = false;
		}
	}
}

int arch_memory_map(struct pga_mem_range *ram, int max)
{
	const uint8_t *fdt = (const uint8_t *)RAM_BASE;
	int i, n;

	if (be32(fdt) != FDT_MAGIC)
		boot_unexpected("no DTB at the base of RAM", be32(fdt), 0, 0);
	fdt_size = be32(fdt + 4);
	n = fdt_memory(fdt, ram, max);
	for (i = 0; i < n; i++) {
		kprintf("boot: DTB memory %llx-%llx\n",
			(unsigned long long)ram[i].base,
			(unsigned long long)(ram[i].base + ram[i].size));
	}
	return n;
}

/* The DTB stays out of pga. */
int arch_reserved(struct pga_mem_range *res, int max)
{
	(void)max;
	res[0] = (struct pga_mem_range){RAM_BASE, (fdt_size + 4095) & ~4095UL,
					0};
	return 1;
}

/* Device mappings (identity). */
int arch_map_boot(struct pga_pgtable *pt)
{
	return pga_pgtable_map(pt, UART, UART, 4096,
			       PGA_PROT_KERNEL | PGA_PROT_DEVICE);
}

/* MAIR, TCR (T0SZ = T1SZ = 16, 4 KiB granules, WB inner shareable walks). */
static void mmu_regs(void)
{
	__asm__ volatile("msr mair_el1, %0\n\t"
			 "msr tcr_el1, %1\n\t"
			 "isb" : : "r"(PGA_ARM64_MAIR), "r"(mmu_tcr) : "memory");
}

static void mmu_enable(void)
{
	uint64_t sctlr;

	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= 1 | 1 << 2 | 1 << 12; /* M, C, I */
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr) : "memory");
}

void arch_mmu_on(struct pga_pgtable *pt)
{
	uint64_t mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	mmu_tcr = 16 | 1 << 8 | 1 << 10 | 3 << 12 | 16ULL << 16 |
		  1ULL << 24 | 1ULL << 26 | 3ULL << 28 | 2ULL << 30 |
		  ((mmfr0 & 7) > 5 ? 5 : (mmfr0 & 7)) << 32;
	mmu_root = pt->root;
	mmu_regs();
	pga_pgtable_activate(pt);
	mmu_enable();
	kprintf("boot: MMU on, %s atomics\n",
		pga_arm64_probe_lse() ? "LSE" : "LL/SC");
}

/* Secondary CPUs, still with the MMU off, join the same tables. */
void arm64_secondary_mmu(void)
{
	mmu_regs();
	__asm__ volatile("msr ttbr0_el1, %0\n\tmsr ttbr1_el1, %0\n\tisb\n\t"
			 "tlbi vmalle1\n\tdsb nsh\n\tisb"
			 : : "r"(mmu_root) : "memory");
	mmu_enable();
}

void arch_start_cpus(unsigned int n, struct pga_pgtable *pt)
{
	unsigned int cpu;
	uint64_t err;

	(void)pt;
	for (cpu = 1; cpu < n; cpu++) {
		err = psci(PSCI_CPU_ON, cpu, (uintptr_t)secondary_entry, cpu);
		if (err)
			boot_unexpected("PSCI CPU_ON", cpu, err, 0);
	}
}

void arch_cpu_setup(unsigned int cpu)
{
	pga_arm64_set_cpu_id(cpu);
}

/* Called from the vectors.  Only the probe may fault (sync, EL1 SPx). */
void arm64_trap(uint64_t idx, uint64_t *frame)
{
	uint64_t esr, far;

	__asm__ volatile("mrs %0, esr_el1\n\tmrs %1, far_el1"
			 : "=r"(esr), "=r"(far));
	if (idx == 4 && frame[31] == (uintptr_t)arm64_probe_insn &&
	    (esr >> 26) == 0x25) {
		kprintf("boot: data abort at %lx (ESR %lx, DFSC %lx) in the "
			"probe: reported\n", (unsigned long)far,
			(unsigned long)esr, (unsigned long)(esr & 0x3f));
		boot_fault_addr = far;
		frame[31] = (uintptr_t)arm64_probe_fixup;
		return;
	}
	boot_unexpected("exception (vector, ESR, ELR)", idx, esr, frame[31]);
}
