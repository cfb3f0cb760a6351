/* SPDX-License-Identifier: MIT */
/*
 * Boot-time range bookkeeping (Linux memblock, reduced to what pga_init
 * needs): validate and sort the caller's ranges, subtract the reserved
 * ones, and carve metadata top-down from what is left.
 */
#include "internal.h"
#include "memblock.h"

/* Sort @n ranges by start (insertion sort: n is small).  Context: any. */
void pga_mb_sort(struct pga_mb_range *r, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct pga_mb_range key = r[i];
		size_t j = i;

		while (j > 0 && r[j - 1].start > key.start) {
			r[j] = r[j - 1];
			j--;
		}
		r[j] = key;
	}
}

static int check_range(const struct pga_mem_range *r, bool ram)
{
	const char *what = ram ? "RAM" : "reserved";

	if (r->size == 0) {
		pga_log(PGA_LOG_ERR, "pga: %s range at %#llx has size 0", what,
			(unsigned long long)r->base);
		return -PGA_EINVAL;
	}
	if ((r->base | r->size) & (PGA_PAGE_SIZE - 1)) {
		pga_log(PGA_LOG_ERR,
			"pga: %s range %#llx+%#llx is not page aligned", what,
			(unsigned long long)r->base,
			(unsigned long long)r->size);
		return -PGA_EINVAL;
	}
	if (r->base + r->size < r->base ||
	    ((r->base + r->size - 1) >> PGA_PAGE_SHIFT) >= PGA_MAX_PFN) {
		pga_log(PGA_LOG_ERR,
			"pga: %s range %#llx+%#llx is beyond %d physical bits",
			what, (unsigned long long)r->base,
			(unsigned long long)r->size, PGA_CONFIG_MAX_PHYS_BITS);
		return ram ? -PGA_EINVAL : 0;
	}
	if (ram && (r->nid < 0 || r->nid >= PGA_CONFIG_MAX_NODES)) {
		pga_log(PGA_LOG_ERR, "pga: RAM range %#llx has node %d, max %d",
			(unsigned long long)r->base, r->nid,
			PGA_CONFIG_MAX_NODES - 1);
		return -PGA_EINVAL;
	}
	return 0;
}

/*
 * Copy, validate and sort the RAM and reserved ranges into @mb.
 * Return: 0 or -PGA_EINVAL (reason logged).  Context: boot.
 */
int pga_mb_load(struct pga_memblock *mb, const struct pga_mem_range *ram,
		size_t nr_ram, const struct pga_mem_range *res, size_t nr_res)
{
	if (!ram || nr_ram == 0) {
		pga_log(PGA_LOG_ERR, "pga: no RAM ranges given");
		return -PGA_EINVAL;
	}
	if (nr_ram > PGA_CONFIG_MAX_RANGES || nr_res > PGA_CONFIG_MAX_RANGES ||
	    (nr_res && !res)) {
		pga_log(PGA_LOG_ERR, "pga: too many ranges (%zu RAM, %zu reserved)",
			nr_ram, nr_res);
		return -PGA_EINVAL;
	}
	mb->nr_ram = mb->nr_res = mb->nr_avail = mb->nr_cma = 0;
	for (size_t i = 0; i < nr_ram; i++) {
		int err = check_range(&ram[i], true);

		if (err)
			return err;
		mb->ram[mb->nr_ram++] = (struct pga_mb_range){
			ram[i].base >> PGA_PAGE_SHIFT,
			(ram[i].base + ram[i].size) >> PGA_PAGE_SHIFT,
			ram[i].nid};
	}
	for (size_t i = 0; i < nr_res; i++) {
		if (check_range(&res[i], false))
			return -PGA_EINVAL;
		mb->res[mb->nr_res++] = (struct pga_mb_range){
			res[i].base >> PGA_PAGE_SHIFT,
			(res[i].base + res[i].size) >> PGA_PAGE_SHIFT, -1};
	}
	pga_mb_sort(mb->ram, mb->nr_ram);
	pga_mb_sort(mb->res, mb->nr_res);
	for (size_t i = 1; i < mb->nr_ram; i++) {
		if (mb->ram[i].start < mb->ram[i - 1].end) {
			pga_log(PGA_LOG_ERR,
				"pga: RAM ranges overlap at pfn %#llx",
				(unsigned long long)mb->ram[i].start);
			return -PGA_EINVAL;
		}
	}
	return 0;
}

