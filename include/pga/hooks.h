/* SPDX-License-Identifier: MIT */
/*
 * struct pga_hooks: what the embedding kernel supplies.
 *
 * Every hook may be NULL; the comment on each says what pga does then.
 * Hooks receive the @ctx pointer given in the struct.  pga never holds a
 * zone lock across a hook that may sleep (direct_reclaim, oom, yield,
 * migrate_page); log, trace and the task queries may be called with
 * locks held and interrupts off, so they must not sleep or allocate.
 */
#ifndef PGA_HOOKS_H
#define PGA_HOOKS_H

#include "mmzone.h"
#include "types.h"

struct pga_page;

/* Log levels, as the kernel's (KERN_ERR ...). */
enum pga_log_level {
	PGA_LOG_ERR = 3,
	PGA_LOG_WARN = 4,
	PGA_LOG_INFO = 6,
	PGA_LOG_DEBUG = 7
};

/*
 * Task state bits (Linux PF_* and friends), read through task_flags and
 * changed through set_task_flags.
 */
#define PGA_TASK_MEMALLOC 0x01u	  /* PF_MEMALLOC: reclaiming, use reserves */
#define PGA_TASK_NOIO 0x02u	  /* memalloc_noio scope: clear IO and FS */
#define PGA_TASK_NOFS 0x04u	  /* memalloc_nofs scope: clear FS */
#define PGA_TASK_OOM_VICTIM 0x08u /* chosen by the OOM killer: ALLOC_OOM */
#define PGA_TASK_RT 0x10u	  /* realtime task: MIN_RESERVE when blocking */
#define PGA_TASK_IN_IRQ 0x20u	  /* hard or soft interrupt context */
#define PGA_TASK_SOFTIRQ_MEMALLOC 0x40u /* softirq serving a MEMALLOC task */
#define PGA_TASK_PIN 0x80u	  /* memalloc_pin scope: clear MOVABLE */
#define PGA_TASK_KTHREAD 0x100u	  /* kernel thread (no compaction capture) */

/* Trace events, with the fields of Linux's tracepoints of the same name. */
enum pga_trace_type {
	PGA_TRACE_MM_PAGE_ALLOC,
	PGA_TRACE_MM_PAGE_FREE,
	PGA_TRACE_MM_PAGE_ALLOC_EXTFRAG,
	PGA_TRACE_MM_COMPACTION_BEGIN,
	PGA_TRACE_MM_COMPACTION_END,
	PGA_TRACE_MM_COMPACTION_MIGRATEPAGES,
	PGA_TRACE_MM_COMPACTION_DEFER
};

struct pga_trace_event {
	enum pga_trace_type type;
	pga_pfn_t pfn;		/* page (alloc, free, extfrag) */
	unsigned int order;
	pga_gfp_t gfp;		/* alloc */
	int migratetype;	/* alloc, extfrag: the requested type */
	int fallback_order;	/* extfrag */
	int fallback_migratetype; /* extfrag */
	bool change_ownership;	/* extfrag: pageblock changed type */
	int nid, zone;		/* compaction */
	pga_pfn_t migrate_pfn, free_pfn; /* compaction begin/end */
	int status;		/* compaction end: the result */
	unsigned long nr_migrated, nr_failed; /* compaction migratepages */
};

struct pga_hooks {
	void *ctx;

	/* -- environment ------------------------------------------------- */
	/* A complete message line without newline.  NULL: dropped. */
	void (*log)(void *ctx, enum pga_log_level level, const char *msg);
	/* Unrecoverable corruption.  NULL: pga spins forever. */
	void (*panic)(void *ctx, const char *msg);
	/* Overrides pga_arch_cpu_id().  NULL: the arch's answer. */
	unsigned int (*cpu_id)(void *ctx);
	/*
	 * Node of @cpu (it may be a node without memory: allocations then
	 * prefer the nearest node that has some).  NULL: params.cpu_to_node[].
	 */
	int (*cpu_to_node)(void *ctx, unsigned int cpu);
	/* Monotonic nanoseconds, for rate limits.  NULL: no time limits. */
	uint64_t (*clock_ns)(void *ctx);
	/* Give up the CPU briefly (cond_resched).  NULL: nothing. */
	void (*yield)(void *ctx);

