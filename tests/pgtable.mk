# Page-table unit tests: each format's code, the generic walker and the
# recording stub of the privileged operations, built for the host (or the
# host flavour of another CPU, see tests/arm64-user.mk) and linked into
# tests/unit/test_pgtable_<arch>.  The unit-test rules of tests/unit.mk
# build and run them; this fragment only adds their extra objects.
ifeq ($(ARCH),host)
PT_TEST_OBJS := $(BUILD)/obj/arch/common/pgtable.o \
	$(BUILD)/obj/tests/unit/pt/generic.o $(BUILD)/obj/tests/unit/pt/stub.o
PT_TEST_CFLAGS := -Iarch/common -Itests/unit

$(BUILD)/tests/test_pgtable_x86_64: $(BUILD)/obj/arch/x86_64/pgtable.o \
	$(PT_TEST_OBJS)
$(BUILD)/tests/test_pgtable_arm64: $(BUILD)/obj/arch/arm64/pgtable.o \
	$(PT_TEST_OBJS)

# debug_pagealloc through the x86_64 format and the generic walker.
$(BUILD)/tests/test_debug_pagealloc: $(BUILD)/obj/arch/x86_64/pgtable.o \
	$(BUILD)/obj/arch/common/pgtable.o $(BUILD)/obj/arch/common/kmap.o \
	$(BUILD)/obj/tests/unit/pt/stub.o
$(BUILD)/obj/tests/unit/test_debug_pagealloc.o: TEST_CFLAGS += $(PT_TEST_CFLAGS)

$(BUILD)/obj/tests/unit/pt/%.o: TEST_CFLAGS += $(PT_TEST_CFLAGS)
$(BUILD)/obj/tests/unit/test_pgtable_%.o: TEST_CFLAGS += $(PT_TEST_CFLAGS)

-include $(BUILD)/obj/tests/unit/pt/generic.d $(BUILD)/obj/tests/unit/pt/stub.d
endif