static int push_one(struct pga_memblock *mb, pga_pfn_t s, pga_pfn_t e,
		    int nid, bool cma)
{
	if (s >= e)
		return 0;
	if (mb->nr_avail == PGA_ARRAY_SIZE(mb->avail))
		return -PGA_EINVAL;
	mb->avail[mb->nr_avail++] = (struct pga_mb_range){s, e, nid, cma};
	return 0;
}

/* Append [@s, @e) to the available ranges, cut at CMA area borders. */
static int avail_push(struct pga_memblock *mb, pga_pfn_t s, pga_pfn_t e,
		      int nid)
{
	for (size_t i = 0; i < mb->nr_cma && s < e; i++) {
		const struct pga_mb_range *c = &mb->cma[i];
		pga_pfn_t cut;

		if (c->end <= s || c->start >= e)
			continue;
		cut = PGA_MIN(c->end, e);
		if (push_one(mb, s, c->start, nid, false) ||
		    push_one(mb, PGA_MAX(s, c->start), cut, nid, true))
			return -PGA_EINVAL;
		s = cut;
	}
	return push_one(mb, s, e, nid, false);
}

/*
 * Compute the available ranges: RAM minus every reserved range, sorted,
 * and cut at the borders of the CMA areas (mb->cma, sorted).
 * Return: 0, or -PGA_EINVAL if the result has too many pieces.
 * Context: boot or hot-add (serialised).
 */
int pga_mb_compute_avail(struct pga_memblock *mb)
{
	for (size_t i = 0; i < mb->nr_ram; i++) {
		pga_pfn_t s = mb->ram[i].start, e = mb->ram[i].end;

		for (size_t j = 0; j < mb->nr_res && s < e; j++) {
			const struct pga_mb_range *r = &mb->res[j];

			if (r->end <= s || r->start >= e)
				continue;
			if (avail_push(mb, s, r->start, mb->ram[i].nid))
				return -PGA_EINVAL;
			s = PGA_MAX(s, r->end);
		}
		if (avail_push(mb, s, e, mb->ram[i].nid))
			return -PGA_EINVAL;
	}
	return 0;
}

static bool carve_from(struct pga_memblock *mb, size_t i, unsigned long n,
		       pga_pfn_t *out)
{
	struct pga_mb_range *a = &mb->avail[i];

	if (a->cma || a->end - a->start < n)
		return false;
	a->end -= n;
	*out = a->end;
	return true;
}

/*
 * Take @nr_pages contiguous pages for metadata, from the highest available
 * range of node @nid if one is big enough, else from any node (highest
 * first, keeping low DMA memory for last), never from a CMA area.  The
 * pages leave the available ranges, so whatever is still available
 * afterwards is what the buddy allocator manages.
 * Return: the first pfn, or PGA_MB_NONE.  Context: boot.
 */
pga_pfn_t pga_mb_carve(struct pga_memblock *mb, unsigned long nr_pages,
		       int nid)
{
	pga_pfn_t pfn;

	for (size_t i = mb->nr_avail; i-- > 0;)
		if (mb->avail[i].nid == nid && carve_from(mb, i, nr_pages, &pfn))
			return pfn;
	for (size_t i = mb->nr_avail; i-- > 0;)
		if (carve_from(mb, i, nr_pages, &pfn))
			return pfn;
	return PGA_MB_NONE;
}
