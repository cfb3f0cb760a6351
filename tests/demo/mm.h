/* SPDX-License-Identifier: MIT */
/*
 * What the simulated machine's parts share: the memory-management state
 * the hooks own (machine.c) and the workload and kernel threads use
 * (workload.c).
 */
#ifndef PGA_DEMO_MM_H
#define PGA_DEMO_MM_H

#include <pthread.h>
#include <stdatomic.h>

#include "machine.h"

#define NPROC 8
#define KRING 192 /* kernel objects each worker keeps alive */

enum owner { O_NONE, O_ANON, O_CACHE };

/* Reverse map: who owns each page frame (Linux: rmap / page->mapping). */
struct rmap_ent {
	uint8_t type;
	uint8_t proc;
	uint32_t idx; /* slot in the process, or the cache entry */
};

struct apage {
	struct pga_page *page;
	uint64_t sig;
};

struct proc {
	bool alive;
	unsigned int gen;
	struct apage *pages; /* anonymous memory, movable */
	uint32_t n, cap;
	struct pga_page **thp; /* huge pages (compound, order 9) */
	uint32_t nthp, capthp;
};

/* A page cache entry, on the LRU (index 0 is the list head). */
struct centry {
	struct pga_page *page;
	uint64_t sig;
	uint32_t prev, next;
};

struct kthread {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool pending;
	unsigned int order;
	int zone;
};

struct loot {
	struct apage *pages;
	uint32_t n;
	struct pga_page **thp;
	uint32_t nthp;
};

enum { A_CACHE, A_ANON, A_KERNEL, A_ATOMIC, A_THP };

extern pthread_mutex_t mm_lock;		/* the kernel's mm lock */
extern struct proc procs[NPROC];
extern struct kthread kswapd[M_NODES], kcompactd[M_NODES];
extern atomic_bool stopping;
extern FILE *log_out;
extern _Thread_local bool is_kthread;
extern atomic_long n_kswapd_wake, n_kswapd_run, n_kswapd_pages;
extern atomic_long n_kcompactd_wake, n_kcompactd_run, n_kcompactd_pages;
extern atomic_long n_alloc[5], n_fail[5];

/* A page's contents, its reverse-map entry, a 64-bit mixer. */
uint64_t *page_data(struct pga_page *pg);
struct rmap_ent *rmap_of(struct pga_page *pg);
uint64_t mix(uint64_t x);
/* Monotonic nanoseconds (the clock hook). */
uint64_t hook_clock(void *ctx);
/* Record a wake-up request for a kernel thread and wake it. */
void kick(struct kthread *k, unsigned int order, int zone);
/* Page cache insert (mm_lock held); free pages the kernel dropped. */
bool cache_add(struct pga_page *pg, uint64_t sig);
void free_page_list(struct pga_page **pages, unsigned int n);
/* Take a process's memory (mm_lock held); free it, checking contents. */
struct loot proc_strip(struct proc *p);
unsigned long loot_free(struct loot *l, bool check);

#endif
