# make demo: the simulated machine (host only).
DEMO_BIN := build/host/demo/pga-demo

$(DEMO_BIN): tests/demo/*.c
	@$(MAKE) --no-print-directory ARCH=host BUILD=build/host lib
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -std=c11 $(WARN) -O2 -g -Iinclude -Iarch/host/include \
		-D_DEFAULT_SOURCE -pthread $(filter %.c,$^) build/host/libpga.a \
		-o $@ -pthread

.PHONY: demo
demo: $(DEMO_BIN)
	@mkdir -p build/demo
	@$(DEMO_BIN)

CHECK_STEPS += demo
