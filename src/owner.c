/* SPDX-License-Identifier: MIT */
/*
 * Page owner records (Linux page_owner): for every allocated block, who
 * asked (caller address), for what (order, gfp) and where (CPU).  The
 * records sit in the memmap carve-out of each section, after the pageblock
 * bytes, when params.page_owner is set in a PGA_CONFIG_DEBUG build.
 */
#include "internal.h"

/* Bytes of owner records a section window of @pages pfns needs. */
size_t pga_owner_bytes(unsigned long pages)
{
	return pga_owner_enabled()
		       ? 16 + pages * sizeof(struct pga_page_owner) : 0;
}

static struct pga_page_owner *owner_of(const struct pga_page *page)
{
	const struct pga_mem_section *s = &pga_sections[page_section(page)];
	uintptr_t base = (uintptr_t)(s->pageblock +
				     ((s->hi - s->lo) >> PGA_PAGEBLOCK_ORDER));

	base = PGA_ALIGN_UP(base, (uintptr_t)16);
	return (struct pga_page_owner *)base + (page - s->map);
}

/* Record the allocation of @page.  Context: any. */
void pga_owner_record(const struct pga_page *page, unsigned int order,
		      pga_gfp_t gfp, uintptr_t caller)
{
	struct pga_page_owner *o;

	if (!pga_owner_enabled())
		return;
	o = owner_of(page);
	o->caller = caller;
	o->gfp = gfp;
	o->order = (uint16_t)order;
	o->cpu = (uint16_t)pga_cpu();
}

/* Forget the owner of the block at @page being freed.  Context: any. */
void pga_owner_clear(const struct pga_page *page)
{
	if (pga_owner_enabled())
		owner_of(page)->caller = 0;
}

int pga_page_owner(const struct pga_page *page, struct pga_page_owner *out)
{
	const struct pga_page_owner *o;

	page = pga_page_checked(page);
	if (!page || !pga_owner_enabled())
		return -PGA_EINVAL;
	o = owner_of(page);
	if (!o->caller)
		return -PGA_EINVAL;
	*out = *o;
	return 0;
}

unsigned long pga_show_page_owner(pga_emit_fn emit, void *ctx)
{
	unsigned long n = 0;

	if (!pga_owner_enabled())
		return 0;
	for (unsigned long sec = 0; sec < PGA_NR_SECTIONS; sec++) {
		const struct pga_mem_section *s = &pga_sections[sec];

		for (uint32_t i = 0; s->map && i < s->hi - s->lo; i++) {
			const struct pga_page_owner *o = owner_of(&s->map[i]);

			if (!o->caller)
				continue;
			pga_emitf(emit, ctx, "Page allocated via order %u, "
				  "mask %#x, pfn %#llx, cpu %u, caller %p\n",
				  o->order, o->gfp,
				  (unsigned long long)page_pfn(&s->map[i]),
				  o->cpu, (void *)o->caller);
			n++;
		}
	}
	return n;
}
