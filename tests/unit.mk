# Host unit tests: one CMocka binary per tests/unit/test_*.c, linked with
# the support code in tests/unit/support and the host library.
ifeq ($(ARCH),host)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
SUPPORT_SRCS := $(sort $(wildcard tests/unit/support/*.c))
SUPPORT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SUPPORT_SRCS))
TEST_CFLAGS := -std=c11 $(WARN) $(OPT) -Iinclude -Iarch/host/include -Isrc \
	-Itests/unit/support -D_DEFAULT_SOURCE -pthread $(EXTRA_CFLAGS) -MMD -MP
TEST_LDLIBS := -lcmocka -pthread $(EXTRA_LDFLAGS)

all: $(UNIT_BINS)

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(TEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(SUPPORT_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(TEST_CFLAGS) $^ -o $@ $(TEST_LDLIBS)

-include $(SUPPORT_OBJS:.o=.d) $(UNIT_SRCS:tests/%.c=$(BUILD)/obj/tests/%.d)

.PHONY: test test-clang test-nodebug test-asan test-asan-clang
test: $(UNIT_BINS)
	@pass=0; fail=0; for t in $(UNIT_BINS); do echo "--- $$t"; \
		out=$$($(UNIT_RUN) $$t 2>&1); rc=$$?; echo "$$out"; \
		n=$$(echo "$$out" | awk '/^\[  PASSED  \] [0-9]+ test/ {s += $$4} END {print s + 0}'); \
		f=$$(echo "$$out" | awk '/^\[  FAILED  \] [0-9]+ test/ {s += $$4} END {if (s) print s}'); \
		pass=$$((pass + $${n:-0})); fail=$$((fail + $${f:-0})); \
		if [ $$rc -ne 0 ] && [ -z "$$f" ]; then fail=$$((fail + 1)); fi; \
	done; echo "unit tests ($(BUILD)): $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]

# The same tests under clang, without the debug config, and under
# AddressSanitizer + UndefinedBehaviorSanitizer with gcc and clang.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
test-clang:
	@$(MAKE) --no-print-directory CC=clang BUILD=build/host-clang test
test-nodebug:
	@$(MAKE) --no-print-directory BUILD=build/host-nodebug \
		EXTRA_CFLAGS=-DPGA_CONFIG_DEBUG=0 test
test-asan:
	@$(MAKE) --no-print-directory BUILD=build/host-asan OPT="-O1 -g" \
		EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)" test
test-asan-clang:
	@$(MAKE) --no-print-directory CC=clang BUILD=build/host-asan-clang \
		OPT="-O1 -g" EXTRA_CFLAGS="$(SAN_FLAGS)" \
		EXTRA_LDFLAGS="$(SAN_FLAGS)" test

CHECK_STEPS += test test-clang test-nodebug test-asan test-asan-clang
endif
