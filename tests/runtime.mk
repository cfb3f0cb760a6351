# Runtime memory (hot-add, isolation, contiguous ranges, CMA areas): the
# CMA and contiguous-range tests again in a build without PGA_CONFIG_CMA.
ifeq ($(ARCH),host)
NOCMA_BUILD := build/host-nocma

.PHONY: test-nocma
test-nocma:
	@$(MAKE) --no-print-directory BUILD=$(NOCMA_BUILD) \
		EXTRA_CFLAGS=-DPGA_CONFIG_CMA=0 \
		$(NOCMA_BUILD)/tests/test_cma $(NOCMA_BUILD)/tests/test_contig
	@$(NOCMA_BUILD)/tests/test_cma
	@$(NOCMA_BUILD)/tests/test_contig

CHECK_STEPS += test-nocma
endif
