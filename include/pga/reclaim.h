/* SPDX-License-Identifier: MIT */
/*
 * Background reclaim and compaction.
 *
 * The embedding kernel owns the threads; pga owns the decisions.  pga
 * calls the wake_kswapd / wake_kcompactd hooks (hooks.h) when a node
 * needs work, and the kernel's threads call the bodies below when woken:
 *
 *	kswapd (one per node):	wait for wake_kswapd(nid, order, zone);
 *				pga_kswapd_balance(nid, order, zone);
 *	kcompactd (per node):	wait for wake_kcompactd(nid, ...);
 *				pga_kcompactd_run(nid);
 *
 * Reclaim itself goes through the direct_reclaim hook (kswapd uses it too,
 * with a nodemask of its node), and compaction moves pages the embedder
 * marked movable through the migrate_page hook.  A kernel with no
 * compaction thread may leave wake_kcompactd NULL: kswapd then runs the
 * compaction body itself before it sleeps.
 */
#ifndef PGA_RECLAIM_H
#define PGA_RECLAIM_H

#include "types.h"

/*
 * The kswapd body (Linux balance_pgdat + the work kswapd does before it
 * sleeps): reclaim on node @nid through the direct_reclaim hook until
 * some zone up to @highest_zoneidx meets its high watermark (boost
 * included) at @order, at most 12 passes.  The largest order and zone
 * recorded by wake-ups since the last call are merged in and consumed.
 * A watermark boost is first reclaimed without IO, then given back.  A
 * call that frees nothing counts a failure; after 16 in a row the node is
 * "hopeless" and no longer woken until some reclaim makes progress.  Once
 * balanced it clears compaction skip hints left by direct compaction and
 * hands order > 0 to kcompactd.  Calls run with PF_MEMALLOC set.
 * Return: pages reclaimed; 0 and a log report for a bad argument.
 * Context: task (the kernel's kswapd thread), may sleep in hooks.
 */
unsigned long pga_kswapd_balance(int nid, unsigned int order,
				 int highest_zoneidx);

/*
 * The kcompactd body (Linux kcompactd_do_work): compact the zones of
 * node @nid for the order and zones recorded by wake-ups, in SYNC_LIGHT
 * mode, honouring and updating compaction deferral.
 * Return: pages migrated (0 if nothing was pending), -PGA_EINVAL for an
 * unknown node.  Context: task, may sleep in migrate_page.
 */
long pga_kcompactd_run(int nid);

/*
 * Compact every zone of node @nid completely (Linux compact_node, as
 * /proc/sys/vm/compact_memory does).  Return: pages migrated, or
 * -PGA_EINVAL for an unknown node.  Context: task.
 */
long pga_compact_node(int nid);

/*
 * vm.extfrag_threshold (0..1000, default 500): costly-order compaction is
 * skipped while a zone's fragmentation index is at or below it (the
 * failure is a lack of memory, not fragmentation).
 * Return: 0 or -PGA_EINVAL.  Context: any.
 */
int pga_set_extfrag_threshold(unsigned int threshold);

#endif /* PGA_RECLAIM_H */
