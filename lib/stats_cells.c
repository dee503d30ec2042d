/*
 * stats_cells.c: the tables that statistics add up into: strings
 * interned as small ids (a group's values), and counters keyed by a
 * fixed number of such ids (a period and one value per group), both in
 * open-addressing hash tables that grow by doubling.
 */
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

/* --- small helpers --- */

uint64_t
stats_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h ^ h >> 29;
}

/* --- interned strings --- */

void
stats_strtab_free(struct strtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->len);
	free(t->slots);
}

static int
strtab_grow(struct strtab *t)
{
	uint32_t *s;
	size_t i, j, n = t->nslots ? t->nslots * 2 : 64;

	if (!(s = enas_calloc(n, sizeof(*s))))
		return ENAS_ENOMEM;
	for (i = 0; i < t->n; i++) {
		for (j = stats_hash(t->v[i], t->len[i]) & (n - 1); s[j];
		    j = (j + 1) & (n - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* The id of the n bytes at p, added when new; 0 on ENOMEM. */
uint32_t
stats_intern(struct strtab *t, const char *p, size_t n)
{
	size_t j, cap;
	uint32_t id;
	void *nv;

	if ((t->n + 1) * 2 > t->nslots && strtab_grow(t) < 0)
		return 0;
	for (j = stats_hash(p, n) & (t->nslots - 1); (id = t->slots[j]);
	    j = (j + 1) & (t->nslots - 1))
		if (t->len[id - 1] == n && memcmp(t->v[id - 1], p, n) == 0)
			return id;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if (!(nv = enas_realloc(t->v, cap * sizeof(*t->v))))
			return 0;
		t->v = nv;
		if (!(nv = enas_realloc(t->len, cap * sizeof(*t->len))))
			return 0;
		t->len = nv;
		t->cap = cap;
	}
	if (!(t->v[t->n] = enas_strndup(p, n)))
		return 0;
	t->len[t->n] = n;
	t->slots[j] = (uint32_t)++t->n;
	return (uint32_t)t->n;
}

/* --- cells --- */

void
stats_cells_free(struct cells *t)
{
	free(t->keys);
	free(t->vals);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

void
stats_cells_init(struct cells *t, size_t klen, size_t vlen)
{
	memset(t, 0, sizeof(*t));
	t->klen = klen;
	t->vlen = vlen;
}

static int
cells_grow(struct cells *t)
{
	uint32_t *s;
	size_t i, j, n = t->nslots ? t->nslots * 2 : 256;

	if (!(s = enas_calloc(n, sizeof(*s))))
		return ENAS_ENOMEM;
	for (i = 0; i < t->n; i++) {
		for (j = stats_hash(t->keys + i * t->klen, t->klen * 4) &
		    (n - 1); s[j]; j = (j + 1) & (n - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* The counters of key, or NULL when absent and !add (or on ENOMEM). */
long long *
stats_cells_get(struct cells *t, const uint32_t *key, int add)
{
	size_t j, cap, kb = t->klen * 4;
	uint32_t id;
	void *nv;

	if (!add && !t->nslots)
		return NULL;
	if (add && (t->n + 1) * 2 > t->nslots && cells_grow(t) < 0)
		return NULL;
	for (j = stats_hash(key, kb) & (t->nslots - 1); (id = t->slots[j]);
	    j = (j + 1) & (t->nslots - 1))
		if (memcmp(t->keys + (id - 1) * t->klen, key, kb) == 0)
			return t->vals + (id - 1) * t->vlen;
	if (!add)
		return NULL;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 256;
		if (!(nv = enas_realloc(t->keys, cap * kb)))
			return NULL;
		t->keys = nv;
		if (!(nv = enas_realloc(t->vals, cap * t->vlen *
		    sizeof(*t->vals))))
			return NULL;
		t->vals = nv;
		t->cap = cap;
	}
	memcpy(t->keys + t->n * t->klen, key, kb);
	memset(t->vals + t->n * t->vlen, 0, t->vlen * sizeof(*t->vals));
	t->slots[j] = (uint32_t)++t->n;
	return t->vals + (t->n - 1) * t->vlen;
}
