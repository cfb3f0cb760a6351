/* SPDX-License-Identifier: MIT */
/*
 * CMA areas (Linux mm/cma.c): ranges declared in struct pga_params whose
 * pageblocks are MIGRATE_CMA.  The buddy lends their pages to movable
 * allocations only (ALLOC_CMA, see fallback.c and watermark.c);
 * pga_cma_alloc() takes a run back with a contiguous allocation that
 * migrates those pages away.  A bitmap per area, carved at boot like the
 * rest of pga's metadata, records the pages pga_cma_alloc() handed out,
 * so a busy run is skipped without being isolated.
 *
 * Boot (called by pga_init()): pga_cma_reserve() validates the areas and
 * makes memblock keep metadata out of them, pga_cma_carve() carves the
 * bitmaps, pga_cma_activate() sets the pageblock types before the buddy
 * is seeded, so CMA blocks never merge with others.
 */
#include "internal.h"
#include "memblock.h"

#define BITS_PER_LONG (8 * sizeof(unsigned long))

struct pga_cma {
	pga_pfn_t base_pfn;
	unsigned long count;
	unsigned long used;
	int nid;
	enum pga_zone_type zone;
	pga_arch_spinlock_t lock;
	unsigned long *bitmap; /* one bit per page, set = handed out */
};

static struct pga_cma cma_areas[PGA_CONFIG_MAX_CMA_AREAS];
static unsigned int nr_cma_areas;

static int bad_area(unsigned int idx, const struct pga_mem_range *r,
		    const char *why)
{
	pga_log(PGA_LOG_ERR, "pga: CMA area %u (%#llx+%#llx) %s", idx,
		(unsigned long long)r->base, (unsigned long long)r->size, why);
	return -PGA_EINVAL;
}

static bool overlaps(const struct pga_mb_range *a, size_t n, pga_pfn_t s,
		     pga_pfn_t e)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].start < e && s < a[i].end)
			return true;
	return false;
}

/* Check area @idx against the RAM and reserved ranges of @mb. */
static int check_area(const struct pga_memblock *mb, unsigned int idx,
		      const struct pga_mem_range *r, struct pga_cma *area)
{
	pga_paddr_t align = (pga_paddr_t)PGA_PAGEBLOCK_NR_PAGES
			    << PGA_PAGE_SHIFT;
	pga_pfn_t s = r->base >> PGA_PAGE_SHIFT;
	pga_pfn_t e = (r->base + r->size) >> PGA_PAGE_SHIFT, lim;
	int nid = -1;

	if (!r->size || ((r->base | r->size) & (align - 1)) ||
	    r->base + r->size < r->base || e > PGA_MAX_PFN)
		return bad_area(idx, r, "is not a pageblock-aligned range");
	for (size_t i = 0; i < mb->nr_ram; i++)
		if (mb->ram[i].start <= s && e <= mb->ram[i].end)
			nid = mb->ram[i].nid;
	if (nid < 0)
		return bad_area(idx, r, "is not inside one RAM range");
	if (overlaps(mb->res, mb->nr_res, s, e))
		return bad_area(idx, r, "overlaps reserved memory");
	area->zone = pga_zone_of_pfn(s, &lim);
	if (e > lim)
		return bad_area(idx, r, "spans two zones");
	area->base_pfn = s;
	area->count = (unsigned long)(e - s);
	area->nid = nid;
	area->used = 0;
	return 0;
}

/*
 * Validate the @nr CMA areas of @cma against @mb and record them, in
 * @mb->cma too so memblock never carves metadata from them.
 * Return: 0, -PGA_EINVAL (logged), or -PGA_ENOSYS without PGA_CONFIG_CMA.
 * Context: boot.
 */
