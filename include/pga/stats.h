/* SPDX-License-Identifier: MIT */
/*
 * Observability: the invariant walker, page accounting and Linux-format
 * text reports written through a caller-supplied emit callback.
 */
#ifndef PGA_STATS_H
#define PGA_STATS_H

#include "mmzone.h"
#include "types.h"

/*
 * Walk every zone and check the allocator's invariants: each free block
 * is on exactly one list that matches its order and its pageblock's type,
 * nr_free and the free counters match the lists, no two free buddies are
 * left unmerged, free + per-CPU + allocated + bad + reserved-by-pga pages
 * add up to managed, every pageblock holds a valid type, the isolated
 * pageblocks and offline pages match the zone's counts, and no offline
 * page is in use.
 * On the first violation a one-line description goes to @report (if not
 * NULL, truncated to @len) and to the log hook.
 * Return: 0 if consistent, -PGA_EINVAL otherwise.
 * Context: takes every zone lock in turn; quiesce other CPUs for an exact
 * answer.
 */
int pga_check(char *report, size_t len);

/* Where every managed page is, summed over all zones. */
struct pga_page_accounting {
	unsigned long managed;	 /* pages handed to the buddy at init */
	unsigned long free;	 /* on buddy free lists (isolated included) */
	unsigned long pcp;	 /* on per-CPU lists */
	unsigned long allocated; /* handed out and not yet freed */
	unsigned long bad;	 /* quarantined by bad-page checks */
	unsigned long isolated;	 /* part of free: in isolated pageblocks */
	unsigned long offline;	 /* offlined (memory.h): no longer managed */
};

/*
 * Fill @a.  managed == free + pcp + allocated + bad whenever the allocator
 * is quiescent.  Context: takes every zone lock in turn.
 */
void pga_page_accounting(struct pga_page_accounting *a);

/* Receives report text in pieces; @text is not NUL-terminated. */
typedef void (*pga_emit_fn)(void *ctx, const char *text, size_t len);

/* /proc/buddyinfo: one line per populated zone.  Context: any. */
void pga_show_buddyinfo(pga_emit_fn emit, void *ctx);

#endif /* PGA_STATS_H */
