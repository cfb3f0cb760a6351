# SMP stress (tests/stress): host threads as CPUs, built and run once with
# ThreadSanitizer and once with AddressSanitizer + UBSan (gcc: its
# sanitizer runtimes come with the compiler on Debian).  Each run takes
# some 10-20 s on two cores.
#
#   make stress-tsan | stress-asan     build and run one flavour
#   make stress STRESS_ARGS="4 2000000 7"   both, with threads/ops/seed
STRESS_SRC := tests/stress/stress.c
STRESS_CC ?= gcc
STRESS_ARGS_tsan ?= 4 100000
STRESS_ARGS_asan ?= 4 500000
STRESS_SAN_tsan := -fsanitize=thread
STRESS_SAN_asan := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
STRESS_ENV_tsan := TSAN_OPTIONS="halt_on_error=1 abort_on_error=1"
STRESS_ENV_asan := ASAN_OPTIONS="abort_on_error=1:detect_leaks=1" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

.PHONY: stress stress-tsan stress-asan
stress: stress-tsan stress-asan

define STRESS_RULE
stress-$(1):
	@$$(MAKE) --no-print-directory -s ARCH=host CC=$$(STRESS_CC) \
		BUILD=build/stress-$(1) OPT="-O1 -g" \
		EXTRA_CFLAGS="$$(STRESS_SAN_$(1))" lib
	@echo "  LD      build/stress-$(1)/pga-stress"
	@$$(STRESS_CC) -std=c11 $$(WARN) -O1 -g $$(STRESS_SAN_$(1)) -Iinclude \
		-Iarch/host/include -D_DEFAULT_SOURCE -pthread $$(STRESS_SRC) \
		build/stress-$(1)/libpga.a -o build/stress-$(1)/pga-stress \
		-pthread
	@echo "  RUN     pga-stress ($(1)) $$(or $$(STRESS_ARGS),$$(STRESS_ARGS_$(1)))"
	@$$(STRESS_ENV_$(1)) build/stress-$(1)/pga-stress \
		$$(or $$(STRESS_ARGS),$$(STRESS_ARGS_$(1)))
endef
$(foreach s,tsan asan,$(eval $(call STRESS_RULE,$(s))))

CHECK_STEPS += stress-tsan stress-asan
