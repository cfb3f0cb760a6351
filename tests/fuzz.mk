# libFuzzer target over op sequences, clang with ASan+UBSan.
#   make fuzz            long run (FUZZ_TIME seconds, default 600)
#   make fuzz-smoke      the seed corpus plus a short run (in make check)
comma := ,
FUZZ_BIN := build/fuzz/fuzz_ops
FUZZ_TIME ?= 600
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wno-missing-field-initializers \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Iinclude -Iarch/host/include -D_DEFAULT_SOURCE -pthread

$(FUZZ_BIN): tests/fuzz/fuzz_ops.c tests/fuzz/nocov.txt $(wildcard src/*.c src/*.h include/*.h include/pga/*.h arch/host/*.c)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(subst fuzzer$(comma),fuzzer-no-link$(comma),$(FUZZ_CFLAGS)) \
		-fsanitize-coverage-ignorelist=tests/fuzz/nocov.txt \
		tests/fuzz/fuzz_ops.c src/*.c arch/host/*.c -fsanitize=fuzzer -o $@

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_BIN)
	@mkdir -p build/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		build/fuzz/corpus tests/fuzz/corpus

fuzz-smoke: $(FUZZ_BIN)
	@mkdir -p build/fuzz/smoke
	@$(FUZZ_BIN) -runs=2000 -seed=1 -max_len=256 -timeout=60 \
		-artifact_prefix=build/fuzz/ build/fuzz/smoke \
		tests/fuzz/corpus > build/fuzz/smoke.log 2>&1; rc=$$?; \
		tail -3 build/fuzz/smoke.log; exit $$rc

CHECK_STEPS += fuzz-smoke
