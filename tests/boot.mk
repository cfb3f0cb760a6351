# Boot tests: test kernels (tests/boot/<arch>) linked with the
# freestanding libpga.a of their arch and booted under QEMU with 4 CPUs.
#   make qemu-x86_64     PVH boot, INIT-SIPI-SIPI, isa-debug-exit status
#   make qemu-arm64      -M virt at EL1, PSCI CPU_ON, PSCI SYSTEM_OFF
# The -corrupt variants leak a page on purpose (BOOT_CORRUPT=1) and must
# report FAIL: proof that the checks can fail.
BOOT_COMMON := tests/boot/common/main.c tests/boot/common/lib.c
BOOT_KFLAGS = $(BOOT_EXTRA) -std=c11 $(WARN) -O2 -g -ffreestanding -nostdlib -static \
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -Iinclude -Itests/boot/common \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none

# TCG with one host thread for all four vCPUs: with one thread per vCPU
# (QEMU_ACCEL=tcg,thread=multi) on a 2-core machine, ticket-lock waiters
# preempted by the host make the stress ~50 times slower.
QEMU_ACCEL ?= tcg,thread=single

BOOT_CC_x86_64 := gcc
BOOT_FLAGS_x86_64 := -mno-red-zone -mgeneral-regs-only -mcmodel=kernel \
	-Iarch/x86_64/include -Wl,-no-pie -Wl,--no-warn-rwx-segments
BOOT_LIBMAKE_x86_64 := ARCH=x86_64 BUILD=build/x86_64
QEMU_x86_64 := qemu-system-x86_64 -M pc -cpu max -smp 4 -m 256M \
	-display none -no-reboot -accel $(QEMU_ACCEL) \
	-device isa-debug-exit,iobase=0xf4,iosize=4
BOOT_EXIT_x86_64 := 33

BOOT_CC_arm64 := aarch64-linux-gnu-gcc
BOOT_FLAGS_arm64 := -mgeneral-regs-only -mno-outline-atomics \
	-Iarch/arm64/include -Wl,-no-pie
BOOT_LIBMAKE_arm64 := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	BUILD=build/arm64
QEMU_arm64 := qemu-system-aarch64 -M virt -cpu max -smp 4 -m 256M \
	-display none -no-reboot -accel $(QEMU_ACCEL)
BOOT_EXIT_arm64 := 0

# $(1): arch, $(2): variant suffix, $(3): extra flags, $(4): PASS or FAIL
define boot_test
.PHONY: qemu-$(1)$(2)
build/boot/$(1)$(2)/kernel.elf: FORCE
	@$$(MAKE) --no-print-directory -s $$(BOOT_LIBMAKE_$(1)) lib
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$$(BOOT_CC_$(1)) $$(BOOT_KFLAGS) $$(BOOT_FLAGS_$(1)) $(3) \
		-T tests/boot/$(1)/kernel.ld tests/boot/$(1)/start.S \
		tests/boot/$(1)/arch.c $$(BOOT_COMMON) \
		build/$(1)/libpga.a -o $$@
qemu-$(1)$(2): build/boot/$(1)$(2)/kernel.elf
	@sh tests/boot/run.sh $(4) build/boot/$(1)$(2)/serial.log \
		$$(BOOT_EXIT_$(1)) $$(QEMU_$(1)) -kernel $$<
endef

.PHONY: FORCE
FORCE:
$(eval $(call boot_test,x86_64,,,PASS))
$(eval $(call boot_test,x86_64,-corrupt,-DBOOT_CORRUPT=1,FAIL))
$(eval $(call boot_test,arm64,,,PASS))
$(eval $(call boot_test,arm64,-corrupt,-DBOOT_CORRUPT=1,FAIL))

ifeq ($(ARCH),host)
CHECK_STEPS += qemu-x86_64 qemu-x86_64-corrupt qemu-arm64 qemu-arm64-corrupt
endif
