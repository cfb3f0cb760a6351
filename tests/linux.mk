# <pga/linux.h> must compile in freestanding kernel code too (x86_64 and
# arm64, gcc and clang), not only in the host tests.
LINUX_HDR_CHECK := tests/linux/header_check.c
LINUX_HDR_FLAGS := -std=c11 $(WARN) -O2 -ffreestanding -Iinclude -fsyntax-only

.PHONY: linux-header
linux-header:
	@echo "  CHECK   <pga/linux.h> x86_64, arm64 (gcc, clang)"
	@gcc $(LINUX_HDR_FLAGS) -Iarch/x86_64/include $(LINUX_HDR_CHECK)
	@clang $(LINUX_HDR_FLAGS) -Iarch/x86_64/include $(LINUX_HDR_CHECK)
	@aarch64-linux-gnu-gcc $(LINUX_HDR_FLAGS) -Iarch/arm64/include $(LINUX_HDR_CHECK)
	@clang --target=aarch64-linux-gnu $(LINUX_HDR_FLAGS) -Iarch/arm64/include $(LINUX_HDR_CHECK)

CHECK_STEPS += linux-header