int pga_cma_reserve(struct pga_memblock *mb, const struct pga_mem_range *cma,
		    unsigned int nr)
{
	nr_cma_areas = 0;
	if (!nr)
		return 0;
	if (!PGA_CONFIG_CMA) {
		pga_log(PGA_LOG_ERR, "pga: CMA areas given, but this build "
				     "has PGA_CONFIG_CMA 0");
		return -PGA_ENOSYS;
	}
	if (nr > PGA_CONFIG_MAX_CMA_AREAS || !cma) {
		pga_log(PGA_LOG_ERR, "pga: %u CMA areas, at most %d", nr,
			PGA_CONFIG_MAX_CMA_AREAS);
		return -PGA_EINVAL;
	}
	for (unsigned int i = 0; i < nr; i++) {
		struct pga_cma *a = &cma_areas[i];
		int err = check_area(mb, i, &cma[i], a);

		if (err)
			return err;
		if (overlaps(mb->cma, i, a->base_pfn, a->base_pfn + a->count))
			return bad_area(i, &cma[i],
					"overlaps another CMA area");
		mb->cma[i] = (struct pga_mb_range){
		    a->base_pfn, a->base_pfn + a->count, a->nid, true};
	}
	mb->nr_cma = nr;
	pga_mb_sort(mb->cma, nr);
	nr_cma_areas = nr;
	return 0;
}

/*
 * Carve each area's bitmap from its node (outside every CMA area).
 * Return: 0 or -PGA_ENOMEM.  Context: boot, after the memmap is carved.
 */
int pga_cma_carve(struct pga_memblock *mb)
{
	for (unsigned int i = 0; i < nr_cma_areas; i++) {
		struct pga_cma *a = &cma_areas[i];
		size_t bytes = (a->count + BITS_PER_LONG - 1) / BITS_PER_LONG *
			       sizeof(unsigned long);
		unsigned long pages =
		    (bytes + PGA_PAGE_SIZE - 1) >> PGA_PAGE_SHIFT;
		pga_pfn_t pfn = pga_mb_carve(mb, pages, a->nid);

		if (pfn == PGA_MB_NONE) {
			pga_log(PGA_LOG_ERR,
				"pga: no room for the bitmap of CMA area %u",
				i);
			return -PGA_ENOMEM;
		}
		a->bitmap = pga_phys_to_virt(pfn << PGA_PAGE_SHIFT);
		__builtin_memset(a->bitmap, 0, bytes);
		pga_arch_spin_init(&a->lock);
	}
	return 0;
}

/*
 * Make every pageblock of every area MIGRATE_CMA.  Context: boot, after
 * the memmap is initialised and before the buddy is seeded.
 */
void pga_cma_activate(void)
{
	for (unsigned int i = 0; i < nr_cma_areas; i++) {
		const struct pga_cma *a = &cma_areas[i];

		for (unsigned long off = 0; off < a->count;
		     off += PGA_PAGEBLOCK_NR_PAGES)
			pga_pageblock_set_type(a->base_pfn + off,
					       PGA_MIGRATE_CMA);
	}
}

struct pga_cma *pga_cma_area(unsigned int idx)
{
	if (!pga_g.initialised || idx >= nr_cma_areas)
		return NULL;
	return &cma_areas[idx];
}

static bool area_ok(const struct pga_cma *cma)
{
	if (pga_g.initialised && cma >= cma_areas &&
	    cma < cma_areas + nr_cma_areas)
		return true;
	pga_log(PGA_LOG_ERR, "pga: %p is not a CMA area", (const void *)cma);
	return false;
}

int pga_cma_get_info(const struct pga_cma *cma, struct pga_cma_info *info)
{
	if (!area_ok(cma))
		return -PGA_EINVAL;
	info->base_pfn = cma->base_pfn;
	info->count = cma->count;
	info->used = __atomic_load_n(&cma->used, __ATOMIC_RELAXED);
	info->nid = cma->nid;
	info->zone = cma->zone;
	return 0;
}

