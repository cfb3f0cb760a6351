# x86_64 kernel build: no red zone (interrupts push onto the stack), no
# SSE/AVX state, the kernel code model, no PIC, no stack protector.
KERNEL_CFLAGS := -ffreestanding -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables
ARCH_CFLAGS += $(KERNEL_CFLAGS) -mno-red-zone -mgeneral-regs-only \
	-mcmodel=kernel
ARCH_SRCS += $(sort $(wildcard arch/x86_64/*.c))
ARCH_PC_CFLAGS := -ffreestanding -mno-red-zone -mgeneral-regs-only -mcmodel=kernel
# Page tables: the generic walker plus this arch's format and priv.c.
ARCH_SRCS += arch/common/pgtable.c arch/common/kmap.c
