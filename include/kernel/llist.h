/*
 * Lock-free singly linked lists (Linux's llist): any number of CPUs may
 * add entries at once, and one consumer takes the whole list in one
 * atomic exchange. Entries come out newest first; llist_reverse_order()
 * turns them back into the order they were added.
 */
#ifndef KERNEL_LLIST_H
#define KERNEL_LLIST_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

static inline void init_llist_head(struct llist_head *h) { h->first = NULL; }

static inline bool llist_empty(const struct llist_head *h)
{
	return __atomic_load_n(&h->first, __ATOMIC_RELAXED) == NULL;
}

/* Add node; true if the list was empty before (the consumer may need a kick). */
static inline bool llist_add(struct llist_node *node, struct llist_head *h)
{
	struct llist_node *first = __atomic_load_n(&h->first, __ATOMIC_RELAXED);

	do {
		node->next = first;
	} while (!__atomic_compare_exchange_n(&h->first, &first, node, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return first == NULL;
}

/* Take every entry (newest first), leaving the list empty. */
static inline struct llist_node *llist_del_all(struct llist_head *h)
{
	return __atomic_exchange_n(&h->first, NULL, __ATOMIC_ACQUIRE);
}

static inline struct llist_node *llist_reverse_order(struct llist_node *n)
{
	struct llist_node *out = NULL;

	while (n) {
		struct llist_node *next = n->next;

		n->next = out;
		out = n;
		n = next;
	}
	return out;
}

#endif
