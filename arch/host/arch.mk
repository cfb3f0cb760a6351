# Host backend: a user-space library for unit tests, benchmarks and the demo.
ARCH_CFLAGS += -D_DEFAULT_SOURCE -pthread
ARCH_SRCS += $(sort $(wildcard arch/host/*.c))
ARCH_PC_CFLAGS := -pthread
HOST_LDLIBS := -pthread
