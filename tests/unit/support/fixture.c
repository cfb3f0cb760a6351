/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define LOG_LINES 64

static char log_buf[LOG_LINES][256];
static int log_n;
static struct pga_host_ram ram_arena;

static void log_hook(void *ctx, enum pga_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	snprintf(log_buf[log_n % LOG_LINES], sizeof(log_buf[0]), "%s", msg);
	log_n++;
	if (getenv("PGA_TEST_VERBOSE"))
		fprintf(stderr, "[pga log] %s\n", msg);
}

void fx_log_clear(void)
{
	log_n = 0;
}

int fx_log_count(void)
{
	return log_n;
}

bool fx_log_contains(const char *needle)
{
	int first = log_n > LOG_LINES ? log_n - LOG_LINES : 0;

	for (int i = first; i < log_n; i++)
		if (strstr(log_buf[i % LOG_LINES], needle))
			return true;
	return false;
}

const char *fx_log_last(void)
{
	return log_n ? log_buf[(log_n - 1) % LOG_LINES] : "";
}

void fx_params(struct pga_params *p)
{
	pga_params_init(p);
	p->gfp_allowed_mask = PGA_GFP_BITS_MASK;
}

struct pga_hooks fx_hooks(void)
{
	struct pga_hooks h;

	memset(&h, 0, sizeof(h));
	h.log = log_hook;
	return h;
}

int fx_init(struct pga_params *p, const struct pga_mem_range *ram,
	    size_t nr_ram, const struct pga_mem_range *res, size_t nr_res,
	    const struct pga_hooks *hooks)
{
	pga_paddr_t end = GiB(1);
	struct pga_hooks h = fx_hooks();

	for (size_t i = 0; i < nr_ram; i++)
		if (ram[i].base + ram[i].size > end && ram[i].size < GiB(1024))
			end = ram[i].base + ram[i].size;
	fx_teardown();
	assert_int_equal(pga_host_ram_create(&ram_arena, 0,
					     (end + MiB(2) - 1) & ~(MiB(2) - 1)),
			 0);
	p->direct_map_offset = ram_arena.offset;
	fx_log_clear();
	return pga_init(p, ram, nr_ram, res, nr_res, hooks ? hooks : &h);
}

void fx_init_simple(pga_paddr_t base, pga_paddr_t size)
{
	struct pga_params p;
	struct pga_mem_range r = {base, size, 0};

	fx_params(&p);
	assert_int_equal(fx_init(&p, &r, 1, NULL, 0, NULL), 0);
}

void fx_teardown(void)
{
	pga_host_ram_destroy(&ram_arena);
}

int fx_group_teardown(void **state)
{
	(void)state;
	fx_teardown();
	return 0;
}

void fx_assert_consistent(void)
{
	char report[256];
	struct pga_page_accounting a;
	int err = pga_check(report, sizeof(report));

	if (err)
		fail_msg("pga_check: %s", report);
	pga_page_accounting(&a);
	assert_int_equal(a.managed, a.free + a.pcp + a.allocated + a.bad);
}

unsigned long fx_free_pages(void)
{
	struct pga_page_accounting a;

	pga_page_accounting(&a);
	return a.free;
}

unsigned long fx_allocated_pages(void)
{
	struct pga_page_accounting a;

	pga_page_accounting(&a);
	return a.allocated;
}

void fx_nr_free(int nid, int zt, unsigned long out[PGA_NR_ORDERS])
{
	struct pga_zone_info info;

	assert_int_equal(pga_zone_get_info(nid, (enum pga_zone_type)zt, &info), 0);
	memcpy(out, info.nr_free, sizeof(info.nr_free));
}
