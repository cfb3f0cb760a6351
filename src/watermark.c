/* SPDX-License-Identifier: MIT */
/*
 * Watermarks (Linux 6.6 mm/page_alloc.c): min_free_kbytes, the per-zone
 * min/low/high/promo marks with boost, lowmem_reserve, totalreserve, and
 * the checks the allocator makes against them.  All arithmetic is integer
 * and matches the reference, truncation included.
 */
#include "internal.h"

#define PGA_SWAP_CLUSTER_MAX 32UL

/* Floor of the square root (Linux int_sqrt). */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static unsigned long mult_frac(unsigned long x, unsigned long n,
			       unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

#define for_each_zone(z)                                                  \
	for (int nid_ = 0; nid_ < pga_g.nr_nodes; nid_++)                 \
		for (int zt_ = 0; zt_ < PGA_MAX_NR_ZONES &&               \
				  ((z) = &pga_g.nodes[nid_].node_zones[zt_]); \
		     zt_++)

/* Watermark @i of @z including the boost (Linux wmark_pages). */
unsigned long pga_wmark_pages(const struct pga_zone *z, int i)
{
	return PGA_READ_ONCE(z->watermark[i]) +
	       PGA_READ_ONCE(z->watermark_boost);
}

/*
 * Sum of max(0, managed - high) over the zones up to @highest (Linux
 * nr_free_zone_pages).  Context: any.
 */
unsigned long pga_nr_free_zone_pages(int highest)
{
	unsigned long sum = 0;
	struct pga_zone *z;

	for_each_zone(z) {
		unsigned long size = zone_managed(z);
		unsigned long high = pga_wmark_pages(z, PGA_WMARK_HIGH);

		if ((int)z->idx <= highest && size > high)
			sum += size - high;
	}
	return sum;
}

/*
 * min_free_kbytes for @lowmem_kbytes of low memory (Linux: the square
 * root of 16 * lowmem_kbytes, clamped to 128..262144).  Context: any.
 */
int pga_calc_min_free_kbytes(unsigned long lowmem_kbytes)
{
	unsigned long kb = int_sqrt(lowmem_kbytes * 16);

	return (int)PGA_MIN(PGA_MAX(kb, 128UL), 262144UL);
}

/*
 * Linux calculate_min_free_kbytes: recompute from the low memory that is
 * free above the high watermarks, unless the user's value is larger.
 */
static void calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes =
		pga_nr_free_zone_pages(PGA_ZONE_NORMAL) * (PGA_PAGE_SIZE >> 10);
	long new_min = (long)int_sqrt(lowmem_kbytes * 16);

	if (new_min > pga_g.user_min_free_kbytes)
		pga_g.min_free_kbytes = pga_calc_min_free_kbytes(lowmem_kbytes);
	else
		pga_log(PGA_LOG_WARN,
			"pga: min_free_kbytes is not updated to %ld because "
			"the user set %d", new_min, pga_g.user_min_free_kbytes);
}

static bool zone_is_lowmem(const struct pga_zone *z)
{
	return z->idx != PGA_ZONE_MOVABLE;
}

static void set_zone_wmarks(struct pga_zone *z, unsigned long pages_min,
			    unsigned long lowmem_pages)
{
	unsigned long managed = zone_managed(z);
	unsigned long tmp = (unsigned long)((uint64_t)pages_min * managed /
					    lowmem_pages);
	unsigned long flags = zone_lock(z);

	unsigned long min;

	if (!zone_is_lowmem(z))
		min = PGA_MIN(PGA_MAX(managed / 1024, PGA_SWAP_CLUSTER_MAX),
			      128UL);
	else
		min = tmp;
	tmp = PGA_MAX(tmp >> 2,
		      mult_frac(managed, pga_g.watermark_scale_factor, 10000));
	PGA_WRITE_ONCE(z->watermark_boost, 0);
	PGA_WRITE_ONCE(z->watermark[PGA_WMARK_MIN], min);
	PGA_WRITE_ONCE(z->watermark[PGA_WMARK_LOW], min + tmp);
	PGA_WRITE_ONCE(z->watermark[PGA_WMARK_HIGH], min + 2 * tmp);
	PGA_WRITE_ONCE(z->watermark[PGA_WMARK_PROMO], min + 3 * tmp);
	zone_unlock(z, flags);
}

