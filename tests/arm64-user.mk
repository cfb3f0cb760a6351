# arm64 user space under qemu-aarch64: the host unit tests (host backend,
# pgtable tests) cross-built with aarch64-linux-gnu-gcc against Debian's
# arm64 CMocka, and the arm64 backend's atomics and spinlock (arch-test)
# on a CPU with LSE (-cpu max: LL/SC, then LSE) and one without
# (-cpu cortex-a72: LL/SC only, and the probe must say so).
ARM64_USER := $(MAKE) --no-print-directory ARCH=host \
	CROSS_COMPILE=aarch64-linux-gnu- BUILD=build/host-arm64
# The arm64 libc comes from Debian multiarch (libc6:arm64, pulled in by
# libcmocka0:arm64), found at its usual path: no -L.  Mixing it with the
# cross toolchain's copy under /usr/aarch64-linux-gnu (-L) hangs threads.
QEMU_AARCH64 := qemu-aarch64

.PHONY: test-arm64-user
test-arm64-user:
	@$(ARM64_USER) UNIT_RUN="$(QEMU_AARCH64)" test
	@PGA_EXPECT_LSE=1 $(ARM64_USER) UNIT_RUN="$(QEMU_AARCH64) -cpu max" \
		arch-test
	@PGA_EXPECT_LSE=0 $(ARM64_USER) \
		UNIT_RUN="$(QEMU_AARCH64) -cpu cortex-a72" arch-test

ifeq ($(ARCH),host)
CHECK_STEPS += test-arm64-user
endif