static bool test_bit(const struct pga_cma *c, unsigned long bit)
{
	return (c->bitmap[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

/* Set or clear bits [@bit, @bit + @n) and account them. */
static void mark_bits(struct pga_cma *c, unsigned long bit, unsigned long n,
		      bool set)
{
	for (unsigned long i = bit; i < bit + n; i++) {
		unsigned long m = 1UL << (i % BITS_PER_LONG);

		if (set)
			c->bitmap[i / BITS_PER_LONG] |= m;
		else
			c->bitmap[i / BITS_PER_LONG] &= ~m;
	}
	c->used = set ? c->used + n : c->used - n;
}

/* Are bits [@bit, @bit + @n) all @set? */
static bool bits_are(const struct pga_cma *c, unsigned long bit,
		     unsigned long n, bool set)
{
	for (unsigned long i = bit; i < bit + n; i++)
		if (test_bit(c, i) != set)
			return false;
	return true;
}

/*
 * The first clear run of @count bits at or after @start whose pfn is a
 * multiple of @mask + 1, or -1.
 */
static long find_run(const struct pga_cma *c, unsigned long start,
		     unsigned long count, unsigned long mask)
{
	unsigned long first =
	    (unsigned long)((mask + 1 - (c->base_pfn & mask)) & mask);
	unsigned long bit = first;

	if (start > first)
		bit = first + PGA_ALIGN_UP(start - first, mask + 1);
	for (; bit < c->count && count <= c->count - bit; bit += mask + 1)
		if (bits_are(c, bit, count, false))
			return (long)bit;
	return -1;
}

/* Reserve a run in the bitmap under the area lock; -1 if none. */
static long reserve_run(struct pga_cma *c, unsigned long start,
			unsigned long count, unsigned long mask)
{
	unsigned long flags = pga_arch_irq_save();
	long bit;

	pga_arch_spin_lock(&c->lock);
	bit = find_run(c, start, count, mask);
	if (bit >= 0)
		mark_bits(c, (unsigned long)bit, count, true);
	pga_arch_spin_unlock(&c->lock);
	pga_arch_irq_restore(flags);
	return bit;
}

static void unreserve_run(struct pga_cma *c, unsigned long bit,
			  unsigned long count)
{
	unsigned long flags = pga_arch_irq_save();

	pga_arch_spin_lock(&c->lock);
	mark_bits(c, bit, count, false);
	pga_arch_spin_unlock(&c->lock);
	pga_arch_irq_restore(flags);
}

struct pga_page *pga_cma_alloc(struct pga_cma *cma, unsigned long count,
			       unsigned int align, bool no_warn)
{
	unsigned long mask, start = 0;
	int ret = -PGA_ENOMEM;
	long bit;

	if (!area_ok(cma))
		return NULL;
	if (!count || count > cma->count ||
	    align > PGA_CONFIG_MAX_PHYS_BITS - PGA_PAGE_SHIFT) {
		pga_log(PGA_LOG_ERR,
			"pga: cma_alloc of %lu pages aligned to "
			"order %u from an area of %lu refused",
			count, align, cma->count);
		return NULL;
	}
	mask = (1UL << align) - 1;
	while ((bit = reserve_run(cma, start, count, mask)) >= 0) {
		pga_pfn_t pfn = cma->base_pfn + (unsigned long)bit;

		ret = pga_alloc_contig_range(pfn, pfn + count, PGA_MIGRATE_CMA,
					     PGA_GFP_KERNEL | PGA_GFP_NOWARN);
		if (!ret)
			return pfn_page(pfn);
		unreserve_run(cma, (unsigned long)bit, count);
		if (ret != -PGA_EBUSY)
			break;
		start = (unsigned long)bit + mask + 1;
	}
	if (!no_warn)
		pga_log(PGA_LOG_WARN,
			"pga: cma%u: alloc failed, req-size: %lu "
			"pages, ret: %d",
			(unsigned int)(cma - cma_areas), count, ret);
	return NULL;
}

bool pga_cma_release(struct pga_cma *cma, const struct pga_page *pages,
		     unsigned long count)
{
	const struct pga_page *p = pga_page_checked(pages);
	unsigned long bit, flags;
	bool owned;

	if (!area_ok(cma))
		return false;
	if (!p) {
		pga_log(PGA_LOG_ERR,
			"pga: cma_release of %p, which is not a "
			"page pga manages",
			(const void *)pages);
		return false;
	}
	bit = (unsigned long)(page_pfn(p) - cma->base_pfn);
	if (page_pfn(p) < cma->base_pfn || !count || bit >= cma->count ||
	    count > cma->count - bit) {
		pga_log(PGA_LOG_ERR,
			"pga: cma_release of %lu pages at pfn "
			"%#llx: not inside the area",
			count, (unsigned long long)page_pfn(p));
		return false;
	}
	flags = pga_arch_irq_save();
	pga_arch_spin_lock(&cma->lock);
	owned = bits_are(cma, bit, count, true);
	pga_arch_spin_unlock(&cma->lock);
	pga_arch_irq_restore(flags);
	if (!owned) {
		pga_log(PGA_LOG_ERR,
			"pga: cma_release of %lu pages at pfn "
			"%#llx: not allocated from the area",
			count, (unsigned long long)page_pfn(p));
		return false;
	}
	pga_free_contig_range(page_pfn(p), count);
	unreserve_run(cma, bit, count);
	return true;
}
