/* SPDX-License-Identifier: MIT */
/*
 * The /proc text is checked against real Linux output: the DMA zone of the
 * sample machine is rebuilt exactly (start pfn 1, 3998 present, 3840
 * managed, the same free blocks), so its lines must match byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "internal.h"

#define SAMPLES "tests/unit/data/"

struct text {
	char buf[1 << 16];
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

static char *slurp(const char *name)
{
	static char buf[1 << 16];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", SAMPLES, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run tests from the repository root)",
			 path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The line of @text that starts with @prefix, copied into @out. */
static bool line_with(const char *text, const char *prefix, char *out,
		      size_t size)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t n = strcspn(l, "\n");

		if (!strncmp(l, prefix, strlen(prefix))) {
			snprintf(out, size, "%.*s", (int)n, l);
			return true;
		}
	}
	return false;
}

static int setup(void **state)
{
	struct pga_params p;
	const struct pga_mem_range ram[] = {
		{0x1000, 0x9f000 - 0x1000, 0},
		{MiB(1), GiB(3) - MiB(1), 0},
		{GiB(4), GiB(1), 0},
	};
	const struct pga_mem_range res[] = {{0x1000, 0x9f000 - 0x1000, 0}};
	struct pga_zone *z;
	unsigned long flags;

	(void)state;
	fx_params(&p);
	p.nr_cpus = 2;
	assert_int_equal(fx_init(&p, ram, 3, res, 1, NULL), 0);
	/* As on the sample machine, DMA's order-8 block is unmovable. */
	z = &pga_g.nodes[0].node_zones[PGA_ZONE_DMA];
	flags = zone_lock(z);
	pga_pageblock_set_type(0x100, PGA_MIGRATE_UNMOVABLE);
	pga_buddy_move_to_free_list_locked(z, pfn_page(0x100), 8,
					   PGA_MIGRATE_UNMOVABLE);
	zone_unlock(z, flags);
	return 0;
}

static void buddyinfo(void **state)
{
	static struct text t;
	char want[256], got[256];

	(void)state;
	t.len = 0;
	pga_show_buddyinfo(emit, &t);
	assert_true(line_with(slurp("buddyinfo.txt"), "Node 0, zone      DMA",
			      want, sizeof(want)));
	assert_true(line_with(t.buf, "Node 0, zone      DMA", got, sizeof(got)));
	assert_string_equal(got, want);
	assert_true(line_with(t.buf, "Node 0, zone    DMA32", got, sizeof(got)));
	assert_true(line_with(t.buf, "Node 0, zone   Normal", got, sizeof(got)));
}

/* Drop the CMA column (13 characters) the sample's kernel did not have. */
static void drop_cma_field(char *line, size_t field_start)
{
	if (PGA_CONFIG_CMA)
		memmove(line + field_start, line + field_start + 13,
			strlen(line + field_start + 13) + 1);
}

static void pagetypeinfo(void **state)
{
	static struct text t;
	const char *sample = slurp("pagetypeinfo.txt");
	static const char *const rows[] = {
		"Page block order:", "Pages per block:",
		"Free pages count per migrate type",
		"Node    0, zone      DMA, type    Unmovable",
		"Node    0, zone      DMA, type      Movable",
		"Node    0, zone      DMA, type  Reclaimable",
		"Node    0, zone      DMA, type   HighAtomic",
		"Node    0, zone      DMA, type      Isolate",
	};
	char want[512], got[512];

	(void)state;
	t.len = 0;
	pga_show_pagetypeinfo(emit, &t);
	for (size_t i = 0; i < PGA_ARRAY_SIZE(rows); i++) {
		assert_true(line_with(sample, rows[i], want, sizeof(want)));
		if (!line_with(t.buf, rows[i], got, sizeof(got)))
			fail_msg("no line '%s'", rows[i]);
		assert_string_equal(got, want);
	}
	assert_int_equal(PGA_CONFIG_CMA,
			 strstr(t.buf, "zone      DMA, type          CMA") != NULL);
	assert_true(line_with(sample, "Number of blocks type", want, sizeof(want)));
	assert_true(line_with(t.buf, "Number of blocks type", got, sizeof(got)));
	drop_cma_field(got, 23 + 4 * 13);
	assert_string_equal(got, want);
	assert_true(line_with(sample, "Node 0, zone      DMA ", want, sizeof(want)));
	assert_true(line_with(t.buf, "Node 0, zone      DMA ", got, sizeof(got)));
	drop_cma_field(got, 21 + 4 * 13);
	assert_string_equal(got, want);
	/* Empty line before the block counts, as Linux prints. */
	assert_non_null(strstr(t.buf, "\n\nNumber of blocks type"));
}