/* Linux calculate_totalreserve_pages. */
static void calculate_totalreserve_pages(void)
{
	unsigned long total = 0;

	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		struct pga_node *n = &pga_g.nodes[nid];

		n->totalreserve_pages = 0;
		for (int i = 0; i < PGA_MAX_NR_ZONES; i++) {
			struct pga_zone *z = &n->node_zones[i];
			long max = 0;

			for (int j = i; j < PGA_MAX_NR_ZONES; j++)
				max = PGA_MAX(max, z->lowmem_reserve[j]);
			max += (long)pga_wmark_pages(z, PGA_WMARK_HIGH);
			max = PGA_MIN(max, (long)zone_managed(z));
			n->totalreserve_pages += (unsigned long)max;
			total += (unsigned long)max;
		}
	}
	pga_g.totalreserve_pages = total;
}

/* Linux __setup_per_zone_wmarks, then totalreserve and pcp limits. */
static void setup_per_zone_wmarks(void)
{
	unsigned long pages_min =
		(unsigned long)pga_g.min_free_kbytes >> (PGA_PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct pga_zone *z;

	for_each_zone(z)
		if (zone_is_lowmem(z))
			lowmem_pages += zone_managed(z);
	if (!lowmem_pages)
		lowmem_pages = 1;
	for_each_zone(z)
		set_zone_wmarks(z, pages_min, lowmem_pages);
	calculate_totalreserve_pages();
	pga_pcp_update_all();
}

/* Linux setup_per_zone_lowmem_reserve, then totalreserve. */
static void setup_per_zone_lowmem_reserve(void)
{
	for (int nid = 0; nid < pga_g.nr_nodes; nid++) {
		struct pga_node *n = &pga_g.nodes[nid];

		for (int i = 0; i < PGA_MAX_NR_ZONES - 1; i++) {
			struct pga_zone *z = &n->node_zones[i];
			unsigned int ratio = pga_g.lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed(z);
			unsigned long upper = 0;

			for (int j = i + 1; j < PGA_MAX_NR_ZONES; j++) {
				upper += zone_managed(&n->node_zones[j]);
				PGA_WRITE_ONCE(z->lowmem_reserve[j],
					       clear ? 0
						     : (long)(upper / ratio));
			}
		}
	}
	calculate_totalreserve_pages();
}

/*
 * Grouping by mobility makes no sense when there are fewer pages than a
 * pageblock of each type (Linux build_all_zonelists).
 */
static void update_mobility_grouping(void)
{
	unsigned long total = pga_nr_free_zone_pages(PGA_ZONE_MOVABLE);

	pga_g.group_by_mobility_disabled =
		pga_g.params.disable_mobility_grouping ||
		total < PGA_PAGEBLOCK_NR_PAGES * PGA_MIGRATE_TYPES;
}

/*
 * Check the tunables of @p as the sysctls check them: min_free_kbytes
 * -1 (computed) or >= 0, watermark_scale_factor 1..3000,
 * percpu_pagelist_high_fraction 0 or >= 8.
 * Return: 0 or -PGA_EINVAL (reported).  Context: init.
 */
int pga_watermark_check_params(const struct pga_params *p)
{
	const char *what = NULL;

	if (p->min_free_kbytes < -1)
		what = "min_free_kbytes";
	else if (p->watermark_scale_factor < 1 ||
		 p->watermark_scale_factor > 3000)
		what = "watermark_scale_factor";
	else if (p->percpu_pagelist_high_fraction &&
		 p->percpu_pagelist_high_fraction < 8)
		what = "percpu_pagelist_high_fraction";
	if (!what)
		return 0;
	pga_log(PGA_LOG_ERR, "pga: params.%s is out of range", what);
	return -PGA_EINVAL;
}

/*
 * Boot-time set-up (Linux init_per_zone_wmark_min): grouping, then
 * min_free_kbytes, watermarks and lowmem reserves, all from the Linux
 * defaults; a min_free_kbytes given in the params is then applied as if
 * written to the sysctl.  Context: init.
 */
void pga_watermark_init(void)
{
	const struct pga_params *p = &pga_g.params;

	pga_g.watermark_scale_factor = p->watermark_scale_factor;
	pga_g.watermark_boost_factor = p->watermark_boost_factor;
	for (int i = 0; i < PGA_MAX_NR_ZONES; i++)
		pga_g.lowmem_reserve_ratio[i] = p->lowmem_reserve_ratio[i];
	pga_g.percpu_pagelist_high_fraction = p->percpu_pagelist_high_fraction;
	pga_g.user_min_free_kbytes = -1;
	pga_g.min_free_kbytes = 1024;
	pga_watermark_recalc();
	if (p->min_free_kbytes >= 0)
		pga_set_min_free_kbytes(p->min_free_kbytes);
}

/*
 * Recompute everything from the current managed counts, as Linux does
 * after memory is added or removed: grouping by mobility,
 * min_free_kbytes (kept if the user's value is larger), watermarks,
 * lowmem reserves.  Context: task, no allocation racing.
 */
void pga_watermark_recalc(void)
{
	update_mobility_grouping();
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
	setup_per_zone_lowmem_reserve();
}

/*
 * vm.min_free_kbytes: becomes the user's value and the watermarks (with
 * totalreserve and pcp limits) follow.  Return: 0 or -PGA_EINVAL for a
 * negative value.  Context: task.
 */
int pga_set_min_free_kbytes(int kbytes)
{
	if (kbytes < 0) {
		pga_log(PGA_LOG_ERR, "pga: min_free_kbytes %d refused", kbytes);
		return -PGA_EINVAL;
	}
	pga_g.min_free_kbytes = kbytes;
	pga_g.user_min_free_kbytes = kbytes;
	setup_per_zone_wmarks();
	return 0;
}

/* The current vm.min_free_kbytes.  Context: any. */
int pga_get_min_free_kbytes(void)
{
	return pga_g.min_free_kbytes;
}

/*
 * vm.watermark_scale_factor (1..3000): recomputes the watermarks.
 * Return: 0 or -PGA_EINVAL.  Context: task.
 */
int pga_set_watermark_scale_factor(unsigned int factor)
{
	if (factor < 1 || factor > 3000) {
		pga_log(PGA_LOG_ERR, "pga: watermark_scale_factor %u refused "
			"(1..3000)", factor);
		return -PGA_EINVAL;
	}
	pga_g.watermark_scale_factor = factor;
	setup_per_zone_wmarks();
	return 0;
}

/*
 * vm.watermark_boost_factor: takes effect at the next boost (0 turns
 * boosting off).  Return: 0.  Context: task.
 */
int pga_set_watermark_boost_factor(unsigned int factor)
{
	pga_g.watermark_boost_factor = factor;
	return 0;
}

/*
 * vm.lowmem_reserve_ratio (0: no reserve below that zone): the lowmem
 * reserves and totalreserve are recomputed.
 * Return: 0, or -PGA_EINVAL for NULL.  Context: task.
 */
int pga_set_lowmem_reserve_ratio(const unsigned int ratio[PGA_MAX_NR_ZONES])
{
	if (!ratio) {
		pga_log(PGA_LOG_ERR, "pga: lowmem_reserve_ratio NULL refused");
		return -PGA_EINVAL;
	}
	for (int i = 0; i < PGA_MAX_NR_ZONES; i++)
		pga_g.lowmem_reserve_ratio[i] = ratio[i];
	setup_per_zone_lowmem_reserve();
	return 0;
}

/* Linux __zone_watermark_unusable_free. */
static long unusable_free(const struct pga_zone *z, unsigned int order,
			  unsigned int alloc_flags)
{
	long unusable = (1L << order) - 1;

	if (!(alloc_flags & PGA_ALLOC_RESERVES))
		unusable += (long)PGA_READ_ONCE(z->nr_reserved_highatomic);
	if (PGA_CONFIG_CMA && !(alloc_flags & PGA_ALLOC_CMA))
		unusable += zone_page_state(z, PGA_NR_FREE_CMA_PAGES);
	return unusable;
}

static bool free_area_has_block(const struct pga_free_area *area,
				unsigned int alloc_flags)
{
	for (int mt = 0; mt < PGA_MIGRATE_PCPTYPES; mt++)
		if (!list_empty(&area->free_list[mt]))
			return true;
	if (PGA_CONFIG_CMA && (alloc_flags & PGA_ALLOC_CMA) &&
	    !list_empty(&area->free_list[PGA_MIGRATE_CMA]))
		return true;
	return (alloc_flags & (PGA_ALLOC_HIGHATOMIC | PGA_ALLOC_OOM)) &&
	       !list_empty(&area->free_list[PGA_MIGRATE_HIGHATOMIC]);
}

/*
 * Linux __zone_watermark_ok: may @z give a block of @order to a request
 * with @alloc_flags whose highest zone is @hz, given @free_pages free and
 * the watermark @mark?  Context: any (reads lists racily, as Linux does).
 */
bool pga_zone_watermark_ok_free(const struct pga_zone *z, unsigned int order,
				unsigned long mark, int hz,
				unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= unusable_free(z, order, alloc_flags);
	if (alloc_flags & PGA_ALLOC_RESERVES) {
		if (alloc_flags & PGA_ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & PGA_ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & PGA_ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + PGA_READ_ONCE(z->lowmem_reserve[hz]))
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o <= PGA_MAX_ORDER; o++) {
		const struct pga_free_area *area = &z->free_area[o];

		if (PGA_READ_ONCE(area->nr_free) &&
		    free_area_has_block(area, alloc_flags))
			return true;
	}
	return false;
}

/* Linux zone_watermark_ok: the above with the zone's free count. */
bool pga_zone_watermark_ok(const struct pga_zone *z, unsigned int order,
			   unsigned long mark, int hz, unsigned int alloc_flags)
{
	return pga_zone_watermark_ok_free(z, order, mark, hz, alloc_flags,
					  zone_page_state(z, PGA_NR_FREE_PAGES));
}

/*
 * The cheap order-0 test zone_watermark_fast starts with: of @free_pages,
 * those the request may use stay above @mark plus the lowmem reserve for
 * @hz.
 * False does not mean the watermark fails (the full check may still pass).
 * Context: any.
 */
bool pga_zone_watermark_quick(const struct pga_zone *z, unsigned long mark,
			      int hz, unsigned int alloc_flags,
			      long free_pages)
{
	long usable = free_pages;
	long reserved = unusable_free(z, 0, alloc_flags);

	usable -= PGA_MIN(usable, reserved);
	return usable > (long)mark + PGA_READ_ONCE(z->lowmem_reserve[hz]);
}

/*
 * Linux zone_watermark_fast: a cheap order-0 test first, the full check
 * next, and for __GFP_HIGH order-0 requests at the MIN mark a retry that
 * ignores the boost.  Context: any.
 */
bool pga_zone_watermark_fast(const struct pga_zone *z, unsigned int order,
			     unsigned long mark, int hz,
			     unsigned int alloc_flags)
{
	long free_pages = zone_page_state(z, PGA_NR_FREE_PAGES);

	if (!order && pga_zone_watermark_quick(z, mark, hz, alloc_flags,
					      free_pages))
		return true;
	if (pga_zone_watermark_ok_free(z, order, mark, hz, alloc_flags,
				       free_pages))
		return true;
	if (!order && (alloc_flags & PGA_ALLOC_MIN_RESERVE) &&
	    PGA_READ_ONCE(z->watermark_boost) &&
	    (alloc_flags & PGA_ALLOC_WMARK_MASK) == PGA_WMARK_MIN)
		return pga_zone_watermark_ok_free(
			z, order, PGA_READ_ONCE(z->watermark[PGA_WMARK_MIN]),
			hz, alloc_flags, free_pages);
	return false;
}

/*
 * Raise the boost after a fallback steal below pageblock size (Linux
 * boost_watermark).  Return: true if the boost was raised.
 * Context: zone lock held.
 */
bool pga_boost_watermark_locked(struct pga_zone *z)
{
	unsigned long max_boost;

	PGA_ASSERT_LOCKED(z);
	if (!pga_g.watermark_boost_factor)
		return false;
	if (PGA_PAGEBLOCK_NR_PAGES * 4 > zone_managed(z))
		return false;
	max_boost = mult_frac(z->watermark[PGA_WMARK_HIGH],
			      pga_g.watermark_boost_factor, 10000);
	if (!max_boost)
		return false;
	max_boost = PGA_MAX(PGA_PAGEBLOCK_NR_PAGES, max_boost);
	PGA_WRITE_ONCE(z->watermark_boost,
		       PGA_MIN(z->watermark_boost + PGA_PAGEBLOCK_NR_PAGES,
			       max_boost));
	return true;
}
