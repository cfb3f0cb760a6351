/* SPDX-License-Identifier: MIT */
/* Fragmentation indices, their text, the SVG map and pga_snprintf. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "internal.h"

#define BASE PFN(GiB(4))

struct text {
	char buf[1 << 20];
	size_t len;
};

static void emit(void *ctx, const char *s, size_t n)
{
	struct text *t = ctx;

	assert_true(t->len + n < sizeof(t->buf));
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static int setup(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {{GiB(4), MiB(16), 0}};

	(void)state;
	fx_params(&p);
	p.disable_pcp = true;
	assert_int_equal(fx_init(&p, ram, 1, NULL, 0, NULL), 0);
	return 0;
}

/* Every other page allocated: 2048-ish free order-0 pages, no order 1. */
static struct pga_page *checkerboard(unsigned long *nfree)
{
	static struct pga_page *held[4096];
	unsigned long n = 0;
	struct pga_page *pg;

	while ((pg = pga_alloc_page(PGA_GFP_HIGHUSER_MOVABLE | PGA_GFP_NOWARN)))
		held[n++] = pg;
	for (unsigned long i = 0; i < n; i++)
		if (pga_page_to_pfn(held[i]) % 2 == 0)
			pga_free_page(held[i]);
	*nfree = n / 2;
	return held[0];
}

static void indices(void **state)
{
	struct pga_zone *z = &pga_g.nodes[0].node_zones[PGA_ZONE_NORMAL];
	unsigned long nr[PGA_NR_ORDERS], pages = 0, blocks = 0;
	unsigned long dummy;
	int want;

	(void)state;
	/* A fresh zone has an order-10 block: every order is satisfiable. */
	for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++)
		assert_int_equal(pga_fragmentation_index(0, PGA_ZONE_NORMAL, o),
				 -1000);
	assert_int_equal(pga_unusable_free_index(0, PGA_ZONE_NORMAL, 0), 0);
	checkerboard(&dummy);
	fx_nr_free(0, PGA_ZONE_NORMAL, nr);
	for (unsigned int o = 0; o <= PGA_MAX_ORDER; o++) {
		pages += nr[o] << o;
		blocks += nr[o];
	}
	assert_true(nr[0] > 1000);
	/* Linux: 1000 - (1000 + free*1000/requested) / blocks. */
	for (unsigned int o = 1; o <= 3; o++) {
		unsigned long suitable = 0;

		for (unsigned int i = o; i <= PGA_MAX_ORDER; i++)
			suitable += nr[i];
		want = suitable ? -1000
				: 1000 - (int)((1000 + pages * 1000 / (1UL << o)) /
					       blocks);
		assert_int_equal(pga_fragmentation_index(0, PGA_ZONE_NORMAL, o),
				 want);
	}
	assert_int_equal(pga_zone_unusable_free_index(z, 0), 0);
	assert_int_equal(pga_zone_extfrag_for_order(z, 0), 0);
	assert_true(pga_fragmentation_index(0, PGA_ZONE_NORMAL, 9) > 900);
	/* Bad zone arguments answer 0 / 1000, never crash. */
	assert_int_equal(pga_fragmentation_index(7, PGA_ZONE_NORMAL, 3), 0);
	assert_int_equal(pga_unusable_free_index(0, 9, 3), 1000);
}

static void index_text(void **state)
{
	static struct text t;

	(void)state;
	t.len = 0;
	pga_show_extfrag_index(emit, &t);
	assert_non_null(strstr(t.buf, "Node 0, zone   Normal "));
	assert_true(strstr(t.buf, " 0.9") || strstr(t.buf, "-1.000 "));
	t.len = 0;
	pga_show_unusable_index(emit, &t);
	assert_non_null(strstr(t.buf, "Node 0, zone   Normal 0.000 "));
}

static void svg_map(void **state)
{
	static struct text t;
	int cells = 0, movable = 0;

	(void)state;
	t.len = 0;
	assert_int_equal(pga_write_fragmap_svg(0, PGA_ZONE_NORMAL, emit, &t), 0);
	assert_int_equal(strncmp(t.buf, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
	assert_non_null(strstr(t.buf, "</svg>\n"));
	assert_non_null(strstr(t.buf, "width=\"100%\""));
	for (const char *p = t.buf; (p = strstr(p, "<title>pfn ")); p++) {
		cells++;
		movable += !strncmp(strstr(p, ": ") + 2, "Movable", 7);
	}
	/* 16 MiB = 8 pageblocks, all movable and half free. */
	assert_int_equal(cells, 8);
	assert_int_equal(movable, 8);
	assert_non_null(strstr(t.buf, "pfn 0x100000: Movable, 256 of 512 pages free"));
	assert_non_null(strstr(t.buf, "fill=\"#2ca02c\" fill-opacity=\"0.575\""));
	assert_int_equal(pga_write_fragmap_svg(0, PGA_ZONE_DMA, emit, &t),
			 -PGA_EINVAL);
	assert_int_equal(pga_write_fragmap_svg(3, PGA_ZONE_NORMAL, emit, &t),
			 -PGA_EINVAL);
}

static void formatter(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(pga_snprintf(b, sizeof(b), "%#llx|%5d|%-4s|%%|%03u",
				      0x1fULL, -42, "ab", 7u), 21);
	assert_string_equal(b, "0x1f|  -42|ab  |%|007");
	assert_int_equal(pga_snprintf(b, 4, "%lu", 123456UL), 6);
	assert_string_equal(b, "123");
	pga_snprintf(b, sizeof(b), "%.3s%c%zu%p", "abcdef", '!', (size_t)9,
		     (void *)0x10);
	assert_string_equal(b, "abc!90x10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(indices),
		cmocka_unit_test(index_text),
		cmocka_unit_test(svg_map),
		cmocka_unit_test(formatter),
	};

	return cmocka_run_group_tests(tests, setup, fx_group_teardown);
}
