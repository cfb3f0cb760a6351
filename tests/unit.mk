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

.PHONY: test test-clang
test: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "--- $$t"; $(UNIT_RUN) $$t; done

test-clang:
	@$(MAKE) --no-print-directory CC=clang BUILD=build/host-clang test

CHECK_STEPS += test test-clang
endif
