# SPDX-License-Identifier: MIT
# pga build.  Variables users set: ARCH (host, x86_64, arm64), CROSS_COMPILE,
# CC, BUILD (output directory), PREFIX, DESTDIR.
#
#   make                 library + unit tests for the host
#   make test            run the host unit tests
#   make check           everything CI runs (see CHECK_STEPS below)
#   make demo            the simulated machine
#   make ARCH=x86_64     freestanding kernel archive
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
#   make install PREFIX=/usr/local DESTDIR=...

ARCH ?= host
CROSS_COMPILE ?=
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
AR := $(CROSS_COMPILE)ar
NM := $(CROSS_COMPILE)nm
LD := $(CROSS_COMPILE)ld
BUILD ?= build/$(ARCH)
PREFIX ?= /usr/local
DESTDIR ?=

ifeq ($(wildcard arch/$(ARCH)/arch.mk),)
$(error unknown ARCH '$(ARCH)': expected one of $(notdir $(wildcard arch/*)))
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers
OPT ?= -O2 -g
EXTRA_CFLAGS ?=
ARCH_CFLAGS :=
ARCH_SRCS :=
include arch/$(ARCH)/arch.mk

CFLAGS_LIB := -std=c11 $(WARN) $(OPT) -Iinclude -Iarch/$(ARCH)/include \
	-fno-strict-aliasing $(ARCH_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP

LIB := $(BUILD)/libpga.a
LIB_SRCS := $(sort $(wildcard src/*.c)) $(ARCH_SRCS)
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))

.PHONY: all lib test check demo bench install clean help
all: lib

lib: $(LIB)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	@$(AR) rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_LIB) -c $< -o $@

-include $(LIB_OBJS:.o=.d)

# Test, demo, benchmark and CI fragments add their own targets and append
# to CHECK_STEPS, the list `make check` runs in order.
CHECK_STEPS :=
include $(sort $(wildcard tests/*.mk))

check:
	@set -e; for step in $(CHECK_STEPS); do \
		echo "=== make check: $$step"; \
		$(MAKE) --no-print-directory $$step; \
	done
	@echo "=== make check: all steps passed"

install: $(LIB)
	install -d $(DESTDIR)$(PREFIX)/include/pga $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/pga.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/pga/*.h $(DESTDIR)$(PREFIX)/include/pga/
	install -m 644 arch/$(ARCH)/include/*.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include' \
		'libdir=$${prefix}/lib' '' 'Name: pga' \
		'Description: zoned buddy page allocator for kernels ($(ARCH))' \
		'Version: 0.1.0' 'Cflags: -I$${includedir} $(ARCH_PC_CFLAGS)' \
		'Libs: -L$${libdir} -lpga' > $(DESTDIR)$(PREFIX)/lib/pkgconfig/pga.pc

clean:
	rm -rf build

help:
	@sed -n '2,12p' Makefile
