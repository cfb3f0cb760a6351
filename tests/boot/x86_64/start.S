/* SPDX-License-Identifier: MIT */
/*
 * x86_64 test kernel entry.  QEMU loads this ELF through its PVH note and
 * enters pvh_start in 32-bit protected mode, paging off, %ebx = the
 * hvm_start_info (with the e820-style memory map).  We switch to long
 * mode on an identity map of the first 4 GiB (2 MiB pages) and call
 * boot_main.  Also here: the real-mode trampoline the other CPUs start
 * in after INIT-SIPI-SIPI, the exception stubs, and the fault probe.
 */
#define STACK_SIZE 16384
#define TRAMP_BASE 0x8000
#define EFER 0xc0000080

	.section .note.pvh, "a", @note
	.balign 4
	.long 4, 4, 18		/* name size, desc size, PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long pvh_start

	.section .text.boot, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	mov %ebx, %esi
	mov $__bss_start, %edi		/* clear BSS (tables, stacks) */
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov %esi, pvh_info
	mov $boot_stacks + STACK_SIZE, %esp

	/* pml4[0] -> pdpt, pdpt[0..3] -> pd[0..3], pd: 2048 x 2 MiB */
	mov $early_pdpt + 3, %eax
	mov %eax, early_pml4
	mov $early_pd + 3, %eax
	xor %ecx, %ecx
1:	mov %eax, early_pdpt(,%ecx,8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jne 1b
	mov $0x83, %eax			/* P | RW | PS */
	xor %ecx, %ecx
2:	mov %eax, early_pd(,%ecx,8)
	add $0x200000, %eax
	inc %ecx
	cmp $2048, %ecx
	jne 2b

	mov %cr4, %eax
	or $(1 << 5), %eax		/* PAE */
	mov %eax, %cr4
	mov $early_pml4, %eax
	mov %eax, %cr3
	mov $EFER, %ecx
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax	/* LME, NXE */
	wrmsr
	mov %cr0, %eax
	or $0x80000001, %eax		/* PG, PE */
	mov %eax, %cr0
	lgdt gdt_desc
	ljmp $0x08, $long_entry

	.code64
long_entry:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	mov $boot_stacks + STACK_SIZE, %rsp
	call boot_main
3:	hlt
	jmp 3b

/* Other CPUs arrive here from the trampoline, in long mode. */
ap_long64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	mov $1, %edi
	lock xadd %edi, ap_next_cpu	/* edi = this CPU's number */
	mov %edi, %eax
	inc %eax
	imul $STACK_SIZE, %eax
	lea boot_stacks(%rax), %rsp
	call boot_secondary
4:	hlt
	jmp 4b

/* int arch_probe_read(const volatile void *p): 0, or 1 after a fault. */
	.globl arch_probe_read, x86_probe_insn, x86_probe_fixup
arch_probe_read:
	xor %eax, %eax
x86_probe_insn:
	movb (%rdi), %cl
	ret
x86_probe_fixup:
	mov $1, %eax
	ret

/* Exception stubs: push a dummy error code where the CPU pushes none. */
	.macro trap vec
	.balign 16
trap\vec:
	.if !((\vec == 8) | ((\vec >= 10) & (\vec <= 14)) | (\vec == 17) | (\vec == 21) | (\vec == 29) | (\vec == 30))
	push $0
	.endif
	push $\vec
	jmp trap_common
	.endm
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	trap \v
	.endr

trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call x86_trap
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl x86_trap_stubs
x86_trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap\v
	.endr

/* Real-mode trampoline, copied to TRAMP_BASE; SIPI vector 8 -> CS 0x800. */
	.code16
	.globl x86_tramp_start, x86_tramp_end, x86_tramp_cr3
x86_tramp_start:
	cli
	mov %cs, %ax
	mov %ax, %ds
	lgdtl x86_tramp_gdtr - x86_tramp_start
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x18, $(TRAMP_BASE + tramp32 - x86_tramp_start)
	.code32
tramp32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $((1 << 5) | (1 << 7)), %eax	/* PAE, PGE */
	mov %eax, %cr4
	mov (TRAMP_BASE + x86_tramp_cr3 - x86_tramp_start), %eax
	mov %eax, %cr3
	mov $EFER, %ecx
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov %cr0, %eax
	or $0x80000000, %eax
	mov %eax, %cr0
	ljmp $0x08, $ap_long64
	.balign 8
x86_tramp_gdtr:
	.word gdt_end - gdt - 1
	.long gdt
x86_tramp_cr3:
	.long 0
x86_tramp_end:

	.section .data
	.balign 16
gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00cf9a000000ffff	/* 0x18: 32-bit code (trampoline) */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.quad gdt
	.globl pvh_info
pvh_info:
	.long 0
ap_next_cpu:
	.long 1

	.section .bss
	.balign 4096
early_pml4:	.skip 4096
early_pdpt:	.skip 4096
early_pd:	.skip 4 * 4096
	.globl boot_stacks
boot_stacks:	.skip 4 * STACK_SIZE
	.section .note.GNU-stack, "", @progbits
