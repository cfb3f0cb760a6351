# Benchmarks (tests/bench): gcc -O2, host arch, with the host backend's
# fast inline ticket lock (-DPGA_HOST_FAST_LOCKS; the unit tests keep the
# checked lock).  `make bench` prints a table and writes
# build/bench/results.json; numbers are never asserted.  `make check` only
# builds the harness and runs it once in --quick mode (bench-smoke).
BENCH_CC ?= gcc
BENCH_DEFS := -DPGA_HOST_FAST_LOCKS
BENCH_BIN := build/bench/pga-bench

.PHONY: bench bench-build bench-smoke
# A change of compiler or flags (make bench BENCH_DEFS=...) rebuilds all.
BENCH_STAMP := $(BENCH_CC) $(BENCH_DEFS)
bench-build:
	@mkdir -p build/bench
	@if [ "$$(cat build/bench/.flags 2>/dev/null)" != "$(BENCH_STAMP)" ]; then \
		rm -rf build/bench/obj build/bench/libpga.a; \
		echo "$(BENCH_STAMP)" > build/bench/.flags; \
	fi
	@$(MAKE) --no-print-directory -s ARCH=host CC=$(BENCH_CC) \
		BUILD=build/bench OPT="-O2 -g" EXTRA_CFLAGS="$(BENCH_DEFS)" lib
	@echo "  LD      $(BENCH_BIN)"
	@$(BENCH_CC) -std=c11 $(WARN) -O2 -g $(BENCH_DEFS) -Iinclude \
		-Iarch/host/include -Isrc -D_DEFAULT_SOURCE -pthread \
		tests/bench/*.c build/bench/libpga.a -o $(BENCH_BIN) -pthread -lm

bench: bench-build
	@$(BENCH_BIN) -o build/bench/results.json

bench-smoke: bench-build
	@$(BENCH_BIN) --quick -o build/bench/smoke.json >/dev/null
	@echo "  BENCH   smoke run ok"

CHECK_STEPS += bench-smoke
