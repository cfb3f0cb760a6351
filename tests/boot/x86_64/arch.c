/* SPDX-License-Identifier: MIT */
/*
 * x86_64 side of the boot test: COM1, isa-debug-exit, the PVH memory map,
 * the local APIC for INIT-SIPI-SIPI, the IDT and its page-fault report,
 * per-CPU ids through GS (pga's default CPU-id scheme).
 */
#include "boot.h"

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4
#define LAPIC 0xfee00000UL
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define TRAMP_BASE 0x8000
#define MSR_GS_BASE 0xc0000101
#define PVH_MAGIC 0x336ec578

const uintptr_t boot_direct_map = 0xffff888000000000UL;

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
};

extern uint32_t pvh_info;
extern const uint64_t x86_trap_stubs[32];
extern char x86_probe_insn[], x86_probe_fixup[];
extern char x86_tramp_start[], x86_tramp_end[], x86_tramp_cr3[];
void x86_trap(struct trap_frame *f);

static struct idt_gate idt[32] __attribute__((aligned(16)));
static struct {
	uint32_t cpu_id; /* at %gs:0, PGA_X86_64_CPU_ID_OFFSET */
} percpu[BOOT_CPUS] __attribute__((aligned(64)));
static uint64_t tsc_hz;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

void arch_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

uint64_t arch_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* TSC rate from 10 ms of PIT channel 2. */
uint64_t arch_ticks_per_sec(void)
{
	uint64_t t0;

	if (tsc_hz)
		return tsc_hz;
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, 11932 & 0xff);
	outb(0x42, 11932 >> 8);
	t0 = arch_ticks();
	while (!(inb(0x61) & 0x20))
		;
	tsc_hz = (arch_ticks() - t0) * 100;
	return tsc_hz;
}

_Noreturn void arch_exit(bool pass)
{
	/* QEMU exits with (value << 1) | 1: 33 for PASS, 35 for FAIL */
	__asm__ volatile("outl %0, %1" : : "a"(pass ? 0x10u : 0x11u),
			 "Nd"((uint16_t)DEBUG_EXIT));
	for (;;)
		__asm__ volatile("cli; hlt");
}

int arch_memory_map(struct pga_mem_range *ram, int max)
{
	const struct hvm_start_info *si =
		(const void *)(uintptr_t)pvh_info;
	const struct hvm_memmap_entry *e;
	uint32_t i;
	int n = 0;

	if (si->magic != PVH_MAGIC || si->version < 1 || !si->memmap_paddr)
		boot_unexpected("PVH start info", si->magic, si->version, 0);
	e = (const void *)(uintptr_t)si->memmap_paddr;
	for (i = 0; i < si->memmap_entries && n < max; i++) {
		uint64_t lo = (e[i].addr + 4095) & ~4095ULL;
		uint64_t hi = (e[i].addr + e[i].size) & ~4095ULL;

		kprintf("boot: e820 %llx-%llx type %u\n",
			(unsigned long long)e[i].addr,
			(unsigned long long)(e[i].addr + e[i].size),
			e[i].type);
		if (e[i].type != 1 || hi <= lo)
			continue;
		ram[n++] = (struct pga_mem_range){lo, hi - lo, 0};
	}
	return n;
}

/* Real-mode memory (trampoline, BIOS data) stays out of pga. */
int arch_reserved(struct pga_mem_range *res, int max)
{
	(void)max;
	res[0] = (struct pga_mem_range){0, 0x100000, 0};
	return 1;
}

/* Device mappings (identity). */
int arch_map_boot(struct pga_pgtable *pt)
{
	return pga_pgtable_map(pt, LAPIC, LAPIC, 4096,
			       PGA_PROT_KERNEL | PGA_PROT_DEVICE);
}

void arch_mmu_on(struct pga_pgtable *pt)
{
	unsigned long cr4;

	pga_pgtable_activate(pt);
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | (1UL << 7))); /* PGE */
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC + reg) = v;
}

static void delay(unsigned long n)
{
	while (n--)
		pga_arch_cpu_relax();
}

/* INIT-SIPI-SIPI to all other CPUs; they count themselves in. */
void arch_start_cpus(unsigned int n, struct pga_pgtable *pt)
{
	size_t len = (size_t)(x86_tramp_end - x86_tramp_start);

	(void)n;
	__builtin_memcpy((void *)TRAMP_BASE, x86_tramp_start, len);
	*(volatile uint32_t *)(TRAMP_BASE + (x86_tramp_cr3 -
					     x86_tramp_start)) =
		(uint32_t)pt->root;
	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, 0x000c4500); /* INIT, all but self */
	delay(100000);
	lapic_write(LAPIC_ICR_LO, 0x000c4600 | (TRAMP_BASE >> 12)); /* SIPI */
	delay(10000);
	lapic_write(LAPIC_ICR_LO, 0x000c4600 | (TRAMP_BASE >> 12));
}

static void idt_init(void)
{
	int v;

	for (v = 0; v < 32; v++) {
		uint64_t a = x86_trap_stubs[v];

		idt[v] = (struct idt_gate){(uint16_t)a, 0x08, 0, 0x8e,
					   (uint16_t)(a >> 16),
					   (uint32_t)(a >> 32), 0};
	}
}

void arch_cpu_setup(unsigned int cpu)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uintptr_t)idt};

	if (cpu == 0) {
		outb(COM1 + 1, 0x00);
		outb(COM1 + 3, 0x80);
		outb(COM1 + 0, 0x01); /* 115200 baud */
		outb(COM1 + 1, 0x00);
		outb(COM1 + 3, 0x03);
		outb(COM1 + 2, 0xc7);
		idt_init();
		arch_ticks_per_sec();
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
	percpu[cpu].cpu_id = cpu;
	wrmsr(MSR_GS_BASE, (uintptr_t)&percpu[cpu]);
}

/* Called from the stubs in start.S.  Only the probe may fault. */
void x86_trap(struct trap_frame *f)
{
	unsigned long cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	if (f->vector == 14 && f->rip == (uintptr_t)x86_probe_insn) {
		kprintf("boot: #PF at %lx (error %lx) in the probe: "
			"reported\n", cr2, (unsigned long)f->error);
		boot_fault_addr = cr2;
		f->rip = (uintptr_t)x86_probe_fixup;
		return;
	}
	boot_unexpected("exception (vector, rip, cr2)", f->vector, f->rip,
			cr2);
}