	/* -- task context -------------------------------------------------- */
	/* PGA_TASK_* bits of the current task.  NULL: a single global word. */
	unsigned int (*task_flags)(void *ctx);
	/* Replace the current task's PGA_TASK_* bits.  NULL: global word. */
	void (*set_task_flags)(void *ctx, unsigned int flags);
	/*
	 * The current task has a fatal signal pending.  NULL: false.  It
	 * stops throttling and compaction early, and at the OOM step makes
	 * the task its own OOM victim (ALLOC_OOM once, then failure).  Low
	 * order GFP_NOIO/NOFS requests otherwise retry until memory appears,
	 * as in Linux, so a kernel that can kill a stuck task reports it here.
	 */
	bool (*fatal_signal_pending)(void *ctx);
	/*
	 * cpusets: may the current task allocate on @nid under @gfp?  With
	 * __GFP_HARDWALL in @gfp the answer is the task's own nodes (the fast
	 * path asks this for every node with memory when the caller gave no
	 * nodemask); without it the embedder may allow more (Linux's softwall
	 * rules, interrupts).  NULL: cpusets are off (every node allowed).
	 */
	bool (*cpuset_node_allowed)(void *ctx, int nid, pga_gfp_t gfp);
	/*
	 * cpusets: a number that changes whenever the current task's allowed
	 * nodes change (Linux read_mems_allowed_begin/retry).  The slow path
	 * restarts rather than fail or OOM-kill when it changed under it.
	 * NULL: never changes.
	 */
	unsigned int (*cpuset_mems_cookie)(void *ctx);
	/* __GFP_WRITE spreading: is @nid under its dirty limit?  NULL: yes. */
	bool (*node_dirty_ok)(void *ctx, int nid);

	/* -- reclaim side -------------------------------------------------- */
	/* Wake the kswapd of @nid.  NULL: nothing (no background reclaim). */
	void (*wake_kswapd)(void *ctx, int nid, unsigned int order,
			    int highest_zoneidx);
	/* Wake the compaction daemon of @nid.  NULL: nothing. */
	void (*wake_kcompactd)(void *ctx, int nid, unsigned int order,
			       int highest_zoneidx);
	/*
	 * Direct reclaim: free up to @nr_to_reclaim pages usable by a request
	 * of @gfp/@order on the nodes of @nodemask (NULL: all).  Returns the
	 * number of pages freed (progress); the pages must go back through
	 * pga's free calls.  A hook that keeps claiming progress while
	 * freeing nothing (16 calls in a row) is reported once through log
	 * and its claims count as no progress, so the request can fail or
	 * reach the OOM hook.  May sleep.  NULL: 0.
	 */
	unsigned long (*direct_reclaim)(void *ctx, pga_gfp_t gfp,
					unsigned int order,
					const pga_nodemask_t *nodemask,
					unsigned long nr_to_reclaim);
	/* Pages the embedder could reclaim in a zone.  NULL: 0. */
	unsigned long (*reclaimable_pages)(void *ctx, int nid, int zone);
	/*
	 * Out of memory: choose and kill a victim, or otherwise make
	 * progress.  Returns true if it did (Linux out_of_memory()).
	 * May sleep.  NULL: false.
	 */
	bool (*oom)(void *ctx, pga_gfp_t gfp, unsigned int order,
		    const pga_nodemask_t *nodemask);
	/*
	 * Move the contents of allocated page @src into the freshly
	 * allocated page @dst and repoint every reference, so that @src can
	 * be freed.  Returns 0 on success (pga then frees @src) or a negative
	 * code to refuse.  May sleep.  NULL: every migration is refused.
	 */
	int (*migrate_page)(void *ctx, struct pga_page *dst,
			    struct pga_page *src);

	/*
	 * debug_pagealloc: map (@map true) or unmap @nr_pages pages of the
	 * direct map at @va, so that free pages fault when touched.  The
	 * arch page-table code provides the body: with PGA_ARCH_HAS_PGTABLE,
	 * call pga_pgtable_kernel_map_pages() on the direct map's tables.
	 * Map the direct map with 4 KiB entries when this is on, so no table
	 * page is needed while freeing.  Returns 0 or a negative code (pga
	 * reports it).  Called with no pga lock held, interrupts possibly off;
	 * must not sleep or allocate.  NULL: params.debug_pagealloc is refused.
	 */
	int (*kernel_map_pages)(void *ctx, void *va, unsigned long nr_pages,
				bool map);

	/* -- observability --------------------------------------------------- */
	/* A trace event.  NULL: none. */
	void (*trace)(void *ctx, const struct pga_trace_event *ev);
};

#endif /* PGA_HOOKS_H */
