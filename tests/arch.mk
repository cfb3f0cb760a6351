# The kernel arch backend (arch/x86_64 or arch/arm64, whichever CPU the
# host-flavour compiler targets) run in user space: atomics, spinlock
# under contention from several threads, page zeroing.  Under
# qemu-aarch64 this runs via tests/arm64-user.mk.  UNIT_RUN, if set,
# prefixes every test binary (an emulator).
ifeq ($(ARCH),host)
UNIT_RUN ?=
ARCH_TEST_CPU := $(if $(findstring aarch64,$(shell $(CC) -dumpmachine)),arm64,x86_64)
ARCH_TEST_BIN := $(BUILD)/tests/test_arch_lock
ARCH_TEST_SRCS := tests/arch/test_arch_lock.c \
	$(if $(filter arm64,$(ARCH_TEST_CPU)),arch/arm64/cpu.c)

$(ARCH_TEST_BIN): $(ARCH_TEST_SRCS) include/pga/arch.h \
		arch/$(ARCH_TEST_CPU)/include/pga_arch_impl.h
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -std=c11 $(WARN) $(OPT) -Iinclude -Iarch/$(ARCH_TEST_CPU)/include \
		-pthread $(EXTRA_CFLAGS) $(ARCH_TEST_SRCS) -o $@ -lcmocka -pthread

.PHONY: arch-test
arch-test: $(ARCH_TEST_BIN)
	@echo "--- $< ($(ARCH_TEST_CPU) backend)"
	@$(UNIT_RUN) $<

CHECK_STEPS += arch-test
endif
