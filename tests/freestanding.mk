# Freestanding kernel archives for x86_64 and arm64, with gcc and clang,
# checked to need no symbol but memcpy/memmove/memset/memcmp.
.PHONY: freestanding
freestanding:
	@$(MAKE) --no-print-directory -s ARCH=x86_64 BUILD=build/x86_64 lib
	@sh tests/symcheck.sh build/x86_64/libpga.a
	@$(MAKE) --no-print-directory -s ARCH=x86_64 CC=clang BUILD=build/x86_64-clang lib
	@sh tests/symcheck.sh build/x86_64-clang/libpga.a
	@$(MAKE) --no-print-directory -s ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- BUILD=build/arm64 lib
	@sh tests/symcheck.sh build/arm64/libpga.a aarch64-linux-gnu-
	@$(MAKE) --no-print-directory -s ARCH=arm64 CC=clang BUILD=build/arm64-clang lib
	@sh tests/symcheck.sh build/arm64-clang/libpga.a aarch64-linux-gnu-

CHECK_STEPS += freestanding
