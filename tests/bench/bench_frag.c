/* SPDX-License-Identifier: MIT */
#include "bench.h"
void bench_frag(void) {}
