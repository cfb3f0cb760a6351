# arm64 kernel build: no FP/SIMD registers, atomics inline (Debian's gcc
# otherwise calls libgcc's __aarch64_* helpers, which a kernel cannot link).
KERNEL_CFLAGS := -ffreestanding -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables
ARCH_CFLAGS += $(KERNEL_CFLAGS) -mgeneral-regs-only -mno-outline-atomics
ifneq ($(findstring clang,$(CC)),)
ARCH_CFLAGS += --target=aarch64-linux-gnu
endif
ARCH_SRCS += $(sort $(wildcard arch/arm64/*.c))
ARCH_PC_CFLAGS := -ffreestanding -mgeneral-regs-only -mno-outline-atomics
# Page tables: the generic walker plus this arch's format and priv.c.
ARCH_SRCS += arch/common/pgtable.c arch/common/kmap.c
