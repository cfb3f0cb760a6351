/* SPDX-License-Identifier: MIT */
/* Intrusive doubly linked circular list (struct pga_list_head in page.h). */
#ifndef PGA_LIST_H
#define PGA_LIST_H

#include <pga/page.h>

#define pga_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

static inline void list_init(struct pga_list_head *h)
{
	h->next = h;
	h->prev = h;
}

/*
 * Lists change only under their lock, but emptiness may be tested without
 * it (the watermark check looks at free lists), so a head's next pointer
 * is loaded and stored atomically (relaxed: plain moves on x86_64/arm64).
 */
static inline bool list_empty(const struct pga_list_head *h)
{
	return __atomic_load_n(&h->next, __ATOMIC_RELAXED) == h;
}

static inline void list_insert(struct pga_list_head *n,
			       struct pga_list_head *prev,
			       struct pga_list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	__atomic_store_n(&prev->next, n, __ATOMIC_RELAXED);
}

/* Insert @n right after the head @h (becomes the first entry). */
static inline void list_add(struct pga_list_head *n, struct pga_list_head *h)
{
	list_insert(n, h, h->next);
}

/* Insert @n before the head @h (becomes the last entry). */
static inline void list_add_tail(struct pga_list_head *n,
				 struct pga_list_head *h)
{
	list_insert(n, h->prev, h);
}

static inline void list_del(struct pga_list_head *n)
{
	n->next->prev = n->prev;
	__atomic_store_n(&n->prev->next, n->next, __ATOMIC_RELAXED);
	n->next = NULL;
	n->prev = NULL;
}

#define list_page(l) pga_container_of(l, struct pga_page, lru)
#define list_first_page(h) list_page((h)->next)
#define list_last_page(h) list_page((h)->prev)

#endif
