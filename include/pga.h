/* SPDX-License-Identifier: MIT */
/*
 * pga: a zoned buddy page allocator for kernels, following Linux's
 * semantics.  Include this one header.
 */
#ifndef PGA_H
#define PGA_H

#include "pga/config.h"
#include "pga/types.h"
#include "pga/arch.h"
#include "pga/gfp.h"
#include "pga/page.h"
#include "pga/mmzone.h"
#include "pga/hooks.h"
#include "pga/init.h"
#include "pga/alloc.h"
#include "pga/stats.h"
#include "pga/memory.h"
#include "pga/reclaim.h"

#endif /* PGA_H */
