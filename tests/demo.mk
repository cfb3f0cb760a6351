# make demo: the simulated machine (host only).
DEMO_BIN := build/host/demo/pga-demo

.PHONY: demo-lib
demo-lib:
	@$(MAKE) --no-print-directory ARCH=host BUILD=build/host lib

# Relinked whenever the library changed (demo-lib brings it up to date).
$(DEMO_BIN): tests/demo/*.c tests/demo/*.h demo-lib
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