static void zoneinfo(void **state)
{
	static struct text t;
	const char *sample = slurp("zoneinfo.txt");
	char dma[8192];
	static const char *const same[] = {
		"Node 0, zone      DMA\n", "\n  pages free     3840\n",
		"\n        boost    0\n", "\n        spanned  4095\n",
		"\n        present  3998\n", "\n        managed  3840\n",
		"\n        cma      0\n", "\n      nr_free_pages 3840\n",
		"\n      nr_free_cma  0\n", "\n      numa_hit     0\n",
		"\n      numa_miss    0\n", "\n      numa_foreign 0\n",
		"\n      numa_interleave 0\n", "\n      numa_local   0\n",
		"\n      numa_other   0\n", "\n  pagesets\n", "\n    cpu: 0\n",
		"\n              count:    0\n", "\n              batch:    1\n",
		"\n    cpu: 1\n", "\n  node_unreclaimable:  0\n",
		"\n  start_pfn:           1\n",
	};
	const char *end;

	(void)state;
	t.len = 0;
	pga_show_zoneinfo(emit, &t);
	/* Our DMA section: up to the next zone header. */
	end = strstr(t.buf, "Node 0, zone    DMA32");
	assert_non_null(end);
	snprintf(dma, sizeof(dma), "%.*s", (int)(end - t.buf), t.buf);
	for (size_t i = 0; i < PGA_ARRAY_SIZE(same); i++) {
		if (!strstr(sample, same[i]))
			fail_msg("sample lacks '%s'", same[i]);
		if (!strstr(dma, same[i]))
			fail_msg("our DMA zone lacks '%s':\n%s", same[i], dma);
	}
	assert_non_null(strstr(t.buf, "Node 0, zone  Movable") == NULL ? "" : NULL);
	assert_non_null(strstr(t.buf, "        protection: (0, "));
}

static void vmstat(void **state)
{
	static struct text t;
	const char *sample = slurp("vmstat.txt");
	const char *last = sample;
	int lines = 0;

	(void)state;
	assert_non_null(pga_alloc_pages(PGA_GFP_KERNEL, 0));
	t.len = 0;
	pga_show_vmstat(emit, &t);
	for (char *l = t.buf; *l; l = strchr(l, '\n') + 1) {
		char name[64], key[70];
		unsigned long v;
		const char *at;

		assert_int_equal(sscanf(l, "%63s %lu", name, &v), 2);
		snprintf(key, sizeof(key), "\n%s ", name);
		at = strstr(sample, key);
		if (!at && !strncmp(sample, key + 1, strlen(key + 1)))
			at = sample;
		if (!at)
			fail_msg("'%s' is not a /proc/vmstat name", name);
		assert_true(at >= last); /* Linux's order */
		last = at;
		lines++;
	}
	assert_true(lines > 30);
	assert_non_null(strstr(t.buf, "\npgalloc_normal 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buddyinfo),
		cmocka_unit_test(pagetypeinfo),
		cmocka_unit_test(zoneinfo),
		cmocka_unit_test(vmstat),
	};

	return cmocka_run_group_tests(tests, setup, fx_group_teardown);
}
