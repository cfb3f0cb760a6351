/* SPDX-License-Identifier: MIT */
/*
 * Compaction internals shared by compaction.c (policy: suitability,
 * deferral, the per-zone run, capture, kcompactd), compaction_scan.c (the
 * migrate and free scanners and migration) and slowpath.c, and read by the
 * unit tests.  The names follow Linux mm/compaction.c.
 */
#ifndef PGA_COMPACTION_H
#define PGA_COMPACTION_H

#include "internal.h"

/* Linux enum compact_priority: lower is stronger. */
enum pga_compact_priority {
	PGA_COMPACT_PRIO_SYNC_FULL,
	PGA_COMPACT_PRIO_SYNC_LIGHT,
	PGA_COMPACT_PRIO_ASYNC,
};
#define PGA_MIN_COMPACT_PRIORITY PGA_COMPACT_PRIO_SYNC_FULL
#define PGA_MIN_COMPACT_COSTLY_PRIORITY PGA_COMPACT_PRIO_SYNC_LIGHT
#define PGA_DEF_COMPACT_PRIORITY PGA_COMPACT_PRIO_SYNC_LIGHT
#define PGA_INIT_COMPACT_PRIORITY PGA_COMPACT_PRIO_ASYNC

/* Linux enum compact_result, in its order (callers compare with <, max). */
enum pga_compact_result {
	PGA_COMPACT_NOT_SUITABLE_ZONE,
	PGA_COMPACT_SKIPPED,
	PGA_COMPACT_DEFERRED,
	PGA_COMPACT_NO_SUITABLE_PAGE,
	PGA_COMPACT_CONTINUE,
	PGA_COMPACT_COMPLETE,
	PGA_COMPACT_PARTIAL_SKIPPED,
	PGA_COMPACT_CONTENDED,
	PGA_COMPACT_SUCCESS,
};

/* Linux enum migrate_mode, as far as compaction uses it. */
enum pga_migrate_mode { PGA_MIGRATE_ASYNC, PGA_MIGRATE_SYNC_LIGHT,
			PGA_MIGRATE_SYNC };

/* Linux isolate_migrate_t. */
enum pga_isolate_result { PGA_ISOLATE_ABORT, PGA_ISOLATE_NONE,
			  PGA_ISOLATE_SUCCESS };

/* The current task has a fatal signal pending (hook; NULL: never). */
static inline bool fatal_signal_pending(void)
{
	return pga_g.hooks.fatal_signal_pending &&
	       pga_g.hooks.fatal_signal_pending(pga_g.hooks.ctx);
}

#define PGA_COMPACT_MAX_DEFER_SHIFT 6
#define PGA_COMPACT_CLUSTER_MAX 32
#define PGA_MAX_COMPACT_RETRIES 16
#define PGA_EXTFRAG_THRESHOLD_DEFAULT 500

/* compact_gap(order): free pages compaction needs to work with. */
static inline unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}

/*
 * One compaction run over one zone (Linux struct compact_control).
 * order -1 means "compact the whole zone" (/proc/sys/vm/compact_memory).
 */
struct pga_compact_control {
	struct pga_list_head freepages;	   /* isolated free targets */
	struct pga_list_head migratepages; /* isolated movable pages */
	unsigned long nr_freepages, nr_migratepages;
	unsigned long total_migrate_scanned, total_free_scanned;
	unsigned long nr_migrated, nr_failed;
	pga_pfn_t free_pfn;	/* free scanner: next pfn, going down */
	pga_pfn_t migrate_pfn;	/* migrate scanner: next pfn, going up */
	struct pga_zone *zone;
	pga_gfp_t gfp;
	int order;
	int migratetype;
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum pga_migrate_mode mode;
	bool ignore_skip_hint;
	bool ignore_block_suitable;
	bool direct_compaction;
	bool whole_zone;
	bool contended;
};

/* Linux struct capture_control: the block a direct compactor waits for. */
struct pga_capture_control {
	struct pga_compact_control *cc;
	struct pga_page *page;
};

/* compaction.c */
bool pga_compaction_suitable_free(const struct pga_zone *z, unsigned int order,
				  int hz, unsigned long free);
bool pga_compaction_suitable(const struct pga_zone *z, unsigned int order,
			     int hz);
void pga_defer_compaction(struct pga_zone *z, int order);
bool pga_compaction_deferred(struct pga_zone *z, int order);
void pga_compaction_defer_reset(struct pga_zone *z, int order, bool success);
bool pga_compaction_restarting(const struct pga_zone *z, int order);
void pga_reset_isolation_suitable(struct pga_zone *z);
enum pga_compact_result pga_compact_zone(struct pga_compact_control *cc,
					 struct pga_capture_control *capc);
enum pga_compact_result
pga_try_to_compact_pages(pga_gfp_t gfp, unsigned int order,
			 unsigned int alloc_flags,
			 const struct pga_alloc_context *ac,
			 enum pga_compact_priority prio,
			 struct pga_page **capture);
bool pga_compaction_zonelist_suitable(const struct pga_alloc_context *ac,
				      unsigned int order,
				      unsigned int alloc_flags);
void pga_wakeup_kcompactd(struct pga_node *n, int order, int hz);
unsigned long pga_capture_open(struct pga_capture_control *capc,
			       unsigned int *cpu, bool *published);
void pga_capture_close(struct pga_capture_control *capc, unsigned int cpu,
		       bool published, unsigned long flags);

/* compaction_scan.c */
void pga_compact_cc_init(struct pga_compact_control *cc, struct pga_zone *z,
			 int order, pga_gfp_t gfp);
bool pga_compact_scanners_met(const struct pga_compact_control *cc);
enum pga_isolate_result
pga_isolate_migratepages(struct pga_compact_control *cc);
int pga_compact_migrate_pages(struct pga_compact_control *cc,
			      struct pga_capture_control *capc);
void pga_compact_putback(struct pga_compact_control *cc);
pga_pfn_t pga_compact_release_freepages(struct pga_compact_control *cc);
void pga_compact_drain_local(struct pga_compact_control *cc,
			     struct pga_capture_control *capc);

#endif /* PGA_COMPACTION_H */
