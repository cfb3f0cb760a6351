/* SPDX-License-Identifier: MIT */
/*
 * Scalar types and error codes shared by every pga header.
 *
 * Only the C11 freestanding headers are used, so the library builds with
 * -ffreestanding for a kernel.
 */
#ifndef PGA_TYPES_H
#define PGA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A physical address. */
typedef uint64_t pga_paddr_t;
/* A page frame number: physical address >> page shift. */
typedef uint64_t pga_pfn_t;
/* A GFP mask (see gfp.h); same bit values as Linux 6.6. */
typedef uint32_t pga_gfp_t;

/*
 * Error codes.  Set-up calls return 0 or one of these negated, with the
 * same numbers as Linux's errno values so logs read the same.
 */
#define PGA_ENOMEM 12 /* not enough memory (init metadata, allocation) */
#define PGA_EBUSY 16  /* range in use, cannot isolate or migrate */
#define PGA_EEXIST 17 /* range overlaps memory already managed */
#define PGA_EINVAL 22 /* malformed argument */
#define PGA_ERANGE 34 /* outside what the configuration supports */
#define PGA_ENOSYS 38 /* entry not provided by this arch or build */
#define PGA_EAGAIN 11 /* transient failure, try again */
#define PGA_EINTR 4   /* interrupted by a fatal signal (hook) */

/* "No node preference" for the node arguments (Linux NUMA_NO_NODE). */
#define PGA_NUMA_NO_NODE (-1)

#endif /* PGA_TYPES_H */
