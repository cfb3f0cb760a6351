/* SPDX-License-Identifier: MIT */
/*
 * arm64 test kernel entry.  QEMU -M virt loads this ELF and enters _start
 * at EL1 with the MMU off on CPU 0; the others start at secondary_entry
 * through PSCI CPU_ON with their number in x0.  Also here: the exception
 * vectors and the fault probe.
 */
#define STACK_SIZE 16384
#define FRAME (34 * 8)

	.section .text.boot, "ax"
	.globl _start
_start:
	ldr x1, =__bss_start		/* clear BSS (stacks included) */
	ldr x2, =__bss_end
1:	cmp x1, x2
	b.hs 2f
	str xzr, [x1], #8
	b 1b
2:	ldr x1, =boot_stacks + STACK_SIZE
	mov sp, x1
	bl cpu_common
	bl boot_main
3:	wfe
	b 3b

	.globl secondary_entry
secondary_entry:
	mov x19, x0
	add x1, x0, #1
	mov x2, #STACK_SIZE
	mul x1, x1, x2
	ldr x2, =boot_stacks
	add x1, x1, x2
	mov sp, x1
	bl cpu_common
	bl arm64_secondary_mmu
	mov x0, x19
	bl boot_secondary
4:	wfe
	b 4b

/* FP/SIMD access on (CPACR_EL1.FPEN), exception vectors. */
cpu_common:
	mov x1, #(3 << 20)
	msr cpacr_el1, x1
	adr x1, vectors
	msr vbar_el1, x1
	isb
	ret

/* int arch_probe_read(const volatile void *p): 0, or 1 after a fault. */
	.globl arch_probe_read, arm64_probe_insn, arm64_probe_fixup
arch_probe_read:
	mov x1, x0
	mov x0, #0
arm64_probe_insn:
	ldrb w2, [x1]
	ret
arm64_probe_fixup:
	mov x0, #1
	ret

	.macro vent idx
	.balign 128
	sub sp, sp, #FRAME
	stp x0, x1, [sp, #0]
	mov x0, #\idx
	b trap_common
	.endm

	.balign 2048
vectors:
	.irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vent \i
	.endr

/* Frame: x0..x30, ELR, SPSR.  arm64_trap(idx, frame) may change ELR. */
trap_common:
	stp x2, x3, [sp, #16]
	stp x4, x5, [sp, #32]
	stp x6, x7, [sp, #48]
	stp x8, x9, [sp, #64]
	stp x10, x11, [sp, #80]
	stp x12, x13, [sp, #96]
	stp x14, x15, [sp, #112]
	stp x16, x17, [sp, #128]
	stp x18, x19, [sp, #144]
	stp x20, x21, [sp, #160]
	stp x22, x23, [sp, #176]
	stp x24, x25, [sp, #192]
	stp x26, x27, [sp, #208]
	stp x28, x29, [sp, #224]
	mrs x1, elr_el1
	stp x30, x1, [sp, #240]
	mrs x1, spsr_el1
	str x1, [sp, #256]
	mov x1, sp
	bl arm64_trap
	ldp x30, x1, [sp, #240]
	msr elr_el1, x1
	ldr x1, [sp, #256]
	msr spsr_el1, x1
	ldp x28, x29, [sp, #224]
	ldp x26, x27, [sp, #208]
	ldp x24, x25, [sp, #192]
	ldp x22, x23, [sp, #176]
	ldp x20, x21, [sp, #160]
	ldp x18, x19, [sp, #144]
	ldp x16, x17, [sp, #128]
	ldp x14, x15, [sp, #112]
	ldp x12, x13, [sp, #96]
	ldp x10, x11, [sp, #80]
	ldp x8, x9, [sp, #64]
	ldp x6, x7, [sp, #48]
	ldp x4, x5, [sp, #32]
	ldp x2, x3, [sp, #16]
	ldp x0, x1, [sp, #0]
	add sp, sp, #FRAME
	eret

	.section .bss
	.balign 4096
	.globl boot_stacks
boot_stacks:	.skip 4 * STACK_SIZE

	.section .note.GNU-stack, "", @progbits
